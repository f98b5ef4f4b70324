// wording-ok-file: the starter config's text and invariants are a file guardloop writes for a person to edit, not messages.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

interface StarterGuard {
  id: string;
  run: string;
  layer: string;
  invariant: string;
  files?: string[];
}

// Invariants for the scripts a project usually has; each passes the sentence test and is meant to be edited.
const KNOWN_SCRIPTS: Array<{ names: string[]; id: string; layer: string; invariant: string }> = [
  {
    names: ['typecheck', 'type-check', 'check-types', 'tsc', 'types'],
    id: 'typecheck',
    layer: 'type',
    invariant: 'In this codebase, code that fails the type checker must never be committed, because type errors become runtime crashes that tests can miss.',
  },
  {
    names: ['lint', 'eslint'],
    id: 'lint',
    layer: 'lint',
    invariant: 'In this codebase, code that breaks the lint rules must never be committed, because each rule encodes a mistake we have already paid for.',
  },
  {
    names: ['test', 'tests', 'test:unit'],
    id: 'test',
    layer: 'test',
    invariant: 'In this codebase, a change that breaks a test must never be committed, because a failing test means behaviour someone relies on has changed.',
  },
];

// Builds the guards a new config starts with from what the project already has.
export function starterGuards(root: string, scripts: Record<string, string>): StarterGuard[] {
  const guards: StarterGuard[] = [];
  for (const known of KNOWN_SCRIPTS) {
    const name = known.names.find((n) => scripts[n] && !/no test specified/.test(scripts[n]));
    if (name) guards.push({ id: known.id, run: `npm run --silent ${name}`, layer: known.layer, invariant: known.invariant });
  }
  if (!guards.some((g) => g.id === 'typecheck') && existsSync(join(root, 'tsconfig.json'))) {
    guards.unshift({ ...KNOWN_SCRIPTS[0], run: 'tsc --noEmit', files: ['*.ts', '*.tsx', '*.mts', '*.cts', 'tsconfig*.json'] });
  }
  return guards;
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

// The text of a starter `.loop/config.yaml`, commented so a person knows what to edit.
export function starterConfigText(guards: StarterGuard[]): string {
  const body = guards.length
    ? guards
        .map((g) =>
          [
            `  - id: ${g.id}`,
            `    run: ${yamlString(g.run)}`,
            `    layer: ${g.layer}`,
            `    # Edit: name the failure this guard prevents, in the form of the sentence test.`,
            `    invariant: ${yamlString(g.invariant)}`,
            ...(g.files ? [`    files: [${g.files.map(yamlString).join(', ')}]`] : []),
          ].join('\n'),
        )
        .join('\n')
    : [
        '  # No test, lint or typecheck script was found in package.json. A first guard:',
        '  - id: no-conflict-markers',
        `    run: ${yamlString("! git grep -n -I -E '^(<<<<<<<|>>>>>>>)( |$)' -- .")}`,
        '    layer: lint',
        `    invariant: ${yamlString('In this codebase, a merge-conflict marker must never be committed, because it breaks the build for everyone who pulls.')}`,
      ].join('\n');
  return `# yaml-language-server: $schema=../node_modules/guardloop/schema.json
# guardloop guards: each runs in the hooks listed in \`on\` (default: pre-commit and an agent's stop).
# A guard is a command plus the invariant it encodes:
#   "In this codebase, X must never happen, because it causes Y."
# Reference: https://www.npmjs.com/package/guardloop (README, "Config reference").
guards:
${body}
`;
}
