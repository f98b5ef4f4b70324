// Which guard is which over the config's history: one lineage per constraint, from the revision
// that added it, through renames (an id that disappears while a new id with the same command
// appears in the same revision is the same guard renamed), to its removal (the lineage stays, as a
// removed row of the log). The working config is the last step, uncommitted.
import type { ConfigGuard, ConfigRevision } from './config-history.js';

// One constraint across the config's history.
export interface Lineage {
  // Its ids, oldest first, each with when it took that id (ms; +Infinity: in the working config only).
  names: Array<{ id: string; from: number }>;
  // The latest definition (layer, invariant, command).
  def: ConfigGuard;
  // The commit that added it and when (null: not in the config's history).
  date: number | null;
  commit: string | null;
  // In the working config now.
  active: boolean;
  // When a commit removed it (null: still there, or removed only in the working config).
  removed: number | null;
}

// The lineages of the revisions (oldest first) and the working config (null: no config file at all).
export function lineagesOf(revisions: readonly ConfigRevision[], working: readonly ConfigGuard[] | null): Lineage[] {
  const all: Lineage[] = [];
  const live = new Map<string, Lineage>();
  const dead = new Map<string, Lineage>();
  const step = (guards: readonly ConfigGuard[], at: number | null, commit: string | null) => {
    const next = new Set(guards.map((g) => g.id));
    const gone = [...live.keys()].filter((id) => !next.has(id));
    const renamed = new Set<string>();
    for (const g of guards) {
      if (live.has(g.id)) continue;
      const from = gone.find((id) => !renamed.has(id) && live.get(id)!.def.run === g.run);
      let lineage: Lineage | undefined;
      if (from !== undefined) {
        renamed.add(from);
        lineage = live.get(from)!;
        live.delete(from);
        lineage.names.push({ id: g.id, from: at ?? Number.POSITIVE_INFINITY });
      } else if ((lineage = dead.get(g.id))) {
        // Back in the config: the same constraint, its row no longer removed.
        dead.delete(g.id);
        lineage.removed = null;
      } else {
        lineage = { names: [{ id: g.id, from: at ?? Number.POSITIVE_INFINITY }], def: g, date: at, commit, active: true, removed: null };
        all.push(lineage);
      }
      live.set(g.id, lineage);
    }
    for (const id of gone) {
      if (renamed.has(id)) continue;
      const lineage = live.get(id)!;
      live.delete(id);
      lineage.removed = at;
      dead.set(id, lineage);
    }
    for (const g of guards) live.get(g.id)!.def = g;
  };
  for (const rev of revisions) if (rev.guards) step(rev.guards, rev.at, rev.commit);
  step(working ?? [], null, null);
  for (const lineage of all) lineage.active = [...live.values()].includes(lineage);
  return all;
}

// Finds the lineage a verdict of guard `id` at time `ts` belongs to: the one that had that id
// then (an id used by two guards over time), or the only one that ever had it.
export function ownerFinder(lineages: readonly Lineage[]): (id: string, ts: number) => Lineage | null {
  const byId = new Map<string, Array<{ lineage: Lineage; from: number }>>();
  for (const lineage of lineages) for (const n of lineage.names) byId.set(n.id, [...(byId.get(n.id) ?? []), { lineage, from: n.from }]);
  return (id, ts) => {
    const list = byId.get(id);
    if (!list) return null;
    if (list.length === 1) return list[0].lineage;
    let best: { lineage: Lineage; from: number } | null = null;
    for (const c of list) if (c.from <= ts && (!best || c.from > best.from)) best = c;
    return (best ?? list.reduce((a, b) => (b.from < a.from ? b : a))).lineage;
  };
}

// The id a lineage has now (its latest name).
export const currentId = (l: Lineage): string => l.names[l.names.length - 1].id;
