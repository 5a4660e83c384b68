// PyTorch signatures of the tensor ops, part 1 (shapes, math, linear algebra), for the function-case adapter (format: signatures/index.ts).
export const TENSOR_OPS_A: Record<string, string[]> = {
};
