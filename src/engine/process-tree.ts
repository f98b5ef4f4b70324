import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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

// Every process started by `pid`, children before grandchildren.
export function descendants(pid: number): number[] {
  const table = parentTable();
  const children = new Map<number, number[]>();
  for (const [child, parent] of table) {
    const list = children.get(parent) ?? [];
    list.push(child);
    children.set(parent, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const next = children.get(queue.shift()!) ?? [];
    out.push(...next);
    queue.push(...next);
  }
  return out;
}

// Sends a signal to a process and everything it started. Guards stay in the caller's process
// group (so a Ctrl-C or a kill of the commit's group reaches them too); this walks the tree instead.
export function killTree(pid: number, signal: NodeJS.Signals): void {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, signal);
    } catch {
      // Already gone.
    }
  }
}
