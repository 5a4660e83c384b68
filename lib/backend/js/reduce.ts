// Reductions of the JS backend: sum/max/min into a keepdim-shaped out, argmax/argmin along one
// dim, and softmax/log-softmax over contiguous rows. Accumulation is in double (float32 sums fold
// quads of elements in float first, as the native kernels), in row-major order of the input, so
// results are deterministic. No dim bookkeeping: the frontend picks dims.
// ref: PyTorch 1.13 CPU reductions (aten/src/ATen/native/ReduceOps.cpp, SoftMax.cpp).

import type { ArgReduceOp, DType, ReduceOp, View } from "../types.js";
import { Loop, checkShaped, checkView, contiguousStrides, dtypeOf, numel } from "./strided.js";

function checkDtype(op: string, name: string, v: View, allowed: readonly DType[]): DType {
  const d = dtypeOf(v.typedArray);
  if (!allowed.includes(d)) throw new TypeError(`${op}(): ${name} is ${d}, expected ${allowed.join(" or ")}`);
  return d;
}

/**
 * Sum of the n float32 elements from x[o] on, in the order of the native kernel
 * (native/elementwise.h, Kernels::sum_quads): each block of 32 folded to 8 quads in float,
 * (x[j] + x[j+16]) + (x[j+8] + x[j+24]), then the quads and the tail summed in double.
 */
function sumInQuads(x: Float32Array, o: number, n: number): number {
  const f = Math.fround;
  let s = 0, j = 0;
  for (; j + 32 <= n; j += 32) {
    for (let i = o + j; i < o + j + 8; i++) s += f(f(x[i] + x[i + 16]) + f(x[i + 8] + x[i + 24]));
  }
  for (; j < n; j++) s += x[o + j];
  return s;
}

/**
 * The length of the one contiguous run (stride 1) that each output's elements form, where
 * native/reduce.cc sums such runs with its quads kernel (its row mode: no kept dim has a stride
 * below 1); else -1. As the native layout: dims of size 1 left out, the reduced ones sorted by
 * stride (largest first, stable) and merged where the outer stride is the inner's span.
 */
function quadRunLength(x: View, out: View): number {
  const red: number[] = [];
  let minKept = Infinity;
  for (let d = 0; d < x.shape.length; d++) {
    if (x.shape[d] === 1) continue;
    if (out.shape[d] === 1) red.push(d);
    else minKept = Math.min(minKept, x.strides[d]);
  }
  if (red.length === 0 || minKept <= 1) return -1;
  red.sort((a, b) => x.strides[b] - x.strides[a]);
  let len = 1;
  for (let i = 0; i < red.length; i++) {
    const d = red[i];
    if (i > 0 && x.strides[red[i - 1]] !== x.strides[d] * x.shape[d]) return -1;
    len *= x.shape[d];
  }
  return x.strides[red[red.length - 1]] === 1 ? len : -1;
}

/** out = the quad sums of each output's run (quadRunLength elements from its first). */
function sumRunsInQuads(x: View & { typedArray: Float32Array }, out: View, len: number): void {
  const L = new Loop(out.shape, [x.strides, out.strides], [x.offset, out.offset]);
  const od = out.typedArray;
  for (let r = 0; r < L.rows; r++, L.next()) {
    for (let j = 0, ix = L.off[0], io = L.off[1]; j < L.n; j++, ix += L.inner[0], io += L.inner[1]) {
      od[io] = sumInQuads(x.typedArray, ix, len);
    }
  }
}

/**
 * out = op over the dims where out has size 1 and x does not. max/min propagate NaN and keep
 * the first of equal values (-0 vs 0), as PyTorch's scalar path. An empty sum is 0; an empty
 * max/min throws. NOTE: sums accumulate in a Float64Array, then round once into out, except
 * where native/reduce.cc sums a float32 run in quads (sumRunsInQuads).
 */
export function reduce(op: ReduceOp, x: View, out: View): void {
  checkView(op, "x", x);
  checkView(op, "out", out);
  const nd = x.shape.length;
  const bad = out.shape.length !== nd || out.shape.some((s, d) => s !== x.shape[d] && s !== 1);
  if (bad) throw new RangeError(`${op}(): out shape [${out.shape}] is not a keepdim reduction of [${x.shape}]`);
  const xt = dtypeOf(x.typedArray);
  if (op === "sum") checkDtype(op, "out", out, ["float32", "float64", "int64", "int32", "int16", "int8", "uint8"]);
  else checkDtype(op, "out", out, [xt]);
  const m = numel(out.shape);
  if (m === 0) return;
  if (numel(x.shape) === 0 && op !== "sum") {
    throw new RangeError(`${op}(): cannot reduce an empty dimension (input shape [${x.shape}])`);
  }

  if (op === "sum" && x.typedArray instanceof Float32Array && numel(x.shape) > 0) {
    const len = quadRunLength(x, out);
    if (len >= 0) return sumRunsInQuads(x as View & { typedArray: Float32Array }, out, len);
  }
  // [acc] is out's shape, contiguous, with stride 0 along the reduced dims.
  const cs = contiguousStrides(out.shape);
  const accStrides = cs.map((s, d) => (out.shape[d] === 1 ? 0 : s));
  const acc = new Float64Array(m).fill(op === "sum" ? 0 : op === "max" ? -Infinity : Infinity);
  const L = new Loop(x.shape, [x.strides, accStrides], [x.offset, 0]);
  const xd = x.typedArray, n = L.n, sx = L.inner[0], sa = L.inner[1];
  for (let r = 0; r < L.rows; r++, L.next()) {
    const ox = L.off[0], oa = L.off[1];
    if (sa === 0) {
      // the run reduces into one element: keep it in a local
      let s = acc[oa];
      if (op === "sum") for (let j = 0, ix = ox; j < n; j++, ix += sx) s += xd[ix];
      else if (op === "max") {
        for (let j = 0, ix = ox; j < n; j++, ix += sx) {
          const v = xd[ix];
          if (v > s || v !== v) s = v; // NOTE: once NaN, nothing compares greater: NaN sticks
        }
      } else {
        for (let j = 0, ix = ox; j < n; j++, ix += sx) {
          const v = xd[ix];
          if (v < s || v !== v) s = v;
        }
      }
      acc[oa] = s;
    } else if (op === "sum") {
      for (let j = 0, ix = ox, ia = oa; j < n; j++, ix += sx, ia += sa) acc[ia] += xd[ix];
    } else if (op === "max") {
      for (let j = 0, ix = ox, ia = oa; j < n; j++, ix += sx, ia += sa) {
        const v = xd[ix];
        if (v > acc[ia] || v !== v) acc[ia] = v;
      }
    } else {
      for (let j = 0, ix = ox, ia = oa; j < n; j++, ix += sx, ia += sa) {
        const v = xd[ix];
        if (v < acc[ia] || v !== v) acc[ia] = v;
      }
    }
  }

  const W = new Loop(out.shape, [cs, out.strides], [0, out.offset]);
  const od = out.typedArray;
  for (let r = 0; r < W.rows; r++, W.next()) {
    for (let j = 0, ia = W.off[0], io = W.off[1]; j < W.n; j++, ia += W.inner[0], io += W.inner[1]) {
      od[io] = acc[ia];
    }
  }
}

/**
 * Index of the first maximum (argmax) or minimum (argmin) along `dim`. NOTE: a NaN counts as
 * the extreme for both, and the first NaN wins (PyTorch 1.13).
 */
export function argReduce(op: ArgReduceOp, x: View, dim: number, out: View): void {
  checkView(op, "x", x);
  const nd = x.shape.length;
  if (!Number.isInteger(dim) || dim < 0 || dim >= nd) {
    throw new RangeError(`${op}(): dim ${dim} is out of range for a tensor of ${nd} dims`);
  }
  const want = x.shape.map((s, d) => (d === dim ? 1 : s));
  checkShaped(op, "out", out, want);
  checkDtype(op, "out", out, ["int64"]);
  const K = x.shape[dim];
  if (numel(want) === 0) return;
  if (K === 0) throw new RangeError(`${op}(): cannot take ${op} of an empty dimension (dim ${dim} of [${x.shape}])`);

  const sd = x.strides[dim];
  const isMax = op === "argmax";
  const L = new Loop(want, [x.strides, out.strides], [x.offset, out.offset]);
  const xd = x.typedArray, od = out.typedArray, n = L.n, sx = L.inner[0], so = L.inner[1];
  for (let r = 0; r < L.rows; r++, L.next()) {
    for (let j = 0, ix = L.off[0], io = L.off[1]; j < n; j++, ix += sx, io += so) {
      let best = xd[ix], at = 0;
      for (let k = 1; k < K && best === best; k++) {
        const v = xd[ix + k * sd];
        if (v !== v || (isMax ? v > best : v < best)) {
          best = v;
          at = k;
        }
      }
      od[io] = at;
    }
  }
}

function checkContiguous(op: string, name: string, v: View): void {
  const cs = contiguousStrides(v.shape);
  if (v.shape.some((s, d) => s > 1 && v.strides[d] !== cs[d])) {
    throw new RangeError(`${op}(): ${name} must be contiguous (shape [${v.shape}], strides [${v.strides}])`);
  }
}

/**
 * Softmax (or log-softmax) of each row of the last dim, in double:
 *   m = max(row);  softmax = exp(x - m) / sum(exp(x - m));  log-softmax = (x - m) - log(sum).
 * A row of all -Infinity, or holding +Infinity or NaN, gives NaN everywhere, as in PyTorch.
 * out may be x itself: each row is read completely before it is written.
 */
export function softmax(x: View, out: View, log: boolean): void {
  const op = log ? "log_softmax" : "softmax";
  checkView(op, "x", x);
  checkShaped(op, "out", out, x.shape);
  checkDtype(op, "out", out, [checkDtype(op, "x", x, ["float32", "float64"])]);
  checkContiguous(op, "x", x);
  checkContiguous(op, "out", out);
  const nd = x.shape.length;
  const n = nd === 0 ? 1 : x.shape[nd - 1];
  const total = numel(x.shape);
  if (total === 0) return;
  const rows = total / n;
  const xd = x.typedArray, od = out.typedArray;
  const e = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const ox = x.offset + r * n, oo = out.offset + r * n;
    let m = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = xd[ox + j];
      if (v > m || v !== v) m = v;
    }
    let s = 0;
    for (let j = 0; j < n; j++) {
      e[j] = Math.exp(xd[ox + j] - m); // -inf - -inf and inf - inf are NaN, as wanted
      s += e[j];
    }
    if (log) {
      const ls = Math.log(s);
      for (let j = 0; j < n; j++) od[oo + j] = xd[ox + j] - m - ls;
    } else {
      for (let j = 0; j < n; j++) od[oo + j] = e[j] / s;
    }
  }
}
