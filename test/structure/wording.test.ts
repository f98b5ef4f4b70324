import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every sentence a person or an agent reads lives in src/messages (README, "Architecture"). This
// finds string literals anywhere else in src that look like a sentence — whether printed, thrown,
// returned or pushed onto a list of warnings, they end up in front of someone. A literal that is not
// a message (a command line, another program's text it matches) carries `wording-ok: <why>` in a
// comment on its line or the line above; a file of such literals says `// wording-ok-file: <why>`.
const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

interface Finding {
  file: string;
  line: number;
  text: string;
}

// Where a sentence-like literal is not a message: a zod schema's `.describe()` (it becomes the JSON
// schema's documentation) and a CLI command's declared help (its summary, usage and option descriptions).
const DOC_CALLS = new Set(['describe']);
const DOC_PROPS = new Set(['summary', 'usage', 'description', 'title']);

// The text of a literal, with `…` for each placeholder of a template.
function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('…');
  return null;
}

// Whether a literal reads as a sentence: at least 4 words starting with a capital letter, at least
// 5 words, or "guardloop" followed by a word (the prefix of every message guardloop prints).
export function looksLikeSentence(text: string): boolean {
  const words = text.split(/\s+/).filter((w) => /[A-Za-z]{2,}/.test(w));
  const first = text.replace(/^[\s\n[(`'"…-]+/, '');
  if (words.length >= 5) return true;
  if (words.length >= 4 && /^[A-Z][a-z]/.test(first)) return true;
  return /\bguardloop:? [a-z]{2,}/.test(text) && words.length >= 3;
}

// Whether `node` is documentation rather than a message (see DOC_CALLS, DOC_PROPS).
function documentation(node: ts.Node): boolean {
  const p = node.parent;
  if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && DOC_CALLS.has(p.expression.name.text)) return true;
  if (ts.isPropertyAssignment(p) && p.initializer === node) return DOC_PROPS.has(p.name.getText().replace(/['"]/g, ''));
  // `schema.description = '…'`
  return ts.isBinaryExpression(p) && p.right === node && ts.isPropertyAccessExpression(p.left) && DOC_PROPS.has(p.left.name.text);
}

// The sentence-like literals of one source file's text (documentation and marked ones aside).
export function inlineSentences(file: string, source: string): Finding[] {
  // A file whose literals are content rather than messages (a template it writes) says so once at its top.
  if (/^\/\/ wording-ok-file:/m.test(source)) return [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const lines = source.split('\n');
  const out: Finding[] = [];
  const visit = (node: ts.Node) => {
    const text = literalText(node);
    if (text !== null) {
      const line = sf.getLineAndCharacterOfPosition(node.getStart()).line;
      const allowed = /wording-ok:/.test(lines[line]) || /wording-ok:/.test(lines[line - 1] ?? '');
      if (!allowed && looksLikeSentence(text) && !documentation(node)) out.push({ file, line: line + 1, text });
      // A template's parts are not literals of their own.
      if (ts.isTemplateExpression(node)) for (const span of node.templateSpans) ts.forEachChild(span.expression, visit);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|cjs|mjs)$/.test(e.name) ? [path] : [];
  });
}

describe('wording lives in src/messages', () => {
  it('no sentence-like literal sits outside src/messages', () => {
    const files = sourceFiles(SRC).filter((f) => !relative(SRC, f).startsWith('messages/'));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => inlineSentences(relative(ROOT, f), readFileSync(f, 'utf8')));
    const report = found.map((f) => `${f.file}:${f.line}: ${JSON.stringify(f.text)} — move it into src/messages (or mark it \`// wording-ok: <why>\`)`);
    expect(report).toEqual([]);
  });

  it('the check catches what it is meant to catch, and lets through what it is not', () => {
    const bad = [
      "process.stderr.write('Something went wrong while reading the file.\\n');",
      'ctx.stderr.write(`guardloop init: no package.json in ${root}\\n`);',
      "throw new Error('the lock file was removed while guardloop held it');",
      "function why(code: number) { return `[guardloop: a command was not found in PATH (exit ${code})]`; }",
      "steps.push({ what: 'package.json: added husky and its prepare script', changed: true });",
    ];
    for (const src of bad) expect(inlineSentences('bad.ts', src), src).toHaveLength(1);
    const good = [
      "await git(['config', '--get', 'core.hooksPath'], { cwd: root });",
      "process.stderr.write(`${unknownCommand(name, known)}\\n`);",
      'throw new HookPayloadError(EMPTY_STDIN);',
      "const envSchema = z.record(z.string(), z.string()).describe('Extra environment variables for the guard.');",
      "const command = { name: 'run', summary: 'Run the guards on the candidate and record the verdict', usage: 'guardloop run [--hook NAME]' };",
      "// wording-ok: another program's words, matched as they are\nconst PREFIXES = ['[Request interrupted by user for tool use'];",
      "// wording-ok-file: a template written to disk\nconst TEXT = 'In this codebase, X must never happen, because it causes Y.';",
    ];
    for (const src of good) expect(inlineSentences('good.ts', src), src).toEqual([]);
  });
});
