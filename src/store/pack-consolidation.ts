import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDetachedGit, type DetachedGit } from '../git/detached-git.js';
import { gitAtLeast } from '../git/git-version.js';
import { processAlive, startToken } from '../git/process-alive.js';
import { backgroundConsolidationFailed, consolidationFailed } from '../messages/packs.js';
import { geometricRollup } from './pack-geometry.js';
import { unlinkQuiet, type PackLock } from './pack-lock.js';
import type { GuardloopPack, PackRegistry, Superseded } from './pack-registry.js';

// How a repository consolidates guardloop's packs (the defaults suit every repository; tests and the bench change them).
export interface ConsolidationOptions {
  // Each of guardloop's packs at least this many times the next smaller one (git's --geometric=2).
  factor?: number;
  // How long a rolled-up pack stays after its objects were copied before it is deleted.
  graceMs?: number;
  // A roll-up runs while the write waits when the packs of the repository (but those about to go)
  // are this small together (its cost: git's walk of ℛ's history and the delta search;
  // a full roll-up of 4 MiB took about 0.3 s on a 2-core machine); above, it runs in the background.
  foregroundMaxBytes?: number;
}

// What a consolidation pass did.
export interface ConsolidationReport {
  // The packs rolled up (or being rolled up in the background) and the pack they went into.
  rolled: string[];
  into: string | null;
  background: boolean;
  // Superseded packs deleted in this pass.
  deleted: string[];
  warnings: string[];
}

// A roll-up in flight: `.git/guardloop/rollup.json`, written before git starts (in the background
// or while the write waits: either way git's output goes to a file, so that a writer killed while
// git runs leaves a pack the next pass registers, not one nobody knows is guardloop's).
interface RollupState {
  inputs: string[];
  // The packs git was told to leave out (`^`): what it finds there it doesn't copy.
  excluded: string[];
  background: boolean;
  // The process that started it, and git's pack-objects once it runs.
  planner: number;
  plannerToken: string;
  pid?: number;
  token?: string;
  at: number;
}

const GRACE_MS = 10_000;
const FOREGROUND_MAX_BYTES = 4 * 1024 * 1024;
// A roll-up whose git can't be told apart from another process (no /proc) counts as ended after this.
const ROLLUP_MAX_MS = 24 * 3_600_000;

// Keeps guardloop's own packs few, so that a lookup doesn't scan many: whenever a pack was registered
// (a large write fast-import kept, AutoPack's, a roll-up's), the small ones are rolled into one as
// `git repack --geometric=2` would, but only guardloop's (PackRegistry) and never the user's loose
// objects. Git writes the new pack (`git pack-objects --stdin-packs`: every object of the named packs
// that no pack staying holds, whatever reaches it, so a write whose ref update is still to come loses
// nothing); the packs it replaces are deleted a grace period later, and only while every copy of
// their objects is still there: the new pack and the packs it excluded (git itself copes with a pack
// going away under a reader: it looks for the object again and finds the new pack). A roll-up is
// killed harmlessly at any point: nothing is deleted before its pack is complete, and its git writes
// to files, so a pack it finishes after its writer was killed is registered by a later write. Small
// repositories roll up while the write waits; larger ones in a detached git that outlives the hook,
// finished by a later write. Housekeeping only: failures are warnings.
export class PackConsolidation {
  private readonly stateFile: string;
  private readonly inFile: string;
  private readonly outFile: string;
  private readonly errFile: string;
  // The background roll-up this process started (settle() waits for it).
  private child: DetachedGit | null = null;

  constructor(
    private readonly registry: PackRegistry,
    private readonly lock: PackLock,
    private readonly cwd: string,
    dir: string,
    readonly enabled: boolean,
    private readonly opts: ConsolidationOptions = {},
  ) {
    this.stateFile = join(dir, 'rollup.json');
    this.inFile = join(dir, 'rollup.in');
    this.outFile = join(dir, 'rollup.out');
    this.errFile = join(dir, 'rollup.err');
  }

  // After a write: finishes a background roll-up that ended, deletes packs past their grace, and
  // rolls up when a pack was registered. When none of that is due it costs a few stats and reads.
  async afterWrite(): Promise<string[]> {
    if (!this.enabled) return [];
    const due = exists(this.stateFile) || this.registry.changedSinceCheck() || this.registry.superseded().some((s) => Date.now() - s.at >= this.grace());
    if (!due) return [];
    try {
      return (await this.pass({})).warnings;
    } catch (e) {
      // A file of its own it could not write (a full disk, permissions): the write stands.
      return [consolidationFailed(firstLine(e instanceof Error ? e.message : String(e)))];
    }
  }

  // A pass now, whatever changed (`background`: a roll-up of any size goes to a detached git).
  async consolidate(opts: { background?: boolean } = {}): Promise<ConsolidationReport> {
    return this.pass({ force: true, background: opts.background });
  }

  // Waits for the background roll-up this process started, and finishes it.
  async settle(): Promise<ConsolidationReport> {
    const child = this.child;
    this.child = null;
    if (!child) return empty();
    await child.wait();
    return this.pass({});
  }

  private async pass(opts: { force?: boolean; background?: boolean }): Promise<ConsolidationReport> {
    const report = empty();
    const release = this.lock.take();
    // Another packer is on it.
    if (!release) return report;
    try {
      let names = this.registry.listing();
      if (this.registry.hasMultiPackIndex(names)) return report;
      const inFlight = this.finish(names, report);
      names = this.registry.listing();
      this.deleteSuperseded(names, report);
      if (inFlight || !(opts.force || this.registry.changedSinceCheck())) return report;
      this.registry.markChecked();
      names = this.registry.listing();
      this.registry.compactIfLarge(names);
      const superseded = this.registry.superseded();
      const inputs = geometricRollup(this.registry.live(names, superseded), this.opts.factor ?? 2);
      // `pack-objects --stdin-packs` is git 2.32's: an older git leaves the packs as they are.
      if (inputs.length < 2 || !(await gitAtLeast(this.cwd, [2, 32]))) return report;
      const rolled = inputs.map((p) => p.hash);
      const { stdin, excluded } = this.stdinPacks(inputs, names, superseded);
      const background = opts.background ?? this.repositoryBytes(names, superseded) > (this.opts.foregroundMaxBytes ?? FOREGROUND_MAX_BYTES);
      const child = this.start({ inputs: rolled, excluded, background }, stdin);
      if (background) {
        this.child = child;
        return { ...report, rolled, background };
      }
      await child.wait();
      this.finish(this.registry.listing(), report, true);
      return report;
    } finally {
      release();
    }
  }

  private grace(): number {
    return this.opts.graceMs ?? GRACE_MS;
  }

  // pack-objects' input: the packs to roll up, and every other pack but the superseded ones as
  // excluded (`^`): git's walk of ℛ's history (for delta hints) skips the trees of their commits,
  // and objects they hold are left out. Superseded packs are never excluded: they are deleted
  // later, and what only they and a rolled-up pack hold must go into the new pack.
  private stdinPacks(inputs: GuardloopPack[], names: Set<string>, superseded: Superseded[]): { stdin: string; excluded: string[] } {
    const skip = new Set([...inputs.map((p) => p.hash), ...superseded.map((s) => s.hash)]);
    const excluded = this.registry.allPacks(names).filter((hash) => !skip.has(hash));
    const lines = [...inputs.map((p) => `pack-${p.hash}.pack`), ...excluded.map((hash) => `^pack-${hash}.pack`)];
    return { stdin: `${lines.join('\n')}\n`, excluded };
  }

  // The bytes of the repository's packs that stay (the superseded ones are about to go).
  private repositoryBytes(names: Set<string>, superseded: Superseded[]): number {
    const going = new Set(superseded.map((s) => s.hash));
    let total = 0;
    for (const hash of this.registry.allPacks(names)) if (!going.has(hash)) total += statSync(this.registry.path(hash, '.pack'), { throwIfNoEntry: false })?.size ?? 0;
    return total;
  }

  // Registers the pack git wrote and marks what went into it superseded; returns its hash, or null
  // when there is none to register: git's empty pack (every object already in an excluded pack: it
  // is removed, and the inputs are superseded by the excluded packs alone), or a pack someone claims.
  private complete(state: RollupState, hash: string, names: Set<string>): string | null {
    let by: string | null = hash;
    if ((statSync(this.registry.path(hash, '.pack'), { throwIfNoEntry: false })?.size ?? 0) <= 12 + this.registry.hexLen / 2) {
      by = null;
      // Its name is its content's: one that was there before is someone's, and stays.
      if (!state.excluded.includes(hash) && !state.inputs.includes(hash)) for (const ext of ['.pack', '.idx', '.rev']) unlinkQuiet(this.registry.path(hash, ext));
    } else if (this.registry.plain(hash, names)) this.registry.add([hash]);
    else return null;
    const list = this.registry.superseded();
    const have = new Set(list.map((s) => s.hash));
    const at = Date.now();
    // Never the new pack itself: git names a pack by its content, and the same objects give the same name.
    for (const h of state.inputs) if (h !== hash && !have.has(h)) list.push({ hash: h, by, at, excluded: state.excluded });
    this.registry.writeSuperseded(list);
    return by;
  }

  // Starts a roll-up: its state is written first (inputs, this process), then git starts detached
  // with its input, output and errors in files, so it outlives the hook that started it.
  private start(plan: Pick<RollupState, 'inputs' | 'excluded' | 'background'>, stdin: string): DetachedGit {
    writeFileSync(this.inFile, stdin);
    const state: RollupState = { ...plan, planner: process.pid, plannerToken: startToken(process.pid) ?? 'unknown', at: Date.now() };
    this.writeState(state);
    const child = startDetachedGit(packObjectsArgs(this.registry.packDir), { cwd: this.cwd, env: { GIT_NO_LAZY_FETCH: '1' }, stdin: this.inFile, stdout: this.outFile, stderr: this.errFile });
    if (child.pid) this.writeState({ ...state, pid: child.pid, token: startToken(child.pid) ?? 'unknown' });
    return child;
  }

  private writeState(state: RollupState): void {
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.stateFile);
  }

  // Finishes the roll-up when it ended (`ended`: this process saw its git end): its pack registered
  // and its inputs superseded, or, when git wrote none (failed, killed), its files cleared and a
  // warning. Returns whether one is still running.
  private finish(names: Set<string>, report: ConsolidationReport, ended = false): boolean {
    let state: RollupState;
    try {
      state = JSON.parse(readFileSync(this.stateFile, 'utf8')) as RollupState;
      if (!Array.isArray(state.inputs) || !Array.isArray(state.excluded)) throw new Error('not a roll-up');
    } catch (e) {
      // Written whole (a rename) or not at all: unreadable is damage, and it would be read at every write.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.clearState();
      return false;
    }
    const out = readQuiet(this.outFile).trim();
    const done = out.length === this.registry.hexLen && this.registry.complete(out, names);
    if (!done && !ended && Date.now() - state.at < ROLLUP_MAX_MS) {
      const [pid, token] = state.pid ? [state.pid, state.token] : [state.planner, state.plannerToken];
      if (pid && processAlive(pid, token === 'unknown' ? undefined : token)) return true;
    }
    if (done) {
      report.rolled = state.inputs;
      report.into = this.complete(state, out, names);
    } else {
      const detail = firstLine(readQuiet(this.errFile).trim().split('\n').pop() ?? '');
      report.warnings.push(state.background ? backgroundConsolidationFailed(detail) : consolidationFailed(detail));
    }
    this.clearState();
    return false;
  }

  private clearState(): void {
    for (const f of [this.stateFile, this.inFile, this.outFile, this.errFile]) unlinkQuiet(f);
  }

  // Deletes superseded packs past their grace period, each only while it is guardloop's (registered,
  // unclaimed: no .keep, no bitmap) and every pack holding its objects is still there: the pack they
  // went into and the packs that roll-up excluded. Otherwise it stays, a pack like any other.
  // git's own order (the pack, then its index and reverse index).
  private deleteSuperseded(names: Set<string>, report: ConsolidationReport): void {
    const list = this.registry.superseded();
    const now = Date.now();
    const grace = this.grace();
    // A multi-pack index written since the pass began: a pack it names must not go.
    if (!list.some((s) => now - s.at >= grace) || exists(join(this.registry.packDir, 'multi-pack-index'))) return;
    const ours = new Set(this.registry.hashes());
    // What is there as packs go (a copy deleted in this pass is no copy).
    const present = new Set(names);
    const keep: Superseded[] = [];
    for (const s of list) {
      if (now - s.at < grace) keep.push(s);
      // A deletion a killed process left half done: the index without its pack is no pack to git.
      else if (!present.has(`pack-${s.hash}.pack`)) for (const ext of ['.idx', '.rev']) unlinkQuiet(this.registry.path(s.hash, ext));
      else if (ours.has(s.hash) && this.registry.plain(s.hash, present) && [...(s.by ? [s.by] : []), ...s.excluded].every((h) => this.registry.complete(h, present))) {
        for (const ext of ['.pack', '.idx', '.rev']) unlinkQuiet(this.registry.path(s.hash, ext));
        present.delete(`pack-${s.hash}.pack`);
        if (exists(this.registry.path(s.hash, '.idx'))) keep.push(s);
        else report.deleted.push(s.hash);
      }
    }
    this.registry.writeSuperseded(keep);
  }
}

// One pack whatever pack.packSizeLimit says (a roll-up is complete when git prints its one name).
function packObjectsArgs(packDir: string): string[] {
  return ['-c', 'pack.packSizeLimit=0', 'pack-objects', '--stdin-packs', '-q', '--delta-base-offset', join(packDir, 'pack')];
}

function empty(): ConsolidationReport {
  return { rolled: [], into: null, background: false, deleted: [], warnings: [] };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

function readQuiet(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}
