import { badArtifactMode, badFormat, FILES_NEED_READER, TURNS_NEED_MESSAGES } from '../../messages/learn.js';
import type { RecordV1 } from '../../store/record.js';
import type { Trace } from '../trace.js';
import type { ReadTreeFiles } from '../tree-files.js';
import { artifactOf, type ArtifactMode } from './artifact.js';
import type { FormatContext, SkipReason } from './context.js';
import { dpoLines } from './dpo.js';
import { ktoLines } from './kto.js';
import { messagesLines } from './messages.js';
import { promptCompletionLines } from './prompt-completion.js';
import { rawLines } from './raw.js';
import { redactLine } from './redact-line.js';
import { FORMATS, type Format } from './schemas.js';

// What extraction and its tests name: the formats, their line schemas and types, the artifact modes, why no line.
export { FORMAT_SCHEMAS, FORMATS, type DpoLine, type Format, type KtoLine, type MessagesLine, type Metadata, type PromptCompletionLine, type RawLine } from './schemas.js';
export type { ArtifactMode } from './artifact.js';
export type { SkipReason } from './context.js';

// How `guardloop extract` asked for its lines.
export interface FormatterOptions {
  format: Format;
  // Only with `messages`: the chain as turns, earlier attempts weighted 0.
  turns?: boolean;
  artifact?: ArtifactMode;
  // Extra secret patterns (--redact), masked beside the built-in kinds in every string of a line.
  redact?: RegExp[];
  // Reads a record's changed files from its tree; needed for `artifact: 'files'` (src/learn/tree-files.ts).
  readTreeFiles?: ReadTreeFiles;
}

// Turns traces into the lines of one format; `skipped` counts, by reason, what produced no line.
export interface Formatter {
  lines(trace: Trace): Promise<unknown[]>;
  readonly skipped: Record<string, number>;
}

const BUILDERS: Record<Format, (trace: Trace, ctx: FormatContext) => Promise<unknown[]> | unknown[]> = {
  'prompt-completion': promptCompletionLines,
  messages: messagesLines,
  dpo: dpoLines,
  kto: ktoLines,
  raw: rawLines,
};

const noTreeReader: ReadTreeFiles = () => {
  throw new RangeError(FILES_NEED_READER);
};

// The export's one entry: validates the options (an unknown format or artifact mode, --turns
// outside `messages`), then builds each trace's lines, redacted, the same bytes for the same trace.
export function createFormatter(opts: FormatterOptions): Formatter {
  const format = opts.format;
  if (!FORMATS.includes(format)) throw new RangeError(badFormat(String(format), FORMATS));
  const turns = opts.turns ?? false;
  if (turns && format !== 'messages') throw new RangeError(TURNS_NEED_MESSAGES);
  const mode = opts.artifact ?? 'diff';
  if (mode !== 'diff' && mode !== 'files') throw new RangeError(badArtifactMode(String(mode)));
  if (mode === 'files' && !opts.readTreeFiles) throw new RangeError(FILES_NEED_READER);
  const read = opts.readTreeFiles ?? noTreeReader;
  const redact = opts.redact ?? [];
  const skipped: Record<string, number> = {};
  const skip = (reason: SkipReason) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const build = BUILDERS[format];
  return {
    skipped,
    async lines(trace) {
      // A skip is not an attempt of anything: no format exports it.
      if (trace.final.status === 'SKIPPED') {
        skip('skipped-record');
        return [];
      }
      // Each record's artifact is read once per trace (a DPO chain's chosen side serves every pair).
      const artifacts = new Map<RecordV1, Promise<string>>();
      const ctx: FormatContext = {
        turns,
        skip,
        artifact(record) {
          let a = artifacts.get(record);
          if (!a) artifacts.set(record, (a = artifactOf(record, mode, read)));
          return a;
        },
      };
      const lines = await build(trace, ctx);
      // One memo per trace: its lines share strings, other traces rarely do.
      const seen = new Map<string, string>();
      return lines.map((l) => redactLine(l, redact, seen));
    },
  };
}
