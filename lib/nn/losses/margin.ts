// nn.functional's margin losses on scores: margin_ranking_loss (pairs ranked by a ±1 target),
// hinge_embedding_loss (distances with a ±1 similarity target), soft_margin_loss (logistic loss on
// ±1 labels) and multilabel_soft_margin_loss (per-class logistic loss averaged over classes). Each
// mirrors ATen's (or torch/nn/functional.py's) composition, operation for operation, so broadcasting,
// values and gradients come out as PyTorch's.
// ref: aten/src/ATen/native/Loss.cpp, torch/nn/functional.py (PyTorch 1.13).
import type { Tensor } from "../../tensor.js";
import { where } from "../../ops/elementwise.js";
import { zerosLike } from "../../ops/creation.js";
import { broadcastShapes, sameShape } from "../../shape.js";
import { checkNumber, checkOptionalTensor, checkTensor, parseArgs, torchSize } from "../args.js";
import { logsigmoid } from "../functional_activation.js";
import { applyReduction, resolveReduction, type Reduction } from "./reduction.js";

export interface LegacyReductionOptions {
  reduction?: Reduction;
  sizeAverage?: boolean | null;
  reduce?: boolean | null;
}

const LEGACY = { sizeAverage: null, reduce: null, reduction: "mean" };

/** The arguments of the losses on (input1, input2, target) with a margin (margin ranking, cosine
 *  embedding): checked tensors, the margin and the resolved reduction. */
export function pairWithTarget(fn: string, args: readonly unknown[]): { x1: Tensor; x2: Tensor; y: Tensor; margin: number; reduction: string } {
  const o = parseArgs<any>(fn, args, ["input1", "input2", "target", "margin", "sizeAverage", "reduce", "reduction"], { margin: 0, ...LEGACY });
  return {
    x1: checkTensor(fn, "input1", o.input1, 1),
    x2: checkTensor(fn, "input2", o.input2, 2),
    y: checkTensor(fn, "target", o.target, 3),
    margin: checkNumber(fn, "margin", o.margin),
    reduction: resolveReduction(o),
  };
}

/** reduction for the losses torch/nn/functional.py reduces itself (ValueError "<r> is not valid"). */
export function pyReduction(o: { reduction: unknown; sizeAverage?: unknown; reduce?: unknown }): string {
  if ((o.sizeAverage ?? null) !== null || (o.reduce ?? null) !== null) return resolveReduction(o);
  const r = o.reduction;
  if (r !== "none" && r !== "mean" && r !== "sum") throw new RangeError(`${String(r)} is not valid`);
  return r;
}

export interface MarginRankingOptions extends LegacyReductionOptions {
  margin?: number;
}

/** max(0, −target·(input1 − input2) + margin): target 1 wants input1 ranked higher, −1 input2. */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, options?: MarginRankingOptions): Tensor;
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, margin?: number, ...rest: unknown[]): Tensor;
export function marginRankingLoss(...args: unknown[]): Tensor {
  const fn = "margin_ranking_loss";
  const { x1, x2, y, margin, reduction } = pairWithTarget(fn, args);
  if (x1.ndim !== x2.ndim || x1.ndim !== y.ndim) {
    // NOTE: PyTorch's message ends with a space.
    throw new RangeError(
      `margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${torchSize(x1.shape)}, input2: ${torchSize(x2.shape)}, target: ${torchSize(y.shape)} `,
    );
  }
  return applyReduction(y.neg().mul(x1.sub(x2)).add(margin).clamp(0), reduction);
}

export interface HingeEmbeddingOptions extends LegacyReductionOptions {
  margin?: number;
}

/** input where target is 1, max(0, margin − input) where it is −1 (both terms where it is neither). */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, options?: HingeEmbeddingOptions): Tensor;
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, margin?: number, ...rest: unknown[]): Tensor;
export function hingeEmbeddingLoss(...args: unknown[]): Tensor {
  const fn = "hinge_embedding_loss";
  const o = parseArgs<any>(fn, args, ["input", "target", "margin", "sizeAverage", "reduce", "reduction"], { margin: 1.0, ...LEGACY });
  const x = checkTensor(fn, "input", o.input, 1);
  const y = checkTensor(fn, "target", o.target, 2);
  const margin = checkNumber(fn, "margin", o.margin);
  const reduction = resolveReduction(o);
  const zeros = zerosLike(x);
  const marginClamp = x.neg().add(margin).clamp(0);
  const outputMargin = where(y.ne(1), marginClamp, zeros);
  const outputSelf = where(y.ne(-1), x, zeros);
  return applyReduction(outputMargin.add(outputSelf), reduction);
}

/** log(1 + exp(−target·input)), the logistic loss of ±1 labels; shaped as input (target broadcasts to it). */
export function softMarginLoss(input: Tensor, target: Tensor, options?: LegacyReductionOptions): Tensor;
export function softMarginLoss(...args: unknown[]): Tensor {
  const fn = "soft_margin_loss";
  const o = parseArgs<any>(fn, args, ["input", "target", "sizeAverage", "reduce", "reduction"], LEGACY);
  const x = checkTensor(fn, "input", o.input, 1);
  const y = checkTensor(fn, "target", o.target, 2);
  const reduction = resolveReduction(o);
  // NOTE: ATen writes into an input-shaped output, so a target that would enlarge it is an error.
  const shape = broadcastShapes(x.shape, y.shape);
  if (!sameShape(shape, x.shape)) throw new RangeError(`output with shape [${x.shape.join(", ")}] doesn't match the broadcast shape [${shape.join(", ")}]`);
  return applyReduction(x.neg().mul(y).exp().log1p(), reduction);
}

export interface MultilabelSoftMarginOptions extends LegacyReductionOptions {
  weight?: Tensor | null;
}

/** −(y·log σ(x) + (1 − y)·log σ(−x)), times weight, averaged over the classes (the last dim). */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, options?: MultilabelSoftMarginOptions): Tensor;
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, weight?: Tensor | null, ...rest: unknown[]): Tensor;
export function multilabelSoftMarginLoss(...args: unknown[]): Tensor {
  const fn = "multilabel_soft_margin_loss";
  const o = parseArgs<any>(fn, args, ["input", "target", "weight", "sizeAverage", "reduce", "reduction"], { weight: null, ...LEGACY });
  const x = checkTensor(fn, "input", o.input, 1);
  const y = checkTensor(fn, "target", o.target, 2);
  const weight = checkOptionalTensor(fn, "weight", o.weight);
  const reduction = pyReduction(o);
  let loss = y.mul(logsigmoid(x)).add(y.neg().add(1).mul(logsigmoid(x.neg()))).neg();
  if (weight !== null) loss = loss.mul(weight);
  if (x.ndim === 0) throw new RangeError("Dimension specified as -1 but tensor has no dimensions");
  const classDim = x.ndim - 1;
  return applyReduction(loss.sum(classDim).div(x.shape[classDim]), reduction);
}
