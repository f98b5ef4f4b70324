// The pre-push gate: audits exactly the commits a push would add to the remote and refuses the push
// when one has no ACCEPTED record for its tree; with `sync.onPush`, pushes ℛ along after it passes.
import { gitRaw } from '../git/git.js';
import { DEFAULT_REF, openRepository } from '../store/repository.js';
import { remoteNamed, sync } from '../store/sync.js';
import { badPushLine, commitsUnlisted, notesNotPushedToUrl, notesPushed, notesPushFailed, PUSH_NOT_AUDITED, pushAudited, pushRefused } from '../messages/audit.js';
import { judgeCommits, listCommits } from './audit.js';
import { auditSettings } from './settings.js';

export interface PrePushOptions {
  cwd: string;
  // What git wrote to the hook's stdin: `<local ref> <local sha> <remote ref> <remote sha>` lines.
  stdin: string;
  // The hook's arguments: the remote's name (or its URL when pushed to a URL) and its URL.
  remote: string;
  url?: string;
  env?: NodeJS.ProcessEnv;
  // Runs the guards declared `on: [pre-push]` on the pushed tips once the gate let them through;
  // code 1 refuses the push. (The CLI passes the engine's commit run; the gate itself runs no guard.)
  judgeTips?: (tips: string[]) => Promise<PrePushResult>;
  // Prints the gate's lines as they come (before judgeTips prints its own); without it they are returned.
  say?: (line: string) => void;
}

// What the hook ends with: its exit code (1 refuses the push) and the lines to print on stderr.
export interface PrePushResult {
  code: number;
  lines: string[];
}

// One ref a push updates, as git describes it to the pre-push hook.
export interface PushedRef {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

const ZERO = /^0+$/;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

// git's pre-push lines; null for a line that isn't one.
export function parsePushLines(text: string): { refs: PushedRef[]; bad: string | null } {
  const refs: PushedRef[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [localRef, localSha, remoteRef, remoteSha, extra] = line.trim().split(/\s+/);
    if (extra !== undefined || !remoteRef || !SHA.test(localSha ?? '') || !SHA.test(remoteSha ?? '')) return { refs, bad: line };
    refs.push({ localRef, localSha, remoteRef, remoteSha });
  }
  return { refs, bad: null };
}

// The commit an object names (a tag is peeled to its commit), or null (a tag of a tree or blob, an
// object this repository doesn't have).
async function commitOf(cwd: string, sha: string): Promise<string | null> {
  const { stdout, code } = await gitRaw(['rev-parse', '--verify', '--quiet', `${sha}^{commit}`], { cwd, okCodes: [1, 128] });
  return code === 0 ? stdout.toString('utf8').trim() : null;
}

// `guardloop run --hook pre-push [remote] [url]`: the commits each pushed ref would add to the remote
// (reachable from what is pushed, not from any of the remote's refs this repository knows, nor from
// what the remote's ref names now) must each have an ACCEPTED record for their tree. Deleting a ref
// and pushing ℛ itself (refs/notes/…) audit nothing; a tag audits its commit's new history.
export async function prePush(opts: PrePushOptions): Promise<PrePushResult> {
  const env = opts.env ?? process.env;
  const remote = opts.remote || 'the remote';
  if (env.GUARDLOOP === '0') return { code: 0, lines: [PUSH_NOT_AUDITED] };
  const { refs, bad } = parsePushLines(opts.stdin);
  if (bad !== null) return { code: 1, lines: [badPushLine(bad)] };
  const settings = await auditSettings(opts.cwd, env);
  const cwd = settings.repo.root;
  const code = refs.filter((r) => !r.remoteRef.startsWith('refs/notes/') && !ZERO.test(r.localSha));
  const tips = (await Promise.all(code.map((r) => commitOf(cwd, r.localSha)))).filter((c): c is string => c !== null);
  const known = (await Promise.all(code.filter((r) => !ZERO.test(r.remoteSha)).map((r) => commitOf(cwd, r.remoteSha)))).filter((c): c is string => c !== null);
  // A push to a URL: the remote configured with that URL (its tracking refs say what it has), if any.
  const named = opts.remote && !opts.remote.startsWith('-') ? await remoteNamed(cwd, opts.remote) : null;
  const remoteRefs = named ? [`--remotes=${named}`] : [];
  const lines: string[] = [];
  if (tips.length) {
    const listed = await listCommits(cwd, [...new Set(tips), '--not', ...remoteRefs, ...new Set(known)]);
    if ('error' in listed) return { code: 1, lines: [commitsUnlisted(listed.error)] };
    const repo = await openRepository({ cwd });
    try {
      const commits = await judgeCommits(repo, listed, settings.merges);
      const unverified = commits.filter((c) => c.verdict === 'unverified');
      if (unverified.length) return { code: 1, lines: [pushRefused(remote, commits.length, unverified)] };
      lines.push(pushAudited(remote, commits));
    } finally {
      await repo.close();
    }
  } else lines.push(pushAudited(remote, []));
  if (tips.length && opts.judgeTips) {
    if (opts.say) for (const line of lines.splice(0)) opts.say(line);
    const judged = await opts.judgeTips([...new Set(tips)]);
    lines.push(...judged.lines);
    if (judged.code !== 0) return { code: judged.code, lines };
  }
  // A push that carries ℛ itself (`git push origin main refs/notes/guardloop`) needs no second push,
  // which git would refuse anyway ("fetch first") while the first one is under way.
  const carriesNotes = refs.some((r) => r.remoteRef === DEFAULT_REF);
  if (settings.onPush && code.length && opts.remote && !carriesNotes) lines.push(named ? await pushNotes(cwd, named) : notesNotPushedToUrl(opts.remote));
  return { code: 0, lines };
}

// sync.onPush: ℛ fetched, merged and pushed to the remote (its own push skips the pre-push hook);
// a failure is a warning line, never a refused push.
async function pushNotes(cwd: string, remote: string): Promise<string> {
  try {
    const repo = await openRepository({ cwd });
    try {
      const result = await sync(repo, remote, 3, { noVerify: true });
      return notesPushed(remote, result.merged);
    } finally {
      await repo.close();
    }
  } catch (e) {
    return notesPushFailed(remote, (e instanceof Error ? e.message : String(e)).split('\n')[0]);
  }
}
