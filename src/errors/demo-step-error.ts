import { GuardloopError } from './guardloop-error.js';
import { demoStepFailed } from '../messages/demo.js';

// A step of `guardloop demo` did not do what the demo expects (a stop not blocked, a commit not
// rejected, a command that failed): the demo stops there, keeps its folder, and says which step.
export class DemoStepError extends GuardloopError<{ step: number; command: string; expected: string; code: number; dir: string }> {
  constructor(step: number, command: string, expected: string, code: number, dir: string) {
    super('DEMO_STEP_FAILED', demoStepFailed(step, command, expected, code, dir), { step, command, expected, code, dir }, 2);
    this.name = 'DemoStepError';
  }
}
