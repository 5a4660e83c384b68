// Dense linear-algebra kernels on one matrix at a time, in float64, row-major, plain TypeScript:
// Cholesky, Householder QR (LAPACK geqrf/orgqr's reflector convention, so R's diagonal has geqrf's
// signs), cyclic Jacobi for symmetric eigenproblems, one-sided Jacobi SVD with orthonormal
// completion (full_matrices, zero singular values), triangular solves, and LU with partial pivoting
// of rectangular matrices (getrf's row choice and 1-based pivots). The ops in linalg_decomp.ts,
// linalg_solvers.ts, linalg_misc.ts and linalg_householder.ts call these per batch element and wrap the results in tensors with their gradient rules.
// NOTE: O(n^3) loops identical on both backends, meant for the small matrices models use.
// ref: Golub & Van Loan, Matrix Computations (4th ed.): 4.2 (Cholesky), 5.1-5.2 (Householder QR),
// 8.5 (Jacobi), 8.6.3 (one-sided Jacobi SVD), 3.1 (triangular systems), 3.4 (pivoted LU);
// LAPACK dlarfg for the reflector's sign.

/** Lower Cholesky factor of the symmetric matrix whose lower triangle is a's (n x n); info is the
 *  order of the first leading minor that is not positive-definite (0 when it succeeded). */
export function cholesky(a: ArrayLike<number>, n: number): { l: Float64Array; info: number } {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (d <= 0) {
      // NOTE: NaN goes on (OpenBLAS's potf2, as PyTorch's CPU build, gives NaN, no error). On
      // failure the matrix is left as potf2 leaves it: column j's diagonal is d, the entries below
      // and the later columns keep A's values (what cholesky_ex returns).
      l[j * n + j] = d;
      for (let c = j; c < n; c++) for (let i = c + 1; i < n; i++) l[i * n + c] = a[i * n + c];
      for (let c = j + 1; c < n; c++) l[c * n + c] = a[c * n + c];
      return { l, info: j + 1 };
    }
    const djj = Math.sqrt(d);
    l[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / djj;
    }
  }
  return { l, info: 0 };
}

export interface Householder {
  /** m x n: R on and above the diagonal, the reflectors' tails below it (v[0] = 1 implied). */
  qr: Float64Array;
  /** k = min(m, n) reflector scales: H_i = I - tau_i v_i v_i^T. */
  tau: Float64Array;
}

/** geqrf: A = H_0 H_1 ... H_{k-1} R, each reflector chosen as LAPACK's dlarfg chooses it
 *  (beta = -sign(alpha) ||x||, no reflection when the column below the diagonal is zero). */
export function householderQr(a: ArrayLike<number>, m: number, n: number): Householder {
  const qr = Float64Array.from(a);
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let xnorm = 0;
    for (let r = i + 1; r < m; r++) xnorm = Math.hypot(xnorm, qr[r * n + i]);
    if (xnorm === 0) continue; // tau = 0: H = I
    const alpha = qr[i * n + i];
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    tau[i] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let r = i + 1; r < m; r++) qr[r * n + i] *= scale;
    qr[i * n + i] = beta;
    // A[i:, i+1:] -= tau v (v^T A[i:, i+1:])
    for (let c = i + 1; c < n; c++) {
      let dot = qr[i * n + c];
      for (let r = i + 1; r < m; r++) dot += qr[r * n + i] * qr[r * n + c];
      dot *= tau[i];
      qr[i * n + c] -= dot;
      for (let r = i + 1; r < m; r++) qr[r * n + c] -= dot * qr[r * n + i];
    }
  }
  return { qr, tau };
}

/** orgqr: the first `cols` columns of Q = H_0 ... H_{k-1} (m x cols, row-major). */
export function householderQ(h: Householder, m: number, n: number, cols: number): Float64Array {
  const q = new Float64Array(m * cols);
  for (let i = 0; i < Math.min(m, cols); i++) q[i * cols + i] = 1;
  for (let i = h.tau.length - 1; i >= 0; i--) {
    const t = h.tau[i];
    if (t === 0) continue;
    for (let c = 0; c < cols; c++) {
      let dot = q[i * cols + c];
      for (let r = i + 1; r < m; r++) dot += h.qr[r * n + i] * q[r * cols + c];
      dot *= t;
      q[i * cols + c] -= dot;
      for (let r = i + 1; r < m; r++) q[r * cols + c] -= dot * h.qr[r * n + i];
    }
  }
  return q;
}

/** A power of two that brings max |a| near 1 when it is far outside [1e-150, 1e150] (sums of
 *  squares would overflow or underflow), else 1; exact, so results in range are unchanged. */
export function rangeScale(a: ArrayLike<number>): number {
  let mx = 0;
  for (let i = 0; i < a.length; i++) mx = Math.max(mx, Math.abs(a[i]));
  if (!(mx > 0) || !Number.isFinite(mx) || (mx >= 1e-150 && mx <= 1e150)) return 1;
  return 2 ** -Math.floor(Math.log2(mx));
}

/** Eigenvalues (ascending) and orthonormal eigenvectors (columns of v, n x n) of the symmetric
 *  matrix a (read whole: the caller symmetrises from the triangle it uses), by cyclic Jacobi. */
export function symmetricEigen(a: ArrayLike<number>, n: number): { w: Float64Array; v: Float64Array } {
  const scale = rangeScale(a);
  const s = Float64Array.from(a, (x) => x * scale);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += s[i] * s[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += s[p * n + q] * s[p * n + q];
    if (off === 0 || off <= 1e-32 * total) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q];
        if (apq === 0) continue;
        const theta = (s[q * n + q] - s[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = t * c;
        // S <- J^T S J with J the rotation in the (p, q) plane.
        for (let k = 0; k < n; k++) {
          const skp = s[k * n + p], skq = s[k * n + q];
          s[k * n + p] = c * skp - sn * skq;
          s[k * n + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < n; k++) {
          const spk = s[p * n + k], sqk = s[q * n + k];
          s[p * n + k] = c * spk - sn * sqk;
          s[q * n + k] = sn * spk + c * sqk;
        }
        s[p * n + q] = s[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => s[i * n + i] - s[j * n + j]);
  const w = new Float64Array(n);
  const vs = new Float64Array(n * n);
  order.forEach((j, k) => {
    w[k] = s[j * n + j] / scale;
    for (let i = 0; i < n; i++) vs[i * n + k] = v[i * n + j];
  });
  return { w, v: vs };
}

/** Fills the columns of q (m x cols, row-major) not flagged in `have` with orthonormal vectors
 *  orthogonal to the flagged ones: the trailing columns of the complete Householder Q of the
 *  flagged columns (O(m^2 cols), so a tall full_matrices SVD stays cheap). */
function completeBasis(q: Float64Array, m: number, cols: number, have: boolean[]): void {
  const kept = have.map((h, c) => (h ? c : -1)).filter((c) => c >= 0);
  const h = kept.length;
  if (h === cols) return;
  const x = new Float64Array(m * Math.max(h, 1));
  for (let i = 0; i < m; i++) kept.forEach((c, j) => (x[i * h + j] = q[i * cols + c]));
  const full = h === 0 ? null : householderQ(householderQr(x, m, h), m, h, m);
  let next = h;
  for (let c = 0; c < cols; c++) {
    if (have[c]) continue;
    for (let i = 0; i < m; i++) q[i * cols + c] = full === null ? (i === next - h ? 1 : 0) : full[i * m + next];
    next++;
  }
}

export interface SvdResult {
  /** m x uc (uc = k, or m when full), row-major. */
  u: Float64Array;
  /** k = min(m, n), descending. */
  s: Float64Array;
  /** n x vc (vc = k, or n when full): A = U diag(S) V^T. */
  v: Float64Array;
}

/** Thin SVD of an m x n matrix with m >= n by one-sided Jacobi: U m x n, V n x n; `have` marks
 *  the columns of U that are set (a zero singular value leaves its column zero). */
export function jacobiTall(a: ArrayLike<number>, m: number, n: number): { u: Float64Array; s: Float64Array; v: Float64Array; have: boolean[] } {
  const scale = rangeScale(a);
  const w = Float64Array.from(a, (x) => x * scale);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 80; sweep++) {
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
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
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
  const u = new Float64Array(m * n);
  const s = new Float64Array(n);
  const vs = new Float64Array(n * n);
  const have: boolean[] = [];
  const tiny = (norms[order[0]] ?? 0) * 1e-300;
  order.forEach((j, k) => {
    s[k] = norms[j] / scale;
    have[k] = norms[j] > tiny && norms[j] > 0;
    for (let i = 0; i < m; i++) u[i * n + k] = have[k] ? w[i * n + j] / norms[j] : 0;
    for (let i = 0; i < n; i++) vs[i * n + k] = v[i * n + j];
  });
  return { u, s, v: vs, have };
}

/** Widens an m x c row-major matrix to m x c2 columns (zeros on the right). */
function widen(x: Float64Array, m: number, c: number, c2: number): Float64Array {
  if (c === c2) return x;
  const out = new Float64Array(m * c2);
  for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) out[i * c2 + j] = x[i * c + j];
  return out;
}

/** SVD of an m x n matrix: U and V have orthonormal columns (completed where S is zero), k or
 *  (full) m and n of them. */
export function svd(a: ArrayLike<number>, m: number, n: number, full: boolean): SvdResult {
  let u: Float64Array, s: Float64Array, v: Float64Array;
  if (m >= n) {
    const r = jacobiTall(a, m, n);
    const uc = full ? m : n;
    u = widen(r.u, m, n, uc);
    const have = [...r.have, ...Array<boolean>(uc - n).fill(false)];
    completeBasis(u, m, uc, have);
    s = r.s;
    v = r.v;
  } else {
    const t = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
    const r = jacobiTall(t, n, m); // A^T = U' S V'^T: A = V' S U'^T
    const vc = full ? n : m;
    v = widen(r.u, n, m, vc);
    const have = [...r.have, ...Array<boolean>(vc - m).fill(false)];
    completeBasis(v, n, vc, have);
    s = r.s;
    u = r.v;
  }
  return { u, s, v };
}

/** Solves op(A) X = B (left) or X op(A) = B (right) for triangular n x n A and B of rows x cols;
 *  upper says which triangle of A is read, unit takes its diagonal as ones. */
export function triangularSolve(
  a: ArrayLike<number>, n: number, b: ArrayLike<number>, rows: number, cols: number,
  upper: boolean, left: boolean, unit: boolean,
): Float64Array {
  const x = Float64Array.from(b);
  if (left) {
    // A X = B, X is n x cols.
    const order = upper ? Array.from({ length: n }, (_, i) => n - 1 - i) : Array.from({ length: n }, (_, i) => i);
    for (const i of order) {
      const lo = upper ? i + 1 : 0, hi = upper ? n : i;
      for (let r = lo; r < hi; r++) {
        const aij = a[i * n + r];
        if (aij !== 0) for (let j = 0; j < cols; j++) x[i * cols + j] -= aij * x[r * cols + j];
      }
      if (!unit) {
        const d = a[i * n + i];
        for (let j = 0; j < cols; j++) x[i * cols + j] /= d;
      }
    }
  } else {
    // X A = B, X is rows x n: column j of X from the columns already solved.
    const order = upper ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: n }, (_, i) => n - 1 - i);
    for (const j of order) {
      const lo = upper ? 0 : j + 1, hi = upper ? j : n;
      for (let r = lo; r < hi; r++) {
        const arj = a[r * n + j];
        if (arj !== 0) for (let i = 0; i < rows; i++) x[i * n + j] -= x[i * n + r] * arj;
      }
      if (!unit) {
        const d = a[j * n + j];
        for (let i = 0; i < rows; i++) x[i * n + j] /= d;
      }
    }
  }
  return x;
}

export interface LuResult {
  /** m x n: L's multipliers below the diagonal (unit diagonal implied), U on and above. */
  lu: Float64Array;
  /** k = min(m, n) 1-based row swaps: row i was exchanged with row piv[i] - 1 (LAPACK's ipiv). */
  piv: Int32Array;
  /** 1-based index of the first exactly-zero pivot, 0 when none (LAPACK's info). */
  info: number;
}

/** getrf: partial pivoting on an m x n matrix, the largest |pivot| (first one on ties). With
 *  pivot false, no row exchanges (piv is 1..k). */
export function luFactor(a: ArrayLike<number>, m: number, n: number, pivot = true): LuResult {
  const lu = Float64Array.from(a);
  const k = Math.min(m, n);
  const piv = new Int32Array(k);
  let info = 0;
  for (let c = 0; c < k; c++) {
    let p = c;
    if (pivot) for (let r = c + 1; r < m; r++) if (Math.abs(lu[r * n + c]) > Math.abs(lu[p * n + c])) p = r;
    piv[c] = p + 1;
    if (p !== c) for (let j = 0; j < n; j++) [lu[c * n + j], lu[p * n + j]] = [lu[p * n + j], lu[c * n + j]];
    const d = lu[c * n + c];
    if (d === 0) {
      if (info === 0) info = c + 1;
      if (pivot) continue;
    }
    for (let r = c + 1; r < m; r++) {
      const f = (lu[r * n + c] /= d);
      if (f !== 0) for (let j = c + 1; j < n; j++) lu[r * n + j] -= f * lu[c * n + j];
    }
  }
  return { lu, piv, info };
}

/** The row permutation of 1-based LAPACK pivots: row i of P^T A is row perm[i] of A. */
export function pivotsToPermutation(piv: ArrayLike<number>, m: number): Int32Array {
  const perm = Int32Array.from({ length: m }, (_, i) => i);
  for (let i = 0; i < piv.length; i++) {
    const p = piv[i] - 1;
    if (p !== i) [perm[i], perm[p]] = [perm[p], perm[i]];
  }
  return perm;
}
