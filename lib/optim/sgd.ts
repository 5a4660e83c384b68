// optim.SGD: stochastic gradient descent with momentum, dampening, Nesterov, L2 weight decay and
// maximize, as in-place tensor ops in PyTorch's float32 order. No sparse gradients.
// ref: torch/optim/sgd.py _single_tensor_sgd (PyTorch 1.13).
import { Optimizer, type ParamGroup, type ParamsArg } from "./optimizer.js";
import { parseArgs, required, resolveHyper, type PositionalThenOptions, type Required } from "./args.js";

export interface SGDHyper {
  [k: string]: unknown;
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
  differentiable: boolean;
}
export type SGDOptions = Partial<SGDHyper>;
export type SGDArgs = PositionalThenOptions<[lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean], SGDOptions>;

// NOTE: key order is PyTorch's param_groups order; lr has no default (PyTorch 1.13's `required`).
const DEFAULTS = {
  lr: required as number | Required, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false,
  maximize: false, foreach: null as boolean | null, differentiable: false,
};

function sgdDefaults(args: readonly unknown[]) {
  const given = parseArgs("SGD", ["lr", "momentum", "dampening", "weightDecay", "nesterov"], args, ["maximize", "foreach", "differentiable"]);
  const h = resolveHyper("SGD", DEFAULTS, given);
  if (h.lr !== required && (h.lr as number) < 0) throw new RangeError(`Invalid learning rate: ${String(h.lr)}`);
  if (h.momentum < 0) throw new RangeError(`Invalid momentum value: ${h.momentum}`);
  if (h.weightDecay < 0) throw new RangeError(`Invalid weight_decay value: ${h.weightDecay}`);
  if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) throw new RangeError("Nesterov momentum requires a momentum and zero dampening");
  if (h.differentiable) throw new RangeError("SGD: differentiable=true is not supported (the update always runs under noGrad)");
  return h;
}

export class SGD extends Optimizer<SGDHyper> {
  /** `new SGD(params, { lr: 0.1, momentum: 0.9 })` or `new SGD(params, 0.1, { momentum: 0.9 })`. */
  constructor(params: ParamsArg<SGDHyper>, ...args: SGDArgs) {
    super(params, sgdDefaults(args) as SGDHyper);
  }

  protected updateGroup(group: ParamGroup<SGDHyper>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const [p, grad] of this.withGrads(group)) {
      const state = this.stateOf(p);
      let d = maximize ? grad.neg() : grad;
      if (weightDecay !== 0) d = d.add(p, { alpha: weightDecay });
      if (momentum !== 0) {
        let buf = state.momentumBuffer ?? null;
        // NOTE: the first step stores the gradient itself, with no dampening (PyTorch does the same).
        if (buf === null || typeof buf === "number") buf = d.clone();
        else buf.mul_(momentum).add_(d, { alpha: 1 - dampening });
        state.momentumBuffer = buf;
        d = nesterov ? d.add(buf, { alpha: momentum }) : buf;
      } else {
        // PyTorch stores momentum_buffer = None for every parameter that took a step.
        state.momentumBuffer = null;
      }
      p.add_(d, { alpha: -lr });
    }
  }
}
