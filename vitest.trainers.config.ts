import { defineConfig } from 'vitest/config';

import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

// `npm run test:trainers`: the exported training files loaded unchanged by `datasets` and trained one
// step by TRL's SFTTrainer, DPOTrainer and KTOTrainer on a tiny model built from a config (CPU, no
// downloads). Kept apart from `npm test`: the global setup installs the pinned trainers once into a
// cache folder outside the repository (test/trainers/helpers/venv.ts) and the suite is skipped, with
// the reason printed, where pip can't install them.
export default defineConfig({
  define: { __GUARDLOOP_VERSION__: JSON.stringify(version) },
  test: {
    setupFiles: ['test/setup-env.ts'],
    globalSetup: ['test/trainers/global-setup.ts'],
    include: ['test/trainers/**/*.e2e.ts'],
    // One training step starts Python and imports torch and transformers (about 20 s on two cores).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Each step uses both cores.
    maxWorkers: 1,
    reporters: ['verbose'],
  },
});
