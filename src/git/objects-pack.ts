import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateKnownSize } from './objects-inflate.js';
import { repairMessages } from '../messages/repair.js';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';
export interface GitObject {
  type: ObjectType;
  data: Buffer;
}

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got === len ? buf : buf.subarray(0, got);
}

// Applies a git delta (copy/insert opcodes) to its base.
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let i = 0;
  const varint = () => {
    let v = 0;
    let shift = 0;
    let c: number;
    do {
      c = delta[i++];
      v |= (c & 0x7f) << shift;
      shift += 7;
    } while (c & 0x80);
    return v;
  };
  const srcSize = varint();
  if (srcSize !== base.length) throw new Error('delta base size mismatch');
  const out = Buffer.allocUnsafe(varint());
  let o = 0;
  while (i < delta.length) {
    const op = delta[i++];
    if (op & 0x80) {
      let off = 0;
      let size = 0;
      if (op & 0x01) off |= delta[i++];
      if (op & 0x02) off |= delta[i++] << 8;
      if (op & 0x04) off |= delta[i++] << 16;
      if (op & 0x08) off = (off | (delta[i++] << 24)) >>> 0;
      if (op & 0x10) size |= delta[i++];
      if (op & 0x20) size |= delta[i++] << 8;
      if (op & 0x40) size |= delta[i++] << 16;
      if (size === 0) size = 0x10000;
      o += base.copy(out, o, off, off + size);
    } else if (op) {
      o += delta.copy(out, o, i, i + op);
      i += op;
    } else throw new Error('corrupt delta opcode');
  }
  if (o !== out.length) throw new Error('delta result size mismatch');
  return out;
}

// One pack (.idx v2 + .pack) read in-process: binary search in the index, inflate at the offset,
// delta chains resolved with a small cache of bases.
export class PackFile {
  private readonly idx: Buffer;
  private readonly count: number;
  private readonly namesAt = 8 + 256 * 4;
  // The .pack file, opened on the first read (a fresh open of ℛ reads from one or two packs of many).
  private fd = -1;
  private readonly cache = new Map<number, GitObject>();
  // After many reads (reading all of ℛ) the pack is read once into memory instead of per object.
  private whole: Buffer | null = null;
  private reads = 0;
  // Why the pack can't be used, once its check on open failed.
  private damage: Error | null = null;

  constructor(
    readonly idxPath: string,
    idx: Buffer,
    private readonly hashLen: number,
    private readonly resolveRef: (oid: string) => GitObject | undefined,
  ) {
    if (idx.length < this.namesAt + 2 * hashLen) throw new Error(`truncated pack index (${idx.length} bytes)`);
    if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) throw new Error('not a version 2 pack index');
    this.idx = idx;
    this.count = idx.readUInt32BE(8 + 255 * 4);
    // Names, CRCs and offsets for every object, and the two trailing checksums: a shorter index is torn.
    if (idx.length < this.namesAt + this.count * (hashLen + 8) + 2 * hashLen) throw new Error(`truncated pack index (${idx.length} bytes where its ${this.count} objects need ${this.namesAt + this.count * (hashLen + 8) + 2 * hashLen})`);
  }

  // The .pack file next to the index.
  get packPath(): string {
    return this.idxPath.replace(/\.idx$/, '.pack');
  }

  // Opens the pack and checks it against its index as git does before using it (header, object
  // count, size, trailing checksum), so a truncated or overwritten pack is found on open instead of
  // being read until the first torn entry. A failed check sticks: nothing is read from that pack.
  private file(): number {
    if (this.damage) throw this.damage;
    if (this.fd >= 0) return this.fd;
    const fd = openSync(this.packPath, 'r');
    const problem = this.mismatch(fd);
    if (problem) {
      closeSync(fd);
      throw (this.damage = new Error(repairMessages.packMismatch(problem)));
    }
    this.fd = fd;
    return fd;
  }

  private mismatch(fd: number): string | null {
    const h = this.hashLen;
    const size = fstatSync(fd).size;
    if (size < 12 + h) return `it is ${size} bytes, too small for a pack`;
    const header = readAt(fd, 0, 12);
    if (header.toString('latin1', 0, 4) !== 'PACK' || ![2, 3].includes(header.readUInt32BE(4))) return 'its header is not a pack header';
    if (header.readUInt32BE(8) !== this.count) return `it says it holds ${header.readUInt32BE(8)} objects where its index lists ${this.count}`;
    const trailer = readAt(fd, size - h, h);
    const expected = this.idx.subarray(this.idx.length - 2 * h, this.idx.length - h);
    if (!trailer.equals(expected)) return `its trailing checksum ${trailer.toString('hex')} is not the ${expected.toString('hex')} its index names (truncated or overwritten)`;
    return null;
  }

  // Whether the pack can be read (present, and matching its index).
  usable(): boolean {
    try {
      this.file();
      return true;
    } catch {
      return false;
    }
  }

  // The offset of an object in the pack, or -1 (`oid` as hex, or its raw bytes).
  find(oid: string | Buffer): number {
    const key = typeof oid === 'string' ? Buffer.from(oid, 'hex') : oid;
    if (key.length !== this.hashLen) return -1;
    const first = key[0];
    let lo = first === 0 ? 0 : this.idx.readUInt32BE(8 + (first - 1) * 4);
    let hi = this.idx.readUInt32BE(8 + first * 4);
    const h = this.hashLen;
    const idx = this.idx;
    // Compared in JavaScript, four bytes at a time at first: a native compare per step costs more.
    const head = key.readUInt32BE(0);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.namesAt + mid * h;
      let c = head - idx.readUInt32BE(at);
      for (let j = 4; c === 0 && j < h; j++) c = key[j] - idx[at + j];
      if (c === 0) return this.offsetOf(mid);
      if (c < 0) hi = mid;
      else lo = mid + 1;
    }
    return -1;
  }

  private offsetOf(i: number): number {
    const offsAt = this.namesAt + this.count * this.hashLen + this.count * 4;
    const v = this.idx.readUInt32BE(offsAt + i * 4);
    if (!(v & 0x80000000)) return v;
    const largeAt = offsAt + this.count * 4 + (v & 0x7fffffff) * 8;
    return Number(this.idx.readBigUInt64BE(largeAt));
  }

  read(oid: string | Buffer): GitObject | undefined {
    const off = this.find(oid);
    return off < 0 ? undefined : this.readAtOffset(off, 0);
  }

  // Reads the object at an offset `find` gave. Reading many objects in offset order resolves each
  // delta chain once: a delta's base (OFS_DELTA) lies before it and is still in the cache.
  readAt(offset: number): GitObject {
    return this.readAtOffset(offset, 0);
  }

  // Reads the whole pack into memory (up to 256 MiB), for many reads to come.
  preload(): void {
    if (this.whole) return;
    const size = fstatSync(this.file()).size;
    if (size <= 256 * 1024 * 1024) this.whole = readAt(this.file(), 0, size);
  }

  private bytes(pos: number, len: number): Buffer {
    if (!this.whole && ++this.reads === 64) this.preload();
    return this.whole ? this.whole.subarray(pos, Math.min(pos + len, this.whole.length)) : readAt(this.file(), pos, len);
  }

  private readAtOffset(offset: number, depth: number): GitObject {
    const hit = this.cache.get(offset);
    if (hit) return hit;
    if (depth > 10_000) throw new Error('delta chain too deep');
    const head = this.bytes(offset, 64);
    let i = 0;
    let c = head[i++];
    const type = (c >> 4) & 7;
    let size = c & 15;
    let shift = 4;
    while (c & 0x80) {
      c = head[i++];
      size += (c & 0x7f) * 2 ** shift;
      shift += 7;
    }
    let base: GitObject | undefined;
    if (type === OFS_DELTA) {
      c = head[i++];
      let back = c & 0x7f;
      while (c & 0x80) {
        c = head[i++];
        back = (back + 1) * 128 + (c & 0x7f);
      }
      base = this.readAtOffset(offset - back, depth + 1);
    } else if (type === REF_DELTA) {
      const baseOid = head.toString('hex', i, i + this.hashLen);
      i += this.hashLen;
      base = this.read(baseOid) ?? this.resolveRef(baseOid);
      if (!base) throw new Error(`missing delta base ${baseOid}`);
    }
    // Deflate never grows data by more than 5 bytes per 16 KiB block plus the zlib framing.
    const maxCompressed = size + 5 * (Math.ceil(size / 16_000) + 1) + 32;
    const data = inflateKnownSize(this.bytes(offset + i, maxCompressed), size);
    let obj: GitObject;
    if (base) obj = { type: base.type, data: applyDelta(base.data, data) };
    else {
      const t = TYPES[type];
      if (!t) throw new Error(`unknown pack object type ${type}`);
      obj = { type: t, data };
    }
    if (obj.type !== 'blob' || obj.data.length < 65_536) {
      if (this.cache.size >= 512) this.cache.delete(this.cache.keys().next().value as number);
      this.cache.set(offset, obj);
    }
    return obj;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
