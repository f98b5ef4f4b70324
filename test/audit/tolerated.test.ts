import { describe, expect, it } from 'vitest';
import { hook, installTranscript, stopPayload, turnStart } from '../agents/helpers.js';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';

// A guard that fails while any src/*.txt holds "bad", naming each such file.
const CONFIG = `guards:\n${guardYaml('tests', "grep -l bad src/*.txt | sed 's/^/FAIL /'; ! grep -q bad src/*.txt", "    inputs: ['src/**']\n    failures: '^FAIL (\\S+)'\n")}`;

describe("an agent's acceptance of its base's own failures vouches for no commit", () => {
  it('audit names it, and ci runs the commit instead of trusting the record', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(CONFIG);
      repo.write('src/old.txt', 'bad\n');
      repo.git('add', '-A');
      expect((await repo.commit('a base that already fails', ['--no-verify'])).code).toBe(0);
      const base = repo.git('rev-parse', 'HEAD');
      // An agent's stop that keeps the base's failure is let through; it then commits that tree.
      installTranscript(repo);
      await turnStart(repo);
      repo.write('src/a.txt', 'good\n');
      const stop = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(stop.stdout).toBe('');
      repo.git('add', '-A');
      const res = await repo.commit('agent: a', ['--no-verify'], { CLAUDECODE: '1' });
      expect(res.code, res.stderr).toBe(0);
      const commit = repo.git('rev-parse', 'HEAD');

      const audited = await repo.cli(['audit', `${base}..HEAD`, '--json']);
      const c = JSON.parse(audited.stdout).commits.find((x: { commit: string }) => x.commit === commit);
      expect(c).toMatchObject({ verdict: 'unverified', cause: { kind: 'tolerated', guards: ['tests'] } });

      const ci = await repo.cli(['ci', `${base}..HEAD`], { env: { CI: 'true' } });
      expect(ci.stdout + ci.stderr).toContain('0 trusted by record');
      expect(ci.code).toBe(1);
    }));
});
