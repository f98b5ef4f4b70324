import { DemoStepError } from '../errors/demo-step-error.js';
import type { Ran } from './demo-shell.js';

// How `guardloop demo` tells its story: numbered steps, one line each, and under each the commands it
// ran with their output indented, as the terminal showed it. A step that did not do what the demo
// expects ends the demo there (DemoStepError), after its output is shown.

const indent = (text: string, by: number) =>
  text
    .replace(/\s+$/, '')
    .split('\n')
    .map((l) => (l.trim() ? `${' '.repeat(by)}${l.replace(/\s+$/, '')}` : ''))
    .join('\n');

// The narration of one demo: where it writes, which step it is at, and the folder to name on a failure.
export class Narration {
  private n = 0;
  constructor(
    private readonly write: (text: string) => void,
    private readonly dir: string,
  ) {}

  // The number of steps told so far.
  get steps(): number {
    return this.n;
  }

  // A line before the steps or after them.
  line(text: string): void {
    this.write(`${text}\n`);
  }

  // The next step and its one line.
  step(text: string): void {
    this.n += 1;
    this.write(`\n${this.n}. ${text}\n`);
  }

  // A command shown as typed (`display`), then its output.
  command(display: string, output: string): void {
    this.write(`   $ ${display}\n`);
    if (output.trim()) this.write(`${indent(output, 5)}\n`);
  }

  // A note under the step's commands (a heading, then text indented under it).
  note(heading: string, text?: string): void {
    this.write(`   ${heading}\n`);
    if (text?.trim()) this.write(`${indent(text, 5)}\n`);
  }

  // Ends the demo at this step: what it needed was not there (DemoStepError).
  fail(display: string, expected: string, code: number): never {
    throw new DemoStepError(this.n, display, expected, code, this.dir);
  }

  // Shows a command's output, then checks it: throws DemoStepError when `ok` does not hold.
  shown(display: string, ran: Ran, expected: string, ok: (ran: Ran) => boolean, output = ran.output): Ran {
    this.command(display, output);
    if (!ok(ran)) this.fail(display, expected, ran.code);
    return ran;
  }
}
