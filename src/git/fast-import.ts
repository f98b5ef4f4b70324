import { GitError } from '../errors/git-error.js';
import { spawn } from 'node:child_process';
import { gitNotStarted } from '../messages/git.js';
import { gitEnv } from './git.js';

// One path of a commit's tree as `git fast-import` sets it: an object git has, new blob content,
// or nothing (deleted).
export type TreeOp = { path: string; mode: string; oid: string } | { path: string; data: Buffer } | { path: string; delete: true };

export interface FastCommit {
  // What changes on top of the first parent's tree (all of the tree when there is none).
  ops: TreeOp[];
  parents: string[];
  author: { name: string; email: string };
  committer: { name: string; email: string };
  message: string;
  // Paths whose ids the caller wants back (the trees and blobs this commit added), '' for the root.
  probe: string[];
}

// A path as fast-import reads it: C-quoted when it could be misread.
function quote(path: string): string {
  return /["\\\n]/.test(path) || path.startsWith(' ') ? `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"` : path;
}

// How a commit's objects are written, by their count: fast-import explodes a pack of fewer than
// fastimport.unpackLimit (100) objects into loose ones, as `git notes` leaves them; syncing that
// short-lived pack to disk first (git's default for packs) would double a write's cost for nothing.
// A larger write stays a pack and keeps git's setting.
function isSmall(c: FastCommit): boolean {
  return c.ops.filter((o) => 'data' in o).length + c.probe.length + 1 < 100;
}

// The stream that writes `c`. It asks for `done` itself (`feature done`, as --done would): once
// it has begun, input that stops early fails the whole write, whether or not the process was told
// --done; before it begins (a process started ahead and never used), input that ends writes nothing.
function stream(c: FastCommit): Buffer {
  const parts: Buffer[] = [];
  // wording-ok: what follows is fast-import's input format, not a message
  const text = (s: string) => parts.push(Buffer.from(s, 'utf8'));
  text('feature done\n');
  const branch = `refs/guardloop/fast-import-${process.pid}`;
  const msg = Buffer.from(c.message, 'utf8');
  // wording-ok: fast-import's input format
  text(`commit ${branch}\nmark :1\nauthor ${c.author.name} <${c.author.email}> now\ncommitter ${c.committer.name} <${c.committer.email}> now\ndata ${msg.length}\n`);
  parts.push(msg);
  text('\n');
  if (c.parents[0]) text(`from ${c.parents[0]}\n`);
  for (const p of c.parents.slice(1)) text(`merge ${p}\n`);
  for (const op of c.ops) {
    if ('delete' in op) text(`D ${quote(op.path)}\n`);
    else if ('data' in op) {
      text(`M 100644 inline ${quote(op.path)}\ndata ${op.data.length}\n`);
      parts.push(op.data);
      text('\n');
    } else text(`M ${op.mode.padStart(6, '0')} ${op.oid} ${quote(op.path)}\n`);
  }
  // A command outside the commit ends it, so its mark can be asked for.
  text('progress built\n');
  for (const p of c.probe) text(`ls :1 ${p ? quote(p) : '""'}\n`);
  text(`get-mark :1\nreset ${branch}\n\ndone\n`);
  return Buffer.concat(parts);
}

// A `git fast-import` started ahead of its input (its start-up overlaps the reads that decide the
// commit): write() sends one commit and waits for git; cancel() ends it unused.
export interface FastImport {
  write(c: FastCommit): Promise<{ commit: string; probed: string[] }>;
  cancel(): void;
}

// Starts fast-import for a small write (see isSmall); a write that turns out large gets a process
// of its own with git's fsync setting. `packEdges`: a file git appends the pack it keeps to (a
// `<pack path>: <commit>` line, `--export-pack-edges`), so the caller knows which packs it wrote;
// its folder must exist. `ahead`: started long before its input (while a run's guards run), so its
// start-up is off the write's path. Then it isn't told --done (input that ends before the stream
// begins — this process killed — is a clean end that writes nothing, where --done would leave a
// crash report in the git dir; the stream asks for `done` itself), and it runs in a process group
// of its own: a Ctrl-C meant for the guards would kill it waiting and leave its empty temporary pack
// (objects/pack/tmp_pack_*) behind, where the end of its input lets it remove it. (Not on Windows,
// where a detached process gets a console window of its own.)
export function startFastImport(cwd: string, small = true, packEdges?: string, ahead = false): FastImport {
  const args = [...(small ? ['-c', 'core.fsync=none'] : []), 'fast-import', '--quiet', ...(ahead ? [] : ['--done']), '--date-format=now', ...(packEdges ? [`--export-pack-edges=${packEdges}`] : [])];
  const child = spawn('git', args, { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'], detached: ahead && process.platform !== 'win32' });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => (err = (err + b.toString('utf8')).slice(-8192)));
  child.stdin.on('error', () => {});
  const closed = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      err += gitNotStarted(e.message);
      resolve(null);
    });
    child.on('close', resolve);
  });
  return {
    async write(c) {
      if (isSmall(c) !== small) {
        this.cancel();
        return startFastImport(cwd, isSmall(c), packEdges).write(c);
      }
      child.stdin.end(stream(c));
      const code = await closed;
      const lines = Buffer.concat(out).toString('utf8').split('\n').filter((l) => l && l !== 'progress built');
      const commit = lines.pop() ?? '';
      if (code !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) throw new GitError(args, code, `${err}${code === 0 ? `\nunexpected output: ${lines.slice(-2).join(' | ')} ${commit}` : ''}`);
      const probed = lines.map((l) => /^\d+ \w+ ([0-9a-f]{40,64})\t/.exec(l)?.[1]).filter((o): o is string => !!o);
      return { commit, probed };
    },
    cancel() {
      // `done` with nothing before it: fast-import ends cleanly having written nothing (input that just
      // stops is "stream ends early", and a crash report file in the git dir).
      child.stdin.end('done\n');
      void closed;
    },
  };
}
