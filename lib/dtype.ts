// dtypes: their storage arrays, PyTorch's type-promotion rule, and value checks on creation.
// ref: https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc
import { constants as bufferConstants } from "node:buffer";
import { totalmem } from "node:os";
import type { DType, Storage } from "./backend/types.js";

export type { DType, Storage };

export const DTYPES: readonly DType[] = ["float32", "int64", "bool"];

// Aliases users type from PyTorch: torch.float, torch.long, ...
export const float32: DType = "float32";
export const float: DType = "float32";
export const int64: DType = "int64";
export const long: DType = "int64";
export const bool: DType = "bool";

/** The typed array that stores each dtype. */
const STORAGE_TYPE = { float32: Float32Array, int64: Float64Array, bool: Uint8Array } as const;

/** Most elements one tensor's storage may hold (also MAX_NUMEL in shape.ts): keeps every offset a
 *  small integer on both backends. */
export const MAX_STORAGE_ELEMENTS = 2 ** 31 - 1;

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
  return allocating(dtype, n, () => new STORAGE_TYPE[dtype](n));
}

/** n elements left unspecified (malloc, not calloc): only for storages the caller overwrites whole. */
export function allocStorageUnfilled(dtype: DType, n: number): Storage {
  const T = STORAGE_TYPE[dtype];
  const bytes = n * T.BYTES_PER_ELEMENT;
  // NOTE: Buffer's limit (4 GiB on Node 20) is below a typed array's; past it, a zeroed array.
  if (bytes > bufferConstants.MAX_LENGTH) return allocStorage(dtype, n);
  return allocating(dtype, n, () => new T(Buffer.allocUnsafeSlow(bytes).buffer, 0, n));
}

export function bytesPerElement(dtype: DType): number {
  return STORAGE_TYPE[dtype].BYTES_PER_ELEMENT;
}

export function dtypeOfStorage(data: Storage): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "int64";
  if (data instanceof Uint8Array) return "bool";
  throw new TypeError(`unsupported storage ${Object.prototype.toString.call(data)}`);
}

export function parseDType(d: unknown, fn: string): DType {
  if (typeof d === "string") {
    const name = d.startsWith("torch.") ? d.slice(6) : d;
    const alias: Record<string, DType> = { float32: "float32", float: "float32", int64: "int64", long: "int64", bool: "bool" };
    if (name in alias) return alias[name];
  }
  throw new TypeError(`${fn}: unsupported dtype ${String(d)} (expected float32, int64 or bool)`);
}

const RANK: Record<DType, number> = { bool: 0, int64: 1, float32: 2 };

export function isFloating(d: DType): boolean {
  return d === "float32";
}

/** PyTorch's name of a dtype in messages: Float, Long, Bool. */
export function scalarTypeName(dtype: DType): string {
  return dtype === "float32" ? "Float" : dtype === "int64" ? "Long" : "Bool";
}

/** Throws PyTorch's error unless a `result` value may be stored into an `out` tensor (in-place ops,
 *  out=): the same category or a wider one (bool < int64 < float32). */
export function checkCastTo(result: DType, out: DType): void {
  if (RANK[result] > RANK[out]) {
    throw new TypeError(`result type ${scalarTypeName(result)} can't be cast to the desired output type ${scalarTypeName(out)}`);
  }
}

/** The dtype of an op on two tensors (both "dimensioned": PyTorch's same-category rule). */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype of `tensor op scalar`: a Python float promotes integers and bools to float32, a Python
 *  int promotes bool to int64, otherwise the tensor's dtype wins (scalars are "wrapped numbers"). */
export function promoteWithScalar(t: DType, s: number | boolean): DType {
  if (typeof s === "boolean") return t;
  if (!Number.isInteger(s)) return t === "float32" ? t : "float32";
  return t === "bool" ? "int64" : t;
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

/**
 * The one conversion of a JS number into an element of `dtype`, as PyTorch's copy_ converts:
 * float32 as is (the Float32Array rounds), int64 truncated toward zero (NaN, ±Infinity and values
 * beyond ±(2^53 - 1) throw), bool 0 or 1 (NaN is true, as in Python). Every write of a JS value
 * into int64 or bool storage goes through here or through the backends' copy, which follows it.
 */
export function toElement(v: number | boolean, dtype: DType, fn: string): number {
  const n = Number(v);
  if (dtype === "int64") return checkInt64(Math.trunc(n) + 0, fn); // + 0: no -0 in an int64
  if (dtype === "bool") return n !== 0 ? 1 : 0;
  return n;
}
