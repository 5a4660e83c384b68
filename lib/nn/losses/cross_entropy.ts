// nn.functional.nllLoss and crossEntropy: log_softmax + gather, for class-index targets (with
// weight, ignoreIndex, label smoothing, unbatched and K-dimensional input) and class-probability
// targets, with PyTorch 1.13's denominators and error messages.
// ref: aten/src/ATen/native/LossNLL.cpp (cross_entropy_loss, nll_loss_nd), PyTorch 1.13.
import type { Tensor } from "../../tensor.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { rename } from "../../autograd/node.js";
import { sameShape } from "../../shape.js";
import { isFloating } from "../../dtype.js";
import { checkNumber, checkOptionalTensor, checkTensor, parseArgs, scalarTypeName } from "../args.js";
import { checkFloat, checkLong, resolveReduction, type Reduction } from "./reduction.js";

interface NllArgs {
  input: Tensor;
  target: Tensor;
  weight: Tensor | null;
  ignoreIndex: number;
  reduction: string;
}

function checkClassWeight(weight: Tensor | null, classes: number): void {
  if (weight === null) return;
  if (weight.ndim !== 1 || weight.numel() !== classes) {
    throw new RangeError(`weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: [${weight.shape.join(", ")}]`);
  }
  if (weight.dtype !== "float32" && weight.dtype !== "float64") throw new TypeError(`expected scalar type Float but found ${scalarTypeName(weight.dtype)}`);
}

/** The weight of each class along `classDim` of an ndim-D tensor, as a broadcastable view. */
function classWeightView(weight: Tensor, ndim: number, classDim: number): Tensor {
  return weight.reshape(Array.from({ length: ndim }, (_, i) => (i === classDim ? weight.numel() : 1)));
}

/** nll_loss_nd on log-probabilities: input [C] / [N, C] / [N, C, d1, ...], target [] / [N] / [N, d1, ...]. */
function nll({ input, target, weight, ignoreIndex, reduction }: NllArgs): Tensor {
  if (input.ndim < 1) throw new RangeError(`Expected 1 or more dimensions (got ${input.ndim})`);
  const targetBatch = target.ndim === 0 ? 0 : target.shape[0];
  if (input.ndim !== 1 && input.shape[0] !== targetBatch) {
    throw new RangeError(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${targetBatch}).`);
  }
  if (input.ndim <= 2) {
    if (target.ndim > 1) throw new RangeError("0D or 1D target tensor expected, multi-target not supported");
    if (input.ndim === 1 && target.ndim !== 0) {
      throw new RangeError(`size mismatch (got input: [${input.shape.join(", ")}], target: [${target.shape.join(", ")}])`);
    }
  } else if (!sameShape(target.shape.slice(1), input.shape.slice(2))) {
    throw new RangeError(`Expected target size [${[input.shape[0], ...input.shape.slice(2)].join(", ")}], got [${target.shape.join(", ")}]`);
  }
  checkLong(target);
  const classes = input.shape[input.ndim === 1 ? 0 : 1];
  checkClassWeight(weight, classes);
  checkFloat("nll_loss", input);

  // Rows [M, C] and their targets [M] (classes moved last for K-dimensional input).
  let rows: Tensor;
  if (input.ndim === 1) rows = input.unsqueeze(0);
  else if (input.ndim === 2) rows = input;
  else rows = input.permute([0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2), 1]).reshape([-1, classes]);
  const t = target.reshape([-1]);
  let ignored = 0;
  for (const v of t.contiguous().storage()) {
    if (v === ignoreIndex) ignored++;
    else if (v < 0 || v >= classes) throw new RangeError(`Target ${v} is out of bounds.`);
  }
  // Steps that are identities in the common case (every target counts, no weight) are skipped:
  // a training step of a small model feels each op's few µs of JS.
  const valid = ignored > 0 ? t.ne(ignoreIndex) : null;
  const safe = valid ? t.where(valid, 0) : t; // ignored rows read class 0, then get weight 0
  let loss = rows.gather(1, safe.unsqueeze(1)).squeeze(1).neg(); // [M]
  // Each row's weight; null when every row weighs 1.
  let w = weight === null ? null : weight.indexSelect(0, safe);
  if (valid) w = w === null ? valid.float() : w.where(valid, 0);
  if (w) loss = loss.mul(w.detach());
  // NOTE: `where`, not a multiply by 0, so an ignored row whose log-prob is -inf gives 0, not NaN.
  if (valid) loss = loss.where(valid, 0);
  if (reduction === "none") return rename(loss.reshape(target.shape), "NllLossBackward0");
  if (reduction === "sum") return rename(loss.sum(), "NllLossBackward0");
  // mean: divided by the summed weight of the non-ignored targets (0/0 = NaN when all are ignored).
  return rename(loss.sum().div(w === null ? t.numel() : w.detach().sum()), "NllLossBackward0");
}

const NLL_NAMES = ["input", "target", "weight", "sizeAverage", "ignoreIndex", "reduce", "reduction"];

/** The negative log likelihood of targets given log-probabilities (no log_softmax applied). */
export function nllLoss(input: Tensor, target: Tensor, options?: NllLossOptions): Tensor;
export function nllLoss(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: unknown[]): Tensor;
export function nllLoss(...args: unknown[]): Tensor {
  const o = parseArgs<any>("nll_loss", args, NLL_NAMES, { weight: null, sizeAverage: null, ignoreIndex: -100, reduce: null, reduction: "mean" });
  return nll({
    input: checkTensor("nll_loss", "input", o.input, 1),
    target: checkTensor("nll_loss", "target", o.target, 2),
    weight: checkOptionalTensor("nll_loss", "weight", o.weight),
    ignoreIndex: checkNumber("nll_loss", "ignoreIndex", o.ignoreIndex),
    reduction: resolveReduction(o),
  });
}

export interface NllLossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
  sizeAverage?: boolean | null;
  reduce?: boolean | null;
}
export interface CrossEntropyOptions extends NllLossOptions {
  labelSmoothing?: number;
}

/**
 * log_softmax over the class dim (1, or 0 for 1-D input) then the NLL of class-index targets
 * (int64, shape without the class dim) or the cross entropy with class-probability targets
 * (float, same shape as input). labelSmoothing mixes in the uniform distribution.
 */
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyOptions): Tensor;
export function crossEntropy(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: unknown[]): Tensor;
export function crossEntropy(...args: unknown[]): Tensor {
  const fn = "cross_entropy";
  const o = parseArgs<any>(fn, args, [...NLL_NAMES, "labelSmoothing"], {
    weight: null, sizeAverage: null, ignoreIndex: -100, reduce: null, reduction: "mean", labelSmoothing: 0,
  });
  const input = checkTensor(fn, "input", o.input, 1);
  const target = checkTensor(fn, "target", o.target, 2);
  const weight = checkOptionalTensor(fn, "weight", o.weight);
  const ignoreIndex = checkNumber(fn, "ignoreIndex", o.ignoreIndex);
  const reduction = resolveReduction(o);
  const ls = checkNumber(fn, "labelSmoothing", o.labelSmoothing);
  if (ls < 0 || ls > 1) throw new RangeError(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const logp = input.logSoftmax(classDim);
  const classes = input.shape[classDim];

  if (sameShape(input.shape, target.shape)) {
    // Class probabilities. NOTE: mean divides by the number of samples, never by a weight sum.
    if (!isFloating(target.dtype)) {
      throw new TypeError(`Expected floating point type for target with class probabilities, got ${scalarTypeName(target.dtype)}`);
    }
    if (ignoreIndex >= 0) throw new Error("ignore_index is not supported for floating point target");
    checkClassWeight(weight, classes);
    const probs = ls > 0 ? target.mul(1 - ls).add(ls / classes) : target;
    let terms = logp.mul(probs);
    if (weight !== null) terms = terms.mul(classWeightView(weight, input.ndim, classDim));
    const loss = terms.sum(classDim).neg();
    if (reduction === "none") return loss;
    if (reduction === "sum") return loss.sum();
    return rename(loss.sum().div(input.numel() / classes), "DivBackward1");
  }

  const nllLossValue = nll({ input: logp, target, weight, ignoreIndex, reduction });
  if (ls === 0) return nllLossValue;
  // Label smoothing, index targets: (1-ε)·nll + ε/C · Σ_c w_c·(−log p_c), ignored rows excluded;
  // under mean both terms share nll's denominator (the non-ignored weight sum, or count).
  const smooth = (weight === null ? logp : logp.mul(classWeightView(weight, input.ndim, classDim))).sum(classDim).neg();
  const valid = target.ne(ignoreIndex);
  const kept = smooth.where(valid, 0);
  let ret: Tensor;
  if (reduction === "none") ret = kept;
  else if (reduction === "sum") ret = kept.sum();
  else {
    const denom = noGrad(() => (weight === null ? valid.float() : weight.indexSelect(0, target.where(valid, 0).reshape([-1])).reshape(target.shape).where(valid, 0)).sum());
    ret = kept.sum().div(denom);
  }
  return nllLossValue.mul(1 - ls).add(ret.mul(ls / classes));
}
