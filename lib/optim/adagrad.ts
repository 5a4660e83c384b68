// optim.Adagrad: per-element sum of squared gradients, lr decay clr = lr / (1 + (step-1)*lrDecay),
// initial accumulator value, eps 1e-10 outside the sqrt, L2 weight decay and maximize, as in-place
// tensor ops in PyTorch's float32 order. No sparse gradients.
// ref: torch/optim/adagrad.py _single_tensor_adagrad (PyTorch 1.13); Duchi et al., JMLR 2011.
import type { Tensor } from "../tensor.js";
import { fullLike } from "../ops/creation.js";
import { Optimizer, type ParamGroup, type ParamGroupInput, type ParamsArg } from "./optimizer.js";
import { parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";

export interface AdagradHyper {
  [k: string]: unknown;
  lr: number;
  lrDecay: number;
  eps: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
  maximize: boolean;
}
export type AdagradOptions = Partial<AdagradHyper>;
export type AdagradArgs = PositionalThenOptions<
  [lr: number, lrDecay: number, weightDecay: number, initialAccumulatorValue: number, eps: number, foreach: boolean | null],
  AdagradOptions
>;

const DEFAULTS = {
  lr: 1e-2, lrDecay: 0, eps: 1e-10, weightDecay: 0, initialAccumulatorValue: 0,
  foreach: null as boolean | null, maximize: false,
};

function adagradDefaults(args: readonly unknown[]): AdagradHyper {
  const given = parseArgs("Adagrad", ["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps", "foreach"], args, ["maximize"]);
  const h = resolveHyper("Adagrad", DEFAULTS, given);
  if (!(h.lr >= 0)) throw new RangeError(`Invalid learning rate: ${h.lr}`);
  if (!(h.lrDecay >= 0)) throw new RangeError(`Invalid lr_decay value: ${h.lrDecay}`);
  if (!(h.weightDecay >= 0)) throw new RangeError(`Invalid weight_decay value: ${h.weightDecay}`);
  if (!(h.initialAccumulatorValue >= 0)) throw new RangeError(`Invalid initial_accumulator_value value: ${h.initialAccumulatorValue}`);
  if (!(h.eps >= 0)) throw new RangeError(`Invalid epsilon value: ${h.eps}`);
  return h;
}

export class Adagrad extends Optimizer<AdagradHyper> {
  /** `new Adagrad(params, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 })`. */
  constructor(params: ParamsArg<AdagradHyper>, ...args: AdagradArgs) {
    super(params, adagradDefaults(args));
  }

  /** NOTE: like PyTorch, Adagrad creates its state when a parameter joins (step 0, sum filled with
   *  initialAccumulatorValue), so stateDict() lists every parameter even before the first step. */
  override addParamGroup(group: ParamGroupInput<AdagradHyper>): void {
    super.addParamGroup(group);
    const added = this.paramGroups[this.paramGroups.length - 1];
    for (const p of added.params) this.initState(p, added.initialAccumulatorValue);
  }

  private initState(p: Tensor, initialAccumulatorValue: number): void {
    if (this.state.has(p)) return;
    this.state.set(p, { step: 0, sum: fullLike(p, initialAccumulatorValue) });
  }

  protected updateGroup(group: ParamGroup<AdagradHyper>): void {
    const { lr, lrDecay, eps, weightDecay, maximize } = group;
    for (const [p, g] of this.withGrads(group)) {
      this.initState(p, group.initialAccumulatorValue); // state dropped by loadStateDict of an older dict
      const state = this.stateOf(p);
      const step = (state.step as number) + 1;
      state.step = step;
      let grad = maximize ? g.neg() : g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const clr = lr / (1 + (step - 1) * lrDecay);
      const sum = state.sum as Tensor;
      sum.add_(grad.mul(grad)); // addcmul_(grad, grad, value=1)
      const std = sum.sqrt().add_(eps);
      p.add_(grad.mul(-clr).div_(std)); // addcdiv_(grad, std, value=-clr)
    }
  }
}
