import path from 'node:path';
import { FILES_PLACEHOLDER_WITHOUT_GLOBS, cwdEscapesRoot, cwdInGitDir, invariantSentence } from '../messages/config.js';
import type { Diagnostic } from './diagnostic.js';
import { isRecord } from './is-record.js';
import type { MergedGuard } from './merge-guards.js';
import { locateMergedPath } from './merge-guards.js';
import { diagnosticAt, type YamlFile } from './yaml-file.js';
import { checkFailurePattern } from './failure-pattern.js';

const MUST_CLAUSE = /\bmust\s+(never|not|always)\b/i;
const BECAUSE_CLAUSE = /\bbecause\b/i;

// Checks the schema cannot express, on the merged guards (whatever else is wrong with them, so every
// problem shows at once): the invariant reads as the sentence, `{files}` has globs, cwd stays inside.
export function checkGuardRules(guards: MergedGuard[], configFile: YamlFile, root: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  guards.forEach((guard, index) => {
    const value = guard.value;
    if (!isRecord(value)) return;
    const report = (key: string, message: Parameters<typeof diagnosticAt>[2], severity: Diagnostic['severity'] = 'error') => {
      const at = locateMergedPath(guards, configFile, ['guards', index, key]);
      diagnostics.push(diagnosticAt(at.file, at.path, message, severity));
    };
    if (typeof value.invariant === 'string' && value.invariant.trim() !== '') {
      const missing = { must: !MUST_CLAUSE.test(value.invariant), because: !BECAUSE_CLAUSE.test(value.invariant) };
      if (missing.must || missing.because) report('invariant', invariantSentence(missing));
    }
    const runText = typeof value.run === 'string' ? value.run : Array.isArray(value.run) ? value.run.join(' ') : '';
    if (runText.includes('{files}') && value.files === undefined) report('run', FILES_PLACEHOLDER_WITHOUT_GLOBS, 'warning');
    const pattern = typeof value.failures === 'string' ? checkFailurePattern(value.failures) : null;
    if (pattern) report('failures', { message: pattern });
    if (typeof value.cwd === 'string' && escapesRoot(root, value.cwd)) report('cwd', cwdEscapesRoot(value.cwd));
    else if (typeof value.cwd === 'string' && insideGitDir(value.cwd)) report('cwd', cwdInGitDir(value.cwd));
  });
  return diagnostics;
}

// Whether a guard's cwd is git's own directory (never part of the candidate, absent in a temporary checkout).
function insideGitDir(cwd: string): boolean {
  const first = path.posix.normalize(cwd.split(path.sep).join('/')).split('/')[0];
  return first === '.git';
}

// Whether a guard's cwd (relative to the root) lands outside it; absolute paths count as outside.
export function escapesRoot(root: string, cwd: string): boolean {
  if (path.isAbsolute(cwd) || path.win32.isAbsolute(cwd)) return true;
  const relative = path.relative(root, path.resolve(root, cwd));
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}
