// Long histories for the reading half's tests (stats, constraints, health, report): months of ℛ in
// a real repository in a few seconds. Each config change is a real commit of .loop/config.yaml (and
// the files it extends) dated `at`, checked by the real loader; each attempt is a real record (a
// real tree written with git, spec.guards from the config in force at `at`, verdicts per `fail`)
// linked into its chain as the engine links them (provenance, retry, history) and appended through
// the store in batches.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { stringify } from 'yaml';
import { configHash } from '../../src/config/config-hash.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { historyEntry } from '../../src/engine/chain.js';
import { guardSetHash } from '../../src/engine/select.js';
import { ENGINE_VERSION } from '../../src/engine/plan.js';
import { startFastImport } from '../../src/git/fast-import.js';
import { finishRecord, type RecordDraft, type RecordV1 } from '../../src/store/record.js';
import { openRepository } from '../../src/store/repository.js';
import { cleanEnv } from './git-repo.js';

// One guard as a config change declares it (invariant defaults to a valid sentence naming the id).
export interface GenGuard {
  id: string;
  run: string;
  layer?: string;
  invariant?: string;
  files?: string[];
}

// One attempt of a chain: when, by whom, which guards fail it (the others pass), and on which tree.
export interface GenAttempt {
  at: string;
  // Default GENERATOR (agent "claude", one session per chain); HUMAN has no agent nor session.
  source?: 'HUMAN' | 'GENERATOR';
  agent?: string | null;
  // Default "stop" for an agent, "pre-commit" for a person.
  hook?: string;
  fail?: string[];
  // A label: the same label is the same tree (two records of one tree: what makes a guard flaky).
  // Default: a tree of its own.
  tree?: string;
  // The agent ran out of attempts: this (rejected) attempt closes the chain as ESCALATED.
  escalated?: boolean;
  // A SKIPPED record (post-commit) of a real commit of this tree instead of a judged attempt; it
  // is not part of the chain.
  skip?: 'GUARDLOOP=0' | 'no-pre-commit';
}

// One chain; provenance, retry and history are filled in as the engine does.
export interface GenChain {
  attempts: GenAttempt[];
}

// One commit of a config file: its whole guard list from then on.
export interface GenConfigChange {
  at: string;
  guards: GenGuard[];
  message?: string;
  // Default .loop/config.yaml; another file is extended by the config (added to its `extends`).
  file?: string;
}

// What to generate: the config's commits and the chains of attempts.
export interface GenPlan {
  config: GenConfigChange[];
  chains: GenChain[];
}

// What the generator made, for tests that want to look closer.
export interface GenResult {
  // The config commits, oldest first.
  commits: Array<{ sha: string; at: string }>;
  records: RecordV1[];
}

const MAIN = '.loop/config.yaml';
const BATCH = 500;

interface Revision {
  at: number;
  sha: string;
  config: Config;
}

// Builds the plan's history in `dir` (a git repository, e.g. withGitRepo's): config commits first,
// oldest first, then every record.
export async function generateHistory(dir: string, plan: GenPlan): Promise<GenResult> {
  const git = gitIn(dir);
  const revisions = await commitConfigs(dir, git, plan.config);
  const attempts = plan.chains.flatMap((chain, c) => chain.attempts.map((a, i) => ({ a, c, i })));
  const trees = await writeTrees(dir, attempts.map(({ a, c, i }) => labelOf(a, c, i)));
  const records: RecordV1[] = [];
  plan.chains.forEach((chain, c) => {
    let linked: RecordV1[] = [];
    chain.attempts.forEach((a, i) => {
      const tree = trees.get(labelOf(a, c, i))!;
      const rev = inForce(revisions, a.at);
      if (a.skip) {
        records.push(skipRecord(git, a, tree, rev));
        return;
      }
      const record = attemptRecord(a, c, tree, rev, linked);
      records.push(record);
      linked = record.status === 'ACCEPTED' || record.escalated ? [] : [...linked, record];
    });
  });
  const repo = await openRepository({ cwd: dir });
  try {
    for (let i = 0; i < records.length; i += BATCH) await repo.append(records.slice(i, i + BATCH), { prepared: true });
  } finally {
    await repo.close();
  }
  return { commits: revisions.map((r) => ({ sha: r.sha, at: new Date(r.at).toISOString() })), records };
}

function gitIn(dir: string) {
  return (args: string[], opts: { input?: string; env?: Record<string, string> } = {}): string => {
    const res = spawnSync('git', args, { cwd: dir, env: cleanEnv(opts.env), input: opts.input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr}`);
    return res.stdout.trim();
  };
}

const iso = (at: string) => {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) throw new Error(`generateHistory: not a date: ${at}`);
  return new Date(ms).toISOString();
};

// Commits each config change (dated `at`) and loads the config it leaves with the real loader.
async function commitConfigs(dir: string, git: ReturnType<typeof gitIn>, changes: GenConfigChange[]): Promise<Revision[]> {
  const files = new Map<string, GenGuard[]>();
  const revisions: Revision[] = [];
  const sorted = [...changes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const change of sorted) {
    const file = change.file ?? MAIN;
    files.set(file, change.guards);
    if (!files.has(MAIN)) files.set(MAIN, []);
    for (const [name, guards] of files) {
      const extended = name === MAIN ? [...files.keys()].filter((f) => f !== MAIN).map((f) => relativeTo(MAIN, f)) : [];
      const doc: Record<string, unknown> = {};
      if (extended.length) doc.extends = extended;
      doc.guards = guards.map(guardEntry);
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), stringify(doc));
    }
    const loaded = await loadConfig({ root: dir });
    if (!loaded.config) throw new Error(`generateHistory: the config at ${change.at} does not load: ${loaded.errors.map((e) => `${e.file}:${e.line} ${e.message}`).join('; ')}`);
    const at = iso(change.at);
    const env = { GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at };
    git(['add', '--', ...files.keys()]);
    git(['commit', '-q', '--allow-empty', '--no-verify', '-m', change.message ?? `config: ${change.guards.map((g) => g.id).join(', ') || 'no guards'}`], { env });
    revisions.push({ at: Date.parse(at), sha: git(['rev-parse', 'HEAD']), config: loaded.config });
  }
  return revisions;
}

// `to` as an `extends` entry of `from` (both relative to the root).
function relativeTo(from: string, to: string): string {
  const rel = posix.relative(posix.dirname(from), to);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function guardEntry(g: GenGuard): Record<string, unknown> {
  return {
    id: g.id,
    run: g.run,
    invariant: g.invariant ?? `In this codebase, ${g.id} must never fail, because it causes broken builds.`,
    ...(g.layer ? { layer: g.layer } : {}),
    ...(g.files ? { files: g.files } : {}),
  };
}

const labelOf = (a: GenAttempt, c: number, i: number) => a.tree ?? `chain ${c} attempt ${i}`;

// One tree per label (a file gen.txt holding the label), all written by one `git fast-import`
// into a pack: each tree is a folder of one throwaway commit that no ref keeps.
async function writeTrees(dir: string, labels: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(labels)];
  const out = new Map<string, string>();
  if (!unique.length) return out;
  const who = { name: 'generator', email: 'generator@example.com' };
  const { probed } = await startFastImport(dir, false).write({
    ops: unique.map((label, i) => ({ path: `t${i}/gen.txt`, data: Buffer.from(`${label}\n`) })),
    parents: [],
    author: who,
    committer: who,
    message: 'generated trees',
    probe: unique.map((_, i) => `t${i}`),
  });
  if (probed.length !== unique.length) throw new Error(`generateHistory: fast-import wrote ${probed.length} of ${unique.length} trees`);
  unique.forEach((label, i) => out.set(label, probed[i]));
  return out;
}

// The config commit in force at `at` (the latest at or before it), or none.
function inForce(revisions: Revision[], at: string): Revision | null {
  const ms = Date.parse(iso(at));
  let found: Revision | null = null;
  for (const r of revisions) if (r.at <= ms) found = r;
  return found;
}

const specOf = (config: Config | null, hook: string) => (config?.guards ?? []).filter((g) => hook === 'run' || g.on.includes(hook as never));

function attemptRecord(a: GenAttempt, c: number, tree: string, rev: Revision | null, linked: RecordV1[]): RecordV1 {
  const source = a.source ?? 'GENERATOR';
  const hook = a.hook ?? (source === 'GENERATOR' ? 'stop' : 'pre-commit');
  const guards = specOf(rev?.config ?? null, hook);
  const fail = new Set(a.fail ?? []);
  for (const id of fail) if (!guards.some((g) => g.id === id)) throw new Error(`generateHistory: ${id} fails an attempt at ${a.at} but is not in the config in force then`);
  const status = fail.size ? 'REJECTED' : 'ACCEPTED';
  if (a.escalated && status === 'ACCEPTED') throw new Error(`generateHistory: an escalated attempt (${a.at}) must fail a guard`);
  const selected = guards.map((guard) => ({ guard, files: null, skip: false }));
  const draft: RecordDraft = {
    v: 1,
    ts: iso(a.at),
    hook: hook as RecordV1['hook'],
    source,
    agent: source === 'GENERATOR' ? (a.agent === undefined ? 'claude' : a.agent) : (a.agent ?? null),
    session: source === 'GENERATOR' ? `gen-session-${c}` : null,
    base: rev?.sha ?? null,
    tree,
    status,
    reward: status === 'ACCEPTED' ? 1 : -1,
    spec: {
      configHash: rev ? configHash(rev.config) : '',
      guardSetHash: rev ? guardSetHash(selected, ENGINE_VERSION, rev.config.env, { isolation: rev.config.isolation, link: rev.config.link }) : '',
      guards: guards.map((g) => ({ id: g.id, invariant: g.invariant, layer: g.layer, run: g.run })),
      task: source === 'GENERATOR' ? `generated task ${c}` : null,
    },
    artifact: { diff: `diff --git a/gen.txt b/gen.txt\n--- a/gen.txt\n+++ b/gen.txt\n@@ -0,0 +1 @@\n+${tree}\n`, files: ['gen.txt'], truncated: false },
    verdicts: guards.map((g, i) =>
      fail.has(g.id)
        ? { guard: g.id, status: 'fail' as const, exit: 1, ms: 10 + i, feedback: `${g.id}: the check failed on ${tree.slice(0, 8)}\n` }
        : { guard: g.id, status: 'pass' as const, exit: 0, ms: 10 + i, feedback: '' },
    ),
    history: linked.map(historyEntry),
    provenance: linked.map((r) => r.id),
    retry: linked.length,
    ...(a.escalated ? { escalated: true } : {}),
    isolated: false,
    tool: { name: 'guardloop', version: 'generated' },
    host: 'generator',
    user: 'generator',
  };
  return finishRecord(draft).record;
}

// A SKIPPED record of a real commit of `tree` on top of the config commit in force.
function skipRecord(git: ReturnType<typeof gitIn>, a: GenAttempt, tree: string, rev: Revision | null): RecordV1 {
  const at = iso(a.at);
  const commit = git(['commit-tree', tree, ...(rev ? ['-p', rev.sha] : []), '-m', 'skipped'], { env: { GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } });
  const source = a.source ?? 'HUMAN';
  const guards = specOf(rev?.config ?? null, 'pre-commit');
  const draft: RecordDraft = {
    v: 1,
    ts: at,
    hook: 'post-commit',
    source,
    agent: source === 'GENERATOR' ? (a.agent ?? 'claude') : null,
    session: null,
    base: rev?.sha ?? null,
    tree,
    status: 'SKIPPED',
    reward: 0,
    spec: { configHash: rev ? configHash(rev.config) : '', guardSetHash: '', guards: guards.map((g) => ({ id: g.id, invariant: g.invariant, layer: g.layer, run: g.run })), task: null },
    artifact: { diff: '', files: ['gen.txt'], truncated: false },
    verdicts: [],
    history: [],
    provenance: [],
    retry: 0,
    tool: { name: 'guardloop', version: 'generated' },
    host: 'generator',
    user: 'generator',
    skip: { how: a.skip!, commit },
  };
  return finishRecord(draft).record;
}

// `days` (fractions too) after `start`, as an ISO date-time: plans read easier in days.
export function day(start: string, days: number): string {
  return new Date(Date.parse(start) + days * 86_400_000).toISOString();
}
