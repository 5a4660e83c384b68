// float16 and bfloat16 in the JS backend: their storages hold bit patterns, so every kernel but
// copy and fill runs on float32 copies of such views, and the written ones are rounded back.
// That is PyTorch's CPU rule for both types: compute in float32, round once on store (so a sum
// of float16 accumulates in float32: [2048, 1, 1] sums to 2050, not 2048).
// NOTE: one instanceof per view argument per call, nothing per element: float32, float64 and
// integer views go straight to the kernel (no rest arguments or spreads on that path).

import type { Backend, View } from "../types.js";
import { allocStorage } from "../../dtype.js";
import { contiguousStrides, numel } from "./strided.js";
import { copy } from "./elementwise.js";

function isHalfView(a: unknown): a is View {
  return typeof a === "object" && a !== null && (a as View).typedArray instanceof Uint16Array;
}

/** A contiguous float32 copy of a half view (stride-0 dims are materialised). */
function widen(v: View): View {
  const w: View = { typedArray: allocStorage("float32", numel(v.shape)), offset: 0, shape: v.shape, strides: contiguousStrides(v.shape) };
  copy(v, w);
  return w;
}

/** fn(...args) with every half view replaced by a float32 copy; the arguments at `written` are
 *  copied back (rounded) afterwards. */
function runWidened(fn: (...args: any[]) => void, args: unknown[], written: readonly number[]): void {
  const wide = args.map((a) => (isHalfView(a) ? widen(a) : a));
  fn(...wide);
  for (const i of written) if (isHalfView(args[i])) copy(wide[i] as View, args[i] as View);
}

const h = (v: View | null): boolean => v !== null && v.typedArray instanceof Uint16Array;

/** The backend's methods that compute, taking float16/bfloat16 views through float32 copies. */
export function withHalfViews(b: Backend): Backend {
  return {
    ...b,
    unary: (op, x, out) => (h(x) || h(out) ? runWidened(b.unary, [op, x, out], [2]) : b.unary(op, x, out)),
    clamp: (x, lo, hi, out) => (h(x) || h(out) ? runWidened(b.clamp, [x, lo, hi, out], [3]) : b.clamp(x, lo, hi, out)),
    binary: (op, x, y, out) => (h(x) || h(y) || h(out) ? runWidened(b.binary, [op, x, y, out], [3]) : b.binary(op, x, y, out)),
    where: (c, x, y, out) => (h(x) || h(y) || h(out) ? runWidened(b.where, [c, x, y, out], [3]) : b.where(c, x, y, out)),
    reluBackward: (g, r, out) => (h(g) || h(r) || h(out) ? runWidened(b.reluBackward, [g, r, out], [2]) : b.reluBackward(g, r, out)),
    reduce: (op, x, out) => (h(x) || h(out) ? runWidened(b.reduce, [op, x, out], [2]) : b.reduce(op, x, out)),
    argReduce: (op, x, dim, out) => (h(x) ? runWidened(b.argReduce, [op, x, dim, out], []) : b.argReduce(op, x, dim, out)),
    matmul: (x, y, out, acc) => (h(x) || h(y) || h(out) ? runWidened(b.matmul, [x, y, out, acc], [2]) : b.matmul(x, y, out, acc)),
    addScaled: (x, y, alpha, out) =>
      h(x) || h(y) || h(out) ? runWidened(b.addScaled, [x, y, alpha, out], [3]) : b.addScaled(x, y, alpha, out),
    adamStep: (p, g, m, v, vmax, hp) =>
      h(p) || h(g) || h(m) || h(v) || h(vmax)
        ? runWidened(b.adamStep, [p, g, m, v, vmax, hp], [0, 2, 3, 4])
        : b.adamStep(p, g, m, v, vmax, hp),
    softmax: (x, out, log) => (h(x) || h(out) ? runWidened(b.softmax, [x, out, log], [1]) : b.softmax(x, out, log)),
    gather: (x, dim, index, out) => (h(x) || h(out) ? runWidened(b.gather, [x, dim, index, out], [3]) : b.gather(x, dim, index, out)),
    scatterAdd: (out, dim, index, src) =>
      h(out) || h(src) ? runWidened(b.scatterAdd, [out, dim, index, src], [0]) : b.scatterAdd(out, dim, index, src),
  };
}
