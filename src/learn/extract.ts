// E(ℛ, Φ): `guardloop extract` as a library call. Reads ℛ only (never the notes ref's writes, the
// journal's replay, or anything else under .git), in two passes: a streamed scan into a compact
// index (chain-index.ts), then the selected chains read back and formatted (traces.ts), each line
// written as it is made. Memory stays bounded by the batches and the index, however large ℛ is.
import { openRepository } from '../store/repository.js';
import { ChainIndex, type IndexEntry } from './chain-index.js';
import { newSince, readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.js';
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
// usage errors (ExtractUsageError, PolicyError, WhereSyntaxError, CheckpointError: exit 2) before
// anything is read or written; an output or checkpoint that can't be written is an ExportWriteError,
// and leaves both as they were.
export async function extract(opts: ExtractOptions = {}): Promise<ExtractResult> {
  const o = resolveExtract(opts);
  const cp = o.checkpoint ? readCheckpoint(o.checkpoint, o.ref) : null;
  const repo = await openRepository({ cwd: o.cwd, ref: o.ref });
  let files: TreeFiles | null = null;
  let sink: LineSink | null = null;
  try {
    const tip = repo.notes.tip();
    const index = new ChainIndex();
    const isNew = cp && o.checkpoint ? await newSince(repo, index, o.checkpoint, cp, tip) : null;
    const lines: unknown[] | null = o.output === null ? [] : null;
    sink = o.output === null ? collectInto(lines!) : typeof o.output === 'string' ? fileSink(o.output) : streamSink(o.output);
    for await (const batch of repo.scan({ tip })) index.add(batch);
    const { selected, excluded } = select(index, o, isNew);
    files = o.artifact === 'files' ? treeFiles(o.cwd) : null;
    const formatter = createFormatter({ format: o.format, turns: o.turns, artifact: o.artifact, redact: o.redact, readTreeFiles: files?.readTreeFiles });
    let examples = 0;
    let chains = 0;
    for await (const trace of traces(repo, index, selected)) {
      const made = await formatter.lines(trace);
      if (made.length) chains += 1;
      for (const line of made) await sink.write(`${lineJson(line)}\n`);
      examples += made.length;
    }
    await sink.finish();
    sink = null;
    if (o.checkpoint) writeCheckpoint(o.checkpoint, { v: 1, ref: o.ref, tip, journal: [...index.journalOnly.keys()] } satisfies Checkpoint);
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
      lines,
      warnings: repo.warnings(),
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
