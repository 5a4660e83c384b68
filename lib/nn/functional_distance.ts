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
import { tensor } from "../ops/creation.js";
import { rename } from "../autograd/node.js";

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

/**
 * F.pdist / torch.pdist: the p-norm distances between the rows of an [N, M] input, for each pair
 * i < j in row-major order ([N·(N-1)/2]). A gather of both rows of each pair and a vector norm.
 * ref: aten/src/ATen/native/Distance.cpp pdist (PyTorch 1.13).
 */
export function pdist(input: Tensor, p?: number | { p?: number }): Tensor;
export function pdist(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; p: number }>("pdist", args, ["input", "p"], { p: 2 });
  const x = checkTensor("pdist", "input", o.input, 1);
  const p = checkNumber("pdist", "p", o.p);
  if (x.ndim !== 2) throw new RangeError(`pdist only supports 2D tensors, got: ${x.ndim}D`);
  if (!isFloating(x.dtype)) throw new TypeError("pdist only supports floating-point dtypes");
  if (p < 0) throw new RangeError("pdist only supports non-negative p values");
  const n = x.shape[0];
  const is: number[] = [];
  const js: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) (is.push(i), js.push(j));
  const long = { dtype: "int64" as const };
  const diff = x.indexSelect(0, tensor(is, long)).sub(x.indexSelect(0, tensor(js, long)));
  return rename(pNormRows(diff, p), "PdistBackward0");
}

/**
 * The p-norm of each row with pdist's gradient: 0 for a pair at distance 0 and, for p < 1, for a
 * zero difference; for p = inf the sign at every component that reaches the maximum (ties each
 * get it, as PyTorch's kernel, not an even split).
 */
function pNormRows(diff: Tensor, p: number): Tensor {
  if (p === 0 || p === 1 || p === 2) return vectorNorm(diff, p, 1);
  const a = diff.abs();
  if (p === Infinity) {
    const dist = a.detach().amax(1, true);
    const ties = a.detach().eq(dist);
    // value: the maximum exactly (plus zeros); gradient: sign(diff) at each tie.
    return dist.squeeze(1).add(where(ties, a.sub(a.detach()), 0).sum(1));
  }
  const zero = diff.detach().eq(0);
  const terms = where(zero, 0, where(zero, 1, a).pow(p));
  const s = terms.sum(1);
  const empty = s.detach().eq(0);
  return where(empty, 0, where(empty, 1, s).pow(1 / p));
}
