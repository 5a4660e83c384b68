// torch.save / torch.load for state dicts, in the safetensors format (what PyTorch users load with
// safetensors.torch.load_file). Saving is atomic (temp file + rename); loading validates the whole
// header before it allocates or reads any tensor. Not pickle: only name -> tensor maps plus metadata.
// ref: https://huggingface.co/docs/safetensors (format); safetensors.torch.save_file / load_file (API).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { endianness } from "node:os";
import { Tensor } from "../tensor.js";
import { checkStorageSize } from "../dtype.js";
import { contiguousStrides } from "../shape.js";
import type { Storage } from "../backend/types.js";
import { writeFileAtomicSync } from "./atomic_write.js";
import { encodeHeader, ITEM_SIZE, parseHeader, parseHeaderLength, type EncodeEntry, type Header, type TensorEntry } from "./safetensors_format.js";

export interface SaveOptions {
  /** Free-form string -> string map stored as the header's __metadata__. */
  metadata?: Record<string, string>;
}

export interface Loaded {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string> | null;
}

const FORMAT_OF = { float32: "F32", int64: "I64", bool: "BOOL" } as const;

// NOTE: tensor bytes are copied straight from/to typed arrays, which use the host's byte order.
function checkHost(): void {
  if (endianness() !== "LE") throw new Error("safetensors: big-endian hosts are not supported");
}

/** Serializes a state dict to the bytes of a .safetensors file (safetensors.torch.save). */
export function serialize(stateDict: Record<string, Tensor>, options: SaveOptions = {}): Uint8Array {
  const parts = encode(stateDict, options, "serialize");
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Writes a state dict to `path` atomically: a crash never leaves a partial file under that name. */
export function save(stateDict: Record<string, Tensor>, path: string, options: SaveOptions = {}): void {
  if (typeof path !== "string" || path === "") throw new TypeError("save: path must be a non-empty string");
  writeFileAtomicSync(path, encode(stateDict, options, "save"));
}

/** Reads a .safetensors file into a name -> Tensor record, in the header's order. */
export function load(path: string): Record<string, Tensor> {
  return loadFile(path).tensors;
}

/** Like load, also returning the header's __metadata__ (null when absent). */
export function loadFile(path: string): Loaded {
  if (typeof path !== "string" || path === "") throw new TypeError("load: path must be a non-empty string");
  checkHost();
  const fd = openSync(path, "r");
  try {
    const fileSize = fstatSync(fd).size;
    const read = (dst: Uint8Array, position: number) => {
      let done = 0;
      while (done < dst.byteLength) {
        const n = readSync(fd, dst, done, dst.byteLength - done, position + done);
        if (n === 0) throw new Error(`safetensors: ${path}: file ended early (was it modified while loading?)`);
        done += n;
      }
    };
    const first8 = new Uint8Array(Math.min(8, fileSize));
    read(first8, 0);
    const headerLength = parseHeaderLength(first8, fileSize, path);
    const readHeader = () => {
      const bytes = new Uint8Array(headerLength);
      read(bytes, 8);
      return bytes;
    };
    // NOTE: the header's bytes are only referenced during parsing, so the GC may free them before build.
    const header = parseHeader(readHeader(), fileSize - 8 - headerLength, path);
    // Every size below was checked against the file's real size: no allocation exceeds it.
    return build(header, path, (e, dst) => read(dst, 8 + headerLength + e.begin));
  } finally {
    closeSync(fd);
  }
}

/** Decodes the bytes of a .safetensors file (safetensors.torch.load). */
export function deserialize(bytes: Uint8Array, where = "<bytes>"): Loaded {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("deserialize: expected a Uint8Array");
  checkHost();
  const headerLength = parseHeaderLength(bytes.subarray(0, 8), bytes.byteLength, where);
  const base = 8 + headerLength;
  const header = parseHeader(bytes.subarray(8, base), bytes.byteLength - base, where);
  return build(header, where, (e, dst) => dst.set(bytes.subarray(base + e.begin, base + e.end)));
}

/** Reads only the header's __metadata__ (safe_open(...).metadata()). */
export function loadMetadata(path: string): Record<string, string> | null {
  return loadFile(path).metadata;
}

function build(header: Header, where: string, fill: (e: TensorEntry, dst: Uint8Array) => void): Loaded {
  const tensors: Record<string, Tensor> = {};
  const empty = emptyStorages();
  const emptyShapes = new Map<string, [readonly number[], readonly number[]]>();
  for (let i = 0; i < header.count; i++) {
    const e = header.entry(i);
    const storage = decodeStorage(e, where, fill, empty);
    let t: Tensor;
    if (storage.length === 0) {
      // NOTE: empty tensors of one shape share one frozen shape and strides array (nothing writes
      // a tensor's shape; frozen, a stray write throws): a header of a million empty tensors would
      // otherwise spend ~2x its bytes on these two arrays alone.
      const key = e.shape.join(",");
      let shared = emptyShapes.get(key);
      if (shared === undefined) {
        const shape = Object.freeze(Tensor.fromStorage(storage, e.shape).shape.slice());
        shared = [shape, Object.freeze(contiguousStrides(shape))];
        emptyShapes.set(key, shared);
      }
      t = new Tensor(storage, shared[0], shared[1]);
    } else t = Tensor.fromStorage(storage, e.shape);
    // NOTE: defineProperty only for "__proto__" (an own entry, not a prototype change): on an object
    // of a million keys it costs far more than an assignment.
    if (e.name === "__proto__") Object.defineProperty(tensors, e.name, { value: t, enumerable: true, writable: true, configurable: true });
    else tensors[e.name] = t;
  }
  return { tensors, metadata: header.metadata };
}

/** Converts one tensor's bytes to torchlet storage: floats -> float32, integers -> int64, BOOL -> bool. */
/** One empty storage per torchlet dtype, shared by every empty tensor of one load.
 *  NOTE: a header may list a million empty tensors; an ArrayBuffer each costs ~20x the header bytes. */
function emptyStorages(): Record<string, Storage> {
  const f = new Float32Array(0), i = new Float64Array(0);
  return { F32: f, F64: f, F16: f, BF16: f, BOOL: new Uint8Array(0), I64: i, U64: i, I32: i, U32: i, I16: i, U16: i, I8: i, U8: i };
}

function decodeStorage(e: TensorEntry, where: string, fill: (e: TensorEntry, dst: Uint8Array) => void, empty?: Record<string, Storage>): Storage {
  if (e.end === e.begin && empty !== undefined && empty[e.dtype] !== undefined) return empty[e.dtype];
  const n = (e.end - e.begin) / ITEM_SIZE[e.dtype];
  // The one allocation size check (the decoded storage may be up to 8x the file's bytes: U8 -> int64).
  checkStorageSize(e.dtype === "BOOL" ? "bool" : e.dtype.startsWith("F") || e.dtype === "BF16" ? "float32" : "int64", n);
  if (e.dtype === "F32") {
    const out = new Float32Array(n);
    fill(e, new Uint8Array(out.buffer));
    return out;
  }
  const raw = new Uint8Array(e.end - e.begin);
  fill(e, raw);
  const dv = new DataView(raw.buffer);
  switch (e.dtype) {
    case "BOOL":
      return raw.map((v) => (v !== 0 ? 1 : 0));
    case "F64":
      return Float32Array.from(new Float64Array(raw.buffer));
    case "F16":
      return Float32Array.from({ length: n }, (_, i) => halfToFloat(dv.getUint16(2 * i, true)));
    case "BF16":
      return Float32Array.from({ length: n }, (_, i) => bf16ToFloat(dv.getUint16(2 * i, true)));
    case "I64":
    case "U64": {
      const out = new Float64Array(n);
      const big = e.dtype === "I64" ? new BigInt64Array(raw.buffer) : new BigUint64Array(raw.buffer);
      for (let i = 0; i < n; i++) {
        const v = Number(big[i]);
        if (!Number.isSafeInteger(v)) {
          throw new RangeError(`safetensors: ${where}: tensor ${JSON.stringify(e.name)}: element ${i} = ${big[i]} is beyond ±2^53, which torchlet's int64 cannot hold exactly`);
        }
        out[i] = v;
      }
      return out;
    }
    case "I32": return Float64Array.from(new Int32Array(raw.buffer));
    case "U32": return Float64Array.from(new Uint32Array(raw.buffer));
    case "I16": return Float64Array.from(new Int16Array(raw.buffer));
    case "U16": return Float64Array.from(new Uint16Array(raw.buffer));
    case "I8": return Float64Array.from(new Int8Array(raw.buffer));
    case "U8": return Float64Array.from(raw);
  }
  throw new Error(`safetensors: ${where}: tensor ${JSON.stringify(e.name)}: dtype ${e.dtype} has no decoder`);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function bf16ToFloat(h: number): number {
  const f = new Float32Array(new Uint32Array([h << 16]).buffer);
  return f[0];
}

function encode(stateDict: Record<string, Tensor>, options: SaveOptions, fn: string): Uint8Array[] {
  checkHost();
  if (stateDict === null || typeof stateDict !== "object" || Array.isArray(stateDict)) {
    throw new TypeError(`${fn}: expected an object mapping names to tensors (a state dict)`);
  }
  const metadata = options.metadata ?? null;
  if (metadata !== null) {
    if (typeof metadata !== "object" || Array.isArray(metadata)) throw new TypeError(`${fn}: metadata must be an object of strings`);
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new TypeError(`${fn}: metadata[${JSON.stringify(k)}] must be a string, got ${typeof v}`);
    }
  }
  const entries: EncodeEntry[] = [];
  const datas: Uint8Array[] = [];
  for (const [name, t] of Object.entries(stateDict)) {
    if (!(t instanceof Tensor)) throw new TypeError(`${fn}: ${JSON.stringify(name)} is not a Tensor`);
    if (name === "__metadata__") throw new Error(`${fn}: the name "__metadata__" is reserved by the safetensors format`);
    const data = tensorBytes(t);
    entries.push({ name, dtype: FORMAT_OF[t.dtype], shape: t.shape, byteLength: data.byteLength });
    datas.push(data);
  }
  // NOTE: data goes largest item size first (stable), so with the 8-aligned header every tensor
  // starts at a multiple of its item size, as the reference writer arranges it for zero-copy readers.
  const order = entries.map((_, i) => i).sort((a, b) => ITEM_SIZE[entries[b].dtype] - ITEM_SIZE[entries[a].dtype] || a - b);
  return [encodeHeader(entries, order, metadata), ...order.map((i) => datas[i])];
}

function tensorBytes(t: Tensor): Uint8Array {
  const s = t.contiguous().storage();
  if (s instanceof Float32Array) return new Uint8Array(s.buffer, s.byteOffset, s.byteLength);
  if (s instanceof Float64Array) {
    const out = new BigInt64Array(s.length);
    for (let i = 0; i < s.length; i++) {
      // NOTE: every write path keeps int64 exact (dtype.ts toElement); this guards the file anyway.
      if (!Number.isSafeInteger(s[i])) throw new RangeError(`save: int64 element ${i} is ${s[i]}, not an integer within ±(2^53 - 1)`);
      out[i] = BigInt(s[i]);
    }
    return new Uint8Array(out.buffer);
  }
  return s.map((v) => (v !== 0 ? 1 : 0));
}
