import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload } from '../agents/helpers.js';

// "Nothing changed, nothing runs": an agent's stop whose candidate is a tree already ACCEPTED for its
// turn's base answers at once with a light record (the verdicts of the record that judged the tree,
// `reused` set, no guard run). The stop guard appends to a marker outside the repository: its line
// count is how often it ran. Every edit changes its file's size (a stop's candidate comes from a copy
// of the index, whose stat cache can't see a same-size edit made within the index's own second).

async function withMarker<T>(fn: (marker: string, count: () => number) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-unchanged-'));
  const marker = join(dir, 'stop');
  const count = () => (existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0);
  try {
    return await fn(marker, count);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A repository whose HEAD a person checked: its pre-commit guard ACCEPTED the tree, then it was committed.
// The stop guard (another guard set, so the whole-tree cache can't answer a stop) counts its runs and
// rejects a TODO under src/.
async function checkedHead(repo: TestRepo, marker: string): Promise<Record<string, any>> {
  repo.installPackage();
  repo.config(`guards:\n${guardYaml('pre', 'true', '    on: [pre-commit]\n')}${guardYaml('stop-check', `echo ran >> '${marker}' && ! grep -rn TODO src`, '    on: [stop]\n')}`);
  repo.write('src/a.js', 'export const a = 1;\n');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'base', '--no-verify');
  repo.write('src/a.js', 'export const a = 2; // checked\n');
  repo.git('add', '-A');
  const run = await repo.cli(['run', '--hook', 'pre-commit', '--json']);
  expect(run.code, run.stderr).toBe(0);
  repo.git('commit', '-qm', 'checked', '--no-verify');
  installTranscript(repo);
  return JSON.parse(run.stdout);
}

const stop = (repo: TestRepo, n: 0 | 1 = 0) => hook(repo, 'claude', stopPayload('claude', repo.dir, n));

describe('nothing changed, nothing runs', () => {
  it('a stop on the tree a person ACCEPTED at its base runs no guard and records a light record', () =>
    withMarker((marker, count) =>
      withGitRepo(async (repo) => {
        const person = await checkedHead(repo, marker);
        // A Q&A turn: the agent answers and changes nothing.
        const reply = await stop(repo);
        expect(reply).toMatchObject({ code: 0, stdout: '' });
        expect(count()).toBe(0);
        const light = records(repo).at(-1)!;
        expect(light).toMatchObject({
          hook: 'stop',
          source: 'GENERATOR',
          agent: 'claude',
          session: '4e994f1e-48f4-4ade-b0e5-8e5f5bea14d2',
          status: 'ACCEPTED',
          reward: 1,
          tree: person.tree,
          base: repo.git('rev-parse', 'HEAD'),
          reused: person.id,
          retry: 0,
          provenance: [],
          artifact: { diff: '', files: [], truncated: false },
          lastMessage: 'Done.',
        });
        expect(light.spec).toMatchObject({ guardSetHash: person.spec.guardSetHash, guards: person.spec.guards, task: 'Create src/a.js exporting a function a().' });
        expect(light.verdicts).toEqual([{ ...person.verdicts[0], ms: 0, reused: person.id }]);

        // The agent changes something: the stop guard runs.
        repo.write('src/a.js', 'export const a = 3; // the agent\n');
        expect((await stop(repo)).stdout).toBe('');
        expect(count()).toBe(1);
        const ran = records(repo).at(-1)!;
        expect(ran).toMatchObject({ status: 'ACCEPTED', verdicts: [{ guard: 'stop-check', status: 'pass' }] });
        expect(ran.reused).toBeUndefined();
      }),
    ));

  it('a tree a person ACCEPTED as a change from the same base answers the stop as well, with that change', () =>
    withMarker((marker, count) =>
      withGitRepo(async (repo) => {
        await checkedHead(repo, marker);
        // The agent edits; a person stages all of it and checks it before the agent stops.
        repo.write('src/b.js', 'export const b = 1;\n');
        repo.git('add', '-A');
        const run = await repo.cli(['run', '--hook', 'pre-commit', '--json']);
        const person = JSON.parse(run.stdout);
        expect(person).toMatchObject({ source: 'HUMAN', status: 'ACCEPTED', base: repo.git('rev-parse', 'HEAD') });
        expect((await stop(repo)).stdout).toBe('');
        expect(count()).toBe(0);
        expect(records(repo).at(-1)).toMatchObject({ source: 'GENERATOR', reused: person.id, tree: person.tree, artifact: person.artifact });
      }),
    ));

  it('an open chain runs its guards again even when the agent went back to the accepted tree', () =>
    withMarker((marker, count) =>
      withGitRepo(async (repo) => {
        const person = await checkedHead(repo, marker);
        repo.write('src/a.js', 'export const a = 2; // TODO\n');
        expect(JSON.parse((await stop(repo)).stdout).decision).toBe('block');
        // Once on the candidate and once on the base (the guard failed; its verdict on the base was not in ℛ).
        expect(count()).toBe(2);
        // Back to the accepted content (the base's own tree): the chain's closing record is a run carrying
        // the chain, whose guards are not run (their inputs are the base's: see base-verdicts.ts).
        repo.write('src/a.js', 'export const a = 2; // checked\n');
        expect((await stop(repo, 1)).stdout).toBe('');
        expect(count()).toBe(2);
        expect(records(repo).at(-1)!.verdicts[0]).toMatchObject({ status: 'skipped', baseline: { same: true } });
        const [rejected, closing] = records(repo).slice(-2);
        expect(closing).toMatchObject({ status: 'ACCEPTED', tree: person.tree, retry: 1, provenance: [rejected.id] });
        expect(closing.reused).toBeUndefined();
        // The chain is closed: the next Q&A turn on the same tree is a cache hit (no new record).
        const before = records(repo).length;
        expect((await stop(repo)).stdout).toBe('');
        expect(count()).toBe(2);
        expect(records(repo)).toHaveLength(before);
      }),
    ));

  it('a person running the stop guards by hand is not answered by it: they run', () =>
    withMarker((marker, count) =>
      withGitRepo(async (repo) => {
        await checkedHead(repo, marker);
        const res = await repo.cli(['run', '--hook', 'stop']);
        expect(res.code, res.stderr).toBe(0);
        expect(count()).toBe(1);
      }),
    ));
});
