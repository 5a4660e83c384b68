// Matrix decompositions of torch.linalg, each one autograd Function over the kernels of
// linalg_kernels.ts (float64 inside, results in the input's dtype, batched over leading dims):
// cholesky (upper), qr (reduced / complete / r), eigh and eigvalsh (UPLO), svd (full_matrices;
// U, S, Vh), lu_factor(_ex) (LU, int32 pivots), lu (P, L, U) and lu_unpack, cholesky_ex; plus the
// older torch.* forms torch.cholesky, torch.qr, torch.symeig, torch.svd (V instead of Vh,
// compute_uv) and torch.lu.
// Gradients are PyTorch 1.13's rules written with recorded ops (so they differentiate again):
// cholesky_backward, linalg_qr_backward, linalg_eig_backward (hermitian), svd_backward and
// linalg_lu_backward of torch/csrc/autograd/FunctionsManual.cpp.
// NOTE: eigenvector and singular vector signs come from Jacobi rotations, not LAPACK's syevd /
// gesdd, so a column may have the opposite sign of PyTorch's (the decomposition is as valid).
// ref: PyTorch 1.13 docs of torch.linalg.*, aten/src/ATen/native/BatchLinearAlgebra.cpp.
import type { FunctionCtx } from "../autograd/function.js";
import { Function } from "../autograd/function.js";
import { rename } from "../autograd/node.js";
import { svdBackward } from "../autograd/double_backward_ops.js";
import { checkFinite } from "./svd.js";
import { warnOnce } from "../optim/args.js";
import { Tensor } from "../tensor.js";
import { cat } from "./indexing.js";
import { zeros } from "./creation.js";
import { solveTriangular } from "./linalg_solvers.js";
import { batchPrefix, checkFloat, checkKernelDtype, checkMatrix, checkSquare, emptyOf, identityLike, keywords, lazyFunction, matrices, matrixAt } from "./linalg_common.js";
import * as K from "./linalg_kernels.js";

type Tuple<N extends string> = Tensor[] & { [k in N]: Tensor };

/** An array of tensors that also has PyTorch's named fields (torch.return_types). */
function named<N extends string>(names: readonly N[], values: Tensor[]): Tuple<N> {
  const r = values as Tuple<N>;
  names.forEach((n, i) => Object.defineProperty(r, n, { value: values[i], enumerable: false }));
  return r;
}

function transposeSquare(m: ArrayLike<number>, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j];
  return t;
}

// ---- Cholesky ----

/** cholesky_backward: gA = sym(L^-H Φ(L^H gL) L^-1), Φ = lower triangle with half its diagonal. */
function choleskyBackward(g: Tensor, out: Tensor, upper: boolean): Tensor {
  const l = upper ? out.mT : out;
  const gl = upper ? g.mT : g;
  const x = l.mT.matmul(gl);
  const phi = x.tril().add(x.tril(-1)).mul(0.5);
  const y = solveTriangular(l.mT, phi, { upper: true });
  const ga = solveTriangular(l, y, { upper: false, left: false });
  return ga.add(ga.mT).mul(0.5);
}

const choleskyFn = lazyFunction(() => class LinalgCholeskyEx extends Function {
  static override gradFnName = "LinalgCholeskyExBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor, upper: boolean, fn: string, check: boolean): Tensor[] {
    const { data, count, n } = matrices(a);
    const out = emptyOf(a.shape, a.dtype);
    const infos = emptyOf(a.shape.slice(0, -2), "int32");
    for (let b = 0; b < count; b++) {
      let m = matrixAt(data, b, n * n);
      if (upper) m = transposeSquare(m, n);
      const { l, info } = K.cholesky(m, n);
      (infos.typedArray as Int32Array)[b] = info;
      if (info && check) {
        throw new Error(
          `${fn}: ${batchPrefix(a, b)}The factorization could not be completed because the input is not positive-definite (the leading minor of order ${info} is not positive-definite).`,
        );
      }
      (out.typedArray as Float64Array).set(upper ? transposeSquare(l, n) : l, b * n * n);
    }
    ctx.upper = upper;
    ctx.saveForBackward(out);
    ctx.markNonDifferentiable(infos);
    return [out, infos];
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [out] = ctx.savedTensors as Tensor[];
    return [choleskyBackward(g, out, ctx.upper as boolean), null, null, null];
  }
});

export interface CholeskyOptions {
  upper?: boolean;
}

/** torch.linalg.cholesky(A, { upper = false }): L with A = L L^H (reads A's lower triangle), or
 *  U = L^H (reading the upper one). */
export function cholesky(a: Tensor, opts: CholeskyOptions = {}): Tensor {
  opts = keywords("linalg_cholesky", opts, ["upper"]);
  if (a instanceof Tensor && (a.dtype === "float16" || a.dtype === "bfloat16")) checkKernelDtype(a, "cholesky_cpu");
  checkFloat(a, "linalg.cholesky");
  checkSquare(a, "linalg.cholesky");
  return (choleskyFn().apply(a, opts.upper ?? false, "linalg.cholesky", true) as Tensor[])[0];
}

export interface CholeskyExOptions {
  upper?: boolean;
  checkErrors?: boolean;
}

/** torch.linalg.cholesky_ex(A, { upper = false, check_errors = false }): [L, info] (info int32: 0,
 *  or the order of the leading minor that is not positive-definite, where L holds the partial
 *  factorization as LAPACK leaves it). */
export function choleskyEx(a: Tensor, opts: CholeskyExOptions = {}): Tuple<"L" | "info"> {
  opts = keywords("linalg_cholesky_ex", opts, ["upper", "checkErrors"]);
  checkFloat(a, "linalg.cholesky_ex");
  checkSquare(a, "linalg.cholesky_ex");
  return named(["L", "info"], choleskyFn().apply(a, opts.upper ?? false, "linalg.cholesky_ex", opts.checkErrors ?? false) as Tensor[]);
}

/** torch.cholesky(A, upper = false), deprecated: the same factor, grad_fn CholeskyBackward0. */
export function choleskyLegacy(a: Tensor, upper = false): Tensor {
  warnOnce(
    "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch release.\n" +
      "L = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\n" +
      "should be replaced with\nU = torch.linalg.cholesky(A).mH().\n" +
      "This transform will produce equivalent results for all valid (symmetric positive definite) inputs.",
  );
  checkKernelDtype(a, "cholesky_cpu");
  checkSquare(a, "cholesky");
  return rename((choleskyFn().apply(a, upper, "cholesky", true) as Tensor[])[0], "CholeskyBackward0");
}

// ---- QR ----

/** linalg_qr_backward for m >= n (Q m x n, R n x n): gA = Q (gR + tril(Q^T gQ - gQ^T Q + R gR^T
 *  - gR R^T) R^-T) + (gQ - Q Q^T gQ) R^-T. */
function qrBackwardDeep(q: Tensor, r: Tensor, gq: Tensor, gr: Tensor): Tensor {
  const qdq = q.mT.matmul(gq);
  const rdr = r.matmul(gr.mT);
  const low = qdq.sub(qdq.mT).add(rdr.sub(rdr.mT)).tril();
  const rinvT = (x: Tensor) => solveTriangular(r.mT, x, { upper: false, left: false }); // x R^-T
  const ga = q.matmul(gr.add(rinvT(low)));
  const gb = rinvT(gq.sub(q.matmul(qdq)));
  return ga.add(gb);
}

const qrFn = lazyFunction(() => class LinalgQr extends Function {
  static override gradFnName = "LinalgQrBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor, mode: "reduced" | "complete" | "r"): Tensor[] {
    const { data, count, m, n } = matrices(a);
    const k = Math.min(m, n);
    const qc = mode === "complete" ? m : k;
    const rr = mode === "complete" ? m : k;
    const batch = a.shape.slice(0, -2);
    const q = mode === "r" ? emptyOf([0], a.dtype) : emptyOf([...batch, m, qc], a.dtype);
    const r = emptyOf([...batch, rr, n], a.dtype);
    for (let b = 0; b < count; b++) {
      const h = K.householderQr(matrixAt(data, b, m * n), m, n);
      const rm = new Float64Array(rr * n);
      for (let i = 0; i < Math.min(rr, m); i++) for (let j = i; j < n; j++) rm[i * n + j] = h.qr[i * n + j];
      (r.typedArray as Float64Array).set(rm, b * rr * n);
      if (mode !== "r") (q.typedArray as Float64Array).set(K.householderQ(h, m, n, qc), b * m * qc);
    }
    ctx.mode = mode;
    ctx.saveForBackward(a, q, r);
    return [q, r];
  }
  static override backward(ctx: FunctionCtx, gq: Tensor, gr: Tensor): (Tensor | null)[] {
    const [a, q, r] = ctx.savedTensors as Tensor[];
    const mode = ctx.mode as string;
    const [m, n] = a.shape.slice(-2);
    if (mode === "r") {
      throw new Error("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.");
    }
    if (mode === "complete" && m > n) throw new Error("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
    if (m >= n) return [qrBackwardDeep(q, r, gq, gr), null];
    // Wide: A = [X | Y], R = [U | V]: X = Q U is square, Y = Q V.
    const y = a.narrow(-1, m, n - m);
    const u = r.narrow(-1, 0, m);
    const dv = gr.narrow(-1, m, n - m);
    const dx = qrBackwardDeep(q, u, gq.add(y.matmul(dv.mT)), gr.narrow(-1, 0, m));
    return [cat([dx, q.matmul(dv)], -1), null];
  }
});

/** torch.linalg.qr(A, mode = 'reduced'): [Q, R] by Householder reflections (R's diagonal signs
 *  as LAPACK's geqrf gives them); mode 'complete' gives the m x m Q, 'r' an empty Q. */
export function qr(a: Tensor, mode: "reduced" | "complete" | "r" | { mode?: string } = "reduced"): Tuple<"Q" | "R"> {
  const md = typeof mode === "object" && mode !== null ? (keywords("linalg_qr", mode, ["mode"]).mode ?? "reduced") : mode;
  checkFloat(a, "linalg.qr");
  checkMatrix(a, "linalg.qr");
  if (md !== "reduced" && md !== "complete" && md !== "r") {
    throw new RangeError(`qr received unrecognized mode '${md}' but expected one of 'reduced' (default), 'r', or 'complete'`);
  }
  return named(["Q", "R"], qrFn().apply(a, md) as Tensor[]);
}

/** torch.qr(A, some = true), deprecated: linalg.qr with mode 'reduced' or 'complete'. */
export function qrLegacy(a: Tensor, some = true): Tuple<"Q" | "R"> {
  warnOnce(
    "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\n" +
      "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\n" +
      "should be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')",
  );
  return qr(a, some ? "reduced" : "complete");
}

// ---- eigh ----

/** linalg_eig_backward for Hermitian A = V diag(w) V^H: gA = V (skew(V^H gV) / 2E + diag(gw)) V^H,
 *  E[i][j] = w[j] - w[i]. */
function eighBackward(gw: Tensor | null, gv: Tensor | null, w: Tensor, v: Tensor): Tensor {
  const n = w.shape[w.ndim - 1];
  const eyeN = identityLike(w, n);
  let inner: Tensor | null = null;
  if (gv !== null) {
    const x = v.mT.matmul(gv);
    const e = w.unsqueeze(-2).sub(w.unsqueeze(-1)).add(eyeN); // 1 on the diagonal (w_i - w_i = 0)
    inner = x.sub(x.mT).mul(0.5).div(e);
  }
  if (gw !== null) {
    const d = gw.unsqueeze(-2).mul(eyeN);
    inner = inner === null ? d : inner.add(d);
  }
  if (inner === null) return zeros([...v.shape], { dtype: v.dtype });
  return v.matmul(inner).matmul(v.mT);
}

const eighFn = lazyFunction(() => class LinalgEigh extends Function {
  static override gradFnName = "LinalgEighBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor, lower: boolean): Tensor[] {
    const { data, count, n } = matrices(a);
    const batch = a.shape.slice(0, -2);
    const w = emptyOf([...batch, n], a.dtype);
    const v = emptyOf([...batch, n, n], a.dtype);
    const sym = new Float64Array(n * n);
    for (let b = 0; b < count; b++) {
      const m = matrixAt(data, b, n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const [r, c] = (lower ? i >= j : i <= j) ? [i, j] : [j, i];
          sym[i * n + j] = m[r * n + c];
        }
      }
      const res = K.symmetricEigen(sym, n);
      (w.typedArray as Float64Array).set(res.w, b * n);
      (v.typedArray as Float64Array).set(res.v, b * n * n);
    }
    ctx.saveForBackward(w, v);
    ctx.setMaterializeGrads(false);
    return [w, v];
  }
  static override backward(ctx: FunctionCtx, gw: Tensor | null, gv: Tensor | null): (Tensor | null)[] {
    const [w, v] = ctx.savedTensors as Tensor[];
    return [eighBackward(gw, gv, w, v), null];
  }
});

function uploArg(uplo: unknown): boolean {
  const u = typeof uplo === "object" && uplo !== null ? (keywords("linalg_eigh", uplo as { UPLO?: string }, ["UPLO"]).UPLO ?? "L") : (uplo ?? "L");
  if (u !== "L" && u !== "U" && u !== "l" && u !== "u") throw new RangeError(`Expected UPLO argument to be 'L' or 'U', but got ${String(u)}`);
  return u === "L" || u === "l";
}

/** torch.linalg.eigh(A, UPLO = 'L'): [eigenvalues (ascending), eigenvectors (columns)] of the
 *  symmetric matrix given by A's lower (or upper) triangle. */
export function eigh(a: Tensor, uplo: "L" | "U" | { UPLO?: "L" | "U" } = "L"): Tuple<"eigenvalues" | "eigenvectors"> {
  const lower = uploArg(uplo);
  checkKernelDtype(a, "linalg_eigh_cpu");
  checkSquare(a, "linalg.eigh");
  return named(["eigenvalues", "eigenvectors"], eighFn().apply(a, lower) as Tensor[]);
}

/** torch.linalg.eigvalsh(A, UPLO = 'L'): the eigenvalues of eigh, ascending. */
export function eigvalsh(a: Tensor, uplo: "L" | "U" | { UPLO?: "L" | "U" } = "L"): Tensor {
  const lower = uploArg(uplo);
  checkKernelDtype(a, "linalg_eigh_cpu");
  checkSquare(a, "linalg.eigh");
  return (eighFn().apply(a, lower) as Tensor[])[0];
}

/** torch.symeig(A, eigenvectors = false, upper = true), deprecated: [eigenvalues, eigenvectors]
 *  from the upper (default) or lower triangle; eigenvectors is an empty tensor unless asked for. */
export function symeig(a: Tensor, eigenvectors = false, upper = true): Tuple<"eigenvalues" | "eigenvectors"> {
  warnOnce(
    "torch.symeig is deprecated in favor of torch.linalg.eigh and will be removed in a future PyTorch release.\n" +
      "The default behavior has changed from using the upper triangular portion of the matrix by default to using the lower triangular portion.\n" +
      "L, _ = torch.symeig(A, upper=upper)\nshould be replaced with\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\nand\n" +
      "L, V = torch.symeig(A, eigenvectors=True)\nshould be replaced with\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')",
  );
  checkKernelDtype(a, "symeig_cpu");
  checkSquare(a, "linalg.symeig");
  const [w, v] = eighFn().apply(a, !upper) as Tensor[];
  const vecs = eigenvectors ? v : emptyOf([0], a.dtype);
  return named(["eigenvalues", "eigenvectors"], [rename(w, "SymeigBackward0"), vecs]);
}

// ---- SVD ----

const svdFullFn = lazyFunction(() => class LinalgSvd extends Function {
  static override gradFnName = "LinalgSvdBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor, full: boolean): Tensor[] {
    const { data, count, m, n } = matrices(a);
    const k = Math.min(m, n);
    const uc = full ? m : k;
    const vc = full ? n : k;
    const batch = a.shape.slice(0, -2);
    const u = emptyOf([...batch, m, uc], a.dtype);
    const s = emptyOf([...batch, k], a.dtype);
    const vh = emptyOf([...batch, vc, n], a.dtype);
    for (let b = 0; b < count; b++) {
      checkFinite(matrixAt(data, b, m * n), a.ndim > 2, b);
      const r = K.svd(matrixAt(data, b, m * n), m, n, full);
      (u.typedArray as Float64Array).set(r.u, b * m * uc);
      (s.typedArray as Float64Array).set(r.s, b * k);
      const vt = new Float64Array(vc * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < vc; j++) vt[j * n + i] = r.v[i * vc + j];
      (vh.typedArray as Float64Array).set(vt, b * vc * n);
    }
    ctx.k = k;
    ctx.saveForBackward(u, s, vh);
    ctx.setMaterializeGrads(false);
    return [u, s, vh];
  }
  static override backward(ctx: FunctionCtx, gu: Tensor | null, gs: Tensor | null, gvh: Tensor | null): (Tensor | null)[] {
    const [u, s, vh] = ctx.savedTensors as Tensor[];
    const k = ctx.k as number;
    const m = u.shape[u.ndim - 2];
    const n = vh.shape[vh.ndim - 1];
    if (gu === null && gs === null && gvh === null) return [zeros([...u.shape.slice(0, -2), m, n], { dtype: u.dtype }), null];
    // full_matrices: only the first k singular vectors enter A = U_k diag(S) Vh_k.
    const uk = u.narrow(-1, 0, k);
    const vk = vh.narrow(-2, 0, k).mT;
    const guk = gu === null ? null : gu.narrow(-1, 0, k);
    const gvk = gvh === null ? null : gvh.narrow(-2, 0, k).mT;
    if (guk === null && gvk === null) return [uk.mul(gs!.unsqueeze(-2)).matmul(vk.mT), null];
    return [svdBackward(guk, gs, gvk, uk, s, vk), null];
  }
});

/** torch.linalg.svd(A, full_matrices = true): [U, S, Vh] with A = U diag(S) Vh, S descending. */
export function svd(a: Tensor, fullMatrices: boolean | { fullMatrices?: boolean } = true): Tuple<"U" | "S" | "Vh"> {
  const full = typeof fullMatrices === "object" && fullMatrices !== null ? (keywords("linalg_svd", fullMatrices, ["fullMatrices"]).fullMatrices ?? true) : fullMatrices;
  checkFloat(a, "linalg.svd");
  checkMatrix(a, "linalg.svd");
  return named(["U", "S", "Vh"], svdFullFn().apply(a, full) as Tensor[]);
}

/** torch.svd(A, some = true, compute_uv = true): [U, S, V] (V, not Vh); without compute_uv, U and
 *  V are zero matrices of m x m and n x n as in PyTorch. */
export function svdLegacy(a: Tensor, some = true, computeUv = true): Tuple<"U" | "S" | "V"> {
  checkFloat(a, "linalg.svd");
  checkMatrix(a, "linalg.svd");
  if (!computeUv) {
    const [m, n] = a.shape.slice(-2);
    const batch = a.shape.slice(0, -2);
    const s = (svdFullFn().apply(a, false) as Tensor[])[1];
    return named(["U", "S", "V"], [zeros([...batch, m, m], { dtype: a.dtype }), s, zeros([...batch, n, n], { dtype: a.dtype })]);
  }
  const [u, s, vh] = svdFullFn().apply(a, !some) as Tensor[];
  return named(["U", "S", "V"], [u, s, vh.mT]);
}

// ---- LU ----

/** linalg_lu_backward for A = P L U (square, wide and tall cases). */
export function luBackward(gl: Tensor | null, gu: Tensor | null, p: Tensor, l: Tensor, u: Tensor): Tensor {
  const m = l.shape[l.ndim - 2];
  const n = u.shape[u.ndim - 1];
  const k = Math.min(m, n);
  gl ??= zeros([...l.shape], { dtype: l.dtype });
  gu ??= zeros([...u.shape], { dtype: u.dtype });
  /** P L1^-T [tril(L1^T gL1, -1) + triu(gU1 U1^T)] U1^-T for square unit-lower L1 and upper U1. */
  const square = (l1: Tensor, u1: Tensor, gl1: Tensor, gu1: Tensor): Tensor => {
    const x = l1.mT.matmul(gl1).tril(-1).add(gu1.matmul(u1.mT).triu());
    const y = solveTriangular(u1.mT, x, { upper: false, left: false });
    return solveTriangular(l1.mT, y, { upper: true, unitriangular: true });
  };
  if (m === n) return p.matmul(square(l, u, gl, gu));
  if (m < n) {
    const u1 = u.narrow(-1, 0, k), u2 = u.narrow(-1, k, n - k);
    const gu1 = gu.narrow(-1, 0, k), gu2 = gu.narrow(-1, k, n - k);
    const lInvTgU2 = solveTriangular(l.mT, gu2, { upper: true, unitriangular: true });
    const ga1 = square(l, u1, gl.sub(lInvTgU2.matmul(u2.mT)), gu1);
    return p.matmul(cat([ga1, lInvTgU2], -1));
  }
  const l1 = l.narrow(-2, 0, k), l2 = l.narrow(-2, k, m - k);
  const gl1 = gl.narrow(-2, 0, k), gl2 = gl.narrow(-2, k, m - k);
  const gl2UinvT = solveTriangular(u.mT, gl2, { upper: false, left: false });
  const ga1 = square(l1, u, gl1, gu.sub(l2.mT.matmul(gl2UinvT)));
  return p.matmul(cat([ga1, gl2UinvT], -2));
}

/** P (dtype of A), L and U of each matrix from getrf's packed output. */
function unpackInto(lu: ArrayLike<number>, piv: ArrayLike<number>, m: number, n: number, p: Float64Array | null, l: Float64Array | null, u: Float64Array | null): void {
  const k = Math.min(m, n);
  if (p !== null) {
    const perm = K.pivotsToPermutation(piv, m);
    p.fill(0);
    for (let i = 0; i < m; i++) p[perm[i] * m + i] = 1;
  }
  if (l !== null) {
    l.fill(0);
    for (let i = 0; i < m; i++) for (let j = 0; j < Math.min(i + 1, k); j++) l[i * k + j] = i === j ? 1 : lu[i * n + j];
  }
  if (u !== null) {
    u.fill(0);
    for (let i = 0; i < k; i++) for (let j = i; j < n; j++) u[i * n + j] = lu[i * n + j];
  }
}

interface LuParts {
  lu: Tensor;
  piv: Tensor;
  infos: number[];
}

function factorAll(a: Tensor): LuParts {
  const { data, count, m, n } = matrices(a);
  const k = Math.min(m, n);
  const batch = a.shape.slice(0, -2);
  const lu = emptyOf(a.shape, a.dtype);
  const piv = emptyOf([...batch, k], "int32");
  const infos: number[] = [];
  for (let b = 0; b < count; b++) {
    const r = K.luFactor(matrixAt(data, b, m * n), m, n);
    (lu.typedArray as Float64Array).set(r.lu, b * m * n);
    (piv.typedArray as Int32Array).set(r.piv, b * k);
    infos.push(r.info);
  }
  return { lu, piv, infos };
}

/** P, L, U tensors of a packed LU and its pivots (unrecorded). */
function unpackTensors(lu: Tensor, piv: Tensor): [Tensor, Tensor, Tensor] {
  const { data, count, m, n } = matrices(lu);
  const k = Math.min(m, n);
  const batch = lu.shape.slice(0, -2);
  const pv = matrices(piv.reshape([...batch, 1, k])).data;
  const p = emptyOf([...batch, m, m], lu.dtype);
  const l = emptyOf([...batch, m, k], lu.dtype);
  const u = emptyOf([...batch, k, n], lu.dtype);
  const pb = new Float64Array(m * m), lb = new Float64Array(m * k), ub = new Float64Array(k * n);
  for (let b = 0; b < count; b++) {
    unpackInto(matrixAt(data, b, m * n), matrixAt(pv, b, k), m, n, pb, lb, ub);
    (p.typedArray as Float64Array).set(pb, b * m * m);
    (l.typedArray as Float64Array).set(lb, b * m * k);
    (u.typedArray as Float64Array).set(ub, b * k * n);
  }
  return [p, l, u];
}

const luFactorFn = lazyFunction(() => class LinalgLuFactorEx extends Function {
  static override gradFnName = "LinalgLuFactorExBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor, fn: string, check: boolean): Tensor[] {
    const { lu, piv, infos } = factorAll(a);
    if (check) {
      const b = infos.findIndex((i) => i > 0);
      if (b >= 0) {
        throw new Error(
          `${fn}: ${batchPrefix(a, b)}U[${infos[b]},${infos[b]}] is zero and using it on lu_solve would result in a division by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)`,
        );
      }
    }
    const infoT = emptyOf(a.shape.slice(0, -2), "int32");
    (infoT.typedArray as Int32Array).set(infos);
    ctx.saveForBackward(lu, piv);
    ctx.markNonDifferentiable(piv, infoT);
    return [lu, piv, infoT];
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [lu, piv] = ctx.savedTensors as Tensor[];
    const [m, n] = lu.shape.slice(-2);
    const k = Math.min(m, n);
    // L and U as recorded functions of the saved LU, so the rule differentiates again.
    const [p] = unpackTensors(lu.detach(), piv);
    const l = lu.narrow(-1, 0, k).tril(-1).add(identityLike(lu, m).narrow(-1, 0, k));
    const u = lu.narrow(-2, 0, k).triu();
    return [luBackward(g.narrow(-1, 0, k).tril(-1), g.narrow(-2, 0, k).triu(), p, l, u), null, null];
  }
});

export interface LuOptions {
  pivot?: boolean;
}

function checkLu(a: Tensor, fn: string, pivot: boolean | undefined): void {
  if (!(a instanceof Tensor)) throw new TypeError(`${fn}: expected a Tensor`);
  if (a.ndim < 2) throw new RangeError(`torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: [${a.shape.join(", ")}] instead`);
  checkKernelDtype(a, "lu_cpu");
  if (pivot === false) throw new Error("linalg.lu_factor: LU without pivoting is not implemented on the CPU");
}

/** torch.linalg.lu_factor(A, { pivot = true }): [LU, pivots] (int32, 1-based, as LAPACK's getrf);
 *  a singular matrix (an exactly zero pivot) is an error, as in PyTorch. */
export function luFactor(a: Tensor, opts: LuOptions = {}): Tuple<"LU" | "pivots"> {
  opts = keywords("linalg_lu_factor", opts, ["pivot"]);
  checkLu(a, "linalg.lu_factor", opts.pivot);
  const [lu, piv] = luFactorFn().apply(a, "torch.linalg.lu_factor", true) as Tensor[];
  return named(["LU", "pivots"], [lu, piv]);
}

/** torch.linalg.lu_factor_ex(A, { pivot = true }): [LU, pivots, info] (info: int32, 0 or the
 *  1-based index of the first zero pivot), no error for singular input. */
export function luFactorEx(a: Tensor, opts: LuOptions & { checkErrors?: boolean } = {}): Tuple<"LU" | "pivots" | "info"> {
  opts = keywords("linalg_lu_factor_ex", opts, ["pivot", "checkErrors"]);
  checkLu(a, "linalg.lu_factor_ex", opts.pivot);
  return named(["LU", "pivots", "info"], luFactorFn().apply(a, "torch.linalg.lu_factor_ex", opts.checkErrors ?? false) as Tensor[]);
}

/** torch.lu(A, pivot = true, get_infos = false), deprecated: [LU, pivots] (+ infos). */
export function luLegacy(a: Tensor, pivot = true, getInfos = false): Tensor[] {
  warnOnce(
    "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be removed in a future PyTorch release.\n" +
      "LU, pivots = torch.lu(A, compute_pivots)\nshould be replaced with\nLU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\n" +
      "LU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)\nshould be replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)",
  );
  checkLu(a, "lu", pivot);
  // NOTE: torch.lu never raises for a singular matrix (its check_errors is ignored there).
  const r = luFactorFn().apply(a, "torch.linalg.lu_factor", false) as Tensor[];
  return getInfos ? r : r.slice(0, 2);
}

const luFn = lazyFunction(() => class LinalgLu extends Function {
  static override gradFnName = "LinalgLuBackward0";
  static override forward(ctx: FunctionCtx, a: Tensor): Tensor[] {
    const { lu, piv } = factorAll(a);
    const [p, l, u] = unpackTensors(lu, piv);
    ctx.saveForBackward(p, l, u);
    ctx.markNonDifferentiable(p);
    ctx.setMaterializeGrads(false);
    return [p, l, u];
  }
  static override backward(ctx: FunctionCtx, _gp: Tensor | null, gl: Tensor | null, gu: Tensor | null): (Tensor | null)[] {
    const [p, l, u] = ctx.savedTensors as Tensor[];
    return [luBackward(gl, gu, p, l, u)];
  }
});

/** torch.linalg.lu(A, { pivot = true }): [P, L, U] with A = P L U (L unit lower m x k, U upper
 *  k x n, P a permutation matrix in A's dtype). */
export function lu(a: Tensor, opts: LuOptions = {}): Tuple<"P" | "L" | "U"> {
  opts = keywords("linalg_lu", opts, ["pivot"]);
  checkLu(a, "linalg.lu", opts.pivot);
  return named(["P", "L", "U"], luFn().apply(a) as Tensor[]);
}

export interface LuUnpackOptions {
  unpackData?: boolean;
  unpackPivots?: boolean;
}

/** torch.lu_unpack(LU_data, LU_pivots, unpack_data = true, unpack_pivots = true): [P, L, U];
 *  what is not unpacked is an empty tensor. L and U are recorded (tril / triu of LU). */
export function luUnpack(luData: Tensor, pivots: Tensor, unpackData: boolean | LuUnpackOptions = true, unpackPivots = true): Tuple<"P" | "L" | "U"> {
  if (typeof unpackData === "object") {
    unpackData = keywords("lu_unpack", unpackData, ["unpackData", "unpackPivots"]);
    unpackPivots = unpackData.unpackPivots ?? true;
    unpackData = unpackData.unpackData ?? true;
  }
  if (!(pivots instanceof Tensor) || pivots.dtype !== "int32") {
    throw new TypeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.");
  }
  if (luData.ndim < 2) throw new RangeError(`torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: [${luData.shape.join(", ")}] instead`);
  const [m, n] = luData.shape.slice(-2);
  const k = Math.min(m, n);
  const empty = emptyOf([0], luData.dtype);
  let l = empty, u = empty, p = empty;
  if (unpackData) {
    l = luData.narrow(-1, 0, k).tril(-1).add(identityLike(luData, Math.max(m, k)).narrow(0, 0, m).narrow(1, 0, k));
    u = luData.narrow(-2, 0, k).triu();
    if (l.gradFn) rename(l, "LuUnpackBackward0");
    if (u.gradFn) rename(u, "LuUnpackBackward0");
  }
  if (unpackPivots) p = unpackTensors(luData.detach(), pivots)[0];
  return named(["P", "L", "U"], [p, l, u]);
}
