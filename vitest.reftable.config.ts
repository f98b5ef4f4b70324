import { defineConfig } from 'vitest/config';

import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

// `npm run test:reftable`: ℛ in reftable repositories (git >= 2.45, `git init --ref-format=reftable`),
// SHA-1 and SHA-256. Kept apart from `npm test` because it needs a newer git than most machines have:
// the global setup finds one ($GUARDLOOP_TEST_GIT, PATH, ~/.cache/guardloop-git) or builds it once with
// scripts/build-git.sh, and the suite is skipped with the reason printed where neither works.
export default defineConfig({
  define: { __GUARDLOOP_VERSION__: JSON.stringify(version) },
  test: {
    setupFiles: ['test/setup-env.ts'],
    globalSetup: ['test/reftable/global-setup.ts'],
    include: ['test/reftable/**/*.reftable.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
