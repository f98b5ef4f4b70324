import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { earlierInRecord, feedbackInRecord } from '../messages/run.js';
import type { RecordV1 } from '../store/record.js';
import type { Repository } from '../store/types.js';

// Who a chain of attempts belongs to: a person on one base commit, or one agent session.
export interface ChainKey {
  source: 'HUMAN' | 'GENERATOR';
  base: string | null;
  agent: string | null;
  session: string | null;
  // A person's chain is per worktree: the git dir of a linked worktree (absent in the main one),
  // so attempts in two worktrees on the same commit don't become one chain.
  worktree?: string;
}

export interface ChainState {
  // The rejected attempts so far, oldest first (ids), their feedback, and how many.
  provenance: string[];
  history: RecordV1['history'];
  retry: number;
  escalated: boolean;
  // Ids of attempts whose record could not be written to ℛ (the chain advanced all the same).
  unrecorded: string[];
}

const EMPTY: ChainState = { provenance: [], history: [], retry: 0, escalated: false, unrecorded: [] };

// Bytes of feedback (as stored: UTF-8, JSON-escaped) an earlier attempt keeps in a later record's
// history, shared by its failed guards (the tail of each, at least HISTORY_MIN_PER_GUARD); the full
// text stays in that attempt's own record, named by `provenance`. The whole history keeps at most
// HISTORY_TOTAL_BYTES of feedback (the oldest attempts keep ids and guards only), so a record does
// not grow with the length of its chain.
export const HISTORY_FEEDBACK_BYTES = 1_500;
export const HISTORY_TOTAL_BYTES = 16_384;
const HISTORY_MIN_PER_GUARD = 300;
// Failure ids an attempt keeps in later records' history, per guard: at most this many, and this many
// characters in all (a longer list is cut, and a cut list never reads as the same failures).
export const HISTORY_FAILURE_IDS = 100;
const HISTORY_FAILURE_CHARS = 4_000;

function boundedIds(ids: string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const id of ids.slice(0, HISTORY_FAILURE_IDS)) {
    chars += id.length;
    if (chars > HISTORY_FAILURE_CHARS) break;
    out.push(id);
  }
  return out;
}

const stored = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

// The last part of a guard's output within `max` stored bytes, marked when cut (the full text is in record `id`).
function tailOf(text: string, max: number, id: string): string {
  if (stored(text) <= max) return text;
  let keep = Math.min(text.length, max);
  while (keep > 0 && stored(text.slice(-keep)) > max) keep = Math.floor(keep * 0.8);
  return `${earlierInRecord(text.length - keep, id)}${text.slice(text.length - keep)}`;
}

// The history a record carries: every attempt's id and failed guards, and feedback for the newest
// ones within HISTORY_TOTAL_BYTES.
function capHistory(history: RecordV1['history']): RecordV1['history'] {
  let room = HISTORY_TOTAL_BYTES;
  const out = [...history];
  for (let i = out.length - 1; i >= 0; i--) {
    const size = out[i].verdicts.reduce((n, v) => n + stored(v.feedback), 0);
    if (size <= room) room -= size;
    else {
      room = 0;
      out[i] = { ...out[i], verdicts: out[i].verdicts.map((v) => ({ ...v, feedback: feedbackInRecord(out[i].id) })) };
    }
  }
  return out;
}

// One rejected attempt as later records remember it: its id, status, and each failed guard's
// status with a capped tail of its feedback (order kept, so prompts can be rebuilt). Only engine runs
// (ACCEPTED or REJECTED) are ever attempts of a chain; a SKIPPED record is never one.
export function historyEntry(record: RecordV1): RecordV1['history'][number] {
  const failed = record.verdicts.filter((v) => v.status !== 'pass' && v.status !== 'skipped');
  const each = Math.max(HISTORY_MIN_PER_GUARD, Math.floor(HISTORY_FEEDBACK_BYTES / Math.max(1, failed.length)));
  return {
    id: record.id,
    status: record.status === 'ACCEPTED' ? 'ACCEPTED' : 'REJECTED',
    // A failure's ids stay (bounded): the next attempt tells the same failures from new ones by them.
    verdicts: failed.map(({ guard, status, feedback, failures }) => ({ guard, status, feedback: tailOf(feedback, each, record.id), ...(failures ? { failures: boundedIds(failures) } : {}) })),
  };
}

function keyFile(commonDir: string, key: ChainKey): string {
  const material = key.source === 'GENERATOR' && key.session ? `G:${key.agent}:${key.session}` : `H:${key.source}:${key.base ?? 'unborn'}${key.worktree ? `:${key.worktree}` : ''}`;
  return join(commonDir, 'guardloop', 'chains', createHash('sha256').update(material).digest('hex').slice(0, 24));
}

// What a chain file holds: the state for the next attempt (v2), or (older builds) a pointer to the
// newest REJECTED record whose content is read back from ℛ.
interface ChainFile {
  v?: number;
  id: string;
  tree: string;
  state?: ChainState;
}

// The open chain for a key. The state lives in a local file written after every rejected attempt,
// so the attempt count and escalation advance even when ℛ can't be written (the brake never
// depends on ℛ); a pointer left by an older build is read back from ℛ.
export async function readChain(commonDir: string, key: ChainKey, repo: Repository): Promise<ChainState> {
  let file: ChainFile | null;
  try {
    file = JSON.parse(await readFile(keyFile(commonDir, key), 'utf8'));
  } catch {
    return EMPTY;
  }
  // A torn or foreign file starts a new chain rather than failing every run.
  if (!file || typeof file !== 'object' || typeof file.id !== 'string' || typeof file.tree !== 'string') return EMPTY;
  if (file.v === 2 && file.state && typeof file.state === 'object' && Number.isInteger(file.state.retry) && Array.isArray(file.state.provenance) && Array.isArray(file.state.history))
    return { ...EMPTY, ...file.state, unrecorded: Array.isArray(file.state.unrecorded) ? file.state.unrecorded : [] };
  if (file.v === 2) return EMPTY;
  const last = (await repo.byTree(file.tree)).find((r) => r.id === file.id);
  if (!last || last.status !== 'REJECTED') return EMPTY;
  return { provenance: [...last.provenance, last.id], history: [...last.history, historyEntry(last)], retry: last.retry + 1, escalated: Boolean(last.escalated), unrecorded: [] };
}

// Moves the chain after a run: a rejection extends it, an acceptance or an escalation closes it.
// `recorded` says whether the record reached ℛ (the chain moves either way).
export async function advanceChain(commonDir: string, key: ChainKey, record: RecordV1, prev: ChainState, recorded: boolean): Promise<void> {
  const file = keyFile(commonDir, key);
  if (record.status === 'ACCEPTED' || record.escalated) {
    await rm(file, { force: true });
    return;
  }
  const state: ChainState = {
    provenance: [...record.provenance, record.id],
    history: capHistory([...record.history, historyEntry(record)]),
    retry: record.retry + 1,
    escalated: false,
    unrecorded: recorded ? prev.unrecorded : [...prev.unrecorded, record.id],
  };
  await mkdir(join(commonDir, 'guardloop', 'chains'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ v: 2, id: record.id, tree: record.tree, state } satisfies ChainFile));
  await rename(tmp, file);
}
