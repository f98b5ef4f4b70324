import { InterruptedError } from '../errors/interrupted-error.js';

const EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

// Turns SIGINT/SIGTERM/SIGHUP into an abort of the running work, so guards are killed and
// temporary files removed before the process exits with 128+signal.
export async function withSignals<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: string | null = null;
  const handler = (sig: NodeJS.Signals) => {
    received ??= sig;
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, handler);
  try {
    const result = await work(controller.signal);
    if (received) throw new InterruptedError();
    return result;
  } catch (e) {
    if (received && e instanceof InterruptedError) Object.assign(e, { exitCode: EXIT[received] ?? 130 });
    throw e;
  } finally {
    for (const s of signals) process.off(s, handler);
  }
}
