import { snapshotWithCode } from '../../messages/checks.js';
import { isCodeFile, isSnapshot } from './file-kinds.js';
import type { Finding, WeakeningCheck } from './finding.js';

// no-snapshot-with-code: the rule kept simple — any existing `.snap` file changed in the same diff as any
// program source that is not a test fails, listing that source. A new snapshot (a new test's) is fine, and
// so is a snapshot change on its own.
export const snapshotWithCodeCheck: WeakeningCheck = {
  name: 'no-snapshot-with-code',
  run(diff) {
    const sources = diff.files.flatMap((f) => [f.newPath ?? f.oldPath!]).filter(isCodeFile);
    if (!sources.length) return [];
    const findings: Finding[] = [];
    for (const file of diff.files) {
      if (!file.oldPath || !file.newPath || !isSnapshot(file.newPath)) continue;
      if (!file.added.length && !file.removed.length && !file.binary) continue;
      const line = file.added[0]?.line ?? file.removed[0]?.at ?? 1;
      findings.push({ path: file.newPath, line, message: snapshotWithCode(sources) });
    }
    return findings;
  },
};
