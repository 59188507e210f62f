// Type-aware linting (typescript-eslint) of the sources, tests, benches and scripts; `npm test` runs it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Build output and local scratch (all git-ignored): .bench/ holds the bench's compiled servers.
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'coverage/**', '.bench/**', 'scratch/**', 'bench/profiles/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Fire-and-forget is deliberate in places (cache writes, timers) and always written `void promise`.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Every extensions.code is catalogued in src/errors.ts: graph errors are made there (graphError, GraphError) and
    // nowhere else, so no code can be spelt by hand.
    files: ['**/*.ts'],
    ignores: ['src/errors.ts', 'test/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='GraphQLError']",
          message:
            'Make graph errors with graphError (or a class extending GraphError) from src/errors.ts, whose ErrorCode catalogues every code.',
        },
        {
          selector: ":matches(ClassDeclaration, ClassExpression)[superClass.name='GraphQLError']",
          message: 'Extend GraphError from src/errors.ts, whose ErrorCode catalogues every code.',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests and benches read GraphQL answers as untyped JSON (`result.data.company…`); the sources and scripts may
      // not: vendor JSON is `unknown` until zod has checked it.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The autofill widget runs in visitors' browsers as a classic script (no modules, no bundler).
    files: ['public/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
