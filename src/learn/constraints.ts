// `guardloop constraints`: the constraint log kept from ℛ and the config's git history. One row per
// guard that was ever in the config (renames followed, removed guards kept): when it came in, what
// it caught, how often its failure came back after the grace period, and whether it pays its rent
// (the rules are in constraint-verdict.ts). Reads only: the config, its history, ℛ.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors/config-error.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { diagnosticAt, readYamlFile } from '../config/yaml-file.js';
import { periodToMs } from '../config/duration.js';
import { isRecord } from '../config/is-record.js';
import { STAGED_GUARD } from '../engine/own-checks.js';
import { PROTECTED_SPEC } from '../engine/protect.js';
import { discoverRepo } from '../git/repo.js';
import { DEFAULT_CONFIG_FILE } from '../messages/config.js';
import { configHistory, type ConfigGuard } from './config-history.js';
import { currentId, lineagesOf, ownerFinder, type Lineage } from './constraint-lineage.js';
import { verdictOf } from './constraint-verdict.js';
import { isAttempt, readHistory, rejects, type History } from './history.js';
import type { Constraint, Constraints } from './insight-schemas.js';

const DAY = 86_400_000;

// The log's defaults when the config doesn't set `constraints:` (README "The constraint log").
export const CONSTRAINT_DEFAULTS = { grace: '7d', idle: { runs: 50, period: '30d' } } as const;

// Checks guardloop makes itself: in records, never in a config, never rows of the log.
const OWN_CHECKS: ReadonlySet<string> = new Set([STAGED_GUARD, PROTECTED_SPEC.id]);

// What one lineage gathers from ℛ.
interface Tally {
  runs: number;
  outcomes: boolean[];
  chains: Map<string, number>;
  lastCaught: number | null;
  firstSeen: number | null;
  // tree + command → whether it passed, whether it was rejected
  trees: Map<string, { tree: string; pass: boolean; reject: boolean }>;
}

// The constraint log of the repository at `cwd` (ℛ read unless `history` is given; `now`, default
// the clock, is the time young and idle guards are judged at).
export async function constraints(opts: { cwd: string; ref?: string; history?: History; now?: number }): Promise<Constraints> {
  const repo = await discoverRepo(opts.cwd);
  const root = repo.root;
  const now = opts.now ?? Date.now();
  const [working, revisions, history] = await Promise.all([workingConfig(root), configHistory(root, repo.head), opts.history ?? readHistory({ cwd: opts.cwd, ref: opts.ref })]);
  const settings = working?.constraints ?? CONSTRAINT_DEFAULTS;
  const graceMs = periodToMs(settings.grace);
  const idleMs = periodToMs(settings.idle.period);
  const lineages = lineagesOf(revisions, working ? working.guards.map(asConfigGuard) : null);
  const owner = ownerFinder(lineages);
  const tallies = new Map<Lineage, Tally>();
  const tally = (l: Lineage) => {
    let t = tallies.get(l);
    if (!t) tallies.set(l, (t = { runs: 0, outcomes: [], chains: new Map(), lastCaught: null, firstSeen: null, trees: new Map() }));
    return t;
  };
  // A guard ℛ knows that no config revision declares (a config never committed, then changed): a
  // lineage of its own, its definition the latest record's.
  const recordsOnly = new Map<string, Lineage>();
  const find = (id: string, ts: number, spec?: History['records'][number]['spec'][number]): Lineage | null => {
    const found = owner(id, ts) ?? recordsOnly.get(id) ?? null;
    if (found || OWN_CHECKS.has(id) || !spec) return found;
    const l: Lineage = { names: [{ id, from: ts }], def: { id, run: spec.run, layer: spec.layer, invariant: spec.invariant }, date: null, commit: null, active: false, removed: null };
    lineages.push(l);
    recordsOnly.set(id, l);
    return l;
  };

  for (const r of history.records) {
    for (const g of r.spec) {
      const l = find(g.id, r.ts, g);
      if (l) {
        const t = tally(l);
        if (t.firstSeen === null || r.ts < t.firstSeen) t.firstSeen = r.ts;
        if (recordsOnly.get(g.id) === l) l.def = { id: g.id, run: g.run, layer: g.layer, invariant: g.invariant };
      }
    }
    for (const v of r.verdicts) {
      if (v.status === 'skipped') continue;
      const l = find(v.guard, r.ts, r.spec.find((g) => g.id === v.guard));
      if (!l) continue;
      const t = tally(l);
      const rejected = rejects(v);
      if (isAttempt(r)) {
        t.runs++;
        t.outcomes.push(rejected);
      }
      const run = r.spec.find((g) => g.id === v.guard)?.run ?? '';
      // Flaky evidence: the same tree and command, or the same inputs (the verdict's key), judged both ways.
      for (const key of [`${r.tree}\0${run}`, ...(v.key ? [`key\0${v.key}`] : [])]) {
        const seen = t.trees.get(key) ?? { tree: r.tree, pass: false, reject: false };
        if (rejected || v.tolerated) seen.reject = true;
        else seen.pass = true;
        t.trees.set(key, seen);
      }
    }
  }
  for (const chain of history.chains) {
    for (const r of chain.records) {
      for (const v of r.verdicts) {
        if (!rejects(v)) continue;
        const l = find(v.guard, r.ts);
        if (!l) continue;
        const t = tally(l);
        t.chains.set(chain.id, chain.start);
        if (t.lastCaught === null || r.ts > t.lastCaught) t.lastCaught = r.ts;
      }
    }
  }

  const places = await guardPlaces(root, working);
  const rows = lineages.map((l) => row(l, tallies.get(l), { now, graceMs, idleMs, idleRuns: settings.idle.runs, place: l.active ? (places.get(currentId(l)) ?? null) : null }));
  rows.sort((a, b) => (a.date === null ? 1 : 0) - (b.date === null ? 1 : 0) || (a.date ?? '').localeCompare(b.date ?? '') || a.id.localeCompare(b.id));
  return { v: 1, tip: history.tip, graceDays: graceMs / DAY, idle: { runs: settings.idle.runs, days: idleMs / DAY }, constraints: rows };
}

function row(l: Lineage, t: Tally | undefined, s: { now: number; graceMs: number; idleMs: number; idleRuns: number; place: string | null }): Constraint {
  const dateSource = l.date !== null ? 'config-history' : t?.firstSeen != null ? 'first-seen' : 'unknown';
  const date = l.date ?? t?.firstSeen ?? null;
  const starts = [...(t?.chains.values() ?? [])];
  const recurrenceAfter = date === null ? 0 : starts.filter((start) => start - date > s.graceMs).length;
  const flaky = [...(t?.trees.values() ?? [])].filter((x) => x.pass && x.reject).map((x) => x.tree);
  const at = l.active ? s.now : (l.removed ?? s.now);
  const decided = verdictOf({
    id: currentId(l),
    layer: l.def.layer,
    invariant: l.def.invariant,
    run: l.def.run,
    date,
    at,
    runs: t?.runs ?? 0,
    caught: starts.length,
    recurrenceAfter,
    lastCaught: t?.lastCaught ?? null,
    outcomes: t?.outcomes ?? [],
    flakyTrees: [...new Set(flaky)],
    place: s.place,
    graceMs: s.graceMs,
    idleRuns: s.idleRuns,
    idleMs: s.idleMs,
  });
  return {
    id: currentId(l),
    date: date === null ? null : new Date(date).toISOString(),
    dateSource,
    commit: l.commit,
    renamedFrom: l.names.slice(0, -1).map((n) => n.id),
    layer: l.def.layer,
    invariant: l.def.invariant,
    run: l.def.run,
    active: l.active,
    removed: l.removed === null ? null : new Date(l.removed).toISOString(),
    runs: t?.runs ?? 0,
    caught: starts.length,
    recurrenceAfter,
    lastCaught: t?.lastCaught == null ? null : new Date(t.lastCaught).toISOString(),
    verdict: decided.verdict,
    why: decided.why,
    flakyTrees: new Set(flaky).size,
  };
}

const asConfigGuard = (g: Config['guards'][number]): ConfigGuard => ({ id: g.id, run: Array.isArray(g.run) ? g.run.join(' ') : g.run, layer: g.layer, invariant: g.invariant });

// The working config (null when there is none); one that doesn't load is a ConfigError (exit 2 with
// every problem at its file:line), as for every command that reads it.
async function workingConfig(root: string): Promise<Config | null> {
  if (!existsSync(path.join(root, DEFAULT_CONFIG_FILE))) return null;
  const { config, errors } = await loadConfig({ root });
  if (!config) throw new ConfigError(errors);
  return config;
}

// Where each guard of the working config is declared (file:line of its last declaration's id), for
// the fixes the log names.
async function guardPlaces(root: string, config: Config | null): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!config) return out;
  const files = new Map<string, Awaited<ReturnType<typeof readYamlFile>>['file']>();
  for (const g of config.guards) {
    if (!files.has(g.source)) files.set(g.source, (await readYamlFile(path.resolve(root, g.source), root)).file);
    const file = files.get(g.source);
    const list = file && isRecord(file.value) && Array.isArray(file.value.guards) ? file.value.guards : [];
    const index = list.findIndex((x: unknown) => isRecord(x) && x.id === g.id);
    if (file && index >= 0) out.set(g.id, `${g.source}:${diagnosticAt(file, ['guards', index, 'id'], { message: '' }).line}`);
  }
  return out;
}
