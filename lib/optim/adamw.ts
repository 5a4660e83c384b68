// optim.AdamW: Adam with decoupled weight decay (`p *= 1 - lr * weightDecay` before the Adam update),
// default weightDecay 0.01. Shares the moment update with Adam (adam.ts). No capturable (CUDA).
// ref: torch/optim/adamw.py _single_tensor_adamw (PyTorch 1.13); Loshchilov & Hutter, arXiv:1711.05101.
import { Optimizer, type ParamGroup, type ParamsArg } from "./optimizer.js";
import { parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";
import { adamState, adamUpdate, checkAdamHyper } from "./adam.js";

export interface AdamWHyper {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
  maximize: boolean;
  capturable: boolean;
}
export type AdamWOptions = Partial<AdamWHyper>;
export type AdamWArgs = PositionalThenOptions<[lr: number, betas: [number, number], eps: number, weightDecay: number, amsgrad: boolean], AdamWOptions>;

// NOTE: PyTorch 1.13's AdamW has no differentiable/fused keys, and its weight_decay default is 1e-2.
const DEFAULTS = {
  lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 1e-2, amsgrad: false,
  foreach: null as boolean | null, maximize: false, capturable: false,
};

function adamwDefaults(args: readonly unknown[]): AdamWHyper {
  const given = parseArgs("AdamW", ["lr", "betas", "eps", "weightDecay", "amsgrad"], args, ["maximize", "foreach", "capturable"]);
  const h = resolveHyper("AdamW", DEFAULTS, given);
  checkAdamHyper("AdamW", h);
  return h;
}

export class AdamW extends Optimizer<AdamWHyper> {
  /** `new AdamW(params, { lr: 1e-3, weightDecay: 0.01 })` or `new AdamW(params, 1e-3)`. */
  constructor(params: ParamsArg<AdamWHyper>, ...args: AdamWArgs) {
    super(params, adamwDefaults(args));
  }

  protected updateGroup(group: ParamGroup<AdamWHyper>): void {
    for (const [p, g] of this.withGrads(group)) {
      const state = this.stateOf(p);
      adamState(state, p, group.amsgrad);
      const grad = group.maximize ? g.neg() : g;
      // decoupled decay: shrink the weights, leave the gradient (and so the moments) alone.
      // Multiplying by exactly 1 changes nothing, so that case is skipped.
      // (the update applies p *= decay first, in the same pass)
      adamUpdate(p, grad, state, group, 1 - group.lr * group.weightDecay);
    }
  }
}
