// torch.linalg.svdvals for small float32 / float64 matrices (and batches): one-sided Jacobi (Hestenes) in
// float64, singular values in descending order. Its gradient, U diag(g) V^T, makes the nuclear
// norm (their sum) and the spectral norms (their max / min) plain compositions in norms.ts.
// NOTE: O(sweeps * n^2 * m) TypeScript loops, identical on both backends; for small matrices.
// ref: J. Demmel & K. Veselic, "Jacobi's method is more accurate than QR" (1992), one-sided
// Jacobi; PyTorch 1.13 derivatives.yaml (linalg_svdvals via svd_backward with gS only).
import { record } from "../autograd/node.js";
import { scalarTypeName } from "../dtype.js";
import { numelOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { rangeScale } from "./linalg_kernels.js";

interface Svd {
  s: Float64Array; // k = min(m, n) values, descending
  u: Float64Array; // m x k, row-major (a zero column where s is 0)
  v: Float64Array; // n x k, row-major
}

/** Thin SVD of one m x n row-major matrix with m >= n. */
function jacobiTall(a: ArrayLike<number>, m: number, n: number): Svd {
  const scale = rangeScale(a); // sums of squares stay in range for |a| near 1e±300
  const w = Float64Array.from(a, (x) => x * scale); // columns rotate in place: W = A V
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p], y = w[i * n + q];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        // NOTE: columns orthogonal to ~1e-14 relative count as done: float64 rounding can keep
        // tighter targets rotating for ever, and the float32 result is settled long before.
        if (gamma === 0 || Math.abs(gamma) <= 1e-14 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p], y = w[i * n + q];
          w[i * n + p] = c * x - s * y;
          w[i * n + q] = s * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = v[i * n + p], y = v[i * n + q];
          v[i * n + p] = c * x - s * y;
          v[i * n + q] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let acc = 0;
    for (let i = 0; i < m; i++) acc += w[i * n + j] ** 2;
    return Math.sqrt(acc);
  });
  const order = [...norms.keys()].sort((i, j) => norms[j] - norms[i]);
  const out: Svd = { s: new Float64Array(n), u: new Float64Array(m * n), v: new Float64Array(n * n) };
  order.forEach((j, k) => {
    out.s[k] = norms[j] / scale;
    for (let i = 0; i < m; i++) out.u[i * n + k] = norms[j] === 0 ? 0 : w[i * n + j] / norms[j];
    for (let i = 0; i < n; i++) out.v[i * n + k] = v[i * n + j];
  });
  return out;
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
