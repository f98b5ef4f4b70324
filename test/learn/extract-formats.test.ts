import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/learn/formats/index.js';
import { TASK_UNRECORDED } from '../../src/messages/learn.js';
import { extractCli, metadataShape, sharedChains, TASK, validate } from './extract-helpers.js';

// Each format on the chains the real hooks made (test/learn/extract-helpers.ts): content checked
// against the records themselves — the task, every feedback line in order, the accepted diff, the
// rejected diff of each DPO pair, KTO's labels — every line valid against its schema, and the
// metadata the same keys and types on every line of every format.

const fixture = sharedChains();
beforeAll(fixture.setUp, 240_000);
afterAll(fixture.tearDown);

describe('guardloop extract: the formats', () => {
  it('prompt-completion (the default): one line per refinement, oldest first; the task, each rejected attempt and its feedback in order, the accepted diff', async () => {
    const { repo, chains: c } = fixture.get();
    const res = await extractCli(repo, []);
    expect(res.code, res.stderr).toBe(0);
    validate('prompt-completion', res.lines);
    expect(res.lines.map((l) => l.metadata.record_id)).toEqual([c.h3.id, c.a2.id, c.r2.id]);
    const [human, agent] = res.lines;
    expect(human.metadata).toMatchObject({ chain_id: c.h1.id, chain: [c.h1.id, c.h2.id, c.h3.id], source: 'HUMAN', agent: '', hook: 'pre-commit', retry: 2, reward: 1, task: '', rejected_id: '' });
    expect(agent.metadata).toMatchObject({ chain_id: c.a1.id, chain: [c.a1.id, c.a2.id], source: 'GENERATOR', agent: 'claude', hook: 'stop', retry: 1, reward: 1, task: TASK });
    // system: the guards in force.
    for (const l of res.lines) for (const g of ['no-todo (lint)', 'no-fixme (review)']) expect(l.prompt[0].content).toContain(g);
    // user: the task, then each attempt with its failed guards and their output, in order.
    const user = human.prompt[1].content as string;
    expect(user.startsWith(TASK_UNRECORDED)).toBe(true);
    const order = ['Attempt 1 was rejected:', 'no-todo (lint)', 'src/a.js:1:export const a = () => 1; // TODO: one', 'Attempt 2 was rejected:', 'no-todo (lint)', 'no-fixme (review)', 'src/a.js:2:// FIXME: two'];
    let at = 0;
    for (const part of order) {
      const i = user.indexOf(part, at);
      expect(i, `"${part}" after position ${at}`).toBeGreaterThanOrEqual(0);
      at = i + part.length;
    }
    expect(user).not.toContain('Attempt 3');
    expect(agent.prompt[1].content.startsWith(`Task: ${TASK}`)).toBe(true);
    expect(agent.prompt[1].content).toContain('src/b.js:1:export const b = () => 2; // TODO: agent');
    // assistant: the accepted change.
    expect(human.completion).toEqual([{ role: 'assistant', content: c.h3.artifact.diff }]);
    expect(agent.completion).toEqual([{ role: 'assistant', content: c.a2.artifact.diff }]);
    expect(c.h3.artifact.diff).toContain('+export const a = () => 2;');
  });

  it('messages: the same content as one conversation; --turns: each attempt and its feedback as turns, earlier attempts weight 0', async () => {
    const { repo, chains: c } = fixture.get();
    const pc = (await extractCli(repo, [])).lines;
    const res = await extractCli(repo, ['--format', 'messages']);
    expect(res.code, res.stderr).toBe(0);
    validate('messages', res.lines);
    expect(res.lines.map((l) => l.messages)).toEqual(pc.map((l) => [...l.prompt, ...l.completion]));
    const turns = await extractCli(repo, ['--format', 'messages', '--turns']);
    expect(turns.code, turns.stderr).toBe(0);
    validate('messages', turns.lines);
    const human = turns.lines[0].messages;
    expect(human.map((m: { role: string; weight?: number }) => `${m.role}${m.weight ?? ''}`)).toEqual(['system', 'user', 'assistant0', 'user', 'assistant0', 'user', 'assistant1']);
    expect(human[2].content).toBe(c.h1.artifact.diff);
    expect(human[3].content).toContain('src/a.js:1:export const a = () => 1; // TODO: one');
    expect(human[4].content).toBe(c.h2.artifact.diff);
    expect(human[5].content).toContain('// FIXME: two');
    expect(human[6].content).toBe(c.h3.artifact.diff);
  });

  it('dpo: one pair per rejected attempt, chosen the accepted diff, rejected that attempt\'s diff, the prompt that of prompt-completion', async () => {
    const { repo, chains: c } = fixture.get();
    const pc = (await extractCli(repo, [])).lines;
    const res = await extractCli(repo, ['--format', 'dpo']);
    expect(res.code, res.stderr).toBe(0);
    validate('dpo', res.lines);
    expect(res.lines.map((l) => [l.metadata.record_id, l.metadata.rejected_id])).toEqual([
      [c.h3.id, c.h1.id],
      [c.h3.id, c.h2.id],
      [c.a2.id, c.a1.id],
      [c.r2.id, c.r1.id],
    ]);
    const diffs = new Map([c.h1, c.h2, c.a1, c.r1].map((r) => [r.id, r.artifact.diff]));
    // The attempt that failed protected-paths is a rejected side like any other: its diff is the .loop/config.yaml edit.
    expect(res.lines[3].rejected[0].content).toContain('+# edited by the agent');
    for (const l of res.lines) {
      expect(l.rejected).toEqual([{ role: 'assistant', content: diffs.get(l.metadata.rejected_id) }]);
      expect(l.chosen).toEqual(pc.find((p) => p.metadata.record_id === l.metadata.record_id).completion);
      expect(l.prompt).toEqual(pc.find((p) => p.metadata.record_id === l.metadata.record_id).prompt);
    }
  });

  it('kto: every attempt and the final, label a boolean (false for each rejection), each prompt with the feedback before it only', async () => {
    const { repo, chains: c } = fixture.get();
    const res = await extractCli(repo, ['--format', 'kto']);
    expect(res.code, res.stderr).toBe(0);
    validate('kto', res.lines);
    expect(res.lines.map((l) => [l.metadata.record_id, l.label])).toEqual([
      [c.h1.id, false],
      [c.h2.id, false],
      [c.h3.id, true],
      [c.a1.id, false],
      [c.a2.id, true],
      [c.r1.id, false],
      [c.r2.id, true],
    ]);
    expect(res.lines.map((l) => (l.prompt[1].content.match(/Attempt \d+ was rejected/g) ?? []).length)).toEqual([0, 1, 2, 0, 1, 0, 1]);
    expect(res.lines.map((l) => l.metadata.reward)).toEqual([-1, -1, 1, -1, 1, -1, 1]);
    expect(res.lines[6].prompt[1].content).toContain('protected-paths (review)');
    expect(res.lines[1].completion[0].content).toBe(c.h2.artifact.diff);
  });

  it('raw: the records of each chain as ℛ holds them, oldest first', async () => {
    const { repo, chains: c } = fixture.get();
    const res = await extractCli(repo, ['--format', 'raw']);
    expect(res.code, res.stderr).toBe(0);
    validate('raw', res.lines);
    expect(res.lines).toEqual([c.h1, c.h2, c.h3, c.a1, c.a2, c.r1, c.r2]);
  });

  it('--artifact files: the changed files after the change, read from each record\'s tree', async () => {
    const { repo } = fixture.get();
    const res = await extractCli(repo, ['--artifact', 'files']);
    expect(res.code, res.stderr).toBe(0);
    validate('prompt-completion', res.lines);
    expect(res.lines[0].completion[0].content).toContain('export const a = () => 2;');
    expect(res.lines[0].completion[0].content).toContain('src/a.js');
    expect(res.lines[0].completion[0].content).not.toContain('@@');
  });

  it('metadata: the same keys with the same types on every line of every format', async () => {
    const { repo } = fixture.get();
    const shapes = new Set<string>();
    for (const format of FORMATS.filter((f) => f !== 'raw')) {
      for (const args of [['--format', format], ['--format', format, '--policy', 'all']]) {
        const res = await extractCli(repo, args);
        expect(res.code, res.stderr).toBe(0);
        expect(res.lines.length).toBeGreaterThan(0);
        for (const l of res.lines) shapes.add(metadataShape(l));
      }
    }
    expect([...shapes]).toHaveLength(1);
    expect([...shapes][0].split(',').map((k) => k.split(':')[0])).toEqual(['agent', 'base', 'chain', 'chain_id', 'guards', 'hook', 'record_id', 'rejected_id', 'retry', 'reward', 'reward_dense', 'source', 'task', 'tree', 'truncated', 'ts']);
  });
});
