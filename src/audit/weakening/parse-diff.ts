// One file of a `git diff --unified=0` between two trees: what each check reads.
export interface DiffFile {
  // Path in the base (null: the file is new) and in the candidate (null: the file was deleted).
  oldPath: string | null;
  newPath: string | null;
  binary: boolean;
  // Lines the candidate adds, numbered as in the candidate's file.
  added: AddedLine[];
  // Lines the candidate removes, numbered as in the base's file; `at` is where the removal sits in the candidate's file.
  removed: RemovedLine[];
}

// A line the candidate adds.
export interface AddedLine {
  line: number;
  text: string;
}

// A line the candidate removes.
export interface RemovedLine {
  line: number;
  at: number;
  text: string;
}

// A path as git prints it in a diff header: bare, or C-quoted ("a/t\303\251st \"x\"") when unusual.
export function unquotePath(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  const bytes: number[] = [];
  const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, '\\': 92 };
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = raw[i + 1];
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(raw.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// `a/x` or `"a/x"` → `x` (the diff is asked for with the a/ and b/ prefixes, whatever the user's config says);
// git ends a ---/+++ name that holds a space with a tab.
function stripPrefix(raw: string): string {
  return unquotePath(raw.replace(/\t$/, '')).replace(/^[ab]\//, '');
}

// The two paths of `diff --git a/P b/P` when no ---/+++ or rename line names them (an empty file, a
// binary file, a mode change): without a rename both halves are the same path.
function headerPath(rest: string): string {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    return stripPrefix(rest.slice(0, end + 1));
  }
  const half = (rest.length - 5) / 2;
  return rest.slice(2, 2 + half);
}

// Parses `git diff --no-color --unified=0 --text` output into files with their added and removed lines.
// A file is binary when a line of its diff holds a NUL byte (`--text` prints every file's lines, so that
// no `-diff` or `binary` attribute hides a text file); git's own "Binary files differ" still counts.
export function parseDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | null = null;
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  // Where a removal sits in the candidate's file when the hunk adds nothing (the line before it, or 1).
  let pureRemovalAt: number | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('diff --git ')) {
      const path = headerPath(line.slice('diff --git '.length));
      file = { oldPath: path, newPath: path, binary: false, added: [], removed: [] };
      files.push(file);
      inHunk = false;
      continue;
    }
    if (!file) continue;
    if (inHunk) {
      if (line.includes('\0')) {
        file.binary = true;
        file.added = [];
        file.removed = [];
      }
      if (file.binary && /^[-+ ]/.test(line)) continue;
      if (line.startsWith('+')) {
        file.added.push({ line: newLine++, text: line.slice(1) });
        continue;
      }
      if (line.startsWith('-')) {
        file.removed.push({ line: oldLine++, at: pureRemovalAt ?? newLine, text: line.slice(1) });
        continue;
      }
      if (line.startsWith(' ')) {
        oldLine++;
        newLine++;
        continue;
      }
      if (line.startsWith('\\')) continue;
      inHunk = false;
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      // For an empty side git names the line before the change (0 at the top): numbering starts after it.
      oldLine = Number(hunk[2] === '0' ? Number(hunk[1]) + 1 : hunk[1]);
      newLine = Number(hunk[4] === '0' ? Number(hunk[3]) + 1 : hunk[3]);
      pureRemovalAt = hunk[4] === '0' ? Math.max(Number(hunk[3]), 1) : null;
      inHunk = true;
    } else if (line.startsWith('new file mode')) file.oldPath = null;
    else if (line.startsWith('deleted file mode')) file.newPath = null;
    else if (line.startsWith('rename from ')) file.oldPath = unquotePath(line.slice('rename from '.length));
    else if (line.startsWith('rename to ')) file.newPath = unquotePath(line.slice('rename to '.length));
    else if (line.startsWith('--- ')) file.oldPath = line === '--- /dev/null' ? null : stripPrefix(line.slice(4));
    else if (line.startsWith('+++ ')) file.newPath = line === '+++ /dev/null' ? null : stripPrefix(line.slice(4));
    else if (line.startsWith('Binary files ') || line === 'GIT binary patch') file.binary = true;
  }
  return files;
}
