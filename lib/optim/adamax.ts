// optim.Adamax: Adam with the infinity norm, exp_inf = max(beta2 * exp_inf, |g| + eps), step
// lr / (1 - beta1^t), L2 weight decay and maximize, as in-place tensor ops in PyTorch's float32 order.
// ref: torch/optim/adamax.py _single_tensor_adamax (PyTorch 1.13); Kingma & Ba, arXiv:1412.6980 sec. 7.
import type { Tensor } from "../tensor.js";
import { zerosLike } from "../ops/creation.js";
import { Optimizer, type ParamGroup, type ParamsArg } from "./optimizer.js";
import { fmt, parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";

export interface AdamaxHyper {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
  maximize: boolean;
}
export type AdamaxOptions = Partial<AdamaxHyper>;
export type AdamaxArgs = PositionalThenOptions<[lr: number, betas: [number, number], eps: number, weightDecay: number, foreach: boolean | null], AdamaxOptions>;

/** Range checks of the Adam family (Adamax, NAdam, RAdam), with PyTorch's messages. */
export function checkBetasHyper(h: { lr: number; eps: number; betas: number[]; weightDecay: number }): void {
  if (!(h.lr >= 0)) throw new RangeError(`Invalid learning rate: ${h.lr}`);
  if (!(h.eps >= 0)) throw new RangeError(`Invalid epsilon value: ${h.eps}`);
  if (!(h.betas[0] >= 0 && h.betas[0] < 1)) throw new RangeError(`Invalid beta parameter at index 0: ${fmt(h.betas[0])}`);
  if (!(h.betas[1] >= 0 && h.betas[1] < 1)) throw new RangeError(`Invalid beta parameter at index 1: ${fmt(h.betas[1])}`);
  if (!(h.weightDecay >= 0)) throw new RangeError(`Invalid weight_decay value: ${h.weightDecay}`);
}

const DEFAULTS = {
  lr: 2e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0,
  foreach: null as boolean | null, maximize: false,
};

function adamaxDefaults(args: readonly unknown[]): AdamaxHyper {
  const given = parseArgs("Adamax", ["lr", "betas", "eps", "weightDecay", "foreach"], args, ["maximize"]);
  const h = resolveHyper("Adamax", DEFAULTS, given);
  checkBetasHyper(h);
  return h;
}

export class Adamax extends Optimizer<AdamaxHyper> {
  /** `new Adamax(params, { lr: 0.002, betas: [0.9, 0.999] })`. */
  constructor(params: ParamsArg<AdamaxHyper>, ...args: AdamaxArgs) {
    super(params, adamaxDefaults(args));
  }

  protected updateGroup(group: ParamGroup<AdamaxHyper>): void {
    const { lr, eps, weightDecay, maximize } = group;
    const [beta1, beta2] = group.betas;
    for (const [p, g] of this.withGrads(group)) {
      const state = this.stateOf(p);
      if (!("expAvg" in state)) {
        state.step = 0;
        state.expAvg = zerosLike(p);
        state.expInf = zerosLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      let grad = maximize ? g.neg() : g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const expAvg = state.expAvg as Tensor, expInf = state.expInf as Tensor;
      expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      // amax(cat([exp_inf * beta2, |g| + eps]), 0): the elementwise maximum (NaN propagates in both)
      expInf.mul_(beta2);
      expInf.copy_(expInf.maximum(grad.abs().add_(eps)));
      const clr = lr / (1 - beta1 ** step);
      p.add_(expAvg.mul(-clr).div_(expInf)); // addcdiv_(exp_avg, exp_inf, value=-clr)
    }
  }
}
