// `extract --checkpoint FILE`: where the last export stood (the notes commit it read, and the records
// only the journal held then), so the next export emits only chains whose final record is new since.
// What is new is found natively: `git diff-tree` between the two notes commits names the notes that
// changed, and a record in a changed note whose id the old note lacked is new.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { CheckpointError } from '../errors/checkpoint-error.js';
import { ExportWriteError } from '../errors/export-write-error.js';
import { gitRaw } from '../git/git.js';
import type { GitNotesRepository } from '../store/repository.js';
import { lineIds } from '../store/record-line.js';
import { selectionFlags } from '../messages/extract.js';
import type { ChainIndex, IndexEntry } from './chain-index.js';
import { sameSelection, selectionSchema, type ExtractSelection } from './extract-selection.js';

// What a checkpoint file holds (validated when read: a file that is no checkpoint is a usage error).
// v2 adds the selection it was written for; a v1 file (no selection) is taken once, as this
// export's selection, and written back as v2.
const fields = {
  // The notes ref exported from.
  ref: z.string(),
  // The notes commit the export read (null: the ref did not exist).
  tip: z.nullable(z.string().check(z.regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/))),
  // Records the export saw in the journal only (the ref lacked them then).
  journal: z.array(z.string()),
};
export const checkpointSchema = z.strictObject({ v: z.literal(2), ...fields, selection: selectionSchema });
const checkpointV1Schema = z.strictObject({ v: z.literal(1), ...fields });
// A checkpoint, as read and written.
export type Checkpoint = z.infer<typeof checkpointSchema>;

// The checkpoint in `file`, or null when there is none yet (the first export: everything is new).
// Throws CheckpointError for a file that is not a checkpoint, or one of another ref, and
// one written for another `selection` (problem other-selection).
export function readCheckpoint(file: string, ref: string, selection: ExtractSelection): Checkpoint | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CheckpointError(file, 'unreadable', (e as Error).message);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(file, 'invalid', (e as Error).message);
  }
  const v1 = (value as { v?: unknown } | null)?.v === 1;
  const parsed = v1 ? checkpointV1Schema.safeParse(value) : checkpointSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CheckpointError(file, 'invalid', `${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'not a checkpoint'}`);
  }
  if (parsed.data.ref !== ref) throw new CheckpointError(file, 'other-ref', parsed.data.ref);
  // v1: the selection is unknown; this export's is taken (and written with the next checkpoint).
  if (parsed.data.v === 1) return { ...parsed.data, v: 2, selection };
  if (!sameSelection(parsed.data.selection, selection)) throw new CheckpointError(file, 'other-selection', selectionFlags(parsed.data.selection), { written: parsed.data.selection, asked: selection });
  return parsed.data;
}

// Writes the checkpoint after an export completed (a temp file beside it, renamed over it).
export function writeCheckpoint(file: string, cp: Checkpoint): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, `${JSON.stringify(cp)}\n`);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new ExportWriteError(file, 'checkpoint', (e as Error).message);
  }
}

const ZERO = /^0+$/;

// Whether a record (an entry of `index`, this export's scan of `tip`) was not in ℛ when checkpoint
// `cp` (read from `file`) was written. Throws CheckpointError when git lacks its notes commit.
export async function newSince(repo: GitNotesRepository, index: ChainIndex, file: string, cp: Checkpoint, tip: string | null): Promise<(e: IndexEntry) => boolean> {
  const seen = new Set(cp.journal);
  const cwd = repo.notes.cwd;
  if (cp.tip !== null) {
    const { stdout, code } = await gitRaw(['cat-file', '-t', cp.tip], { cwd, okCodes: [1, 128] });
    if (code !== 0 || stdout.toString('utf8').trim() !== 'commit') throw new CheckpointError(file, 'tip-missing', cp.tip);
  }
  // The ref is where it was: only records the journal holds now and did not then are new.
  const journalOnly = (e: IndexEntry) => index.blob(e) === null && !seen.has(index.id(e));
  if (cp.tip === tip) return journalOnly;
  // No ref then: every record is new.
  if (cp.tip === null) return (e) => !seen.has(index.id(e));
  // No ref now (ℛ was deleted): only journaled records can show.
  if (tip === null) return journalOnly;
  const raw = (await gitRaw(['diff-tree', '-r', '-z', '--no-renames', cp.tip, tip], { cwd })).stdout.toString('utf8').split('\0');
  // Per note (its object, as the path without fanout slashes): the new blobs, and the old ones.
  const changed = new Set<string>();
  const old = new Map<string, string[]>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [, , oldOid, newOid] = raw[i].slice(1).split(' ');
    const target = raw[i + 1].replaceAll('/', '');
    if (newOid && !ZERO.test(newOid)) changed.add(`${target} ${newOid}`);
    if (oldOid && !ZERO.test(oldOid)) old.set(target, [...(old.get(target) ?? []), oldOid]);
  }
  const oldIds = await idsOf(repo, old);
  return (e) => {
    const id = index.id(e);
    const blob = index.blob(e);
    const target = index.target(e);
    return !seen.has(id) && (blob === null || (changed.has(`${target} ${blob}`) && !oldIds.get(target)?.has(id)));
  };
}

// The record ids in the old notes of changed objects (unvalidated lines: an id is all that counts).
async function idsOf(repo: GitNotesRepository, old: Map<string, string[]>): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const all = [...old].flatMap(([target, blobs]) => blobs.map((blob) => ({ target, blob })));
  for (let i = 0; i < all.length; i += 256) {
    const chunk = all.slice(i, i + 256);
    const got = await repo.notes.objects.readMany(chunk.map((c) => c.blob));
    for (let j = 0; j < chunk.length; j++) {
      const { target, blob } = chunk[j];
      const data = got[j]?.type === 'blob' ? got[j]!.data : await repo.notes.blob(blob, target);
      const ids = out.get(target) ?? new Set<string>();
      for (const id of lineIds(data.toString('utf8'))) ids.add(id);
      out.set(target, ids);
    }
  }
  return out;
}

// The checkpoint an export leaves after reading `tip` (`journal`: the records it saw in the journal
// only). With the ref gone now (tip null) after a checkpoint at a notes commit, that commit stays:
// tip null would make the next export, once the ref is back, count everything as new.
export function nextCheckpoint(prev: Checkpoint | null, ref: string, tip: string | null, journal: string[], selection: ExtractSelection): Checkpoint {
  if (tip === null && prev && prev.tip !== null) return { v: 2, ref, tip: prev.tip, journal: [...new Set([...prev.journal, ...journal])], selection };
  return { v: 2, ref, tip, journal, selection };
}
