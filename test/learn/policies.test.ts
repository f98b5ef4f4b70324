import { describe, expect, it } from 'vitest';
import type { ChainFacts } from '../../src/learn/trace.js';
import { DEFAULT_MIN_RETRY, POLICIES, policyPredicate } from '../../src/learn/policies.js';
import { parseWhere } from '../../src/learn/where.js';
import { GuardloopError } from '../../src/errors/guardloop-error.js';
import { PolicyError } from '../../src/errors/policy-error.js';
import { POLICY_NEEDS_SINCE } from '../../src/messages/where.js';

// The named policies of `guardloop extract --policy`, each judged on a fixed set of chains' facts.
const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const DAY = 86_400_000;

function facts(over: Partial<ChainFacts> = {}): ChainFacts {
  return { status: 'ACCEPTED', source: 'GENERATOR', agent: 'claude-code', hook: 'stop', retry: 1, ts: NOW, guards: ['tsc'], layers: ['type'], refinement: true, ...over };
}

// One chain of each kind a policy tells apart.
const CHAINS: Record<string, ChainFacts> = {
  agentFix: facts({ source: 'GENERATOR', retry: 1 }),
  agentLongFix: facts({ source: 'GENERATOR', retry: 4, ts: NOW - 10 * DAY }),
  humanFix: facts({ source: 'HUMAN', agent: null, hook: 'pre-commit', retry: 3, ts: NOW - 2 * DAY }),
  ciFix: facts({ source: 'CI', agent: null, hook: 'ci', retry: 2 }),
  firstTry: facts({ refinement: false, retry: 0, guards: [], layers: [] }),
  humanFirstTry: facts({ refinement: false, source: 'HUMAN', agent: null, hook: 'pre-commit', retry: 0, guards: [], layers: [] }),
  rejected: facts({ status: 'REJECTED', refinement: false, retry: 5 }),
  skipped: facts({ status: 'SKIPPED', refinement: false, retry: 0, hook: 'post-commit', guards: [], layers: [] }),
};

function kept(predicate: (f: ChainFacts) => boolean): string[] {
  return Object.entries(CHAINS)
    .filter(([, f]) => predicate(f))
    .map(([name]) => name);
}

function policyError(name: string, opts?: Parameters<typeof policyPredicate>[1]): PolicyError {
  try {
    policyPredicate(name, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return e as PolicyError;
  }
  throw new Error(`expected policy ${name} to be refused`);
}

describe('policies', () => {
  it('are the seven the CLI offers, refinements first (the default)', () => {
    expect([...POLICIES]).toEqual(['refinements', 'successes', 'generator', 'human', 'high-value', 'recent', 'all']);
  });

  it('refinements: ACCEPTED after at least one REJECTED attempt, from any source', () => {
    expect(kept(policyPredicate('refinements'))).toEqual(['agentFix', 'agentLongFix', 'humanFix', 'ciFix']);
  });

  it('successes: every ACCEPTED chain, first tries included', () => {
    expect(kept(policyPredicate('successes'))).toEqual(['agentFix', 'agentLongFix', 'humanFix', 'ciFix', 'firstTry', 'humanFirstTry']);
  });

  it('generator: refinements by agents only (not people, not CI)', () => {
    expect(kept(policyPredicate('generator'))).toEqual(['agentFix', 'agentLongFix']);
  });

  it('human: refinements by people only (not agents, not CI)', () => {
    expect(kept(policyPredicate('human'))).toEqual(['humanFix']);
  });

  it(`high-value: refinements with retry >= --min-retry, ${DEFAULT_MIN_RETRY} by default`, () => {
    expect(DEFAULT_MIN_RETRY).toBe(3);
    expect(kept(policyPredicate('high-value'))).toEqual(['agentLongFix', 'humanFix']);
    expect(kept(policyPredicate('high-value', { minRetry: 4 }))).toEqual(['agentLongFix']);
    expect(kept(policyPredicate('high-value', { minRetry: 1 }))).toEqual(['agentFix', 'agentLongFix', 'humanFix', 'ciFix']);
    // the rejected chain has retry 5 but is no refinement
    expect(kept(policyPredicate('high-value', { minRetry: 5 }))).toEqual([]);
  });

  it('recent: refinements recorded at or after --since', () => {
    expect(kept(policyPredicate('recent', { since: NOW - 3 * DAY }))).toEqual(['agentFix', 'humanFix', 'ciFix']);
    expect(kept(policyPredicate('recent', { since: NOW - 2 * DAY }))).toEqual(['agentFix', 'humanFix', 'ciFix']);
    expect(kept(policyPredicate('recent', { since: NOW - 2 * DAY + 1 }))).toEqual(['agentFix', 'ciFix']);
    expect(kept(policyPredicate('recent', { since: NOW + 1 }))).toEqual([]);
  });

  it('all: every ACCEPTED and REJECTED chain, never a SKIPPED record', () => {
    expect(kept(policyPredicate('all'))).toEqual(['agentFix', 'agentLongFix', 'humanFix', 'ciFix', 'firstTry', 'humanFirstTry', 'rejected']);
  });

  it('combine with --where by and', () => {
    const policy = policyPredicate('refinements');
    const where = parseWhere('not source=CI and not guard=lint', NOW);
    const both = (f: ChainFacts) => policy(f) && where(f);
    const withLint: Record<string, ChainFacts> = { ...CHAINS, agentLint: facts({ guards: ['tsc', 'lint'], layers: ['type', 'lint'] }) };
    expect(Object.keys(withLint).filter((k) => both(withLint[k]))).toEqual(['agentFix', 'agentLongFix', 'humanFix']);
  });

  it('--since and --min-retry are read only by the policies that use them', () => {
    expect(kept(policyPredicate('refinements', { since: NOW + DAY, minRetry: 10 }))).toEqual(kept(policyPredicate('refinements')));
    expect(kept(policyPredicate('recent', { since: NOW - 3 * DAY, minRetry: 10 }))).toEqual(['agentFix', 'humanFix', 'ciFix']);
  });
});

describe('policy errors are usage errors (PolicyError, POLICY_INVALID, exit 2)', () => {
  it('an unknown policy names the policies and the nearest one', () => {
    const e = policyError('refinement');
    expect(e).toBeInstanceOf(GuardloopError);
    expect(e.code).toBe('POLICY_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.name).toBe('PolicyError');
    expect(e.data).toEqual({ policy: 'refinement', option: null, known: POLICIES });
    expect(e.message).toContain('--policy expects one of refinements, successes, generator, human, high-value, recent, all');
    expect(e.message).toContain("got 'refinement'");
    expect(e.message).toContain('Did you mean refinements? Run: guardloop extract --policy refinements');
    expect(policyError('highvalue').message).toContain('Did you mean high-value?');
    const far = policyError('everything');
    expect(far.message).not.toContain('Did you mean');
    expect(far.message).toContain('Example: guardloop extract --policy refinements');
  });

  it('recent without --since names --since and how to give it', () => {
    for (const opts of [undefined, {}, { since: null }]) {
      const e = policyError('recent', opts);
      expect(e.data).toEqual({ policy: 'recent', option: '--since', known: POLICIES });
      expect(e.message).toBe(POLICY_NEEDS_SINCE);
      expect(e.message).toContain('guardloop extract --policy recent --since 7d');
    }
  });

  it('a --since that is no time', () => {
    const e = policyError('recent', { since: Number.NaN });
    expect(e.data.option).toBe('--since');
    expect(e.message).toContain("--since expects a date such as 2026-01-31");
  });

  it('a --min-retry that is not a whole number of at least 1', () => {
    for (const minRetry of [0, -1, 2.5, Number.NaN]) {
      const e = policyError('high-value', { minRetry });
      expect(e.data).toEqual({ policy: 'high-value', option: '--min-retry', known: POLICIES });
      expect(e.message).toContain(`--min-retry expects a whole number of 1 or more`);
      expect(e.message).toContain(`got '${minRetry}'`);
    }
    // as typed on the command line: a whole number in text is taken, anything else quoted back
    expect(kept(policyPredicate('high-value', { minRetry: '4' }))).toEqual(['agentLongFix']);
    for (const typed of ['three', '0', '', '2.5', '-1']) {
      const e = policyError('high-value', { minRetry: typed });
      expect(e.data.option).toBe('--min-retry');
      expect(e.message).toContain(`got '${typed}'`);
    }
  });
});
