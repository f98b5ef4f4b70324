// `guardloop report` as a library call: one self-contained HTML file of what ℛ says (stats, the
// constraint log, loop health, the latest escalated chains), from one read of ℛ. Reads never write
// anything but the report itself, which appears complete or not at all (a temp file renamed).
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExportWriteError } from '../errors/export-write-error.js';
import { ReportWriteError } from '../errors/report-write-error.js';
import { discoverWithRoot } from '../git/git-dir.js';
import { DEFAULT_REF } from '../store/repository.js';
import type { StoreWarning } from '../store/types.js';
import { VERSION } from '../version.js';
import { constraints } from './constraints.js';
import { fileSink, type LineSink } from './export-sink.js';
import { health } from './health.js';
import { readHistory } from './history.js';
import { latestEscalated } from './report-escalated.js';
import { renderReport } from './report-html.js';
import { stats } from './stats.js';
import { sinceMs } from './stats-since.js';

// Where the report goes without -o: this file in the working directory.
export const DEFAULT_REPORT = 'guardloop-report.html';

// What report() is asked: the repository, the notes ref, `since` (an ISO date or date-time, UTC
// without an offset, or a duration back from now such as 30d: narrows the figures, the charts and
// the escalated chains to the chains started from then on), and where to write (default
// guardloop-report.html in `cwd`; a relative path is taken from `cwd`).
export interface ReportOptions {
  cwd: string;
  ref?: string;
  since?: string;
  output?: string;
}

// What report() wrote: the file's absolute path, its size, its file:// URL, what it counted, and
// what reading ℛ warned about (notes that could not be read: left out; the page says how many).
export interface ReportResult {
  path: string;
  bytes: number;
  url: string;
  records: number;
  chains: number;
  warnings: StoreWarning[];
}

// The repository's name for the page's title: its top folder (a bare repository's folder).
function repoName(cwd: string): string {
  const found = discoverWithRoot(cwd);
  return basename(found?.root ?? found?.gitDir ?? resolve(cwd));
}

// Writes the report. Throws SinceError SINCE_INVALID (exit 2) for a `since` that is no date,
// date-time or duration (before ℛ is read), ReportWriteError when the file can't be written (the
// file at `output` is then as it was).
export async function report(opts: ReportOptions): Promise<ReportResult> {
  const cwd = resolve(opts.cwd);
  const since = sinceMs(opts.since);
  const file = resolve(cwd, opts.output ?? DEFAULT_REPORT);
  const history = await readHistory({ cwd, ref: opts.ref });
  const sinceIso = since === null ? undefined : new Date(since).toISOString();
  const figures = await stats({ cwd, ref: opts.ref, since: sinceIso, history });
  const log = await constraints({ cwd, ref: opts.ref, history });
  const loop = await health({ cwd, ref: opts.ref, history, constraints: log });
  const html = renderReport({
    repo: repoName(cwd),
    ref: opts.ref ?? DEFAULT_REF,
    version: VERSION,
    generated: Date.now(),
    since: sinceIso ?? null,
    stats: figures,
    constraints: log,
    health: loop,
    escalated: latestEscalated(history, since),
    unread: history.warnings.length,
    all: history.records.length,
  });
  // Through export-sink's temp file beside the target (a symlink's target; permission bits of a
  // file being replaced kept), renamed over it once complete.
  let sink: LineSink | null = null;
  try {
    sink = fileSink(file);
    await sink.write(html);
    await sink.finish();
  } catch (e) {
    sink?.abort();
    if (e instanceof ExportWriteError) throw new ReportWriteError(file, e.data.detail);
    throw e;
  }
  return { path: file, bytes: Buffer.byteLength(html), url: pathToFileURL(file).href, records: figures.records, chains: figures.chains.total, warnings: history.warnings };
}
