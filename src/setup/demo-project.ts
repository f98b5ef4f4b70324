// wording-ok-file: the files of the demo's throwaway project and the words of the agent it plays (content it writes, not messages)

// What `guardloop demo` writes: a small greeting library with two guards, the three attempts of the
// agent it plays, and the person's two commits. Every file is given whole, as the agent's Write tool
// and the person's editor would leave it.

// One file's path (relative to the repository) and its whole content.
export interface DemoFile {
  path: string;
  content: string;
}

// A test file that calls `call` and exits 1 with one plain line when it does not return `expected`.
function check(imports: string, call: string, expected: string): string {
  return [
    `import { ${imports} } from '../src/greet.js';`,
    '',
    `const got = ${call};`,
    `if (got !== ${JSON.stringify(expected)}) {`,
    `  console.error(\`${call.replace(/`/g, '\\`')} returned \${JSON.stringify(got)}, expected ${JSON.stringify(expected).replace(/`/g, '\\`')}\`);`,
    '  process.exit(1);',
    '}',
    '',
  ].join('\n');
}

// src/greet.js with the greeting `hello` and, when given, a farewell function body.
function greetJs(hello: string, farewell?: string): string {
  const lines = ['export function greet(name) {', `  return \`${hello}, \${name}!\`;`, '}'];
  if (farewell) lines.push('', 'export function farewell(name) {', ...farewell.split('\n').map((l) => `  ${l}`), '}');
  return `${lines.join('\n')}\n`;
}

// The two guards, each with its invariant and layer: a lint-layer grep and the test suite.
export const DEMO_CONFIG = [
  'guards:',
  '  - id: no-todo',
  '    run: "! grep -rn TODO src"',
  '    invariant: "In this codebase, a TODO must never be committed, because nobody tracks it and it ships unfinished work."',
  '    layer: lint',
  '  - id: tests',
  `    run: 'for t in test/*.test.mjs; do node "$t" || exit 1; done'`,
  '    invariant: "In this codebase, a change must never break a test, because the tests are what the library promises."',
  '    layer: test',
  '',
].join('\n');

// The project as it stands before guardloop's init: a library, its test, and the config.
export const DEMO_PROJECT: DemoFile[] = [
  { path: 'package.json', content: `${JSON.stringify({ name: 'guardloop-demo', private: true, type: 'module', scripts: { test: 'for t in test/*.test.mjs; do node "$t" || exit 1; done' } }, null, 2)}\n` },
  { path: '.gitignore', content: 'node_modules/\n' },
  { path: 'src/greet.js', content: greetJs('Hello') },
  { path: 'test/greet.test.mjs', content: check('greet', "greet('Ada')", 'Hello, Ada!') },
  { path: '.loop/config.yaml', content: DEMO_CONFIG },
];

// The person's first commit: the project with guardloop set up.
export const SETUP_COMMIT = 'A greeting library, guarded by guardloop';

// The prompt the person gives the agent.
export const AGENT_TASK = "Add farewell(name) to src/greet.js, returning 'Goodbye, <name>!', with a test.";

// One attempt of the played agent: what it writes, then the message it stops with.
export interface AgentAttempt {
  files: DemoFile[];
  lastMessage: string;
}

const FAREWELL_TEST = { path: 'test/farewell.test.mjs', content: check('farewell', "farewell('Ada')", 'Goodbye, Ada!') };

// Attempt 1 leaves a TODO (no-todo fails); attempt 2 removes it and loses the "!" (tests fail); attempt 3 passes.
export const AGENT_ATTEMPTS: AgentAttempt[] = [
  {
    files: [{ path: 'src/greet.js', content: greetJs('Hello', '// TODO: what about an empty name?\nreturn `Goodbye, ${name}!`;') }, FAREWELL_TEST],
    lastMessage: 'Added farewell(name) to src/greet.js and test/farewell.test.mjs.',
  },
  {
    files: [{ path: 'src/greet.js', content: greetJs('Hello', "return `Goodbye, ${name || 'friend'}`;") }],
    lastMessage: "Removed the TODO: an empty name now gets 'friend'.",
  },
  {
    files: [{ path: 'src/greet.js', content: greetJs('Hello', "return `Goodbye, ${name || 'friend'}!`;") }],
    lastMessage: "Put back the '!' the test expects.",
  },
];

// The message of the person's commit of the agent's work.
export const PERSON_COMMIT = 'farewell() from the agent, and a shorter greeting';
// The person's change on top of the agent's work: a shorter greeting, first without its test, then with it.
export const PERSON_ATTEMPTS: DemoFile[][] = [
  [{ path: 'src/greet.js', content: greetJs('Hi', "return `Goodbye, ${name || 'friend'}!`;") }],
  [{ path: 'test/greet.test.mjs', content: check('greet', "greet('Ada')", 'Hi, Ada!') }],
];
