// E(ℛ, Φ): `guardloop extract` as a library call. Reads ℛ only (never the notes ref's writes, the
// journal's replay, or anything else under .git), in two passes: a streamed scan into a compact
// index (chain-index.ts), then the selected chains read back and formatted (traces.ts), each line
// written as it is made. Memory stays bounded by the batches and the index, however large ℛ is.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openRepository } from '../store/repository.js';
import { ChainIndex, type IndexEntry } from './chain-index.js';
import { loadConfig } from '../config/load.js';
import { InterruptedError } from '../errors/interrupted-error.js';
import { discoverWithRoot } from '../git/git-dir.js';
import { DEFAULT_CONFIG_FILE } from '../messages/config.js';
import { configRedactUnread } from '../messages/extract.js';
import { newSince, nextCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { fileSink, streamSink, type LineSink } from './export-sink.js';
import { resolveExtract, type ExtractOptions, type ResolvedExtract } from './extract-options.js';
import { createFormatter } from './formats/index.js';
import { treeFiles, type TreeFiles } from './tree-files.js';
import { traces } from './traces.js';
import type { ExtractExclusions, ExtractResult } from './extract-result.js';
import { lineJson } from './formats/line-json.js';

// What extract() takes and answers (src/index.ts exports them beside it).
export type { ExtractOptions } from './extract-options.js';
export type { ExtractExclusions, ExtractResult } from './extract-result.js';

// Exports the chains of ℛ that Φ (a policy, and --where) selects in one training format. Throws the
// usage errors (ExtractUsageError, PolicyError, WhereSyntaxError, CheckpointError: exit 2) before anything is read or written; an output or checkpoint
// that can't be written is an ExportWriteError, and leaves the checkpoint as it was; `signal` stops
// the export with an InterruptedError (an -o temp file removed, the checkpoint as it was).
export async function extract(opts: ExtractOptions = {}): Promise<ExtractResult> {
  const o = resolveExtract(opts);
  const cp = o.checkpoint ? readCheckpoint(o.checkpoint, o.ref, o.selection) : null;
  const config = await configRedact(o.cwd);
  const stopped = () => {
    if (o.signal?.aborted) throw new InterruptedError();
  };
  const repo = await openRepository({ cwd: o.cwd, ref: o.ref });
  let files: TreeFiles | null = null;
  let sink: LineSink | null = null;
  try {
    const tip = repo.notes.tip();
    const index = new ChainIndex();
    const isNew = cp && o.checkpoint ? await newSince(repo, index, o.checkpoint, cp, tip) : null;
    const lines: unknown[] | null = o.output === null ? [] : null;
    stopped();
    sink = o.output === null ? collectInto(lines!) : typeof o.output === 'string' ? fileSink(o.output) : streamSink(o.output, o.signal);
    for await (const batch of repo.scan({ tip })) {
      stopped();
      index.add(batch);
    }
    const { selected, excluded } = select(index, o, isNew);
    files = o.artifact === 'files' ? treeFiles(o.cwd) : null;
    const redact = [...config.patterns, ...o.redact];
    const formatter = createFormatter({ format: o.format, turns: o.turns, text: o.text, artifact: o.artifact, redact, readTreeFiles: files?.readTreeFiles });
    let examples = 0;
    let chains = 0;
    for await (const trace of traces(repo, index, selected)) {
      stopped();
      const made = await formatter.lines(trace);
      if (made.length) chains += 1;
      for (const line of made) await sink.write(`${lineJson(line)}\n`);
      examples += made.length;
    }
    stopped();
    await sink.finish();
    sink = null;
    const next = o.checkpoint ? nextCheckpoint(cp, o.ref, tip, [...index.journalOnly.keys()], o.selection) : null;
    if (o.checkpoint && next) writeCheckpoint(o.checkpoint, next);
    return {
      examples,
      chains,
      records: index.size,
      excluded,
      formatSkipped: { ...formatter.skipped },
      format: o.format,
      policy: o.policy,
      where: o.where,
      ref: o.ref,
      tip,
      output: typeof o.output === 'string' ? o.output : null,
      checkpoint: o.checkpoint,
      checkpointTip: next?.tip ?? null,
      lines,
      warnings: repo.warnings(),
      configWarning: config.warning,
    };
  } finally {
    sink?.abort();
    files?.close();
    await repo.close();
  }
}

// The chains to export, oldest first, and the count of each kind left out. A chain whose final is
// REJECTED is no example of any policy but `all`; an approved change to protected paths is never a
// positive (only `all` with `raw` keeps its records); Φ judges the rest; the checkpoint drops what
// it has seen.
function select(index: ChainIndex, o: ResolvedExtract, isNew: ((e: IndexEntry) => boolean) | null): { selected: IndexEntry[]; excluded: ExtractExclusions } {
  const excluded: ExtractExclusions = { skipped: index.skipped, escalated: 0, rejected: 0, approved: 0, unmatched: 0, exported: 0 };
  const selected: IndexEntry[] = [];
  const all = o.policy === 'all';
  for (const final of index.finals()) {
    const kind = index.kind(final);
    if (!all && (kind === 'escalated' || kind === 'rejected')) {
      excluded[kind] += 1;
      continue;
    }
    if (!o.phi(index.facts(final))) {
      excluded.unmatched += 1;
      continue;
    }
    if (kind === 'approved' && !(all && o.format === 'raw')) {
      excluded.approved += 1;
      continue;
    }
    if (isNew && !isNew(final)) {
      excluded.exported += 1;
      continue;
    }
    selected.push(final);
  }
  return { selected, excluded };
}

// A sink that keeps the lines (extract() without an output).
function collectInto(lines: unknown[]): LineSink {
  return {
    async write(line) {
      lines.push(JSON.parse(line));
    },
    async finish() {},
    abort() {},
  };
}

// The config's `redact:` patterns (the working tree's config at the repository root), masked as
// they are at write time: a record written before a pattern was added, and every file of
// `--artifact files` (read from trees, never masked at write time), need them at export time.
// No config: none. One that doesn't load: none, and a warning saying so (the built-in kinds and
// --redact still apply).
async function configRedact(cwd: string): Promise<{ patterns: RegExp[]; warning: string | null }> {
  const root = discoverWithRoot(cwd)?.root ?? null;
  if (!root || !existsSync(join(root, DEFAULT_CONFIG_FILE))) return { patterns: [], warning: null };
  try {
    const { config, errors } = await loadConfig({ root });
    if (config) return { patterns: config.redact.map((p) => new RegExp(p, 'g')), warning: null };
    const first = errors[0];
    return { patterns: [], warning: configRedactUnread(DEFAULT_CONFIG_FILE, first ? `${first.line ? `line ${first.line}: ` : ''}${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid') };
  } catch (e) {
    return { patterns: [], warning: configRedactUnread(DEFAULT_CONFIG_FILE, (e as Error).message) };
  }
}
