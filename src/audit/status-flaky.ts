// The flaky guards `guardloop status` lists: a guard that passed and failed on the same inputs, or
// passed only on a retry. Read from a window of ℛ, never all of it: the records of the newest notes
// commits, the newest `constraints.idle.runs` of them within `constraints.idle.period` (the constraint
// log's settings), and the verdict index, which tells what the engine tells an agent (a guard whose
// current definition has a key with a pass and a failure there is "known flaky").
import path from 'node:path';
import { loadCommittedConfig } from '../config/committed.js';
import { periodToMs } from '../config/duration.js';
import { isRecord } from '../config/is-record.js';
import type { Config } from '../config/schema.js';
import { diagnosticAt, readYamlFile } from '../config/yaml-file.js';
import { flakyDefinitions } from '../engine/base-verdicts.js';
import { definitionHash } from '../engine/guard-key.js';
import { ENGINE_VERSION } from '../engine/plan.js';
import { git } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';
import type { RecordV1 } from '../store/record.js';
import type { GitNotesRepository } from '../store/repository.js';
import { readVerdictIndex } from '../store/verdict-index.js';

const DAY = 86_400_000;

// The constraint log's window when the config sets no `constraints.idle` (learn/constraints.ts's
// CONSTRAINT_DEFAULTS.idle, which test/status/flaky.test.ts holds this to: importing that module would
// load the config's loader and schema into every `guardloop status`).
export const WINDOW_DEFAULTS = { runs: 50, period: '30d' } as const;

// One flaky guard, as status shows it: how it was seen in the window (failures on inputs that also
// passed, or failures told to the agent as flaky; passes on a retry), whether the verdict index marks its
// current definition flaky, its `retries:` and where it is declared (the fix names that line).
export interface FlakyGuard {
  guard: string;
  bothWays: number;
  retried: number;
  known: boolean;
  retries: number;
  place: string | null;
}

// What status read and found: the records of the window, the window itself, the flaky guards in declaration order.
export interface FlakyReport {
  records: number;
  window: { runs: number; days: number };
  guards: FlakyGuard[];
  // Set when ℛ or the index could not be read (nothing is listed then).
  error?: string;
}

// A verdict's failing statuses as the engine counts them for flakiness (an error is a guard that could not run).
const failing = (status: string) => status === 'fail' || status === 'timeout';

// The trees whose notes the newest commits of ℛ wrote (first parents only), at most `max`: their records
// hold the newest verdicts (a tree's note keeps its older records too; the caller sorts them by time).
async function recentTrees(repo: RepoInfo, tip: string, max: number): Promise<string[]> {
  const out = await git(['log', '--first-parent', '--no-renames', '--format=', '--name-only', `-n${max}`, tip, '--'], { cwd: repo.root });
  const trees = new Set<string>();
  for (const line of out.split('\n')) {
    const tree = line.replace(/\//g, '');
    if (/^[0-9a-f]{40,64}$/.test(tree)) trees.add(tree);
    if (trees.size >= max) break;
  }
  return [...trees];
}

// The window's records, newest first: judged records (not SKIPPED, not a light record standing for another).
async function windowRecords(repo: RepoInfo, repository: GitNotesRepository, runs: number, sinceMs: number): Promise<RecordV1[]> {
  const tip = repository.notes.tip();
  if (!tip) return [];
  const byTree = await repository.byTrees(await recentTrees(repo, tip, runs));
  const seen = new Set<string>();
  const list: RecordV1[] = [];
  for (const records of byTree.values())
    for (const r of records) {
      if (seen.has(r.id) || r.status === 'SKIPPED' || r.reused || !(Date.parse(r.ts) >= sinceMs)) continue;
      seen.add(r.id);
      list.push(r);
    }
  list.sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0));
  return list.slice(0, runs);
}

// Where each guard is declared (file:line of its id), read only for the guards listed.
async function places(root: string, guards: Config['guards'], ids: Set<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const files = new Map<string, Awaited<ReturnType<typeof readYamlFile>>['file']>();
  for (const g of guards) {
    if (!ids.has(g.id)) continue;
    if (!files.has(g.source)) files.set(g.source, (await readYamlFile(path.resolve(root, g.source), root)).file);
    const file = files.get(g.source);
    const list = file && isRecord(file.value) && Array.isArray(file.value.guards) ? file.value.guards : [];
    const index = list.findIndex((x: unknown) => isRecord(x) && x.id === g.id);
    if (file && index >= 0) out.set(g.id, `${g.source}:${diagnosticAt(file, ['guards', index, 'id'], { message: '' }).line}`);
  }
  return out;
}

// The flaky guards of the config committed at HEAD (the one the hooks run), from the window and the
// verdict index. A config that can't be loaded lists none (status reports the config on its own).
export async function flakyGuards(repo: RepoInfo, repository: GitNotesRepository, now = Date.now()): Promise<FlakyReport> {
  let config: Config;
  try {
    config = (await loadCommittedConfig(repo)).config;
  } catch {
    return { records: 0, window: { runs: WINDOW_DEFAULTS.runs, days: periodToMs(WINDOW_DEFAULTS.period) / DAY }, guards: [] };
  }
  const idle = config.constraints?.idle ?? WINDOW_DEFAULTS;
  const periodMs = periodToMs(idle.period);
  const window = { runs: idle.runs, days: periodMs / DAY };
  const [records, index] = await Promise.all([windowRecords(repo, repository, idle.runs, now - periodMs), readVerdictIndex(repo.commonDir)]);
  const flakyDefs = flakyDefinitions(index);

  // Each guard's inputs (its key, and the tree with its command) judged both ways in the window.
  const tally = new Map<string, { passed: Set<string>; failed: Array<{ inputs: string[]; told: boolean }>; retried: number }>();
  const runs = new Map(config.guards.map((g) => [g.id, JSON.stringify(g.run)]));
  for (const r of records)
    for (const v of r.verdicts) {
      if (!runs.has(v.guard) || v.reused || v.status === 'skipped') continue;
      const spec = r.spec.guards.find((g) => g.id === v.guard);
      const inputs = [...(v.key?.includes('-') ? [`key ${v.key}`] : []), `tree ${r.tree} ${JSON.stringify(spec?.run ?? '')}`];
      let t = tally.get(v.guard);
      if (!t) tally.set(v.guard, (t = { passed: new Set(), failed: [], retried: 0 }));
      if (v.status === 'pass') {
        for (const i of inputs) t.passed.add(i);
        if (v.flaky) t.retried++;
      } else if (failing(v.status)) t.failed.push({ inputs, told: v.flaky === true });
    }

  const found: Array<Omit<FlakyGuard, 'place'>> = [];
  for (const g of config.guards) {
    const t = tally.get(g.id);
    const bothWays = t ? t.failed.filter((f) => f.told || f.inputs.some((i) => t.passed.has(i))).length : 0;
    const known = !g.fix && flakyDefs.has(definitionHash(g, config, ENGINE_VERSION));
    if (bothWays || t?.retried || known) found.push({ guard: g.id, bothWays, retried: t?.retried ?? 0, known, retries: g.retries ?? 0 });
  }
  const where = found.length ? await places(repo.root, config.guards, new Set(found.map((f) => f.guard))) : new Map<string, string>();
  return { records: records.length, window, guards: found.map((f) => ({ ...f, place: where.get(f.guard) ?? null })) };
}
