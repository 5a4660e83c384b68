// torch.linalg: norms (vector_norm, matrix_norm, norm), inv / solve / det by LU with partial
// pivoting (ops/lu.ts), svdvals by one-sided Jacobi (ops/svd.ts), and the decompositions and
// solvers of ops/linalg_decomp.ts, linalg_solvers.ts, linalg_misc.ts and linalg_householder.ts;
// float32 and float64, computed in float64, batched over leading dims.
// ref: https://pytorch.org/docs/1.13/linalg.html
export { vectorNorm, matrixNorm, linalgNorm as norm } from "./ops/norms.js";
export { inv, solve, det } from "./ops/lu.js";
export { svdvals } from "./ops/svd.js";
export { linalgCross as cross } from "./ops/products.js";
export { cholesky, choleskyEx, qr, eigh, eigvalsh, svd, luFactor, luFactorEx, lu } from "./ops/linalg_decomp.js";
export type { CholeskyOptions, CholeskyExOptions, LuOptions } from "./ops/linalg_decomp.js";
export { solveTriangular, luSolve } from "./ops/linalg_solvers.js";
export type { SolveTriangularOptions, LuSolveOptions } from "./ops/linalg_solvers.js";
export { slogdet, matrixPower, matrixExp, matrixRank, pinv, lstsq, multiDot, cond, vecdot } from "./ops/linalg_misc.js";
export { eig, eigvals, invEx, solveEx, diagonal, linalgMatmul as matmul, vander, tensorinv, tensorsolve } from "./ops/linalg_misc.js";
export type { TolOptions, LstsqOptions, ExOptions, SolveExOptions } from "./ops/linalg_misc.js";
export { householderProduct } from "./ops/linalg_householder.js";
