import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexHookHash, codexTrust, geminiTrust, parseCodexConfig, tomlValue } from '../../src/agents/trust.js';
import { AGENT_LAYOUTS, isGuardloopHandler } from '../../src/setup/install-agents.js';
import { statusLine } from '../../src/messages/agents.js';

// Fixture-level regressions for what the real CLIs showed (no CLI needed): where Codex 0.169.0 and
// Gemini CLI 0.61.0 record trust, and Codex's hash of a hook, as `codex app-server` hooks/list gave it.

// currentHash values Codex 0.169.0 reported for the entries `guardloop init --agent codex` writes.
const CODEX_STOP_HASH = 'sha256:5b2b1f29db0b4748e920683a1284c7955a72073a20ece516934d9946ad1b370b';
const CODEX_PRE_TOOL_HASH = 'sha256:66a9740729c2d3bc3aaf6b6f2dcfb6f7df94f65e80a494d65310115f865371dc';

function tmp(): { dir: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-trust-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function codexProject(root: string): void {
  const [, stop, pre] = AGENT_LAYOUTS.codex.entries(5);
  mkdirSync(join(root, '.codex'), { recursive: true });
  writeFileSync(join(root, '.codex', 'hooks.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [stop.handler] }], PreToolUse: [{ matcher: pre.matcher, hooks: [pre.handler] }] } }));
}

describe('Codex trust', () => {
  it('hashes a hook the way Codex does (sha256 of its canonical identity)', () => {
    const [, stop, pre] = AGENT_LAYOUTS.codex.entries(5);
    expect(codexHookHash('stop', undefined, stop.handler)).toBe(CODEX_STOP_HASH);
    expect(codexHookHash('pre_tool_use', pre.matcher, pre.handler)).toBe(CODEX_PRE_TOOL_HASH);
    // Editing the entry un-trusts it.
    expect(codexHookHash('stop', undefined, { ...stop.handler, timeout: 361 })).not.toBe(CODEX_STOP_HASH);
  });

  it('reads the tables Codex writes to config.toml', async () => {
    const config = await parseCodexConfig('model = "x"\n[projects."/a b/c"]\ntrust_level = "trusted" # yes\n\n[hooks.state."/r/.codex/hooks.json:stop:0:0"]\ntrusted_hash = "sha256:1"\n[x]\n\'lit.key\' = \'v\'\n');
    if (!('table' in config)) throw new Error(`not parsed: ${JSON.stringify(config)}`);
    const { table } = config;
    expect(tomlValue(table, ['projects', '/a b/c', 'trust_level'])).toBe('trusted');
    expect(tomlValue(table, ['hooks', 'state', '/r/.codex/hooks.json:stop:0:0', 'trusted_hash'])).toBe('sha256:1');
    expect(tomlValue(table, ['x', 'lit.key'])).toBe('v');
    expect(tomlValue(table, ['model'])).toBe('x');
  });

  it('project untrusted → hooks untrusted → trusted → an edited entry is untrusted again', async () => {
    const t = tmp();
    try {
      const root = join(t.dir, 'repo');
      const home = join(t.dir, 'codex-home');
      mkdirSync(home, { recursive: true });
      codexProject(root);
      const env = { CODEX_HOME: home };
      const write = (s: string) => writeFileSync(join(home, 'config.toml'), s);
      expect(await codexTrust(root, env, isGuardloopHandler)).toMatchObject({ trusted: false, detail: expect.stringContaining('project is not trusted') });
      const project = `[projects]\n\n[projects."${root}"]\ntrust_level = "trusted"\n`;
      write(project);
      expect(await codexTrust(root, env, isGuardloopHandler)).toMatchObject({ trusted: false, detail: expect.stringContaining('(Stop, PreToolUse) are not trusted in Codex') });
      const state = (stopHash: string) =>
        `${project}\n[hooks.state]\n\n[hooks.state."${root}/.codex/hooks.json:pre_tool_use:0:0"]\ntrusted_hash = "${CODEX_PRE_TOOL_HASH}"\n\n[hooks.state."${root}/.codex/hooks.json:stop:0:0"]\ntrusted_hash = "${stopHash}"\n`;
      write(state(CODEX_STOP_HASH));
      expect(await codexTrust(root, env, isGuardloopHandler)).toEqual({ trusted: true, detail: '', file: join(home, 'config.toml') });
      write(state('sha256:stale'));
      expect(await codexTrust(root, env, isGuardloopHandler)).toMatchObject({ trusted: false, detail: expect.stringContaining('(Stop) is not trusted in Codex, or changed since it was trusted') });
    } finally {
      t.done();
    }
  });

  it('status prints the trust finding under the agent', () => {
    const line = statusLine('codex', { file: '.codex/hooks.json', exists: true, stop: true, tool: true, trust: { trusted: false, detail: 'the project is not trusted in Codex' } });
    expect(line).toContain('NOT TRUSTED');
    expect(line).toContain('the project is not trusted in Codex');
    expect(statusLine('codex', { file: '.codex/hooks.json', exists: true, stop: true, tool: true, trust: { trusted: true, detail: '' } })).toContain('trusted ✓');
  });
});

describe('Gemini CLI trust', () => {
  it('follows ~/.gemini/trustedFolders.json (longest rule wins, TRUST_PARENT trusts the parent), folderTrust off, and GEMINI_CLI_TRUST_WORKSPACE', async () => {
    const t = tmp();
    try {
      const root = join(t.dir, 'work', 'repo');
      mkdirSync(root, { recursive: true });
      mkdirSync(join(t.dir, '.gemini'), { recursive: true });
      const env = { HOME: t.dir };
      const rules = (r: Record<string, string>) => writeFileSync(join(t.dir, '.gemini', 'trustedFolders.json'), JSON.stringify(r));
      expect(await geminiTrust(root, env)).toMatchObject({ trusted: false, detail: expect.stringContaining('is not trusted yet') });
      rules({ [root]: 'TRUST_FOLDER' });
      expect((await geminiTrust(root, env)).trusted).toBe(true);
      rules({ [join(t.dir, 'work', 'sibling')]: 'TRUST_PARENT' });
      expect((await geminiTrust(root, env)).trusted).toBe(true);
      rules({ [join(t.dir, 'work')]: 'TRUST_FOLDER', [root]: 'DO_NOT_TRUST' });
      expect(await geminiTrust(root, env)).toMatchObject({ trusted: false, detail: expect.stringContaining('do not trust') });
      expect((await geminiTrust(root, { ...env, GEMINI_CLI_TRUST_WORKSPACE: 'true' })).trusted).toBe(true);
      writeFileSync(join(t.dir, '.gemini', 'settings.json'), JSON.stringify({ security: { folderTrust: { enabled: false } } }));
      expect((await geminiTrust(root, env)).trusted).toBe(true);
    } finally {
      t.done();
    }
  });
});
