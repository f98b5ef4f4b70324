// Which records vouch for a commit. ℛ keys records by tree, but a verdict is on a change: the tree
// judged against a base. A record vouches for commit C (tree T, first parent P) only when it is an
// ACCEPTED verdict on T from a hook that judges commits (pre-commit, an agent's stop, `run` of every
// guard, verify, ci) and its base covers C's change: the base is P, none (judged against the empty
// tree), an ancestor of P (the judged change includes C's), or itself a commit ℛ vouches for (an
// amend or squash made after a checked commit: P..base and base..T were both judged). So an amend
// or fixup of a `--no-verify` commit doesn't turn the unchecked change into a checked one.
import { gitRaw } from '../git/git.js';
import type { RecordV1 } from '../store/record.js';

// The hooks whose ACCEPTED verdict is a verdict on a commit's content (a pre-push run judges the
// pre-push guards only; `manual` a chosen few).
const VOUCHING_HOOKS: ReadonlySet<string> = new Set(['pre-commit', 'stop', 'run', 'verify', 'ci']);
// How far an amend of an amend of … is followed back before giving up (each step is one git process).
const MAX_DEPTH = 8;

// What vouching reads: the records of trees, in one batch.
export interface RecordSource {
  byTrees(trees: string[]): Promise<Map<string, RecordV1[]>>;
}

// An agent's ACCEPTED whose guards failed on the tree, only as its turn's base already did (`tolerated`):
// a verdict on the change relative to that base, not on the commit's content, so it vouches for nothing.
export function toleratedAcceptance(r: RecordV1): boolean {
  return r.status === 'ACCEPTED' && r.verdicts.some((v) => v.tolerated === true);
}

// A record that judged the commits' content, ACCEPTED or not (`verify`/`ci` re-runs included).
export function judgesCommits(r: RecordV1): boolean {
  return VOUCHING_HOOKS.has(r.hook) && r.status !== 'SKIPPED' && !toleratedAcceptance(r);
}

// Whether a re-run of the guards (verify, ci) wrote this record: such a verdict outranks the others.
export function isRerun(r: RecordV1): boolean {
  return r.hook === 'verify' || r.hook === 'ci';
}

// The latest of some records by their time (then id: every clone orders a merged note alike).
export function latest(records: RecordV1[]): RecordV1 | undefined {
  return [...records].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id < b.id ? -1 : 1)).at(-1);
}

// The record ℛ's trust in one commit rests on, among the records that cover it (`covered`): the
// latest re-run when there is one (a forged or nondeterministic ACCEPTED that a re-run failed to
// reproduce is trusted no more), otherwise any ACCEPTED one.
export function trustAmong(covered: RecordV1[]): RecordV1 | null {
  const reruns = covered.filter(isRerun);
  if (reruns.length) {
    const last = latest(reruns)!;
    return last.status === 'ACCEPTED' ? last : null;
  }
  return latest(covered.filter((r) => r.status === 'ACCEPTED')) ?? null;
}

// Answers "which of these records cover this commit" for many commits, with the ancestry and the
// base commits' own trust looked up once each.
export class Vouching {
  private readonly ancestry = new Map<string, Promise<boolean>>();
  private readonly trusted = new Map<string, Promise<boolean>>();

  constructor(
    private readonly cwd: string,
    private readonly store: RecordSource,
  ) {}

  // The records on `tree` that judged commit content against a base covering the commit's change.
  // `within`: the commits whose trust is being decided up the call chain (a record on X's own tree
  // judged against X, e.g. `guardloop run` on a clean tree after committing X, must not make X's
  // trust wait on itself: such a base counts as not covering).
  async covering(commit: { tree: string; parent: string | null }, records: RecordV1[], depth = 0, within: ReadonlySet<string> = new Set()): Promise<RecordV1[]> {
    const out: RecordV1[] = [];
    for (const r of records) if (r.tree === commit.tree && judgesCommits(r) && (await this.covers(r.base, commit.parent, depth, within))) out.push(r);
    return out;
  }

  private async covers(base: string | null, parent: string | null, depth: number, within: ReadonlySet<string>): Promise<boolean> {
    if (base === null || base === parent) return true;
    if (parent && (await this.isAncestor(base, parent))) return true;
    if (depth >= MAX_DEPTH || within.has(base)) return false;
    return this.isTrusted(base, depth + 1, within);
  }

  private isAncestor(base: string, parent: string): Promise<boolean> {
    const key = `${base} ${parent}`;
    let p = this.ancestry.get(key);
    if (!p) {
      p = gitRaw(['merge-base', '--is-ancestor', base, parent], { cwd: this.cwd, okCodes: [1, 128] }).then((r) => r.code === 0);
      this.ancestry.set(key, p);
    }
    return p;
  }

  // Whether ℛ vouches for `commit` itself (a base an amend or squash was judged against).
  private isTrusted(commit: string, depth: number, within: ReadonlySet<string>): Promise<boolean> {
    // Memoized only at the top of a chain: inside one, the answer depends on `within`.
    let p = within.size ? undefined : this.trusted.get(commit);
    if (!p) {
      const inner = new Set([...within, commit]);
      p = (async () => {
        const shown = await gitRaw(['log', '-1', '--format=%T%x00%P', commit, '--'], { cwd: this.cwd, okCodes: [128] });
        if (shown.code !== 0) return false;
        const [tree, parents] = shown.stdout.toString('utf8').trim().split('\0');
        const records = (await this.store.byTrees([tree])).get(tree) ?? [];
        return trustAmong(await this.covering({ tree, parent: parents.split(' ').filter(Boolean)[0] ?? null }, records, depth, inner)) !== null;
      })();
      if (!within.size) this.trusted.set(commit, p);
    }
    return p;
  }
}
