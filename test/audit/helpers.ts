import { join } from 'node:path';
import { openRepository } from '../../src/store/repository.js';
import type { RecordDraft } from '../../src/store/record.js';
import { makeRecord } from '../store/helpers.js';
import { guardYaml, type TestRepo } from '../helpers/git-repo.js';

// A config whose one guard fails while a file named `bad` is in the candidate.
export const NO_BAD = `guards:\n${guardYaml('no-bad', 'test ! -e bad')}`;

// Writes one record through the Repository API (as the post-commit hook or verify would).
export async function writeRecord(repo: TestRepo, tree: string, over: Partial<RecordDraft>): Promise<void> {
  const r = await openRepository({ cwd: repo.dir });
  try {
    await r.append([makeRecord(tree, over)]);
  } finally {
    await r.close();
  }
}

// A commit through the installed pre-commit hook (an ACCEPTED record for its tree); returns its sha.
export async function verifiedCommit(repo: TestRepo, file: string, message: string): Promise<string> {
  repo.write(file, `${message}\n`);
  repo.git('add', '-A');
  const res = await repo.commit(message);
  if (res.code !== 0) throw new Error(`commit failed: ${res.stderr}`);
  return repo.git('rev-parse', 'HEAD');
}

// A commit made with --no-verify (no record at all); returns its sha.
export async function unverifiedCommit(repo: TestRepo, file: string, message: string, env: Record<string, string> = {}): Promise<string> {
  repo.write(file, `${message}\n`);
  repo.git('add', '-A');
  const res = await repo.commit(message, ['--no-verify'], env);
  if (res.code !== 0) throw new Error(`commit failed: ${res.stderr}`);
  return repo.git('rev-parse', 'HEAD');
}

// A bare repository inside the test repository's .git (removed with it), added as `origin`.
export function addRemote(repo: TestRepo, name = 'origin'): string {
  const bare = join(repo.dir, '.git', `${name}-remote.git`);
  repo.git('init', '-q', '--bare', bare);
  repo.git('remote', 'add', name, bare);
  return bare;
}

// husky's hooks, the pre-commit hook, and a pre-push hook running the gate.
export function installPushHook(repo: TestRepo): void {
  repo.installHook();
  repo.write('.husky/pre-push', 'guardloop run --hook pre-push "$@"\n');
}
