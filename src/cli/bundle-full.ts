// The entry of dist/guardloop.cjs, the whole CLI: `start` runs it, and `cold` lends the lean hook
// bundle (bundle-hook.ts) the modules it leaves out, loaded on first use (see bundle-bridge.ts).
import { start } from './main.js';
export { start };

// The modules the hook bundle calls here instead of carrying them, by their path in the source
// (scripts/build.mjs names the same paths and the functions it calls on each).
export const cold: Record<string, () => Promise<Record<string, unknown>>> = {
  'src/config/load.ts': () => import('../config/load.js'),
};

// Started as a script (`node dist/<bundle>.cjs …`) rather than by dist/cli.cjs: run the CLI, as
// dist/guardloop.cjs did before the split, instead of exiting 0 having checked nothing.
declare const module: { id?: string } | undefined;
declare const require: { main?: unknown } | undefined;
if (typeof module !== 'undefined' && typeof require !== 'undefined' && require.main === module) void start(process.argv.slice(2));
