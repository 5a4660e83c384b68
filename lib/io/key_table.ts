// A set of string keys held as bytes (WTF-8, one canonical form per JS string) in one buffer, with
// an open-addressing hash table of entry numbers. NOTE: a safetensors header may hold millions of
// names or metadata keys; as JS property keys each costs an internalized string and a dictionary
// slot (~60-95 bytes for a `"k1":"",` entry of 8 bytes). Here a key costs its bytes, 4 bytes of
// offset and 7-14 bytes of table; keys become strings only when asked for.
import { ByteStore, Column } from "./column.js";
import { decodeWtf8, encodeWtf8 } from "./wtf8.js";

/** Largest array index (2^32 - 2): such keys enumerate first, in numeric order, as on any object. */
const MAX_ARRAY_INDEX = 4294967294;

export class KeyTable {
  private readonly bytes = new ByteStore();
  /** Key i is bytes[starts[i] .. starts[i + 1]). */
  private readonly starts = new Column((n) => new Uint32Array(n));
  /** Entry number + 1 per slot, 0 where empty; a power of two long, at most 3/4 full. */
  private slots = new Int32Array(16);
  /** Per slot, 8 bits of its key's hash: most probes that meet another key end here, not in its
   *  bytes. NOTE: 1 byte, not the whole hash (4): growing the table hashes the keys again instead. */
  private tags = new Uint8Array(16);
  /** NOTE: random per table, so a file can't be crafted to make its keys collide. */
  private readonly seed = (Math.random() * 0x100000000) >>> 0;

  constructor() {
    this.starts.push(0);
  }
  get count(): number {
    return this.starts.length - 1;
  }

  /**
   * Adds the key whose WTF-8 bytes are src[start, end) unless it is there; returns its entry
   * number (a new key gets `count` as it was before the call).
   */
  insert(src: Uint8Array, start: number, end: number): number {
    const h = this.hash(src, start, end);
    const found = this.probe(h, src, start, end);
    if (found >= 0) return found;
    const i = this.count;
    this.bytes.append(src, start, end);
    this.starts.push(this.bytes.length);
    // NOTE: grow() places every key, this one included.
    if ((i + 1) * 4 > this.slots.length * 3) this.grow();
    else this.place(h, i);
    return i;
  }
  /** insert() for a key given as a string. */
  insertString(key: string): number {
    const b = encodeWtf8(key);
    return this.insert(b, 0, b.length);
  }
  /** The entry number of `key`, or -1. */
  find(key: string): number {
    const b = encodeWtf8(key);
    return this.probe(this.hash(b, 0, b.length), b, 0, b.length);
  }
  /** Key i as a string (a new one each call). */
  keyAt(i: number): string {
    return decodeWtf8(this.bytes.data, this.starts.get(i), this.starts.get(i + 1));
  }
  /** The keys in a plain object's enumeration order: array indices ascending, then the rest in insertion order. */
  orderedKeys(): string[] {
    const indices = new Float64Array(this.count);
    let nIndices = 0;
    for (let i = 0; i < this.count; i++) {
      const v = this.arrayIndex(i);
      if (v >= 0) indices[nIndices++] = v;
    }
    const sorted = indices.subarray(0, nIndices).sort();
    const out: string[] = [];
    // NOTE: an array-index key is the canonical decimal of its value, so its string is String(v).
    for (const v of sorted) out.push(String(v));
    for (let i = 0; i < this.count; i++) if (nIndices === 0 || this.arrayIndex(i) < 0) out.push(this.keyAt(i));
    return out;
  }

  /** Key i's value as an array index (canonical decimal, at most MAX_ARRAY_INDEX), else -1. */
  private arrayIndex(i: number): number {
    const [s, e] = [this.starts.get(i), this.starts.get(i + 1)];
    const b = this.bytes.data;
    if (e === s || e - s > 10 || (b[s] === 0x30 && e - s > 1)) return -1;
    let v = 0;
    for (let k = s; k < e; k++) {
      const d = b[k] - 0x30;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v <= MAX_ARRAY_INDEX ? v : -1;
  }
  private hash(src: Uint8Array, start: number, end: number): number {
    // FNV-1a from a random basis, then a final mix (murmur3's) so the low bits depend on every byte.
    let h = this.seed ^ 0x811c9dc5;
    for (let k = start; k < end; k++) h = Math.imul(h ^ src[k], 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }
  private probe(h: number, src: Uint8Array, start: number, end: number): number {
    const mask = this.slots.length - 1;
    const { slots, tags } = this;
    const tag = h >>> 24;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = slots[s];
      if (e === 0) return -1;
      if (tags[s] === tag && this.equals(e - 1, src, start, end)) return e - 1;
    }
  }
  private equals(i: number, src: Uint8Array, start: number, end: number): boolean {
    const starts = this.starts.data;
    const s = starts[i];
    if (starts[i + 1] - s !== end - start) return false;
    const b = this.bytes.data;
    for (let k = 0; k < end - start; k++) if (b[s + k] !== src[start + k]) return false;
    return true;
  }
  private place(h: number, i: number): void {
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = i + 1;
    this.tags[s] = h >>> 24;
  }
  /** Doubles the table and places every key again. */
  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.tags = new Uint8Array(this.slots.length);
    const [b, starts] = [this.bytes.data, this.starts.data];
    for (let i = 0; i < this.count; i++) this.place(this.hash(b, starts[i], starts[i + 1]), i);
  }
}
