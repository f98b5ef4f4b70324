import { resolve } from 'node:path';
import { git, gitRaw, gitOk } from '../git/git.js';
import { SyncFailedError } from '../errors/sync-failed-error.js';
import { SyncNotARemoteError } from '../errors/sync-not-a-remote-error.js';
import { lineIds } from './record-line.js';
import { mergeSubject, NOTES_UPDATE_REFLOG } from '../messages/store.js';
import type { GitNotesRepository } from './repository.js';

export interface SyncResult {
  remote: string;
  // Notes in the remote's ref, and how many records from it were new here.
  fetched: number;
  merged: number;
  pushed: boolean;
  tries: number;
}

function recordCount(text: string): number {
  return lineIds(text).size;
}

// Union of two notes, line by line: every local line in its order, then the remote's lines whose
// record id (or, for lines that aren't records, whose text) isn't here yet.
export function unionNote(local: string, remote: string): string {
  const localLines = local.split('\n').filter((l) => l.trim());
  const ids = lineIds(local);
  const texts = new Set(localLines);
  const add: string[] = [];
  for (const line of remote.split('\n')) {
    if (!line.trim() || texts.has(line)) continue;
    const id = lineIds(line).values().next().value;
    if (id !== undefined && ids.has(id)) continue;
    if (id !== undefined) ids.add(id);
    texts.add(line);
    add.push(line);
  }
  return [...localLines, ...add].map((l) => `${l}\n`).join('');
}

// Merges a notes commit (fetched from elsewhere) into ℛ record by record; the result has both
// tips as parents, so pushing it back is a fast-forward.
export async function mergeNotes(repo: GitNotesRepository, other: string): Promise<number> {
  let merged = 0;
  await repo.notes.update(async (tip, root) => {
    merged = 0;
    if (tip === other || (tip && (await gitOk(['merge-base', '--is-ancestor', other, tip], { cwd: repo.notes.cwd })))) return null;
    const changes = new Map<string, Buffer>();
    for (const n of await repo.notes.list(other)) {
      const mine = await repo.notes.tree.lookup(root, n.target);
      if (mine.length === 1 && mine[0] === n.blob) continue;
      const local = (await repo.notes.noteIn(root, n.target))?.toString('utf8') ?? '';
      const theirs = (await repo.notes.blob(n.blob, n.target)).toString('utf8');
      const union = unionNote(local, theirs);
      if (union === local) continue;
      merged += recordCount(union) - recordCount(local);
      changes.set(n.target, Buffer.from(union, 'utf8'));
    }
    return { notes: changes, parents: [other], message: mergeSubject(other) };
  });
  return merged;
}

// How many records a notes commit holds (every one of them is new to a clone that had none).
async function recordsIn(repo: GitNotesRepository, tip: string): Promise<number> {
  let n = 0;
  for (const note of await repo.notes.list(tip)) n += recordCount((await repo.notes.blob(note.blob, note.target)).toString('utf8'));
  return n;
}

// A clone with no ℛ of its own takes the remote's as it is (a fast-forward from nothing): no merge
// commit with one parent, nothing to push. False when ℛ appeared meanwhile (then it is merged).
async function adoptRemoteNotes(repo: GitNotesRepository, remoteTip: string): Promise<boolean> {
  if (repo.notes.tip() !== null) return false;
  return repo.notes.refFile.swap(remoteTip, null, { message: NOTES_UPDATE_REFLOG, timeoutMs: 10_000 });
}

// The name of the remote a push or sync names: the name itself, or for a URL (or path) the remote
// whose url or pushurl is that URL; null when no configured remote matches.
export async function remoteNamed(cwd: string, remoteOrUrl: string): Promise<string | null> {
  const remotes = (await git(['remote'], { cwd })).split('\n').filter(Boolean);
  if (remotes.includes(remoteOrUrl)) return remoteOrUrl;
  const urls = await git(['config', '--get-regexp', '^remote\\..*\\.(url|pushurl)$'], { cwd, okCodes: [1] });
  const want = sameUrl(cwd, remoteOrUrl);
  for (const line of urls.split('\n')) {
    const m = /^remote\.(.+)\.(?:url|pushurl) (.*)$/.exec(line);
    if (m && remotes.includes(m[1]) && (m[2] === remoteOrUrl || sameUrl(cwd, m[2]) === want)) return m[1];
  }
  return null;
}

// A URL as compared: no trailing slashes; a local path (no scheme, no scp-like host:) made absolute.
function sameUrl(cwd: string, url: string): string {
  const bare = url.replace(/\/+$/, '');
  const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(bare) && !/^[^/]+:/.test(bare);
  return local ? resolve(cwd, bare.replace(/^file:\/\//, '')) : bare;
}

// Whether `remote` is a URL or a path rather than a remote's name.
function looksLikeUrl(remote: string): boolean {
  return remote.includes('/') || remote.includes(':') || remote.includes('\\');
}

// How a sync pushes: `noVerify` skips the remote's pre-push hook for ℛ's own push (the pre-push
// gate's `sync.onPush` pushes ℛ from inside a pre-push hook, which must not start itself again).
export interface SyncOptions {
  noVerify?: boolean;
}

// `guardloop sync`: fetch the remote's ℛ into refs/notes/remotes/<remote>/guardloop, merge it by
// record id, push without force; a push that loses a race starts the cycle again (3 tries). A URL or
// path is synced through the remote that has it (SyncNotARemoteError when none does).
export async function sync(repo: GitNotesRepository, remote: string, tries = 3, opts: SyncOptions = {}): Promise<SyncResult> {
  const cwd = repo.notes.cwd;
  if (looksLikeUrl(remote)) {
    const named = await remoteNamed(cwd, remote);
    if (!named) throw new SyncNotARemoteError(remote, repo.ref);
    remote = named;
  }
  const name = repo.ref.replace(/^refs\/notes\//, '');
  const tracking = `refs/notes/remotes/${remote}/${name}`;
  let lastError = '';
  await repo.restoreJournal(true);
  for (let attempt = 1; attempt <= tries; attempt++) {
    const fetch = await gitRaw(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', remote, `+${repo.ref}:${tracking}`], { cwd, okCodes: [1, 128] });
    let remoteTip: string | null = null;
    if (fetch.code === 0) remoteTip = repo.notes.openRef(tracking).read() ?? ((await git(['rev-parse', '--verify', '-q', tracking], { cwd }).catch(() => '')) || null);
    else if (!/couldn't find remote ref/i.test(fetch.stderr)) {
      lastError = fetch.stderr.trim();
      continue;
    }
    // Notes (annotated objects) in the remote's ref.
    const fetched = remoteTip ? (await repo.notes.list(remoteTip)).length : 0;
    if (remoteTip && (await adoptRemoteNotes(repo, remoteTip))) return { remote, fetched, merged: await recordsIn(repo, remoteTip), pushed: false, tries: attempt };
    const merged = remoteTip ? await mergeNotes(repo, remoteTip) : 0;
    const tip = repo.notes.tip();
    if (!tip || tip === remoteTip) return { remote, fetched, merged, pushed: false, tries: attempt };
    const push = await gitRaw(['push', '--quiet', '--porcelain', ...(opts.noVerify ? ['--no-verify'] : []), remote, `${repo.ref}:${repo.ref}`], { cwd, okCodes: [1, 128] });
    if (push.code === 0) {
      await gitRaw(['update-ref', tracking, tip], { cwd });
      return { remote, fetched, merged, pushed: true, tries: attempt };
    }
    lastError = (push.stderr || push.stdout.toString('utf8')).trim();
  }
  throw new SyncFailedError(remote, tries, lastError);
}

// The remote `guardloop sync` uses when none is named: the branch's upstream remote, else origin, else the only one.
export async function defaultRemote(cwd: string): Promise<string | null> {
  const remotes = (await git(['remote'], { cwd })).split('\n').filter(Boolean);
  const upstream = await git(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'], { cwd }).catch(() => '');
  const fromUpstream = upstream.split('/')[0];
  if (fromUpstream && remotes.includes(fromUpstream)) return fromUpstream;
  if (remotes.includes('origin')) return 'origin';
  return remotes.length === 1 ? remotes[0] : null;
}
