// Index ops of the JS backend: gather (torch.gather) and scatterAdd (Tensor.scatter_add_) along
// one dim with an int64 index. Every index is checked before anything is written, so a bad index
// leaves out untouched. Negative indices are errors here: the frontend wraps them.
// ref: PyTorch 1.13 aten/src/ATen/native/ScatterGatherChecks.h and cpu/ScatterGatherKernel.cpp.

import type { View } from "../types.js";
import { Loop, checkShaped, checkView, dtypeOf } from "./strided.js";

/** Checks the shapes torch.gather / scatter_add_ accept: same ndim, index no larger off `dim`. */
function checkIndexed(op: string, self: View, selfName: string, dim: number, index: View): void {
  checkView(op, selfName, self);
  checkView(op, "index", index);
  const nd = self.shape.length;
  if (!Number.isInteger(dim) || dim < 0 || dim >= Math.max(nd, 1)) {
    throw new RangeError(`${op}(): dim ${dim} is out of range for a tensor of ${nd} dims`);
  }
  if (index.shape.length !== nd) {
    throw new RangeError(`${op}(): index has ${index.shape.length} dims but ${selfName} has ${nd}`);
  }
  for (let d = 0; d < nd; d++) {
    if (d !== dim && index.shape[d] > self.shape[d]) {
      throw new RangeError(
        `${op}(): index shape [${index.shape}] is larger than ${selfName} shape [${self.shape}] in dim ${d}`,
      );
    }
  }
  if (dtypeOf(index.typedArray) !== "int64") throw new TypeError(`${op}(): index must be int64`);
}

/** Throws a RangeError naming the first index outside [0, size). */
function checkIndices(op: string, index: View, dim: number, size: number): void {
  const L = new Loop(index.shape, [index.strides], [index.offset]);
  const id = index.typedArray, n = L.n, s = L.inner[0];
  for (let r = 0; r < L.rows; r++, L.next()) {
    for (let j = 0, ii = L.off[0]; j < n; j++, ii += s) {
      const v = id[ii];
      if (!(v >= 0 && v < size && Number.isInteger(v))) {
        throw new RangeError(`${op}(): index ${v} is out of bounds for dimension ${dim} with size ${size}`);
      }
    }
  }
}

/** Strides of `v` with the one at `dim` zeroed: the index supplies that coordinate. */
function withoutDim(v: View, dim: number): number[] {
  return v.strides.map((s, d) => (d === dim ? 0 : s));
}

/** out[p] = x[p with p[dim] = index[p]]; out has index's shape and x's dtype. */
export function gather(x: View, dim: number, index: View, out: View): void {
  checkIndexed("gather", x, "x", dim, index);
  checkShaped("gather", "out", out, index.shape);
  if (dtypeOf(out.typedArray) !== dtypeOf(x.typedArray)) throw new TypeError(`gather(): out must have x's dtype`);
  const size = x.shape.length === 0 ? 1 : x.shape[dim];
  checkIndices("gather", index, dim, size);
  const sd = x.shape.length === 0 ? 0 : x.strides[dim];
  const L = new Loop(index.shape, [index.strides, out.strides, withoutDim(x, dim)], [index.offset, out.offset, x.offset]);
  const id = index.typedArray, od = out.typedArray, xd = x.typedArray, n = L.n;
  const si = L.inner[0], so = L.inner[1], sx = L.inner[2];
  for (let r = 0; r < L.rows; r++, L.next()) {
    for (let j = 0, ii = L.off[0], io = L.off[1], ix = L.off[2]; j < n; j++, ii += si, io += so, ix += sx) {
      od[io] = xd[ix + id[ii] * sd];
    }
  }
}

/**
 * out[p with p[dim] = index[p]] += src[p], in row-major order of index (so repeated indices add
 * up in a fixed order, each add rounded to out's dtype as PyTorch's CPU kernel does).
 */
export function scatterAdd(out: View, dim: number, index: View, src: View): void {
  checkIndexed("scatter_add", out, "out", dim, index);
  checkShaped("scatter_add", "src", src, index.shape);
  const dt = dtypeOf(out.typedArray);
  if (dt === "bool" || dtypeOf(src.typedArray) !== dt) {
    throw new TypeError(`scatter_add(): out and src must both be float32 or both int64`);
  }
  const size = out.shape.length === 0 ? 1 : out.shape[dim];
  checkIndices("scatter_add", index, dim, size);
  const sd = out.shape.length === 0 ? 0 : out.strides[dim];
  const L = new Loop(index.shape, [index.strides, src.strides, withoutDim(out, dim)], [index.offset, src.offset, out.offset]);
  const id = index.typedArray, sdata = src.typedArray, od = out.typedArray, n = L.n;
  const si = L.inner[0], ss = L.inner[1], so = L.inner[2];
  for (let r = 0; r < L.rows; r++, L.next()) {
    for (let j = 0, ii = L.off[0], is = L.off[1], io = L.off[2]; j < n; j++, ii += si, is += ss, io += so) {
      od[io + id[ii] * sd] += sdata[is];
    }
  }
}
