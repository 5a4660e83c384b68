// Ops over neighbouring elements along one dim: Tensor.unfold (sliding windows) and torch.diff.
// NOTE: PyTorch's Tensor.unfold is a strided view; this one gathers the windows into a new tensor
// (the same values and gradient, but writes into it don't reach the input).
// ref: aten/src/ATen/native/TensorShape.cpp (unfold), ReduceOps.cpp (diff), PyTorch 1.13.
import { rename } from "../autograd/node.js";
import { Tensor } from "../tensor.js";
import { normDim } from "../shape.js";
import { arange } from "./creation.js";
import { binary, compare } from "./elementwise.js";
import { cat, indexSelect } from "./indexing.js";
import { movedim } from "./split.js";
import { reshape, slice } from "./views.js";

/** Windows of `size` elements every `step` along dim, as a new last dim: [.., n, ..] -> [.., w, .., size]. */
export function unfold(x: Tensor, dimension: number, size: number, step: number): Tensor {
  const d = normDim(dimension, x.ndim, "unfold");
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size is ${size} but must be >= 0`);
  if (size > n) throw new RangeError(`maximum size for tensor at dimension ${d} is ${n} but size is ${size}`);
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`step is ${step} but must be > 0`);
  if (x.ndim === 0) return rename(reshape(x, [1]), "UnfoldBackward0");
  const windows = Math.floor((n - size) / step) + 1;
  // Element j of window w is input position w * step + j.
  const starts = reshape(binary("mul", arange(windows, { dtype: "int64" }), step), [-1, 1]);
  const index = reshape(binary("add", starts, arange(size, { dtype: "int64" })), [-1]);
  const gathered = indexSelect(x, d, index);
  const split = reshape(gathered, [...x.shape.slice(0, d), windows, size, ...x.shape.slice(d + 1)]);
  return rename(movedim(split, d + 1, -1), "UnfoldBackward0");
}

export interface DiffOptions {
  n?: number;
  dim?: number;
  prepend?: Tensor | null;
  append?: Tensor | null;
}

function checkEnd(x: Tensor, end: Tensor, d: number): void {
  if (end.ndim !== x.ndim) throw new RangeError("diff expects prepend or append to be the same dimension as input");
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && end.shape[i] !== x.shape[i]) {
      throw new RangeError(
        `diff expects the shape of tensor to prepend or append to match that of input except along the differencing dimension; input.size(${i}) = ${x.shape[i]}, but got tensor.size(${i}) = ${end.shape[i]}`,
      );
    }
  }
}

/** The n-th forward difference along dim (x[i + 1] - x[i], or != for bools), after prepend/append. */
export function diff(x: Tensor, opts: DiffOptions = {}): Tensor {
  const { n = 1, dim = -1, prepend = null, append = null } = opts;
  if (x.ndim === 0) throw new RangeError("diff expects input to be at least one-dimensional");
  if (!Number.isInteger(n)) throw new TypeError(`diff(): argument 'n' must be int, not ${String(n)}`);
  const d = normDim(dim, x.ndim, "diff");
  let y = x;
  if (prepend != null) checkEnd(x, prepend, d);
  if (append != null) checkEnd(x, append, d);
  if (prepend != null || append != null) y = cat([prepend, y, append].filter((t): t is Tensor => t != null), d);
  for (let k = 0; k < n && y.shape[d] > 0; k++) {
    const len = y.shape[d];
    const [hi, lo] = [slice(y, d, 1, len), slice(y, d, 0, len - 1)];
    y = y.dtype === "bool" ? compare("ne", hi, lo) : binary("sub", hi, lo);
  }
  return y;
}
