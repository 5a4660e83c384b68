// optim.Rprop: resilient backpropagation: per-element step sizes grow by etaplus while the gradient
// keeps its sign and shrink by etaminus when it flips (clamped to step_sizes; after a flip that
// element's gradient counts as 0), p -= sign(g) * step_size; maximize. In PyTorch's float32 order.
// ref: torch/optim/rprop.py _single_tensor_rprop (PyTorch 1.13); Riedmiller & Braun, ICNN 1993.
import type { Tensor } from "../tensor.js";
import { fullLike, zerosLike } from "../ops/creation.js";
import { Optimizer, type ParamGroup, type ParamsArg } from "./optimizer.js";
import { parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";

export interface RpropHyper {
  [k: string]: unknown;
  lr: number;
  etas: [number, number];
  stepSizes: [number, number];
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
  maximize: boolean;
}
export type RpropOptions = Partial<RpropHyper>;
export type RpropArgs = PositionalThenOptions<
  [lr: number, etas: [number, number], stepSizes: [number, number], foreach: boolean | null, maximize: boolean],
  RpropOptions
>;

const DEFAULTS = {
  lr: 1e-2, etas: [0.5, 1.2] as [number, number], stepSizes: [1e-6, 50] as [number, number],
  foreach: null as boolean | null, maximize: false,
};

function rpropDefaults(args: readonly unknown[]): RpropHyper {
  const given = parseArgs("Rprop", ["lr", "etas", "stepSizes", "foreach", "maximize"], args);
  const h = resolveHyper("Rprop", DEFAULTS, given);
  if (!(h.lr >= 0)) throw new RangeError(`Invalid learning rate: ${h.lr}`);
  if (!(h.etas[0] > 0 && h.etas[0] < 1 && h.etas[1] > 1)) throw new RangeError(`Invalid eta values: ${h.etas[0]}, ${h.etas[1]}`);
  return h;
}

export class Rprop extends Optimizer<RpropHyper> {
  /** `new Rprop(params, { lr: 0.01, etas: [0.5, 1.2], stepSizes: [1e-6, 50] })`. */
  constructor(params: ParamsArg<RpropHyper>, ...args: RpropArgs) {
    super(params, rpropDefaults(args));
  }

  protected updateGroup(group: ParamGroup<RpropHyper>): void {
    const [etaminus, etaplus] = group.etas;
    const [stepSizeMin, stepSizeMax] = group.stepSizes;
    for (const [p, g] of this.withGrads(group)) {
      const state = this.stateOf(p);
      if (!("prev" in state)) {
        state.step = 0;
        state.prev = zerosLike(p);
        state.stepSize = fullLike(p, group.lr); // the group's lr when the state is created
      }
      state.step = (state.step as number) + 1;
      const grad = (group.maximize ? g.neg() : g).clone();
      const prev = state.prev as Tensor, stepSize = state.stepSize as Tensor;
      const s = grad.mul(prev).sign();
      const flipped = s.lt(0);
      // sign > 0 -> etaplus, < 0 -> etaminus, == 0 -> 1 (NaN stays NaN)
      const factor = s.where(s.le(0), etaplus).where(s.ge(0), etaminus).where(s.ne(0), 1);
      stepSize.mul_(factor).clamp_(stepSizeMin, stepSizeMax);
      grad.maskedFill_(flipped, 0); // after a sign flip the element doesn't move and forgets its gradient
      p.add_(grad.sign().mul(-1).mul_(stepSize)); // addcmul_(grad.sign(), step_size, value=-1)
      prev.copy_(grad);
    }
  }
}

