import { defineConfig } from 'vitest/config';

import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

export default defineConfig({
  define: { __GUARDLOOP_VERSION__: JSON.stringify(version) },
  test: {
    setupFiles: ['test/setup-env.ts'],
    include: ['test/**/*.test.ts'],
    // The real agent CLIs run in their own suite: `npm run test:agents` (vitest.agents.config.ts).
    exclude: ['test/agents-e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests spawn git and the CLI; two cores on CI machines.
    maxWorkers: 2,
  },
});
