// PyTorch signatures of the tensor ops, part 2 (sorting, masking, scatter, sets), for the function-case adapter (format: signatures/index.ts).
export const TENSOR_OPS_B: Record<string, string[]> = {
};
