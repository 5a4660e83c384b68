// Growable typed arrays for what a safetensors header lists: its entry count (and the bytes of its
// names) are known only at its end. NOTE: typed arrays, not JS arrays or objects per entry: a
// hostile header may list millions of entries, and a JS number costs 8 bytes where a dtype needs 1.

type Typed = Float64Array | Uint32Array | Int32Array | Uint8Array;

/** A typed array that grows by doubling. */
export class Column<T extends Typed> {
  /** The backing array; elements past `length` are unused. */
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T, initial = 64) {
    this.data = make(initial);
  }
  /** Makes room for `n` more elements. */
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    // NOTE: a piece larger than the doubled size gets exactly its room (one 90 MB name: 90 MB, not 128).
    const size = Math.max(this.data.length * 2, this.length + n);
    const grown = this.make(size);
    grown.set(this.data.subarray(0, this.length) as never);
    this.data = grown;
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }
  get(i: number): number {
    return this.data[i];
  }
}

/** Bytes appended in pieces (names, metadata strings), each piece addressed by its offsets. */
export class ByteStore extends Column<Uint8Array> {
  constructor() {
    super((n) => new Uint8Array(n));
  }
  /** Appends src[start, end) and returns the offset it starts at. */
  append(src: Uint8Array, start: number, end: number): number {
    const at = this.length;
    this.reserve(end - start);
    // NOTE: short pieces (most keys) by a loop: a subarray object per piece costs more than the copy.
    if (end - start < 64) for (let k = start, d = this.data; k < end; k++) d[at + k - start] = src[k];
    else this.data.set(src.subarray(start, end), at);
    this.length += end - start;
    return at;
  }
}
