// A cheap look for the shape of regular expression that backtracks exponentially: a group repeated
// without bound whose own content repeats without bound, as in (a+)+, (\w+\s?)* or (?:.*)+. A group that
// also requires a line break, as (?:.*\n)*, is let through: its inner `.*` can't run past the break, so each
// line is matched one way. This reads the pattern's source; it finds the common cases, not all of them.

interface Frame {
  start: number;
  unbounded: boolean;
  newline: boolean;
  alternation: boolean;
}

// The unbounded quantifier at `i` ("*", "+", "{n,}") and its length, or 0.
function unboundedAt(source: string, i: number): number {
  const c = source[i];
  if (c === '*' || c === '+') return 1;
  const brace = /^\{\d*,\}/.exec(source.slice(i));
  return brace ? brace[0].length : 0;
}

// Whether a quantifier at `i` can make the atom before it match nothing ("?", "*", "{0,…}").
function optionalAt(source: string, i: number): boolean {
  return source[i] === '?' || source[i] === '*' || /^\{0[,}]/.test(source.slice(i));
}

// The first repeated group of `source` whose content repeats too (e.g. "(a+)+"), or null.
export function nestedQuantifier(source: string): string | null {
  const stack: Frame[] = [{ start: 0, unbounded: false, newline: false, alternation: false }];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      if (source[i + 1] === 'n' && !optionalAt(source, i + 2)) top.newline = true;
      if (unboundedAt(source, i + 2)) top.unbounded = true;
      i++;
    } else if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      if (unboundedAt(source, j + 1)) top.unbounded = true;
      i = j;
    } else if (c === '(') {
      stack.push({ start: i, unbounded: false, newline: false, alternation: false });
    } else if (c === ')' && stack.length > 1) {
      const frame = stack.pop()!;
      const parent = stack[stack.length - 1];
      const quantifier = unboundedAt(source, i + 1);
      const required = frame.newline && !frame.alternation;
      if (quantifier && frame.unbounded && !required) return source.slice(frame.start, i + 1 + quantifier);
      if (quantifier || frame.unbounded) parent.unbounded = true;
      if (required && !optionalAt(source, i + 1)) parent.newline = true;
    } else if (c === '|') {
      top.alternation = true;
    } else if (c === '\n') {
      if (!optionalAt(source, i + 1)) top.newline = true;
    } else if (unboundedAt(source, i + 1) && c !== '?' && c !== '*' && c !== '+' && c !== '}') {
      top.unbounded = true;
    }
  }
  return null;
}
