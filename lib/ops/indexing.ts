// Indexing: `x[...]` as x.index(...items), `x[...] = v` as x.set(items, v), gather / indexSelect,
// and cat / stack (scatter* live in scatter.ts). Basic items (ints, slices, None, ...) make views; index tensors
// (int64 or bool masks) gather, following NumPy/PyTorch advanced-indexing placement rules.
// ref: https://numpy.org/doc/stable/user/basics.indexing.html#combining-advanced-and-basic-indexing
import { backend } from "../backend/index.js";
import { record, rename } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { promoteTypes, toStoredElement } from "../dtype.js";
import { broadcastShapes, normDim, numelOf } from "../shape.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { arange } from "./creation.js";
import { assign, cast, checkInPlace, checkNotInGraph, scalarTensor } from "./elementwise.js";
import { recordInPlace } from "../autograd/inplace.js";
import { scatter } from "./scatter.js";
import { emptyUninit } from "./scratch.js";
import { checkNoOverlap } from "./overlap.js";
import { expand, permute, reshape, slice as sliceView, squeeze, unsqueeze } from "./views.js";

export interface Slice {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}
/** One item of an index tuple: int, "a:b:c" string, "..." , null (new axis), Slice, or index Tensor. */
export type IndexItem = number | string | null | Slice | Tensor;

/** torch.slice(start, stop, step): Python's `start:stop:step`. */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start, stop, step };
}

function parseSliceString(s: string): Slice | "..." {
  if (s === "...") return s;
  const parts = s.split(":");
  const num = (p: string | undefined) => (p === undefined || p.trim() === "" ? null : Number(p));
  const nums = parts.map(num);
  if (parts.length < 2 || parts.length > 3 || nums.some((n) => n !== null && !Number.isInteger(n))) {
    throw new TypeError(`index: cannot parse "${s}" as a slice (expected "start:stop" or "start:stop:step")`);
  }
  return { start: nums[0], stop: nums[1], step: nums[2] ?? null };
}

function checkedIndex(i: number, size: number, dim: number): number {
  if (!Number.isInteger(i)) throw new TypeError(`index ${i} is not an integer`);
  if (i < -size || i >= size) throw new RangeError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  return i < 0 ? i + size : i;
}

/** x[items]: basic items first (views), then any index tensors (one gather). */
export function index(x: Tensor, items: readonly IndexItem[]): Tensor {
  const parsed = items.map((it) => (typeof it === "string" ? parseSliceString(it) : it));
  const consumed = parsed.reduce<number>(
    (n, it) => n + (it === null || it === "..." ? 0 : it instanceof Tensor && it.dtype === "bool" ? Math.max(it.ndim, 1) : 1),
    0,
  );
  if (consumed > x.ndim) throw new RangeError(`too many indices for tensor of dimension ${x.ndim}`);
  if (parsed.filter((it) => it === "...").length > 1) throw new RangeError("an index can only have a single ellipsis ('...')");

  let v = x;
  let d = 0;
  const advanced: { dim: number; index: Tensor }[] = [];
  for (const it of parsed) {
    if (it === "...") d += x.ndim - consumed;
    else if (it === null) v = unsqueeze(v, d++);
    else if (typeof it === "number") {
      const i = checkedIndex(it, v.shape[d], d);
      v = rename(squeeze(sliceView(v, d, i, i + 1), d), "SelectBackward0");
    }
    else if (it instanceof Tensor) {
      if (it.dtype === "bool") {
        for (const idx of maskToIndices(it, v.shape.slice(d, d + Math.max(it.ndim, 1)), d)) advanced.push({ dim: d++, index: idx });
      } else if (it.dtype === "int64") advanced.push({ dim: d++, index: it });
      else throw new TypeError("tensors used as indices must be long, int, byte or bool tensors");
    } else if (typeof it === "object") {
      const step = it.step ?? 1;
      v = sliceView(v, d, it.start ?? 0, it.stop ?? v.shape[d], step);
      d++;
    } else throw new TypeError(`index: unsupported index item ${String(it)}`);
  }
  return advanced.length ? advancedIndex(v, advanced) : v;
}

/** The int64 index tensors (one per mask dim) of a bool mask's true elements, in row-major order. */
function maskToIndices(mask: Tensor, sizes: readonly number[], dim: number): Tensor[] {
  mask.shape.forEach((s, i) => {
    if (s !== sizes[i]) {
      throw new RangeError(`The shape of the mask [${mask.shape.join(", ")}] at index ${i} does not match the shape of the indexed tensor [${sizes.join(", ")}] at index ${dim + i}`);
    }
  });
  const m = mask.contiguous().storage();
  const hits: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) hits.push(i);
  const dims = Math.max(mask.ndim, 1);
  return Array.from({ length: dims }, (_, k) => {
    const inner = numelOf(mask.shape.slice(k + 1));
    const size = mask.shape[k] ?? 1;
    const t = Tensor.empty([hits.length], "int64");
    hits.forEach((h, j) => (t.typedArray[j] = Math.floor(h / inner) % size));
    return t;
  });
}

/** Index tensors broadcast together select along their dims; results go where NumPy puts them. */
function advancedIndex(v: Tensor, adv: { dim: number; index: Tensor }[]): Tensor {
  const idxShape = adv.map((a) => a.index.shape).reduce((s, t) => broadcastShapes(s, t));
  const adjacent = adv.every((a, i) => i === 0 || a.dim === adv[i - 1].dim + 1);
  if (!adjacent) {
    const front = adv.map((a) => a.dim);
    v = permute(v, [...front, ...[...v.shape.keys()].filter((d) => !front.includes(d))]);
    adv = adv.map((a, i) => ({ dim: i, index: a.index }));
  }
  const p = adv[0].dim;
  const k = adv.length;
  const sizes = v.shape.slice(p, p + k);
  // Linear index into the k indexed dims flattened into one.
  const linear = Tensor.empty([numelOf(idxShape)], "int64");
  const flats = adv.map((a) => expand(a.index, idxShape).contiguous().storage());
  for (let j = 0; j < linear.typedArray.length; j++) {
    let acc = 0;
    for (let i = 0; i < k; i++) acc = acc * sizes[i] + checkedIndex(flats[i][j], sizes[i], p + i);
    linear.typedArray[j] = acc;
  }
  const flat = reshape(v, [...v.shape.slice(0, p), numelOf(sizes), ...v.shape.slice(p + k)]);
  const picked = indexSelect(flat, p, linear);
  return rename(reshape(picked, [...v.shape.slice(0, p), ...idxShape, ...v.shape.slice(p + k)]), "IndexBackward0");
}

/** x[items] = value, in place. Index tensors write element by element. */
export function setIndex(x: Tensor, items: readonly IndexItem[], value: TensorOrScalar): void {
  if (recordInPlace(x, "index_put_", [value], (old) => indexPut(old, items, value), false, "CopySlices")) return;
  // NOTE: the basic-index form writes through a view that assign() checks (and bumps the version of,
  // once); the view is taken without grad, so the graph check is on x.
  if (!items.some((it) => it instanceof Tensor)) {
    checkNotInGraph(x, "index_put_");
    return assign(noGrad(() => index(x, items)), value);
  }
  // NOTE: overlap allowed: PyTorch only warns for index_put_ on an expanded tensor.
  checkInPlace(x, "index_put_", true);
  // Which logical positions of x the index picks, then a scatter of the broadcast value into them.
  if (!(value instanceof Tensor) && typeof value !== "number" && typeof value !== "boolean") {
    throw new TypeError(`index_put_(): value must be a Tensor, a number or a boolean, not ${value === null ? "null" : typeof value}`);
  }
  // NOTE: PyTorch's index_put_ refuses a value or index that shares any memory with self.
  checkNoOverlap(x, [...(value instanceof Tensor ? [value] : []), ...items.filter((it): it is Tensor => it instanceof Tensor)]);
  const pos = noGrad(() => index(reshape(arange(x.numel()), x.shape), items)).contiguous().storage();
  const src = value instanceof Tensor ? cast(value, x.dtype) : null;
  const scalar = src ? 0 : toStoredElement(value as number | boolean, x.dtype, "index_put_");
  const vals = src ? expand(src.detach(), [pos.length]).contiguous().storage() : null;
  if (src && src.numel() !== 1 && src.numel() !== pos.length) {
    throw new RangeError(`shape mismatch: value tensor of shape [${src.shape.join(", ")}] cannot be broadcast to indexing result of shape [${pos.length}]`);
  }
  // The values are x's dtype already (cast above, or converted once by toElement).
  const xd = x.typedArray;
  pos.forEach((p, j) => {
    let off = x.offset;
    let rest = p;
    for (let d = x.ndim - 1; d >= 0; d--) {
      off += (rest % x.shape[d]) * x.strides[d];
      rest = Math.floor(rest / x.shape[d]);
    }
    xd[off] = vals ? vals[j] : scalar;
  });
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normDim(dim, x.ndim, "gather");
  if (!(index instanceof Tensor) || index.dtype !== "int64") throw new TypeError("gather(): Expected dtype int64 for index");
  if (index.ndim !== x.ndim && !(x.ndim === 0 && index.ndim <= 1)) {
    throw new RangeError("Index tensor must have the same number of dimensions as input tensor");
  }
  index.shape.forEach((s, i) => {
    if (i !== d && s > x.shape[i]) {
      throw new RangeError(
        `Size does not match at dimension ${i} expected index [${index.shape.join(", ")}] to be smaller than self [${x.shape.join(", ")}] apart from dimension ${d}`,
      );
    }
  });
  const out = emptyUninit(index.shape, x.dtype);
  if (out.numel() > 0) backend().gather(x, d, index, out);
  return record("gather", [x], out, { dim: d, index });
}

/** Rows (along dim) picked by a 1-D int64 index: a gather with the index broadcast across the other dims. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normDim(dim, x.ndim, "index_select");
  if (!(index instanceof Tensor) || index.dtype !== "int64") throw new TypeError("index_select(): Expected dtype int64 for index");
  if (index.ndim > 1) throw new RangeError("index_select(): Index is supposed to be a vector");
  const k = index.numel();
  // PyTorch's check and words (gather's would name gather and accept nothing more)
  const size = x.ndim === 0 ? 1 : x.shape[d];
  const iv = index.contiguous().storage();
  for (let i = 0; i < k; i++) {
    if (!(iv[i] >= 0 && iv[i] < size)) throw new RangeError(`index_select(): index out of range in self: index ${iv[i]} is out of bounds for dimension ${d} with size ${size}`);
  }
  const outShape = x.shape.map((s, i) => (i === d ? k : s));
  const idxView = new Tensor(index.typedArray, outShape, outShape.map((_, i) => (i === d ? index.strides[0] ?? 0 : 0)), index.offset);
  return rename(gather(x, d, idxView), "IndexSelectBackward0");
}

function checkTensorList(tensors: readonly unknown[], fn: string): void {
  if (!Array.isArray(tensors)) throw new TypeError(`${fn}(): argument 'tensors' must be an array of Tensors, not ${typeof tensors}`);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${fn}(): expected Tensor as element ${i} in argument 0, but got ${t === null ? "null" : typeof t}`);
  });
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!tensors || tensors.length === 0) throw new RangeError("torch.cat(): expected a non-empty list of Tensors");
  checkTensorList(tensors, "cat");
  const scalar = tensors.findIndex((t) => t.ndim === 0);
  if (scalar >= 0) throw new RangeError(`zero-dimensional tensor (at position ${scalar}) cannot be concatenated`);
  // NOTE: PyTorch still skips legacy 1-D empty tensors ([0]) when the others have more dims.
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0)) as Tensor[];
  if (parts.length === 0) return tensors[0];
  const ref = parts[0];
  const d = normDim(dim, ref.ndim, "cat");
  parts.forEach((t, i) => {
    if (t.ndim !== ref.ndim) {
      throw new RangeError(`Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`);
    }
    t.shape.forEach((s, j) => {
      if (j !== d && s !== ref.shape[j]) {
        throw new RangeError(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[j]} but got size ${s} for tensor number ${i} in the list.`);
      }
    });
  });
  const dtype = parts.map((t) => t.dtype).reduce(promoteTypes);
  const shape = [...ref.shape];
  shape[d] = parts.reduce((n, t) => n + t.shape[d], 0);
  const out = Tensor.empty(shape, dtype);
  let at = 0;
  for (const t of parts) {
    const dst = new Tensor(out.typedArray, t.shape, out.strides, out.offset + at * out.strides[d]);
    if (t.numel() > 0) backend().copy(cast(t.detach(), dtype), dst);
    at += t.shape[d];
  }
  // NOTE: skipped legacy empties are still inputs: PyTorch gives them a (size-0) gradient.
  return record("cat", tensors.map((t) => cast(t, dtype)), out, { dim: d });
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!tensors || tensors.length === 0) throw new RangeError("stack expects a non-empty TensorList");
  checkTensorList(tensors, "stack");
  tensors.forEach((t, i) => {
    if (t.ndim !== tensors[0].ndim || t.shape.some((s, j) => s !== tensors[0].shape[j])) {
      throw new RangeError(`stack expects each tensor to be equal size, but got [${tensors[0].shape.join(", ")}] at entry 0 and [${t.shape.join(", ")}] at entry ${i}`);
    }
  });
  const d = normDim(dim, tensors[0].ndim + 1, "stack");
  return rename(cat(tensors.map((t) => unsqueeze(t, d)), d), "StackBackward0");
}

/**
 * x with x[items] = value, out of place and differentiable (the recorded form of setIndex): the
 * positions the index picks, scattered with value broadcast to them. Gradients: to x except at
 * those positions, to value summed over its broadcast.
 */
function indexPut(x: Tensor, items: readonly IndexItem[], value: TensorOrScalar): Tensor {
  const pos = noGrad(() => index(reshape(arange(x.numel(), { dtype: "int64" }), x.shape), items));
  const v = value instanceof Tensor ? cast(value, x.dtype) : scalarTensor(value as number | boolean, x.dtype);
  const shape = broadcastShapes(v.shape, pos.shape);
  if (shape.length !== pos.shape.length || shape.some((s, i) => s !== pos.shape[i])) {
    throw new RangeError(`shape mismatch: value tensor of shape [${v.shape.join(", ")}] cannot be broadcast to indexing result of shape [${pos.shape.join(", ")}]`);
  }
  const flat = scatter(reshape(x, [-1]), 0, reshape(pos, [-1]), reshape(expand(v, pos.shape), [-1]));
  return reshape(flat, x.shape);
}
