// nn.functional.multiMarginLoss: the multi-class hinge loss, divided by the number of classes C
// (the target class included), with p in {1, 2}, margin and per-class weight.
// ref: aten/src/ATen/native/LossMultiMargin.cpp (PyTorch 1.13).
import type { Tensor } from "../../tensor.js";
import { arange } from "../../ops/creation.js";
import { checkNumber, checkOptionalTensor, checkTensor, parseArgs } from "../args.js";
import { checkFloat, checkLong, resolveReduction, type Reduction } from "./reduction.js";

export interface MultiMarginOptions {
  p?: 1 | 2;
  margin?: number;
  weight?: Tensor | null;
  reduction?: Reduction;
  sizeAverage?: boolean | null;
  reduce?: boolean | null;
}

/** Σ_{i≠y} max(0, margin − x[y] + x[i])^p · weight[y] / C per sample (C = number of classes). */
export function multiMarginLoss(input: Tensor, target: Tensor, options?: MultiMarginOptions): Tensor;
export function multiMarginLoss(input: Tensor, target: Tensor, p?: 1 | 2, ...rest: unknown[]): Tensor;
export function multiMarginLoss(...args: unknown[]): Tensor {
  const fn = "multi_margin_loss";
  const o = parseArgs<any>(fn, args, ["input", "target", "p", "margin", "weight", "sizeAverage", "reduce", "reduction"], {
    p: 1, margin: 1, weight: null, sizeAverage: null, reduce: null, reduction: "mean",
  });
  const input = checkTensor(fn, "input", o.input, 1);
  const target = checkTensor(fn, "target", o.target, 2);
  const weight = checkOptionalTensor(fn, "weight", o.weight);
  const margin = checkNumber(fn, "margin", o.margin);
  const reduction = resolveReduction(o);
  if (o.p !== 1 && o.p !== 2) throw new RangeError("only p == 1 and p == 2 supported");
  if (weight !== null && weight.ndim !== 1) throw new RangeError("weight must be one-dimensional");
  const nd = input.ndim;
  if (!((nd === 2 && input.shape[1] !== 0) || (nd === 1 && input.shape[0] !== 0) || nd === 0)) {
    throw new RangeError(`Expected non-empty vector or matrix with optional 0-dim batch size, but got: [${input.shape.join(", ")}]`);
  }
  const nframe = nd <= 1 ? 1 : input.shape[0];
  const classes = nd === 0 ? 1 : input.shape[nd - 1];
  if (target.ndim > 1 || target.numel() !== nframe) throw new RangeError(`inconsistent target size, got: [${target.shape.join(", ")}]`);
  checkLong(target);
  checkFloat(fn, input);
  if (weight !== null && weight.numel() !== classes) {
    throw new RangeError(`inconsistent weight size, expected ${classes} but got [${weight.shape.join(", ")}]`);
  }
  for (const v of target.contiguous().storage()) if (v < 0 || v >= classes) throw new RangeError("target out of range");

  const x = input.reshape([nframe, classes]);
  const y = target.reshape([nframe, 1]);
  // margin - x[y] + x[i], in PyTorch's evaluation order (so 0.325 prints as 0.32499998807907104).
  const z = x.gather(1, y).neg().add(margin).add(x);
  let h = z.relu();
  if (o.p === 2) h = h.mul(h);
  if (weight !== null) h = h.mul(weight.indexSelect(0, y.reshape([-1])).unsqueeze(1));
  const others = arange(classes).unsqueeze(0).ne(y); // [n, C]: false at the target class
  const perSample = h.where(others, 0).sum(1).div(classes); // [n]
  if (reduction === "none") return perSample.reshape(target.ndim === 0 ? [] : [nframe]);
  return reduction === "sum" ? perSample.sum() : perSample.mean();
}
