// A guard ran in the work tree once and in a temporary checkout another time: tools that print absolute
// paths (ESLint's file headers, node --test's locations) name one file two ways. Taking the directory the
// guard ran in out of its output, before failuresOf reads it, gives one name to both.
import { mkdtempSuffix } from './failure-normalize.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A name right under the root that ends in mkdtemp's six characters (`<root>/.cache-AbC3xZ/out.log`, a
// scratch folder a test makes in the project): taken out with the root, it would no longer read as in a
// path (failure-normalize.ts looks for a separator before it), so its suffix becomes `<id>` here.
const UNDER_ROOT = `([^\\\\/\\s'"\`]*?[-_.])([A-Za-z0-9]{6})(?=[\\\\/'"\`\\s:,.)\\]]|$)`;
const suffixOut = (_: string, prefix: string, suffix: string) => prefix + (mkdtempSuffix(suffix) ? '<id>' : suffix);

// `output` with `root` (the directory the guard ran in) and a path separator after it removed, and `root`
// alone as "."; as a file:// URL too. Backslashes and slashes count as one on Windows-style roots.
export function withoutRoot(output: string, root: string): string {
  const trimmed = root.replace(/[\\/]+$/, '');
  if (!trimmed) return output;
  const body = escape(trimmed).replace(/\\\\|\//g, '[\\\\/]');
  const url = escape(encodeURI(trimmed.replace(/\\/g, '/')).replace(/^([A-Za-z]:)/, '/$1'));
  return output
    .replace(new RegExp(`file://${url}/${UNDER_ROOT}`, 'gm'), suffixOut)
    .replace(new RegExp(`file://${url}/`, 'g'), '')
    .replace(new RegExp(`${body}[\\\\/]${UNDER_ROOT}`, 'gm'), suffixOut)
    .replace(new RegExp(`${body}[\\\\/]`, 'g'), '')
    .replace(new RegExp(`${body}(?![\\w.-])`, 'g'), '.');
}
