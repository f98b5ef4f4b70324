// The config's check of a guard's `failures:` pattern (the engine reads failures with it; see
// engine/failures.ts). Here, below the engine, so the config loader can report it with file and line.
import { FAILURE_PATTERN_EMPTY, FAILURE_PATTERN_MATCHES_EMPTY, failurePatternBacktracks, failurePatternInvalid } from '../messages/failures.js';
import { nestedQuantifier } from './failure-backtracking.js';

// What is wrong with a `failures:` pattern, for the config loader's diagnostics: it is empty, JavaScript
// can't compile it, it matches the empty string, or it repeats a group that itself repeats (a cheap, partial
// check for catastrophic backtracking); null when none of these.
export function checkFailurePattern(pattern: string): string | null {
  if (typeof pattern !== 'string' || !pattern.trim()) return FAILURE_PATTERN_EMPTY;
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'm');
  } catch (e) {
    return failurePatternInvalid((e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
  if (re.test('')) return FAILURE_PATTERN_MATCHES_EMPTY;
  const nested = nestedQuantifier(pattern);
  return nested ? failurePatternBacktracks(nested) : null;
}
