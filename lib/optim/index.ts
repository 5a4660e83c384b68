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
export * as lrScheduler from "./lr_schedulers.js";
