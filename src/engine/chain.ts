import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordV1 } from '../store/record.js';
import type { Repository } from '../store/types.js';

// Who a chain of attempts belongs to: a person on one base commit, or one agent session.
export interface ChainKey {
  source: 'HUMAN' | 'GENERATOR';
  base: string | null;
  agent: string | null;
  session: string | null;
}

export interface ChainState {
  // The rejected attempts so far, oldest first (ids), their feedback, and how many.
  provenance: string[];
  history: RecordV1['history'];
  retry: number;
  escalated: boolean;
}

const EMPTY: ChainState = { provenance: [], history: [], retry: 0, escalated: false };

function keyFile(commonDir: string, key: ChainKey): string {
  const material = key.source === 'GENERATOR' && key.session ? `G:${key.agent}:${key.session}` : `H:${key.source}:${key.base ?? 'unborn'}`;
  return join(commonDir, 'guardloop', 'chains', createHash('sha256').update(material).digest('hex').slice(0, 24));
}

// The open chain for a key: a local pointer to its newest REJECTED record, whose content
// (provenance, history, retry) is read back from ℛ, so the chain itself lives in ℛ.
export async function readChain(commonDir: string, key: ChainKey, repo: Repository): Promise<ChainState> {
  let pointer: { id: string; tree: string };
  try {
    pointer = JSON.parse(await readFile(keyFile(commonDir, key), 'utf8'));
  } catch {
    return EMPTY;
  }
  const last = (await repo.byTree(pointer.tree)).find((r) => r.id === pointer.id);
  if (!last || last.status !== 'REJECTED') return EMPTY;
  return {
    provenance: [...last.provenance, last.id],
    history: [...last.history, { id: last.id, status: last.status, verdicts: last.verdicts.filter((v) => v.status !== 'pass' && v.status !== 'skipped').map(({ guard, status, feedback }) => ({ guard, status, feedback })) }],
    retry: last.retry + 1,
    escalated: Boolean(last.escalated),
  };
}

// Moves the chain's pointer after a run: a rejection extends it, an acceptance closes it.
export async function advanceChain(commonDir: string, key: ChainKey, record: RecordV1): Promise<void> {
  const file = keyFile(commonDir, key);
  if (record.status === 'ACCEPTED' || record.escalated) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(join(commonDir, 'guardloop', 'chains'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ id: record.id, tree: record.tree }));
  await rename(tmp, file);
}
