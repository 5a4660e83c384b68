// The loss functions of nn.functional: crossEntropy, nllLoss, multiMarginLoss, klDiv, mseLoss,
// l1Loss, smoothL1Loss, huberLoss, binaryCrossEntropy(WithLogits). Each is a composition of tensor
// ops (log-softmax + gather, ...) following PyTorch 1.13's formulas, denominators and error texts.
// Not here: the deprecated size_average/reduce beyond mapping them to `reduction`.
// ref: torch/nn/functional.py and aten/src/ATen/native/{Loss,LossNLL,LossMultiMargin}.cpp (1.13).
import { Tensor } from "../tensor.js";
import { isGradEnabled, noGrad } from "../autograd/grad_mode.js";
import { rename } from "../autograd/node.js";
import { arange } from "../ops/creation.js";
import { broadcastShapes, sameShape } from "../shape.js";
import { checkNumber, checkOptionalTensor, checkTensor, parseArgs, scalarTypeName, torchSize } from "./args.js";
import { warn } from "./warnings.js";

export type Reduction = "none" | "mean" | "sum";

const REDUCTIONS = ["none", "mean", "sum"];

/** Validates `reduction`, mapping the deprecated sizeAverage/reduce pair as PyTorch does. */
export function resolveReduction(o: { reduction: unknown; sizeAverage?: unknown; reduce?: unknown }, extra: string[] = []): string {
  let r = o.reduction;
  const sa = o.sizeAverage ?? null;
  const red = o.reduce ?? null;
  if (sa !== null || red !== null) {
    r = red === false ? "none" : sa === false ? "sum" : "mean";
    warn(`size_average and reduce args will be deprecated, please use reduction='${r}' instead.`);
  }
  if (typeof r !== "string" || ![...REDUCTIONS, ...extra].includes(r)) throw new RangeError(`${String(r)} is not a valid value for reduction`);
  return r;
}

function applyReduction(loss: Tensor, reduction: string): Tensor {
  return reduction === "mean" ? loss.mean() : reduction === "sum" ? loss.sum() : loss;
}

function checkFloat(fn: string, t: Tensor): void {
  if (t.dtype !== "float32") throw new TypeError(`${fn}: expected scalar type Float but found ${scalarTypeName(t.dtype)}`);
}

function checkLong(t: Tensor): void {
  if (t.dtype !== "int64") throw new TypeError(`expected scalar type Long but found ${scalarTypeName(t.dtype)}`);
}

/** `value`, with d(value)/d(x) = grad elementwise: for losses whose PyTorch backward is a closed
 *  formula that plain autograd of the forward would not reproduce at the edges (BCE's clamp). */
function withGrad(value: Tensor, x: Tensor, grad: Tensor): Tensor {
  if (!isGradEnabled() || !x.requiresGrad) return value;
  // NOTE: x*g - x.detach()*g is exactly 0 forward, and its gradient w.r.t. x is g.
  return value.add(x.mul(grad).sub(x.detach().mul(grad)));
}

// ---- negative log likelihood and cross entropy ----

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
  if (weight.dtype !== "float32") throw new TypeError(`expected scalar type Float but found ${scalarTypeName(weight.dtype)}`);
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
  for (const v of t.contiguous().storage()) {
    if (v !== ignoreIndex && (v < 0 || v >= classes)) throw new RangeError(`Target ${v} is out of bounds.`);
  }
  const valid = t.ne(ignoreIndex);
  const safe = t.where(valid, 0); // ignored rows read class 0, then get weight 0
  const picked = rows.gather(1, safe.unsqueeze(1)).squeeze(1); // [M]
  const w = (weight === null ? valid.float() : weight.indexSelect(0, safe).where(valid, 0)).detach();
  // NOTE: `where`, not a multiply by 0, so an ignored row whose log-prob is -inf gives 0, not NaN.
  const loss = picked.neg().mul(w).where(valid, 0);
  if (reduction === "none") return rename(loss.reshape(target.shape), "NllLossBackward0");
  if (reduction === "sum") return rename(loss.sum(), "NllLossBackward0");
  // mean: divided by the summed weight of the non-ignored targets (0/0 = NaN when all are ignored).
  return rename(loss.sum().div(w.sum()), "NllLossBackward0");
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
    if (target.dtype !== "float32") {
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

// ---- margin and divergence ----

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

// ---- regression losses ----

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
  if (d.dtype !== "float32") throw new TypeError(`"${kernel}" not implemented for '${scalarTypeName(d.dtype)}'`);
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

// ---- binary classification ----

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
