import type { RecordV1 } from '../../store/record.js';
import type { Trace } from '../trace.js';

// Why a trace (or one record of it) produced no line, counted in the formatter's `skipped`.
export type SkipReason =
  | 'skipped-record'
  | 'rejected-final'
  | 'escalated-final'
  | 'approval-final'
  | 'dpo-no-rejected-attempt'
  | 'dpo-no-rejected-artifact'
  | 'dpo-same-artifact'
  | 'kto-no-artifact'
  | 'raw-no-record';

// What every format's builder is handed beside the trace: the artifact of a record (read once per
// record and mode) and the counter of what produced no line.
export interface FormatContext {
  turns: boolean;
  artifact(record: RecordV1): Promise<string>;
  skip(reason: SkipReason): void;
}

// Whether the trace's final record may be a positive example (a chosen or trained-on completion):
// ACCEPTED, not escalated, and with no person's approval of protected paths. Counts why not.
export function positiveFinal(trace: Trace, ctx: FormatContext): boolean {
  const f = trace.final;
  if (f.status !== 'ACCEPTED') {
    ctx.skip(f.escalated ? 'escalated-final' : 'rejected-final');
    return false;
  }
  if (f.approval) {
    ctx.skip('approval-final');
    return false;
  }
  return true;
}
