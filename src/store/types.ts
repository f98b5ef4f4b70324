import type { RecordV1 } from './record.js';

// A problem found while reading ℛ (a line that isn't a record, a record from a newer version…).
export interface StoreWarning {
  object: string;
  reason: string;
  detail: string;
}

export interface LogFilter {
  status?: RecordV1['status'];
  source?: RecordV1['source'];
  hook?: RecordV1['hook'];
  since?: Date;
  limit?: number;
}

// What an append reports besides success: housekeeping after the write (packing loose objects)
// that failed. The records are in the ref all the same; callers show these as warnings.
export interface AppendResult {
  warnings: string[];
}

// ℛ as the engine and the CLI see it: records on git notes under refs/notes/guardloop.
export interface Repository {
  readonly ref: string;
  // Stores records, each in the note of its `tree`; a record id already present is not stored twice.
  // `prepared`: the caller already masked secrets and capped the diff (the engine does, before the
  // record's id is computed), so the store's own safety pass is skipped. Resolves once the records
  // are in the ref; housekeeping that fails after that comes back in `warnings`, never as a rejection.
  append(records: RecordV1[], opts?: { prepared?: boolean }): Promise<AppendResult>;
  // Every readable record on one tree, oldest first (a direct lookup, never a scan of the ref).
  // Reads throw only typed errors: CorruptObjectError / CorruptRefError (a damaged repository, never
  // read as "no records"), GitError (git could not run or failed), StoreReadError (anything else);
  // a journal replay that can't write (a held lock, a file system error) is a warning instead.
  byTree(tree: string): Promise<RecordV1[]>;
  // Records newest first (throws as byTree does).
  log(filter?: LogFilter): Promise<RecordV1[]>;
  // A record by id (or unique id prefix), or all records on the tree of a revision (throws as byTree
  // does, and RecordNotFoundError / AmbiguousRecordError).
  show(ref: string): Promise<RecordV1[]>;
  // What readers skipped since the repository was opened.
  warnings(): StoreWarning[];
  close(): Promise<void>;
}
