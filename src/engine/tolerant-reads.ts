import type { Repository } from '../store/types.js';

// ℛ as a run reads it (cache, chain, approvals, trusted base): a read that fails — a damaged
// repository, a torn object — counts as "nothing found" and is reported once through `onError`, so
// the guards still run and the verdict is still given; writes go to the repository unchanged.
export function tolerantReads(repository: Repository, onError: (e: Error) => void): Repository {
  let told = false;
  const fallback = <T>(e: unknown, value: T): T => {
    if (!told) onError(e as Error);
    told = true;
    return value;
  };
  return {
    get ref() {
      return repository.ref;
    },
    append: (records, opts) => repository.append(records, opts),
    byTree: (tree) => repository.byTree(tree).catch((e) => fallback(e, [])),
    log: (filter) => repository.log(filter).catch((e) => fallback(e, [])),
    show: (ref) => repository.show(ref).catch((e) => fallback(e, [])),
    warnings: () => repository.warnings(),
    close: () => repository.close(),
  };
}
