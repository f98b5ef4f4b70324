import { outputCut } from '../messages/run.js';

// ANSI escape sequences (colours, cursor moves, OSC links and titles) that a record must not keep.
// Hand-written on purpose: Node's util.stripVTControlCharacters (checked on Node 20.20) leaves parts of
// colon-separated colours (ESC[38:2:255:0:0m), of OSC 8 links whose URL holds characters such as
// + , ! ( ) or an `id=` parameter, and of window titles with spaces (test/run/strip-ansi.test.ts).
// eslint-disable-next-line no-control-regex
const ANSI = /[\u001B\u009B](?:\][^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)|[[\]()#;?]*(?:\d{1,4}(?:[;:]\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~])/g;

// Removes terminal escape codes so stored feedback is plain text.
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

// How many times `limits.output` of a guard's output is kept for reading its failures (the ready-made
// ESLint and jest patterns take 0.7 s and 6 s at 200,000 characters in the worst case measured).
export const FAILURE_TEXT_FACTOR = 10;

// Collects a guard's stdout and stderr in arrival order, keeping the head and the tail when the
// output is longer than the limit (errors usually come last).
export class OutputBuffer {
  private head = '';
  private tail = '';
  private total = 0;
  // The whole output, kept up to FAILURE_TEXT_FACTOR × limit for reading failures from (a failure in the
  // cut middle must count, and one that scrolls into the kept part must not read as new); '' once past.
  private whole = '';
  private wholeCut = false;
  constructor(private readonly limit: number) {}

  push(chunk: string): void {
    this.total += chunk.length;
    if (!this.wholeCut) {
      if (this.whole.length + chunk.length <= this.limit * FAILURE_TEXT_FACTOR) this.whole += chunk;
      else [this.whole, this.wholeCut] = ['', true];
    }
    const headRoom = Math.floor(this.limit / 5) - this.head.length;
    if (headRoom > 0) {
      this.head += chunk.slice(0, headRoom);
      chunk = chunk.slice(headRoom);
    }
    if (!chunk) return;
    this.tail += chunk;
    const tailLimit = this.limit - Math.floor(this.limit / 5);
    if (this.tail.length > tailLimit * 2) this.tail = this.tail.slice(-tailLimit);
  }

  // What a failing guard's failures are read from when the output was cut for the record: all of it when
  // it was kept, else only `cut` (some failures may be unread); null: the output wasn't cut.
  failureText(): { text: string; cut: boolean } | null {
    if (this.total <= this.limit) return null;
    return this.wholeCut ? { text: '', cut: true } : { text: this.whole, cut: false };
  }

  // The captured text, with a marker where the middle was cut.
  text(): string {
    const tailLimit = this.limit - Math.floor(this.limit / 5);
    const tail = this.tail.length > tailLimit ? this.tail.slice(-tailLimit) : this.tail;
    const cut = this.total - this.head.length - tail.length;
    return cut > 0 ? `${this.head}${outputCut(cut)}${tail}` : this.head + tail;
  }
}
