import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHash, NATIVE_FROM, randomBytes, sha1, sha256 } from '../../src/cli/crypto-lite.js';

// The hook bundle hashes with src/cli/crypto-lite.ts instead of node:crypto (scripts/build.mjs):
// every id, key and blob id it computes must be the one node:crypto gives, byte for byte.
const native = (algo: string, data: Uint8Array | string) => nodeCrypto.createHash(algo).update(data).digest('hex');

// Deterministic bytes of any length (a linear congruential generator).
function bytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('the hook bundle’s crypto', () => {
  it('hashes like node:crypto at every length around the block boundaries and past the native threshold', () => {
    const lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 4096, NATIVE_FROM - 1, NATIVE_FROM, NATIVE_FROM + 1, 100_000];
    for (const n of lengths) {
      const data = bytes(n, n + 7);
      for (const algo of ['sha1', 'sha256'] as const) {
        expect(createHash(algo).update(data).digest('hex'), `${algo} of ${n} bytes`).toBe(native(algo, data));
        expect((algo === 'sha1' ? sha1 : sha256)(data).toString('hex'), `${algo} of ${n} bytes`).toBe(native(algo, data));
      }
    }
  });

  it('takes strings as UTF-8 and many updates as one message, whatever their sizes', () => {
    const text = 'ℛ records — ✓ pass, ✗ fail, 日本語, emoji 😀\n';
    for (const algo of ['sha1', 'sha256']) {
      expect(createHash(algo).update(text).digest('hex')).toBe(native(algo, text));
      const chunks = [bytes(10, 1), bytes(NATIVE_FROM, 2), bytes(3, 3)];
      const h = createHash(algo);
      for (const c of chunks) h.update(c);
      expect(h.digest('hex')).toBe(native(algo, Buffer.concat(chunks)));
      const small = createHash(algo).update('a').update(Buffer.from('b')).update('c');
      expect(small.digest('hex')).toBe(native(algo, 'abc'));
      expect((createHash(algo).update('x').digest() as Buffer).equals(nodeCrypto.createHash(algo).update('x').digest())).toBe(true);
      expect(createHash(algo).update('x').digest('base64')).toBe(nodeCrypto.createHash(algo).update('x').digest('base64'));
    }
    // A buffer reused by the caller after update doesn't change the hash (node:crypto reads at once).
    const reused = Buffer.from('first');
    const h = createHash('sha256').update(reused);
    reused.write('XXXXX');
    expect(h.digest('hex')).toBe(native('sha256', 'first'));
  });

  it('leaves other algorithms to node:crypto and reads random bytes of the length asked', () => {
    expect(createHash('md5').update('abc').digest('hex')).toBe(native('md5', 'abc'));
    expect(createHash('SHA256').update('abc').digest('hex')).toBe(native('sha256', 'abc'));
    const a = randomBytes(16) as Buffer;
    const b = randomBytes(16) as Buffer;
    expect(a.length).toBe(16);
    expect(a.equals(b)).toBe(false);
    expect((randomBytes(0) as Buffer).length).toBe(0);
  });
});
