import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { findReftableGit } from './find-git.js';

declare module 'vitest' {
  export interface ProvidedContext {
    // The git binary the reftable tests run (>= 2.45), or '' when there is none.
    reftableGit: string;
    // Why the suite is skipped ('' when it runs).
    reftableSkip: string;
  }
}

// Finds (or builds once) a git that writes reftable repositories and hands it to the tests; says
// plainly why the suite is skipped when there is none.
export default function setup(project: TestProject): void {
  const found = findReftableGit(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  if ('bin' in found) {
    console.log(`test:reftable: using ${found.version} (${found.bin})`);
    project.provide('reftableGit', found.bin);
    project.provide('reftableSkip', '');
  } else {
    console.log(`test:reftable: SKIPPED — ${found.reason}`);
    project.provide('reftableGit', '');
    project.provide('reftableSkip', found.reason);
  }
}
