import type { RecordV1 } from '../store/record.js';
import type { ChainState } from './chain.js';

// What deciding a cache hit needs: ℛ's records of the tree, the guard set's hash, who produced the
// candidate, its open chain, and whether it touched protected paths.
export interface CacheInput {
  onTree: RecordV1[];
  setHash: string;
  source: 'HUMAN' | 'GENERATOR';
  chain: ChainState;
  touchesProtected: boolean;
}

// The ACCEPTED record that answers this run without running a guard, or null. Never for a candidate
// that touches protected paths, nor for an open agent chain: that one runs again so that its closing
// ACCEPTED record carries the chain.
export function cachedAcceptance({ onTree, setHash, source, chain, touchesProtected }: CacheInput): RecordV1 | null {
  const reusable = !touchesProtected && !(source === 'GENERATOR' && chain.retry > 0);
  if (!reusable) return null;
  return onTree.find((r) => r.status === 'ACCEPTED' && r.spec.guardSetHash === setHash) ?? null;
}
