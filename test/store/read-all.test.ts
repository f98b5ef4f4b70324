import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CorruptObjectError } from '../../src/errors/corrupt-object-error.js';
import { BlobStream } from '../../src/store/blob-stream.js';
import type { JournalEntry } from '../../src/store/journal.js';
import type { NotesStore } from '../../src/store/notes-store.js';
import { NotesListing } from '../../src/store/notes-listing.js';
import type { NoteEntry } from '../../src/store/notes-tree.js';
import { readAll, type ReadAllDeps } from '../../src/store/read-all.js';
import { parseRecordLine } from '../../src/store/record-schema.js';
import { recordLine, type RecordV1 } from '../../src/store/record.js';
import { openRepository } from '../../src/store/repository.js';
import type { StoreWarning } from '../../src/store/types.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';

afterAll(cleanupRepos);

// Reading all of ℛ lists the notes with one `git ls-tree -r -t` instead of walking the notes tree
// tree by tree: the listing must give exactly the notes the walk gives (NotesTree.list), in the
// same order, for every layout git reads — and where the listing can't say (a tree git wouldn't
// write, a subtree git can't read) the walk decides, with its typed errors.

function blob(dir: string, text: string): string {
  return sh(dir, ['hash-object', '-w', '--stdin'], text);
}

// A tree from ls-tree-style lines (git mktree sorts them).
function mktree(dir: string, lines: string[]): string {
  return sh(dir, ['mktree', '--missing'], `${lines.join('\n')}\n`);
}

// A tree object written byte for byte (unsorted entries, duplicate names: what git itself never writes).
function literalTree(dir: string, entries: Array<[mode: string, name: string, oid: string]>): string {
  const body = Buffer.concat(entries.map(([mode, name, oid]) => Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(oid, 'hex')])));
  return execFileSync('git', ['hash-object', '-t', 'tree', '--literally', '-w', '--stdin'], { cwd: dir, input: body, encoding: 'utf8' }).trim();
}

function commitOf(dir: string, tree: string, ref: string): string {
  const commit = sh(dir, ['commit-tree', tree, '-m', 'notes']);
  sh(dir, ['update-ref', ref, commit]);
  return commit;
}

// The notes of a whole listing in the walk's order (NotesTree.list), or null when the walk must say.
function notesFromListing(listing: Buffer, hexLen: number): NoteEntry[] | null {
  const levels: NoteEntry[][] = [];
  const parser = new NotesListing(hexLen);
  const ok = parser.feed(listing.toString('latin1'), (note, level) => (levels[level] ??= []).push(note));
  // The last line ends with its NUL (a listing cut short is no listing).
  return ok && (!listing.length || listing[listing.length - 1] === 0) ? levels.flat() : null;
}

// The blobs `oids` name through one BlobStream, all asked for at once.
async function* followBlobs(dir: string, oids: string[]): AsyncGenerator<Array<Buffer | null>> {
  yield* new BlobStream(dir, oids).runs();
}

function listing(dir: string, tree: string): Buffer {
  return execFileSync('git', ['ls-tree', '-r', '-t', '-z', tree], { cwd: dir });
}

// The repository's side of a read as the tests watch it: records parsed as the repository parses
// them, every warning (held ones once reported) kept in order.
function deps(notes: NotesStore, journal: JournalEntry[] = []) {
  const warnings: StoreWarning[] = [];
  const d: ReadAllDeps = {
    notes,
    parse(out, object, text, held) {
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        const p = parseRecordLine(line);
        if (p.ok) out.push(p.record);
        else (held ?? warnings).push({ object, reason: p.reason, detail: p.detail });
      }
    },
    report: (w) => warnings.push(w),
    journaled: (_tip, keep) => journal.filter(keep),
  };
  return { d, warnings };
}

// What reading all gave before the listing: the notes as the walk finds them, each blob read alone
// in that order, each bad line reported as met; the first damaged note ends it with its error.
async function walkOrder(notes: NotesStore, tip: string | null) {
  const { d, warnings } = deps(notes);
  const records: RecordV1[] = [];
  let error: unknown = null;
  try {
    for (const n of await notes.list(tip)) d.parse(records, n.target, (await notes.blob(n.blob, n.target)).toString('utf8'));
  } catch (e) {
    // A read that fails gives no records.
    records.length = 0;
    error = e;
  }
  return { records, warnings, error };
}

// readAll's records, warnings and error.
async function readAllOf(notes: NotesStore, tip: string | null) {
  const { d, warnings } = deps(notes);
  let records: RecordV1[] = [];
  let error: unknown = null;
  try {
    records = await readAll(d, tip);
  } catch (e) {
    error = e;
  }
  return { records, warnings, error };
}

// The notes under `tree` as the walk finds them and as the listing does, and all of their records
// (and warnings, and errors) as readAll gives them and as the walk would.
async function bothWays(dir: string, tree: string, hexLen = 40) {
  const ref = 'refs/notes/layout';
  const commit = commitOf(dir, tree, ref);
  const repo = await openRepository({ cwd: dir, ref });
  try {
    const walked = await repo.notes.list(commit);
    return { walked, listed: notesFromListing(listing(dir, tree), hexLen), read: await readAllOf(repo.notes, commit), reference: await walkOrder(repo.notes, commit) };
  } finally {
    await repo.close();
  }
}

describe('listing the notes with git ls-tree', () => {
  it("gives git's own fanout layouts exactly as the walk does", async () => {
    const dir = makeRepo();
    // Random ids (a fanout at the root) and 48 sharing 'ab' (a second level under ab/).
    const targets = Array.from({ length: 120 }, (_, i) => fakeOid(i));
    for (let n = 0; n < 16; n++) for (let k = 0; k < 3; k++) targets.push(`ab${n.toString(16)}${fakeOid(`${n}-${k}`).slice(3)}`);
    for (const [i, t] of targets.entries()) execFileSync('git', ['notes', '--ref=native', 'add', '-m', `note ${i}`, t], { cwd: dir });
    const root = sh(dir, ['rev-parse', 'refs/notes/native^{tree}']);
    expect(sh(dir, ['ls-tree', '-r', '--name-only', root]).split('\n').some((p) => /^ab\/[0-9a-f]{2}\/[0-9a-f]{36}$/.test(p))).toBe(true);
    const { walked, listed, read, reference } = await bothWays(dir, root);
    expect(walked).toHaveLength(targets.length);
    expect(listed).toEqual(walked);
    expect(read).toEqual(reference);
    expect(read.warnings).toHaveLength(targets.length);
  });

  it('finds the same notes in a hand-made layout: flat and fanout mixed, other files, odd directories and modes', async () => {
    const dir = makeRepo();
    const id = (s: string) => fakeOid(s);
    // Some notes hold records (the note of `target` holds its own), the rest plain text.
    const recordOf = new Map<string, string>([['flat', id('flat')], ['ab note', `ab${id('ab-note').slice(2)}`], ['cd note', `abcd${id('abcd').slice(4)}`], ['deepest', id('deep')]]);
    const b = (s: string) => blob(dir, recordOf.has(s) ? `${recordLine(makeRecord(recordOf.get(s)!))}\nnot a record\n` : `${s}\n`);
    // Twenty levels of two-digit directories: at the 19th, two digits are left (a note may be named
    // so, a directory is no longer walked).
    const last = id('deep').slice(38);
    let deep = mktree(dir, [`100644 blob ${b('deepest')}\t${last}`, `040000 tree ${mktree(dir, [`100644 blob ${b('below')}\t${last}`])}\t${last === 'ff' ? 'fe' : 'ff'}`]);
    for (let level = 18; level >= 1; level--) deep = mktree(dir, [`040000 tree ${deep}\t${id('deep').slice(2 * level, 2 * level + 2)}`]);
    const cd = mktree(dir, [`100644 blob ${b('cd note')}\t${id('abcd').slice(4)}`, `100644 blob ${b('not a note')}\tREADME`]);
    const zz = mktree(dir, [`100644 blob ${b('under zz')}\t${id('abzz').slice(4)}`]);
    const one = mktree(dir, [`100644 blob ${b('under e')}\t${id('abe').slice(3)}`]);
    const named = mktree(dir, [`100644 blob ${b('x')}\tx`]);
    const ab = mktree(dir, [
      `100644 blob ${b('ab note')}\t${id('ab-note').slice(2)}`,
      `100755 blob ${b('executable')}\t${id('ab-exec').slice(2)}`,
      `040000 tree ${cd}\tcd`,
      `040000 tree ${zz}\tzz`,
      `040000 tree ${one}\te`,
      `040000 tree ${named}\t${id('ab-tree').slice(2)}`,
      `100644 blob ${b('readme')}\tREADME.md`,
    ]);
    const docs = mktree(dir, [`100644 blob ${b('docs note?')}\t${id('docs').slice(2)}`]);
    const upper = mktree(dir, [`100644 blob ${b('upper')}\t${id('AB').slice(2)}`]);
    const entries = [
      `100644 blob ${b('flat')}\t${id('flat')}`,
      `100644 blob ${b('flat too')}\t${id('flat-2')}`,
      `120000 blob ${b('link')}\t${id('symlink')}`,
      `100644 blob ${b('upper case')}\t${id('upper').toUpperCase()}`,
      `100644 blob ${b('notes')}\tnotes.txt`,
      `040000 tree ${ab}\tab`,
      `040000 tree ${docs}\tdocs`,
      `040000 tree ${upper}\tAB`,
      `040000 tree ${deep}\t${id('deep').slice(0, 2)}`,
    ];
    // Records on three levels and more, bad lines among them, in the walk's order.
    const fine = await bothWays(dir, mktree(dir, entries));
    expect(fine.listed).toEqual(fine.walked);
    expect(fine.read).toEqual(fine.reference);
    expect(fine.reference.error).toBeNull();
    expect(fine.read.records.map((r) => r.tree)).toEqual([id('flat'), `ab${id('ab-note').slice(2)}`, `abcd${id('abcd').slice(4)}`, id('deep')]);
    expect(fine.read.warnings.length).toBeGreaterThan(4);
    // A gitlink named as a note: the walk counts it, and finds no blob there.
    const root = mktree(dir, [...entries, `160000 commit ${id('gitlink')}\t${id('gitlink-name')}`]);
    const { walked, listed, read, reference } = await bothWays(dir, root);
    const targets = walked.map((n) => n.target);
    expect(targets).toContain(id('flat'));
    expect(targets).toContain(id('gitlink-name'));
    expect(targets).toContain(`ab${id('ab-note').slice(2)}`);
    expect(targets).toContain(`abcd${id('abcd').slice(4)}`);
    expect(targets).toContain(id('deep'));
    expect(targets.some((t) => t.startsWith('abzz') || t.startsWith('abe'))).toBe(false);
    expect(listed).toEqual(walked);
    // The read ends at the gitlink's note as the walk's does (the same error, the same warnings before it).
    expect(read).toEqual(reference);
    expect(reference.error).toBeInstanceOf(CorruptObjectError);
  });

  it('finds the same notes in a SHA-256 repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-list-256-'));
    try {
      sh(dir, ['init', '-q', '--object-format=sha256']);
      const targets = Array.from({ length: 80 }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));
      for (const [i, t] of targets.entries()) execFileSync('git', ['notes', '--ref=native', 'add', '-m', `note ${i}`, t], { cwd: dir, env: { ...process.env, GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com' } });
      const root = sh(dir, ['rev-parse', 'refs/notes/native^{tree}']);
      const { walked, listed, read, reference } = await bothWays(dir, root, 64);
      expect(walked).toHaveLength(targets.length);
      expect(listed).toEqual(walked);
      expect(read).toEqual(reference);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves trees git would not write to the walk: duplicate names, unsorted entries, a name with a slash', async () => {
    const dir = makeRepo();
    const b1 = blob(dir, 'one\n');
    const b2 = blob(dir, 'two\n');
    const t1 = fakeOid('dup-1');
    const t2 = fakeOid('dup-2');
    const sub1 = mktree(dir, [`100644 blob ${b1}\t${t1.slice(2)}`]);
    const sub2 = mktree(dir, [`100644 blob ${b2}\t${fakeOid('other').slice(2)}`]);
    const layouts = {
      'duplicate notes': literalTree(dir, [['100644', t1, b1], ['100644', t1, b2], ['100644', t2, b1]]),
      'duplicate directories': literalTree(dir, [['40000', t1.slice(0, 2), sub1], ['40000', t1.slice(0, 2), sub2]]),
      unsorted: literalTree(dir, t1 < t2 ? [['100644', t2, b1], ['100644', t1, b2]] : [['100644', t1, b1], ['100644', t2, b2]]),
      'a slash in a name': literalTree(dir, [['100644', `${t1.slice(0, 2)}/${t1.slice(2)}`, b1]]),
    };
    for (const [name, root] of Object.entries(layouts)) {
      const { listed, read, reference } = await bothWays(dir, root);
      expect(listed, name).toBeNull();
      expect(read, name).toEqual(reference);
    }
    // What the walk makes of them: every duplicate note after the first ones, the last of two
    // directories of the same name.
    expect((await bothWays(dir, layouts['duplicate notes'])).walked).toEqual([{ target: t1, blob: b1 }, { target: t2, blob: b1 }, { target: t1, blob: b2 }]);
    expect((await bothWays(dir, layouts['duplicate directories'])).walked.map((n) => n.blob)).toEqual([b2]);
  });

  it('names a subtree git cannot list as the walk does (a CorruptObjectError), never "no records"', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    await repo.append(Array.from({ length: 200 }, (_, i) => makeRecord(fakeOid(`broken-${i}`))));
    const tip = repo.notes.tip()!;
    await repo.close();
    // Every object loose, then one fanout subtree taken away.
    const packDir = join(dir, '.git', 'objects', 'pack');
    for (const name of readdirSync(packDir).filter((n) => n.endsWith('.pack'))) {
      const pack = readFileSync(join(packDir, name));
      for (const ext of ['.pack', '.idx', '.rev']) rmSync(join(packDir, name.replace(/\.pack$/, ext)), { force: true });
      execFileSync('git', ['unpack-objects', '-q'], { cwd: dir, input: pack });
    }
    const sub = sh(dir, ['ls-tree', `${tip}^{tree}`]).split('\n').find((l) => l.includes(' tree '))!.split(/\s+/)[2];
    rmSync(join(dir, '.git', 'objects', sub.slice(0, 2), sub.slice(2)));
    const damaged = await openRepository({ cwd: dir });
    const read = await readAllOf(damaged.notes, tip);
    const reference = await walkOrder(damaged.notes, tip);
    await damaged.close();
    expect(read.error).toBeInstanceOf(CorruptObjectError);
    expect((read.error as CorruptObjectError).data).toMatchObject({ oid: sub, problem: 'missing', expected: 'tree' });
    expect((read.error as CorruptObjectError).data).toEqual((reference.error as CorruptObjectError).data);
    expect(read.warnings).toEqual([]);
  });
});

describe('readAll', () => {
  it('gives the records of every note in the walk\'s order, across many runs of git\'s output, then the journal records the ref lacks, each once', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    for (let i = 0; i < 4_500; i += 500) await repo.append(Array.from({ length: 500 }, (_, j) => makeRecord(fakeOid(`all-${i + j}`))));
    // A note of two records and a line that is no record.
    const pair = [makeRecord(fakeOid('pair')), makeRecord(fakeOid('pair'))];
    await repo.append(pair);
    execFileSync('git', ['notes', '--ref=guardloop', 'append', '-m', 'a comment', fakeOid('all-7')], { cwd: dir });
    await repo.close();

    const reader = await openRepository({ cwd: dir });
    const tip = reader.notes.tip();
    const reference = await walkOrder(reader.notes, tip);
    const known = pair[0];
    const lost = makeRecord(fakeOid('journal-only'));
    const got = deps(reader.notes, [
      { tree: known.tree, id: known.id, line: recordLine(known) },
      { tree: lost.tree, id: lost.id, line: recordLine(lost) },
      // The journal may hold a record twice (a write retried): it is read once.
      { tree: lost.tree, id: lost.id, line: recordLine(lost) },
    ]);
    // The notes come from git's listing: the tree isn't walked.
    const walk = vi.spyOn(reader.notes.tree, 'list');
    const all = await readAll(got.d, tip);
    expect(await readAll(deps(reader.notes, []).d, tip)).toEqual(reference.records);
    expect(walk).not.toHaveBeenCalled();
    await reader.close();
    expect(reference.records).toHaveLength(4_502);
    expect(all).toEqual([...reference.records, lost]);
    expect(got.warnings).toEqual(reference.warnings);
    expect(got.warnings.map((w) => `${w.object} ${w.reason}`)).toEqual([`${fakeOid('all-7')} not-json`]);
  });

  it('names a missing blob as the walk does (a CorruptObjectError, the same warnings before it), never "no records"', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    await repo.append(Array.from({ length: 1_500 }, (_, i) => makeRecord(fakeOid(`first-${i}`))));
    await repo.close();
    for (let i = 0; i < 40; i++) execFileSync('git', ['notes', '--ref=guardloop', 'append', '-m', `comment ${i}`, fakeOid(`first-${i * 30}`)], { cwd: dir });
    const packDir = join(dir, '.git', 'objects', 'pack');
    for (const name of readdirSync(packDir).filter((n) => n.endsWith('.pack'))) {
      const pack = readFileSync(join(packDir, name));
      for (const ext of ['.pack', '.idx', '.rev']) rmSync(join(packDir, name.replace(/\.pack$/, ext)), { force: true });
      execFileSync('git', ['unpack-objects', '-q'], { cwd: dir, input: pack });
    }
    const reader = await openRepository({ cwd: dir });
    const tip = reader.notes.tip();
    const notes = await reader.notes.list(tip);
    // The blob of the note after the fifth one with a comment, and one further on.
    const commented = new Set(Array.from({ length: 40 }, (_, i) => fakeOid(`first-${i * 30}`)));
    const fifth = notes.map((n, i) => (commented.has(n.target) ? i : -1)).filter((i) => i >= 0)[4];
    const gone = notes[fifth + 1];
    for (const n of [gone, notes[fifth + 600]]) rmSync(join(dir, '.git', 'objects', n.blob.slice(0, 2), n.blob.slice(2)));
    const read = await readAllOf(reader.notes, tip);
    const reference = await walkOrder(reader.notes, tip);
    await reader.close();
    expect(read.error).toBeInstanceOf(CorruptObjectError);
    expect((read.error as CorruptObjectError).data).toMatchObject({ oid: gone.blob, problem: 'missing', expected: 'blob' });
    expect((read.error as CorruptObjectError).data).toEqual((reference.error as CorruptObjectError).data);
    expect(read.warnings).toEqual(reference.warnings);
    expect(read.warnings).toHaveLength(5);
  });
});

describe('readAll on a notes ref that names no commit', () => {
  it('gives the error the walk gives (a CorruptObjectError naming the tip), even where git could list the object', async () => {
    const dir = makeRepo();
    const tree = mktree(dir, [`100644 blob ${blob(dir, `${recordLine(makeRecord(fakeOid('t')))}\n`)}\t${fakeOid('t')}`]);
    const repo = await openRepository({ cwd: dir });
    try {
      for (const tip of [tree, fakeOid('no such commit')]) {
        const read = await readAllOf(repo.notes, tip);
        const reference = await walkOrder(repo.notes, tip);
        expect(read.error, tip).toBeInstanceOf(CorruptObjectError);
        expect((read.error as CorruptObjectError).data).toEqual((reference.error as CorruptObjectError).data);
        expect(read.warnings).toEqual([]);
      }
    } finally {
      await repo.close();
    }
  });
});

describe('BlobStream', () => {
  it('reads oids given as they become known, in order, and ends when told', async () => {
    const dir = makeRepo();
    const oids = Array.from({ length: 300 }, (_, i) => blob(dir, `blob ${i}\n`.repeat(1 + (i % 7))));
    const stream = new BlobStream(dir);
    const got: string[] = [];
    const reading = (async () => {
      for await (const run of stream.runs()) for (const data of run) got.push(data!.toString('utf8'));
    })();
    for (let i = 0; i < oids.length; i += 37) {
      stream.push(oids.slice(i, i + 37));
      // The reader takes what git sent so far before the next oids come.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    stream.end();
    await reading;
    expect(got).toEqual(oids.map((_, i) => `blob ${i}\n`.repeat(1 + (i % 7))));
  });

  it('hands back nothing more once aborted, and ends git', async () => {
    const dir = makeRepo();
    const oids = Array.from({ length: 50 }, (_, i) => blob(dir, `b${i}\n`));
    const stream = new BlobStream(dir);
    stream.push(oids);
    stream.abort();
    let n = 0;
    for await (const run of stream.runs()) n += run.length;
    expect(n).toBeLessThanOrEqual(oids.length);
    const all: Array<Buffer | null> = [];
    for await (const run of followBlobs(dir, oids)) all.push(...run.map((d) => d && Buffer.from(d)));
    expect(all.map((d) => d?.toString('utf8'))).toEqual(oids.map((_, i) => `b${i}\n`));
  });
});

describe('BlobStream, all asked for at once', () => {
  it('hands back every blob byte for byte, in order, whatever its size against the read size, and null for what is no blob', async () => {
    const dir = makeRepo();
    const MiB = 1 << 20;
    const sizes = [0, 1, 4095, MiB - 60, MiB - 1, MiB, MiB + 1, 3 * MiB + 7, 10, 0];
    // Bytes of every value (a note is any file), each blob different.
    const contents = sizes.map((n, i) => Buffer.from(Array.from({ length: n }, (_, k) => (k * 7 + i) % 256)));
    const oids = contents.map((c) => execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: c, encoding: 'utf8' }).trim());
    const tree = mktree(dir, [`100644 blob ${oids[1]}\tf`]);
    const asked = [...oids.slice(0, 3), fakeOid('missing'), ...oids.slice(3, 6), tree, ...oids.slice(6)];
    const want = [...contents.slice(0, 3), null, ...contents.slice(3, 6), null, ...contents.slice(6)];
    const got: Array<Buffer | null> = [];
    let runs = 0;
    for await (const run of followBlobs(dir, asked)) {
      runs++;
      // A view is valid until the next run: copied here.
      for (const data of run) got.push(data && Buffer.from(data));
    }
    expect(got).toHaveLength(want.length);
    got.forEach((g, i) => expect(g === null ? null : g.equals(want[i]!), `object ${i}`).toBe(want[i] === null ? null : true));
    expect(runs).toBeGreaterThan(1);
  });

  it('gives null for everything when git cannot read the repository, so the caller reads each alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-follow-none-'));
    try {
      const got: Array<Buffer | null> = [];
      for await (const run of followBlobs(dir, [fakeOid('a'), fakeOid('b')])) got.push(...run);
      expect(got).toEqual([null, null]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
