// Vector and matrix norms: torch.norm, torch.linalg.vector_norm / matrix_norm / norm, as
// compositions of abs, pow, sum, amax/amin and sqrt. NOTE: the 2-norm and p-norms take the root
// through a "safe" branch, so their gradient at an all-zero input is 0 (PyTorch's masked rule)
// rather than 0 * Infinity = NaN; p = ±inf share the gradient evenly among tied extremes (amax's).
// The nuclear and spectral (ord ±2) matrix norms come from linalg.svdvals (ops/svd.ts).
// ref: PyTorch 1.13 docs of torch.norm, torch.linalg.vector_norm, matrix_norm, norm.
import { rename } from "../autograd/node.js";
import { isFloating, parseDType, scalarTypeName } from "../dtype.js";
import { normDim } from "../shape.js";
import { Tensor } from "../tensor.js";
import { cast, scalarTensor, where } from "./elementwise.js";
import { amax, amin, reduceDims, sum, type Dims } from "./reduce.js";
import { reshape } from "./views.js";
import { movedim } from "./split.js";
import { svdvals } from "./svd.js";

export type Ord = number | "fro" | "nuc";

export interface NormOptions {
  dtype?: string | null;
}

/** s ** (1 / p) with a zero gradient where s == 0 (where the plain root's would be Infinity * 0). */
function safeRoot(s: Tensor, p: number): Tensor {
  const zero = s.eq(0);
  const safe = where(zero, 1, s);
  const root = p === 2 ? safe.sqrt() : safe.pow(1 / p);
  return where(zero, 0, root);
}

function checkFloat(x: Tensor, fn: string, opts?: NormOptions): Tensor {
  if (opts?.dtype !== undefined && opts.dtype !== null) x = cast(x, parseDType(opts.dtype, fn));
  if (!isFloating(x.dtype)) {
    throw new TypeError(`${fn}: Expected a floating point or complex tensor as input. Got ${scalarTypeName(x.dtype)}`);
  }
  return x;
}

/** torch.linalg.vector_norm: (sum |x|^ord)^(1/ord) over dims (all when none), ord = ±inf, 0 too. */
export function vectorNorm(x: Tensor, ord: number = 2, dim: Dims = null, keepdim = false, opts?: NormOptions): Tensor {
  x = checkFloat(x, "linalg.vector_norm", opts);
  if (typeof ord !== "number") throw new TypeError(`linalg.vector_norm: ord must be a number, got ${String(ord)}`);
  const dims = reduceDims(x, dim, "linalg.vector_norm");
  const all = dim === null || dim === undefined;
  const a = x.abs();
  let out: Tensor;
  if (ord === Infinity || ord === -Infinity) {
    if (x.numel() === 0 && (all || dims.some((d) => x.shape[d] === 0))) {
      throw new RangeError(`linalg.vector_norm cannot compute the ${ord > 0 ? "inf" : "-inf"} norm on an empty tensor because the operation does not have an identity`);
    }
    out = ord > 0 ? amax(a, dims, keepdim) : amin(a, dims, keepdim);
  } else if (ord === 0) {
    // NOTE: plus a where-selected 0 from x, so backward works and x gets a zero gradient (PyTorch
    // leaves .grad None there).
    out = sum(cast(x.ne(0), "float32").add(where(scalarTensor(false, "bool"), x, 0)), dims, keepdim);
  } else if (ord === 1) {
    out = sum(a, dims, keepdim);
  } else if (ord === 2) {
    out = safeRoot(sum(x.mul(x), dims, keepdim), 2);
  } else {
    out = safeRoot(sum(a.pow(ord), dims, keepdim), ord);
  }
  return rename(out, "LinalgVectorNormBackward0");
}

function matrixDims(x: Tensor, dim: Dims, fn: string): [number, number] {
  const pair = dim === null || dim === undefined ? [-2, -1] : typeof dim === "number" ? [dim] : [...dim];
  if (pair.length !== 2) throw new RangeError(`${fn}: dim must be a 2-tuple. Got ${pair.join(" ")}`);
  if (x.ndim < 2) throw new RangeError(`${fn}: The input tensor A must have at least 2 dimensions.`);
  const [r, c] = pair.map((d) => normDim(d, x.ndim, fn));
  if (r === c) throw new RangeError(`${fn}: dims must be different. Got (${pair.join(", ")})`);
  return [r, c];
}

/** torch.linalg.matrix_norm: 'fro', or ord ±1 / ±inf (max / min absolute column / row sum). */
export function matrixNorm(x: Tensor, ord: Ord = "fro", dim: Dims = null, keepdim = false, opts?: NormOptions): Tensor {
  x = checkFloat(x, "linalg.matrix_norm", opts);
  const [r, c] = matrixDims(x, dim, "linalg.matrix_norm");
  if (ord === "fro") return vectorNorm(x, 2, [r, c], keepdim);
  if (ord === "nuc" || ord === 2 || ord === -2) {
    // From the singular values of each (r, c) plane: their sum, largest or smallest.
    const sv = svdvals(movedim(x, [r, c], [-2, -1]));
    const red = ord === "nuc" ? sum(sv, -1) : ord === 2 ? amax(sv, -1) : amin(sv, -1);
    const keep = x.shape.map((s, i) => (i === r || i === c ? 1 : s));
    return rename(keepdim ? reshape(red, keep) : red, "LinalgMatrixNormBackward0");
  }
  if (ord !== 1 && ord !== -1 && ord !== Infinity && ord !== -Infinity) {
    throw new RangeError(`linalg.matrix_norm: Order ${ord} not supported.`);
  }
  // ord ±1: sum over rows (dim r), extreme over columns; ord ±inf: the other way round.
  const [sumDim, maxDim] = Math.abs(ord) === 1 ? [r, c] : [c, r];
  const sums = sum(x.abs(), sumDim, true);
  const ext = ord > 0 ? amax(sums, maxDim, true) : amin(sums, maxDim, true);
  return rename(keepdim ? ext : reshape(ext, x.shape.filter((_, i) => i !== r && i !== c)), "LinalgMatrixNormBackward0");
}

/** torch.linalg.norm: a vector norm for a 1-D dim (or flattened x without ord), else a matrix norm. */
export function linalgNorm(x: Tensor, ord: Ord | null = null, dim: Dims = null, keepdim = false, opts?: NormOptions): Tensor {
  const dims = dim === null || dim === undefined ? null : typeof dim === "number" ? [dim] : [...dim];
  if (dims !== null && dims.length === 2) return matrixNorm(x, ord ?? "fro", dims, keepdim, opts);
  if (dims === null && ord !== null) {
    if (x.ndim === 2) return matrixNorm(x, ord, null, keepdim, opts);
    if (x.ndim !== 1) throw new RangeError(`linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${x.ndim}D.`);
  }
  if (typeof ord === "string") throw new RangeError(`linalg.norm: ord '${ord}' is a matrix norm: give a 2-tuple dim or a 2-D input`);
  return vectorNorm(x, ord ?? 2, dims, keepdim, opts);
}

/** torch.norm (the older API): p = 'fro' (default) or a number over dim (all when none); 'nuc'. */
export function norm(x: Tensor, p: Ord | null = "fro", dim: Dims = null, keepdim = false, opts?: NormOptions): Tensor {
  if (!isFloating(x.dtype) && (opts?.dtype === undefined || opts.dtype === null)) {
    throw new TypeError(`norm(): input dtype should be either floating point or complex. Got ${scalarTypeName(x.dtype)} instead.`);
  }
  const dims = dim === null || dim === undefined ? null : typeof dim === "number" ? [dim] : [...dim];
  if (p === "nuc") return matrixNorm(x, "nuc", dims, keepdim, opts);
  if (p === "fro" || p === null) {
    if (dims !== null && dims.length > 2) throw new RangeError(`norm: 'fro' takes at most 2 dims, got ${dims.length}`);
    return rename(vectorNorm(x, 2, dims, keepdim, opts), "NormBackward1");
  }
  if (typeof p !== "number") throw new RangeError(`norm: unsupported p ${String(p)}`);
  return rename(vectorNorm(x, p, dims, keepdim, opts), dims === null ? "NormBackward0" : "NormBackward1");
}
