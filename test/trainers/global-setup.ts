import type { TestProject } from 'vitest/node';
import { ensureTrainersEnv, type TrainersEnv } from './helpers/venv.js';

declare module 'vitest' {
  export interface ProvidedContext {
    // A Python with the pinned trainers, or why the suite is skipped.
    trainers: TrainersEnv;
  }
}

// Installs the pinned trainers once into the cache (or finds them there) before any test file is
// collected, prints what it got and what it cost, and says plainly why the suite is skipped where
// pip can't have them.
export default async function setup(project: TestProject): Promise<void> {
  const env = await ensureTrainersEnv();
  if (env.ok) {
    const versions = Object.entries(env.versions).map(([n, v]) => `${n} ${v}`).join(', ');
    const how = env.installed ? `installed in ${(env.installMs / 1000).toFixed(1)} s` : 'reused from the cache';
    console.log(`test:trainers: ${versions} — ${how} (${env.dir})`);
  } else {
    console.log(`test:trainers: SKIPPED — ${env.reason}`);
  }
  project.provide('trainers', env);
}
