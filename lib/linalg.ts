// torch.linalg: norms (vector_norm, matrix_norm, norm) and, for small float32 matrices, inv / solve
// / det by LU with partial pivoting (ops/lu.ts) and svdvals by one-sided Jacobi (ops/svd.ts), in float64.
// ref: https://pytorch.org/docs/1.13/linalg.html
export { vectorNorm, matrixNorm, linalgNorm as norm } from "./ops/norms.js";
export { inv, solve, det } from "./ops/lu.js";
export { svdvals } from "./ops/svd.js";
export { linalgCross as cross } from "./ops/products.js";
