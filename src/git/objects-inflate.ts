import { constants, inflateSync } from 'node:zlib';

// Inflating pack entries whose size the pack header gives. `zlib.inflateSync` builds a whole
// Transform stream and a 16 KiB output chunk per call, which costs more than inflating the delta
// of a note blob (a hundred-odd bytes); reading all of ℛ inflates one entry per record. So one
// zlib handle is kept and reset between entries, through the binding node:zlib itself is built
// on. Where that binding isn't there (another runtime, a Node that dropped it) or shouldn't be
// touched (--pending-deprecation would print a warning), every entry goes to inflateSync.

interface ZlibHandle {
  init(windowBits: number, level: number, memLevel: number, strategy: number, state: Uint32Array, callback: () => void, dictionary: undefined): void;
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
}

let handle: ZlibHandle | null | undefined;
const state = new Uint32Array(2);
let failure: string | null = null;

function reusable(): ZlibHandle | null {
  if (handle !== undefined) return handle;
  handle = null;
  try {
    const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
    const bind = (process as unknown as { binding?: (name: string) => unknown }).binding;
    if (typeof bind !== 'function' || /--pending-deprecation|--throw-deprecation/.test(flags)) return null;
    const Zlib = (bind.call(process, 'zlib') as { Zlib?: new (mode: number) => ZlibHandle }).Zlib;
    if (typeof Zlib !== 'function') return null;
    const h = new Zlib(constants.INFLATE);
    h.onerror = (message) => {
      failure = message;
    };
    h.init(constants.Z_DEFAULT_WINDOWBITS, constants.Z_DEFAULT_COMPRESSION, constants.Z_DEFAULT_MEMLEVEL, constants.Z_DEFAULT_STRATEGY, state, () => {}, undefined);
    handle = h;
  } catch {
    handle = null;
  }
  return handle;
}

// Entries up to this size use the kept handle; bigger ones gain nothing from it.
const REUSE_MAX = 1 << 20;

// Inflates a zlib stream of known inflated size (bytes after the stream are ignored). Throws on
// a corrupt stream or a size mismatch.
export function inflateKnownSize(input: Uint8Array, size: number): Buffer {
  const h = size <= REUSE_MAX ? reusable() : null;
  if (!h) return checked(inflateSync(input), size);
  // One byte more than expected: a stream that inflates to more than `size` shows as a full buffer.
  const out = Buffer.allocUnsafe(size + 1);
  failure = null;
  try {
    h.writeSync(constants.Z_FINISH, input, 0, input.length, out, 0, size + 1);
  } finally {
    h.reset();
  }
  if (failure !== null) throw new Error(`corrupt pack entry: ${failure}`);
  return checked(out.subarray(0, size + 1 - state[0]), size);
}

function checked(out: Buffer, size: number): Buffer {
  if (out.length !== size) throw new Error(`corrupt pack entry: inflated ${out.length} bytes where the pack says ${size}`);
  return out;
}

// Inflates a whole zlib stream of unknown size (a loose object): the kept handle with room for a
// few times the input, else inflateSync.
export function inflateAll(input: Uint8Array): Buffer {
  const room = Math.max(4096, input.length * 8);
  const h = room <= REUSE_MAX ? reusable() : null;
  if (!h) return inflateSync(input);
  const out = Buffer.allocUnsafe(room);
  failure = null;
  try {
    h.writeSync(constants.Z_FINISH, input, 0, input.length, out, 0, room);
  } finally {
    h.reset();
  }
  // A full buffer may mean more to come: let zlib do it whole (and report any error).
  if (failure !== null || state[0] === 0) return inflateSync(input);
  return out.subarray(0, room - state[0]);
}
