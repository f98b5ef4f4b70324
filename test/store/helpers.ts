import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finishRecord, RECORD_VERSION, type RecordDraft, type RecordV1 } from '../../src/store/record.js';

const cleanups: string[] = [];

// Runs git in a test repository and returns trimmed stdout.
export function sh(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' } }).trim();
}

// A fresh repository as the spec's tests want it: main branch, identity set, no auto gc.
export function makeRepo(opts: { identity?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gl-store-'));
  cleanups.push(dir);
  sh(dir, ['init', '-q', '-b', 'main']);
  if (opts.identity !== false) {
    sh(dir, ['config', 'user.name', 'Test User']);
    sh(dir, ['config', 'user.email', 'test@example.com']);
  }
  sh(dir, ['config', 'gc.auto', '0']);
  return dir;
}

export function cleanupRepos(): void {
  for (const d of cleanups.splice(0)) rmSync(d, { recursive: true, force: true });
}

// A fake object id (notes may annotate any object id).
export function fakeOid(seed: string | number): string {
  return createHash('sha1').update(String(seed)).digest('hex');
}

// A valid record on `tree`, distinct for each call.
export function makeRecord(tree: string, over: Partial<RecordDraft> = {}): RecordV1 {
  const draft: RecordDraft = {
    v: RECORD_VERSION,
    ts: new Date().toISOString(),
    hook: 'pre-commit',
    source: 'HUMAN',
    agent: null,
    session: randomBytes(6).toString('hex'),
    base: null,
    tree,
    status: 'ACCEPTED',
    reward: 1,
    spec: { configHash: 'c0ffee', guardSetHash: 'g5', guards: [{ id: 'typecheck', invariant: 'In this codebase, X must never happen, because it causes Y.', layer: 'type', run: 'true' }], task: null },
    artifact: { diff: 'diff --git a/x b/x\n+hello\n', files: ['x'], truncated: false },
    verdicts: [{ guard: 'typecheck', status: 'pass', exit: 0, ms: 12, feedback: '' }],
    history: [],
    provenance: [],
    retry: 0,
    ...over,
  };
  return finishRecord(draft).record;
}
