// torch.* function forms of linear algebra (the torch.linalg namespace is lib/linalg.ts): the
// determinant family (det / inverse stay in functional.ts), the older decompositions and solvers
// with their argument orders and deprecation warnings (torch.cholesky, qr, svd, lu, lu_solve,
// triangular_solve), and matrix_power / matrix_exp / pinverse / cholesky_solve / cholesky_inverse
// / lu_unpack. Each forwards to its op in lib/ops/linalg_*.ts.
// ref: PyTorch 1.13 docs of torch.logdet, slogdet, cholesky, cholesky_solve, cholesky_inverse,
// qr, svd, pinverse, matrix_power, matrix_exp, triangular_solve, lu, lu_unpack, lu_solve.
import type { Tensor } from "./tensor.js";
import * as dec from "./ops/linalg_decomp.js";
import * as sol from "./ops/linalg_solvers.js";
import * as misc from "./ops/linalg_misc.js";
import * as hh from "./ops/linalg_householder.js";
import { keywords } from "./ops/linalg_common.js";
import { warnOnce } from "./optim/args.js";

type Kw<T> = T | Record<string, unknown>;

/** torch.logdet(A): NaN where det < 0, -inf where singular. */
export const logdet = (a: Tensor): Tensor => misc.logdet(a);
/** torch.slogdet(A): [sign, logabsdet] (torch.linalg.slogdet). */
export const slogdet = (a: Tensor) => misc.slogdet(a);
/** torch.cholesky(A, upper = false), deprecated (warns once). */
export function cholesky(a: Tensor, upper: Kw<boolean> = false): Tensor {
  const u = typeof upper === "object" ? Boolean(keywords("cholesky", upper, ["upper"]).upper ?? false) : upper;
  return dec.choleskyLegacy(a, u);
}
/** torch.cholesky_solve(B, L, upper = false). */
export function choleskySolve(b: Tensor, l: Tensor, upper: Kw<boolean> = false): Tensor {
  const u = typeof upper === "object" ? Boolean(keywords("cholesky_solve", upper, ["upper"]).upper ?? false) : upper;
  return sol.choleskySolve(b, l, u);
}
/** torch.cholesky_inverse(L, upper = false). */
export function choleskyInverse(l: Tensor, upper: Kw<boolean> = false): Tensor {
  const u = typeof upper === "object" ? Boolean(keywords("cholesky_inverse", upper, ["upper"]).upper ?? false) : upper;
  return sol.choleskyInverse(l, u);
}
/** torch.qr(A, some = true), deprecated: [Q, R]. */
export function qr(a: Tensor, some: Kw<boolean> = true) {
  const s = typeof some === "object" ? Boolean(keywords("qr", some, ["some"]).some ?? true) : some;
  return dec.qrLegacy(a, s);
}
/** torch.svd(A, some = true, compute_uv = true): [U, S, V]. */
export function svd(a: Tensor, some: Kw<boolean> = true, computeUv: Kw<boolean> = true) {
  let s = some, c = computeUv;
  if (typeof some === "object") {
    const k = keywords("svd", some, ["some", "computeUv"]);
    c = Boolean(k.computeUv ?? true);
    s = Boolean(k.some ?? true);
  } else if (typeof computeUv === "object") c = Boolean(keywords("svd", computeUv, ["computeUv"]).computeUv ?? true);
  return dec.svdLegacy(a, s as boolean, c as boolean);
}
/** torch.pinverse(A, rcond = 1e-15). */
export const pinverse = (a: Tensor, rcond: number | { rcond?: number } = 1e-15): Tensor => misc.pinverse(a, rcond);
/** torch.matrix_power(A, n). */
export const matrixPower = (a: Tensor, n: number): Tensor => misc.matrixPower(a, n);
/** torch.matrix_exp(A). */
export const matrixExp = (a: Tensor): Tensor => misc.matrixExp(a);
/** torch.triangular_solve(b, A, upper = true, transpose = false, unitriangular = false):
 *  [solution, cloned_coefficient], deprecated (warns once). */
export function triangularSolve(b: Tensor, a: Tensor, upper: Kw<boolean> = true, transpose = false, unitriangular = false) {
  let u = upper;
  if (typeof upper === "object") {
    const k = keywords("triangular_solve", upper, ["upper", "transpose", "unitriangular"]);
    u = Boolean(k.upper ?? true);
    transpose = Boolean(k.transpose ?? false);
    unitriangular = Boolean(k.unitriangular ?? false);
  }
  return sol.triangularSolveLegacy(b, a, u as boolean, transpose, unitriangular);
}
/** torch.lu(A, pivot = true, get_infos = false): [LU, pivots] or [LU, pivots, infos], deprecated. */
export function lu(a: Tensor, pivot: Kw<boolean> = true, getInfos = false): Tensor[] {
  let p = pivot;
  if (typeof pivot === "object") {
    const k = keywords("lu", pivot, ["pivot", "getInfos"]);
    p = Boolean(k.pivot ?? true);
    getInfos = Boolean(k.getInfos ?? false);
  }
  return dec.luLegacy(a, p as boolean, getInfos);
}
/** torch.lu_unpack(LU_data, LU_pivots, unpack_data = true, unpack_pivots = true): [P, L, U]. */
export const luUnpack = (luData: Tensor, pivots: Tensor, unpackData: boolean | dec.LuUnpackOptions = true, unpackPivots = true) =>
  dec.luUnpack(luData, pivots, unpackData, unpackPivots);
/** torch.lu_solve(b, LU_data, LU_pivots), deprecated (warns once). */
export const luSolve = (b: Tensor, luData: Tensor, pivots: Tensor): Tensor => sol.luSolveLegacy(b, luData, pivots);
/** torch.geqrf(A): [a, tau] (LAPACK's packed QR; not differentiable, as in PyTorch). */
export const geqrf = (a: Tensor) => hh.geqrf(a);
/** torch.orgqr(A, tau): torch.linalg.householder_product. */
export const orgqr = (a: Tensor, tau: Tensor): Tensor => hh.orgqr(a, tau);
/** torch.ormqr(A, tau, C, left = true, transpose = false). */
export function ormqr(a: Tensor, tau: Tensor, c: Tensor, left: Kw<boolean> = true, transpose = false): Tensor {
  let l = left;
  if (typeof left === "object") {
    const k = keywords("ormqr", left, ["left", "transpose"]);
    l = Boolean(k.left ?? true);
    transpose = Boolean(k.transpose ?? false);
  }
  return hh.ormqr(a, tau, c, l as boolean, transpose);
}
/** torch.symeig(A, eigenvectors = false, upper = true), deprecated (warns once). */
export function symeig(a: Tensor, eigenvectors: Kw<boolean> = false, upper = true) {
  let e = eigenvectors;
  if (typeof eigenvectors === "object") {
    const k = keywords("symeig", eigenvectors, ["eigenvectors", "upper"]);
    e = Boolean(k.eigenvectors ?? false);
    upper = Boolean(k.upper ?? true);
  }
  return dec.symeig(a, e as boolean, upper);
}
/** torch.chain_matmul(*matrices), deprecated: linalg.multi_dot of 2-D matrices (one is returned as
 *  a copy). */
export function chainMatmul(...matrices: Tensor[]): Tensor {
  warnOnce(
    "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple parameters.",
  );
  if (matrices.length === 0) throw new RangeError("chain_matmul(): Expected one or more matrices");
  for (const m of matrices) if (m.ndim !== 2) throw new RangeError(`Tensor dimension is ${m.ndim}, expected 2 instead.`);
  return matrices.length === 1 ? matrices[0].clone() : misc.multiDot(matrices);
}
