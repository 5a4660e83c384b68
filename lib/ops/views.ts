// Layout-only ops: each returns a new shape/strides/offset over the same storage (no copy), except
// reshape of a non-viewable layout and clone, which copy. Gradient rules: reshape, permute, expand, slice.
// ref: PyTorch's computeStride (aten/src/ATen/TensorUtils.cpp) for when a reshape can be a view.
import { backend } from "../backend/index.js";
import { record, rename } from "../autograd/node.js";
import { checkShape, contiguousStrides, normDim, numelOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { emptyUninit } from "./scratch.js";

export function makeView(x: Tensor, shape: readonly number[], strides: readonly number[], offset = x.offset): Tensor {
  const v = new Tensor(x.typedArray, shape, strides, offset);
  v._base = x._base ?? x;
  v._viewGen = v._base._histGen;
  return v;
}

/** Resolves one -1 and checks the element count: PyTorch's infer_size. */
function inferShape(shape: readonly number[], numel: number, fn: string, invalid?: () => string): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((s, i) => {
    if (typeof s !== "number") checkShape(shape, fn); // throws the one size error (BigInt, string, ...)
    if (s === -1) {
      if (infer >= 0) throw new RangeError("only one dimension can be inferred");
      infer = i;
    } else known *= s;
  });
  const out = checkShape(shape.map((s) => (s === -1 ? 0 : s)), fn);
  if (infer >= 0 && known === 0 && numel === 0) {
    throw new RangeError(`cannot reshape tensor of 0 elements into shape [${shape.join(", ")}] because the unspecified dimension size -1 can be any value and is ambiguous`);
  }
  if (infer >= 0 && known !== 0 && numel % known === 0) out[infer] = numel / known;
  if (numelOf(out) !== numel || (infer >= 0 && known === 0)) {
    throw new RangeError(invalid?.() ?? `shape '[${shape.join(", ")}]' is invalid for input of size ${numel}`);
  }
  return out;
}

/** Strides that give `shape` over x's layout without copying, or null when none exist. */
function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  if (x.ndim === 0 || x.numel() === 0) return contiguousStrides(shape);
  const out = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = x.strides[x.ndim - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = x.ndim - 1; d >= 0; d--) {
    tensorNumel *= x.shape[d];
    // A chunk of dims that are contiguous with one another ends here.
    if (d === 0 || (x.shape[d - 1] !== 1 && x.strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = x.strides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

export function view(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, x.numel(), "view");
  const strides = viewStrides(x, target);
  if (strides === null) {
    throw new Error(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  return record("reshape", [x], makeView(x, target, strides), { inShape: x.shape });
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, x.numel(), "reshape");
  const strides = viewStrides(x, target);
  if (strides !== null) return record("reshape", [x], makeView(x, target, strides), { inShape: x.shape });
  return rename(view(clone(x), target), "UnsafeViewBackward0");
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim(startDim, x.ndim, "flatten");
  const e = normDim(endDim, x.ndim, "flatten");
  if (s > e) throw new RangeError("flatten() has invalid args: start_dim cannot come after end_dim");
  if (s === e) return x;
  const shape = [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normDim(dim, x.ndim, "unflatten");
  // NOTE: PyTorch words the size mismatch in unflatten's own terms (the dim and its size).
  const inner = inferShape(sizes, x.shape[d], "unflatten", () =>
    `unflatten: Provided sizes [${sizes.join(", ")}] don't multiply up to the size of dim ${d} (${x.shape[d]}) in the input tensor`);
  return view(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new RangeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const norm = dims.map((d) => normDim(d, x.ndim, "permute"));
  if (new Set(norm).size !== norm.length) throw new RangeError("permute(): duplicate dims are not allowed.");
  const out = makeView(x, norm.map((d) => x.shape[d]), norm.map((d) => x.strides[d]));
  return record("permute", [x], out, { dims: norm });
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normDim(dim0, x.ndim, "transpose");
  const b = normDim(dim1, x.ndim, "transpose");
  if (x.ndim === 0) return x; // dims -1 and 0 only, checked above
  const dims = [...x.shape.keys()];
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return rename(permute(x, dims), "TransposeBackward0");
}

export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new RangeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  return x.ndim < 2 ? x : rename(permute(x, [1, 0]), "TBackward0");
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim(dim, x.ndim + 1, "unsqueeze");
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x.shape[d] * x.strides[d] : 1);
  return rename(record("reshape", [x], makeView(x, shape, strides), { inShape: x.shape }), "UnsqueezeBackward0");
}

export function squeeze(x: Tensor, dim?: number): Tensor {
  const drop = dim === undefined ? null : normDim(dim, x.ndim, "squeeze");
  const keep = [...x.shape.keys()].filter((i) => (drop === null ? x.shape[i] !== 1 : i !== drop || x.shape[i] !== 1));
  if (keep.length === x.ndim) return x;
  const out = makeView(x, keep.map((i) => x.shape[i]), keep.map((i) => x.strides[i]));
  return rename(record("reshape", [x], out, { inShape: x.shape }), drop === null ? "SqueezeBackward0" : "SqueezeBackward1");
}

export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.ndim) {
    throw new RangeError(
      `expand(torch.FloatTensor{[${x.shape.join(", ")}]}, size=[${sizes.join(", ")}]): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  }
  const lead = sizes.length - x.ndim;
  const shape: number[] = [];
  const strides: number[] = [];
  sizes.forEach((s, i) => {
    const src = i - lead;
    const cur = src >= 0 ? x.shape[src] : 1;
    const target = s === -1 && src >= 0 ? cur : s;
    if (!Number.isInteger(target) || target < 0) {
      throw new RangeError(`expand: invalid size ${s} at dimension ${i}`);
    }
    if (cur !== target && cur !== 1) {
      throw new RangeError(
        `The expanded size of the tensor (${target}) must match the existing size (${cur}) at non-singleton dimension ${i}.  Target sizes: [${sizes.join(", ")}].  Tensor sizes: [${x.shape.join(", ")}]`,
      );
    }
    shape.push(target);
    strides.push(src >= 0 && cur === target ? x.strides[src] : 0);
  });
  return record("expand", [x], makeView(x, shape, strides), { inShape: x.shape });
}

/** x along dim from start to end (exclusive) by step: the view behind `x[a:b:c]` and narrow. */
export function slice(x: Tensor, dim: number, start: number, end: number, step = 1): Tensor {
  const d = normDim(dim, x.ndim, "slice");
  if (!Number.isInteger(step) || step <= 0) throw new RangeError("slice step must be positive");
  // NOTE: ±Infinity clamps like a huge int; NaN or a fraction would make a NaN-sized view.
  for (const [name, v] of [["start", start], ["stop", end]] as const) {
    if (!Number.isInteger(v) && Math.abs(v) !== Infinity) throw new TypeError(`slice indices must be integers or None, got ${name} ${String(v)}`);
  }
  const size = x.shape[d];
  const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = clampIdx(start);
  const e = Math.max(clampIdx(end), s);
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape[d] = Math.ceil((e - s) / step);
  strides[d] = x.strides[d] * step;
  const out = makeView(x, shape, strides, x.offset + (shape[d] > 0 ? s * x.strides[d] : 0));
  return record("slice", [x], out, { inShape: x.shape, dim: d, start: s, step });
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim(dim, x.ndim, "narrow");
  if (!Number.isInteger(start)) throw new TypeError(`narrow(): argument 'start' must be an integer, not ${String(start)}`);
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(length) || length < 0 || s < 0 || s + length > size) {
    throw new RangeError(`start (${start}) + length (${length}) exceeds dimension size (${size}).`);
  }
  return slice(x, d, s, s + length);
}

/** A contiguous copy (recorded, gradient passes through). */
export function clone(x: Tensor): Tensor {
  const out = emptyUninit(x.shape, x.dtype);
  // NOTE: an empty tensor copies nothing, and its contiguous strides may pass 2^53 ([0, 2^30, 2^30]),
  // which the addon refuses
  if (out.numel() > 0) backend().copy(x, out);
  return record("contiguous", [x], out);
}

/** x[..., index, ...] along dim, that dim dropped: a view (PyTorch's select). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new RangeError("select() cannot be applied to a 0-dim tensor.");
  const d = normDim(dim, x.ndim, "select");
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new RangeError(`select(): index ${index} out of range for tensor of size [${x.shape.join(", ")}] at dimension ${d}`);
  }
  const i = index < 0 ? index + size : index;
  return rename(squeeze(slice(x, d, i, i + 1), d), "SelectBackward0");
}
