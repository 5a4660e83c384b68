// nn.functional's metric-learning losses: cosine_embedding_loss (pairs judged similar (+1) or not
// (−1) by their cosine) and triplet_margin_loss (an anchor nearer its positive than its negative by
// a margin, distances by F.pairwiseDistance). Compositions following ATen's, so broadcasting, values
// and gradients come out as PyTorch's. ref: aten/src/ATen/native/Loss.cpp (PyTorch 1.13).
import type { Tensor } from "../../tensor.js";
import { where } from "../../ops/elementwise.js";
import { zerosLike } from "../../ops/creation.js";
import { checkBool, checkNumber, checkTensor, parseArgs } from "../args.js";
import { pairwiseDistance } from "../functional_distance.js";
import { applyReduction, resolveReduction } from "./reduction.js";
import { pairWithTarget, type LegacyReductionOptions } from "./margin.js";

const LEGACY = { sizeAverage: null, reduce: null, reduction: "mean" };
/** Added to each squared magnitude (ATen's EPSILON), so a zero vector gives cos 0, not NaN. */
const EPSILON = 1e-12;

export interface CosineEmbeddingOptions extends LegacyReductionOptions {
  margin?: number;
}

/** 1 − cos(x1, x2) where target is 1, max(0, cos − margin) where it is −1 (0 elsewhere); the cosine
 *  over dim 1 of [N, D] inputs with an [N] target, or over dim 0 of [D] inputs with a 0-d one. */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, options?: CosineEmbeddingOptions): Tensor;
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, margin?: number, ...rest: unknown[]): Tensor;
export function cosineEmbeddingLoss(...args: unknown[]): Tensor {
  const fn = "cosine_embedding_loss";
  const { x1, x2, y, margin, reduction } = pairWithTarget(fn, args);
  const d = y.ndim;
  if (d !== 0 && d !== 1) throw new RangeError("0D or 1D target tensor expected, multi-target not supported");
  if (x1.ndim !== d + 1 || x2.ndim !== d + 1) {
    throw new RangeError(
      `${d}D target tensor expects ${d + 1}D input tensors, but found inputs with sizes [${x1.shape.join(", ")}] and [${x2.shape.join(", ")}].`,
    );
  }
  const prodSum = x1.mul(x2).sum(d);
  const magSquare1 = x1.mul(x1).sum(d).add(EPSILON);
  const magSquare2 = x2.mul(x2).sum(d).add(EPSILON);
  const cos = prodSum.div(magSquare1.mul(magSquare2).sqrt());
  const zeros = zerosLike(cos);
  const pos = cos.neg().add(1);
  const neg = cos.sub(margin).clamp(0);
  return applyReduction(where(y.eq(1), pos, zeros).add(where(y.eq(-1), neg, zeros)), reduction);
}

export interface TripletMarginOptions extends LegacyReductionOptions {
  margin?: number;
  p?: number;
  eps?: number;
  swap?: boolean;
}

/** max(0, margin + d(a, p) − d(a, n)), d the p-norm pairwise distance; with swap, d(a, n) is
 *  replaced by d(p, n) where that is smaller (the harder negative). */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options?: TripletMarginOptions): Tensor;
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, margin?: number, ...rest: unknown[]): Tensor;
export function tripletMarginLoss(...args: unknown[]): Tensor {
  const fn = "triplet_margin_loss";
  const o = parseArgs<any>(fn, args, ["anchor", "positive", "negative", "margin", "p", "eps", "swap", "sizeAverage", "reduce", "reduction"], {
    margin: 1.0, p: 2, eps: 1e-6, swap: false, ...LEGACY,
  });
  const a = checkTensor(fn, "anchor", o.anchor, 1);
  const pos = checkTensor(fn, "positive", o.positive, 2);
  const neg = checkTensor(fn, "negative", o.negative, 3);
  const margin = checkNumber(fn, "margin", o.margin);
  const p = checkNumber(fn, "p", o.p);
  const eps = checkNumber(fn, "eps", o.eps);
  const swap = checkBool(fn, "swap", o.swap);
  const reduction = resolveReduction(o);
  if (a.ndim !== pos.ndim || pos.ndim !== neg.ndim) {
    throw new RangeError(`All inputs should have same dimension but got ${a.ndim}D, ${pos.ndim}D and ${neg.ndim}D inputs.`);
  }
  const distPos = pairwiseDistance(a, pos, p, eps);
  let distNeg = pairwiseDistance(a, neg, p, eps);
  if (swap) distNeg = distNeg.minimum(pairwiseDistance(pos, neg, p, eps));
  return applyReduction(distPos.add(margin).sub(distNeg).clamp(0), reduction);
}
