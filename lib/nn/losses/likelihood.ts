// nn.functional's negative log-likelihood losses of distributions: poisson_nll_loss (counts, rate
// given as its log or itself, optionally with the Stirling term) and gaussian_nll_loss (mean and
// variance, var clamped at eps with its gradient passed through, as PyTorch's no_grad clamp does).
// ref: aten/src/ATen/native/Loss.cpp poisson_nll_loss, torch/nn/functional.py gaussian_nll_loss (1.13).
import type { Tensor } from "../../tensor.js";
import { sameShape } from "../../shape.js";
import { checkBool, checkNumber, checkTensor, parseArgs } from "../args.js";
import { clampMinKeepGrad } from "../clamp_keep_grad.js";
import { applyReduction, type Reduction } from "./reduction.js";
import { pyReduction, type LegacyReductionOptions } from "./margin.js";

export interface PoissonNllOptions extends LegacyReductionOptions {
  logInput?: boolean;
  full?: boolean;
  eps?: number;
}

/** exp(input) − target·input (logInput), else input − target·log(input + eps); with full, plus
 *  Stirling's target·log(target) − target + ½·log(2π·target) where target > 1. */
export function poissonNllLoss(input: Tensor, target: Tensor, options?: PoissonNllOptions): Tensor;
export function poissonNllLoss(input: Tensor, target: Tensor, logInput?: boolean, ...rest: unknown[]): Tensor;
export function poissonNllLoss(...args: unknown[]): Tensor {
  const fn = "poisson_nll_loss";
  const o = parseArgs<any>(fn, args, ["input", "target", "logInput", "full", "sizeAverage", "eps", "reduce", "reduction"], {
    logInput: true, full: false, sizeAverage: null, eps: 1e-8, reduce: null, reduction: "mean",
  });
  const x = checkTensor(fn, "input", o.input, 1);
  const y = checkTensor(fn, "target", o.target, 2);
  const logInput = checkBool(fn, "log_input", o.logInput);
  const full = checkBool(fn, "full", o.full);
  const eps = checkNumber(fn, "eps", o.eps);
  const reduction = pyReduction(o);
  let loss = logInput ? x.exp().sub(y.mul(x)) : x.sub(y.mul(x.add(eps).log()));
  if (full) {
    const stirling = y.mul(y.log()).sub(y).add(y.mul(2 * Math.PI).log().mul(0.5));
    // NOTE: masked, not multiplied: target 0 gives 0·log 0 = NaN there, which the mask drops.
    loss = loss.add(stirling.maskedFill(y.le(1), 0));
  }
  return applyReduction(loss, reduction);
}

export interface GaussianNllOptions {
  full?: boolean;
  eps?: number;
  reduction?: Reduction;
}

/** ½·(log var + (input − target)²/var) (+ ½·log 2π with full). var is input-shaped (heteroscedastic),
 *  or input's shape without its last dim, or with a last dim of 1 (one variance per row). */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, options?: GaussianNllOptions): Tensor;
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, full?: boolean, eps?: number, reduction?: Reduction): Tensor;
export function gaussianNllLoss(...args: unknown[]): Tensor {
  const fn = "gaussian_nll_loss";
  const o = parseArgs<any>(fn, args, ["input", "target", "var", "full", "eps", "reduction"], { full: false, eps: 1e-6, reduction: "mean" });
  const x = checkTensor(fn, "input", o.input, 1);
  const y = checkTensor(fn, "target", o.target, 2);
  let v = checkTensor(fn, "var", o.var, 3);
  const full = checkBool(fn, "full", o.full);
  const eps = checkNumber(fn, "eps", o.eps);
  if (!sameShape(v.shape, x.shape)) {
    const rows = x.shape.slice(0, -1);
    if (sameShape(rows, v.shape)) v = v.unsqueeze(-1);
    else if (!(sameShape(rows, v.shape.slice(0, -1)) && v.shape[v.ndim - 1] === 1)) throw new RangeError("var is of incorrect size");
  }
  const reduction = o.reduction;
  if (reduction !== "none" && reduction !== "mean" && reduction !== "sum") throw new RangeError(`${String(reduction)} is not valid`);
  if (v.detach().lt(0).any().item()) throw new RangeError("var has negative entry/entries");
  v = clampMinKeepGrad(v, eps);
  const d = x.sub(y);
  let loss = v.log().add(d.pow(2).div(v)).mul(0.5);
  if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return applyReduction(loss, reduction);
}
