import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, PROJECT } from '../helpers/git-repo.js';
import { npmEnv, packTarball } from './tarball.js';

// The public API as a user gets it: the packed tarball installed into a throwaway package, its runtime
// exports (a real `import('guardloop')` in a Node process) and its type exports (the TypeScript checker
// on the installed dist/index.d.ts) compared with the committed list in api-surface.txt.

const LIST = join(PROJECT, 'test', 'e2e', 'api-surface.txt');
const HOW = 'the public API changed: if that is deliberate, update test/e2e/api-surface.txt (one "<kind> <name>" line per export, sorted by name), else fix src/index.ts';

type Kind = 'function' | 'class' | 'const' | 'type';
const byName = (a: string, b: string) => (a.split(' ')[1] < b.split(' ')[1] ? -1 : a.split(' ')[1] > b.split(' ')[1] ? 1 : 0);

let packDir: string;
let consumer: string;

beforeAll(async () => {
  const packed = await packTarball();
  packDir = packed.dir;
  consumer = mkdtempSync(join(tmpdir(), 'guardloop-api-'));
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'api-consumer', private: true, type: 'module' }));
  const install = await exec('npm', ['install', '--prefer-offline', '--no-save', packed.tarball], { cwd: consumer, env: npmEnv() });
  if (install.code !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr}`);
}, 180_000);

afterAll(() => {
  rmSync(packDir, { recursive: true, force: true });
  rmSync(consumer, { recursive: true, force: true });
});

// "<kind> <name>" of every runtime export, from a Node process importing the installed package.
async function runtimeSurface(): Promise<string[]> {
  const script = `const api = await import('guardloop');
const kind = (v) => typeof v !== 'function' ? 'const' : /^class\\b/.test(Function.prototype.toString.call(v)) ? 'class' : 'function';
console.log(JSON.stringify(Object.keys(api).map((name) => kind(api[name]) + ' ' + name)));`;
  const res = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, env: npmEnv() });
  expect(res.code, res.stderr).toBe(0);
  return (JSON.parse(res.stdout) as string[]).sort(byName);
}

// "<kind> <name>" of every export the installed dist/index.d.ts declares, and the type errors of a
// file that names each of them through `import type … from 'guardloop'`.
function declaredSurface(lines: string[]): { surface: string[]; errors: string[] } {
  const file = join(consumer, 'uses-every-export.ts');
  writeFileSync(file, `import type * as api from 'guardloop';\n${lines.map((l, i) => `export type T${i} = ${/^(function|const) /.test(l) ? 'typeof ' : ''}api.${l.split(' ')[1]};`).join('\n')}\n`);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    typeRoots: [join(PROJECT, 'node_modules', '@types')],
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const errors = ts.getPreEmitDiagnostics(program, source).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  const [decl] = source.statements.filter(ts.isImportDeclaration);
  const moduleSymbol = checker.getSymbolAtLocation(decl.moduleSpecifier);
  if (!moduleSymbol) return { surface: [], errors: [...errors, "'guardloop' did not resolve to a module with types"] };
  const surface = checker.getExportsOfModule(moduleSymbol).map((sym) => {
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    const kind: Kind =
      target.flags & ts.SymbolFlags.Class ? 'class' : target.flags & ts.SymbolFlags.Function ? 'function' : target.flags & ts.SymbolFlags.Variable ? 'const' : 'type';
    return `${kind} ${sym.name}`;
  });
  return { surface: surface.sort(byName), errors };
}

describe('the public API', () => {
  const listed = readFileSync(LIST, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));

  it('api-surface.txt is sorted by name, one "<kind> <name>" per line', () => {
    expect(listed.every((l) => /^(function|class|const|type) [A-Za-z_$][\w$]*$/.test(l)), 'a line that is not "<kind> <name>"').toBe(true);
    expect(listed).toEqual([...listed].sort(byName));
  });

  it("the installed package's runtime exports are the listed functions, classes and consts", async () => {
    expect(await runtimeSurface(), HOW).toEqual(listed.filter((l) => !l.startsWith('type ')));
  });

  it('its dist/index.d.ts declares exactly the listed names with their kinds, and each resolves from a consumer', () => {
    const { surface, errors } = declaredSurface(listed);
    expect(errors, "a listed name that doesn't resolve from 'guardloop'").toEqual([]);
    expect(surface, HOW).toEqual(listed);
  });
});
