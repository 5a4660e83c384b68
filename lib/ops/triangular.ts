// Triangles and diagonals: tril / triu (a where with a position mask), diagonal (a strided view,
// recorded as the `diagonal` primitive), diag (vector -> matrix and back) and trace.
// ref: PyTorch 1.13 docs of torch.tril, triu, diagonal, diag, trace.
import { record, rename } from "../autograd/node.js";
import { normDim } from "../shape.js";
import { Tensor } from "../tensor.js";
import { scalarTensor, where } from "./elementwise.js";
import { cat, indexSelect } from "./indexing.js";
import { sum } from "./reduce.js";
import { makeView, reshape } from "./views.js";

/** [rows, cols] bool mask of the positions with (col - row) on the kept side of `diagonal`. */
function triangleMask(rows: number, cols: number, diagonal: number, lower: boolean): Tensor {
  const m = Tensor.empty([rows, cols], "bool");
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) m.typedArray[i * cols + j] = (lower ? j - i <= diagonal : j - i >= diagonal) ? 1 : 0;
  }
  return m;
}

function triangle(x: Tensor, diagonal: number, lower: boolean): Tensor {
  const fn = lower ? "tril" : "triu";
  if (x.ndim < 2) normDim(-2, x.ndim, fn); // PyTorch's "Dimension out of range" for a vector
  if (!Number.isInteger(diagonal)) throw new TypeError(`${fn}(): argument 'diagonal' must be int, not ${String(diagonal)}`);
  const mask = triangleMask(x.shape[x.ndim - 2], x.shape[x.ndim - 1], diagonal, lower);
  // NOTE: a where (not a multiply), so masked-out NaN/Infinity become 0, as in PyTorch.
  const out = where(mask, x, scalarTensor(0, x.dtype));
  return rename(out, lower ? "TrilBackward0" : "TriuBackward0");
}

export const tril = (x: Tensor, diagonal = 0): Tensor => triangle(x, diagonal, true);
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle(x, diagonal, false);

/** The layout of x's diagonal view: shape, strides and offset (the primitive's forward). */
export function diagonalView(x: Tensor, offset: number, d1: number, d2: number): Tensor {
  const len = Math.max(offset >= 0 ? Math.min(x.shape[d1], x.shape[d2] - offset) : Math.min(x.shape[d1] + offset, x.shape[d2]), 0);
  const keep = [...x.shape.keys()].filter((i) => i !== d1 && i !== d2);
  const start = len === 0 ? x.offset : x.offset + (offset >= 0 ? offset * x.strides[d2] : -offset * x.strides[d1]);
  return makeView(x, [...keep.map((i) => x.shape[i]), len], [...keep.map((i) => x.strides[i]), x.strides[d1] + x.strides[d2]], start);
}

/** torch.diagonal: a view of the diagonal of the (dim1, dim2) planes, appended as the last dim. */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  if (!Number.isInteger(offset)) throw new TypeError(`diagonal(): argument 'offset' must be int, not ${String(offset)}`);
  const d1 = normDim(dim1, x.ndim, "diagonal");
  const d2 = normDim(dim2, x.ndim, "diagonal");
  if (d1 === d2) throw new RangeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  return record("diagonal", [x], diagonalView(x, offset, d1, d2), { inShape: x.shape, offset, d1, d2 });
}

/** torch.diag: a 1-D input becomes a square matrix with it on diagonal `diagonal`; a 2-D input
 *  gives that diagonal (a copy). */
export function diag(x: Tensor, diagonalIndex = 0): Tensor {
  if (!Number.isInteger(diagonalIndex)) throw new TypeError(`diag(): argument 'diagonal' must be int, not ${String(diagonalIndex)}`);
  if (x.ndim === 2) return rename(diagonal(x, diagonalIndex, 0, 1).clone(), "DiagBackward0");
  if (x.ndim !== 1) throw new RangeError("matrix or a vector expected");
  const n = x.shape[0];
  const k = Math.abs(diagonalIndex);
  const m = n + k;
  // Every output element picks from [x..., 0]: x[i] on the diagonal, the appended 0 elsewhere, so
  // the gradient is a gather's (each x[i] gets the one output element it went to).
  const idx = Tensor.empty([m * m], "int64");
  idx.typedArray.fill(n);
  for (let i = 0; i < n; i++) {
    const [r, c] = diagonalIndex >= 0 ? [i, i + k] : [i + k, i];
    idx.typedArray[r * m + c] = i;
  }
  const padded = cat([x, Tensor.empty([1], x.dtype)]);
  return rename(reshape(indexSelect(padded, 0, idx), [m, m]), "DiagBackward0");
}

/** torch.trace: the sum of the main diagonal of a matrix (int64 for integer inputs). */
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new RangeError(`trace: expected a matrix, but got tensor with dim ${x.ndim}`);
  return rename(sum(diagonal(x), null), "TraceBackward0");
}
