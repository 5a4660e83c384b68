// torch.autograd: the functional engine entries, custom Functions, gradient checks and grad modes.
export { grad, backward } from "./grad.js";
export type { GradOptions, AutogradBackwardOptions } from "./grad.js";
export { Function, FunctionCtx } from "./function.js";
export { gradcheck, gradgradcheck } from "./gradcheck.js";
export type { GradcheckOptions } from "./gradcheck.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./grad_mode.js";
export { Node, AccumulateGrad } from "./node.js";
export type { GraphFn, RemovableHandle, TensorHook } from "./node.js";
export * as functional from "./functional.js";
export type { FunctionalOptions } from "./functional.js";
export { Variable, setDetectAnomaly, detectAnomaly, isAnomalyEnabled } from "./legacy.js";
export { inferenceMode } from "./grad_mode.js";
