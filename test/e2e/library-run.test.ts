import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, guardYaml, PROJECT, withGitRepo } from '../helpers/git-repo.js';

// The library API as a program uses it: the built dist/index.js in a process of its own (a run that
// never returns is killed by spawnSync's timeout and fails the test instead of hanging the suite).
const INDEX = join(PROJECT, 'dist', 'index.js');

function script(cwd: string, body: string): { code: number | null; stdout: string; stderr: string } {
  const src = `import { run, openRepository } from ${JSON.stringify(INDEX)};\nconst cwd = ${JSON.stringify(cwd)};\n${body}`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', src], { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 120_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('the library API', () => {
  it('run() without callbacks returns the verdict of every guard and records it', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(`guards:\n${guardYaml('ok', 'true')}${guardYaml('bad', 'echo nope; exit 3')}${guardYaml('also-ok', 'true')}`);
      repo.write('a.txt', 'x\n');
      repo.git('add', '-A');
      const out = script(
        repo.dir,
        `const r = await run({ cwd, hook: 'pre-commit' });\nconsole.log(JSON.stringify({ status: r.status, guards: r.record.verdicts.map((v) => v.guard + ':' + v.status) }));\nconst ℛ = await openRepository({ cwd });\nconsole.log((await ℛ.log()).length);\nawait ℛ.close();`,
      );
      expect(out.code, out.stderr).toBe(0);
      const [first, second] = out.stdout.trim().split('\n');
      expect(JSON.parse(first)).toEqual({ status: 'REJECTED', guards: ['ok:pass', 'bad:fail', 'also-ok:pass'] });
      expect(second).toBe('1');
    }));
});
