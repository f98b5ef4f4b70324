import type { HookName } from '../config/constants.js';
import type { RecordV1 } from './record.js';

// A problem found while reading ℛ (a line that isn't a record, a record from a newer version…).
export interface StoreWarning {
  object: string;
  reason: string;
  detail: string;
}

export interface LogFilter {
  status?: 'ACCEPTED' | 'REJECTED';
  source?: 'HUMAN' | 'GENERATOR';
  hook?: HookName | 'run';
  since?: Date;
  limit?: number;
}

// ℛ as the engine and the CLI see it: records on git notes under refs/notes/guardloop.
export interface Repository {
  readonly ref: string;
  // Stores records, each in the note of its `tree`; a record id already present is not stored twice.
  // `prepared`: the caller already masked secrets and capped the diff (the engine does, before the
  // record's id is computed), so the store's own safety pass is skipped.
  append(records: RecordV1[], opts?: { prepared?: boolean }): Promise<void>;
  // Every readable record on one tree, oldest first (a direct lookup, never a scan of the ref).
  byTree(tree: string): Promise<RecordV1[]>;
  // Records newest first.
  log(filter?: LogFilter): Promise<RecordV1[]>;
  // A record by id (or unique id prefix), or all records on the tree of a revision.
  show(ref: string): Promise<RecordV1[]>;
  // What readers skipped since the repository was opened.
  warnings(): StoreWarning[];
  close(): Promise<void>;
}
