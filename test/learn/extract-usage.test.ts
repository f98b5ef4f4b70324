import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS, type Format } from '../../src/learn/formats/index.js';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { extractCli, SECRET, sharedChains, validate } from './extract-helpers.js';

// What `guardloop extract` refuses (usage errors: exit 2, the message naming the fix, nothing
// written) and what --redact masks: every string of every line, in every format.

const fixture = sharedChains();
beforeAll(fixture.setUp, 240_000);
afterAll(fixture.tearDown);

describe('guardloop extract: usage errors', () => {
  const cases: Array<[string, string[], string, string]> = [
    ['a malformed --where (the column)', ['--where', 'refinement and (retry>=3'], 'WHERE_INVALID', 'column 25'],
    ['an unknown field in --where', ['--where', 'sorce=HUMAN'], 'WHERE_INVALID', 'column 1'],
    ['an unknown policy', ['--policy', 'refinement'], 'POLICY_INVALID', '--policy refinements'],
    ['an unknown format', ['--format', 'sharegpt'], 'EXTRACT_USAGE', 'prompt-completion, messages, dpo, kto, alpaca, raw'],
    ['an unknown artifact', ['--artifact', 'tree'], 'EXTRACT_USAGE', '--artifact files'],
    ['--turns without --format messages', ['--turns'], 'EXTRACT_USAGE', '--format messages --turns'],
    ['--min-retry 0', ['--policy', 'high-value', '--min-retry', '0'], 'POLICY_INVALID', 'whole number of 1 or more'],
    ['--min-retry that is no number', ['--policy', 'high-value', '--min-retry', '2x'], 'POLICY_INVALID', "got '2x'"],
    ['--min-retry with another policy', ['--min-retry', '3'], 'EXTRACT_USAGE', '--policy high-value --min-retry 3'],
    ['a bad --since', ['--policy', 'recent', '--since', 'yesterday'], 'EXTRACT_USAGE', '--since 7d'],
    ['a --since Date.parse would read as 2001-07-01', ['--policy', 'recent', '--since', '7'], 'EXTRACT_USAGE', '--since 7d'],
    ['a --since of a day that does not exist', ['--policy', 'recent', '--since', '2026-02-30'], 'EXTRACT_USAGE', 'without an offset it is UTC'],
    ['a --since in no ISO form', ['--policy', 'recent', '--since', 'March 2 2026'], 'EXTRACT_USAGE', 'such as 2026-01-31'],
    ['--text with --format raw', ['--format', 'raw', '--text'], 'EXTRACT_USAGE', '--format prompt-completion --text'],
    ['--text with --format alpaca', ['--format', 'alpaca', '--text'], 'EXTRACT_USAGE', 'Drop --text'],
    ['a malformed second --where', ['--where', 'refinement', '--where', 'retry>>3'], 'WHERE_INVALID', 'column 7'],
    ['recent without --since', ['--policy', 'recent'], 'POLICY_INVALID', '--since 7d'],
    ['--since with another policy', ['--since', '7d'], 'EXTRACT_USAGE', '--where "ts>=7d"'],
    ['--artifact files with --format raw', ['--format', 'raw', '--artifact', 'files'], 'EXTRACT_USAGE', 'Drop --artifact'],
    ['a --redact pattern that is no regular expression', ['--redact', 'a(b'], 'EXTRACT_USAGE', "--redact 'acme-[0-9a-f]{16}'"],
    ['a --ref outside refs/notes', ['--ref', 'refs/heads/main'], 'EXTRACT_USAGE', 'refs/notes/guardloop'],
  ];
  for (const [what, args, code, fix] of cases) {
    it(`${what}: exit 2, ${code}, the fix named, no output`, async () => {
      const { repo } = fixture.get();
      const res = await repo.cli(['extract', ...args], { env: { GUARDLOOP_JSON_ERRORS: '1' } });
      expect(res.code, res.stderr).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toContain(fix);
      expect(JSON.parse(res.stderr.trim().split('\n').pop()!).code).toBe(code);
    });
  }
});

describe('guardloop extract --redact', () => {
  it('masks a pattern in every string of every format (prompts, diffs, feedback, task, metadata, raw records); what was masked when recorded stays masked', async () => {
    const { repo } = fixture.get();
    // "src/" is in the diffs, the guards' output, the file lists and the agent's task.
    for (const format of FORMATS as Format[]) {
      const plain = await extractCli(repo, ['--format', format, '--policy', 'all']);
      expect(JSON.stringify(plain.lines)).toContain('src/');
      const res = await extractCli(repo, ['--format', format, '--policy', 'all', '--redact', 'src/[a-z]\\.js', '--redact', 'TODO']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.lines).toHaveLength(plain.lines.length);
      validate(format, res.lines);
      const text = JSON.stringify(res.lines);
      expect(text).not.toMatch(/src\/[a-z]\.js/);
      expect(text).not.toContain('TODO');
      expect(text).toContain('[REDACTED:config]');
      // The secret the built-in rules masked when the record was written is still masked.
      expect(text).not.toContain(SECRET);
      expect(text).toContain('[REDACTED:password]');
      if (format !== 'raw') expect(res.lines.some((l) => typeof l.metadata.task === 'string' && l.metadata.task.includes('[REDACTED:config]'))).toBe(true);
    }
  });
});

describe('guardloop extract: the config\'s redact patterns', () => {
  it('are applied at export: to a record written before the pattern was added, and to --artifact files; a config that does not load is said on stderr', () =>
    withGitRepo(async (repo) => {
      const token = 'acme-7f3a9c1d';
      const guards = `guards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}`;
      repo.installHook();
      repo.config(guards);
      repo.write('src/a.js', 'export const a = 0;\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'init');
      // A refinement whose change holds the token, recorded before the config masks it.
      repo.write('src/a.js', `export const key = '${token}'; // TODO\n`);
      repo.git('add', '-A');
      expect((await repo.commit('try')).code).toBe(1);
      repo.write('src/a.js', `export const key = '${token}';\n`);
      repo.git('add', '-A');
      const ok = await repo.commit('fixed');
      expect(ok.code, ok.stderr).toBe(0);
      for (const artifact of ['diff', 'files']) expect(JSON.stringify((await extractCli(repo, ['--artifact', artifact])).lines)).toContain(token);

      // The pattern added to the config afterwards (the working tree's config is read).
      repo.config(`redact:\n  - 'acme-[0-9a-f]{8}'\n${guards}`);
      for (const format of ['prompt-completion', 'kto', 'raw']) {
        for (const artifact of format === 'raw' ? ['diff'] : ['diff', 'files']) {
          const res = await extractCli(repo, ['--policy', 'all', '--format', format, '--artifact', artifact]);
          expect(res.code, res.stderr).toBe(0);
          expect(res.lines.length).toBeGreaterThan(0);
          validate(format as Format, res.lines);
          const text = JSON.stringify(res.lines);
          expect(text, `${format} ${artifact}`).not.toContain(token);
          expect(text).toContain('[REDACTED:config]');
        }
      }

      // A config that doesn't load: the export goes on without its patterns, and says so.
      repo.config(`redact:\n  - 'acme-[0-9a-f]{8}'\nguards: [\n`);
      const broken = await extractCli(repo, ['--artifact', 'files']);
      expect(broken.code, broken.stderr).toBe(0);
      expect(broken.stderr).toContain('guardloop: warning: .loop/config.yaml could not be loaded');
      expect(broken.stderr).toContain('redact: patterns were not applied');
      expect(JSON.stringify(broken.lines)).toContain(token);
    }));
});
