import { extract } from '../../learn/extract.js';
import { extractSummary } from '../../messages/extract.js';
import { warningLines } from '../../messages/store.js';
import type { Command } from '../command.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

// `guardloop extract`: the chains of ℛ a policy selects, as JSONL in a training format.
const command: Command = {
  name: 'extract',
  summary: 'Export chains of ℛ as training data (JSONL: prompt-completion, messages, dpo, kto, raw)',
  usage:
    'guardloop extract [--policy refinements|successes|generator|human|high-value|recent|all] [--min-retry N] [--since DATE|7d] [--where EXPR] [--format prompt-completion|messages|dpo|kto|raw] [--turns] [--artifact diff|files] [-o FILE] [--checkpoint FILE] [--redact PATTERN]... [--ref NOTES_REF]',
  options: {
    policy: { type: 'string', value: 'name', description: 'Which chains: refinements (default: accepted after rejections), successes, generator, human, high-value, recent, all' },
    'min-retry': { type: 'string', value: 'n', description: 'high-value: at least N retries before acceptance (default 3)' },
    since: { type: 'string', value: 'date', description: 'recent: final records at or after a date (2026-01-31) or within a duration (7d, 12h)' },
    where: { type: 'string', value: 'expr', description: 'And a filter: status, source, agent, hook, retry, ts, guard, layer, refinement with and/or/not' },
    format: { type: 'string', value: 'name', description: 'prompt-completion (default), messages, dpo, kto, or raw (the records)' },
    turns: { type: 'boolean', description: 'messages: the chain as turns, earlier attempts weighted 0' },
    artifact: { type: 'string', value: 'kind', description: 'diff (default) or files (the changed files after the change)' },
    output: { type: 'string', short: 'o', value: 'file', description: 'Write the JSONL to FILE (complete or not at all) instead of stdout' },
    checkpoint: { type: 'string', value: 'file', description: 'Export only what is new since FILE, then move FILE on (after the output is complete)' },
    redact: { type: 'string', multiple: true, value: 'pattern', description: 'Also mask this regular expression in every string (repeatable)' },
    ref: { type: 'string', value: 'ref', description: 'The notes ref to read (default refs/notes/guardloop)' },
  },
  async run(ctx) {
    const v = ctx.values;
    const result = await extract({
      cwd: ctx.cwd,
      ref: str(v.ref),
      policy: str(v.policy),
      minRetry: str(v['min-retry']),
      since: str(v.since),
      where: str(v.where),
      format: str(v.format),
      turns: v.turns === true,
      artifact: str(v.artifact),
      redact: Array.isArray(v.redact) ? v.redact : [],
      output: str(v.output) ?? ctx.stdout,
      checkpoint: str(v.checkpoint),
    });
    if (result.warnings.length) ctx.stderr.write(`${warningLines(result.warnings)}\n`);
    ctx.stderr.write(`${extractSummary(result)}\n`);
    return 0;
  },
};

export default command;
