// The script of the session benchmark (bench/session.mjs) on MiniSearch 7.2.0: the guards, the one
// pre-existing failing test the base commit holds, and the agent's 10 stops in 9 turns. Each edit is an
// exact replacement in the pinned version's text (it throws when the text isn't there, so a script that
// no longer applies fails loudly instead of measuring something else).
//
//   stop  turn  what the agent does                                          kind
//      1     1  answers a question, changes nothing                          nothing
//      2     2  fixes a wording in README.md                                 docs
//      3     3  adds a `fieldCount` getter to src/MiniSearch.ts              code (the old failure stays)
//      4     4  documents it in README.md                                    docs
//      5     5  adds an `isEmpty` getter that returns a number: a type error code, new failure (blocked)
//      6     5  fixes it (the same turn, after the block)                    code, fixed
//      7     6  adds both getters to CHANGELOG.md                            docs
//      8     7  answers a question, changes nothing                          nothing
//      9     8  moves BM25's inverse document frequency into a function      code (the old failure stays)
//     10     9  notes the refactor in CHANGELOG.md                           docs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The failure patterns the guards declare: tsc's (guards/typescript.yaml) and jest's (the README's).
export const TSC_FAILURES = '^(?:(\\S[^(\\n]*?)(?:\\(\\d+,\\d+\\): |:\\d+:\\d+ - ))?error (TS\\d+): (.+?)\\s*$';
export const JEST_FAILURES = '(?<=^[ \\t]*FAIL[ \\t]+(\\S+)(?:[ \\t]+\\(.*\\))?[ \\t]*\\n(?:.*\\n)*?)^  ● (.+?)[ \\t]*$';

// The two guards, run the same way by guardloop and by the gate that runs them on every stop.
export const GUARDS = [
  { id: 'tsc', run: 'npx --no -- tsc --noEmit', failures: TSC_FAILURES },
  { id: 'jest', run: 'npx --no -- jest', failures: JEST_FAILURES },
];

const yamlString = (s) => `'${s.replace(/'/g, "''")}'`;

// .loop/config.yaml: each guard with the inputs its verdict depends on (jest reads its config from
// package.json, ts-jest reads tsconfig.json); sequential, so each guard's time is its own.
export const CONFIG = [
  '# The session benchmark: MiniSearch\'s type check and its test suite.',
  'parallel: false',
  'guards:',
  '  - id: tsc',
  `    run: ${GUARDS[0].run}`,
  '    invariant: "In this codebase, code that does not type-check must never be committed, because it causes runtime errors the compiler already found."',
  '    layer: type',
  "    inputs: ['src/**', 'tsconfig.json']",
  `    failures: ${yamlString(TSC_FAILURES)}`,
  '  - id: jest',
  `    run: ${GUARDS[1].run}`,
  '    invariant: "In this codebase, a change that makes a test fail must never be committed, because it causes the regression the test was written to catch."',
  '    layer: test',
  "    inputs: ['src/**', 'package.json', 'tsconfig.json']",
  `    failures: ${yamlString(JEST_FAILURES)}`,
  '    timeout: 10m',
  '',
].join('\n');

// The pre-existing failure, committed by a person without the hooks: a test for a known issue
// (discard() is lazy, so termCount still counts the discarded document's terms until a vacuum).
export const KNOWN_ISSUE = {
  path: 'src/MiniSearch.test.js',
  append: `
describe('termCount after discard (known issue)', () => {
  it('drops the terms only the discarded document had', () => {
    const ms = new MiniSearch({ fields: ['text'] })
    ms.addAll([{ id: 1, text: 'alpha beta' }, { id: 2, text: 'beta gamma' }])
    ms.discard(1)
    expect(ms.termCount).toEqual(2)
  })
})
`,
};

const TERM_COUNT = '  get termCount (): number {\n    return this._index.size\n  }\n';
const FIELD_COUNT = '\n  /**\n   * Number of fields that are indexed\n   */\n  get fieldCount (): number {\n    return Object.keys(this._fieldIds).length\n  }\n';
const isEmpty = (body) => `\n  /**\n   * Is \`true\` when no document is in the index\n   */\n  get isEmpty (): boolean {\n    return ${body}\n  }\n`;
const IDF_INLINE = '  const invDocFreq = Math.log(1 + (totalCount - matchingCount + 0.5) / (matchingCount + 0.5))\n';
const IDF_CALL = '  const invDocFreq = inverseDocumentFrequency(matchingCount, totalCount)\n';
const IDF_FUNCTION = 'const inverseDocumentFrequency = (matchingCount: number, totalCount: number): number =>\n  Math.log(1 + (totalCount - matchingCount + 0.5) / (matchingCount + 0.5))\n\nconst calcBM25Score = (';
const API_DOCS = '### API Documentation\n';
const FIELD_COUNT_DOCS = '### Index statistics\n\n`documentCount`, `termCount` and `fieldCount` tell how many documents, terms\nand indexed fields the index holds.\n\n### API Documentation\n';
const CHANGELOG_TOP = '## v7.2.0\n';

// The 10 stops. `turn` starts a new turn with that prompt (absent: the same turn, after a block);
// `edits` are applied in order; `message` is the agent's closing message.
export const STOPS = [
  {
    kind: 'nothing',
    turn: 'How does MiniSearch weigh a fuzzy match against a prefix match when it ranks results?',
    edits: [],
    message: 'By default a fuzzy match scores 0.45 and a prefix match 0.375 of an exact match (searchOptions.weights), on top of BM25+. No files changed.',
  },
  {
    kind: 'docs',
    turn: 'The README says "fulltext"; make it "full-text".',
    edits: [{ path: 'README.md', find: 'in-memory fulltext search engine', replace: 'in-memory full-text search engine' }],
    message: 'README.md now says "full-text".',
  },
  {
    kind: 'code',
    turn: 'Add a fieldCount getter next to termCount.',
    edits: [{ path: 'src/MiniSearch.ts', find: TERM_COUNT, replace: TERM_COUNT + FIELD_COUNT }],
    message: 'Added MiniSearch#fieldCount (the number of indexed fields).',
  },
  {
    kind: 'docs',
    turn: 'Document documentCount, termCount and fieldCount in the README.',
    edits: [{ path: 'README.md', find: API_DOCS, replace: FIELD_COUNT_DOCS }],
    message: 'README.md has an "Index statistics" section.',
  },
  {
    kind: 'breaks',
    turn: 'Add an isEmpty getter.',
    edits: [{ path: 'src/MiniSearch.ts', find: TERM_COUNT + FIELD_COUNT, replace: TERM_COUNT + FIELD_COUNT + isEmpty('this._documentCount') }],
    message: 'Added MiniSearch#isEmpty.',
  },
  {
    kind: 'fixes',
    edits: [{ path: 'src/MiniSearch.ts', find: isEmpty('this._documentCount'), replace: isEmpty('this._documentCount === 0') }],
    message: 'isEmpty now returns a boolean (documentCount === 0).',
  },
  {
    kind: 'docs',
    turn: 'Add fieldCount and isEmpty to the changelog.',
    edits: [{ path: 'CHANGELOG.md', find: CHANGELOG_TOP, replace: `## Unreleased\n\n  - Add \`fieldCount\` and \`isEmpty\` getters\n\n${CHANGELOG_TOP}` }],
    message: 'CHANGELOG.md has an Unreleased section with the two getters.',
  },
  {
    kind: 'nothing',
    turn: 'Does toJSON() keep the field ids that fieldCount counts?',
    edits: [],
    message: 'Yes: toJSON() writes fieldIds and loadJSON() restores them, so fieldCount survives a round trip. No files changed.',
  },
  {
    kind: 'code',
    turn: "Move BM25's inverse document frequency into a function of its own.",
    edits: [
      { path: 'src/MiniSearch.ts', find: IDF_INLINE, replace: IDF_CALL },
      { path: 'src/MiniSearch.ts', find: 'const calcBM25Score = (', replace: IDF_FUNCTION },
    ],
    message: 'calcBM25Score now calls inverseDocumentFrequency(matchingCount, totalCount).',
  },
  {
    kind: 'docs',
    turn: 'Mention the refactor in the changelog.',
    edits: [{ path: 'CHANGELOG.md', find: '  - Add `fieldCount` and `isEmpty` getters\n', replace: '  - Add `fieldCount` and `isEmpty` getters\n  - BM25 scoring: the inverse document frequency is a function of its own\n' }],
    message: 'CHANGELOG.md mentions the refactor.',
  },
];

// Applies one stop's edits (or the known issue) in `repo`; throws when a text to replace isn't there once.
export function applyEdits(repo, edits) {
  for (const e of edits) {
    const file = join(repo, e.path);
    const text = readFileSync(file, 'utf8');
    if (e.append !== undefined) {
      writeFileSync(file, text + e.append);
      continue;
    }
    const at = text.indexOf(e.find);
    if (at < 0 || text.indexOf(e.find, at + 1) >= 0) throw new Error(`${e.path}: the text to replace is not there exactly once: ${JSON.stringify(e.find.slice(0, 60))}`);
    writeFileSync(file, text.slice(0, at) + e.replace + text.slice(at + e.find.length));
  }
}

// The failures an output names under a guard's `failures:` pattern, as guardloop names them (the
// capture groups that matched, joined with a space; ANSI codes removed first): for the gate's blocks.
export function failureNames(pattern, output) {
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const names = new Set();
  for (const m of text.matchAll(new RegExp(pattern, 'gm'))) {
    const groups = m.slice(1).filter((g) => g !== undefined);
    names.add((groups.length ? groups.join(' ') : m[0]).trim().replace(/\s+/g, ' '));
  }
  return [...names];
}
