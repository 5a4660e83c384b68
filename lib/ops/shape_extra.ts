// Shape ops: tensor_split (sections or indices), hsplit / vsplit / dsplit, split_with_sizes, the
// in-place view ops (squeeze_, unsqueeze_, t_, transpose_, swapaxes_ / swapdims_: self takes the
// view's shape and strides; under autograd a non-leaf takes the view's node, as PyTorch records
// them), as_strided (a view over the same storage; under autograd it carries the node of a gather of
// the same elements, so it differentiates as that gather), new_empty_strided / empty_strided.
// ref: aten/src/ATen/native/TensorShape.cpp (tensor_split, hsplit, vsplit, dsplit, as_strided,
// squeeze_, unsqueeze_, t_, transpose_), TensorFactories.cpp (empty_strided), PyTorch 1.13.
import { rename } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { allocStorage, bytesPerElement, parseDType, scalarTypeName } from "../dtype.js";
import { normDim } from "../shape.js";
import { Tensor } from "../tensor.js";
import { zeros, type TensorOptions } from "./creation.js";
import { checkDevice } from "../device.js";
import { gather } from "./indexing.js";
import { split } from "./split.js";
import { makeView, reshape, slice } from "./views.js";

type Sections = number | readonly number[] | Tensor;

/** torch.tensor_split: n near-equal sections (the first n % size one longer), or cuts at indices. */
export function tensorSplit(x: Tensor, indicesOrSections: Sections, dim = 0): Tensor[] {
  if (x.ndim === 0) throw new Error(`tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims`);
  let arg: number | number[];
  if (indicesOrSections instanceof Tensor) {
    const t = indicesOrSections;
    if (t.dtype !== "int64") throw new TypeError(`tensor_split expected tensor_indices_or_sections to have dtype of long, but got ${scalarTypeName(t.dtype)}`);
    if (t.ndim > 1) throw new Error(`tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with ${t.ndim} dims`);
    const v = Array.from(t.contiguous().storage() as ArrayLike<number>, Number);
    arg = t.ndim === 0 ? v[0] : v;
  } else arg = typeof indicesOrSections === "number" ? indicesOrSections : [...indicesOrSections];
  const d = normDim(dim, x.ndim);
  const n = x.shape[d];
  if (typeof arg === "number") {
    if (!(arg > 0)) throw new Error(`number of sections must be larger than 0, got ${arg}`);
    const base = Math.floor(n / arg), extra = n % arg;
    const out: Tensor[] = [];
    for (let i = 0, at = 0; i < arg; i++) {
      const len = base + (i < extra ? 1 : 0);
      out.push(slice(x, d, at, at + len));
      at += len;
    }
    return out;
  }
  const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const cuts = [0, ...arg.map(clampIdx), n];
  const out: Tensor[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) out.push(slice(x, d, cuts[i], Math.max(cuts[i], cuts[i + 1])));
  return out;
}

function splitAlong(x: Tensor, sections: number | readonly number[], d: number, fn: string): Tensor[] {
  if (typeof sections === "number") {
    const n = x.shape[d];
    if (sections === 0 || n % sections !== 0) {
      throw new Error(`torch.${fn} attempted to split along dimension ${d}, but the size of the dimension ${n} is not divisible by the split_size ${sections}!`);
    }
  }
  return tensorSplit(x, sections, d);
}

/** torch.hsplit: along dim 1 (dim 0 for a 1-D tensor); an int must divide the dim. */
export function hsplit(x: Tensor, sections: number | readonly number[]): Tensor[] {
  if (x.ndim < 1) throw new Error(`torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with ${x.ndim} dimensions!`);
  return splitAlong(x, sections, x.ndim === 1 ? 0 : 1, "hsplit");
}

/** torch.vsplit: along dim 0 of a tensor of at least 2 dims. */
export function vsplit(x: Tensor, sections: number | readonly number[]): Tensor[] {
  if (x.ndim < 2) throw new Error(`torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with ${x.ndim} dimensions!`);
  return splitAlong(x, sections, 0, "vsplit");
}

/** torch.dsplit: along dim 2 of a tensor of at least 3 dims. */
export function dsplit(x: Tensor, sections: number | readonly number[]): Tensor[] {
  if (x.ndim < 3) throw new Error(`torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with ${x.ndim} dimensions!`);
  return splitAlong(x, sections, 2, "dsplit");
}

/** torch.split_with_sizes: pieces of the given sizes, which must sum to the dim's size. */
export function splitWithSizes(x: Tensor, sizes: readonly number[], dim = 0): Tensor[] {
  if (!Array.isArray(sizes)) throw new TypeError("split_with_sizes(): argument 'split_sizes' must be a list of ints");
  return split(x, sizes, dim);
}

/**
 * self becomes view(self) in place: its shape, strides and offset, and (a non-leaf under autograd)
 * the view's node over self's old value. A leaf that requires grad is refused under grad mode.
 */
export function inPlaceView(self: Tensor, fn: string, view: (x: Tensor) => Tensor): Tensor {
  const tracked = isGradEnabled() && self.requiresGrad;
  if (tracked && self.isLeaf) throw new Error(`${fn}: a leaf Variable that requires grad is being used in an in-place operation.`);
  const old = makeView(self, self.shape, self.strides, self.offset);
  old._base = self._base;
  old._viewGen = self._viewGen;
  if (tracked) {
    old.requiresGrad = true;
    old.gradFn = self.gradFn;
    old.outputNr = self.outputNr;
  }
  const v = view(old);
  const geometry = self as unknown as { shape: readonly number[]; strides: readonly number[]; offset: number };
  geometry.shape = v.shape;
  geometry.strides = v.strides;
  geometry.offset = v.offset;
  if (tracked) {
    self.gradFn = v.gradFn;
    self.outputNr = v.outputNr;
  }
  return self;
}

/** How many elements x's storage holds. NOTE: the typed array is `typedArray` where `data` is
 *  PyTorch's x.data (a tensor), and `data` before that rename. */
function storageLength(x: Tensor): number {
  const s = (x as unknown as { typedArray?: ArrayLike<unknown> }).typedArray ?? (x.data as unknown as ArrayLike<unknown>);
  return s.length;
}

/** Storage elements a (size, stride, offset) view needs: 0 when it has no elements. */
function storageNeeded(size: readonly number[], stride: readonly number[], offset: number): number {
  if (size.some((s) => s === 0)) return 0;
  return offset + 1 + size.reduce((acc, s, i) => acc + (s - 1) * stride[i], 0);
}

function checkSizeStride(size: readonly number[], stride: readonly number[], fn: string): void {
  if (size.length !== stride.length) {
    throw new Error(fn === "as_strided" ? "mismatch in length of strides and shape" : `dimensionality of sizes (${size.length}) must match dimensionality of strides (${stride.length})`);
  }
  if (stride.some((s) => s < 0)) throw new Error(`${fn}: Negative strides are not supported at the moment, got strides: [${stride.join(", ")}]`);
  if (size.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`${fn}: sizes must be non-negative integers, got [${size.join(", ")}]`);
}

/** torch.as_strided: a view of x's storage with the given size, stride and storage offset
 *  (default x's). Under autograd (x requires grad) it differentiates as a gather of the same elements. */
export function asStrided(x: Tensor, size: readonly number[], stride: readonly number[], storageOffset?: number | null): Tensor {
  size = [...size];
  stride = [...stride];
  checkSizeStride(size, stride, "as_strided");
  const offset = storageOffset ?? x.offset;
  const need = storageNeeded(size, stride, offset);
  const have = storageLength(x);
  if (need > have) {
    const item = bytesPerElement(x.dtype);
    throw new Error(
      `setStorage: sizes [${size.join(", ")}], strides [${stride.join(", ")}], storage offset ${offset}, and itemsize ${item} requiring a storage size of ${need * item} are out of bounds for storage of size ${have * item}`,
    );
  }
  if (!(isGradEnabled() && x.requiresGrad)) return makeView(x, size, stride, offset);
  // the same elements as a gather of x (flat, row-major) at the positions each storage element has in x
  const where = new Map<number, number>();
  let k = 0;
  const walk = (d: number, at: number) => {
    if (d === x.ndim) {
      if (!where.has(at)) where.set(at, k);
      k++;
      return;
    }
    for (let i = 0; i < x.shape[d]; i++) walk(d + 1, at + i * x.strides[d]);
  };
  walk(0, x.offset);
  const n = size.reduce((p, s) => p * s, 1);
  const flat = new Float64Array(n); // an int64 storage
  for (let j = 0; j < n; j++) {
    let rem = j, at = offset;
    for (let d = size.length - 1; d >= 0; d--) {
      at += (rem % size[d]) * stride[d];
      rem = Math.floor(rem / size[d]);
    }
    const pos = where.get(at);
    if (pos === undefined) throw new Error("as_strided: under autograd, an element outside the input's own elements can't be differentiated; detach() the input or take the view of its base");
    flat[j] = pos;
  }
  const idx = Tensor.fromStorage(flat, [n]);
  // the view itself carries the gather's node: it aliases x's storage and differentiates as the gather
  const byGather = rename(reshape(gather(reshape(x, [-1]), 0, idx), size), "AsStridedBackward0");
  const view = makeView(x, size, stride, offset);
  view.requiresGrad = true;
  view.gradFn = byGather.gradFn;
  view.outputNr = byGather.outputNr;
  if (view.gradFn !== null) view.gradFn.out = view;
  return view;
}

/** torch.empty_strided / Tensor.new_empty_strided: a tensor with the given strides over fresh
 *  storage (zeroed here; PyTorch leaves it uninitialised), dtype opts.dtype or like's or float32. */
export function emptyStrided(size: readonly number[], stride: readonly number[], opts: TensorOptions = {}, like?: Tensor): Tensor {
  size = [...size];
  stride = [...stride];
  checkSizeStride(size, stride, "empty_strided");
  checkDevice(opts.device, "empty_strided");
  // NOTE: no dtype and no tensor to follow: the default float dtype (zeros' own)
  const dtype = opts.dtype != null ? parseDType(opts.dtype, "empty_strided") : (like?.dtype ?? zeros([0]).dtype);
  const out = new Tensor(allocStorage(dtype, storageNeeded(size, stride, 0)), size, stride, 0);
  if (opts.requiresGrad) out.requiresGrad = true;
  return out;
}
