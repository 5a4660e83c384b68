// dtypes: their storage arrays, PyTorch's type-promotion rule, and value checks on creation.
// ref: https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc
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

/** n zeroed elements. */
export function allocStorage(dtype: DType, n: number): Storage {
  return new STORAGE_TYPE[dtype](n);
}

/** n elements left unspecified (malloc, not calloc): only for storages the caller overwrites whole. */
export function allocStorageUnfilled(dtype: DType, n: number): Storage {
  const T = STORAGE_TYPE[dtype];
  return new T(Buffer.allocUnsafeSlow(n * T.BYTES_PER_ELEMENT).buffer, 0, n);
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

/** Checks a value stored into an int64 tensor: an integer a double holds exactly. */
export function checkInt64(v: number, fn: string): number {
  if (!Number.isSafeInteger(v)) {
    throw new RangeError(`${fn}: value ${v} cannot be stored as int64 here (integers within ±2^53 only)`);
  }
  return v;
}
