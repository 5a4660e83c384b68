// nn.functional.mseLoss, l1Loss, smoothL1Loss and huberLoss: pointwise losses of input − target,
// with PyTorch's warning when the shapes differ (then broadcasting) and its boundary conventions.
// ref: torch/nn/functional.py and aten/src/ATen/native/Loss.cpp (PyTorch 1.13).
import type { Tensor } from "../../tensor.js";
import { sameShape } from "../../shape.js";
import { checkNumber, checkTensor, parseArgs, scalarTypeName, torchSize } from "../args.js";
import { isFloating } from "../../dtype.js";
import { warn } from "../warnings.js";
import { applyReduction, resolveReduction, type Reduction } from "./reduction.js";
import { MseLossNode } from "./mse_node.js";

export interface RegressionOptions {
  reduction?: Reduction;
  sizeAverage?: boolean | null;
  reduce?: boolean | null;
}

/** input − target, with PyTorch's warning when the shapes differ (and broadcasting's error). */
function difference(fn: string, kernel: string, input: Tensor, target: Tensor): Tensor {
  if (!sameShape(input.shape, target.shape)) {
    warn(
      `Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
      { perCallSite: true },
    );
  }
  const d = input.sub(target);
  if (!isFloating(d.dtype)) throw new TypeError(`"${kernel}" not implemented for '${scalarTypeName(d.dtype)}'`);
  return d;
}

function regressionArgs(fn: string, args: unknown[], extra: Record<string, unknown> = {}): any {
  const o = parseArgs<any>(fn, args, ["input", "target", "sizeAverage", "reduce", "reduction", ...Object.keys(extra)], {
    sizeAverage: null, reduce: null, reduction: "mean", ...extra,
  });
  o.input = checkTensor(fn, "input", o.input, 1);
  o.target = checkTensor(fn, "target", o.target, 2);
  o.reduction = resolveReduction(o);
  return o;
}

/** (input − target)². */
export function mseLoss(input: Tensor, target: Tensor, options?: RegressionOptions): Tensor;
export function mseLoss(...args: unknown[]): Tensor {
  const o = regressionArgs("mse_loss", args);
  const d = difference("mse_loss", "mse_cpu", o.input, o.target);
  // NOTE: one node (MseLossBackward0) where PyTorch's kernel takes the operands as they are; mixed
  // dtypes and broadcasting keep the composite, whose gradients promote and reduce by themselves.
  if (o.input.dtype === o.target.dtype && sameShape(o.input.shape, o.target.shape)) {
    return MseLossNode.apply(o.input, o.target, o.reduction);
  }
  return applyReduction(d.mul(d), o.reduction);
}

/** |input − target| (gradient 0 where they are equal). */
export function l1Loss(input: Tensor, target: Tensor, options?: RegressionOptions): Tensor;
export function l1Loss(...args: unknown[]): Tensor {
  const o = regressionArgs("l1_loss", args);
  return applyReduction(difference("l1_loss", "abs_cpu", o.input, o.target).abs(), o.reduction);
}

export interface SmoothL1Options extends RegressionOptions {
  beta?: number;
}

/** 0.5·d²/beta where |d| < beta, else |d| − 0.5·beta; beta = 0 is exactly L1. */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: SmoothL1Options): Tensor;
export function smoothL1Loss(...args: unknown[]): Tensor {
  const o = regressionArgs("smooth_l1_loss", args, { beta: 1.0 });
  const beta = checkNumber("smooth_l1_loss", "beta", o.beta);
  if (beta < 0) throw new RangeError("smooth_l1_loss does not support negative values for beta.");
  const z = difference("smooth_l1_loss", "smooth_l1_cpu", o.input, o.target).abs();
  if (beta === 0) return applyReduction(z, o.reduction);
  return applyReduction(z.mul(0.5).mul(z).div(beta).where(z.lt(beta), z.sub(0.5 * beta)), o.reduction);
}

export interface HuberOptions {
  reduction?: Reduction;
  delta?: number;
}

/** 0.5·d² where |d| < delta, else delta·(|d| − 0.5·delta). */
export function huberLoss(input: Tensor, target: Tensor, options?: HuberOptions): Tensor;
export function huberLoss(...args: unknown[]): Tensor {
  const fn = "huber_loss";
  const o = parseArgs<any>(fn, args, ["input", "target", "reduction", "delta"], { reduction: "mean", delta: 1.0 });
  const input = checkTensor(fn, "input", o.input, 1);
  const target = checkTensor(fn, "target", o.target, 2);
  const reduction = resolveReduction(o);
  const delta = checkNumber(fn, "delta", o.delta);
  if (!(delta > 0)) throw new RangeError("huber_loss does not support non-positive values for delta.");
  const z = difference(fn, "huber_cpu", input, target).abs();
  return applyReduction(z.mul(0.5).mul(z).where(z.lt(delta), z.sub(0.5 * delta).mul(delta)), reduction);
}
