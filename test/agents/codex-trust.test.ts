import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexHookHash, codexTrust } from '../../src/agents/trust.js';
import { AGENT_LAYOUTS, isGuardloopHandler } from '../../src/setup/install-agents.js';
import { withGitRepo } from '../helpers/git-repo.js';
import { todoRepo } from './helpers.js';

// Codex's $CODEX_HOME/config.toml read as TOML (smol-toml), not as lines: what a hand-edited file may
// hold around the tables Codex writes, and what `guardloop status` says when the file is not TOML.

function tmp(): { dir: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-codex-trust-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

// A project whose .codex/hooks.json holds guardloop's Stop hook; `check(toml)` is codexTrust with that config.toml.
async function withCodexProject(fn: (p: { root: string; file: string; stopKey: string; stopHash: string; check(toml: string): ReturnType<typeof codexTrust> }) => Promise<void>): Promise<void> {
  const t = tmp();
  try {
    const root = join(t.dir, 'repo');
    const home = join(t.dir, 'codex-home');
    mkdirSync(join(root, '.codex'), { recursive: true });
    mkdirSync(home, { recursive: true });
    const [, stop] = AGENT_LAYOUTS.codex.entries(5);
    writeFileSync(join(root, '.codex', 'hooks.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [stop.handler] }] } }));
    const file = join(home, 'config.toml');
    const check = (toml: string) => {
      writeFileSync(file, toml);
      return codexTrust(root, { CODEX_HOME: home }, isGuardloopHandler);
    };
    await fn({ root, file, stopKey: `${root}/.codex/hooks.json:stop:0:0`, stopHash: codexHookHash('stop', undefined, stop.handler), check });
  } finally {
    t.done();
  }
}

describe('Codex config.toml as TOML', () => {
  it('reads trust from inline tables and multi-line strings (the line-based reader missed both)', () =>
    withCodexProject(async ({ root, file, stopKey, stopHash, check }) => {
      const inline = `projects = { ${JSON.stringify(root)} = { trust_level = "trusted" } }\nhooks = { state = { ${JSON.stringify(stopKey)} = { trusted_hash = "${stopHash}" } } }\n`;
      expect(await check(inline)).toEqual({ trusted: true, detail: '', file });
      const multiLine = `[projects.${JSON.stringify(root)}]\ntrust_level = """trusted"""\n[hooks.state.${JSON.stringify(stopKey)}]\ntrusted_hash = '''${stopHash}'''\n`;
      expect(await check(multiLine)).toEqual({ trusted: true, detail: '', file });
    }));

  it('does not take the text of a multi-line string for tables (the line-based reader trusted the project)', () =>
    withCodexProject(async ({ root, stopKey, stopHash, check }) => {
      const fake = `developer_instructions = """\n[projects.${JSON.stringify(root)}]\ntrust_level = "trusted"\n"""\n[hooks.state.${JSON.stringify(stopKey)}]\ntrusted_hash = "${stopHash}"\n`;
      expect(await check(fake)).toMatchObject({ trusted: false, detail: expect.stringContaining('the project is not trusted in Codex') });
      const inner = `[projects.${JSON.stringify(root)}]\ntrust_level = "untrusted"\nnote = '''\ntrust_level = "trusted"\n'''\n`;
      expect(await check(inner)).toMatchObject({ trusted: false, detail: expect.stringContaining('the project is not trusted in Codex') });
    }));

  it('keeps comments and quoted keys: comments after headers and values, literal and escaped keys, dotted keys', () =>
    withCodexProject(async ({ root, file, stopKey, stopHash, check }) => {
      const escaped = root.replace(/\//g, '\\u002F');
      const toml = [
        '# written by Codex',
        'model = "gpt" # the model',
        'max_tokens = 9223372036854775807 # an i64 past 2^53 is TOML too',
        `[projects."${escaped}"] # this project [trusted]`,
        `"trust_level" = 'trusted' # "untrusted" in a comment`,
        '',
        '[hooks.state]',
        `'${stopKey}'.trusted_hash = "${stopHash}"`,
        '',
      ].join('\n');
      expect(await check(toml)).toEqual({ trusted: true, detail: '', file });
      // Only the guardloop hook's own key counts: the same hash under another hook's key does not.
      expect(await check(toml.replace(':stop:0:0', ':stop:0:1'))).toMatchObject({ trusted: false, detail: expect.stringContaining('(Stop) is not trusted in Codex') });
    }));

  it('a config.toml that is not TOML is reported with its file, line and column and the fix', () =>
    withCodexProject(async ({ root, file, check }) => {
      const res = await check(`model = "gpt"\n[projects.${JSON.stringify(root)}]\ntrust_level = trusted\n`);
      expect(res.trusted).toBe(false);
      expect(res.detail).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+ is not valid TOML \\(.+\\)`));
      expect(res.detail).toContain(`fix line 3 of ${file}`);
      // Codex writes each table once; a repeated one is not TOML either (the line-based reader let the last win).
      const twice = await check(`[projects.${JSON.stringify(root)}]\ntrust_level = "untrusted"\n[projects.${JSON.stringify(root)}]\ntrust_level = "trusted"\n`);
      expect(twice).toMatchObject({ trusted: false, detail: expect.stringContaining(`${file}:3:`) });
    }));
});

describe('guardloop status with Codex', () => {
  it('names the malformed config.toml and its line under codex, and exits 1 (hooks Codex skips are an open bypass route), not 2', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      expect((await repo.cli(['init', '--agent', 'codex'])).code).toBe(0);
      const t = tmp();
      try {
        const file = join(t.dir, 'config.toml');
        writeFileSync(file, `model = "gpt"\n\n[projects."${repo.dir}"\ntrust_level = "trusted"\n`);
        const text = await repo.cli(['status'], { env: { CODEX_HOME: t.dir } });
        expect(text.code, text.stderr).toBe(1);
        expect(text.stdout).toContain('NOT TRUSTED');
        expect(text.stdout).toContain(`${file}:3:`);
        expect(text.stdout).toContain(`fix line 3 of ${file}`);
        const json = await repo.cli(['status', '--json'], { env: { CODEX_HOME: t.dir } });
        const codex = JSON.parse(json.stdout).agents.find((a: { agent: string }) => a.agent === 'codex');
        expect(codex.trust).toMatchObject({ trusted: false, file, detail: expect.stringContaining('is not valid TOML') });
      } finally {
        t.done();
      }
    }));
});
