import type { RecordV1 } from '../store/record.js';
import type { ChainState } from './chain.js';

// What deciding a cache hit needs: ℛ's records of the tree, the guard set's hash, who produced the
// candidate, its open chain, and whether it touched protected paths.
export interface CacheInput {
  onTree: RecordV1[];
  setHash: string;
  source: 'HUMAN' | 'GENERATOR';
  // The commit the run is judged against.
  base?: string | null;
  chain: ChainState;
  touchesProtected: boolean;
}

// An agent's ACCEPTED judged against its turn's base (a guard not run because its inputs are the
// base's, or a failure the base had): it answers only an agent's run against that same base.
const judgedAgainstBase = (r: RecordV1) => r.verdicts.some((v) => v.baseline !== undefined);

// The ACCEPTED record that answers this run without running a guard, or null. Never for a candidate
// that touches protected paths, nor for an open agent chain: that one runs again so that its closing
// ACCEPTED record carries the chain.
export function cachedAcceptance({ onTree, setHash, source, base, chain, touchesProtected }: CacheInput): RecordV1 | null {
  const reusable = !touchesProtected && !(source === 'GENERATOR' && chain.retry > 0);
  if (!reusable) return null;
  return onTree.find((r) => r.status === 'ACCEPTED' && r.spec.guardSetHash === setHash && (!judgedAgainstBase(r) || (source === 'GENERATOR' && r.source === 'GENERATOR' && r.base === base))) ?? null;
}

// What deciding "nothing changed" needs: the run's hook and source, ℛ's records of the candidate
// tree, the turn's base commit and its tree, the candidate tree, the open chain, and whether the
// candidate touched protected paths.
export interface UnchangedInput {
  hook: string;
  source: 'HUMAN' | 'GENERATOR';
  onTree: RecordV1[];
  base: string | null;
  baseTree: string;
  tree: string;
  chain: ChainState;
  touchesProtected: boolean;
}

// An agent's stop whose candidate is a tree already ACCEPTED for its turn's base (a Q&A turn, a
// read-only subagent): the ACCEPTED record that answers it, else null. The candidate is the base's own
// tree and any guard run ACCEPTED that tree (the agent changed nothing), or it is a tree a person, or
// an agent's stop, ACCEPTED as a change from this same base. Never for an open chain (its closing
// record must carry the chain), nor for protected paths; approvals are not guard runs.
export function acceptedUnchanged(input: UnchangedInput): RecordV1 | null {
  if (input.hook !== 'stop' || input.source !== 'GENERATOR' || input.chain.retry > 0 || input.touchesProtected) return null;
  const same = input.tree === input.baseTree;
  for (let i = input.onTree.length - 1; i >= 0; i--) {
    const r = input.onTree[i];
    if (r.status !== 'ACCEPTED' || r.approval) continue;
    if (same || (r.base === input.base && (r.source === 'HUMAN' || r.hook === 'stop'))) return r;
  }
  return null;
}
