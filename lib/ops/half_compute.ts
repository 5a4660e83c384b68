// float16/bfloat16 in the ops that read elements in JS (scans, sorting, unique, scatter_reduce):
// their storages hold bit patterns, so such an op runs on a float32 copy and its floating results
// are rounded back, as PyTorch computes both types in float32. The backends' kernels do the same
// on their own (lib/backend/js/widen.ts); this is for the ops that bypass them.
import { isHalf } from "../dtype.js";
import type { DType } from "../backend/types.js";
import { Tensor } from "../tensor.js";
import { cast } from "./elementwise.js";

/** A result of `f` with every float32 tensor in it cast to `dtype` (int64 indices stay). Arrays
 *  keep their extra properties (`values`/`indices` of a named tuple). */
function roundBack<T>(r: T, dtype: DType): T {
  if (r instanceof Tensor) return (r.dtype === "float32" ? cast(r, dtype) : r) as T;
  if (Array.isArray(r)) {
    const out = r.map((v) => roundBack(v, dtype));
    for (const k of Object.keys(r)) if (!/^\d+$/.test(k)) (out as any)[k] = roundBack((r as any)[k], dtype);
    return out as T;
  }
  if (r !== null && typeof r === "object") {
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, roundBack(v, dtype)])) as T;
  }
  return r;
}

/** f(x) computed on x.float() when x is float16/bfloat16 (null when x is not: run f as usual). */
export function viaFloat32<T>(x: Tensor, f: (x32: Tensor) => T): T | null {
  if (!(x instanceof Tensor) || !isHalf(x.dtype)) return null;
  return roundBack(f(cast(x, "float32")), x.dtype);
}
