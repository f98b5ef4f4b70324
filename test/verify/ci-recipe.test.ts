import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RecordV1 } from '../../src/store/record.js';
import { CLI, cleanEnv, exec, guardYaml, notesOf, PROJECT, withGitRepo } from '../helpers/git-repo.js';

// The README's workflow, step by step. GitHub itself isn't run: `uses:` steps are what the test sets
// up by hand (a full clone for checkout with fetch-depth 0; Node is the one running the test), and
// `npm ci` (which would reach the registry) is replaced by linking guardloop into node_modules.
const WORKFLOW = parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'guardloop-ci.yml'), 'utf8')) as {
  jobs: { guardloop: { steps: Array<{ uses?: string; run?: string; if?: string; env?: Record<string, string> }> } };
};

function gitIn(cwd: string, ...args: string[]): string {
  const res = spawnSync('git', args, { cwd, env: cleanEnv(), encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout.trim();
}

// What `npm ci` gives the job here: guardloop resolvable from node_modules/.bin.
function linkGuardloop(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(PROJECT, join(dir, 'node_modules', 'guardloop'), 'dir');
  symlinkSync(CLI, join(dir, 'node_modules', '.bin', 'guardloop'));
}

describe('the CI recipe', () => {
  it('verifies a commit pushed with --no-verify, pushes ℛ back, and the developer sees the CI record after sync', () =>
    withGitRepo(async (dev) => {
      const base = mkdtempSync(join(tmpdir(), 'guardloop-ci-'));
      try {
        const remote = join(base, 'remote.git');
        gitIn(base, 'init', '-q', '--bare', '-b', 'main', remote);
        dev.git('remote', 'add', 'origin', remote);
        dev.installPackage();
        dev.config(`guards:\n${guardYaml('no-bad', '! grep -rq BAD src', '    on: [pre-commit]\n')}`);
        dev.write('src/a.txt', 'fine\n');
        dev.git('add', '-A');
        dev.git('commit', '-q', '-m', 'checked');
        expect((await dev.cli(['verify'])).code).toBe(0);
        dev.git('push', '-q', '-u', 'origin', 'main');
        expect((await dev.cli(['sync'])).code).toBe(0);
        const before = dev.git('rev-parse', 'HEAD');
        // A commit that skipped every hook: no record of its tree anywhere.
        dev.write('src/b.txt', 'also fine\n');
        dev.git('add', '-A');
        dev.git('commit', '-q', '--no-verify', '-m', 'pushed unchecked');
        const sha = dev.git('rev-parse', 'HEAD');
        dev.git('push', '-q', 'origin', 'main');
        expect(notesOf(dev, `${sha}^{tree}`)).toEqual([]);

        // The CI job: a full clone (actions/checkout with fetch-depth: 0), then the recipe's own commands.
        const job = join(base, 'job');
        gitIn(base, 'clone', '-q', remote, job);
        // GitHub's value of the recipe's RANGE expression for this push event (github.event.before..github.sha).
        const githubEnv = { GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_EVENT_NAME: 'push', RANGE: `${before}..${sha}` };
        const outputs: string[] = [];
        for (const step of WORKFLOW.jobs.guardloop.steps) {
          if (step.uses || !step.run) continue;
          if (step.run.trim() === 'npm ci') {
            linkGuardloop(job);
            continue;
          }
          const env = cleanEnv({ ...githubEnv, PATH: `${join(job, 'node_modules', '.bin')}:${process.env.PATH}` });
          const res = await exec('sh', ['-c', step.run], { cwd: job, env });
          outputs.push(`$ ${step.run}\n${res.stdout}${res.stderr}`);
          expect(res.code, outputs.join('\n')).toBe(0);
        }
        const log = outputs.join('\n');
        // The commit that was checked is trusted by its record; the one pushed unchecked is verified here.
        expect(log).toContain(`${sha.slice(0, 12)} pushed unchecked — ACCEPTED (new`);
        expect(log).toContain('1 ACCEPTED, 0 REJECTED, 0 not reproducible');
        // The job's record, made in its own clone.
        const [ciRecord] = gitIn(job, 'notes', '--ref=guardloop', 'show', `${sha}^{tree}`).split('\n').map((l) => JSON.parse(l) as RecordV1);
        expect(ciRecord).toMatchObject({ source: 'CI', hook: 'ci', status: 'ACCEPTED', verify: { commit: sha, outcome: 'new' } });

        // The developer fetches ℛ and sees the job's verdict on the commit they pushed unchecked.
        expect((await dev.cli(['sync'])).code).toBe(0);
        const mine = notesOf(dev, `${sha}^{tree}`) as unknown as RecordV1[];
        expect(mine.map((r) => [r.id, r.source, r.hook])).toEqual([[ciRecord.id, 'CI', 'ci']]);
        const shown = await dev.cli(['log', '--source', 'CI', '--json']);
        expect(shown.stdout).toContain(ciRecord.id);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    }));
});

// The recipe's shape: the steps the README promises (GitHub's own semantics aren't run here).
describe('the CI recipe file', () => {
  it('checks out with fetch-depth 0, fetches ℛ, runs guardloop ci, and pushes ℛ back', () => {
    const steps = WORKFLOW.jobs.guardloop.steps;
    const runs = steps.flatMap((s) => (s.run ? [s.run.trim()] : []));
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(runs).toEqual(['git fetch origin refs/notes/guardloop:refs/notes/guardloop || true', 'npm ci', 'npx guardloop ci "$RANGE"', 'npx guardloop sync']);
  });
});
