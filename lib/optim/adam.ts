// optim.Adam (L2 weight decay added to the gradient, amsgrad, maximize), and the moment update it
// shares with AdamW, as one fused backend pass in PyTorch's float32 order. No capturable/fused (CUDA).
// ref: torch/optim/adam.py _single_tensor_adam (PyTorch 1.13); Kingma & Ba, arXiv:1412.6980.
import type { Tensor } from "../tensor.js";
import { zerosLike } from "../ops/creation.js";
import { checkInPlace } from "../ops/elementwise.js";
import { backend } from "../backend/index.js";
import { Optimizer, type ParamGroup, type ParamState, type ParamsArg } from "./optimizer.js";
import { fmt, parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";

export interface AdamHyper {
  [k: string]: unknown;
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** Accepted for PyTorch parity; torchlet has one implementation. */
  foreach: boolean | null;
  capturable: boolean;
  differentiable: boolean;
  fused: boolean;
}
export type AdamOptions = Partial<AdamHyper>;
export type AdamArgs = PositionalThenOptions<[lr: number, betas: [number, number], eps: number, weightDecay: number, amsgrad: boolean], AdamOptions>;

/** Range checks shared by Adam and AdamW, with PyTorch's messages. */
export function checkAdamHyper(name: string, h: { lr: number; eps: number; betas: number[]; weightDecay: number; capturable: boolean }): void {
  if (!(h.lr >= 0)) throw new RangeError(`Invalid learning rate: ${h.lr}`);
  if (!(h.eps >= 0)) throw new RangeError(`Invalid epsilon value: ${h.eps}`);
  if (!(h.betas[0] >= 0 && h.betas[0] < 1)) throw new RangeError(`Invalid beta parameter at index 0: ${fmt(h.betas[0])}`);
  if (!(h.betas[1] >= 0 && h.betas[1] < 1)) throw new RangeError(`Invalid beta parameter at index 1: ${fmt(h.betas[1])}`);
  if (!(h.weightDecay >= 0)) throw new RangeError(`Invalid weight_decay value: ${h.weightDecay}`);
  if (h.capturable) throw new RangeError(`${name}: capturable=true is for CUDA graph capture, which torchlet doesn't have`);
}

const DEFAULTS = {
  lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, amsgrad: false,
  maximize: false, foreach: null as boolean | null, capturable: false, differentiable: false, fused: false,
};

function adamDefaults(args: readonly unknown[]): AdamHyper {
  const given = parseArgs("Adam", ["lr", "betas", "eps", "weightDecay", "amsgrad"], args, ["foreach", "maximize", "capturable", "differentiable", "fused"]);
  const h = resolveHyper("Adam", DEFAULTS, given);
  checkAdamHyper("Adam", h);
  if (h.differentiable) throw new RangeError("Adam: differentiable=true is not supported (the update always runs under noGrad)");
  if (h.fused) throw new RangeError("FusedAdam requires all the params to be CUDA, floating point");
  return h;
}

/** The moment state of a parameter, created on its first step (zeros; step 0). */
export function adamState(state: ParamState, p: Tensor, amsgrad: boolean): void {
  if ("expAvg" in state) return;
  state.step = 0;
  state.expAvg = zerosLike(p);
  state.expAvgSq = zerosLike(p);
  if (amsgrad) state.maxExpAvgSq = zerosLike(p);
}

/**
 * The Adam update of one parameter from its (already decayed/negated) gradient: the moments,
 * bias corrections and `p -= step_size * m / (sqrt(v) / sqrt(bc2) + eps)`, after `p *= decay` when
 * decay !== 1 (AdamW). NOTE: eps is added after the bias correction of sqrt(v), and the backend's
 * fused kernel follows PyTorch's float32 operation order (see Backend.adamStep), one pass in place.
 */
export function adamUpdate(
  p: Tensor, grad: Tensor, state: ParamState,
  h: { lr: number; betas: number[]; eps: number; amsgrad: boolean },
  decay = 1,
): void {
  const [beta1, beta2] = h.betas;
  const step = (state.step as number) + 1;
  state.step = step;
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2 = 1 - beta2 ** step;
  const stepSize = h.lr / biasCorrection1;
  let maxSq: Tensor | null = null;
  if (h.amsgrad) {
    // amsgrad: normalise by the running maximum of v instead of v itself
    maxSq = (state.maxExpAvgSq as Tensor | undefined) ?? null;
    if (!maxSq) maxSq = state.maxExpAvgSq = zerosLike(p); // amsgrad switched on after the first step
  }
  checkInPlace(p, "Adam.step"); // the fused kernel writes p in place: refuse overlapping (expanded) params
  if (p.dtype === "float64") return adamUpdateComposed(p, grad, state, maxSq, beta1, beta2, stepSize, Math.sqrt(biasCorrection2), h.eps, decay);
  backend().adamStep(p, grad, state.expAvg as Tensor, state.expAvgSq as Tensor, maxSq, {
    beta1, beta2, negStepSize: -stepSize, bc2Sqrt: Math.sqrt(biasCorrection2), eps: h.eps, decay,
  });
}

/** The same update for a float64 parameter, as PyTorch's _single_tensor_adam composes it from
 *  in-place tensor ops (each rounded in double); the fused kernels are float32's. */
function adamUpdateComposed(
  p: Tensor, grad: Tensor, state: ParamState, maxSq: Tensor | null,
  beta1: number, beta2: number, stepSize: number, bc2Sqrt: number, eps: number, decay: number,
): void {
  const m = state.expAvg as Tensor, v = state.expAvgSq as Tensor;
  if (decay !== 1) p.mul_(decay);
  m.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
  v.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad)); // addcmul_(grad, grad, value=1-beta2)
  let w = v;
  if (maxSq !== null) {
    maxSq.copy_(maxSq.maximum(v));
    w = maxSq;
  }
  const denom = w.sqrt().div(bc2Sqrt).add(eps);
  p.add_(m.div(denom).mul(-stepSize)); // addcdiv_(exp_avg, denom, value=-step_size)
}

export class Adam extends Optimizer<AdamHyper> {
  /** `new Adam(params)`, `new Adam(params, { lr: 0.01, betas: [0.8, 0.9] })` or `new Adam(params, 0.01)`. */
  constructor(params: ParamsArg<AdamHyper>, ...args: AdamArgs) {
    super(params, adamDefaults(args));
  }

  protected updateGroup(group: ParamGroup<AdamHyper>): void {
    for (const [p, g] of this.withGrads(group)) {
      const state = this.stateOf(p);
      adamState(state, p, group.amsgrad);
      let grad = group.maximize ? g.neg() : g;
      // NOTE: Adam's weight decay is L2: added to the gradient before the moments (AdamW decouples it).
      if (group.weightDecay !== 0) grad = grad.add(p, { alpha: group.weightDecay });
      adamUpdate(p, grad, state, group);
    }
  }
}
