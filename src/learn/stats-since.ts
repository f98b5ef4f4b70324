// `--since` of the reading half (stats, report): the strict dates and durations of `log --since`
// and `extract --since` (one parser, src/store/log-filter.ts), turned into milliseconds or a usage error.
import { SinceError } from '../errors/since-error.js';
import { parseSince } from '../store/log-filter.js';

// The time `since` names in milliseconds since the epoch, null when not given. A value that is no
// date, date-time or duration is a SinceError (SINCE_INVALID, exit 2) naming what was typed.
export function sinceMs(since: string | null | undefined, now = Date.now()): number | null {
  if (since === undefined || since === null) return null;
  const d = parseSince(since, now);
  if (!d) throw new SinceError(since);
  return d.getTime();
}
