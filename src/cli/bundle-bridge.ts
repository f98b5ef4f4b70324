import { GuardloopError } from '../errors/guardloop-error.js';
import { noFullBundle } from '../messages/cli.js';

interface FullBundle {
  cold: Record<string, () => Promise<Record<string, unknown>>>;
}

// Calls `name` of module `key` in the full bundle (dist/guardloop.cjs), which the launcher loads
// on first use: how the lean hook bundle runs what it leaves out. Values cross as they are (one
// process, one heap); an error guardloop threw there arrives as this bundle's GuardloopError, so
// the CLI reports it with its code and exit code.
export async function callFullBundle(key: string, name: string, args: unknown[]): Promise<unknown> {
  const load = (globalThis as { __guardloopFullBundle?: () => FullBundle }).__guardloopFullBundle;
  if (!load) throw new Error(noFullBundle(key));
  const mod = await load().cold[key]();
  const fn = mod[name] as (...a: unknown[]) => unknown;
  try {
    return await fn(...args);
  } catch (e) {
    throw GuardloopError.adopt(e);
  }
}
