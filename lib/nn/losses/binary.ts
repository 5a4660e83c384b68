// nn.functional.binaryCrossEntropy (logs clamped at −100, PyTorch's closed-form gradient) and
// binaryCrossEntropyWithLogits (stable log-sum-exp form, weight and posWeight).
// ref: aten/src/ATen/native/Loss.cpp (binary_cross_entropy*, PyTorch 1.13).
import type { Tensor } from "../../tensor.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { rename } from "../../autograd/node.js";
import { broadcastShapes, sameShape } from "../../shape.js";
import { checkOptionalTensor, checkTensor, parseArgs, torchSize } from "../args.js";
import { applyReduction, checkFloat, resolveReduction, withGrad, type Reduction } from "./reduction.js";

export interface BCEOptions {
  weight?: Tensor | null;
  reduction?: Reduction;
  sizeAverage?: boolean | null;
  reduce?: boolean | null;
}

/**
 * −w·(y·log x + (1−y)·log(1−x)) with each log clamped at −100 (so x = 0, y = 1 gives 100).
 * The gradient is PyTorch's closed form w·(x − y)/max(x(1−x), 1e-12), finite at x = 0 and 1.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options?: BCEOptions): Tensor;
export function binaryCrossEntropy(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: unknown[]): Tensor;
export function binaryCrossEntropy(...args: unknown[]): Tensor {
  const fn = "binary_cross_entropy";
  const o = parseArgs<any>(fn, args, ["input", "target", "weight", "sizeAverage", "reduce", "reduction"], {
    weight: null, sizeAverage: null, reduce: null, reduction: "mean",
  });
  const x = checkTensor(fn, "input", o.input, 1);
  const y = checkTensor(fn, "target", o.target, 2);
  let weight = checkOptionalTensor(fn, "weight", o.weight);
  const reduction = resolveReduction(o);
  if (!sameShape(x.shape, y.shape)) {
    throw new RangeError(`Using a target size (${torchSize(y.shape)}) that is different to the input size (${torchSize(x.shape)}) is deprecated. Please ensure they have the same size.`);
  }
  if (weight !== null) weight = weight.expand(broadcastShapes(y.shape, weight.shape));
  checkFloat(fn, x);
  checkFloat(fn, y);
  for (const v of x.contiguous().storage()) if (!(v >= 0 && v <= 1)) throw new RangeError("all elements of input should be between 0 and 1");
  const [value, grad] = noGrad(() => {
    const xd = x.detach();
    let v = y.sub(1).mul(xd.neg().log1p().clamp(-100)).sub(y.mul(xd.log().clamp(-100)));
    let g = xd.sub(y).div(xd.neg().add(1).mul(xd).clamp(1e-12));
    if (weight !== null) {
      v = v.mul(weight);
      g = g.mul(weight);
    }
    return [v, g];
  });
  return applyReduction(rename(withGrad(value, x, grad), "BinaryCrossEntropyBackward0"), reduction);
}

export interface BCEWithLogitsOptions extends BCEOptions {
  posWeight?: Tensor | null;
}

/** BCE on sigmoid(input), computed stably from the logits; posWeight scales only the positive term. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options?: BCEWithLogitsOptions): Tensor;
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: unknown[]): Tensor;
export function binaryCrossEntropyWithLogits(...args: unknown[]): Tensor {
  const fn = "binary_cross_entropy_with_logits";
  const o = parseArgs<any>(fn, args, ["input", "target", "weight", "sizeAverage", "reduce", "reduction", "posWeight"], {
    weight: null, sizeAverage: null, reduce: null, reduction: "mean", posWeight: null,
  });
  const x = checkTensor(fn, "input", o.input, 1);
  const y = checkTensor(fn, "target", o.target, 2);
  const weight = checkOptionalTensor(fn, "weight", o.weight);
  const posWeight = checkOptionalTensor(fn, "posWeight", o.posWeight);
  const reduction = resolveReduction(o);
  if (!sameShape(x.shape, y.shape)) {
    throw new RangeError(`Target size (${torchSize(y.shape)}) must be the same as input size (${torchSize(x.shape)})`);
  }
  checkFloat(fn, x);
  checkFloat(fn, y);
  // (1−y)·x + lw·(log(e^−m + e^(−x−m)) + m), m = max(−x, 0), lw = 1 + (pos_weight − 1)·y: PyTorch's form.
  const m = x.neg().clamp(0);
  const logTerm = m.neg().exp().add(x.neg().sub(m).exp()).log(); // log(1 + e^−x) − m
  const oneMinusY = y.neg().add(1);
  let loss = posWeight === null
    ? oneMinusY.mul(x).add(m).add(logTerm)
    : oneMinusY.mul(x).add(posWeight.sub(1).mul(y).add(1).mul(logTerm.add(m)));
  if (weight !== null) loss = loss.mul(weight);
  return applyReduction(rename(loss, "BinaryCrossEntropyWithLogitsBackward0"), reduction);
}
