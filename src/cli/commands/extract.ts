import { InterruptedError } from '../../errors/interrupted-error.js';
import { extract, type ExtractResult } from '../../learn/extract.js';
import { writesThroughTemp } from '../../learn/export-sink.js';
import { EXPORT_INTERRUPTED, extractSummary } from '../../messages/extract.js';
import { stderrWarning, warningLines } from '../../messages/store.js';
import type { Command } from '../command.js';
import { withSignals } from '../signals.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

// `guardloop extract`: the chains of ℛ a policy selects, as JSONL in a training format.
const command: Command = {
  name: 'extract',
  summary: 'Export chains of ℛ as training data (JSONL: prompt-completion, messages, dpo, kto, alpaca, raw)',
  usage:
    'guardloop extract [--policy refinements|successes|generator|human|high-value|recent|all] [--min-retry N] [--since DATE|7d] [--where EXPR]... [--format prompt-completion|messages|dpo|kto|alpaca|raw] [--turns] [--text] [--artifact diff|files] [-o FILE] [--checkpoint FILE] [--redact PATTERN]... [--ref NOTES_REF]',
  options: {
    policy: { type: 'string', value: 'name', description: 'Which chains: refinements (default: accepted after rejections), successes, generator, human, high-value, recent, all' },
    'min-retry': { type: 'string', value: 'n', description: 'high-value: at least N retries before acceptance (default 3)' },
    since: { type: 'string', value: 'date', description: 'recent: final records at or after an ISO date or date-time (2026-01-31, 2026-01-31T12:00, UTC without an offset) or within a duration (7d, 12h)' },
    where: { type: 'string', multiple: true, value: 'expr', description: 'And a filter: status, source, agent, hook, retry, ts, guard, layer, refinement with and/or/not (repeatable: all must hold)' },
    format: { type: 'string', value: 'name', description: 'prompt-completion (default), messages, dpo, kto, alpaca, or raw (the records)' },
    turns: { type: 'boolean', description: 'messages: the chain as turns, earlier attempts weighted 0' },
    text: { type: 'boolean', description: 'prompt-completion, messages, dpo, kto: plain strings instead of message lists' },
    artifact: { type: 'string', value: 'kind', description: 'diff (default) or files (the changed files after the change)' },
    output: { type: 'string', short: 'o', value: 'file', description: 'Write the JSONL to FILE (complete or not at all) instead of stdout' },
    checkpoint: { type: 'string', value: 'file', description: 'Export only what is new since FILE, then move FILE on (after the output is complete)' },
    redact: { type: 'string', multiple: true, value: 'pattern', description: 'Also mask this regular expression in every string (repeatable)' },
    ref: { type: 'string', value: 'ref', description: 'The notes ref to read (default refs/notes/guardloop)' },
  },
  async run(ctx) {
    const v = ctx.values;
    const output = str(v.output);
    const run = (signal?: AbortSignal) =>
      extract({
        cwd: ctx.cwd,
        ref: str(v.ref),
        policy: str(v.policy),
        minRetry: str(v['min-retry']),
        since: str(v.since),
        where: list(v.where),
        format: str(v.format),
        turns: v.turns === true,
        text: v.text === true,
        artifact: str(v.artifact),
        redact: list(v.redact),
        output: output ?? ctx.stdout,
        checkpoint: str(v.checkpoint),
        signal,
      });
    // `-o FILE` through its temp file: Ctrl-C, SIGTERM, SIGHUP stop the export, remove the temp file,
    // leave the checkpoint, and exit 128 + the signal's number. Other outputs (stdout, a FIFO) keep
    // the default: a signal ends the process even while a write waits for a reader that stopped,
    // and there is nothing to remove (the checkpoint moves only after a complete output).
    let result: ExtractResult;
    try {
      result = output !== undefined && writesThroughTemp(output) ? await withSignals(run) : await run();
    } catch (e) {
      // The export's own wording of the interruption (the temp file, the checkpoint), same exit code.
      if (!(e instanceof InterruptedError)) throw e;
      ctx.stderr.write(`${EXPORT_INTERRUPTED}\n`);
      return e.exitCode;
    }
    if (result.configWarning) ctx.stderr.write(`${stderrWarning(result.configWarning)}\n`);
    if (result.warnings.length) ctx.stderr.write(`${warningLines(result.warnings)}\n`);
    ctx.stderr.write(`${extractSummary(result)}\n`);
    return 0;
  },
};

export default command;
