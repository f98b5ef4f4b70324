// The entry of dist/guardloop.cjs, the whole CLI: `start` runs it, and `cold` lends the lean hook
// bundle (bundle-hook.ts) the modules it leaves out, loaded on first use (see bundle-bridge.ts).
export { start } from './main.js';

// The modules the hook bundle calls here instead of carrying them, by their path in the source
// (scripts/build.mjs names the same paths and the functions it calls on each).
export const cold: Record<string, () => Promise<Record<string, unknown>>> = {
  'src/config/load.ts': () => import('../config/load.js'),
};
