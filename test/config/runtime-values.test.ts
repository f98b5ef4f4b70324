import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { durationProblem, redactProblem } from '../../src/config/runtime-values.js';
import { removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

const INV = 'In this codebase, broken builds must never be committed, because it causes red CI for everyone.';
const at = (d: { file: string; line: number; col: number; path: string; message: string }) => `${d.file}:${d.line}:${d.col} ${d.path}: ${d.message}`;

describe('values compiled at load time', () => {
  it('reports every bad regex, glob, timeout and env entry at once, where it was written (an extended file included)', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'extends: [./base.yaml]', //         1
        'redact: ["(?i)token", "x*"]', //    2
        'protected: ["{a,b"]', //            3
        'link: ["packages/*/node_modules", "{x"]', // 4
        'guards:', //                        5
        '  - id: a', //                      6
        '    run: "true"', //                7
        `    invariant: ${INV}`, //          8
        '    files: ["!(foo"]', //           9
        '    timeout: 25h', //               10
        '  - id: base', //                   11
        '    timeout: 86401', //             12
      ),
      '.loop/base.yaml': yamlLines(
        'guards:', //                        1
        '  - id: base', //                   2
        '    run: "true"', //                3
        `    invariant: ${INV}`, //          4
        '    files: ["a\\\\"]', //           5
      ),
    });
    const { config, errors, warnings } = await loadConfig({ root });
    expect(config).toBeNull();
    expect(warnings).toEqual([]);
    expect(errors.map(at)).toEqual([
      '.loop/config.yaml:2:10 redact.0: redact pattern "(?i)token" is not a valid JavaScript regular expression: Invalid group',
      '.loop/config.yaml:2:23 redact.1: redact pattern "x*" matches the empty string, so it would mask between every character of every record',
      '.loop/config.yaml:3:13 protected.0: glob "{a,b" cannot be compiled (Unterminated group), so it would match nothing',
      '.loop/config.yaml:4:35 link.1: glob "{x" cannot be compiled (Unterminated group), so it would match nothing',
      '.loop/config.yaml:9:13 guards.0.files.0: glob "!(foo" cannot be compiled (Unterminated group), so it would match nothing',
      '.loop/config.yaml:10:14 guards.0.timeout: timeout "25h" is longer than 24 hours',
      '.loop/config.yaml:12:14 guards.1.timeout: timeout 86401 is longer than 24 hours',
      '.loop/base.yaml:5:13 guards.0.files.0: glob "a\\\\" cannot be compiled (Unterminated group), so it would match nothing',
    ]);
    expect(errors[0].hint).toBe('JavaScript has no inline flags such as "(?i)": match both cases instead, e.g. "[Tt]oken"');
    expect(errors[7].hint).toBe('remove the trailing "\\": paths use "/" as the separator, and "\\" escapes the character after it');
  });

  it('warns (with the fix) about globs that compile but can never match a repository path', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'protected: ["/.loop/**", "./.husky/**"]', // 1
        'guards:', //                                   2
        '  - id: a', //                                 3
        '    run: "true"', //                           4
        `    invariant: ${INV}`, //                     5
        '    files: ["src/", "../shared/**", "./src/**/*.ts"]', // 6
      ),
    });
    const { config, errors, warnings } = await loadConfig({ root });
    expect(errors).toEqual([]);
    expect(config).not.toBeNull();
    expect(warnings.map((w) => [at(w), w.hint])).toEqual([
      ['.loop/config.yaml:1:13 protected.0: glob "/.loop/**" never matches: paths are relative to the repository root', 'drop the leading "/": ".loop/**"'],
      ['.loop/config.yaml:6:13 guards.0.files.0: glob "src/" never matches: it ends in "/", and only files are matched', 'match what is inside the folder: "src/**"'],
      ['.loop/config.yaml:6:21 guards.0.files.1: glob "../shared/**" never matches: paths never leave the repository', 'write the glob relative to the repository root, e.g. "src/**"'],
    ]);
  });

  it('accepts the valid edge values: 1ms, 24h, 86400 seconds, and patterns that need escapes', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        "redact: ['\\(internal\\)', 'sk-[A-Za-z0-9]{20,}', '(?<k>key)=\\S+']",
        'guards:',
        ...['1ms', '24h', '86400', '0.001'].flatMap((t, i) => [`  - id: g${i}`, '    run: "true"', `    invariant: ${INV}`, `    timeout: ${t}`, '    files: ["**/*.{ts,tsx}", "[a-z]*.md"]']),
      ),
    });
    const { config, errors, warnings } = await loadConfig({ root });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config!.guards.map((g) => g.timeout)).toEqual([1, 86_400_000, 86_400_000, 1]);
  });

  it('compiles redact patterns exactly as the engine does (flag "g")', () => {
    expect(redactProblem('a(b')?.message).toBe('redact pattern "a(b" is not a valid JavaScript regular expression: Unterminated group');
    expect(redactProblem('*x')?.hint).toBe('escape a literal "*", "+", "?" or "{" with a backslash, e.g. "\\*"');
    expect(redactProblem('^')?.message).toContain('matches the empty string');
    expect(redactProblem('(?=a)')?.message).toContain('matches the empty string');
    expect(redactProblem('tok_[0-9a-f]{8}')).toBeNull();
    expect(durationProblem('soon')).toBeNull(); // the schema reports it
    expect(durationProblem(-1)).toBeNull(); // the schema reports it
    expect(durationProblem('0ms')?.message).toBe('timeout "0ms" is shorter than 1 millisecond');
  });
});
