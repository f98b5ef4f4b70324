import { spawn } from 'node:child_process';
import { gitEnv } from '../git/git.js';

// How many groups may wait, read and unconsumed, before git is held back (its output is paused, so
// git blocks on its write): memory holds at most this many groups plus the one being consumed.
const AHEAD = 2;

// Many objects through one `git cat-file --batch --buffer` (packs opened once), given as groups of
// oids and handed back a group at a time, in order. Each object goes through `each` as soon as its
// bytes arrive (bytes within one chunk of git's output are not copied), so the work on them happens
// between reads of git's output and git keeps writing meanwhile (measured on 100,000 notes: the
// same work done a whole group at a time held git back for a third of the run). `each` gets null
// for an object git doesn't have, or didn't send because it ended early: the caller reads those
// alone, where a missing or broken object is a typed error. `each` runs in the data handler of
// git's output and must not throw. Ending the iteration early ends git.
export async function* streamObjects<T>(cwd: string, groups: string[][], each: (data: Buffer | null, group: number, index: number) => T): AsyncGenerator<T[]> {
  if (!groups.some((g) => g.length)) {
    for (let g = 0; g < groups.length; g++) yield groups[g].map((_, i) => each(null, g, i));
    return;
  }
  const child = spawn('git', ['cat-file', '--batch', '--buffer'], { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const ready: T[][] = [];
  let group = 0;
  let current: T[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  // Moves on past complete groups (an empty one is complete at once).
  const settle = () => {
    while (group < groups.length && current.length === groups[group].length) {
      ready.push(current);
      current = [];
      group += 1;
    }
    if (ready.length >= AHEAD) child.stdout.pause();
    signal();
  };
  const done = (data: Buffer | null) => {
    current.push(each(data, group, current.length));
    if (current.length === groups[group].length) settle();
  };
  // Parse state: the unparsed rest of the last chunk, and an object whose bytes straddle chunks
  // (`need` of them plus git's newline after them, `parts` so far).
  let rest: Buffer = Buffer.alloc(0);
  let need = -1;
  let parts: Buffer[] = [];
  let partsLen = 0;
  const take = (chunk: Buffer) => {
    let buf = chunk;
    let at = 0;
    if (need >= 0 && partsLen) {
      const want = need + 1 - partsLen;
      if (buf.length < want) {
        parts.push(buf);
        partsLen += buf.length;
        return;
      }
      parts.push(buf.subarray(0, want));
      const whole = Buffer.concat(parts, need + 1).subarray(0, need);
      parts = [];
      partsLen = 0;
      need = -1;
      at = want;
      done(whole);
    } else if (rest.length) {
      buf = Buffer.concat([rest, chunk]);
    }
    rest = Buffer.alloc(0);
    while (group < groups.length) {
      if (need < 0) {
        const nl = buf.indexOf(0x0a, at);
        if (nl < 0) break;
        const header = buf.toString('latin1', at, nl);
        at = nl + 1;
        const sp = header.lastIndexOf(' ');
        // "<oid> missing" (or ambiguous): not in this repository.
        if (header.indexOf(' ') === sp) {
          done(null);
          continue;
        }
        need = Number(header.slice(sp + 1));
      }
      if (buf.length - at >= need + 1) {
        const data = buf.subarray(at, at + need);
        at += need + 1;
        need = -1;
        done(data);
        continue;
      }
      // The object goes on in the next chunk(s).
      if (buf.length > at) {
        parts = [buf.subarray(at)];
        partsLen = buf.length - at;
      }
      at = buf.length;
      break;
    }
    if (need < 0 && at < buf.length) rest = buf.subarray(at);
  };
  child.stdout.on('data', take);
  child.stderr.resume();
  // A git that could not start, or ended early, sends nothing more: what is left is null.
  const end = () => {
    ended = true;
    signal();
  };
  child.on('error', end);
  child.on('close', end);
  child.stdin.on('error', () => {});
  child.stdin.end(`${groups.flat().join('\n')}\n`);
  settle();
  try {
    for (let g = 0; g < groups.length; g++) {
      while (!ready.length && !ended) await new Promise<void>((resolve) => (wake = resolve));
      if (ready.length) {
        const out = ready.shift()!;
        if (ready.length < AHEAD) child.stdout.resume();
        yield out;
        continue;
      }
      // git ended early: what it didn't send is null.
      const got = g === group ? current : [];
      for (let i = got.length; i < groups[g].length; i++) got.push(each(null, g, i));
      current = [];
      group = g + 1;
      yield got;
    }
  } finally {
    if (!ended) child.kill();
    // Nothing of this stream outlives it (the child's handles may stay reachable a while).
    child.stdout.off('data', take);
    ready.length = 0;
    current = [];
    groups = [];
  }
}
