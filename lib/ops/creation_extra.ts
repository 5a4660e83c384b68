// Creation helpers built from index lists and compositions: tril_indices / triu_indices,
// combinations (with or without replacement, lexicographic order), cartesian_prod (meshgrid,
// stacked), block_diag (each block padded with zeros and concatenated), vander (PyTorch's cumprod
// of [1, x, x, ...], flipped unless increasing).
// ref: aten/src/ATen/native/TensorFactories.cpp (tril_indices, triu_indices), Itertools.cpp
// (combinations, cartesian_prod), TensorShape.cpp (block_diag), LinearAlgebra.cpp (vander),
// PyTorch 1.13.
import { rename } from "../autograd/node.js";
import { isFloating, parseDType, promoteTypes, scalarTypeName } from "../dtype.js";
import { Tensor } from "../tensor.js";
import type { DType } from "../backend/types.js";
import { ones, tensor, zeros } from "./creation.js";
import { cast } from "./elementwise.js";
import { cat, indexSelect, stack } from "./indexing.js";
import { cumprod } from "./cumulative.js";
import { flip } from "./split.js";
import { meshgrid } from "./stacking.js";
import { expand, reshape, unsqueeze } from "./views.js";

export interface IndicesOptions {
  dtype?: DType | string;
  device?: unknown;
}

function triangleIndices(row: number, col: number, offset: number, opts: IndicesOptions, lower: boolean): Tensor {
  const fn = lower ? "tril_indices" : "triu_indices";
  const dtype = opts.dtype === undefined ? "int64" : parseDType(opts.dtype, fn);
  if (isFloating(dtype) || dtype === "bool") throw new TypeError(`"${fn}" not implemented for '${scalarTypeName(dtype)}'`);
  if (!(row >= 0)) throw new Error(`row must be non-negative, got${row}`);
  if (!(col >= 0)) throw new Error(`col must be non-negative, got${col}`);
  const rs: number[] = [], cs: number[] = [];
  for (let r = 0; r < row; r++) {
    for (let c = 0; c < col; c++) {
      if (lower ? c - r <= offset : c - r >= offset) {
        rs.push(r);
        cs.push(c);
      }
    }
  }
  return tensor([rs, cs], { dtype }).reshape([2, rs.length]);
}

/** torch.tril_indices: [2, N] row and column indices of the lower triangle (c - r <= offset). */
export const trilIndices = (row: number, col: number, offset = 0, opts: IndicesOptions = {}) => triangleIndices(row, col, offset, opts, true);
/** torch.triu_indices: [2, N] row and column indices of the upper triangle (c - r >= offset). */
export const triuIndices = (row: number, col: number, offset = 0, opts: IndicesOptions = {}) => triangleIndices(row, col, offset, opts, false);

export interface CombinationsOptions {
  withReplacement?: boolean;
}

/** torch.combinations: the r-length combinations of a 1-D tensor's elements, [count, r]. */
export function combinations(x: Tensor, r = 2, opts: CombinationsOptions = {}): Tensor {
  if (x.ndim !== 1) throw new Error(`Expect a 1D vector, but got shape [${x.shape.join(", ")}]`);
  if (!(r >= 0)) throw new Error(`Expect a non-negative number, but got ${r}`);
  if (r === 0) return zeros([0], { dtype: x.dtype });
  const n = x.shape[0];
  const rep = opts.withReplacement ?? false;
  const picks: number[] = [];
  const cur: number[] = [];
  const walk = (from: number) => {
    if (cur.length === r) {
      picks.push(...cur);
      return;
    }
    for (let i = from; i < n; i++) {
      cur.push(i);
      walk(rep ? i : i + 1);
      cur.pop();
    }
  };
  walk(0);
  const idx = tensor(picks, { dtype: "int64" });
  return rename(reshape(indexSelect(x, 0, idx), [picks.length / r, r]), "StackBackward0");
}

/** torch.cartesian_prod: every tuple of one element from each 1-D tensor, [count, k] (k > 1). */
export function cartesianProd(tensors: readonly Tensor[]): Tensor {
  for (const t of tensors) if (t.ndim !== 1) throw new Error(`Expect a 1D vector, but got shape [${t.shape.join(", ")}]`);
  if (tensors.length === 1) return tensors[0];
  if (tensors.some((t) => t.dtype !== tensors[0].dtype)) throw new TypeError("meshgrid expects all tensors to have the same dtype");
  const grids = meshgrid(tensors, { indexing: "ij" });
  return stack(grids.map((g) => reshape(g, [-1])), 1);
}

/** torch.block_diag: the tensors (0-d as 1x1, 1-D as a row) along the diagonal of a zero matrix. */
export function blockDiag(tensors: readonly Tensor[]): Tensor {
  tensors.forEach((t, i) => {
    if (t.ndim > 2) throw new Error(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.ndim} dimensions`);
  });
  if (tensors.length === 0) return zeros([1, 0]); // the default float dtype
  const dtype = tensors.reduce((d, t) => promoteTypes(d, t.dtype), tensors[0].dtype);
  const blocks = tensors.map((t) => cast(t.ndim === 2 ? t : reshape(t, [1, -1]), dtype));
  const width = blocks.reduce((s, b) => s + b.shape[1], 0);
  let left = 0;
  const rows = blocks.map((b) => {
    const [r, c] = b.shape;
    const parts = [zeros([r, left], { dtype }), b, zeros([r, width - left - c], { dtype })];
    left += c;
    return cat(parts, 1);
  });
  return rename(cat(rows, 0), "BlockDiagBackward0");
}

/** torch.vander: columns x^(N-1) .. x^0 (x^0 .. x^(N-1) when increasing); N defaults to len(x).
 *  Integer and bool inputs give int64. */
export function vander(x: Tensor, N?: number | null, increasing = false): Tensor {
  if (x.ndim !== 1) throw new Error("x must be a one-dimensional tensor.");
  const n = N ?? x.shape[0];
  if (n < 0) throw new Error("N must be non-negative.");
  const dtype = isFloating(x.dtype) ? x.dtype : "int64";
  const xs = cast(x, dtype);
  if (n === 0) return zeros([x.shape[0], 0], { dtype });
  let out = ones([x.shape[0], 1], { dtype });
  if (n > 1) out = cumprod(cat([out, expand(unsqueeze(xs, 1), [x.shape[0], n - 1])], 1), 1);
  return increasing ? out : flip(out, [1]);
}
