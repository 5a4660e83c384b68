// optim.ASGD: averaged SGD: p *= 1 - lambd * eta, p -= eta * g, the running average ax (plain copy
// until step t0, then ax += mu * (p - ax)), eta = lr / (1 + lambd * lr * t)^alpha, mu = 1 / max(1, t - t0);
// L2 weight decay and maximize, in PyTorch's float32 order.
// ref: torch/optim/asgd.py _single_tensor_asgd (PyTorch 1.13); Polyak & Juditsky, SIAM J. Control 1992.
import type { Tensor } from "../tensor.js";
import { zerosLike } from "../ops/creation.js";
import { Optimizer, type ParamGroup, type ParamsArg } from "./optimizer.js";
import { parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";

export interface ASGDHyper {
  [k: string]: unknown;
  lr: number;
  lambd: number;
  alpha: number;
  t0: number;
  weightDecay: number;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
  maximize: boolean;
}
export type ASGDOptions = Partial<ASGDHyper>;
export type ASGDArgs = PositionalThenOptions<
  [lr: number, lambd: number, alpha: number, t0: number, weightDecay: number, foreach: boolean | null, maximize: boolean],
  ASGDOptions
>;

const DEFAULTS = {
  lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, foreach: null as boolean | null, maximize: false,
};

function asgdDefaults(args: readonly unknown[]): ASGDHyper {
  const given = parseArgs("ASGD", ["lr", "lambd", "alpha", "t0", "weightDecay", "foreach", "maximize"], args);
  const h = resolveHyper("ASGD", DEFAULTS, given);
  if (!(h.lr >= 0)) throw new RangeError(`Invalid learning rate: ${h.lr}`);
  if (!(h.weightDecay >= 0)) throw new RangeError(`Invalid weight_decay value: ${h.weightDecay}`);
  return h;
}

const FLOAT_DEFAULTS: ReadonlyMap<string, number> = new Map([["t0", 1e6]]);

export class ASGD extends Optimizer<ASGDHyper> {
  /** `new ASGD(params, { lr: 0.01, lambd: 1e-4, alpha: 0.75, t0: 1e6 })`. */
  constructor(params: ParamsArg<ASGDHyper>, ...args: ASGDArgs) {
    super(params, asgdDefaults(args));
  }

  /** PyTorch's default is a float: it prints as one. */
  protected override floatDefaults(): ReadonlyMap<string, number> {
    return FLOAT_DEFAULTS;
  }

  protected updateGroup(group: ParamGroup<ASGDHyper>): void {
    const { lr, lambd, alpha, t0, weightDecay, maximize } = group;
    const f32 = Math.fround;
    for (const [p, g] of this.withGrads(group)) {
      const state = this.stateOf(p);
      // NOTE: PyTorch keeps step, eta and mu in float32 0-d tensors (torch.tensor(lr)) whatever the
      // parameter's dtype; torchlet stores them as numbers rounded to float32 the same way.
      if (!("ax" in state)) {
        state.step = 0;
        state.eta = f32(lr);
        state.mu = 1;
        state.ax = zerosLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      let grad = maximize ? g.neg() : g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const eta = state.eta as number, mu = state.mu as number;
      const ax = state.ax as Tensor;
      p.mul_(1 - lambd * eta);
      p.add_(grad, { alpha: -eta });
      if (mu !== 1) ax.add_(p.sub(ax).mul(mu));
      else ax.copy_(p);
      state.eta = f32(lr / Math.pow(1 + lambd * lr * step, alpha));
      state.mu = f32(1 / Math.max(1, step - t0));
    }
  }
}
