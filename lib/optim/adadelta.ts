// optim.Adadelta: running averages of squared gradients and squared updates (rho), eps inside both
// square roots, lr scaling (default 1.0), L2 weight decay and maximize, as in-place tensor ops in
// PyTorch's float32 order. ref: torch/optim/adadelta.py _single_tensor_adadelta (PyTorch 1.13);
// Zeiler, arXiv:1212.5701.
import type { Tensor } from "../tensor.js";
import { zerosLike } from "../ops/creation.js";
import { Optimizer, type ParamGroup, type ParamsArg } from "./optimizer.js";
import { parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";

export interface AdadeltaHyper {
  [k: string]: unknown;
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
  maximize: boolean;
}
export type AdadeltaOptions = Partial<AdadeltaHyper>;
export type AdadeltaArgs = PositionalThenOptions<[lr: number, rho: number, eps: number, weightDecay: number, foreach: boolean | null], AdadeltaOptions>;

const DEFAULTS = { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, foreach: null as boolean | null, maximize: false };

function adadeltaDefaults(args: readonly unknown[]): AdadeltaHyper {
  const given = parseArgs("Adadelta", ["lr", "rho", "eps", "weightDecay", "foreach"], args, ["maximize"]);
  const h = resolveHyper("Adadelta", DEFAULTS, given);
  if (!(h.lr >= 0)) throw new RangeError(`Invalid learning rate: ${h.lr}`);
  if (!(h.rho >= 0 && h.rho <= 1)) throw new RangeError(`Invalid rho value: ${h.rho}`);
  if (!(h.eps >= 0)) throw new RangeError(`Invalid epsilon value: ${h.eps}`);
  if (!(h.weightDecay >= 0)) throw new RangeError(`Invalid weight_decay value: ${h.weightDecay}`);
  return h;
}

const FLOAT_DEFAULTS: ReadonlyMap<string, number> = new Map([["lr", 1]]);

export class Adadelta extends Optimizer<AdadeltaHyper> {
  /** `new Adadelta(params, { lr: 1.0, rho: 0.9, eps: 1e-6 })`. */
  constructor(params: ParamsArg<AdadeltaHyper>, ...args: AdadeltaArgs) {
    super(params, adadeltaDefaults(args));
  }

  /** PyTorch's default is a float: it prints as one. */
  protected override floatDefaults(): ReadonlyMap<string, number> {
    return FLOAT_DEFAULTS;
  }

  protected updateGroup(group: ParamGroup<AdadeltaHyper>): void {
    const { lr, rho, eps, weightDecay, maximize } = group;
    for (const [p, g] of this.withGrads(group)) {
      const state = this.stateOf(p);
      if (!("squareAvg" in state)) {
        state.step = 0;
        state.squareAvg = zerosLike(p);
        state.accDelta = zerosLike(p);
      }
      state.step = (state.step as number) + 1;
      let grad = maximize ? g.neg() : g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const squareAvg = state.squareAvg as Tensor, accDelta = state.accDelta as Tensor;
      squareAvg.mul_(rho).add_(grad.mul(1 - rho).mul_(grad)); // addcmul_(grad, grad, value=1-rho)
      const std = squareAvg.add(eps).sqrt_();
      const delta = accDelta.add(eps).sqrt_().div_(std).mul_(grad);
      accDelta.mul_(rho).add_(delta.mul(1 - rho).mul_(delta)); // addcmul_(delta, delta, value=1-rho)
      p.add_(delta, { alpha: -lr });
    }
  }
}
