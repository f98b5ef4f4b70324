import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFormatter, FORMAT_SCHEMAS, FORMATS, type Format } from '../../src/learn/formats/index.js';
import type { Trace } from '../../src/learn/trace.js';
import { treeFiles } from '../../src/learn/tree-files.js';
import { parseRecordLine, type RecordV1 } from '../../src/store/record-schema.js';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, records, stopPayload, todoRepo } from '../agents/helpers.js';
import { claudeEarlierTurn, claudeTurn, jsonl } from '../agents/transcripts.js';

// The export formats on an agent's chain built through Claude Code's real stop hook: a stop the
// no-todo guard blocks, then one it lets through, with the person's prompt as the task.

const SECRET = 'SECRETWORD-42';
const TASK = `Add b() next to a(); the staging token is ${SECRET}.`;

function readRecords(repo: TestRepo): RecordV1[] {
  return records(repo).map((raw) => {
    const parsed = parseRecordLine(JSON.stringify(raw));
    if (!parsed.ok) throw new Error(parsed.detail);
    return parsed.record;
  });
}

function traceOf(final: RecordV1, recs: RecordV1[]): Trace {
  const byId = new Map(recs.map((r) => [r.id, r]));
  return {
    final,
    attempts: final.provenance.map((id) => ({ id, record: byId.get(id) ?? null, entry: final.history.find((h) => h.id === id) ?? null })),
    chainId: final.provenance[0] ?? final.id,
    chain: [...final.provenance, final.id],
  };
}

async function agentChain(repo: TestRepo): Promise<RecordV1[]> {
  todoRepo(repo);
  writeFileSync(join(repo.dir, '.git', 'transcript.jsonl'), jsonl([...claudeEarlierTurn(), ...claudeTurn(TASK)]));
  repo.write('src/b.js', `export const b = () => 2; // TODO ${SECRET}\n`);
  const blocked = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
  expect(JSON.parse(blocked.stdout).decision).toBe('block');
  repo.write('src/b.js', 'export const b = () => 2;\n');
  expect(await hook(repo, 'claude', stopPayload('claude', repo.dir, 1))).toMatchObject({ code: 0, stdout: '' });
  const recs = readRecords(repo);
  expect(recs.map((r) => [r.status, r.source, r.hook])).toEqual([
    ['REJECTED', 'GENERATOR', 'stop'],
    ['ACCEPTED', 'GENERATOR', 'stop'],
  ]);
  return recs;
}

async function linesOf(repo: TestRepo, format: Format, trace: Trace, opts: { turns?: boolean; artifact?: 'diff' | 'files'; redact?: RegExp[] } = {}) {
  const files = treeFiles(repo.dir);
  try {
    const f = createFormatter({ format, turns: opts.turns ?? false, artifact: opts.artifact ?? 'diff', redact: opts.redact ?? [], readTreeFiles: files.readTreeFiles });
    const lines = (await f.lines(trace)) as any[];
    for (const l of lines) expect(FORMAT_SCHEMAS[format].safeParse(l).success, format).toBe(true);
    return lines;
  } finally {
    files.close();
  }
}

describe('formats on an agent’s chain (Claude Code stop hook)', () => {
  it('the task from the transcript opens the prompt; the stop’s feedback follows; the accepted diff is the completion', () =>
    withGitRepo(async (repo) => {
      const [rejected, accepted] = await agentChain(repo);
      const trace = traceOf(accepted, [rejected, accepted]);
      const [pc] = await linesOf(repo, 'prompt-completion', trace);
      expect(pc.prompt[1].content).toBe(
        [
          `Task: ${TASK}`,
          '',
          'Attempt 1 was rejected:',
          'no-todo (lint): In this codebase, no-todo must never fail, because it causes broken builds.',
          'It failed. Its output:',
          `src/b.js:1:export const b = () => 2; // TODO ${SECRET}`,
        ].join('\n'),
      );
      expect(pc.completion[0].content).toBe(accepted.artifact.diff);
      expect(accepted.artifact.diff).toContain('+export const b = () => 2;\n');
      expect(pc.metadata).toMatchObject({ record_id: accepted.id, chain: [rejected.id, accepted.id], source: 'GENERATOR', agent: 'claude', hook: 'stop', retry: 1, task: TASK, reward: 1 });

      const [dpo] = await linesOf(repo, 'dpo', trace);
      expect(dpo.rejected[0].content).toBe(rejected.artifact.diff);
      expect(dpo.rejected[0].content).toContain(`// TODO ${SECRET}`);
      const kto = await linesOf(repo, 'kto', trace);
      expect(kto.map((l) => [l.label, l.metadata.record_id, l.metadata.task])).toEqual([
        [false, rejected.id, TASK],
        [true, accepted.id, TASK],
      ]);
      expect(kto[0].prompt[1].content).toBe(`Task: ${TASK}`);
      const [turns] = await linesOf(repo, 'messages', trace, { turns: true });
      expect(turns.messages.map((m: any) => [m.role, m.weight])).toEqual([
        ['system', undefined],
        ['user', undefined],
        ['assistant', 0],
        ['user', undefined],
        ['assistant', 1],
      ]);
      const [files] = await linesOf(repo, 'prompt-completion', trace, { artifact: 'files' });
      expect(files.completion[0].content).toBe('=== src/b.js ===\nexport const b = () => 2;\n');
    }));

  it('--redact masks the pattern in the task, the feedback, both artifacts and the metadata of every format', () =>
    withGitRepo(async (repo) => {
      const [rejected, accepted] = await agentChain(repo);
      const trace = traceOf(accepted, [rejected, accepted]);
      for (const format of FORMATS) {
        const text = JSON.stringify(await linesOf(repo, format, trace, { redact: [/SECRETWORD-\d+/] }));
        expect(text, format).not.toContain(SECRET);
        expect(text, format).toContain('[REDACTED:config]');
      }
      const [pc] = await linesOf(repo, 'prompt-completion', trace, { redact: [/SECRETWORD-\d+/] });
      expect(pc.prompt[1].content).toMatch(/^Task: Add b\(\) next to a\(\); the staging token is \[REDACTED:config\]\./);
      expect(pc.prompt[1].content).toContain('// TODO [REDACTED:config]');
      expect(pc.metadata.task).toBe('Add b() next to a(); the staging token is [REDACTED:config].');
      const [raw] = await linesOf(repo, 'raw', trace, { redact: [/SECRETWORD-\d+/] });
      expect(raw.spec.task).toBe(pc.metadata.task);
      expect(raw.artifact.diff).toContain('// TODO [REDACTED:config]');
    }));
});
