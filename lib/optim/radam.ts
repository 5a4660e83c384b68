// optim.RAdam: Adam with the variance rectification term; while the approximated SMA length
// rho_t <= 5 the step is un-adapted momentum SGD. L2 weight decay, in PyTorch's float32 order.
// PyTorch 1.13's RAdam has no maximize option (neither does this one).
// ref: torch/optim/radam.py _single_tensor_radam (PyTorch 1.13); Liu et al., arXiv:1908.03265.
import type { Tensor } from "../tensor.js";
import { zerosLike } from "../ops/creation.js";
import { Optimizer, type ParamGroup, type ParamsArg } from "./optimizer.js";
import { parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";
import { checkBetasHyper } from "./adamax.js";

export interface RAdamHyper {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
}
export type RAdamOptions = Partial<RAdamHyper>;
export type RAdamArgs = PositionalThenOptions<[lr: number, betas: [number, number], eps: number, weightDecay: number, foreach: boolean | null], RAdamOptions>;

const DEFAULTS = {
  lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0,
  foreach: null as boolean | null,
};

function radamDefaults(args: readonly unknown[]): RAdamHyper {
  const given = parseArgs("RAdam", ["lr", "betas", "eps", "weightDecay", "foreach"], args);
  const h = resolveHyper("RAdam", DEFAULTS, given);
  checkBetasHyper(h);
  return h;
}

export class RAdam extends Optimizer<RAdamHyper> {
  /** `new RAdam(params, { lr: 0.001, betas: [0.9, 0.999] })`. */
  constructor(params: ParamsArg<RAdamHyper>, ...args: RAdamArgs) {
    super(params, radamDefaults(args));
  }

  protected updateGroup(group: ParamGroup<RAdamHyper>): void {
    const { lr, eps, weightDecay } = group;
    const [beta1, beta2] = group.betas;
    for (const [p, g] of this.withGrads(group)) {
      const state = this.stateOf(p);
      if (!("expAvg" in state)) {
        state.step = 0;
        state.expAvg = zerosLike(p);
        state.expAvgSq = zerosLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      let grad = g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const expAvg = state.expAvg as Tensor, expAvgSq = state.expAvgSq as Tensor;
      expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul_(grad)); // addcmul_(grad, grad, value=1-beta2)
      const corrected = expAvg.div(biasCorrection1);
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
      if (rhoT > 5) {
        const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        // sqrt(bc2) / (sqrt(v) + eps): Python's `float / tensor` is reciprocal() * float
        const adaptiveLr = expAvgSq.sqrt().add_(eps).reciprocal().mul_(Math.sqrt(biasCorrection2));
        p.add_(corrected.mul(lr).mul_(adaptiveLr).mul_(rect), { alpha: -1 });
      } else {
        p.add_(corrected.mul(lr), { alpha: -1 });
      }
    }
  }
}
