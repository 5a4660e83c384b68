// torch.save / torch.load for state dicts, in the safetensors format (what PyTorch users load with
// safetensors.torch.load_file). Saving is atomic (temp file + rename); loading validates the whole
// header before it allocates or reads any tensor. Not pickle: name -> tensor maps plus metadata, and
// checkpoints of tensors, numbers, strings, arrays and plain objects (checkpoint_tree.ts).
// ref: https://huggingface.co/docs/safetensors (format); safetensors.torch.save_file / load_file (API).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { endianness } from "node:os";
import { Tensor } from "../tensor.js";
import { allocStorage, bytesPerElement, checkStorageSize, type DType } from "../dtype.js";
import { contiguousStrides } from "../shape.js";
import type { Storage } from "../backend/types.js";
import { writeFileAtomicSync } from "./atomic_write.js";
import { flattenTree, isTensorMap, rebuildTree, TREE_KEY, type Saveable } from "./checkpoint_tree.js";
import { recordView } from "./record_view.js";
import { encodeHeader, ITEM_SIZE, parseHeader, parseHeaderLength, type EncodeEntry, type Header, type TensorEntry } from "./safetensors_format.js";

export interface SaveOptions {
  /** Free-form string -> string map stored as the header's __metadata__. */
  metadata?: Record<string, string>;
}

export interface Loaded {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string> | null;
}

const FORMAT_OF = {
  float32: "F32", float64: "F64", float16: "F16", bfloat16: "BF16", int64: "I64", int32: "I32", int16: "I16", int8: "I8", uint8: "U8", bool: "BOOL",
} as const;

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

/**
 * Writes a state dict, or any object of tensors, numbers, strings, arrays and plain objects (a
 * checkpoint { epoch, model_state_dict, optimizer_state_dict, loss }, a list, one tensor), to `path`
 * atomically: a crash never leaves a partial file under that name. A state dict is a plain
 * safetensors file; another object's structure goes in its metadata (checkpoint_tree.ts).
 */
export function save(obj: Saveable | object, path: string, options: SaveOptions = {}): void {
  if (typeof path !== "string" || path === "") throw new TypeError("save: path must be a non-empty string");
  if (isTensorMap(obj)) return writeFileAtomicSync(path, encode(obj, options, "save"));
  if (options.metadata && TREE_KEY in options.metadata) throw new Error(`save: the metadata key ${JSON.stringify(TREE_KEY)} is reserved for the saved object's structure`);
  const { tensors, tree } = flattenTree(obj, "save");
  writeFileAtomicSync(path, encode(tensors, { ...options, metadata: { ...options.metadata, [TREE_KEY]: tree } }, "save"));
}

/**
 * Reads what save wrote: a name -> Tensor record (in the header's order) for a state dict or any
 * safetensors file, else the saved object. Type it at the call: `load<Checkpoint>(path)`.
 */
export function load<T = Record<string, Tensor>>(path: string): T {
  const { tensors, metadata } = loadFile(path);
  const tree = metadata?.[TREE_KEY];
  return (tree === undefined ? tensors : rebuildTree(tree, tensors, path)) as T;
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
  // NOTE: tensors with data are read now (the file is closed after the load); empty ones, which need
  // no data, are made when first read from the view (then kept: the same Tensor on every access).
  // A header of a million empty tensors so costs its columns, not a million Tensor objects.
  const made: (Tensor | undefined)[] = [];
  for (let i = 0; i < header.count; i++) {
    if (header.begin(i) === header.end(i)) made.push(undefined);
    else {
      const e = header.entry(i);
      made.push(Tensor.fromStorage(decodeStorage(e, where, fill), e.shape));
    }
  }
  const empty = emptyTensors(header);
  const tensors = recordView(header.names, (i) => (made[i] ??= empty(i)));
  return { tensors, metadata: header.metadata?.view() ?? null };
}

/** Makes header tensor i, which is empty. */
function emptyTensors(header: Header): (i: number) => Tensor {
  const storages = emptyStorages();
  const shared = new Map<string, [readonly number[], readonly number[]]>();
  let last = -1;
  let lastShared: [readonly number[], readonly number[]] | undefined;
  return (i) => {
    const storage = storages[header.dtype(i)];
    // NOTE: empty tensors of one shape share one frozen shape and strides array (nothing writes
    // a tensor's shape; frozen, a stray write throws): a million empty tensors would otherwise
    // spend ~2x the header's bytes on these two arrays alone. The last shape is reused without a
    // lookup key when the dims repeat (they do in every hostile header we know).
    if (last < 0 || !header.sameShape(last, i)) {
      const shape = header.shape(i);
      const key = shape.join(",");
      lastShared = shared.get(key);
      if (lastShared === undefined) {
        const frozen = Object.freeze(Tensor.fromStorage(storage, shape).shape.slice());
        lastShared = [frozen, Object.freeze(contiguousStrides(frozen))];
        shared.set(key, lastShared);
      }
      last = i;
    }
    return new Tensor(storage, lastShared![0], lastShared![1]);
  };
}

/** The torchlet dtype of each safetensors dtype: its own where torchlet has it, else the next
 *  wider one (U64 -> int64, refused past 2^53; U32 -> int64; U16 -> int32). */
const DTYPE_OF: Record<string, DType> = {
  F32: "float32", F64: "float64", F16: "float16", BF16: "bfloat16", BOOL: "bool",
  I64: "int64", U64: "int64", I32: "int32", U32: "int64", I16: "int16", U16: "int32", I8: "int8", U8: "uint8",
};

/** One empty storage per torchlet dtype, shared by every empty tensor of one load.
 *  NOTE: a header may list a million empty tensors; an ArrayBuffer each costs ~20x the header bytes. */
function emptyStorages(): Record<string, Storage> {
  return Object.fromEntries(Object.entries(DTYPE_OF).map(([k, d]) => [k, allocStorage(d, 0)]));
}

/** Converts one tensor's bytes to torchlet storage of its own dtype (no upcast, see DTYPE_OF). */
function decodeStorage(e: TensorEntry, where: string, fill: (e: TensorEntry, dst: Uint8Array) => void): Storage {
  const n = (e.end - e.begin) / ITEM_SIZE[e.dtype];
  const dtype = DTYPE_OF[e.dtype];
  if (dtype === undefined) throw new Error(`safetensors: ${where}: tensor ${JSON.stringify(e.name)}: dtype ${e.dtype} has no decoder`);
  // The one allocation size check (the decoded storage may be up to 2x the file's bytes: U32 -> int64).
  checkStorageSize(dtype, n);
  if (ITEM_SIZE[e.dtype] === bytesPerElement(dtype) && e.dtype !== "BOOL" && e.dtype !== "I64") {
    // NOTE: the same layout (little-endian, as the format and every supported host): read in place.
    const out = allocStorage(dtype, n);
    fill(e, new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    return out;
  }
  const raw = new Uint8Array(e.end - e.begin);
  fill(e, raw);
  switch (e.dtype) {
    case "BOOL":
      return raw.map((v) => (v !== 0 ? 1 : 0));
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
    case "U32": return Float64Array.from(new Uint32Array(raw.buffer));
    case "U16": return Int32Array.from(new Uint16Array(raw.buffer));
  }
  throw new Error(`safetensors: ${where}: tensor ${JSON.stringify(e.name)}: dtype ${e.dtype} has no decoder`);
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
  if (t.dtype === "int64") {
    const out = new BigInt64Array(s.length);
    for (let i = 0; i < s.length; i++) {
      // NOTE: every write path keeps int64 exact (dtype.ts toElement); this guards the file anyway.
      if (!Number.isSafeInteger(s[i])) throw new RangeError(`save: int64 element ${i} is ${s[i]}, not an integer within ±(2^53 - 1)`);
      out[i] = BigInt(s[i]);
    }
    return new Uint8Array(out.buffer);
  }
  if (t.dtype === "bool") return (s as Uint8Array).map((v) => (v !== 0 ? 1 : 0));
  return new Uint8Array(s.buffer, s.byteOffset, s.byteLength);
}
