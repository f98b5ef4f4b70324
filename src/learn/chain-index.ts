// Extraction's first pass: a compact index of every record in ℛ (no diffs, no feedback kept), from
// which the chains are found and Φ judged; the second pass reads back only what the selected
// chains need, by the note blob each entry names. Kept in columns (an entry is a number), so that
// 100,000 records cost about 30 MB rather than an object graph's 70.
import type { ScannedRecord } from '../store/record-scan.js';
import type { RecordV1 } from '../store/record.js';
import type { ChainFacts } from './trace.js';

// One record of the index: its row.
export type IndexEntry = number;

// Why a chain is never a positive example.
export type Kind = 'accepted' | 'rejected' | 'escalated' | 'approved';

const STATUSES = ['ACCEPTED', 'REJECTED', 'SKIPPED'] as const;
const ESCALATED = 4;
const APPROVAL = 8;
const NONE: never[] = [];

// The guards that failed in a record (its own verdicts and the attempts its history names), and each
// one's layer in its spec.
interface Failures {
  guards: string[];
  layers: Array<string | null>;
}
const NO_FAILURES: Failures = { guards: NONE, layers: NONE };

const failed = (status: string) => status !== 'pass' && status !== 'skipped';

// Strings that repeat across records (sources, hooks, agents, guard ids, layers, paths) kept once.
class Interner {
  private readonly seen = new Map<string, string>();
  get(s: string): string {
    const hit = this.seen.get(s);
    if (hit !== undefined) return hit;
    this.seen.set(s, s);
    return s;
  }
}

// A column of numbers that grows as rows are added.
class Column<A extends Float64Array | Int32Array | Uint8Array> {
  data: A;
  constructor(private readonly make: (n: number) => A) {
    this.data = make(1024);
  }
  set(row: number, v: number): void {
    if (row >= this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[row] = v;
  }
}

// The index of pass 1 and what it answers: which records end a chain, a chain's facts for Φ, and
// why a chain can't be a positive example.
export class ChainIndex {
  private readonly rows = new Map<string, number>();
  private readonly ids: string[] = [];
  // Where each record is: its note blob (null: only the journal holds it) and the note's object.
  private readonly blobs: Array<string | null> = [];
  private readonly targets: string[] = [];
  private readonly sources: Array<RecordV1['source']> = [];
  private readonly hooks: Array<RecordV1['hook']> = [];
  private readonly agents: Array<string | null> = [];
  // The rejected attempts before each record, oldest first (record ids).
  private readonly provenances: string[][] = [];
  // The guards that failed in each record or in the attempts its history names, with each one's
  // layer as that record's spec gives it (shared by the records that failed alike).
  private readonly failures: Failures[] = [];
  private readonly sharedFailures = new Map<string, Failures>();
  // Status (its index in STATUSES), escalated and approval bits.
  private readonly flags = new Column((n) => new Uint8Array(n));
  private readonly retries = new Column((n) => new Int32Array(n));
  // Milliseconds since the epoch (NaN when the record's ts does not parse).
  private readonly times = new Column((n) => new Float64Array(n));
  // The paths an agent's accepted change touched (checked against the approved paths at the end).
  private readonly agentPaths = new Map<number, string[]>();
  // Ids named in some record's provenance: those records are attempts, not the end of a chain
  // (built once the scan is done, see seal()).
  private named: Set<string> | null = null;
  private readonly approvedPaths = new Set<string>();
  private readonly strings = new Interner();
  // Records only the journal holds (no blob to read back): kept whole, as few as the journal holds.
  readonly journalOnly = new Map<string, RecordV1>();
  skipped = 0;
  duplicates = 0;

  // Adds a batch of a scan (a record id seen twice is kept once: the first).
  add(batch: ScannedRecord[]): void {
    this.named = null;
    for (const s of batch) this.addOne(s);
  }

  private addOne({ record: r, blob, target }: ScannedRecord): void {
    if (this.rows.has(r.id)) {
      this.duplicates += 1;
      return;
    }
    const str = this.strings;
    const row = this.ids.length;
    this.rows.set(r.id, row);
    this.ids.push(r.id);
    this.blobs.push(blob);
    this.targets.push(target);
    this.sources.push(str.get(r.source) as RecordV1['source']);
    this.hooks.push(str.get(r.hook) as RecordV1['hook']);
    this.agents.push(r.agent === null ? null : str.get(r.agent));
    // A copy: the parsed array keeps room for more elements.
    this.provenances.push(r.provenance.length ? r.provenance.slice() : NONE);
    const seen: string[] = [];
    for (const h of r.history) for (const v of h.verdicts) if (failed(v.status) && !seen.includes(v.guard)) seen.push(str.get(v.guard));
    for (const v of r.verdicts) if (failed(v.status) && !seen.includes(v.guard)) seen.push(str.get(v.guard));
    this.failures.push(this.failuresOf(r, seen));
    this.flags.set(row, STATUSES.indexOf(r.status) | (r.escalated ? ESCALATED : 0) | (r.approval ? APPROVAL : 0));
    this.retries.set(row, r.retry);
    this.times.set(row, Date.parse(r.ts));
    if (r.approval) for (const p of r.approval.paths) this.approvedPaths.add(str.get(p.path));
    else if (r.source === 'GENERATOR' && r.status === 'ACCEPTED' && r.artifact.files.length) this.agentPaths.set(row, r.artifact.files.map((p) => str.get(p)));
    if (r.status === 'SKIPPED') this.skipped += 1;
    if (blob === null) this.journalOnly.set(r.id, r);
  }

  // The failed guards of a record and their layers in its spec (null: not in it), one shared
  // object per distinct combination (a handful in any ℛ).
  private failuresOf(r: RecordV1, guards: string[]): Failures {
    if (!guards.length) return NO_FAILURES;
    const layers = guards.map((id) => r.spec.guards.find((g) => g.id === id)?.layer ?? null);
    const key = `${guards.join('\0')}\u0001${layers.join('\0')}`;
    let f = this.sharedFailures.get(key);
    if (!f) this.sharedFailures.set(key, (f = { guards: guards.slice(), layers: layers.map((l) => (l === null ? null : this.strings.get(l))) }));
    return f;
  }

  get size(): number {
    return this.ids.length;
  }

  // The entry of a record id, if the index has it.
  get(id: string): IndexEntry | undefined {
    return this.rows.get(id);
  }

  id(e: IndexEntry): string {
    return this.ids[e];
  }

  blob(e: IndexEntry): string | null {
    return this.blobs[e];
  }

  target(e: IndexEntry): string {
    return this.targets[e];
  }

  provenance(e: IndexEntry): readonly string[] {
    return this.provenances[e];
  }

  private status(e: IndexEntry): RecordV1['status'] {
    return STATUSES[this.flags.data[e] & 3];
  }

  // Once every record is in: the provenance ids share the strings of the records they name (one
  // copy of each id), and the set of ids some provenance names.
  private seal(): Set<string> {
    if (this.named) return this.named;
    const named = new Set<string>();
    for (const list of this.provenances) {
      for (let i = 0; i < list.length; i++) {
        const row = this.rows.get(list[i]);
        if (row !== undefined) list[i] = this.ids[row];
        named.add(list[i]);
      }
    }
    this.named = named;
    return named;
  }

  // The records that end a chain: named in no later record's provenance, and never SKIPPED (a skip
  // is no attempt of any chain). Oldest first (ts, then id), the order of the export.
  finals(): IndexEntry[] {
    const named = this.seal();
    const out: IndexEntry[] = [];
    for (let e = 0; e < this.ids.length; e++) if (this.status(e) !== 'SKIPPED' && !named.has(this.ids[e])) out.push(e);
    const t = this.times.data;
    const ids = this.ids;
    return out.sort((a, b) => (t[a] !== t[b] && !(Number.isNaN(t[a]) || Number.isNaN(t[b])) ? t[a] - t[b] : ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  }

  // What a chain's final record is as an example: accepted (a positive), rejected (never accepted),
  // escalated (let through after too many rejections) or approved (an accepted change to protected
  // paths a person approved, or the approval itself).
  kind(final: IndexEntry): Kind {
    const flags = this.flags.data[final];
    if (this.status(final) !== 'ACCEPTED') return flags & ESCALATED ? 'escalated' : 'rejected';
    if (flags & APPROVAL) return 'approved';
    if (this.agentPaths.get(final)?.some((p) => this.approvedPaths.has(p))) return 'approved';
    return 'accepted';
  }

  // What Φ sees of a chain ending in `final`: its own fields and the guards that failed anywhere in
  // the chain, with their layers (from the final record's spec, else the attempt's own).
  facts(final: IndexEntry): ChainFacts {
    const own = this.failures[final];
    const guards = [...own.guards];
    const layers = new Set<string>();
    const missing = new Set<string>();
    own.guards.forEach((g, i) => {
      const l = own.layers[i];
      if (l === null) missing.add(g);
      else layers.add(l);
    });
    const provenance = this.provenances[final];
    for (const id of provenance) {
      const a = this.rows.get(id);
      if (a === undefined) continue;
      const theirs = this.failures[a];
      theirs.guards.forEach((g, i) => {
        if (!guards.includes(g)) {
          guards.push(g);
          missing.add(g);
        }
        const l = theirs.layers[i];
        if (l !== null && missing.has(g)) {
          layers.add(l);
          missing.delete(g);
        }
      });
    }
    const status = this.status(final);
    return {
      status,
      source: this.sources[final],
      agent: this.agents[final],
      hook: this.hooks[final],
      retry: this.retries.data[final],
      ts: this.times.data[final],
      guards,
      layers: [...layers],
      refinement:
        status === 'ACCEPTED' &&
        provenance.some((id) => {
          const a = this.rows.get(id);
          return a === undefined || this.status(a) !== 'ACCEPTED';
        }),
    };
  }
}
