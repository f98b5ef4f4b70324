import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { findChromium } from './find-chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    // The chromium binary the browser tests drive, or '' when there is none.
    chromium: string;
    // Why the suite is skipped ('' when it runs).
    chromiumSkip: string;
    // Where the README's screenshot goes ($GUARDLOOP_REPORT_PNG, e.g. docs/report.png), '' for a temp dir
    // (read here: the test workers start without GUARDLOOP_* variables, test/setup-env.ts).
    reportPng: string;
  }
}

// Finds (or installs once) Debian's chromium and hands it to the tests; says plainly why the suite
// is skipped when there is none.
export default function setup(project: TestProject): void {
  const png = process.env.GUARDLOOP_REPORT_PNG;
  project.provide('reportPng', png ? resolve(png) : '');
  const found = findChromium(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  if ('bin' in found) {
    console.log(`test:browser: using ${found.version} (${found.bin})`);
    project.provide('chromium', found.bin);
    project.provide('chromiumSkip', '');
  } else {
    console.log(`test:browser: SKIPPED — ${found.reason}`);
    project.provide('chromium', '');
    project.provide('chromiumSkip', found.reason);
  }
}
