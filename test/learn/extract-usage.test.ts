import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS, type Format } from '../../src/learn/formats/index.js';
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
    ['an unknown format', ['--format', 'alpaca'], 'EXTRACT_USAGE', 'prompt-completion, messages, dpo, kto, raw'],
    ['an unknown artifact', ['--artifact', 'tree'], 'EXTRACT_USAGE', '--artifact files'],
    ['--turns without --format messages', ['--turns'], 'EXTRACT_USAGE', '--format messages --turns'],
    ['--min-retry 0', ['--policy', 'high-value', '--min-retry', '0'], 'POLICY_INVALID', 'whole number of 1 or more'],
    ['--min-retry that is no number', ['--policy', 'high-value', '--min-retry', '2x'], 'POLICY_INVALID', "got '2x'"],
    ['--min-retry with another policy', ['--min-retry', '3'], 'EXTRACT_USAGE', '--policy high-value --min-retry 3'],
    ['a bad --since', ['--policy', 'recent', '--since', 'yesterday'], 'EXTRACT_USAGE', '--since 7d'],
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
