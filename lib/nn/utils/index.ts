// torch.nn.utils: gradient clipping. ref: torch/nn/utils/__init__.py (PyTorch 1.13).
export { clipGradNorm_, clipGradValue_ } from "./clip_grad.js";
export type { ClipGradNormOptions } from "./clip_grad.js";
// torch.nn.utils.rnn: padSequence, packPaddedSequence, padPackedSequence, packSequence, PackedSequence, ...
export * as rnn from "./rnn.js";
export { parametersToVector, vectorToParameters } from "./convert_parameters.js";
