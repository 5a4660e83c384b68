// nn.functional.klDiv: pointwise KL divergence of log-probability inputs from a target, with
// PyTorch 1.13's 'mean' (element mean, warns) vs 'batchmean' and logTarget.
// ref: torch/nn/functional.py kl_div and aten/src/ATen/native/Loss.cpp (PyTorch 1.13).
import type { Tensor } from "../../tensor.js";
import { checkTensor, parseArgs } from "../args.js";
import { warn } from "../warnings.js";
import { applyReduction, resolveReduction, type Reduction } from "./reduction.js";

export interface KLDivOptions {
  reduction?: Reduction | "batchmean";
  logTarget?: boolean;
  sizeAverage?: boolean | null;
  reduce?: boolean | null;
}

const KL_MEAN_WARNING =
  "reduction: 'mean' divides the total loss by both the batch size and the support size." +
  "'batchmean' divides only by the batch size, and aligns with the KL div math definition." +
  "'mean' will be changed to behave the same as 'batchmean' in the next major release.";

/** Pointwise target·(log target − input) (0 where target = 0), or exp(t)·(t − input) with logTarget.
 *  NOTE: 'mean' (the default) divides by the element count and warns; 'batchmean' divides by N. */
export function klDiv(input: Tensor, target: Tensor, options?: KLDivOptions): Tensor;
export function klDiv(...args: unknown[]): Tensor {
  const fn = "kl_div";
  const o = parseArgs<any>(fn, args, ["input", "target", "sizeAverage", "reduce", "reduction", "logTarget"], {
    sizeAverage: null, reduce: null, reduction: "mean", logTarget: false,
  });
  const input = checkTensor(fn, "input", o.input, 1);
  const target = checkTensor(fn, "target", o.target, 2);
  const reduction = resolveReduction(o, ["batchmean"]);
  if (reduction === "mean") warn(KL_MEAN_WARNING);
  let pointwise: Tensor;
  if (o.logTarget === true) pointwise = target.exp().mul(target.sub(input));
  else {
    const xlogy = target.mul(target.where(target.ne(0), 1).log()); // xlogy(t, t): 0 where t == 0
    pointwise = xlogy.sub(target.mul(input));
  }
  if (reduction === "batchmean") return input.ndim === 0 ? pointwise.sum() : pointwise.sum().div(input.shape[0]);
  return applyReduction(pointwise, reduction);
}
