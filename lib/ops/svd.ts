// torch.linalg.svdvals for small float32 / float64 matrices (and batches): one-sided Jacobi (Hestenes, linalg_kernels.ts) in
// float64, singular values in descending order. Its gradient, U diag(g) V^T, makes the nuclear
// norm (their sum) and the spectral norms (their max / min) plain compositions in norms.ts.
// NOTE: O(sweeps * n^2 * m) TypeScript loops, identical on both backends; for small matrices.
// ref: J. Demmel & K. Veselic, "Jacobi's method is more accurate than QR" (1992), one-sided
// Jacobi; PyTorch 1.13 derivatives.yaml (linalg_svdvals via svd_backward with gS only).
import { record } from "../autograd/node.js";
import { scalarTypeName } from "../dtype.js";
import { numelOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { jacobiTall } from "./linalg_kernels.js";

interface Svd {
  s: Float64Array; // k = min(m, n) values, descending
  u: Float64Array; // m x k, row-major (a zero column where s is 0)
  v: Float64Array; // n x k, row-major
}

/** Thin SVD of any m x n matrix (a wide one through its transpose). */
function svdOne(a: ArrayLike<number>, m: number, n: number): Svd {
  if (m >= n) return jacobiTall(a, m, n);
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  const r = jacobiTall(t, n, m);
  return { s: r.s, u: r.v, v: r.u }; // A^T = U' S V'^T, so A = V' S U'^T
}

/** Calls fn for each matrix of a [..., m, n] tensor. */
function eachSvd(a: Tensor, fn: (b: number, r: Svd) => void): void {
  const [m, n] = a.shape.slice(-2);
  const data = a.contiguous().storage();
  for (let b = 0; b < numelOf(a.shape.slice(0, -2)); b++) {
    const mat = data.subarray(b * m * n, (b + 1) * m * n);
    checkFinite(mat, a.ndim > 2, b);
    fn(b, svdOne(mat, m, n));
  }
}

/** PyTorch's gesdd check: NaN or infinity in a matrix is an error, not a NaN result. */
export function checkFinite(mat: ArrayLike<number>, batched: boolean, b: number): void {
  for (let i = 0; i < mat.length; i++) {
    if (!Number.isFinite(mat[i])) {
      throw new Error(`linalg.svd: ${batched ? `(Batch element ${b}): ` : ""}The algorithm failed to converge because the input matrix contained non-finite values.`);
    }
  }
}

/** torch.linalg.svdvals: [..., m, n] -> [..., min(m, n)], descending. */
export function svdvals(a: Tensor): Tensor {
  if (a.dtype !== "float32" && a.dtype !== "float64") throw new TypeError(`linalg.svd: Expected a floating point or complex tensor as input. Got ${scalarTypeName(a.dtype)}`);
  if (a.ndim < 2) throw new RangeError("linalg.svd: The input tensor A must have at least 2 dimensions.");
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const out = Tensor.empty([...a.shape.slice(0, -2), k], a.dtype);
  eachSvd(a, (b, r) => out.typedArray.set(r.s, b * k));
  return record("svdvals", [a], out);
}

/** The rule: d(sum_i g_i s_i) / dA = U diag(g) V^T. */
export function svdvalsBackward(g: Tensor, a: Tensor): Tensor {
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const gs = g.contiguous().storage();
  const out = Tensor.empty(a.shape, a.dtype);
  eachSvd(a, (b, r) => {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let t = 0; t < k; t++) acc += r.u[i * k + t] * gs[b * k + t] * r.v[j * k + t];
        out.typedArray[b * m * n + i * n + j] = acc;
      }
    }
  });
  return out;
}

/** U [..., m, k], S [..., k] and V [..., n, k] of the thin SVD as float32 tensors, unrecorded
 *  (the differentiable form of svdvals' rule needs the singular vectors). */
export function svdFactors(a: Tensor): { u: Tensor; s: Tensor; v: Tensor } {
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const batch = a.shape.slice(0, -2);
  const u = Tensor.empty([...batch, m, k], a.dtype);
  const s = Tensor.empty([...batch, k], a.dtype);
  const v = Tensor.empty([...batch, n, k], a.dtype);
  eachSvd(a, (b, r) => {
    u.typedArray.set(r.u, b * m * k);
    s.typedArray.set(r.s, b * k);
    v.typedArray.set(r.v, b * n * k);
  });
  return { u, s, v };
}
