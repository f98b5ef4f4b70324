import type { InitResult } from '../setup/init.js';

// What `guardloop init` did, and the next steps a person takes.
export function initReport(result: InitResult): string {
  const lines = result.steps.map((s) => `  ${s.changed ? '+' : '='} ${s.what}`);
  const next = result.active
    ? ['Next:', '  1. Edit .loop/config.yaml: one guard per invariant you want enforced.', '  2. Commit: `git add -A && git commit` — the guards run on what you staged, and the verdict is recorded (`guardloop log`).']
    : [
        'Next:',
        '  1. Run `npm install` to install husky and activate the hook (the prepare script does it).',
        '  2. Edit .loop/config.yaml: one guard per invariant you want enforced.',
        '  3. Commit: the guards run on what you staged, and the verdict is recorded (`guardloop log`).',
      ];
  const changed = result.steps.some((s) => s.changed);
  return [`guardloop init in ${result.root}${changed ? '' : ': nothing to change'}`, ...lines, '', ...next].join('\n');
}
