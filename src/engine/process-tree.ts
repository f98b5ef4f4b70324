import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { processAlive, startToken } from '../git/process-alive.js';

// Parent of each live process: from /proc on Linux, from `ps` elsewhere.
function parentTable(): Map<number, number> {
  const table = new Map<number, number>();
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // Field 4 (ppid) follows the command name, which is in parentheses and may contain spaces.
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        table.set(Number(name), Number(rest[1]));
      } catch {
        // The process ended while we read.
      }
    }
    if (table.size) return table;
  } catch {
    // No /proc: fall through to ps.
  }
  const out = execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' });
  for (const line of out.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid) table.set(pid, ppid);
  }
  return table;
}

// Every process started by one of `roots` (and still its descendant), children before grandchildren.
function descendants(...roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of parentTable()) {
    const list = children.get(parent) ?? [];
    list.push(child);
    children.set(parent, list);
  }
  const out: number[] = [];
  const queue = [...roots];
  while (queue.length) {
    const next = children.get(queue.shift()!) ?? [];
    out.push(...next);
    queue.push(...next);
  }
  return out;
}

// Processes whose environment holds `marker` (`NAME=value`): a guard's processes that left its tree
// (a double fork, reparented to init) still carry its run's variable. Linux only; elsewhere none.
function marked(marker: string): number[] {
  const found: number[] = [];
  const needle = Buffer.from(`${marker}\0`);
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`);
      const at = environ.indexOf(needle);
      if (at === 0 || (at > 0 && environ[at - 1] === 0)) found.push(Number(name));
    } catch {
      // Gone, or another user's.
    }
  }
  return found;
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

// How a guard's processes are stopped: SIGTERM, then SIGKILL for whatever is left after `graceMs`.
export interface StopOptions {
  graceMs: number;
  // `NAME=value` in the environment of every process of the guard (see `marked`).
  marker?: string;
  pollMs?: number;
}

// Stops a process and everything it started, grandchildren that ignore SIGTERM or were reparented
// included. Guards stay in the caller's process group (so a Ctrl-C or a kill of the commit's group
// reaches them too), so this walks the tree instead: every process found gets SIGTERM and is
// remembered with its start time; the tree under each remembered one is walked again through the
// grace period (catching what they start meanwhile, before their parent dies and they are
// reparented); at its end every remembered process still alive gets SIGKILL (a reused pid is left
// alone). Resolves early once all are gone, never before the SIGKILL when something remained.
export async function stopTree(pid: number, opts: StopOptions): Promise<void> {
  const known = new Map<number, string | undefined>();
  const alive = (p: number) => processAlive(p, known.get(p));
  // Finds processes not seen yet (the whole tree is read before any is signalled: a parent that dies
  // first would hand its children to init) and signals them; true when there were any.
  const sweep = (roots: number[], signal: NodeJS.Signals) => {
    const found = [...roots, ...tree(roots), ...(opts.marker ? marked(opts.marker) : [])].filter((p) => {
      if (known.has(p)) return false;
      const token = startToken(p);
      if (token === null) return false;
      known.set(p, token === 'unknown' ? undefined : token);
      return true;
    });
    for (const p of found) send(p, signal);
    return found.length > 0;
  };
  const again = (signal: NodeJS.Signals) => sweep([...known.keys()].filter(alive), signal);
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  sweep([pid], 'SIGTERM');
  const end = Date.now() + opts.graceMs;
  while (Date.now() < end) {
    if (![...known.keys()].some(alive)) return;
    await wait(Math.min(opts.pollMs ?? 50, Math.max(1, end - Date.now())));
    again('SIGTERM');
  }
  again('SIGTERM');
  // SIGKILL until a sweep finds nothing new (a process may have forked just before its kill).
  for (let round = 0; round < 10; round++) {
    for (const p of known.keys()) if (alive(p)) send(p, 'SIGKILL');
    if (!again('SIGKILL')) break;
  }
}

// Descendants of `roots`; none when there is no process table to read (no /proc, no ps): then only
// the roots themselves are stopped.
function tree(roots: number[]): number[] {
  try {
    return descendants(...roots);
  } catch {
    return [];
  }
}
