import { defineConfig } from 'vitest/config';

import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

// `npm run test:agents`: the real agent CLIs (Claude Code, Codex, Gemini CLI) driven headless against
// scripted mocks of their model APIs. Kept apart from `npm test` (which stays fast): the first run
// installs the CLIs into a cache folder outside the repository (see test/agents-e2e/helpers/cli-cache.ts).
export default defineConfig({
  define: { __GUARDLOOP_VERSION__: JSON.stringify(version) },
  test: {
    setupFiles: ['test/setup-env.ts'],
    // *.e2e.ts drive the real CLIs (not matched by `npm test`); *.test.ts are fixture-level (also in `npm test`).
    include: ['test/agents-e2e/**/*.e2e.ts', 'test/agents-e2e/**/*.test.ts'],
    // Installing a CLI on first use (npm) can take minutes; one agent run is bounded by the test itself.
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Each CLI is a heavy process; two cores.
    maxWorkers: 2,
    // The CLIs print a lot; failures print what matters.
    reporters: ['verbose'],
  },
});
