import { spawn } from 'node:child_process';
import { gitEnv } from '../git/git.js';
import { FollowedOutput } from './followed-output.js';

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

// How much of git's output a BlobStream reads at a time (an object larger than this is read whole),
// and while oids still wait to be written to git: git takes them through a pipe, which holds 64 KB
// (about 1,600 oids) and is refilled only when the event loop turns, so the runs are kept short
// then and the loop turns after each (handed over a whole run of 1 MB at a time, git sat idle,
// waiting for oids, for a quarter of a read of 100,000 notes).
const READ_SIZE = 1 << 20;
const FEEDING_READ_SIZE = 1 << 16;

// Blobs through one `git cat-file --batch --buffer` whose output is followed as git writes it (see
// FollowedOutput), handed back a run of objects at a time, in the order asked for. The oids are
// given at once or as they become known (push, then end): git reads each as soon as it is asked
// for. git starts when the stream is made (streams meant to overlap start together); close() ends
// it and removes its file, whether or not the runs were read (reading them to the end, or ending
// their iteration, closes too).
export class BlobStream {
  private readonly git: FollowedOutput;
  // Objects asked for so far, and whether that is all of them; abort() gives up on the rest.
  private asked = 0;
  private ended = false;
  private aborted = false;

  constructor(cwd: string, oids?: string[]) {
    this.git = new FollowedOutput(cwd, ['cat-file', '--batch', '--buffer'], 'pipe');
    if (oids) {
      this.push(oids);
      this.end();
    }
  }

  push(oids: string[]): void {
    if (!oids.length || this.ended) return;
    this.asked += oids.length;
    this.git.child.stdin!.write(`${oids.join('\n')}\n`);
    this.git.poke();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.git.child.stdin!.end();
    this.git.poke();
  }

  // Stops the runs where they are (what was asked for and not yet handed back is not handed back).
  abort(): void {
    this.aborted = true;
    this.end();
  }

  // The objects, a run at a time. Each entry is a blob's bytes — a view valid until the next run is
  // asked for — or null for an object git doesn't have, that isn't a blob, or that git didn't send
  // (it ended early): the caller reads those alone, where a missing or broken object is a typed
  // error. While oids are still to be written to git, each run lets the event loop turn.
  async *runs(): AsyncGenerator<Array<Buffer | null>> {
    try {
      let buf = Buffer.allocUnsafe(READ_SIZE);
      // Bytes read and not yet handed out: buf[0, have).
      let have = 0;
      let index = 0;
      // The room the object being read needs (more than the buffer: it grows to fit).
      let need = 0;
      while (!this.aborted && (index < this.asked || !this.ended)) {
        if (have === buf.length) need = Math.max(need, have + 1);
        if (need > buf.length) {
          const bigger = Buffer.allocUnsafe(Math.max(need, 2 * buf.length));
          buf.copy(bigger, 0, 0, have);
          buf = bigger;
        }
        const feeding = !this.ended || this.git.child.stdin!.writableLength > 0;
        const n = index < this.asked ? this.git.read(buf, have, feeding ? Math.min(buf.length, have + FEEDING_READ_SIZE) : buf.length) : 0;
        if (n < 0) break;
        if (!n) {
          await this.git.waitForOutput();
          continue;
        }
        have += n;
        const run: Array<Buffer | null> = [];
        let at = 0;
        need = 0;
        while (index < this.asked) {
          // "<oid> <type> <size>\n<bytes>\n", or "<oid> missing\n" (or ambiguous).
          let nl = -1;
          let sp1 = -1;
          let sp2 = -1;
          for (let i = at; i < have; i++) {
            const c = buf[i];
            if (c === 0x0a) {
              nl = i;
              break;
            }
            if (c === 0x20) {
              if (sp1 < 0) sp1 = i;
              else if (sp2 < 0) sp2 = i;
            }
          }
          if (nl < 0) break;
          if (sp2 < 0) {
            run.push(null);
            index += 1;
            at = nl + 1;
            continue;
          }
          const size = Number(buf.toString('latin1', sp2 + 1, nl));
          if (have - (nl + 1) < size + 1) {
            need = nl + 1 - at + size + 1;
            break;
          }
          const isBlob = sp2 - sp1 === 5 && buf[sp1 + 1] === 0x62 && buf[sp1 + 2] === 0x6c && buf[sp1 + 3] === 0x6f && buf[sp1 + 4] === 0x62;
          run.push(isBlob ? buf.subarray(nl + 1, nl + 1 + size) : null);
          index += 1;
          at = nl + 1 + size + 1;
        }
        if (run.length) yield run;
        if (feeding) await new Promise<void>((resolve) => setImmediate(resolve));
        // What is left of a partly read object moves to the front.
        if (at) {
          buf.copy(buf, 0, at, have);
          have -= at;
        }
      }
      // git ended early: what it didn't send is null.
      if (!this.aborted && index < this.asked) yield Array.from({ length: this.asked - index }, () => null);
    } finally {
      this.close();
    }
  }

  close(): void {
    this.git.close();
  }
}
