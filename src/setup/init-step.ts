// One thing init did (or found already done), for the report printed to the user.
export interface InitStep {
  what: string;
  changed: boolean;
}

// How init installs the git hooks: lean (committed .loop/hooks + core.hooksPath) or husky (lines in .husky/<hook>).
export type HookMode = 'lean' | 'husky';
// Why that mode: husky in package.json, a .husky/ folder, or neither (lean).
export type HookModeWhy = 'husky-dependency' | 'husky-folder' | 'no-husky';

// What `guardloop init` did (its own file so that src/messages can name it without a cycle).
export interface InitResult {
  root: string;
  mode: HookMode;
  modeWhy: HookModeWhy;
  steps: InitStep[];
  // Whether the git hooks are live now (core.hooksPath set to hooks that exist).
  active: boolean;
  // Why they are not, when `npm install` would not make them live: another tool's hooks hold git
  // (core.hooksPath elsewhere, or hooks in .git/hooks), and guardloop's must be chained into them.
  blockedBy?: 'other-tool' | 'other-hooks';
  // What the person still has to do for the agents (e.g. trust the hook in Codex).
  notices?: string[];
}
