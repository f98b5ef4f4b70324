// Git's object encodings (tree and commit bodies), shared by the object store and the notes layer.

export interface TreeEntry {
  mode: string;
  name: string;
  oid: string;
}

// Directory entries sort as if their name ended with '/': git's tree order.
function sortKey(e: TreeEntry): string {
  return e.mode === '40000' ? `${e.name}/` : e.name;
}

// Parses a tree object body into entries (oids as hex).
export function parseTree(body: Buffer, hashLen: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let i = 0;
  while (i < body.length) {
    const sp = body.indexOf(0x20, i);
    const nul = body.indexOf(0, sp);
    if (sp < 0 || nul < 0 || nul + 1 + hashLen > body.length) throw new Error('corrupt tree object');
    entries.push({
      mode: body.toString('latin1', i, sp),
      name: body.toString('utf8', sp + 1, nul),
      oid: body.toString('hex', nul + 1, nul + 1 + hashLen),
    });
    i = nul + 1 + hashLen;
  }
  return entries;
}

// Serialises entries in git's canonical order (sorted, directories as name + '/').
export function formatTree(entries: TreeEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => {
    const ka = sortKey(a);
    const kb = sortKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const parts: Buffer[] = [];
  for (const e of sorted) {
    parts.push(Buffer.from(`${e.mode} ${e.name}\0`, 'utf8'), Buffer.from(e.oid, 'hex'));
  }
  return Buffer.concat(parts);
}

export interface Signature {
  name: string;
  email: string;
  // Seconds since the epoch and the "+hhmm" offset git prints.
  when: number;
  tz: string;
}

export interface CommitFields {
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

function formatSignature(s: Signature): string {
  const clean = (v: string) => v.replace(/[<>\n]/g, '').trim();
  return `${clean(s.name)} <${clean(s.email)}> ${s.when} ${s.tz}`;
}

// Serialises a commit body as `git commit-tree` would.
export function formatCommit(c: CommitFields): Buffer {
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`), `author ${formatSignature(c.author)}`, `committer ${formatSignature(c.committer)}`];
  return Buffer.from(`${lines.join('\n')}\n\n${c.message.endsWith('\n') ? c.message : `${c.message}\n`}`, 'utf8');
}

// Reads the tree, parents, committer time (seconds) and subject line of a commit body.
export function parseCommit(body: Buffer): { tree: string; parents: string[]; time: number; subject: string } {
  const split = body.indexOf('\n\n');
  const head = body.toString('utf8', 0, Math.max(0, split) || body.length);
  const subject = split < 0 ? '' : body.toString('utf8', split + 2, Math.min(body.length, split + 202)).split('\n')[0];
  let tree = '';
  const parents: string[] = [];
  let time = 0;
  for (const line of head.split('\n')) {
    if (line.startsWith('tree ')) tree = line.slice(5);
    else if (line.startsWith('parent ')) parents.push(line.slice(7));
    else if (line.startsWith('committer ')) time = Number(/> (\d+) [+-]\d{4}$/.exec(line)?.[1] ?? 0);
  }
  if (!tree) throw new Error('corrupt commit object');
  return { tree, parents, time, subject };
}

// The "+hhmm" offset of the local time zone, as git writes it.
export function localTz(date = new Date()): string {
  const off = -date.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}
