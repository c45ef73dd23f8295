/**
 * Which code may import which (`npm run lint:deps`, part of `npm test`): no import cycles, shared/ stands on
 * its own, the extension and the host never reach into each other or into the simulation, and no production
 * code imports the tests. Type-only imports count: a cycle through a type is still a cycle.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Modules import each other in a circle: move what both need into a module of its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-stands-alone',
      severity: 'error',
      comment: 'shared/ runs in the extension, the host and the simulation alike: it imports none of them.',
      from: { path: '^shared/' },
      to: { path: '^(extension|host|sim|test)/' },
    },
    {
      name: 'extension-not-host-or-sim',
      severity: 'error',
      comment:
        'The extension talks to the host through native messaging, not imports, and never ships the simulation.',
      from: { path: '^extension/' },
      to: { path: '^(host|sim)/' },
    },
    {
      name: 'host-not-extension-or-sim',
      severity: 'error',
      comment:
        'The host talks to the extension through native messaging, not imports, and never ships the simulation.',
      from: { path: '^host/' },
      to: { path: '^(extension|sim)/' },
    },
    {
      name: 'production-not-test',
      severity: 'error',
      comment: 'Production code (shared, extension, host) never imports test code.',
      from: { path: '^(shared|extension|host)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
