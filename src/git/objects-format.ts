// Git's tree and commit bodies as ℛ reads them (the bytes come from `git cat-file --batch`; git
// writes every object itself).

export interface TreeEntry {
  mode: string;
  name: string;
  oid: string;
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

// The parts of a commit ℛ's history walk needs.
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
