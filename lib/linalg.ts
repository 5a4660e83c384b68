// torch.linalg: norms (vector_norm, matrix_norm, norm) and, for small float32 matrices, inv / solve
// / det by LU with partial pivoting computed in float64 (ops/lu.ts).
// ref: https://pytorch.org/docs/1.13/linalg.html
export { vectorNorm, matrixNorm, linalgNorm as norm } from "./ops/norms.js";
export { inv, solve, det } from "./ops/lu.js";
