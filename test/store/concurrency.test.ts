import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { bundleFixture } from './fixtures/bundle.js';
import { cleanupRepos, fakeOid, makeRepo, sh } from './helpers.js';

let writer = '';
beforeAll(async () => {
  writer = await bundleFixture(join(import.meta.dirname, 'fixtures', 'writer.ts'));
});
afterAll(cleanupRepos);

function runWriter(cwd: string, count: number, label: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, cwd, String(count), label], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b));
    child.stderr.on('data', (b: Buffer) => (err += b));
    child.on('close', (code) => (code === 0 ? resolve(out.split('\n').filter((l) => l && l !== 'ready')) : reject(new Error(`writer ${label} exit ${code}: ${err}`))));
  });
}

// Native `git notes add` in a loop until told to stop: it swaps the ref without checking its old value.
function nativeWriter(cwd: string): { stop: () => Promise<number> } {
  let running = true;
  let n = 0;
  const done = (async () => {
    while (running) {
      await new Promise<void>((resolve) => {
        const c = spawn('git', ['notes', '--ref=guardloop', 'add', '-f', '-m', `native ${n}`, fakeOid(`native-${n}`)], { cwd, stdio: 'ignore' });
        c.on('close', () => resolve());
      });
      n++;
    }
    return n;
  })();
  return {
    stop: async () => {
      running = false;
      return done;
    },
  };
}

describe('concurrent writers', () => {
  it('16 processes × 25 records: every record present, no lock left', async () => {
    const dir = makeRepo();
    const ids = (await Promise.all(Array.from({ length: 16 }, (_, w) => runWriter(dir, 25, `w${w}`)))).flat();
    expect(ids).toHaveLength(400);
    expect(existsSync(join(dir, '.git', 'refs', 'notes', 'guardloop.lock'))).toBe(false);
    // Checked with plain git before any guardloop command could restore anything from the journal.
    const notes = sh(dir, ['notes', '--ref=guardloop', 'list']).split('\n');
    expect(notes).toHaveLength(400);
    const stored = new Set(execFileSync('sh', ['-c', 'git notes --ref=guardloop list | cut -d" " -f1 | git cat-file --batch=""'], { cwd: dir, encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l).id));
    expect(stored).toEqual(new Set(ids));
    expect(sh(dir, ['fsck', '--no-progress', '--no-dangling'])).toBe('');
  }, 240_000);

  it('with a native git notes writer racing: after the next guardloop log, every record is there', async () => {
    const dir = makeRepo();
    const native = nativeWriter(dir);
    const ids = (await Promise.all(Array.from({ length: 16 }, (_, w) => runWriter(dir, 25, `w${w}`)))).flat();
    const nativeWrites = await native.stop();
    expect(nativeWrites).toBeGreaterThan(0);
    expect(ids).toHaveLength(400);
    const repo = await openRepository({ cwd: dir });
    const logged = new Set((await repo.log()).map((r) => r.id));
    const lost = ids.filter((id) => !logged.has(id));
    expect(lost).toEqual([]);
    expect(existsSync(join(dir, '.git', 'refs', 'notes', 'guardloop.lock'))).toBe(false);
    await repo.close();
    // 400 appends fighting a native writer for git's lock: minutes on a loaded 2-core machine, never a verdict.
  }, 240_000);
});
