/**
 * The layers point one way, and nothing imports in a circle (type-only imports included):
 *   main → http → app → graphql → modules → common, loaders, cache → vendors → domain, config, errors, observability
 * Inside a module, `vendor/` and `emulator/` are the vendors layer: they import no module code, and a vendor client
 * nothing of another vendor. A module reaches another module only through that one's public entry, its index.ts
 * (re-exports only); the registry (src/app) imports a module's module.ts, the generated resolver types its mappers.ts.
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
      comment:
        'The HTTP core and every vendor client or emulator import only the layers below them, never module code ' +
        "(but a vendor client its module's config slice type, see vendor-config).",
      from: { path: '^src/(vendors|modules/[^/]+/(vendor|emulator))/' },
      to: {
        path: '^src/(cache|loaders|common|graphql|app|http|generated|main)|^src/modules/[^/]+/(?!vendor/|emulator/)[^/]+',
        pathNot: '^src/modules/[^/]+/config\\.ts$',
      },
    },
    {
      name: 'vendor-config',
      severity: 'error',
      comment:
        "A vendor client takes its module's config slice (config.ts, which imports only src/config) as a type: nothing " +
        'else of the module, and no emulator the config.',
      from: { path: '^src/modules/[^/]+/(vendor|emulator)/' },
      to: { path: '^src/modules/[^/]+/config\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'shared-vendor-core',
      severity: 'error',
      comment: 'The shared vendor core (src/vendors) knows no module, not even a vendor client.',
      from: { path: '^src/vendors/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'vendor-client',
      severity: 'error',
      comment: "A vendor client (a module's vendor/) imports nothing of another module, and not its own emulator.",
      from: { path: '^src/modules/([^/]+)/vendor/' },
      to: { path: '^src/modules/', pathNot: '^src/modules/$1/(vendor/|config\\.ts$)' },
    },
    {
      name: 'emulator',
      severity: 'error',
      comment:
        "An emulator imports its own vendor's client tables and emulator; of another module only what that one's " +
        'emulator shares (its emulator/index.ts), so the sandbox companies (the synthetic registry) are the same in every vendor.',
      from: { path: '^src/modules/([^/]+)/emulator/' },
      to: { path: '^src/modules/', pathNot: '^src/modules/($1/(vendor|emulator)/|[^/]+/emulator/index\\.ts$)' },
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
      name: 'module-public-entry',
      severity: 'error',
      comment: "A module reaches another only through that one's public entry, its index.ts (re-exports only).",
      from: { path: '^src/modules/([^/]+)/', pathNot: '^src/modules/[^/]+/emulator/' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/($1/|[^/]+/index\\.ts$)' },
    },
    {
      name: 'modules-from-outside',
      severity: 'error',
      comment:
        'Outside src/modules a module is known by its declaration (module.ts, for the registry), its codegen mappers ' +
        '(mappers.ts, for the generated resolver types) and its public entry (index.ts).',
      from: { path: '^src/', pathNot: '^src/modules/' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/(module|mappers|index)\\.ts$' },
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
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'What runs in production imports only production dependencies (types from @types/* are fine).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: 'node_modules/@types/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'Every source file is used: imported, or an entry point (main.ts, the emulator CLIs).',
      from: {
        orphan: true,
        pathNot: ['^src/main\\.ts$', '^src/modules/[^/]+/emulator/cli\\.ts$', '^src/generated/', '\\.d\\.ts$'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
