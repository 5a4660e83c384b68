// torch.linalg: norms (vector_norm, matrix_norm, norm) and, for small float32 matrices, inv / solve
// / det by LU with partial pivoting computed in float64 (see ops/lu.ts).
// ref: https://pytorch.org/docs/1.13/linalg.html
export { vectorNorm, matrixNorm, linalgNorm as norm } from "./ops/norms.js";
