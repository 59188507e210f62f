/**
 * The layers point one way, and nothing imports in a circle (type-only imports included):
 *   main → http → app → graphql → modules → common, loaders, cache → vendors → domain, config, errors, observability
 * Inside a module, `vendor/` and `emulator/` are the vendors layer: they import no module code. A module reaches another
 * module only through what that one exports on purpose: its module.ts, and its files at the top of its folder.
 * `npm test` runs this (npm run deps:check).
 */
const LOWER = '^src/(domain|config|errors\\.ts|observability|paths\\.ts)';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycles, type-only included.', from: {}, to: { circular: true } },
    {
      name: 'lowest-layer',
      severity: 'error',
      comment: 'domain, config, errors and observability import nothing above them.',
      from: { path: LOWER },
      to: { path: '^src/(vendors|cache|loaders|common|modules|graphql|app|http|generated|main)' },
    },
    {
      name: 'vendors-layer',
      severity: 'error',
      comment: 'The HTTP core and every vendor client or emulator import only the layers below them.',
      from: { path: '^src/(vendors|modules/[^/]+/(vendor|emulator))/' },
      to: { path: '^src/(cache|loaders|common|graphql|app|http|generated|main)|^src/modules/[^/]+/(?!vendor/|emulator/)[^/]+' },
    },
    {
      name: 'cache-and-loaders',
      severity: 'error',
      comment: 'cache, loaders and common (shared GraphQL pieces) know no module, no assembly, no HTTP.',
      from: { path: '^src/(cache|loaders|common)/' },
      to: { path: '^src/(modules|graphql|app|http|main)' },
    },
    {
      name: 'modules',
      severity: 'error',
      comment: 'Modules know neither the GraphQL assembly, the composition root nor HTTP.',
      from: { path: '^src/modules/' },
      to: { path: '^src/(graphql|app|http|main)' },
    },
    {
      name: 'graphql-assembly',
      severity: 'error',
      comment: 'The GraphQL assembly (schema, plugins, cost estimate) knows no composition root and no HTTP.',
      from: { path: '^src/graphql/' },
      to: { path: '^src/(app|http|main)' },
    },
    {
      name: 'app',
      severity: 'error',
      comment: 'The composition root knows no HTTP.',
      from: { path: '^src/app/' },
      to: { path: '^src/(http|main)' },
    },
    {
      name: 'module-internals',
      severity: 'error',
      comment:
        "A module reaches another only through its public files (module.ts and the files at its folder's top, vendor/ types). " +
        'Emulators may share their synthetic registry, so the sandbox companies are the same in every vendor.',
      from: { path: '^src/modules/([^/]+)/', pathNot: '^src/modules/[^/]+/emulator/' },
      to: { path: '^src/modules/([^/]+)/(resolvers|emulator)/', pathNot: '^src/modules/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Generated resolver types sit with the shared GraphQL pieces: only the cycle check follows them.
    exclude: { path: '^src/generated/generated-never' },
  },
};
