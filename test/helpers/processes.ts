import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// Live processes (not zombies) whose command line contains `token`: how a test proves that no
// process of a guard outlived its run.
export function processesWith(token: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (!stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(token)) found.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

// Processes working in `dir` (git, the hook, guardloop): none may be left once a run is over.
export function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) === dir) found.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

// Polls `test` until it holds or `ms` have passed: a bound on waiting for an event (a marker file,
// processes gone), never asserted as a time.
export async function waitUntil(test: () => boolean, ms = 30_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, Math.min(10, Math.max(0, end - Date.now()))));
  }
  return test();
}
