import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GuardloopError } from '../../src/errors/guardloop-error.js';

// Every error class lives in src/errors, one per file, extends GuardloopError with a stable code
// and its exit code; README's "Error codes" table lists each of them, and nothing else.
const ROOT = resolve(__dirname, '../..');
const ERRORS = join(ROOT, 'src/errors');

interface ErrorClass {
  file: string;
  name: string;
  code: string;
  exit: number;
}

// The classes of src/errors, by importing every file and reading the code and exit code its
// constructor passes to super(code, message, data, exitCode?) (GuardloopError's default exit is 2).
async function errorClasses(): Promise<ErrorClass[]> {
  const files = readdirSync(ERRORS).filter((f) => f.endsWith('.ts') && f !== 'guardloop-error.ts');
  return Promise.all(
    files.map(async (file) => {
      const mod = (await import(pathToFileURL(join(ERRORS, file)).href)) as Record<string, unknown>;
      const classes = Object.entries(mod).filter(([, v]) => typeof v === 'function' && /^class\b/.test(String(v)));
      expect(classes.map(([n]) => n), `${file} exports one class`).toHaveLength(1);
      const [name, cls] = classes[0] as [string, { prototype: unknown }];
      expect(cls.prototype instanceof GuardloopError, `${name} extends GuardloopError`).toBe(true);
      const source = readFileSync(join(ERRORS, file), 'utf8');
      const call = /super\(\s*'([A-Z][A-Z0-9_]*)'([\s\S]*?)\);\n/.exec(source);
      expect(call, `${file} calls super('CODE', …)`).not.toBeNull();
      const exit = /,\s*(\d+)\s*$/.exec(call![2].trim());
      expect(source, `${name} sets its name`).toContain(`this.name = '${name}';`);
      return { file, name, code: call![1], exit: exit ? Number(exit[1]) : 2 };
    }),
  );
}

// The rows of README's "Error codes" table: | `CODE` | `Class` | when | exit |.
function readmeTable(): Array<{ code: string; name: string; exit: number }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.search(/^#{2,4} Error codes\s*$/m);
  expect(start, 'README.md has a section "Error codes"').toBeGreaterThanOrEqual(0);
  const rest = readme.slice(start).split('\n').slice(1);
  const end = rest.findIndex((l) => /^#{1,4} /.test(l));
  return (end < 0 ? rest : rest.slice(0, end))
    .filter((l) => /^\|\s*`[A-Z]/.test(l))
    .map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return { code: cells[1].replace(/`/g, ''), name: cells[2].replace(/`/g, ''), exit: Number(/^\d+/.exec(cells[cells.length - 2])?.[0]) };
    });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('error codes', () => {
  it('every error class is in src/errors, one per file, with a code of its own', async () => {
    const classes = await errorClasses();
    expect(classes.length).toBeGreaterThan(10);
    const codes = classes.map((c) => c.code);
    expect(new Set(codes).size, 'codes are unique').toBe(codes.length);
    // Outside src/errors nothing declares a GuardloopError subclass or throws the base class bare.
    const outside = sourceFiles(join(ROOT, 'src'))
      .filter((f) => !f.startsWith(ERRORS))
      .filter((f) => /extends GuardloopError|new GuardloopError\(/.test(readFileSync(f, 'utf8')));
    expect(outside.map((f) => f.slice(ROOT.length + 1))).toEqual([]);
  });

  it("README's Error codes table lists every code with its class and exit code, and nothing else", async () => {
    const classes = await errorClasses();
    const rows = readmeTable();
    const byCode = (xs: Array<{ code: string; name: string; exit: number }>) => Object.fromEntries(xs.map((x) => [x.code, `${x.name} exit ${x.exit}`]));
    expect(byCode(rows)).toEqual(byCode(classes));
  });
});
