// optim.NAdam: Adam with Nesterov momentum and the momentum-decay schedule
// mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)), L2 weight decay, as in-place tensor ops in
// PyTorch's float32 order. PyTorch 1.13's NAdam has no maximize option (neither does this one).
// ref: torch/optim/nadam.py _single_tensor_nadam (PyTorch 1.13); Dozat, ICLR 2016 workshop.
import type { Tensor } from "../tensor.js";
import { zerosLike } from "../ops/creation.js";
import { Optimizer, type ParamGroup, type ParamsArg } from "./optimizer.js";
import { parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";
import { checkBetasHyper } from "./adamax.js";

export interface NAdamHyper {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
}
export type NAdamOptions = Partial<NAdamHyper>;
export type NAdamArgs = PositionalThenOptions<
  [lr: number, betas: [number, number], eps: number, weightDecay: number, momentumDecay: number, foreach: boolean | null],
  NAdamOptions
>;

const DEFAULTS = {
  lr: 2e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3,
  foreach: null as boolean | null,
};

function nadamDefaults(args: readonly unknown[]): NAdamHyper {
  const given = parseArgs("NAdam", ["lr", "betas", "eps", "weightDecay", "momentumDecay", "foreach"], args);
  const h = resolveHyper("NAdam", DEFAULTS, given);
  checkBetasHyper(h);
  if (!(h.momentumDecay >= 0)) throw new RangeError(`Invalid momentum_decay value: ${h.momentumDecay}`);
  return h;
}

export class NAdam extends Optimizer<NAdamHyper> {
  /** `new NAdam(params, { lr: 0.002, momentumDecay: 0.004 })`. */
  constructor(params: ParamsArg<NAdamHyper>, ...args: NAdamArgs) {
    super(params, nadamDefaults(args));
  }

  protected updateGroup(group: ParamGroup<NAdamHyper>): void {
    const { lr, eps, weightDecay, momentumDecay } = group;
    const [beta1, beta2] = group.betas;
    const f32 = Math.fround;
    for (const [p, g] of this.withGrads(group)) {
      const state = this.stateOf(p);
      if (!("expAvg" in state)) {
        state.step = 0;
        state.muProduct = 1;
        state.expAvg = zerosLike(p);
        state.expAvgSq = zerosLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      const biasCorrection2 = 1 - beta2 ** step;
      let grad = g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
      // NOTE: PyTorch keeps mu_product in a float32 0-d tensor (torch.tensor(1.)) whatever the
      // parameter's dtype, so the running product is rounded to float32 at each multiplication.
      const muProduct = f32((state.muProduct as number) * f32(mu));
      state.muProduct = muProduct;
      const muProductNext = f32(f32(muProduct * f32(mu)) * f32(muNext));
      const expAvg = state.expAvg as Tensor, expAvgSq = state.expAvgSq as Tensor;
      expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul_(grad)); // addcmul_(grad, grad, value=1-beta2)
      const denom = expAvgSq.div(biasCorrection2).sqrt().add_(eps);
      p.add_(grad.mul((-lr * (1 - mu)) / (1 - muProduct)).div_(denom)); // addcdiv_(grad, denom, value)
      p.add_(expAvg.mul((-lr * muNext) / (1 - muProductNext)).div_(denom)); // addcdiv_(exp_avg, denom, value)
    }
  }
}
