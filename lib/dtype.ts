// dtypes: their storage arrays, PyTorch's type-promotion rule, and value checks on creation.
// ref: https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc
import { constants as bufferConstants } from "node:buffer";
import { totalmem } from "node:os";
import type { DType, Storage } from "./backend/types.js";
import { fromBFloat16Bits, fromHalfBits, toBFloat16Bits, toHalfBits } from "./half.js";
import { noteAllocated } from "./gc_tuning.js";

export type { DType, Storage };

export const DTYPES: readonly DType[] = [
  "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
];

// Aliases users type from PyTorch: torch.float, torch.long, ...
export const float32: DType = "float32";
export const float: DType = "float32";
export const float64: DType = "float64";
export const double: DType = "float64";
export const float16: DType = "float16";
export const half: DType = "float16";
export const bfloat16: DType = "bfloat16";
export const int64: DType = "int64";
export const long: DType = "int64";
export const int32: DType = "int32";
export const int: DType = "int32";
export const int16: DType = "int16";
export const short: DType = "int16";
export const int8: DType = "int8";
export const uint8: DType = "uint8";
export const bool: DType = "bool";

/** The typed array that stores each dtype. float16/bfloat16 hold their bit patterns (lib/half.ts). */
const STORAGE_TYPE = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, bfloat16: Uint16Array,
  int64: Float64Array, int32: Int32Array, int16: Int16Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
} as const;

/**
 * The dtype of a storage whose array type two dtypes share, for the storages allocated as the
 * second one: float64 (Float64Array, else int64), uint8 (Uint8Array, else bool) and bfloat16
 * (Uint16Array, else float16). NOTE: a tag on the storage rather than a field on each tensor,
 * because the backends see only views ({ data, offset, shape, strides }), and views of one storage
 * share its dtype. A WeakMap, not a property: a property would change the arrays' hidden class
 * and make the kernels' element loads polymorphic. Untagged arrays keep their old meaning, so
 * `new Float64Array(n)` is still an int64 storage everywhere.
 */
const TAGGED = new WeakMap<Storage, DType>();
const NEEDS_TAG: Partial<Record<DType, true>> = { float64: true, uint8: true, bfloat16: true };

/** Marks a storage as holding `dtype` (a no-op for dtypes its array type implies). Returns it. */
export function tagStorage<S extends Storage>(data: S, dtype: DType): S {
  if (NEEDS_TAG[dtype]) TAGGED.set(data, dtype);
  else if (TAGGED.has(data)) TAGGED.delete(data);
  return data;
}

/** Most elements one tensor's storage may hold (also MAX_NUMEL in shape.ts): keeps every offset a
 *  small integer on both backends. */
export const MAX_STORAGE_ELEMENTS = 2 ** 31 - 1;

/** tagStorage for an array made just now (no tag to clear: saves a WeakMap lookup per allocation). */
function tagNew<S extends Storage>(data: S, dtype: DType): S {
  if (NEEDS_TAG[dtype]) TAGGED.set(data, dtype);
  return data;
}

/** The most bytes one storage may take: this machine's memory (or the cgroup limit, if lower).
 *  NOTE: Linux overcommits, so an allocation far beyond RAM can succeed and the process is then
 *  killed when the pages are touched; refusing it up front is the only way to throw instead. */
export function maxStorageBytes(): number {
  return (maxBytes ??= readMaxStorageBytes());
}
// NOTE: read once: process.constrainedMemory() reads the cgroup files on every call (~0.1 ms), and
// every op result passes checkStorageSize; the limit does not change under a running process.
let maxBytes: number | undefined;
function readMaxStorageBytes(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const total = totalmem();
  return constrained > 0 && constrained < total ? constrained : total;
}

/**
 * The one size check every storage allocation passes (creation, op results, copies, loads):
 * throws PyTorch's kind of error (its CPU allocator's wording) instead of Node's "The value of
 * "size" is out of range" or an abort, before anything is allocated.
 */
export function checkStorageSize(dtype: DType, n: number): void {
  const bytes = n * STORAGE_TYPE[dtype].BYTES_PER_ELEMENT;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Storage size calculation overflowed with sizes=[${String(n)}]`);
  }
  if (n > MAX_STORAGE_ELEMENTS || bytes > maxStorageBytes()) {
    throw new RangeError(
      `can't allocate memory: you tried to allocate ${bytes} bytes (${n} elements of ${dtype}); a torchlet tensor holds at most ${MAX_STORAGE_ELEMENTS} elements and ${maxStorageBytes()} bytes (this machine's memory)`,
    );
  }
}

/** Runs an allocation, turning V8's "Array buffer allocation failed" into the allocator's error. */
function allocating<S>(dtype: DType, n: number, make: () => S): S {
  checkStorageSize(dtype, n);
  noteAllocated(n * STORAGE_TYPE[dtype].BYTES_PER_ELEMENT);
  try {
    return make();
  } catch (e) {
    throw new RangeError(
      `can't allocate memory: you tried to allocate ${n * STORAGE_TYPE[dtype].BYTES_PER_ELEMENT} bytes (${n} elements of ${dtype}): ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/** n zeroed elements. */
export function allocStorage(dtype: DType, n: number): Storage {
  return tagNew(allocating(dtype, n, () => new STORAGE_TYPE[dtype](n)), dtype);
}

/** n elements left unspecified (malloc, not calloc): only for storages the caller overwrites whole. */
export function allocStorageUnfilled(dtype: DType, n: number): Storage {
  const T = STORAGE_TYPE[dtype];
  const bytes = n * T.BYTES_PER_ELEMENT;
  // NOTE: Buffer's limit (4 GiB on Node 20) is below a typed array's; past it, a zeroed array.
  if (bytes > bufferConstants.MAX_LENGTH) return allocStorage(dtype, n);
  return tagNew(allocating(dtype, n, () => new T(Buffer.allocUnsafeSlow(bytes).buffer, 0, n)), dtype);
}

/** A storage of `dtype` over n elements of an existing buffer (no copy: torch.frombuffer). */
export function storageOver(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, n: number): Storage {
  return tagNew(new STORAGE_TYPE[dtype](buffer as ArrayBuffer, byteOffset, n), dtype);
}

export function bytesPerElement(dtype: DType): number {
  return STORAGE_TYPE[dtype].BYTES_PER_ELEMENT;
}

export function dtypeOfStorage(data: Storage): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return TAGGED.get(data) === "float64" ? "float64" : "int64";
  if (data instanceof Uint8Array) return TAGGED.get(data) === "uint8" ? "uint8" : "bool";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint16Array) return TAGGED.get(data) === "bfloat16" ? "bfloat16" : "float16";
  throw new TypeError(`unsupported storage ${Object.prototype.toString.call(data)}`);
}

/** Whether the native addon's kernels take this storage as it is: float32, int64 or bool. */
export function isNativeStorage(data: Storage): boolean {
  if (data instanceof Float32Array) return true;
  if (data instanceof Float64Array || data instanceof Uint8Array) return !TAGGED.has(data);
  return false;
}

const DTYPE_NAMES: Record<string, DType> = {
  float32: "float32", float: "float32", float64: "float64", double: "float64",
  float16: "float16", half: "float16", bfloat16: "bfloat16",
  int64: "int64", long: "int64", int32: "int32", int: "int32", int16: "int16", short: "int16",
  int8: "int8", uint8: "uint8", bool: "bool",
};

export function parseDType(d: unknown, fn: string): DType {
  if (typeof d === "string") {
    const name = d.startsWith("torch.") ? d.slice(6) : d;
    if (Object.hasOwn(DTYPE_NAMES, name)) return DTYPE_NAMES[name];
  }
  throw new TypeError(`${fn}: unsupported dtype ${String(d)} (expected one of ${DTYPES.join(", ")})`);
}

// torch.set_default_dtype's state: the dtype of a float tensor made without one (torch.tensor([1.5]),
// zeros, rand, arange with a fractional bound), of a Python float in promotion (int tensor + 2.5),
// of an integer tensor's true division and float math (sqrt), and of new module parameters.
let defaultFloat: DType = "float32";

/** torch.get_default_dtype(): float32 unless set_default_dtype changed it. */
export function getDefaultDtype(): DType {
  return defaultFloat;
}

/** torch.set_default_dtype(d): a floating dtype (float32, float64, float16, bfloat16), as PyTorch. */
export function setDefaultDtype(d: DType | string): void {
  const dtype = typeof d === "string" ? DTYPE_NAMES[d.startsWith("torch.") ? d.slice(6) : d] : undefined;
  if (dtype === undefined) throw new TypeError(`set_default_dtype(): argument 'd' must be torch.dtype, not ${typeof d === "string" ? JSON.stringify(d) : typeof d}`);
  if (!isFloating(dtype)) throw new TypeError("only floating-point types are supported as the default type");
  defaultFloat = dtype;
}

/** PyTorch's categories: bool < integral < floating. */
const CATEGORY: Record<DType, number> = {
  bool: 0, uint8: 1, int8: 1, int16: 1, int32: 1, int64: 1, float16: 2, bfloat16: 2, float32: 2, float64: 2,
};

export function isFloating(d: DType): boolean {
  return CATEGORY[d] === 2;
}
/** int64, int32, int16, int8 or uint8 (not bool). */
export function isIntegral(d: DType): boolean {
  return CATEGORY[d] === 1;
}
/** float16 or bfloat16: stored as bits, computed in float32. */
export function isHalf(d: DType): boolean {
  return d === "float16" || d === "bfloat16";
}

const SCALAR_TYPE_NAME: Record<DType, string> = {
  float32: "Float", float64: "Double", float16: "Half", bfloat16: "BFloat16",
  int64: "Long", int32: "Int", int16: "Short", int8: "Char", uint8: "Byte", bool: "Bool",
};

/** PyTorch's name of a dtype in messages: Float, Long, Bool, Double, Byte, ... */
export function scalarTypeName(dtype: DType): string {
  return SCALAR_TYPE_NAME[dtype];
}

/** PyTorch's canCast: a `result` value may be stored into an `out` tensor (in-place ops, out=)
 *  unless that turns a float into an integer or a number into a bool. */
export function canCast(result: DType, out: DType): boolean {
  return CATEGORY[result] <= CATEGORY[out];
}

/** Throws PyTorch's error unless a `result` value may be stored into an `out` tensor. */
export function checkCastTo(result: DType, out: DType): void {
  if (!canCast(result, out)) {
    throw new TypeError(`result type ${scalarTypeName(result)} can't be cast to the desired output type ${scalarTypeName(out)}`);
  }
}

// Integer widths for promotion; uint8 is special (uint8 with int8 needs int16).
const INT_BITS: Partial<Record<DType, number>> = { uint8: 8, int8: 8, int16: 16, int32: 32, int64: 64 };
const FLOAT_BITS: Partial<Record<DType, number>> = { float16: 16, bfloat16: 16, float32: 32, float64: 64 };

/** PyTorch's promote_types: the dtype of an op on two tensors of one priority class. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const ca = CATEGORY[a], cb = CATEGORY[b];
  if (ca !== cb) return ca > cb ? a : b;
  if (ca === 2) {
    if (FLOAT_BITS[a] === 16 && FLOAT_BITS[b] === 16) return "float32"; // float16 with bfloat16
    return (FLOAT_BITS[a] as number) > (FLOAT_BITS[b] as number) ? a : b;
  }
  // integral
  if ((a === "uint8" && b === "int8") || (a === "int8" && b === "uint8")) return "int16";
  if (a === "uint8") return b;
  if (b === "uint8") return a;
  return (INT_BITS[a] as number) > (INT_BITS[b] as number) ? a : b;
}

/** An operand of torch.result_type: a tensor (its dtype and ndim) or a JS scalar. */
export type ResultOperand = { readonly dtype: DType; readonly ndim: number } | number | boolean;

/** The higher-priority result wins unless the lower one is of a higher category (PyTorch's
 *  combine_categories). */
function combine(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower;
  if (lower === null) return higher;
  if (isFloating(higher)) return higher;
  if (higher === "bool" || isFloating(lower)) return promoteTypes(higher, lower);
  return higher;
}

/**
 * torch.result_type over any number of operands: tensors with dims decide first, 0-d tensors
 * and then JS scalars take part only when they are of a higher category (bool < integral <
 * floating). A JS number is a Python int when it is an integer, else a Python float (whose dtype
 * is the default float dtype, getDefaultDtype()); a boolean is a Python bool. NOTE: JS can't tell 2.0 from 2.
 */
export function resultType(...operands: readonly ResultOperand[]): DType {
  let dim: DType | null = null;
  let zero: DType | null = null;
  let wrapped: DType | null = null;
  const add = (acc: DType | null, d: DType) => (acc === null ? d : promoteTypes(acc, d));
  for (const o of operands) {
    if (typeof o === "boolean") wrapped = add(wrapped, "bool");
    else if (typeof o === "number") wrapped = add(wrapped, Number.isInteger(o) ? "int64" : defaultFloat);
    else if (o.ndim === 0) zero = add(zero, o.dtype);
    else dim = add(dim, o.dtype);
  }
  return combine(dim, combine(zero, wrapped)) ?? defaultFloat;
}

/** The dtype of `tensor op scalar` for a tensor with dims: a Python float promotes integers and
 *  bools to the default float dtype, a Python int promotes bool to int64, otherwise the tensor's dtype wins. */
export function promoteWithScalar(t: DType, s: number | boolean): DType {
  return resultType({ dtype: t, ndim: 1 }, s);
}

/** The int64 range torchlet stores exactly (a Float64Array holds int64): ±(2^53 - 1). */
export const INT64_MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** Throws unless v is an integer within ±(2^53 - 1), the documented int64 range. */
export function checkInt64(v: number, fn: string): number {
  if (!Number.isSafeInteger(v)) {
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: value cannot be converted to type int64_t without overflow (got ${v})`);
    throw new RangeError(
      `${fn}: value ${Math.abs(v) < 1e21 && Number.isInteger(v) ? BigInt(v) : v} is outside the int64 range torchlet stores exactly (integers of magnitude at most 2^53 - 1 = ${INT64_MAX_EXACT})`,
    );
  }
  return v;
}

const INT_RANGE: Partial<Record<DType, [number, number, string]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1, "int32"], int16: [-(2 ** 15), 2 ** 15 - 1, "int16"],
  // NOTE: PyTorch's overflow check lets -255..-1 into uint8 (they wrap: -7 is 249), not 256.
  int8: [-128, 127, "int8"], uint8: [-255, 255, "uint8"],
};

/**
 * The one conversion of a JS number into an element of `dtype` (what its storage holds), as
 * PyTorch converts a scalar it stores (torch.tensor, full, fill_): float32/float64 as is (the
 * Float32Array rounds), float16/bfloat16 their rounded bit patterns, integers truncated toward
 * zero and refused outside the type's range (int64: beyond ±(2^53 - 1)), bool 0 or 1 (NaN is
 * true, as in Python). Every write of a JS value into a storage goes through here or through the
 * backends' copy, which follows it.
 */
export function toElement(v: number | boolean, dtype: DType, fn: string): number {
  const n = Number(v);
  switch (dtype) {
    case "float32":
    case "float64":
      return n;
    case "float16":
      return toHalfBits(n);
    case "bfloat16":
      return toBFloat16Bits(n);
    case "int64":
      return checkInt64(Math.trunc(n) + 0, fn); // + 0: no -0 in an int64
    case "bool":
      return n !== 0 ? 1 : 0;
    default: {
      const [lo, hi, name] = INT_RANGE[dtype] as [number, number, string];
      const t = Math.trunc(n) + 0;
      if (!(t >= lo && t <= hi)) throw new RangeError(`${fn}: value cannot be converted to type ${name} without overflow (got ${n})`);
      return t;
    }
  }
}

/** Largest finite value of each narrower float dtype, and the C++ type PyTorch's message names. */
const FLOAT_MAX: Partial<Record<DType, [number, string]>> = {
  float32: [3.4028234663852886e38, "float"], float16: [65504, "at::Half"], bfloat16: [3.3895313892515355e38, "at::BFloat16"],
};

/** A scalar value written into a tensor of `dtype` (fill_, full, masked_fill, index_put, scatter's
 *  value, clamp's bounds): as toElement, but a finite float past the dtype's largest finite value is
 *  refused, as PyTorch's checked scalar conversion does, instead of being stored as inf.
 *  NOTE: torch.tensor and copy_ don't check: there PyTorch rounds to inf too (toElement). */
export function toStoredElement(v: number | boolean, dtype: DType, fn: string): number {
  const max = FLOAT_MAX[dtype];
  const n = Number(v);
  if (max !== undefined && Number.isFinite(n) && Math.abs(n) > max[0]) {
    throw new RangeError(`${fn}: value cannot be converted to type ${max[1]} without overflow (got ${n})`);
  }
  return toElement(v, dtype, fn);
}

/** A Python scalar operand of an op computing in `dtype` (`uint8_tensor + 300`): like toElement,
 *  but a fixed-width integer wraps around instead of throwing, as PyTorch's cast of the scalar does. */
export function toWrappedElement(v: number | boolean, dtype: DType, fn: string): number {
  if (!(dtype in INT_RANGE)) return toElement(v, dtype, fn);
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RangeError(`${fn}: value cannot be converted to type ${dtype} without overflow (got ${n})`);
  return Math.trunc(n) + 0; // the typed array wraps it on store
}

/** The number an element of `dtype` read from its storage stands for (float16/bfloat16 decode). */
export function fromElement(e: number, dtype: DType): number {
  return dtype === "float16" ? fromHalfBits(e) : dtype === "bfloat16" ? fromBFloat16Bits(e) : e;
}
