// Wording for a damaged or unexpected repository: which object or file, what is wrong with it, and
// the git commands that inspect and repair it (never "a bug in guardloop": guardloop changed nothing).

// What is wrong with an object guardloop needed.
export type CorruptProblem = 'unreadable' | 'missing' | 'wrong-type';

// What an object error tells (its data, and what its message is built from).
export interface CorruptObjectDetail {
  oid: string;
  // The loose object file or pack holding it (for a missing object: a pack index that can't be read), when known.
  file: string | null;
  problem: CorruptProblem;
  // The type the object should have had (a ref's commit, a notes tree), for missing and wrong-type.
  expected: string | null;
  // What the reader or git said.
  detail: string;
  // The ref being read (ℛ's, as a rule), when known.
  ref: string | null;
  // The ref that names this very object (it is the ref's tip): the repair is to point the ref back.
  tipOf?: string | null;
}

function what(d: CorruptObjectDetail): string {
  const kind = d.expected ?? 'object';
  const named = d.tipOf ? `, which ${d.tipOf} names,` : '';
  if (d.problem === 'missing') return `${kind} ${d.oid}${named} is missing`;
  const where = d.file ? ` (${d.file})` : '';
  if (d.problem === 'wrong-type') return `object ${d.oid}${where}${named} is not the ${kind} it should be`;
  return `${kind} ${d.oid}${where}${named} is corrupt`;
}

function packIndex(file: string | null): string | null {
  if (!file) return null;
  if (file.endsWith('.idx')) return file;
  return file.endsWith('.pack') ? file.replace(/\.pack$/, '.idx') : null;
}

// How to look at the broken object (and its pack) itself.
function inspect(d: CorruptObjectDetail): string {
  const idx = packIndex(d.file);
  return `\`git cat-file -p ${d.oid}\`${idx ? ` (its pack: \`git verify-pack -v ${idx}\`)` : ''}`;
}

// How to repair: a ref naming the wrong object is pointed back; a broken object is fetched again.
function repair(d: CorruptObjectDetail): string {
  const refetch = 'move the broken file aside and fetch the objects again from a clone or remote that has them intact (git fetch <remote>), then run git fsck again.';
  if (!d.tipOf) return `To repair: ${refetch}`;
  const pointBack = `find ${d.tipOf}'s last good commit with \`git reflog show ${d.tipOf}\` and point the ref back at it: \`git update-ref ${d.tipOf} <good commit>\``;
  return d.problem === 'wrong-type' ? `To repair: ${pointBack}.` : `To repair: ${refetch} Or ${pointBack}.`;
}

// The message of CorruptObjectError: the first line says it all (callers that fold errors into one line keep only it); the rest explains.
export function corruptObject(d: CorruptObjectDetail): string {
  const of = d.ref ? `It belongs to ${d.ref}${d.ref === 'refs/notes/guardloop' ? ' (ℛ, the record store)' : ''}; ` : '';
  return (
    `the repository is damaged: ${what(d)}${d.detail ? ` (${d.detail})` : ''}. Check it with \`git fsck --full\`; inspect the object with ${inspect(d)}.\n` +
    `${of}guardloop changed nothing and read no further.\n` +
    repair(d)
  );
}

// The message of CorruptRefError: a ref's file holds neither an object id nor a symbolic ref.
export function corruptRef(ref: string, file: string, content: string): string {
  const shown = JSON.stringify(content.length > 40 ? `${content.slice(0, 40)}…` : content);
  return (
    `the repository is damaged: ref ${ref} (${file}) holds ${shown}, not an object id. Check it with \`git fsck --full\`; see its history with \`git reflog show ${ref}\`.\n` +
    'guardloop changed nothing and read no further.\n' +
    `To repair: point it back at its last good value (\`git update-ref ${ref} <oid>\`, the oid from the reflog), or remove it (\`git update-ref -d ${ref}\`).`
  );
}

// What a broken note blob is (the object the note is on), put before what git said.
export function noteOf(target: string, detail: string): string {
  return `it holds the note on ${target}${detail ? `; ${detail}` : ''}`;
}

// A pack whose size or trailing checksum disagrees with its index (git refuses it too).
export function packMismatch(problem: string): string {
  return `the pack does not match its index: ${problem}; git can't use it either`;
}

// Pack indexes git could not use, for the error about an object that was found nowhere.
export function unusableIndexes(list: Array<[string, string]>): string {
  return `it may be in a pack whose index can't be read: ${list.map(([idx, why]) => `${idx} (${why})`).join(', ')}`;
}

// What git said about a pack it found shorter or longer than its index describes.
export const PACK_SIZE_OR_CHECKSUM = 'its size or trailing checksum differs from what the index describes';
