// The named policies of `guardloop extract --policy`: the common filters Φ, each a predicate over a
// chain's facts (ChainFacts) that `--where` is and-ed with.
import type { ChainFacts } from './trace.js';
import { closestWord } from '../config/did-you-mean.js';
import { PolicyError } from '../errors/policy-error.js';
import { invalidMinRetry, invalidPolicySince, POLICY_NEEDS_SINCE, unknownPolicy } from '../messages/where.js';

// The policies, the default (refinements) first.
export const POLICIES = ['refinements', 'successes', 'generator', 'human', 'high-value', 'recent', 'all'] as const;
export type Policy = (typeof POLICIES)[number];

// `high-value`'s threshold when `--min-retry` is not given.
export const DEFAULT_MIN_RETRY = 3;

// What the policies take from the command line: `--min-retry` (high-value; a number, or the option's
// text as typed, so an error can quote it) and `--since` as milliseconds since the epoch (recent; null
// or absent: not given).
export interface PolicyOptions {
  minRetry?: number | string;
  since?: number | null;
}

// The predicate of policy `name`. Throws PolicyError (exit 2) for an unknown name (with the nearest
// one), a `--min-retry` that is not a whole number ≥ 1, and `recent` without a valid `--since`.
export function policyPredicate(name: string, opts: PolicyOptions = {}): (f: ChainFacts) => boolean {
  if (!(POLICIES as readonly string[]).includes(name)) throw new PolicyError(unknownPolicy(name, POLICIES, closestWord(name, POLICIES)), name, null, POLICIES);
  const given = opts.minRetry ?? DEFAULT_MIN_RETRY;
  const minRetry = typeof given === 'string' ? (/^\s*\d+\s*$/.test(given) ? Number(given) : NaN) : given;
  if (!Number.isInteger(minRetry) || minRetry < 1) throw new PolicyError(invalidMinRetry(opts.minRetry), name, '--min-retry', POLICIES);
  const since = opts.since ?? null;
  if (since !== null && !Number.isFinite(since)) throw new PolicyError(invalidPolicySince(since), name, '--since', POLICIES);
  switch (name as Policy) {
    case 'refinements':
      return (f) => f.refinement;
    case 'successes':
      return (f) => f.status === 'ACCEPTED';
    case 'generator':
      return (f) => f.refinement && f.source === 'GENERATOR';
    case 'human':
      return (f) => f.refinement && f.source === 'HUMAN';
    case 'high-value':
      return (f) => f.refinement && f.retry >= minRetry;
    case 'recent': {
      if (since === null) throw new PolicyError(POLICY_NEEDS_SINCE, name, '--since', POLICIES);
      return (f) => f.refinement && f.ts >= since;
    }
    case 'all':
      return (f) => f.status === 'ACCEPTED' || f.status === 'REJECTED';
  }
}
