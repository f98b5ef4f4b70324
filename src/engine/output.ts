// ANSI escape sequences (colours, cursor moves, OSC links) that a record must not keep.
// eslint-disable-next-line no-control-regex
const ANSI = /[\u001B\u009B](?:\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[[\]()#;?]*(?:\d{1,4}(?:[;:]\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~])/g;

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
    return cut > 0 ? `${this.head}\n[guardloop: ${cut} characters of output cut]\n${tail}` : this.head + tail;
  }
}
