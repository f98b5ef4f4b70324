import { badArtifactMode, badFormat, FILES_NEED_READER, textNeedsConversational, TURNS_NEED_MESSAGES } from '../../messages/learn.js';
import type { RecordV1 } from '../../store/record.js';
import type { Trace } from '../trace.js';
import type { ReadTreeFiles } from '../tree-files.js';
import { alpacaLines } from './alpaca.js';
import { artifactOf, type ArtifactMode } from './artifact.js';
import type { FormatContext, SkipReason } from './context.js';
import { dpoLines } from './dpo.js';
import { ktoLines } from './kto.js';
import { messagesLines } from './messages.js';
import { promptCompletionLines } from './prompt-completion.js';
import { rawLines } from './raw.js';
import { redactLine } from './redact-line.js';
import { FORMATS, TEXT_FORMATS, type Format, type TextFormat } from './schemas.js';
import { TEXT_BUILDERS } from './text.js';

// What extraction and its tests name: the formats, their line schemas and types, the artifact modes, why no line.
export {
  FORMAT_SCHEMAS,
  FORMATS,
  lineSchema,
  TEXT_FORMAT_SCHEMAS,
  TEXT_FORMATS,
  type AlpacaLine,
  type DpoLine,
  type DpoTextLine,
  type Format,
  type KtoLine,
  type KtoTextLine,
  type MessagesLine,
  type MessagesTextLine,
  type Metadata,
  type PromptCompletionLine,
  type PromptCompletionTextLine,
  type RawLine,
  type TextFormat,
} from './schemas.js';
export type { ArtifactMode } from './artifact.js';
export type { SkipReason } from './context.js';

// How `guardloop extract` asked for its lines.
export interface FormatterOptions {
  format: Format;
  // Only with `messages`: the chain as turns, earlier attempts weighted 0.
  turns?: boolean;
  // --text: the conversational formats as plain strings (TRL's standard types); not for alpaca or raw.
  text?: boolean;
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
  alpaca: alpacaLines,
  raw: rawLines,
};

const noTreeReader: ReadTreeFiles = () => {
  throw new RangeError(FILES_NEED_READER);
};

// The export's one entry: validates the options (an unknown format or artifact mode, --turns
// outside `messages`, --text with alpaca or raw), then builds each trace's lines, redacted, the
// same bytes for the same trace.
export function createFormatter(opts: FormatterOptions): Formatter {
  const format = opts.format;
  if (!FORMATS.includes(format)) throw new RangeError(badFormat(String(format), FORMATS));
  const turns = opts.turns ?? false;
  if (turns && format !== 'messages') throw new RangeError(TURNS_NEED_MESSAGES);
  const text = opts.text ?? false;
  if (text && !(TEXT_FORMATS as Format[]).includes(format)) throw new RangeError(textNeedsConversational(format));
  const mode = opts.artifact ?? 'diff';
  if (mode !== 'diff' && mode !== 'files') throw new RangeError(badArtifactMode(String(mode)));
  if (mode === 'files' && !opts.readTreeFiles) throw new RangeError(FILES_NEED_READER);
  const read = opts.readTreeFiles ?? noTreeReader;
  const redact = opts.redact ?? [];
  const skipped: Record<string, number> = {};
  const skip = (reason: SkipReason) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const build = text ? TEXT_BUILDERS[format as TextFormat] : BUILDERS[format];
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
