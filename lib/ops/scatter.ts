// Writes along one dim at int64 indices: scatter (src or value, reduce='add'|'multiply'), scatterAdd,
// scatterReduce (sum, prod, mean, amax, amin; include_self), and the index forms indexAdd / indexCopy /
// indexFill (a 1-D index expanded to a scatter index). Out-of-place only: each returns a new tensor.
// scatterAdd runs the backends' kernel; the other writes are JS loops shared by both backends.
// ref: PyTorch 1.13 ScatterGatherChecks.h (shape rules), derivatives.yaml / FunctionsManual.cpp (gradients).
import { viaFloat32 } from "./half_compute.js";
import { backend } from "../backend/index.js";
import { record, rename } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { normDim } from "../shape.js";
import { isFloating } from "../dtype.js";
import { Tensor, type Scalar } from "../tensor.js";
import { cast, distinct, div, scalarTensor } from "./elementwise.js";
import { checkIntResult } from "./int64.js";
import { expand, reshape, slice } from "./views.js";

export type ScatterReduceOp = "sum" | "prod" | "mean" | "amax" | "amin";

function fail(msg: string, Kind: new (m: string) => Error = RangeError): never {
  throw new Kind(msg);
}

/** 0-d tensors take part as 1-element 1-D ones (PyTorch's rule for scatter and gather). */
const as1d = (t: Tensor): Tensor => (t.ndim === 0 ? reshape(t, [1]) : t);

/** PyTorch's scatter checks: int64 index, equal ndims, index no larger than src anywhere and than
 *  self off `dim`, every index inside [0, self.size(dim)). */
function checkScatter(fn: string, self: Tensor, d: number, index: Tensor, src: Tensor | null): void {
  if (!(index instanceof Tensor) || index.dtype !== "int64") fail(`${fn}(): Expected dtype int64 for index`, TypeError);
  if (src && src.dtype !== self.dtype) fail(`${fn}(): Expected self.dtype to be equal to src.dtype`, TypeError);
  if (index.numel() === 0) return;
  if (index.ndim !== self.ndim) fail("Index tensor must have the same number of dimensions as self tensor");
  if (src && src.ndim !== index.ndim) fail("Index tensor must have the same number of dimensions as src tensor");
  const tooBig = index.shape.some((s, i) => (i !== d && s > self.shape[i]) || (src !== null && s > src.shape[i]));
  if (tooBig) {
    fail(
      `Expected index [${index.shape.join(", ")}] to be smaller than self [${self.shape.join(", ")}] apart from dimension ${d}` +
        (src ? ` and to be smaller size than src [${src.shape.join(", ")}]` : ""),
    );
  }
  const size = self.shape[d];
  // NOTE: an expanded index (index_add's, index_select's gradient) is checked once per stored value.
  const idx = distinct(index).contiguous().storage();
  for (let i = 0; i < idx.length; i++) {
    if (!(idx[i] >= 0 && idx[i] < size)) fail(`index ${idx[i]} is out of bounds for dimension ${d} with size ${size}`);
  }
}

/**
 * For each element p of index in row-major order: fn(offset of p with p[d] = index[p] in `out`,
 * offset of p in `src`). out and src are strided views of the same ndim as index.
 */
function eachScatter(out: Tensor, d: number, index: Tensor, src: Tensor | null, fn: (o: number, s: number) => void): void {
  const idx = index.contiguous().storage();
  const shape = index.shape;
  const nd = shape.length;
  const coord = new Array<number>(nd).fill(0);
  for (let k = 0; k < idx.length; k++) {
    let o = out.offset;
    let s = src ? src.offset : 0;
    for (let i = 0; i < nd; i++) {
      o += (i === d ? idx[k] : coord[i]) * out.strides[i];
      if (src) s += coord[i] * src.strides[i];
    }
    fn(o, s);
    for (let i = nd - 1; i >= 0; i--) {
      if (++coord[i] < shape[i]) break;
      coord[i] = 0;
    }
  }
}

/** The part of src that index addresses (src may be larger): a differentiable view. */
function narrowTo(src: Tensor, shape: readonly number[]): Tensor {
  return shape.reduce((t, s, i) => (t.shape[i] === s ? t : slice(t, i, 0, s)), src);
}

/** A fresh contiguous copy of x's values, outside the graph. */
const copyOf = (x: Tensor): Tensor => noGrad(() => x.detach().clone());

/** torch.scatter_add: out = self; out[..index[p]..] += src[p] (repeated indices add up). */
export function scatterAdd(self: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normDim(dim, self.ndim, "scatter_add");
  const [s, i, x] = [as1d(self), as1d(index), as1d(src)];
  checkScatter("scatter_add", s, d, i, x);
  const srcPart = narrowTo(x, i.shape);
  const out = copyOf(s);
  if (i.numel() > 0) backend().scatterAdd(out, d, i, srcPart.detach());
  if (out.dtype === "int64") checkIntResult(out, "scatter_add"); // NOTE: int64 sums run in doubles
  const res = record("scatterAdd", [s, srcPart], out, { dim: d, index: i });
  return rename(self.ndim === 0 ? reshape(res, []) : res, "ScatterAddBackward0");
}

export interface ScatterOptions {
  reduce?: "add" | "multiply" | null;
}

/**
 * torch.scatter: out = self with out[..index[p]..] = src[p] (or `value`). With repeated indices the
 * last write in row-major order wins (PyTorch leaves it unspecified). reduce='add' / 'multiply'
 * combine instead; PyTorch 1.13 has no derivative for those, and backward through them throws.
 */
export function scatter(self: Tensor, dim: number, index: Tensor, src: Tensor | Scalar, opts: ScatterOptions = {}): Tensor {
  const d = normDim(dim, self.ndim, "scatter");
  const reduce = opts.reduce ?? null;
  if (reduce !== null && reduce !== "add" && reduce !== "multiply") fail("reduce argument must be either add or multiply.");
  const [s, i] = [as1d(self), as1d(index)];
  let x: Tensor;
  if (src instanceof Tensor) x = as1d(src);
  else {
    if (typeof src !== "number" && typeof src !== "boolean") fail(`scatter(): argument 'value' must be Number, not ${src === null ? "None" : typeof src}`, TypeError);
    x = expand(scalarTensor(src, s.dtype), i.shape);
  }
  checkScatter("scatter", s, d, i, x);
  const part = narrowTo(x, i.shape);
  const out = copyOf(s);
  const od = out.typedArray;
  const sd = part.typedArray;
  if (reduce === null) eachScatter(out, d, i, part, (o, p) => (od[o] = sd[p]));
  else if (reduce === "add") eachScatter(out, d, i, part, (o, p) => (od[o] += sd[p]));
  else eachScatter(out, d, i, part, (o, p) => (od[o] *= sd[p]));
  if (out.dtype === "int64") checkIntResult(out, "scatter");
  const res =
    reduce === null
      ? rename(record("scatter", [s, part], out, { dim: d, index: i }), src instanceof Tensor ? "ScatterBackward0" : "ScatterBackward1")
      : rename(record("notImplemented", [s, part], out, { what: "aten::scatter" }), "NotImplemented");
  return self.ndim === 0 ? reshape(res, []) : res;
}

export interface ScatterReduceOptions {
  includeSelf?: boolean;
}

const REDUCE_OPS: readonly string[] = ["sum", "prod", "mean", "amax", "amin"];

/**
 * torch.scatter_reduce: every src[p] is combined into out[..index[p]..] with `reduce`, starting from
 * self (include_self) or from the first src value there. 'mean' divides by the number of values
 * combined (self counting once), with floor division for int64.
 */
export function scatterReduce(self: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduceOp, opts: ScatterReduceOptions = {}): Tensor {
  if (src instanceof Tensor && src.dtype === self.dtype) {
    const h = viaFloat32(self, (f) => scatterReduce(f, dim, index, cast(src, "float32"), reduce, opts));
    if (h !== null) return h;
  }
  const d = normDim(dim, self.ndim, "scatter_reduce");
  if (!REDUCE_OPS.includes(reduce)) fail("reduce argument must be either sum, prod, mean, amax or amin.");
  const includeSelf = opts.includeSelf ?? true;
  const [s, i, x] = [as1d(self), as1d(index), as1d(src)];
  checkScatter("scatter_reduce", s, d, i, x);
  const part = narrowTo(x, i.shape);
  let res: Tensor;
  if (reduce === "sum" || reduce === "mean") {
    // Compositions: sum is a scatter_add (onto self with the written positions zeroed when
    // include_self is false), mean that sum divided by the count.
    const base = includeSelf ? s : scatter(s, d, i, 0);
    const total = scatterAdd(base, d, i, part);
    if (reduce === "sum") res = total;
    else {
      const count = Tensor.empty(s.shape, s.dtype);
      count.typedArray.fill(includeSelf ? 1 : 0);
      eachScatter(count, d, i, null, (o) => count.typedArray[o]++);
      count.typedArray.forEach((c, k) => (count.typedArray[k] = c === 0 ? 1 : c));
      res = isFloating(s.dtype) ? total.div(count) : div(total, count, { roundingMode: "floor" });
    }
  } else {
    const out = copyOf(s);
    const od = out.typedArray;
    const sd = part.typedArray;
    if (!includeSelf) {
      const start = reduce === "prod" ? 1 : reduce === "amax" ? -Infinity : Infinity;
      eachScatter(out, d, i, null, (o) => (od[o] = start));
    }
    if (reduce === "prod") eachScatter(out, d, i, part, (o, p) => (od[o] *= sd[p]));
    // NOTE: a NaN on either side wins, as in PyTorch's ReduceMaximum / ReduceMinimum.
    else if (reduce === "amax") eachScatter(out, d, i, part, (o, p) => (od[o] = Number.isNaN(sd[p]) || sd[p] > od[o] ? sd[p] : od[o]));
    else eachScatter(out, d, i, part, (o, p) => (od[o] = Number.isNaN(sd[p]) || sd[p] < od[o] ? sd[p] : od[o]));
    if (out.dtype === "int64") checkIntResult(out, "scatter_reduce");
    res = record("scatterReduce", [s, part], out, { dim: d, index: i, reduce, includeSelf });
  }
  res = rename(res, "ScatterReduceBackward0");
  return self.ndim === 0 ? reshape(res, []) : res;
}

/** The 1-D index of the index_* ops as a scatter index of `shape` (size index.numel() at d). */
function expandIndex(fn: string, index: Tensor, d: number, shape: readonly number[], size: number): Tensor {
  if (!(index instanceof Tensor) || index.dtype !== "int64") fail(`${fn}(): Expected dtype int64 for index`, TypeError);
  if (index.ndim > 1) fail(`${fn}(): Index is supposed to be a vector`);
  const idx = index.contiguous().storage();
  for (let k = 0; k < idx.length; k++) {
    if (!(idx[k] >= 0 && idx[k] < size)) fail(`${fn}(): index ${idx[k]} is out of bounds for dimension ${d} with size ${size}`);
  }
  const flat = index.ndim === 0 ? reshape(index, [1]) : index;
  const strides = shape.map((_, i) => (i === d ? flat.strides[0] : 0));
  return new Tensor(flat.typedArray, shape, strides, flat.offset);
}

/** Checks source against self for index_add / index_copy: same shape except size index.numel() at d. */
function checkSource(fn: string, self: Tensor, d: number, index: Tensor, source: Tensor): void {
  if (!(source instanceof Tensor)) fail(`${fn}(): argument 'source' must be Tensor, not ${typeof source}`, TypeError);
  if (source.dtype !== self.dtype) fail(`${fn}(): self (${self.dtype}) and source (${source.dtype}) must have the same scalar type`, TypeError);
  const n = index.numel();
  if (source.ndim !== self.ndim) fail(`${fn}(): Source/destination tensor must have same number of dimensions`);
  if (source.shape[d] !== n) fail(`${fn}(): Number of indices (${n}) should be equal to source.size(dim): (${source.shape[d]}), for dim: ${d}`);
  source.shape.forEach((s, i) => {
    if (i !== d && s !== self.shape[i]) {
      fail(`${fn}(): source [${source.shape.join(", ")}] and self [${self.shape.join(", ")}] must have the same size apart from dimension ${d}`);
    }
  });
}

export interface AlphaOption {
  alpha?: number;
}

/** torch.index_add: out = self; out[..index[i]..] += alpha * source[..i..] along dim. */
export function indexAdd(self: Tensor, dim: number, index: Tensor, source: Tensor, opts: AlphaOption = {}): Tensor {
  const d = normDim(dim, self.ndim, "index_add");
  const [s, x] = [as1d(self), as1d(source)];
  checkSource("index_add_", s, d, index, x);
  const idx = expandIndex("index_add_", index, d, x.shape, s.shape[d]);
  const alpha = opts.alpha ?? 1;
  const scaled = alpha === 1 ? x : x.mul(isFloating(s.dtype) ? alpha : Math.trunc(alpha));
  const res = rename(scatterAdd(s, d, idx, scaled), "IndexAddBackward0");
  return self.ndim === 0 ? reshape(res, []) : res;
}

/** torch.index_copy: out = self; out[..index[i]..] = source[..i..] along dim. */
export function indexCopy(self: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  const d = normDim(dim, self.ndim, "index_copy");
  const [s, x] = [as1d(self), as1d(source)];
  checkSource("index_copy_", s, d, index, x);
  const idx = expandIndex("index_copy_", index, d, x.shape, s.shape[d]);
  const res = rename(scatter(s, d, idx, x), "IndexCopyBackward0");
  return self.ndim === 0 ? reshape(res, []) : res;
}

/** torch.index_fill: out = self with the slices index[i] along dim set to value (a number or 0-d tensor). */
export function indexFill(self: Tensor, dim: number, index: Tensor, value: Tensor | Scalar): Tensor {
  const d = normDim(dim, self.ndim, "index_fill");
  const s = as1d(self);
  const shape = s.shape.map((n, i) => (i === d ? index.numel() : n));
  const idx = expandIndex("index_fill_", index, d, shape, s.shape[d]);
  let src: Tensor | Scalar = value;
  if (value instanceof Tensor) {
    if (value.ndim !== 0) fail(`index_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
    src = expand(value.dtype === s.dtype ? value : value.to(s.dtype), shape);
  }
  const res = rename(scatter(s, d, idx, src), "IndexFillBackward0");
  return self.ndim === 0 ? reshape(res, []) : res;
}
