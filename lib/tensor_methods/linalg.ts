// Tensor methods of the linear-algebra family (PyTorch's Tensor.cholesky, qr, svd, slogdet, ...),
// each forwarding to its torch.* form in functional_linalg.ts (det / inverse are in tensor.ts).
import { Tensor } from "../tensor.js";
import * as fl from "../functional_linalg.js";
import type { LuUnpackOptions } from "../ops/linalg_decomp.js";

type Kw = Record<string, unknown>;

declare module "../tensor.js" {
  interface Tensor {
    /** torch.cholesky(self, upper = false), deprecated in PyTorch (warns once). */
    cholesky(upper?: boolean | Kw): Tensor;
    /** torch.cholesky_solve(self, L, upper = false): X with (L L^T) X = self. */
    choleskySolve(l: Tensor, upper?: boolean | Kw): Tensor;
    /** torch.cholesky_inverse(self, upper = false): the inverse of L L^T from its factor L = self. */
    choleskyInverse(upper?: boolean | Kw): Tensor;
    /** torch.qr(self, some = true): [Q, R] (also .Q, .R). */
    qr(some?: boolean | Kw): Tensor[] & { Q: Tensor; R: Tensor };
    /** torch.svd(self, some = true, compute_uv = true): [U, S, V] (V, not Vh). */
    svd(some?: boolean | Kw, computeUv?: boolean | Kw): Tensor[] & { U: Tensor; S: Tensor; V: Tensor };
    /** torch.slogdet(self): [sign, logabsdet]. */
    slogdet(): Tensor[] & { sign: Tensor; logabsdet: Tensor };
    /** torch.logdet(self). */
    logdet(): Tensor;
    /** torch.pinverse(self, rcond = 1e-15). */
    pinverse(rcond?: number | { rcond?: number }): Tensor;
    /** torch.matrix_power(self, n). */
    matrixPower(n: number): Tensor;
    /** torch.matrix_exp(self). */
    matrixExp(): Tensor;
    /** torch.triangular_solve(self, A, upper = true, transpose = false, unitriangular = false). */
    triangularSolve(a: Tensor, upper?: boolean | Kw, transpose?: boolean, unitriangular?: boolean): Tensor[] & { solution: Tensor; clonedCoefficient: Tensor };
    /** torch.lu(self, pivot = true, get_infos = false): [LU, pivots] (+ infos). */
    lu(pivot?: boolean | Kw, getInfos?: boolean): Tensor[];
    /** torch.geqrf(self): [a, tau]. */
    geqrf(): Tensor[] & { a: Tensor; tau: Tensor };
    /** torch.orgqr(self, tau). */
    orgqr(tau: Tensor): Tensor;
    /** torch.ormqr(self, tau, other, left = true, transpose = false). */
    ormqr(tau: Tensor, other: Tensor, left?: boolean | Kw, transpose?: boolean): Tensor;
    /** torch.symeig(self, eigenvectors = false, upper = true), deprecated in PyTorch. */
    symeig(eigenvectors?: boolean | Kw, upper?: boolean): Tensor[] & { eigenvalues: Tensor; eigenvectors: Tensor };
    /** torch.lu_solve(self, LU_data, LU_pivots). */
    luSolve(luData: Tensor, pivots: Tensor): Tensor;
  }
}

Tensor.prototype.cholesky = function (this: Tensor, upper?: boolean | Kw) {
  return fl.cholesky(this, upper);
};
Tensor.prototype.choleskySolve = function (this: Tensor, l: Tensor, upper?: boolean | Kw) {
  return fl.choleskySolve(this, l, upper);
};
Tensor.prototype.choleskyInverse = function (this: Tensor, upper?: boolean | Kw) {
  return fl.choleskyInverse(this, upper);
};
Tensor.prototype.qr = function (this: Tensor, some?: boolean | Kw) {
  return fl.qr(this, some);
};
Tensor.prototype.svd = function (this: Tensor, some?: boolean | Kw, computeUv?: boolean | Kw) {
  return fl.svd(this, some, computeUv);
};
Tensor.prototype.slogdet = function (this: Tensor) {
  return fl.slogdet(this);
};
Tensor.prototype.logdet = function (this: Tensor) {
  return fl.logdet(this);
};
Tensor.prototype.pinverse = function (this: Tensor, rcond?: number | { rcond?: number }) {
  return fl.pinverse(this, rcond);
};
Tensor.prototype.matrixPower = function (this: Tensor, n: number) {
  return fl.matrixPower(this, n);
};
Tensor.prototype.matrixExp = function (this: Tensor) {
  return fl.matrixExp(this);
};
Tensor.prototype.triangularSolve = function (this: Tensor, a: Tensor, upper?: boolean | Kw, transpose?: boolean, unitriangular?: boolean) {
  return fl.triangularSolve(this, a, upper, transpose, unitriangular);
};
Tensor.prototype.lu = function (this: Tensor, pivot?: boolean | Kw, getInfos?: boolean) {
  return fl.lu(this, pivot, getInfos);
};
Tensor.prototype.luSolve = function (this: Tensor, luData: Tensor, pivots: Tensor) {
  return fl.luSolve(this, luData, pivots);
};
Tensor.prototype.geqrf = function (this: Tensor) {
  return fl.geqrf(this);
};
Tensor.prototype.orgqr = function (this: Tensor, tau: Tensor) {
  return fl.orgqr(this, tau);
};
Tensor.prototype.ormqr = function (this: Tensor, tau: Tensor, other: Tensor, left?: boolean | Kw, transpose?: boolean) {
  return fl.ormqr(this, tau, other, left, transpose);
};
Tensor.prototype.symeig = function (this: Tensor, eigenvectors?: boolean | Kw, upper?: boolean) {
  return fl.symeig(this, eigenvectors, upper);
};
export type { LuUnpackOptions };
