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

// Collects a guard's stdout and stderr in arrival order, keeping the head and the tail when the
// output is longer than the limit (errors usually come last).
export class OutputBuffer {
  private head = '';
  private tail = '';
  private total = 0;
  constructor(private readonly limit: number) {}

  push(chunk: string): void {
    this.total += chunk.length;
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

  // The captured text, with a marker where the middle was cut.
  text(): string {
    const tailLimit = this.limit - Math.floor(this.limit / 5);
    const tail = this.tail.length > tailLimit ? this.tail.slice(-tailLimit) : this.tail;
    const cut = this.total - this.head.length - tail.length;
    return cut > 0 ? `${this.head}${outputCut(cut)}${tail}` : this.head + tail;
  }
}
