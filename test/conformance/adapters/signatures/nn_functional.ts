// PyTorch signatures of the torch.nn.functional ops beyond the lecture (activations, conv, pooling, norm), for the function-case adapter (format: signatures/index.ts).
export const NN_FUNCTIONAL: Record<string, string[]> = {
};
