import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceChain, HISTORY_FEEDBACK_BYTES, HISTORY_TOTAL_BYTES, historyEntry, readChain, type ChainState } from '../../src/engine/chain.js';
import type { RecordV1 } from '../../src/store/record.js';

function rejected(id: string, outputs: string[], prev: ChainState): RecordV1 {
  return {
    v: 1, id, ts: '2026-12-01T00:00:00.000Z', hook: 'pre-commit', source: 'HUMAN', agent: null, session: null, base: null, tree: 't'.repeat(40), status: 'REJECTED', reward: -1,
    spec: { configHash: 'c', guardSetHash: 'g', guards: [], task: null }, artifact: { diff: '', files: [], truncated: false },
    verdicts: outputs.map((feedback, i) => ({ guard: `g${i}`, status: 'fail', exit: 1, ms: 1, feedback })),
    history: prev.history, provenance: prev.provenance, retry: prev.retry,
  };
}

describe('history in records stays bounded', () => {
  it('an entry keeps at most HISTORY_FEEDBACK_BYTES as stored (JSON-escaped UTF-8), even for output that escapes badly', () => {
    const ugly = '\u0001"€'.repeat(20_000);
    const entry = historyEntry(rejected('r1', [ugly], { provenance: [], history: [], retry: 0, escalated: false, unrecorded: [] }));
    const bytes = Buffer.byteLength(JSON.stringify(entry.verdicts[0].feedback));
    expect(bytes).toBeLessThan(HISTORY_FEEDBACK_BYTES + 120);
    expect(entry.verdicts[0].feedback).toContain('earlier characters are in record r1');
  });

  it('a 30-attempt chain of 3 noisy guards: the history keeps every id and guard, and at most HISTORY_TOTAL_BYTES of feedback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-chain-'));
    try {
      const key = { source: 'HUMAN' as const, base: null, agent: null, session: null };
      let state: ChainState = { provenance: [], history: [], retry: 0, escalated: false, unrecorded: [] };
      for (let i = 0; i < 30; i++) {
        const rec = rejected(`r${i}`, ['x'.repeat(20_000), 'y'.repeat(20_000), 'z'.repeat(20_000)], state);
        await advanceChain(dir, key, rec, state, true);
        state = await readChain(dir, key, null as never);
      }
      expect(state.provenance).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`));
      expect(state.history.map((h) => h.id)).toEqual(state.provenance);
      for (const h of state.history) expect(h.verdicts.map((v) => v.guard)).toEqual(['g0', 'g1', 'g2']);
      expect(Buffer.byteLength(JSON.stringify(state.history))).toBeLessThan(HISTORY_TOTAL_BYTES + 30 * 400);
      // The newest attempt keeps the tail of its feedback; the oldest point at their own records.
      expect(state.history[29].verdicts[0].feedback).toContain('xxxx');
      expect(state.history[0].verdicts[0].feedback).toBe('[guardloop: in record r0]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
