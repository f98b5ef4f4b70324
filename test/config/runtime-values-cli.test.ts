import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withGitRepo, type Spawned } from '../helpers/git-repo.js';

// Every config value the engine compiles or hands to the OS at run time is checked when the config
// loads: `guardloop run` exits 2 with the value's file:line:col and a hint, before any guard runs.
// Each config has a `marker` guard (no `files`, first) that would write a file outside the repository.

const markers = mkdtempSync(join(tmpdir(), 'guardloop-markers-'));
afterAll(() => rmSync(markers, { recursive: true, force: true }));
let made = 0;

const INV = '"In this codebase, x must never happen, because it causes y."';

// Runs `guardloop run` on a repo with one staged file and `config` (lines; MARKER is replaced by the
// marker guard's run); returns the result and whether the marker guard ran.
async function runWith(lines: string[]): Promise<Spawned & { ran: boolean }> {
  const marker = join(markers, `ran-${++made}`);
  return withGitRepo(async (repo) => {
    repo.installPackage();
    repo.config(`${lines.join('\n').replace('MARKER', JSON.stringify(`echo ran >> '${marker}'`))}\n`);
    repo.write('a.txt', 'x\n');
    repo.git('add', '-A');
    const res = await repo.cli(['run']);
    return { ...res, ran: existsSync(marker) };
  });
}

const markerGuard = ['  - id: marker', '    run: MARKER', `    invariant: ${INV}`];

describe('config values that could fail at run time are errors at load time', () => {
  it('redact: a pattern JavaScript cannot compile', async () => {
    const res = await runWith([
      'redact: ["ok-[0-9]+", "(unclosed"]', // 1
      'guards:', //                             2
      ...markerGuard, //                        3-5
    ]);
    expect(res.ran).toBe(false);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('.loop/config.yaml:1:23: redact.1: redact pattern "(unclosed" is not a valid JavaScript regular expression: Unterminated group');
    expect(res.stderr).toContain('  hint: escape a literal parenthesis with a backslash, \\( or \\)');
    expect(res.stderr).not.toContain('internal error');
  });

  it('redact: a pattern that matches the empty string', async () => {
    const res = await runWith(['redact:', '  - "secret|"', 'guards:', ...markerGuard]);
    expect(res.ran).toBe(false);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('.loop/config.yaml:2:5: redact.0: redact pattern "secret|" matches the empty string');
    expect(res.stderr).toContain('  hint: make it match at least one character');
  });

  it('files: a glob picomatch cannot compile (it would silently never match)', async () => {
    const res = await runWith([
      'guards:', //                                 1
      ...markerGuard, //                            2-4
      '  - id: ts', //                              5
      '    run: "true"', //                         6
      `    invariant: ${INV}`, //                   7
      '    files: ["*.md", "src/**/*.{ts,tsx"]', // 8
    ]);
    expect(res.ran).toBe(false);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('.loop/config.yaml:8:21: guards.1.files.1: glob "src/**/*.{ts,tsx" cannot be compiled (Unterminated group), so it would match nothing');
    expect(res.stderr).toContain('  hint: close every "{", "[" and "(" the glob opens, or escape a literal one with "\\"');
  });

  it('protected: an empty entry and a glob that cannot be compiled', async () => {
    const res = await runWith([
      'protected:', //                   1
      '  - ".loop/**"', //               2
      '  - ""', //                       3
      '  - "[z-a]*.lock"', //            4
      'guards:', //                      5
      ...markerGuard,
    ]);
    expect(res.ran).toBe(false);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('.loop/config.yaml:3:5: protected.1: must not be empty');
    expect(res.stderr).toContain('.loop/config.yaml:4:5: protected.2: glob "[z-a]*.lock" cannot be compiled (Range out of order in character class)');
    expect(res.stderr).toContain('  hint: write a character range low to high, e.g. "[a-z]"');
  });

  it('timeout: zero, and longer than 24 hours (Node timers overflow and would fire at once)', async () => {
    const res = await runWith([
      'guards:', //                   1
      ...markerGuard, //              2-4
      '    timeout: 1000h', //        5
      '  - id: zero', //              6
      '    run: "true"', //           7
      `    invariant: ${INV}`, //     8
      '    timeout: 0s', //           9
      '  - id: tiny', //              10
      '    run: "true"', //           11
      `    invariant: ${INV}`, //     12
      '    timeout: 0.0001', //       13
    ]);
    expect(res.ran).toBe(false);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('.loop/config.yaml:5:14: guards.0.timeout: timeout "1000h" is longer than 24 hours');
    expect(res.stderr).toContain('  hint: use at most "24h" (86400)');
    expect(res.stderr).toContain('.loop/config.yaml:9:14: guards.1.timeout: timeout "0s" is shorter than 1 millisecond');
    expect(res.stderr).toContain('.loop/config.yaml:13:14: guards.2.timeout: timeout 0.0001 is shorter than 1 millisecond');
    expect(res.stderr).toContain('  hint: use a positive duration such as "30s" or "5m"');
  });

  it('env: a name with "=" and a value with a NUL character (the OS refuses both)', async () => {
    const res = await runWith([
      'env:', //                        1
      '  "NODE_OPTIONS=x": "1"', //     2
      'guards:', //                     3
      ...markerGuard, //                4-6
      '  - id: nul', //                 7
      '    run: "true"', //             8
      `    invariant: ${INV}`, //       9
      '    env:', //                    10
      '      TOKEN: "a\\0b"', //        11
    ]);
    expect(res.ran).toBe(false);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('.loop/config.yaml:2:3: env.NODE_OPTIONS=x: environment variable name "NODE_OPTIONS=x" is not usable: it contains "="');
    expect(res.stderr).toContain('  hint: rename the variable');
    expect(res.stderr).toContain('.loop/config.yaml:11:14: guards.1.env.TOKEN: contains a NUL character');
    expect(res.stderr).not.toContain('internal error');
  });

  it('run and cwd: a NUL character', async () => {
    const res = await runWith([
      'guards:', //                     1
      ...markerGuard, //                2-4
      '  - id: nul', //                 5
      '    run: ["echo", "a\\0b"]', //  6
      `    invariant: ${INV}`, //       7
      '    cwd: "src\\0"', //           8
    ]);
    expect(res.ran).toBe(false);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('.loop/config.yaml:6:19: guards.1.run.1: contains a NUL character');
    expect(res.stderr).toContain('.loop/config.yaml:8:10: guards.1.cwd: contains a NUL character');
    expect(res.stderr).toContain('  hint: remove the "\\0" escape from the quoted string');
  });
});
