// torch.optim as `optim`: the optimizers, their base class, and the lr schedulers as
// `optim.lrScheduler` (PyTorch's torch.optim.lr_scheduler). Nothing is implemented here.
// ref: torch/optim/__init__.py (PyTorch 1.13).
export { Optimizer } from "./optimizer.js";
export type { Hyper, OptimizerStateDict, ParamGroup, ParamGroupInput, ParamState, ParamsArg, StateValue } from "./optimizer.js";
export { required } from "./args.js";
export { SGD } from "./sgd.js";
export type { SGDHyper, SGDOptions } from "./sgd.js";
export { Adam } from "./adam.js";
export type { AdamHyper, AdamOptions } from "./adam.js";
export { AdamW } from "./adamw.js";
export type { AdamWHyper, AdamWOptions } from "./adamw.js";
export { RMSprop } from "./rmsprop.js";
export type { RMSpropHyper, RMSpropOptions } from "./rmsprop.js";
export { Adagrad } from "./adagrad.js";
export type { AdagradHyper, AdagradOptions } from "./adagrad.js";
export { Adamax } from "./adamax.js";
export type { AdamaxHyper, AdamaxOptions } from "./adamax.js";
export { NAdam } from "./nadam.js";
export type { NAdamHyper, NAdamOptions } from "./nadam.js";
export { RAdam } from "./radam.js";
export type { RAdamHyper, RAdamOptions } from "./radam.js";
export { Adadelta } from "./adadelta.js";
export type { AdadeltaHyper, AdadeltaOptions } from "./adadelta.js";
export { Rprop } from "./rprop.js";
export type { RpropHyper, RpropOptions } from "./rprop.js";
export { ASGD } from "./asgd.js";
export type { ASGDHyper, ASGDOptions } from "./asgd.js";
export { LBFGS } from "./lbfgs.js";
export type { LBFGSHyper, LBFGSOptions } from "./lbfgs.js";
export * as lrScheduler from "./lr_schedulers.js";
