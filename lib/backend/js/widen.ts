// float16 and bfloat16 in the JS backend: their storages hold bit patterns, so every kernel but
// copy and fill runs on float32 copies of such views, and the written ones are rounded back.
// That is PyTorch's CPU rule for both types: compute in float32, round once on store (so a sum
// of float16 accumulates in float32 and a mean of [65504, 65504] is 65504, not Infinity).
// NOTE: one check per call (typeof/instanceof of the arguments), nothing per element: float32,
// float64 and integer views pass through untouched.

import type { Backend, View } from "../types.js";
import { allocStorage } from "../../dtype.js";
import { contiguousStrides, numel } from "./strided.js";
import { copy } from "./elementwise.js";

function isHalfView(a: unknown): a is View {
  return typeof a === "object" && a !== null && (a as View).data instanceof Uint16Array;
}

/** A contiguous float32 copy of a half view (stride-0 dims are materialised). */
function widen(v: View): View {
  const w: View = { data: allocStorage("float32", numel(v.shape)), offset: 0, shape: v.shape, strides: contiguousStrides(v.shape) };
  copy(v, w);
  return w;
}

/**
 * `fn` with every float16/bfloat16 view among its arguments replaced by a float32 copy; the
 * arguments at `written` are copied back (rounded) afterwards. Calls with no such view go
 * straight through.
 */
export function viaFloat32<F extends (...args: any[]) => void>(fn: F, written: readonly number[]): F {
  return ((...args: unknown[]) => {
    let any = false;
    for (const a of args) if (isHalfView(a)) any = true;
    if (!any) return fn(...args);
    const wide = args.map((a) => (isHalfView(a) ? widen(a) : a));
    fn(...wide);
    for (const i of written) if (isHalfView(args[i])) copy(wide[i] as View, args[i] as View);
  }) as F;
}

/** The backend's methods that compute, wrapped with viaFloat32 (out positions per signature). */
export function withHalfViews(b: Backend): Backend {
  return {
    ...b,
    unary: viaFloat32(b.unary, [2]),
    clamp: viaFloat32(b.clamp, [3]),
    binary: viaFloat32(b.binary, [3]),
    where: viaFloat32(b.where, [3]),
    reduce: viaFloat32(b.reduce, [2]),
    argReduce: viaFloat32(b.argReduce, []),
    matmul: viaFloat32(b.matmul, [2]),
    addScaled: viaFloat32(b.addScaled, [3]),
    adamStep: viaFloat32(b.adamStep, [0, 2, 3, 4]),
    softmax: viaFloat32(b.softmax, [1]),
    gather: viaFloat32(b.gather, [3]),
    scatterAdd: viaFloat32(b.scatterAdd, [0]),
  };
}
