// Indexing by flat positions and scatters into views: take, take_along_dim, put, index_put,
// select_scatter, slice_scatter, diagonal_scatter, fill_diagonal_, diag_embed, diagflat,
// sum_to_size, narrow_copy, rot90. The scatters find the positions they write by applying the view
// (select / slice / diagonal / x[indices]) to a tensor of flat positions, so they follow exactly the
// view's own rules (negative indices, bounds, the indexing result's shape); the write itself is an
// index_copy / index_add along the flattened input, which differentiates for input and source.
// ref: aten/src/ATen/native/TensorAdvancedIndexing.cpp (take, put, index_put), TensorShape.cpp
// (select/slice/diagonal_scatter, diag_embed, diagflat, sum_to_size, narrow_copy, rot90),
// Fill.cpp (fill_diagonal_), torch/functional.py; PyTorch 1.13.
import { record, rename } from "../autograd/node.js";
import { scalarTypeName } from "../dtype.js";
import { normDim, sameShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { arange, zeros } from "./creation.js";
import { binary, cast, compare, where } from "./elementwise.js";
import { gather, index, type IndexItem } from "./indexing.js";
import { indexAdd, indexCopy, indexFill } from "./scatter.js";
import { flip, movedim } from "./split.js";
import { diag, diagonal } from "./triangular.js";
import { sum } from "./reduce.js";
import { expand, narrow, reshape, select, slice, transpose } from "./views.js";
import { broadcastShapes } from "../shape.js";

const fmt = (s: readonly number[]) => `[${s.join(", ")}]`;

/** The flat (row-major) position of each element of x, in x's shape. */
function positions(x: Tensor): Tensor {
  return reshape(arange(0, x.numel(), 1, { dtype: "int64" }), x.shape);
}

/** Flat indices into n elements, negative ones wrapped; PyTorch's take/put range error. */
function wrapFlat(idx: Tensor, n: number, fn: string): Tensor {
  if (idx.dtype !== "int64") throw new TypeError(`${fn}(): Expected a long tensor for index, but got ${scalarTypeName(idx.dtype)}`);
  const v = idx.detach().contiguous().storage() as ArrayLike<number>;
  for (let i = 0; i < v.length; i++) {
    const k = Number(v[i]);
    if (k < -n || k >= n) throw new RangeError(`out of range: tried to access index ${k} on a tensor of ${n} elements.`);
  }
  return where(compare("lt", idx, 0), binary("add", idx, n), idx);
}

/** torch.take: x's elements (as if flattened) at index, in index's shape. */
export function take(x: Tensor, idx: Tensor): Tensor {
  if (idx.dtype !== "int64") throw new TypeError(`take(): Expected a long tensor for index, but got ${scalarTypeName(idx.dtype)}`);
  if (x.numel() === 0 && idx.numel() > 0) throw new RangeError("take(): tried to take from an empty tensor");
  const flat = wrapFlat(idx, x.numel(), "take");
  return rename(reshape(gather(reshape(x, [-1]), 0, reshape(flat, [-1])), idx.shape), "TakeBackward0");
}

/** torch.take_along_dim: gather along dim with x and indices broadcast elsewhere; no dim: flat. */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number | null): Tensor {
  if (indices.dtype !== "int64") throw new TypeError(`torch.take_along_dim(): dtype of indices should be Long but got ${scalarTypeName(indices.dtype)}`);
  if (dim === null || dim === undefined) return gather(reshape(x, [-1]), 0, reshape(indices, [-1]));
  if (x.ndim !== indices.ndim) {
    throw new Error(`torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${x.ndim} dimensions for input, and ${indices.ndim} dimensions for indices`);
  }
  const d = normDim(dim, x.ndim);
  const xs = [...x.shape], is = [...indices.shape];
  xs[d] = 1;
  is[d] = 1;
  const b = broadcastShapes(xs, is);
  const xe = expand(x, b.map((s, i) => (i === d ? x.shape[d] : s)));
  const ie = expand(indices, b.map((s, i) => (i === d ? indices.shape[d] : s)));
  return gather(xe, d, ie);
}

/** Writes src (broadcast to pos's shape) at the flat positions pos of x: a copy, or an add. */
function writeAt(x: Tensor, pos: Tensor, src: Tensor, accumulate: boolean): Tensor {
  const flat = reshape(x, [-1]);
  const p = reshape(pos, [-1]);
  const s = reshape(expand(cast(src, x.dtype), pos.shape), [-1]);
  return reshape(accumulate ? indexAdd(flat, 0, p, s) : indexCopy(flat, 0, p, s), x.shape);
}

/** torch.put: source's elements written (or added) at flat indices of x, out of place. */
export function put(x: Tensor, idx: Tensor, source: Tensor, accumulate = false): Tensor {
  if (source.numel() !== idx.numel()) {
    throw new RangeError(`put_(): Expected source and index to have the same number of elements, but got source.numel() = ${source.numel()}, index.numel() = ${idx.numel()}`);
  }
  if (source.dtype !== x.dtype) {
    throw new TypeError(`put_(): self and source expected to have the same dtype, but got self.dtype = ${scalarTypeName(x.dtype)} and source.dtype = ${scalarTypeName(source.dtype)}`);
  }
  if (idx.dtype !== "int64") throw new TypeError(`put_(): Expected a long tensor for index, but got ${scalarTypeName(idx.dtype)}`);
  const flat = reshape(wrapFlat(idx, x.numel(), "put_"), [-1]);
  return rename(writeAt(x, flat, reshape(source, [-1]), accumulate), "PutBackward0");
}

/** torch.index_put: x[indices] = values (or += with accumulate, duplicates adding up), out of place.
 *  indices: a tuple of index tensors (int64 or bool), null standing for a whole dim. */
export function indexPut(x: Tensor, indices: readonly (Tensor | null)[], values: Tensor, accumulate = false): Tensor {
  if (values.dtype !== x.dtype) {
    throw new TypeError(`Index put requires the source and destination dtypes match, got ${scalarTypeName(x.dtype)} for the destination and ${scalarTypeName(values.dtype)} for the source.`);
  }
  for (const t of indices) {
    if (t !== null && t.dtype !== "int64" && t.dtype !== "bool" && t.dtype !== "uint8") throw new RangeError("tensors used as indices must be long, byte or bool tensors");
  }
  const items: IndexItem[] = indices.map((t) => (t === null ? ":" : t));
  const pos = index(positions(x), items);
  try {
    broadcastShapes(values.shape, pos.shape);
    if (!sameShape(broadcastShapes(values.shape, pos.shape), pos.shape)) throw new Error();
  } catch {
    throw new Error(`shape mismatch: value tensor of shape ${fmt(values.shape)} cannot be broadcast to indexing result of shape ${fmt(pos.shape)}`);
  }
  return rename(writeAt(x, pos, values, accumulate), "IndexPutBackward0");
}

function checkSlice(src: Tensor, pos: Tensor): void {
  if (!sameShape(src.shape, pos.shape)) {
    throw new Error(`expected src to have a size equal to the slice of self. src size = ${fmt(src.shape)}, slice size = ${fmt(pos.shape)}`);
  }
}

/** torch.select_scatter: x with x.select(dim, index) replaced by src. */
export function selectScatter(x: Tensor, src: Tensor, dim: number, idx: number): Tensor {
  const pos = select(positions(x), dim, idx);
  checkSlice(src, pos);
  return rename(writeAt(x, pos, src, false), "SelectScatterBackward0");
}

/** torch.slice_scatter: x with x[start:end:step] along dim replaced by src. */
export function sliceScatter(x: Tensor, src: Tensor, dim = 0, start: number | null = null, end: number | null = null, step = 1): Tensor {
  const d = normDim(dim, x.ndim);
  const n = x.shape[d];
  const clampPos = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = start === null ? 0 : clampPos(start);
  const e = Math.max(end === null ? n : clampPos(end), s);
  const pos = slice(positions(x), d, s, e, step);
  checkSlice(src, pos);
  return rename(writeAt(x, pos, src, false), "SliceScatterBackward0");
}

/** torch.diagonal_scatter: x with x.diagonal(offset, dim1, dim2) replaced by src. */
export function diagonalScatter(x: Tensor, src: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const pos = diagonal(positions(x), offset, dim1, dim2);
  checkSlice(src, pos);
  return rename(writeAt(x, pos, src, false), "DiagonalScatterBackward0");
}

/** fill_diagonal_'s value, out of place: the main diagonal (all dims equal beyond 2-D); a tall
 *  matrix's diagonal restarts every ncols + 1 rows with wrap. */
export function filledDiagonal(x: Tensor, value: number | boolean, wrap = false): Tensor {
  if (x.ndim < 2) throw new Error("dimensions must larger than 1");
  const n = x.shape[0];
  if (x.ndim > 2 && !x.shape.every((s) => s === n)) throw new Error("all dimensions of input must be of equal length");
  let step: number, count: number;
  if (x.ndim === 2) {
    step = x.shape[1] + 1;
    count = wrap ? Math.ceil(x.numel() / step) : Math.min(n, x.shape[1]);
  } else {
    step = 0;
    for (let d = 0, s = 1; d < x.ndim; d++, s *= n) step += s;
    count = n;
  }
  const pos = arange(0, count * step, step, { dtype: "int64" });
  return reshape(indexFill(reshape(x, [-1]), 0, pos, value), x.shape);
}

/** torch.diag_embed: the last dim of x on the (offset) diagonal of dims dim1, dim2 of the result. */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  const nd = x.ndim + 1;
  const d1 = normDim(dim1, nd), d2 = normDim(dim2, nd);
  if (d1 === d2) throw new Error(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const n = x.shape[x.ndim - 1];
  const m = n + Math.abs(offset);
  const base = zeros([...x.shape.slice(0, -1), m, m], { dtype: x.dtype });
  const filled = writeAt(base, diagonal(positions(base), offset, -2, -1), x, false);
  // the two new dims go to d1, d2 (in that order), the batch dims keep their order
  return rename(movedim(filled, [nd - 2, nd - 1], [d1, d2]), "DiagEmbedBackward0");
}

/** torch.diagflat: x flattened, on the offset diagonal of a square matrix. */
export function diagflat(x: Tensor, offset = 0): Tensor {
  return rename(diag(reshape(x, [-1]), offset), "DiagBackward0");
}

/** Tensor.sum_to_size: sums x down to `size`, which must broadcast to x's shape. */
export function sumToSize(x: Tensor, size: readonly number[]): Tensor {
  const lead = x.ndim - size.length;
  if (lead < 0 || size.some((s, i) => s !== 1 && s !== x.shape[lead + i])) {
    throw new Error(`size {${fmt(size)}} is not expandable to size {${fmt(x.shape)}}.`);
  }
  const dims: number[] = [];
  for (let d = 0; d < x.ndim; d++) if (d < lead || (size[d - lead] === 1 && x.shape[d] !== 1)) dims.push(d);
  if (dims.length === 0) return x;
  return reshape(sum(x, dims, true), size);
}

/** Tensor.narrow_copy: narrow's elements as a new tensor (no derivative in PyTorch 1.13). */
export function narrowCopy(x: Tensor, dim: number, start: number, length: number): Tensor {
  const out = narrow(x.detach(), dim, start, length).clone();
  return rename(record("notImplemented", [x], out, { what: "aten::narrow_copy" }), "NotImplemented");
}

/** torch.rot90: k quarter turns in the plane of dims (from dims[0] toward dims[1]). */
export function rot90(x: Tensor, k = 1, dims: readonly number[] = [0, 1]): Tensor {
  if (dims.length !== 2) throw new Error(`expected total rotation dims == 2, but got dims = ${dims.length}`);
  if (x.ndim < 2) throw new Error(`expected total dims >= 2, but got total dims = ${x.ndim}`);
  if (dims[0] === dims[1] || Math.abs(dims[0] - dims[1]) === x.ndim) {
    throw new Error(`expected rotation dims to be different, but got dim0 = ${dims[0]} and dim1 = ${dims[1]}`);
  }
  if (dims[0] >= x.ndim || dims[0] < -x.ndim) throw new RangeError(`Rotation dim0 out of range, dim0 = ${dims[0]}`);
  if (dims[1] >= x.ndim || dims[1] < -x.ndim) throw new RangeError(`Rotation dim1 out of range, dim1 = ${dims[1]}`);
  const [a, b] = dims.map((d) => normDim(d, x.ndim));
  const turns = ((k % 4) + 4) % 4;
  let out: Tensor;
  if (turns === 1) out = transpose(flip(x, [b]), a, b);
  else if (turns === 2) out = flip(x, [a, b]);
  else if (turns === 3) out = transpose(flip(x, [a]), a, b);
  else out = x.clone();
  return rename(out, "Rot90Backward0");
}
