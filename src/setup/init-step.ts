// One thing init did (or found already done), for the report printed to the user.
export interface InitStep {
  what: string;
  changed: boolean;
}

// What `guardloop init` did (its own file so that src/messages can name it without a cycle).
export interface InitResult {
  root: string;
  steps: InitStep[];
  // Whether the git hook is live now (husky installed and core.hooksPath set).
  active: boolean;
  // What the person still has to do for the agents (e.g. trust the hook in Codex).
  notices?: string[];
}
