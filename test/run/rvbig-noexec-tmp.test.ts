import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, exec, guardYaml, notesOf, withGitRepo } from '../helpers/git-repo.js';

// Whether this process may make a private mount namespace and mount a tmpfs in it (root, unshare
// allowed): the only way to give /dev/shm a `noexec` mount without touching the machine's.
const canMount = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o noexec tmpfs /dev/shm'], { encoding: 'utf8' }).status === 0;

describe('a temporary checkout when /dev/shm is mounted noexec (Docker’s default, CIS hardening) (rvbig)', () => {
  it.skipIf(!canMount)('a guard that runs a script of the repository passes there as it does in place', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(`guards:\n${guardYaml('script', './check.sh')}`);
      repo.write('check.sh', '#!/bin/sh\nexit 0\n');
      chmodSync(join(repo.dir, 'check.sh'), 0o755);
      repo.write('a.txt', 'a\n');
      repo.write('b.txt', 'b\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '-m', 'base');
      repo.write('a.txt', 'a, staged\n');
      repo.git('add', 'a.txt');
      repo.write('b.txt', 'b, unstaged\n');
      const res = await exec('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o noexec,nosuid,nodev tmpfs /dev/shm && exec git commit -m partial'], {
        cwd: repo.dir,
        env: cleanEnv(),
      });
      expect(res.code, res.stderr).toBe(0);
      const [record] = notesOf(repo, 'HEAD^{tree}') as Array<{ status: string; isolated: boolean; verdicts: Array<{ status: string }> }>;
      expect(record).toMatchObject({ status: 'ACCEPTED', isolated: true });
      expect(record.verdicts.map((v) => v.status)).toEqual(['pass']);
      expect(repo.read('b.txt')).toBe('b, unstaged\n');
    }));
});
