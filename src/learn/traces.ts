// Extraction's second pass: the selected chains as Trace objects, built from ℛ alone (the final
// record and the attempts its provenance names), a batch of chains at a time. The batches' note
// blobs stream through one `cat-file` (git reads the next batches while one is formatted); memory
// holds a few batches of records.
import type { GitNotesRepository } from '../store/repository.js';
import type { NoteBlob } from '../store/record-scan.js';
import type { RecordV1 } from '../store/record.js';
import type { ChainIndex, IndexEntry } from './chain-index.js';
import type { Trace } from './trace.js';

// Chains per batch of the second pass (about 50 records: small batches die young, see SCAN_BATCH).
export const TRACE_BATCH = 16;

// The records a batch of chains needs (finals and the attempts ℛ has), as index entries.
function needed(index: ChainIndex, finals: IndexEntry[]): IndexEntry[] {
  const out: IndexEntry[] = [];
  for (const f of finals) {
    out.push(f);
    for (const id of index.provenance(f)) {
      const a = index.get(id);
      if (a !== undefined) out.push(a);
    }
  }
  return out;
}

// One chain as a format takes it: its final record, and each attempt its provenance names with the
// attempt's own record where ℛ has it and the entry the final record's history kept.
export function traceOf(final: RecordV1, records: ReadonlyMap<string, RecordV1>): Trace {
  const entries = new Map(final.history.map((h) => [h.id, h]));
  return {
    final,
    attempts: final.provenance.map((id) => ({ id, record: records.get(id) ?? null, entry: entries.get(id) ?? null })),
    chainId: final.provenance[0] ?? final.id,
    chain: [...final.provenance, final.id],
  };
}

// The traces of `finals`, in their order.
export async function* traces(repo: GitNotesRepository, index: ChainIndex, finals: IndexEntry[], batch = TRACE_BATCH): AsyncGenerator<Trace> {
  const batches: IndexEntry[][] = [];
  for (let i = 0; i < finals.length; i += batch) batches.push(finals.slice(i, i + batch));
  const wanted = batches.map((b) => needed(index, b));
  const groups: NoteBlob[][] = wanted.map((list) =>
    list.flatMap((e) => {
      const blob = index.blob(e);
      return blob === null ? [] : [{ blob, target: index.target(e) }];
    }),
  );
  let b = 0;
  for await (const byBlob of repo.readBack(groups)) {
    const records = new Map<string, RecordV1>();
    for (const e of wanted[b]) {
      const id = index.id(e);
      const blob = index.blob(e);
      const record = blob === null ? index.journalOnly.get(id) : byBlob.get(blob)?.find((r) => r.id === id);
      if (record) records.set(id, record);
    }
    for (const f of batches[b]) {
      const final = records.get(index.id(f));
      if (final) yield traceOf(final, records);
    }
    b += 1;
  }
}
