// The safetensors container, bytes only: encode a header, and decode + validate one before anything
// is allocated for its tensors. Knows nothing of Tensor or of files (see safetensors.ts).
// Layout: u64 little-endian header length N, N bytes of UTF-8 JSON, then the data buffer.
// ref: https://huggingface.co/docs/safetensors/index#format and the checks of safetensors/src/tensor.rs
// (header start '{', size cap, offsets contiguous and covering the whole buffer).
import { isUtf8 } from "node:buffer";
import { ByteStore, Column } from "./column.js";
import { decodeString, HeaderSyntaxError, scanHeader } from "./header_scanner.js";
import { KeyTable } from "./key_table.js";
import { recordView } from "./record_view.js";

/** Bytes per element of every dtype the format defines that we can convert to a torchlet dtype. */
export const ITEM_SIZE: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8,
};

/** The reference implementation refuses larger headers; so do we (a hostile length can't make us allocate). */
export const MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = "__metadata__";

/** Most dims a tensor of a file may have. NOTE: a bound on the work one entry can cost (a hostile
 *  header could give one tensor millions of size-1 dims); PyTorch's torch.tensor allows 128 levels. */
export const MAX_RANK = 128;

/** One tensor as the header describes it. begin/end are byte offsets into the data buffer. */
export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** The dtype names, in ITEM_SIZE's order; a header keeps each tensor's as an index into this list. */
const DTYPE_NAMES = Object.keys(ITEM_SIZE);
const DTYPE_CODES = new Map(DTYPE_NAMES.map((k, i) => [k, i]));

/**
 * The header's tensors, kept column-wise in typed arrays. NOTE: a header may list a million
 * tensors; an object and a shape array each would cost ~2x the header's bytes on their own, and a
 * JS array of numbers costs 8 bytes an element where a dtype needs 1.
 */
export class Header {
  /** The names; tensor i is the table's entry i (a KeyTable also finds a repeated name). */
  readonly names = new KeyTable();
  metadata: Metadata | null = null;
  private readonly dtypes = new Column((n) => new Uint8Array(n));
  private readonly begins = new Column((n) => new Float64Array(n));
  private readonly ends = new Column((n) => new Float64Array(n));
  /** Tensor i's dims are dims[dimStarts[i] .. dimStarts[i + 1]). */
  private readonly dimStarts = new Column((n) => new Uint32Array(n));
  private readonly dims = new Column((n) => new Float64Array(n));

  constructor() {
    this.dimStarts.push(0);
  }
  get count(): number {
    return this.begins.length;
  }
  /** Appends tensor `count` (the caller has checked it). */
  add(dtype: string, shape: readonly number[], begin: number, end: number): void {
    this.dtypes.push(DTYPE_CODES.get(dtype)!);
    this.begins.push(begin);
    this.ends.push(end);
    for (const d of shape) this.dims.push(d);
    this.dimStarts.push(this.dims.length);
  }
  dtype(i: number): string {
    return DTYPE_NAMES[this.dtypes.get(i)];
  }
  begin(i: number): number {
    return this.begins.get(i);
  }
  end(i: number): number {
    return this.ends.get(i);
  }
  /** Tensor i's shape (a new array). */
  shape(i: number): number[] {
    const out: number[] = [];
    for (let k = this.dimStarts.get(i); k < this.dimStarts.get(i + 1); k++) out.push(this.dims.get(k));
    return out;
  }
  /** Whether tensors i and j have the same shape. */
  sameShape(i: number, j: number): boolean {
    const [a, b] = [this.dimStarts.get(i), this.dimStarts.get(j)];
    const n = this.dimStarts.get(i + 1) - a;
    if (this.dimStarts.get(j + 1) - b !== n) return false;
    for (let k = 0; k < n; k++) if (this.dims.get(a + k) !== this.dims.get(b + k)) return false;
    return true;
  }
  /** Tensor i as an object (made on demand). */
  entry(i: number): TensorEntry {
    return { name: this.names.keyAt(i), dtype: this.dtype(i), shape: this.shape(i), begin: this.begin(i), end: this.end(i) };
  }
}

/**
 * The header's __metadata__: keys in a KeyTable, each value's bytes as the header writes them
 * (escapes and all), decoded when read. NOTE: kept as bytes for the reason of KeyTable's note; a
 * value string each would cost ~20 bytes more than a `"k1":"",` entry holds.
 */
export class Metadata {
  readonly keys = new KeyTable();
  /** Value i is bytes[ends[i - 1] .. ends[i]) (ends[-1] = 0), unless a repeated key replaced it. */
  private readonly bytes = new ByteStore();
  private readonly ends = new Column((n) => new Uint32Array(n));
  /** A repeated key keeps its place and takes the last value, as JSON.parse: those values, by entry.
   *  NOTE: aside, so that an entry costs 4 bytes of offsets rather than 8. */
  private readonly replaced = new Map<number, string>();

  /** Adds a member: its entry number in `keys` and its value's bytes src[start, end). */
  set(i: number, src: Uint8Array, start: number, end: number): void {
    if (i < this.ends.length) this.replaced.set(i, decodeString(src, start, end));
    else {
      this.bytes.append(src, start, end);
      this.ends.push(this.bytes.length);
    }
  }
  value(i: number): string {
    return this.replaced.get(i) ?? decodeString(this.bytes.data, i === 0 ? 0 : this.ends.get(i - 1), this.ends.get(i));
  }
  /** The plain-object view loadFile returns: a Record<string, string>, as PyTorch's dict[str, str]. */
  view(): Record<string, string> {
    return recordView(this.keys, (i) => this.value(i));
  }
}

/** Inserts the key a HeaderVisitor reports into `keys`; returns its entry number. */
function insertKey(keys: KeyTable, bytes: Uint8Array, start: number, end: number, decoded: string | null): number {
  // NOTE: unescaped bytes are valid UTF-8 (checked first), which is their WTF-8 form already.
  return decoded === null ? keys.insert(bytes, start, end) : keys.insertString(decoded);
}

/**
 * Names PyTorch's own formats where the header length is impossible: torch.save writes a zip archive
 * ("PK\x03\x04"), older versions a pickle (protocol 2-5: 0x80 then the protocol), whose first bytes
 * read as a nonsense length. (A valid safetensors file may start with those bytes too: checked only
 * once its length fails.)
 */
function checkNotPyTorchFormat(first8: Uint8Array, where: string): void {
  const hint = "torchlet reads safetensors only (in PyTorch: safetensors.torch.save_file(model.state_dict(), path))";
  if (first8[0] === 0x50 && first8[1] === 0x4b && first8[2] === 0x03 && first8[3] === 0x04) {
    throw new Error(`safetensors: ${where}: this is a zip archive, as PyTorch's torch.save writes: ${hint}`);
  }
  if (first8[0] === 0x80 && first8[1] >= 2 && first8[1] <= 5) {
    throw new Error(`safetensors: ${where}: this is a Python pickle (PyTorch's legacy torch.save format): ${hint}`);
  }
}

/** Reads the 8-byte header length and checks it against the file size and the cap. */
export function parseHeaderLength(first8: Uint8Array, fileSize: number, where: string): number {
  if (fileSize < 8 || first8.byteLength < 8) {
    throw new Error(`safetensors: ${where}: file is ${fileSize} bytes, too short for the 8-byte header length`);
  }
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES) || n > BigInt(fileSize - 8)) checkNotPyTorchFormat(first8, where);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new Error(`safetensors: ${where}: header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  if (n > BigInt(fileSize - 8)) {
    throw new Error(`safetensors: ${where}: header length ${n} is larger than the file allows (${fileSize - 8} bytes after the length)`);
  }
  if (n < 2n) throw new Error(`safetensors: ${where}: header length ${n} is too small for a JSON object`);
  return Number(n);
}

/** Validates the JSON header. `bufferLength` is the size of the data buffer after it. */
export function parseHeader(bytes: Uint8Array, bufferLength: number, where: string): Header {
  const fail = (msg: string): never => {
    throw new Error(`safetensors: ${where}: ${msg}`);
  };
  // NOTE: validated in place (no decoded copy of the header); the scanner decodes only its strings.
  if (!isUtf8(bytes)) fail("header is not valid UTF-8");
  // NOTE: as the reference reader, a byte-order mark is not skipped: the header starts with '{'.
  if (bytes[0] !== 0x7b) fail("header does not start with '{'");
  const header = new Header();
  const metadata = new Metadata();
  const duplicate = (name: string) => fail(`tensor name ${JSON.stringify(name)} appears more than once in the header`);
  try {
    scanHeader(bytes, {
      entry: (start, end, decoded, value) => {
        const i = insertKey(header.names, bytes, start, end, decoded);
        if (i < header.count) duplicate(header.names.keyAt(i));
        addEntry(header, value, bufferLength, (msg) => fail(`tensor ${JSON.stringify(header.names.keyAt(i))}: ${msg}`));
      },
      metadataBegin: () => {
        if (header.metadata !== null) duplicate(METADATA_KEY);
        header.metadata = metadata;
      },
      metadata: (start, end, decoded, valueStart, valueEnd) => {
        metadata.set(insertKey(metadata.keys, bytes, start, end, decoded), bytes, valueStart, valueEnd);
      },
      badMetadata: (k) => fail(k === null ? `${METADATA_KEY} is not an object` : `${METADATA_KEY}[${JSON.stringify(k)}] is not a string`),
    });
  } catch (e) {
    if (e instanceof HeaderSyntaxError) fail(`header is not valid JSON (${e.message})`);
    throw e;
  }
  checkCoverage(header, bufferLength, fail);
  return header;
}

/** Checks one entry (its name is in h.names already) and appends it to `h`'s columns. */
function addEntry(h: Header, value: unknown, bufferLength: number, fail: (m: string) => never): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail("entry is not an object");
  const { dtype: rawDtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof rawDtype !== "string") fail("dtype is missing or not a string");
  const dtype = rawDtype as string;
  if (!DTYPE_CODES.has(dtype)) {
    return fail(`unknown or unsupported dtype ${JSON.stringify(rawDtype)} (supported: ${Object.keys(ITEM_SIZE).join(", ")})`);
  }
  const itemSize = ITEM_SIZE[dtype];
  if (!Array.isArray(shape)) fail("shape is missing or not an array");
  if ((shape as unknown[]).length > MAX_RANK) fail(`shape has ${(shape as unknown[]).length} dims; at most ${MAX_RANK} are supported`);
  let numel = 1;
  for (const d of shape as unknown[]) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      fail(`shape [${(shape as unknown[]).join(", ")}] has an entry that is not a non-negative integer`);
    }
    // NOTE: checked before multiplying, so the product can never overflow into a wrong small number.
    if (numel !== 0 && (d as number) > Number.MAX_SAFE_INTEGER / numel) {
      fail(`shape [${(shape as number[]).join(", ")}] has too many elements (the product overflows)`);
    }
    numel *= d as number;
  }
  if (numel > Number.MAX_SAFE_INTEGER / itemSize) {
    fail(`shape [${(shape as number[]).join(", ")}] is too large in bytes (overflows)`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2) fail("data_offsets is missing or not a [begin, end] pair");
  const [begin, end] = offsets as unknown[];
  for (const v of [begin, end]) {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      fail(`data_offsets [${String(begin)}, ${String(end)}] are not non-negative integers`);
    }
  }
  const b = begin as number;
  const e = end as number;
  if (e < b) fail(`data_offsets [${b}, ${e}] end before they begin`);
  if (e > bufferLength) fail(`data_offsets [${b}, ${e}] reach past the end of the data buffer (${bufferLength} bytes)`);
  if (e - b !== numel * itemSize) {
    fail(`data_offsets [${b}, ${e}] span ${e - b} bytes but ${dtype} shape [${(shape as number[]).join(", ")}] needs ${numel * itemSize}`);
  }
  h.add(dtype, shape as number[], b, e);
}

/** The tensors must tile the buffer exactly: no overlap, no gap, nothing after the last one. */
function checkCoverage(h: Header, bufferLength: number, fail: (m: string) => never): void {
  const name = (t: number) => JSON.stringify(h.names.keyAt(t));
  const sorted = Array.from({ length: h.count }, (_, i) => i).sort((x, y) => h.begin(x) - h.begin(y) || h.end(x) - h.end(y));
  let at = 0;
  let prev = -1;
  for (const t of sorted) {
    const begin = h.begin(t);
    if (begin < at) fail(`tensor ${name(t)} overlaps tensor ${name(prev)} (bytes ${begin} < ${at})`);
    if (begin > at) fail(`gap in the data buffer: bytes ${at}..${begin} belong to no tensor (before ${name(t)})`);
    at = h.end(t);
    prev = t;
  }
  if (at !== bufferLength) fail(`data buffer is ${bufferLength} bytes but the tensors cover only ${at}`);
}

/** What the encoder needs to know of one tensor. */
export interface EncodeEntry {
  name: string;
  dtype: string;
  shape: readonly number[];
  byteLength: number;
}

/**
 * The 8-byte length plus the JSON header, padded with spaces to a multiple of 8 bytes (as the
 * reference writer does) so the data buffer starts aligned. Data is laid out in `order`, given as
 * indices into `entries`; the header lists tensors in `entries` order.
 */
export function encodeHeader(
  entries: readonly EncodeEntry[],
  order: readonly number[],
  metadata: Record<string, string> | null,
): Uint8Array {
  const offsets = new Array<[number, number]>(entries.length);
  let at = 0;
  for (const i of order) {
    offsets[i] = [at, at + entries[i].byteLength];
    at += entries[i].byteLength;
  }
  const header: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => Object.defineProperty(header, k, { value: v, enumerable: true });
  if (metadata) put(METADATA_KEY, metadata);
  entries.forEach((e, i) => put(e.name, { dtype: e.dtype, shape: [...e.shape], data_offsets: offsets[i] }));
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + padded).fill(0x20, 8);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  return out;
}
