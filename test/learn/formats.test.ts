import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TreeMissingError } from '../../src/errors/tree-missing-error.js';
import { createFormatter, FORMATS, lineSchema, TEXT_FORMATS, type Format } from '../../src/learn/formats/index.js';
import { FEEDBACK_TAIL_CHARS, FEEDBACK_TAIL_LINES } from '../../src/learn/formats/prompt.js';
import type { Trace } from '../../src/learn/trace.js';
import { treeFiles } from '../../src/learn/tree-files.js';
import { binaryFile, CONSTRAINTS_INTRO, FILE_DELETED, TASK_UNRECORDED, textNeedsConversational, TURNS_NEED_MESSAGES } from '../../src/messages/learn.js';
import { parseRecordLine, type RecordV1 } from '../../src/store/record-schema.js';
import { cleanEnv, guardYaml, reinitAsSha256, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { records } from '../agents/helpers.js';

// The export formats on a person's chain built through the real pre-commit hook: two rejected
// commits (one guard's feedback, then two guards', one of them long), then the accepted one, which
// also deletes a file and adds a binary one. Traces are assembled by hand from the notes, as
// extraction does (provenance ids → records).

const SECRET = 'SECRETWORD-7';
const invariant = (id: string) => `In this codebase, ${id} must never fail, because it causes broken builds.`;
const NOISY = 'if grep -q NOISY src/a.js; then for i in $(seq 1 100); do echo noisy line $i; done; exit 1; fi';

let repo: TestRepo;
let release: () => void;
let finished: Promise<void>;
let all: RecordV1[];
let init: RecordV1;
let a: RecordV1;
let b: RecordV1;
let c: RecordV1;

function readRecords(r: TestRepo): RecordV1[] {
  return records(r).map((raw) => {
    const parsed = parseRecordLine(JSON.stringify(raw));
    if (!parsed.ok) throw new Error(parsed.detail);
    return parsed.record;
  });
}

// A chain as extraction hands it over: the final record and the attempts its provenance names.
function traceOf(final: RecordV1, recs: RecordV1[], drop: string[] = []): Trace {
  const byId = new Map(recs.filter((r) => !drop.includes(r.id)).map((r) => [r.id, r]));
  return {
    final,
    attempts: final.provenance.map((id) => ({ id, record: byId.get(id) ?? null, entry: final.history.find((h) => h.id === id) ?? null })),
    chainId: final.provenance[0] ?? final.id,
    chain: [...final.provenance, final.id],
  };
}

type Opts = { turns?: boolean; text?: boolean; artifact?: 'diff' | 'files'; redact?: RegExp[] };

async function linesOf(format: Format, trace: Trace, opts: Opts = {}) {
  const files = treeFiles(repo.dir);
  try {
    const f = createFormatter({ format, turns: opts.turns ?? false, text: opts.text ?? false, artifact: opts.artifact ?? 'diff', redact: opts.redact ?? [], readTreeFiles: files.readTreeFiles });
    const lines = (await f.lines(trace)) as any[];
    for (const l of lines) {
      const res = lineSchema(format, opts.text).safeParse(l);
      expect(res.success, `${format} line: ${JSON.stringify(res.error?.issues)}`).toBe(true);
    }
    return { lines, skipped: f.skipped };
  } finally {
    files.close();
  }
}

async function commit(message: string): Promise<void> {
  repo.git('add', '-A');
  await repo.commit(message);
}

beforeAll(async () => {
  await new Promise<void>((ready) => {
    finished = withGitRepo((r) => {
      repo = r;
      ready();
      return new Promise<void>((done) => (release = done));
    });
  });
  repo.installHook();
  repo.config(
    `guards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}${guardYaml('noisy', NOISY, '    layer: test\n')}` +
      `${guardYaml('size', 'test $(wc -c < src/a.js) -lt 400', '    layer: type\n')}${guardYaml('docs', 'true', '    layer: review\n    files: ["docs/**"]\n')}`,
  );
  repo.write('src/a.js', 'export const a = 1;\n');
  repo.write('src/old.js', 'old\n');
  await commit('init');
  repo.write('src/a.js', `export const a = 2; // TODO ${SECRET}\n`);
  await commit('first try');
  repo.write('src/a.js', 'export const a = 2; // TODO again\n// NOISY\n');
  await commit('second try');
  repo.write('src/a.js', 'export const a = 2;\n');
  repo.git('rm', '-q', 'src/old.js');
  repo.write('img.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]) as unknown as string);
  await commit('third try');
  all = readRecords(repo);
  expect(all.map((r) => r.status)).toEqual(['ACCEPTED', 'REJECTED', 'REJECTED', 'ACCEPTED']);
  [init, a, b, c] = all;
  expect(c.provenance).toEqual([a.id, b.id]);
});

afterAll(async () => {
  release?.();
  await finished;
});

describe('prompt-completion on a person’s chain', () => {
  it('system: the guards in force; user: no task, then each attempt’s failed guards in order with their output; completion: the accepted diff', async () => {
    const { lines } = await linesOf('prompt-completion', traceOf(c, all));
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(Object.keys(line)).toEqual(['prompt', 'completion', 'metadata']);
    expect(line.prompt.map((m: any) => m.role)).toEqual(['system', 'user']);
    expect(line.prompt[0].content).toBe(
      [CONSTRAINTS_INTRO, `- no-todo (lint): ${invariant('no-todo')}`, `- noisy (test): ${invariant('noisy')}`, `- size (type): ${invariant('size')}`, `- docs (review): ${invariant('docs')}`].join('\n'),
    );
    const user: string = line.prompt[1].content;
    expect(user.startsWith(`${TASK_UNRECORDED}\n\nAttempt 1 was rejected:\n`)).toBe(true);
    const expected = [
      'Attempt 1 was rejected:',
      `no-todo (lint): ${invariant('no-todo')}`,
      'It failed. Its output:',
      `src/a.js:1:export const a = 2; // TODO ${SECRET}`,
      '',
      'Attempt 2 was rejected:',
      `no-todo (lint): ${invariant('no-todo')}`,
      'It failed. Its output:',
      'src/a.js:1:export const a = 2; // TODO again',
      `noisy (test): ${invariant('noisy')}`,
      'It failed. Its output:',
    ].join('\n');
    expect(user).toContain(expected);
    // The long output keeps its last lines, after a line saying what was cut and where the rest is.
    const noisyTail = user.slice(user.indexOf(expected) + expected.length + 1).split('\n');
    expect(noisyTail[0]).toBe(`[guardloop: ${100 - FEEDBACK_TAIL_LINES} earlier line(s), ${'noisy line 1\n'.length * 9 + 'noisy line 10\n'.length * 51} character(s), of this output are not shown; see them with: guardloop show ${b.id}]`);
    expect(noisyTail.slice(1)).toEqual(Array.from({ length: FEEDBACK_TAIL_LINES }, (_, i) => `noisy line ${61 + i}`));
    expect(line.completion).toEqual([{ role: 'assistant', content: c.artifact.diff }]);
    expect(c.artifact.diff).toContain('deleted file mode');
  });

  it('metadata: the accepted record, its chain, rewards and guards with their layers (a skipped guard is not judged)', async () => {
    const [line] = (await linesOf('prompt-completion', traceOf(c, all))).lines;
    expect(line.metadata).toEqual({
      record_id: c.id,
      chain_id: a.id,
      chain: [a.id, b.id, c.id],
      source: 'HUMAN',
      agent: '',
      hook: 'pre-commit',
      retry: 2,
      reward: 1,
      reward_dense: 1,
      guards: [
        { id: 'no-todo', layer: 'lint', status: 'pass' },
        { id: 'noisy', layer: 'test', status: 'pass' },
        { id: 'size', layer: 'type', status: 'pass' },
        { id: 'docs', layer: 'review', status: 'skipped' },
      ],
      ts: c.ts,
      tree: c.tree,
      base: c.base,
      task: '',
      truncated: false,
      rejected_id: '',
    });
    const kto = (await linesOf('kto', traceOf(c, all))).lines;
    expect(kto.map((l: any) => l.metadata.reward_dense)).toEqual([2 / 3, 1 / 3, 1]);
  });

  it('a chain of one accepted attempt: a prompt with the task only', async () => {
    const { lines } = await linesOf('prompt-completion', traceOf(init, all));
    expect(lines[0].prompt[1].content).toBe(TASK_UNRECORDED);
    expect(lines[0].metadata).toMatchObject({ record_id: init.id, chain_id: init.id, chain: [init.id], retry: 0, base: '' });
  });

  it('feedback of an attempt ℛ no longer holds comes from the history entry its successor kept', async () => {
    const full = (await linesOf('prompt-completion', traceOf(c, all))).lines[0];
    const partial = (await linesOf('prompt-completion', traceOf(c, all, [a.id]))).lines[0];
    // History entries keep the same failed guards and (short) output, and the final's spec gives the invariant.
    expect(partial.prompt[1].content).toBe(full.prompt[1].content);
    // An entry's output past the history's budget stands as guardloop wrote it there; the tail cap holds.
    const gone = (await linesOf('prompt-completion', traceOf(c, all, [a.id, b.id]))).lines[0];
    expect(gone.prompt[1].content).toContain('noisy line 100');
    expect(gone.prompt[1].content).not.toContain('noisy line 60\n');
  });
});

describe('messages', () => {
  it('without --turns: [system, user, assistant], the same content as prompt-completion', async () => {
    const pc = (await linesOf('prompt-completion', traceOf(c, all))).lines[0];
    const { lines } = await linesOf('messages', traceOf(c, all));
    expect(Object.keys(lines[0])).toEqual(['messages', 'metadata']);
    expect(lines[0].messages).toEqual([...pc.prompt, ...pc.completion]);
    expect(lines[0].metadata).toEqual(pc.metadata);
  });

  it('--turns: the chain as turns, each attempt’s diff then its feedback; weight 0 on the attempts, 1 on the accepted diff', async () => {
    const pc = (await linesOf('prompt-completion', traceOf(c, all))).lines[0];
    const { lines } = await linesOf('messages', traceOf(c, all), { turns: true });
    const m = lines[0].messages;
    expect(m.map((x: any) => x.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(m.filter((x: any) => x.role === 'assistant').map((x: any) => x.weight)).toEqual([0, 0, 1]);
    expect(m[0]).toEqual(pc.prompt[0]);
    expect(m[1].content).toBe(TASK_UNRECORDED);
    expect(m[2].content).toBe(a.artifact.diff);
    expect(m[3].content).toMatch(/^Attempt 1 was rejected:\nno-todo \(lint\)/);
    expect(m[4].content).toBe(b.artifact.diff);
    expect(m[5].content).toMatch(/^Attempt 2 was rejected:\nno-todo \(lint\)/);
    expect(m[6].content).toBe(c.artifact.diff);
    // The feedback turns are the prompt's feedback paragraphs, in order.
    expect(pc.prompt[1].content).toBe([TASK_UNRECORDED, m[3].content, m[5].content].join('\n\n'));
  });

  it('--turns with an attempt ℛ no longer holds: its turn says so, weight 0', async () => {
    const m = (await linesOf('messages', traceOf(c, all, [a.id]), { turns: true })).lines[0].messages;
    expect(m[2]).toEqual({ role: 'assistant', content: `[guardloop: the change of this attempt is not in ℛ (record ${a.id}); only its feedback is known]`, weight: 0 });
  });

  it('the formatter refuses what it has not: a format, an artifact mode, files without a tree reader', () => {
    expect(() => createFormatter({ format: 'sharegpt' as Format })).toThrow("Unknown format 'sharegpt'. Use one of: prompt-completion, messages, dpo, kto, alpaca, raw");
    expect(() => createFormatter({ format: 'kto', artifact: 'blobs' as 'diff' })).toThrow("Unknown artifact 'blobs'");
    expect(() => createFormatter({ format: 'kto', artifact: 'files' })).toThrow('pass readTreeFiles');
  });

  it('--turns is for messages only', () => {
    expect(() => createFormatter({ format: 'dpo', turns: true, artifact: 'diff', redact: [], readTreeFiles: async () => new Map() })).toThrow(TURNS_NEED_MESSAGES);
  });
});

describe('dpo', () => {
  it('one pair per rejected attempt: the accepted prompt, chosen = the accepted diff, rejected = that attempt’s diff', async () => {
    const pc = (await linesOf('prompt-completion', traceOf(c, all))).lines[0];
    const { lines } = await linesOf('dpo', traceOf(c, all));
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['prompt', 'chosen', 'rejected', 'metadata']);
      expect(l.prompt).toEqual(pc.prompt);
      expect(l.chosen).toEqual([{ role: 'assistant', content: c.artifact.diff }]);
    }
    expect(lines.map((l: any) => l.rejected[0].content)).toEqual([a.artifact.diff, b.artifact.diff]);
    expect(lines.map((l: any) => l.metadata.rejected_id)).toEqual([a.id, b.id]);
    expect(lines[0].metadata).toEqual({ ...pc.metadata, rejected_id: a.id });
  });

  it('no pair for an attempt known only from history, nor for a chain without a rejected attempt (counted)', async () => {
    const partial = await linesOf('dpo', traceOf(c, all, [a.id]));
    expect(partial.lines.map((l: any) => l.metadata.rejected_id)).toEqual([b.id]);
    expect(partial.skipped).toEqual({ 'dpo-no-rejected-artifact': 1 });
    const single = await linesOf('dpo', traceOf(init, all));
    expect(single.lines).toEqual([]);
    expect(single.skipped).toEqual({ 'dpo-no-rejected-attempt': 1 });
  });
});

describe('kto', () => {
  it('a line per attempt and the final: the feedback before each, label per status', async () => {
    const { lines } = await linesOf('kto', traceOf(c, all));
    expect(lines.map((l: any) => Object.keys(l))).toEqual(Array(3).fill(['prompt', 'completion', 'label', 'metadata']));
    expect(lines.map((l: any) => l.label)).toEqual([false, false, true]);
    expect(lines.map((l: any) => l.metadata.record_id)).toEqual([a.id, b.id, c.id]);
    expect(lines.map((l: any) => l.metadata.reward)).toEqual([-1, -1, 1]);
    expect(lines.map((l: any) => l.completion[0].content)).toEqual([a.artifact.diff, b.artifact.diff, c.artifact.diff]);
    expect(lines[0].prompt[1].content).toBe(TASK_UNRECORDED);
    expect(lines[1].prompt[1].content).toMatch(/Attempt 1 was rejected/);
    expect(lines[1].prompt[1].content).not.toMatch(/Attempt 2/);
    const pc = (await linesOf('prompt-completion', traceOf(c, all))).lines[0];
    expect(lines[2].prompt).toEqual(pc.prompt);
    // Every line of a chain carries the whole chain.
    for (const l of lines) expect(l.metadata.chain).toEqual([a.id, b.id, c.id]);
  });

  it('a rejected final (an open or escalated chain under `all`): kto lines with label false, nothing for the positive formats', async () => {
    const trace = traceOf(b, all);
    const kto = await linesOf('kto', trace);
    expect(kto.lines.map((l: any) => [l.metadata.record_id, l.label])).toEqual([
      [a.id, false],
      [b.id, false],
    ]);
    for (const format of ['prompt-completion', 'messages', 'dpo'] as const) {
      const res = await linesOf(format, trace);
      expect(res.lines).toEqual([]);
      expect(res.skipped).toEqual({ 'rejected-final': 1 });
    }
    const escalated = await linesOf('prompt-completion', traceOf({ ...b, escalated: true }, all));
    expect(escalated.skipped).toEqual({ 'escalated-final': 1 });
  });

  it('an attempt known only from history has no artifact: no line (counted)', async () => {
    const res = await linesOf('kto', traceOf(c, all, [a.id]));
    expect(res.lines.map((l: any) => l.metadata.record_id)).toEqual([b.id, c.id]);
    expect(res.skipped).toEqual({ 'kto-no-artifact': 1 });
  });
});

describe('exclusions and raw', () => {
  it('raw: the chain’s records as ℛ holds them, oldest first', async () => {
    const { lines } = await linesOf('raw', traceOf(c, all));
    expect(lines).toEqual([a, b, c]);
    const partial = await linesOf('raw', traceOf(c, all, [b.id]));
    expect(partial.lines).toEqual([a, c]);
    expect(partial.skipped).toEqual({ 'raw-no-record': 1 });
  });

  it('a SKIPPED record is exported in no format; an approved change is never a positive', async () => {
    const skip: RecordV1 = { ...init, status: 'SKIPPED', reward: 0, hook: 'post-commit', verdicts: [] };
    for (const format of FORMATS) {
      const res = await linesOf(format, traceOf(skip, all));
      expect(res.lines).toEqual([]);
      expect(res.skipped).toEqual({ 'skipped-record': 1 });
    }
    const approved: RecordV1 = { ...c, approval: { by: 'Test User', paths: [{ path: '.loop/config.yaml', blob: null }] } };
    for (const format of ['prompt-completion', 'messages', 'dpo'] as const) expect((await linesOf(format, traceOf(approved, all))).skipped).toEqual({ 'approval-final': 1 });
    const kto = await linesOf('kto', traceOf(approved, all));
    expect(kto.lines.map((l: any) => l.label)).toEqual([false, false]);
    expect(kto.skipped).toEqual({ 'approval-final': 1 });
  });
});

describe('alpaca', () => {
  it('instruction: the constraints and the task; input: the feedback history; output: the accepted diff; the same metadata', async () => {
    const pc = (await linesOf('prompt-completion', traceOf(c, all))).lines[0];
    const { lines } = await linesOf('alpaca', traceOf(c, all));
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(Object.keys(line)).toEqual(['instruction', 'input', 'output', 'metadata']);
    expect(line.instruction).toBe(`${pc.prompt[0].content}\n\n${TASK_UNRECORDED}`);
    expect(line.input.startsWith('Attempt 1 was rejected:\nno-todo (lint)')).toBe(true);
    expect(line.input).toContain('\n\nAttempt 2 was rejected:\nno-todo (lint)');
    // The prompt's user turn is the task, then this feedback.
    expect(pc.prompt[1].content).toBe(`${TASK_UNRECORDED}\n\n${line.input}`);
    expect(line.output).toBe(c.artifact.diff);
    expect(line.metadata).toEqual(pc.metadata);
  });

  it('a first try has input ""; the exclusions of prompt-completion hold', async () => {
    const [first] = (await linesOf('alpaca', traceOf(init, all))).lines;
    expect(first.input).toBe('');
    expect(first.instruction.endsWith(`\n\n${TASK_UNRECORDED}`)).toBe(true);
    const rejected = await linesOf('alpaca', traceOf(b, all));
    expect(rejected).toEqual({ lines: [], skipped: { 'rejected-final': 1 } });
    expect((await linesOf('alpaca', traceOf({ ...b, escalated: true }, all))).skipped).toEqual({ 'escalated-final': 1 });
    const approved: RecordV1 = { ...c, approval: { by: 'Test User', paths: [{ path: '.loop/config.yaml', blob: null }] } };
    expect(await linesOf('alpaca', traceOf(approved, all))).toEqual({ lines: [], skipped: { 'approval-final': 1 } });
  });

  it('--turns and --text are not for alpaca', () => {
    expect(() => createFormatter({ format: 'alpaca', turns: true })).toThrow(TURNS_NEED_MESSAGES);
    expect(() => createFormatter({ format: 'alpaca', text: true })).toThrow(RangeError);
  });
});

describe('--text', () => {
  const promptString = (p: any[]) => `${p[0].content}\n\n${p[1].content}`;

  it('prompt-completion, dpo and kto: the same content as strings (system, a blank line, user)', async () => {
    const pc = (await linesOf('prompt-completion', traceOf(c, all))).lines[0];
    const [pcText] = (await linesOf('prompt-completion', traceOf(c, all), { text: true })).lines;
    expect(pcText).toEqual({ prompt: promptString(pc.prompt), completion: c.artifact.diff, metadata: pc.metadata });
    expect(pcText.prompt.startsWith(`${CONSTRAINTS_INTRO}\n`)).toBe(true);
    expect(pcText.prompt).toContain(`\n\n${TASK_UNRECORDED}\n\nAttempt 1 was rejected:`);

    const dpo = (await linesOf('dpo', traceOf(c, all))).lines;
    const dpoText = (await linesOf('dpo', traceOf(c, all), { text: true })).lines;
    expect(dpoText.map((l: any) => Object.keys(l))).toEqual(Array(2).fill(['prompt', 'chosen', 'rejected', 'metadata']));
    expect(dpoText).toEqual(dpo.map((l: any) => ({ prompt: promptString(l.prompt), chosen: l.chosen[0].content, rejected: l.rejected[0].content, metadata: l.metadata })));
    expect(dpoText.map((l: any) => l.rejected)).toEqual([a.artifact.diff, b.artifact.diff]);

    const kto = (await linesOf('kto', traceOf(c, all))).lines;
    const ktoText = (await linesOf('kto', traceOf(c, all), { text: true })).lines;
    expect(ktoText).toEqual(kto.map((l: any) => ({ prompt: promptString(l.prompt), completion: l.completion[0].content, label: l.label, metadata: l.metadata })));
    expect(ktoText.map((l: any) => l.label)).toEqual([false, false, true]);
  });

  it('messages: one "text", each turn as "<role>:\\n<content>" joined by blank lines; --turns: the whole chain in it', async () => {
    const pc = (await linesOf('prompt-completion', traceOf(c, all))).lines[0];
    const [m] = (await linesOf('messages', traceOf(c, all), { text: true })).lines;
    expect(Object.keys(m)).toEqual(['text', 'metadata']);
    expect(m.text).toBe(`system:\n${pc.prompt[0].content}\n\nuser:\n${pc.prompt[1].content}\n\nassistant:\n${c.artifact.diff}`);
    expect(m.metadata).toEqual(pc.metadata);
    const turns = (await linesOf('messages', traceOf(c, all), { turns: true })).lines[0].messages;
    const [t] = (await linesOf('messages', traceOf(c, all), { text: true, turns: true })).lines;
    expect(Object.keys(t)).toEqual(['text', 'metadata']);
    expect(t.text).toBe(turns.map((x: any) => `${x.role}:\n${x.content}`).join('\n\n'));
    expect(t.text).toContain(`\n\nassistant:\n${a.artifact.diff}\n\nuser:\nAttempt 1 was rejected:`);
  });

  it('no line mixes strings and lists: every top-level column but metadata is a string (a boolean for kto’s label)', async () => {
    for (const format of TEXT_FORMATS) {
      for (const opts of format === 'messages' ? [{ text: true }, { text: true, turns: true }] : [{ text: true }]) {
        for (const l of (await linesOf(format, traceOf(c, all), opts)).lines) {
          for (const [k, v] of Object.entries(l)) if (k !== 'metadata') expect(typeof v, `${format} ${k}`).toBe(k === 'label' ? 'boolean' : 'string');
        }
      }
    }
  });

  it('is refused with alpaca and raw, as other bad combinations are', () => {
    for (const format of ['alpaca', 'raw'] as const) {
      expect(() => createFormatter({ format, text: true })).toThrow(RangeError);
      expect(() => createFormatter({ format, text: true })).toThrow(textNeedsConversational(format));
      expect(() => lineSchema(format, true)).toThrow(RangeError);
    }
    expect(TEXT_FORMATS).toEqual(['prompt-completion', 'messages', 'dpo', 'kto']);
  });
});

describe('metadata.guards of a record no guard judged', () => {
  it('one placeholder, never []: id "", layer other, status skipped', async () => {
    const unjudged: RecordV1 = { ...init, verdicts: [] };
    for (const [format, opts] of [['prompt-completion', {}], ['alpaca', {}], ['kto', {}], ['messages', { text: true }]] as Array<[Format, Opts]>) {
      const { lines } = await linesOf(format, traceOf(unjudged, all), opts);
      expect(lines, format).toHaveLength(1);
      expect(lines[0].metadata.guards, format).toEqual([{ id: '', layer: 'other', status: 'skipped' }]);
      expect(lines[0].metadata.reward_dense).toBe(1);
    }
  });
});

describe('every format', () => {
  const ALL_WAYS: Array<[Format, Opts]> = [
    ['prompt-completion', {}],
    ['messages', {}],
    ['messages', { turns: true }],
    ['dpo', {}],
    ['kto', {}],
    ['alpaca', {}],
    ['prompt-completion', { artifact: 'files' }],
    ['dpo', { artifact: 'files' }],
    ['kto', { artifact: 'files' }],
    ['messages', { turns: true, artifact: 'files' }],
    ['alpaca', { artifact: 'files' }],
    ['prompt-completion', { text: true }],
    ['messages', { text: true }],
    ['messages', { text: true, turns: true }],
    ['dpo', { text: true }],
    ['kto', { text: true }],
    ['kto', { text: true, artifact: 'files' }],
  ];

  const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

  it('metadata has the same keys, in the same order, with the same types, on every line of every format', async () => {
    const metas: any[] = [];
    const unjudged: RecordV1 = { ...init, verdicts: [] };
    for (const [format, opts] of ALL_WAYS) for (const t of [traceOf(c, all), traceOf(init, all), traceOf(c, all, [a.id]), traceOf(unjudged, all)]) metas.push(...(await linesOf(format, t, opts)).lines.map((l: any) => l.metadata));
    expect(metas.length).toBeGreaterThan(20);
    const keys = Object.keys(metas[0]);
    expect(keys).toEqual(['record_id', 'chain_id', 'chain', 'source', 'agent', 'hook', 'retry', 'reward', 'reward_dense', 'guards', 'ts', 'tree', 'base', 'task', 'truncated', 'rejected_id']);
    for (const m of metas) {
      expect(Object.keys(m)).toEqual(keys);
      for (const k of keys) {
        const kinds = new Set(metas.map((x) => kindOf(x[k])));
        expect(kinds.size, `${k}: ${[...kinds]}`).toBeLessThanOrEqual(1);
      }
      expect(Number.isInteger(m.retry) && Number.isInteger(m.reward)).toBe(true);
      // Never an empty list: a column empty on every line of datasets' first chunk is typed null.
      expect(m.guards.length).toBeGreaterThan(0);
      for (const g of m.guards) expect(Object.keys(g)).toEqual(['id', 'layer', 'status']);
    }
  });

  it('--redact leaves structural values alone (role, source, hook, layer, status, ts, label): every line still validates', async () => {
    const redact = [/system|user|assistant/, /HUMAN/, /pre-commit/, /lint|test|type|review|other/, /pass|skipped|fail|ACCEPTED|REJECTED/, /\d{4}-\d\d-\d\dT[\d:.]+Z/, /true|false/, new RegExp(a.id)];
    for (const [format, opts] of [...ALL_WAYS, ['raw', {}] as [Format, Opts]]) {
      // linesOf validates every line against its format's schema.
      const plain = (await linesOf(format, traceOf(c, all), opts)).lines;
      const { lines } = await linesOf(format, traceOf(c, all), { ...opts, redact });
      expect(lines, format).toHaveLength(plain.length);
      for (const [i, l] of lines.entries()) {
        const m = format === 'raw' ? l : l.metadata;
        const p = format === 'raw' ? plain[i] : plain[i].metadata;
        for (const k of ['source', 'hook', 'ts', 'status', 'label'] as const) expect(m[k], `${format} ${k}`).toEqual(p[k]);
        if (format !== 'raw') expect(m.guards.map((g: any) => [g.layer, g.status]), format).toEqual(p.guards.map((g: any) => [g.layer, g.status]));
        else expect(l.verdicts.map((v: any) => v.status)).toEqual(plain[i].verdicts.map((v: any) => v.status));
        for (const col of ['prompt', 'completion', 'messages', 'chosen', 'rejected'])
          if (Array.isArray(l[col])) expect(l[col].map((x: any) => x.role), `${format} ${col}`).toEqual(plain[i][col].map((x: any) => x.role));
        if ('label' in l) expect(l.label).toBe(plain[i].label);
      }
      // Ids are not structural: they stay maskable.
      expect(JSON.stringify(lines), format).not.toContain(a.id);
    }
  });

  it('the same trace gives byte-identical lines', async () => {
    for (const [format, opts] of [...ALL_WAYS, ['raw', {}] as [Format, Opts]]) {
      const once = JSON.stringify((await linesOf(format, traceOf(c, all), opts)).lines);
      const twice = JSON.stringify((await linesOf(format, traceOf(c, all), opts)).lines);
      expect(twice, format).toBe(once);
    }
  });

  it('--redact masks a pattern in every string: task, feedback, every artifact, metadata, raw records', async () => {
    const redact = [new RegExp(SECRET), new RegExp(a.id)];
    for (const [format, opts] of [...ALL_WAYS, ['raw', {}] as [Format, Opts]]) {
      const plain = JSON.stringify((await linesOf(format, traceOf(c, all), opts)).lines);
      expect(plain, format).toContain(SECRET);
      const { lines } = await linesOf(format, traceOf(c, all), { ...opts, redact });
      const text = JSON.stringify(lines);
      expect(text, format).not.toContain(SECRET);
      expect(text, format).not.toContain(a.id);
      expect(text, format).toContain('[REDACTED:config]');
    }
    const [pc] = (await linesOf('prompt-completion', traceOf(c, all), { redact })).lines;
    expect(pc.prompt[1].content).toContain('src/a.js:1:export const a = 2; // TODO [REDACTED:config]');
    expect(pc.metadata.chain_id).toBe('[REDACTED:config]');
    expect(pc.metadata.chain[0]).toBe('[REDACTED:config]');
    const [dpo] = (await linesOf('dpo', traceOf(c, all), { redact })).lines;
    expect(dpo.rejected[0].content).toContain('+export const a = 2; // TODO [REDACTED:config]');
    expect(dpo.metadata.rejected_id).toBe('[REDACTED:config]');
    const [raw] = (await linesOf('raw', traceOf(c, all), { redact })).lines;
    expect(raw.id).toBe('[REDACTED:config]');
    expect(raw.verdicts[0].feedback).toBe('src/a.js:1:export const a = 2; // TODO [REDACTED:config]\n');
  });
});

describe('--artifact files', () => {
  it('each changed file’s content after the change; a deleted file says so; a binary one is named, not inlined', async () => {
    const { lines } = await linesOf('prompt-completion', traceOf(c, all), { artifact: 'files' });
    expect(c.artifact.files).toEqual(['img.bin', 'src/a.js', 'src/old.js']);
    expect(lines[0].completion[0].content).toBe(`=== img.bin ===\n${binaryFile(8)}\n\n=== src/a.js ===\nexport const a = 2;\n\n=== src/old.js ===\n${FILE_DELETED}\n`);
    const dpo = (await linesOf('dpo', traceOf(c, all), { artifact: 'files' })).lines;
    expect(dpo.map((l: any) => l.rejected[0].content)).toEqual([`=== src/a.js ===\nexport const a = 2; // TODO ${SECRET}\n`, '=== src/a.js ===\nexport const a = 2; // TODO again\n// NOISY\n']);
  });

  it('the tree reader: content by path, null for a path the tree lacks, nested paths and paths with spaces', async () => {
    const files = treeFiles(repo.dir);
    try {
      const got = await files.readTreeFiles(c.tree, ['src/a.js', 'src/old.js', 'no/such/dir.txt', 'src', '.loop/config.yaml', 'src/a.js']);
      expect([...got.keys()]).toEqual(['src/a.js', 'src/old.js', 'no/such/dir.txt', 'src', '.loop/config.yaml']);
      expect(got.get('src/a.js')?.toString()).toBe('export const a = 2;\n');
      expect(got.get('src/old.js')).toBeNull();
      expect(got.get('no/such/dir.txt')).toBeNull();
      expect(got.get('src')).toBeNull();
      expect(got.get('.loop/config.yaml')?.toString()).toContain('no-todo');
      // Paths with spaces: the one the tree has, and one it lacks.
      const git = (args: string[], input: string) => execFileSync('git', args, { cwd: repo.dir, input, env: cleanEnv(), encoding: 'utf8' }).trim();
      const blob = git(['hash-object', '-w', '--stdin'], 'spaced\n');
      const sub = git(['mktree'], `100644 blob ${blob}\tc d.txt\n`);
      const spaced = git(['mktree'], `040000 tree ${sub}\ta b\n`);
      const got2 = await files.readTreeFiles(spaced, ['a b/c d.txt', 'a b/no such.txt', 'x y/z.txt']);
      expect(got2.get('a b/c d.txt')?.toString()).toBe('spaced\n');
      expect(got2.get('a b/no such.txt')).toBeNull();
      expect(got2.get('x y/z.txt')).toBeNull();
    } finally {
      files.close();
    }
  });

  it('the tree reader in a SHA-256 repository', () =>
    withGitRepo(async (r) => {
      reinitAsSha256(r);
      r.write('deep/er/f.txt', 'sha256 content\n');
      r.git('add', '-A');
      const tree = r.git('write-tree');
      expect(tree).toHaveLength(64);
      const files = treeFiles(r.dir);
      try {
        const got = await files.readTreeFiles(tree, ['deep/er/f.txt', 'deep/gone.txt']);
        expect(got.get('deep/er/f.txt')?.toString()).toBe('sha256 content\n');
        expect(got.get('deep/gone.txt')).toBeNull();
        await expect(files.readTreeFiles('0'.repeat(64), ['x'])).rejects.toMatchObject({ code: 'TREE_MISSING', data: { tree: '0'.repeat(64), record: null } });
      } finally {
        files.close();
      }
    }));

  it('a tree git no longer has: an error naming the record, its tree and the fix', async () => {
    // The rejected attempts' trees are referenced by no commit: gc prunes them.
    repo.git('gc', '-q', '--prune=now');
    const err = await linesOf('kto', traceOf(c, readRecords(repo)), { artifact: 'files' }).catch((e) => e);
    expect(err).toBeInstanceOf(TreeMissingError);
    expect(err).toMatchObject({ code: 'TREE_MISSING', exitCode: 1, data: { tree: a.tree, record: a.id } });
    expect(err.message).toContain(`The tree ${a.tree} of record ${a.id} is not in this repository`);
    expect(err.message).toContain('guardloop extract --artifact diff');
    // The diffs the records hold still export.
    expect((await linesOf('kto', traceOf(c, readRecords(repo)))).lines).toHaveLength(3);
  });
});

// Feedback tails are bounded in characters too (a single long line).
describe('feedback tail', () => {
  it('a one-line output past the character budget keeps its end', async () => {
    const long = 'x'.repeat(5000) + 'END';
    const trace = traceOf(c, all);
    const b2: RecordV1 = { ...b, verdicts: [{ guard: 'noisy', status: 'timeout', exit: null, ms: 1, feedback: long }] };
    trace.attempts[1] = { ...trace.attempts[1], record: b2 };
    const user: string = (await linesOf('prompt-completion', trace)).lines[0].prompt[1].content;
    const part = user.slice(user.indexOf('Attempt 2 was rejected:'));
    expect(part).toContain(`It timed out. Its output:\n[guardloop: 0 earlier line(s), ${5003 - FEEDBACK_TAIL_CHARS} character(s), of this output are not shown; see them with: guardloop show ${b.id}]\n`);
    expect(part.endsWith(`\n${'x'.repeat(FEEDBACK_TAIL_CHARS - 3)}END`)).toBe(true);
  });
});
