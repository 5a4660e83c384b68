// F.cosine_similarity and F.pairwise_distance (and so nn.CosineSimilarity, nn.PairwiseDistance and
// the triplet / cosine-embedding losses' distances), composed from norms and elementwise ops.
// cosine_similarity is PyTorch 1.13's formula: each operand divided by its own 2-norm clamped at eps,
// then the dot product, Σ (x1/max(‖x1‖, eps))·(x2/max(‖x2‖, eps)) — not x1·x2 / max(‖x1‖‖x2‖, eps)
// of older releases (tiny vectors give 1, not x1·x2/eps); the clamps' gradients as there (clampedNorm).
// ref: aten/src/ATen/native/Distance.cpp cosine_similarity, pairwise_distance (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { broadcastShapes } from "../shape.js";
import { isFloating, resultType, scalarTypeName } from "../dtype.js";
import { vectorNorm } from "../ops/norms.js";
import { checkBool, checkInt, checkNumber, checkTensor, parseArgs } from "./args.js";
import { where } from "../ops/elementwise.js";

export interface CosineSimilarityOptions { dim?: number; eps?: number }

/** Cosine of the angle between x1 and x2 along dim (they broadcast; dim indexes the common shape). */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim?: number | CosineSimilarityOptions, eps?: number): Tensor;
export function cosineSimilarity(...args: unknown[]): Tensor {
  const fn = "cosine_similarity";
  const o = parseArgs<{ x1: unknown; x2: unknown; dim: unknown; eps: unknown }>(fn, args, ["x1", "x2", "dim", "eps"], { dim: 1, eps: 1e-8 });
  let a = checkTensor(fn, "x1", o.x1, 1);
  let b = checkTensor(fn, "x2", o.x2, 2);
  const dim = checkInt(fn, "dim", o.dim);
  const eps = checkNumber(fn, "eps", o.eps);
  const common = resultType(a, b);
  if (!isFloating(common)) throw new TypeError(`expected common dtype to be floating point, yet common dtype is ${scalarTypeName(common)}`);
  // NOTE: integer (and bool) operands are cast to the common dtype; float ones stay as they are.
  if (!isFloating(a.dtype)) a = a.to(common);
  if (!isFloating(b.dtype)) b = b.to(common);
  const shape = broadcastShapes(a.shape, b.shape);
  a = a.expand(...shape);
  b = b.expand(...shape);
  return a.div(clampedNorm(a, dim, eps)).mul(b.div(clampedNorm(b, dim, eps))).sum(dim);
}

/**
 * max(‖x‖₂, eps) along dim (kept), whose gradient w.r.t. x is x / max(‖x‖₂, eps) throughout: ATen
 * clamps the norm in place under no_grad, and the norm's backward then divides by the clamped value
 * (so a vector shorter than eps still gets a gradient through its norm, x/eps; a zero one gets 0).
 */
function clampedNorm(x: Tensor, dim: number, eps: number): Tensor {
  const n = vectorNorm(x, 2, dim, true);
  const low = n.detach().lt(eps);
  // NOTE: n − n.detach() is 0 forward with the norm's gradient x/‖x‖; scaled by ‖x‖/eps it becomes x/eps.
  const scale = where(low, n.detach().div(eps), 0);
  return where(low, eps, n).add(n.sub(n.detach()).mul(scale));
}

export interface PairwiseDistanceOptions { p?: number; eps?: number; keepdim?: boolean }

/** ‖x1 − x2 + eps‖_p over the last dim of the broadcast shape (eps added to each difference). */
export function pairwiseDistance(x1: Tensor, x2: Tensor, p?: number | PairwiseDistanceOptions, eps?: number, keepdim?: boolean): Tensor;
export function pairwiseDistance(...args: unknown[]): Tensor {
  const fn = "pairwise_distance";
  const o = parseArgs<{ x1: unknown; x2: unknown; p: unknown; eps: unknown; keepdim: unknown }>(
    fn, args, ["x1", "x2", "p", "eps", "keepdim"], { p: 2, eps: 1e-6, keepdim: false },
  );
  const a = checkTensor(fn, "x1", o.x1, 1);
  const b = checkTensor(fn, "x2", o.x2, 2);
  const p = checkNumber(fn, "p", o.p);
  const eps = checkNumber(fn, "eps", o.eps);
  const keepdim = checkBool(fn, "keepdim", o.keepdim);
  // NOTE: the innermost dim of the output rank (of a 0-d pair: dim -1, which a 0-d tensor accepts).
  const innermost = Math.max(a.ndim, b.ndim) - 1;
  return vectorNorm(a.sub(b).add(eps), p, innermost, keepdim);
}
