// The dependency rule of guardloop's source (README, "Architecture"), checked by test/structure/rooms.test.ts.
// Rooms, bottom to top; a room imports only rooms below it:
//   errors, messages  →  git  →  config  →  store  →  engine  →  agents, setup  →  learn, audit  →  cli  →  index
// `messages` and `errors` may name any room's types (type-only imports): wording about a record, or an
// error's structured data, needs its shape.
const ROOMS = ['errors', 'messages', 'git', 'config', 'store', 'engine', 'agents', 'setup', 'learn', 'audit', 'cli'];
// What each room may import besides itself (and src/version.ts, which imports nothing).
const ALLOWED = {
  errors: ['messages'],
  messages: [],
  git: ['errors', 'messages'],
  config: ['git', 'errors', 'messages'],
  store: ['config', 'git', 'errors', 'messages'],
  engine: ['store', 'config', 'git', 'errors', 'messages'],
  agents: ['engine', 'store', 'config', 'git', 'errors', 'messages'],
  setup: ['agents', 'engine', 'store', 'config', 'git', 'errors', 'messages'],
  learn: ['engine', 'store', 'config', 'git', 'errors', 'messages'],
  audit: ['learn', 'agents', 'engine', 'store', 'config', 'git', 'errors', 'messages'],
  cli: ['audit', 'learn', 'setup', 'agents', 'engine', 'store', 'config', 'git', 'errors', 'messages'],
};

const roomRules = Object.entries(ALLOWED).map(([room, allowed]) => {
  const forbidden = ROOMS.filter((r) => r !== room && !allowed.includes(r));
  return {
    name: `${room}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
    comment: `src/${room} may import ${allowed.length ? allowed.map((r) => `src/${r}`).join(', ') : 'nothing outside itself'} (and src/version.ts); move the code to the lower room or invert the dependency.`,
    severity: 'error',
    from: { path: `^src/${room}/` },
    to: {
      path: `^src/(${forbidden.join('|')})/`,
      ...(room === 'messages' || room === 'errors' ? { dependencyTypesNot: ['type-only'] } : {}),
    },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycles between files (type-only imports included): split the shared part into a module both import.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'every-file-is-in-a-room',
      comment: `Every file of src is in one of the rooms (${ROOMS.map((r) => `src/${r}`).join(', ')}), or is src/index.ts or src/version.ts: move it into the room whose job it does.`,
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/((${ROOMS.join('|')})/|index\\.ts$|version\\.ts$)` },
      to: {},
    },
    {
      name: 'index-is-the-public-api',
      comment: 'Only the CLI and tests see src/index.ts from outside; nothing in src imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'version-is-a-leaf',
      comment: 'src/version.ts imports nothing of guardloop.',
      severity: 'error',
      from: { path: '^src/version\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'no-node-modules-outside-package-json',
      comment: 'Every import of a package is of a dependency declared in package.json.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'] },
    },
    {
      name: 'no-dev-dependencies-in-src',
      comment: 'src ships: it may not import a devDependency.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    ...roomRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    // `createRequire(import.meta.url)` handles (named `require` or `__require`) count as imports too.
    exoticRequireStrings: ['__require', 'requireFrom', 'createRequire'],
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.mjs'] },
  },
};
