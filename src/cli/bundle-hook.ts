// The entry of dist/guardloop-hook.cjs: the CLI as a git hook or an agent's stop runs it, built
// without what that path seldom needs (scripts/build.mjs: the YAML parser and zod, needed only for
// a config the config cache hasn't seen, come from the full bundle through bundle-bridge.ts; other
// commands are left out, and the launcher sends them to the full bundle).
export { start } from './main.js';
