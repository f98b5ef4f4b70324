import { GuardloopError } from './guardloop-error.js';
import { refLocked } from '../messages/store.js';

// refs/notes/guardloop stayed locked (a running or killed writer holds `<ref>.lock`).
export class RefLockedError extends GuardloopError<{ ref: string; lockPath: string; pid: number | null; dead: boolean; ageMs: number; waitedMs: number }> {
  constructor(ref: string, holder: { path: string; pid: number | null; dead: boolean; ageMs: number }, waitedMs: number) {
    super('REF_LOCKED', refLocked(ref, holder.path, holder, waitedMs), { ref, lockPath: holder.path, pid: holder.pid, dead: holder.dead, ageMs: Math.round(holder.ageMs), waitedMs }, 3);
    this.name = 'RefLockedError';
  }
}
