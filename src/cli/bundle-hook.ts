// The entry of dist/guardloop-hook.cjs: the CLI as a git hook or an agent's stop runs it, built
// without what that path seldom needs (scripts/build.mjs: the YAML parser and zod, needed only for
// a config the config cache hasn't seen, come from the full bundle through bundle-bridge.ts; other
// commands are left out, and the launcher sends them to the full bundle).
import { start } from './main.js';
export { start };

// Started as a script (`node dist/<bundle>.cjs …`) rather than by dist/cli.cjs: run the CLI, as
// dist/guardloop.cjs did before the split, instead of exiting 0 having checked nothing.
declare const module: { id?: string } | undefined;
declare const require: { main?: unknown } | undefined;
if (typeof module !== 'undefined' && typeof require !== 'undefined' && require.main === module) void start(process.argv.slice(2));
