import { defineConfig } from 'vitest/config';

import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

// `npm run test:browser`: the HTML report opened from disk in headless Chromium (Debian's package,
// driven by playwright-core through its executablePath): no console error, no request but the file,
// every chart's marks drawn, a screenshot. Kept apart from `npm test`: the global setup finds the
// browser ($GUARDLOOP_CHROMIUM, /usr/bin/chromium) or installs it once with scripts/install-chromium.sh,
// and the suite is skipped with the reason printed where neither works.
export default defineConfig({
  define: { __GUARDLOOP_VERSION__: JSON.stringify(version) },
  test: {
    setupFiles: ['test/setup-env.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    include: ['test/browser/**/*.browser.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
