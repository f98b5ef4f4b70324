// node:crypto as the hook bundle uses it, without loading node:crypto at every start (its ~20 inner
// modules were ~2 ms of a commit hook's start on a loaded 2-core machine): scripts/build.mjs maps the
// hook bundle's `node:crypto` here. createHash('sha1' | 'sha256') hashes what stays under
// NATIVE_FROM bytes in JavaScript (ids, keys, small files) and hands anything larger to node:crypto,
// loaded then; randomBytes reads the system's random device. Any other algorithm, option or a
// callback goes to node:crypto as it is.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BinaryToTextEncoding, Hash } from 'node:crypto';

type NodeCrypto = typeof import('node:crypto');
let loaded: NodeCrypto | null = null;
const real = (): NodeCrypto => (loaded ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto);

// Past this many bytes a hash is node:crypto's (native, and far faster on large inputs).
export const NATIVE_FROM = 16 * 1024;

// The message padded to whole 64-byte blocks with its length in bits (both hashes pad alike).
function padded(msg: Uint8Array): { view: DataView; blocks: number } {
  const total = ((msg.length + 9 + 63) >> 6) << 6;
  const buf = new Uint8Array(total);
  buf.set(msg);
  buf[msg.length] = 0x80;
  const view = new DataView(buf.buffer);
  const bits = msg.length * 8;
  view.setUint32(total - 8, Math.floor(bits / 0x100000000));
  view.setUint32(total - 4, bits >>> 0);
  return { view, blocks: total >> 6 };
}

// prettier-ignore
const K256 = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// SHA-256 (FIPS 180-4) of a whole message. Written for V8's interpreter as much as for its
// compilers (a hook's process ends before most functions are optimized): rotations inline, no calls
// in the rounds.
export function sha256(msg: Uint8Array): Buffer {
  const { view, blocks } = padded(msg);
  const h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Int32Array(64);
  for (let block = 0; block < blocks; block++) {
    const at = block << 6;
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(at + 4 * i);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0];
    let b = h[1];
    let c = h[2];
    let d = h[3];
    let e = h[4];
    let f = h[5];
    let g = h[6];
    let hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) out.writeInt32BE(h[i], 4 * i);
  return out;
}

// SHA-1's 80 rounds on one block, in its four stretches of 20 (each with its round function and
// constant written out: no choice made in the loop).
function sha1Rounds(h: Int32Array, w: Int32Array) {
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  for (let i = 0; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 20; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 40; i < 60; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[i]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 60; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[i]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

// SHA-1 (FIPS 180-4) of a whole message (git's blob ids; git's collision detection changes no
// ordinary input's hash).
export function sha1(msg: Uint8Array): Buffer {
  const { view, blocks } = padded(msg);
  const h = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const w = new Int32Array(80);
  for (let block = 0; block < blocks; block++) {
    const at = block << 6;
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(at + 4 * i);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    sha1Rounds(h, w);
  }
  const out = Buffer.alloc(20);
  for (let i = 0; i < 5; i++) out.writeInt32BE(h[i], 4 * i);
  return out;
}

type Input = string | NodeJS.ArrayBufferView;

// A hash being fed: the bytes so far in JavaScript, or node:crypto's hash once they passed NATIVE_FROM.
class LiteHash {
  private parts: Buffer[] = [];
  private size = 0;
  private native: Hash | null = null;

  constructor(private readonly algorithm: 'sha1' | 'sha256') {}

  update(data: Input, encoding?: BufferEncoding): this {
    // Copied (node:crypto reads its input at once: a buffer the caller reuses must not change the hash).
    const bytes = typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (this.native) {
      this.native.update(bytes);
      return this;
    }
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size > NATIVE_FROM) {
      this.native = real().createHash(this.algorithm);
      for (const p of this.parts) this.native.update(p);
      this.parts = [];
    }
    return this;
  }

  digest(): Buffer;
  digest(encoding: BinaryToTextEncoding): string;
  digest(encoding?: BinaryToTextEncoding): Buffer | string {
    if (this.native) return encoding ? this.native.digest(encoding) : this.native.digest();
    const whole = Buffer.concat(this.parts);
    const out = this.algorithm === 'sha1' ? sha1(whole) : sha256(whole);
    return encoding ? out.toString(encoding) : out;
  }
}

// node:crypto's createHash: SHA-1 and SHA-256 without options here, anything else there.
export function createHash(algorithm: string, options?: unknown): LiteHash | Hash {
  const name = algorithm.toLowerCase();
  if (options === undefined && (name === 'sha1' || name === 'sha256')) return new LiteHash(name);
  return real().createHash(algorithm, options as never);
}

// node:crypto's randomBytes: read from /dev/urandom (the kernel's generator, which node:crypto's
// seeds from too); with a callback, or where the device can't be read, node:crypto's own.
export function randomBytes(size: number, callback?: (err: Error | null, buf: Buffer) => void): Buffer | void {
  if (callback) return real().randomBytes(size, callback);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      const buf = Buffer.alloc(size);
      let at = 0;
      while (at < size) {
        const n = readSync(fd, buf, at, size - at, null);
        if (n <= 0) throw new Error('short read');
        at += n;
      }
      return buf;
    } finally {
      closeSync(fd);
    }
  } catch {
    return real().randomBytes(size);
  }
}
