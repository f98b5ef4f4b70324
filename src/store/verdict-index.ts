// The verdict index: a derived cache file that finds, for a guard's key, the records in ℛ holding a
// verdict of that guard on the same inputs (issue 13, "run only what changed"). ℛ stays the truth: an
// entry is only a pointer the engine checks against the record before it trusts it, so losing the file
// (deleted, torn, compacted while another run appended) costs reuse, never a wrong verdict.
//
// One line per verdict, tab-separated: `key record tree status [base]` — the guard's key (`<def>-<content>`,
// or `<def>` alone for a guard that ran without one), the record's id, the tree whose note holds it, and
// the verdict's status. Writers append whole lines with one write(2) each (O_APPEND), each batch opened
// by a newline so a torn last line of a killed writer can't swallow the next one; readers skip any
// line that doesn't parse.
import { open, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// One pointer: the key of a verdict (or the bare definition hash), the record that holds it, where.
export interface VerdictIndexEntry {
  key: string;
  record: string;
  tree: string;
  status: string;
  // A run on an agent's turn's base, in a private checkout (a fifth field `base`; readers before it skip
  // the line): it says what the base does, but not in the work tree's surroundings, so it never makes a
  // guard flaky.
  onBase?: true;
}

// The index as read once per run: the definitions it knows, the entries per key (newest first), and
// how many lines the file had (the writer compacts past VERDICT_INDEX_MAX_LINES).
export interface VerdictIndex {
  defs: Set<string>;
  byKey: Map<string, VerdictIndexEntry[]>;
  lines: number;
}

// Lines past which a writer rewrites the file with the newest VERDICT_INDEX_KEEP distinct keys.
export const VERDICT_INDEX_MAX_LINES = 4_000;
// Distinct keys a compaction keeps (the newest ones).
export const VERDICT_INDEX_KEEP = 2_000;

const KEY = /^[0-9a-f]{16}(?:-[0-9a-f]{24})?$/;
const ID = /^[0-9a-f]{32}$/;
const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const STATUS = /^(?:pass|fail|error|timeout|skipped)$/;

// Where the index lives: beside the journal and the chains, in the common git dir (shared by worktrees).
export function verdictIndexFile(commonDir: string): string {
  return join(commonDir, 'guardloop', 'verdict-index');
}

function parseLine(line: string): VerdictIndexEntry | null {
  const [key, record, tree, status, where, extra] = line.split('\t');
  if (extra !== undefined || (where !== undefined && where !== 'base') || !KEY.test(key) || !ID.test(record ?? '') || !OID.test(tree ?? '') || !STATUS.test(status ?? '')) return null;
  return { key, record, tree, status, ...(where === 'base' ? { onBase: true as const } : {}) };
}

function entryLine(e: VerdictIndexEntry): string {
  return `${e.key}\t${e.record}\t${e.tree}\t${e.status}${e.onBase ? '\tbase' : ''}`;
}

// The definition part of a key (`<def>-<content>` or `<def>`).
export function definitionOf(key: string): string {
  return key.slice(0, 16);
}

function parseIndex(text: string): { entries: VerdictIndexEntry[]; lines: number } {
  const entries: VerdictIndexEntry[] = [];
  let lines = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    lines++;
    const e = parseLine(line);
    if (e) entries.push(e);
  }
  return { entries, lines };
}

// Reads the index (an absent or unreadable file is an empty index: nothing to reuse).
export async function readVerdictIndex(commonDir: string): Promise<VerdictIndex> {
  const text = await readFile(verdictIndexFile(commonDir), 'utf8').catch(() => '');
  const { entries, lines } = parseIndex(text);
  const byKey = new Map<string, VerdictIndexEntry[]>();
  const defs = new Set<string>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    defs.add(definitionOf(e.key));
    const list = byKey.get(e.key);
    if (list) list.push(e);
    else byKey.set(e.key, [e]);
  }
  return { defs, byKey, lines };
}

// The newest `keep` distinct keys of the entries (oldest first, as the file holds them).
function newestDistinct(entries: VerdictIndexEntry[], keep: number): VerdictIndexEntry[] {
  const seen = new Set<string>();
  const out: VerdictIndexEntry[] = [];
  for (let i = entries.length - 1; i >= 0 && out.length < keep; i--) {
    if (seen.has(entries[i].key)) continue;
    seen.add(entries[i].key);
    out.push(entries[i]);
  }
  return out.reverse();
}

// Appends the entries of a stored record. `seen`: the lines the file had when this run read it; past
// VERDICT_INDEX_MAX_LINES the file is rewritten instead (read again, the newest distinct keys kept,
// renamed into place): a line another run appended meanwhile may be lost, which only costs reuse.
export async function appendVerdictIndex(commonDir: string, entries: VerdictIndexEntry[], seen: number): Promise<void> {
  if (!entries.length) return;
  const file = verdictIndexFile(commonDir);
  await mkdir(join(commonDir, 'guardloop'), { recursive: true });
  if (seen + entries.length > VERDICT_INDEX_MAX_LINES) {
    const current = parseIndex(await readFile(file, 'utf8').catch(() => '')).entries;
    const kept = newestDistinct([...current, ...entries], VERDICT_INDEX_KEEP);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${kept.map(entryLine).join('\n')}\n`);
    await rename(tmp, file);
    return;
  }
  const handle = await open(file, 'a');
  try {
    await handle.write(`\n${entries.map(entryLine).join('\n')}\n`);
  } finally {
    await handle.close();
  }
}
