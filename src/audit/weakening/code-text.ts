import { posix } from 'node:path';

// How a language writes comments, as far as the checks need it: which openers start a comment on a line.
export interface CommentStyle {
  slash: boolean;
  hash: boolean;
  dashes: boolean;
  html: boolean;
}

const HASH_ONLY = new Set(['py', 'pyi', 'rb', 'sh', 'ex', 'exs', 'yaml', 'yml', 'toml']);

// The comment openers of a file's language, by extension: `#` for Python, Ruby, shell, Elixir, YAML and
// TOML; `//` and `/*` for the C-like rest (JS/TS, Go, Java, Rust …), PHP both, Lua `--`, Vue/Svelte `<!--` too.
export function commentStyle(path: string): CommentStyle {
  const ext = posix.extname(path).slice(1).toLowerCase();
  if (HASH_ONLY.has(ext)) return { slash: false, hash: true, dashes: false, html: false };
  if (ext === 'lua') return { slash: false, hash: false, dashes: true, html: false };
  return { slash: true, hash: ext === 'php', dashes: false, html: ext === 'vue' || ext === 'svelte' };
}

// Is `index` inside a string literal on its line? The heuristic the checks share: an odd number of
// unescaped `'`, `"` or `` ` `` before it (counted per quote kind, the first open one winning).
export function inString(text: string, index: number): boolean {
  let open: string | null = null;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (open === null) {
      if (c === '"' || c === "'" || c === '`') open = c;
    } else if (c === open) open = null;
  }
  return open !== null;
}

// Where the first comment on the line starts (an opener of the file's language outside a string), or -1.
// A line whose trimmed text starts with `*` is a block comment's continuation: 0.
export function commentStart(text: string, style: CommentStyle): number {
  if (style.slash && /^\s*\*/.test(text)) return 0;
  const openers: string[] = [];
  if (style.slash) openers.push('//', '\\/\\*');
  if (style.hash) openers.push('#');
  if (style.dashes) openers.push('--');
  if (style.html) openers.push('<!--');
  if (!openers.length) return -1;
  const re = new RegExp(openers.join('|'), 'g');
  for (const m of text.matchAll(re)) if (!inString(text, m.index)) return m.index;
  return -1;
}

// The part of a line that is code: the line up to its first comment (block comments closed on the line
// are cut out and the code after them kept).
export function codePart(text: string, style: CommentStyle): string {
  let rest = text;
  let code = '';
  for (;;) {
    const at = commentStart(rest, style);
    if (at < 0) return code + rest;
    code += rest.slice(0, at);
    if (!style.slash || !rest.startsWith('/*', at)) return code;
    const end = rest.indexOf('*/', at + 2);
    if (end < 0) return code;
    code += ' ';
    rest = rest.slice(end + 2);
  }
}
