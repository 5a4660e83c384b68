// optim.RMSprop: squared-gradient running average (alpha), eps added outside the sqrt, centered
// variant, momentum, L2 weight decay and maximize, as in-place tensor ops in PyTorch's float32 order.
// ref: torch/optim/rmsprop.py _single_tensor_rmsprop (PyTorch 1.13); Hinton, Lecture 6e.
import type { Tensor } from "../tensor.js";
import { zerosLike } from "../ops/creation.js";
import { Optimizer, type ParamGroup, type ParamsArg } from "./optimizer.js";
import { parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";

export interface RMSpropHyper {
  [k: string]: unknown;
  lr: number;
  momentum: number;
  alpha: number;
  eps: number;
  centered: boolean;
  weightDecay: number;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
  maximize: boolean;
  differentiable: boolean;
}
export type RMSpropOptions = Partial<RMSpropHyper>;
export type RMSpropArgs = PositionalThenOptions<
  [lr: number, alpha: number, eps: number, weightDecay: number, momentum: number, centered: boolean, foreach: boolean | null, maximize: boolean, differentiable: boolean],
  RMSpropOptions
>;

const DEFAULTS = {
  lr: 1e-2, momentum: 0, alpha: 0.99, eps: 1e-8, centered: false, weightDecay: 0,
  foreach: null as boolean | null, maximize: false, differentiable: false,
};

function rmspropDefaults(args: readonly unknown[]): RMSpropHyper {
  const given = parseArgs("RMSprop", ["lr", "alpha", "eps", "weightDecay", "momentum", "centered", "foreach", "maximize", "differentiable"], args);
  const h = resolveHyper("RMSprop", DEFAULTS, given);
  if (!(h.lr >= 0)) throw new RangeError(`Invalid learning rate: ${h.lr}`);
  if (!(h.eps >= 0)) throw new RangeError(`Invalid epsilon value: ${h.eps}`);
  if (!(h.momentum >= 0)) throw new RangeError(`Invalid momentum value: ${h.momentum}`);
  if (!(h.weightDecay >= 0)) throw new RangeError(`Invalid weight_decay value: ${h.weightDecay}`);
  if (!(h.alpha >= 0)) throw new RangeError(`Invalid alpha value: ${h.alpha}`);
  if (h.differentiable) throw new RangeError("RMSprop: differentiable=true is not supported (the update always runs under noGrad)");
  return h;
}

export class RMSprop extends Optimizer<RMSpropHyper> {
  /** `new RMSprop(params, { lr: 0.01, alpha: 0.9, centered: true })`. */
  constructor(params: ParamsArg<RMSpropHyper>, ...args: RMSpropArgs) {
    super(params, rmspropDefaults(args));
  }

  protected updateGroup(group: ParamGroup<RMSpropHyper>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    for (const [p, g] of this.withGrads(group)) {
      const state = this.stateOf(p);
      if (!("squareAvg" in state)) {
        state.step = 0;
        state.squareAvg = zerosLike(p);
        if (momentum > 0) state.momentumBuffer = zerosLike(p);
        if (centered) state.gradAvg = zerosLike(p);
      }
      state.step = (state.step as number) + 1;
      let grad = maximize ? g.neg() : g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const squareAvg = state.squareAvg as Tensor;
      squareAvg.mul_(alpha).add_(grad.mul(1 - alpha).mul_(grad)); // addcmul_(grad, grad, value=1-alpha)
      let avg: Tensor;
      if (centered) {
        const gradAvg = (state.gradAvg ??= zerosLike(p)) as Tensor;
        gradAvg.mul_(alpha).add_(grad, { alpha: 1 - alpha });
        avg = squareAvg.add(gradAvg.neg().mul_(gradAvg)).sqrt(); // addcmul(grad_avg, grad_avg, value=-1).sqrt_()
      } else {
        avg = squareAvg.sqrt();
      }
      // NOTE: eps is added outside the square root: p -= lr * g / (sqrt(v) + eps)
      avg.add_(eps);
      if (momentum > 0) {
        const buf = (state.momentumBuffer ??= zerosLike(p)) as Tensor;
        buf.mul_(momentum).add_(grad.div(avg)); // addcdiv_(grad, avg)
        p.add_(buf, { alpha: -lr });
      } else {
        p.add_(grad.mul(-lr).div_(avg)); // addcdiv_(grad, avg, value=-lr)
      }
    }
  }
}
