import { join } from 'node:path';
import type { RepoInfo } from '../git/repo.js';
import { notRecorded } from '../messages/agents.js';
import { chainNotUpdated } from '../messages/run.js';
import type { RecordV1 } from '../store/record.js';
import type { Repository } from '../store/types.js';
import { advanceChain, type ChainKey, type ChainState } from './chain.js';
import { noteUnrecorded } from './unrecorded.js';

// What persisting a run needs: the record, and the chain it extends or closes.
export interface PersistInput {
  repo: RepoInfo;
  repository: Repository;
  key: ChainKey;
  record: RecordV1;
  chain: ChainState;
}

const firstLine = (e: unknown) => (e as Error).message.split('\n')[0];

// Writes the record, then moves the chain whether or not the record could be written: the attempt
// count and escalation (the brake of an agent's loop) never depend on ℛ being writable. Housekeeping
// problems after a safe write come back as warnings.
export async function persist({ repo, repository, key, record, chain }: PersistInput): Promise<{ recorded: boolean; warnings: string[] }> {
  const warnings: string[] = [];
  let recorded = true;
  try {
    warnings.push(...(await repository.append([record], { prepared: true })).warnings);
  } catch (e) {
    recorded = false;
    warnings.push(notRecorded(firstLine(e), record.source === 'GENERATOR'));
    await noteUnrecorded(repo.commonDir, { ts: record.ts, id: record.id, tree: record.tree, status: record.status, error: firstLine(e) }).catch(() => undefined);
  }
  try {
    await advanceChain(repo.commonDir, key, record, chain, recorded);
  } catch (e) {
    warnings.push(chainNotUpdated((e as Error).message, join(repo.commonDir, 'guardloop', 'chains')));
  }
  return { recorded, warnings };
}
