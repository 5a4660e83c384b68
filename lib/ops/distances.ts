// Distances: torch.cdist (p-norm distance between each pair of rows of two batched matrices) and
// torch.dist (the p-norm of a - b), as vector norms of broadcast differences (ops/norms.ts), so the
// gradient at a zero distance is 0 as PyTorch's is. compute_mode only changes how PyTorch computes
// the 2-norm (a matrix product or not); here it is checked and otherwise ignored.
// ref: aten/src/ATen/native/Distance.cpp (cdist checks, batch broadcasting), PyTorch 1.13;
// torch/functional.py (compute_mode values).
import { rename } from "../autograd/node.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { broadcastShapes } from "../shape.js";
import { Tensor } from "../tensor.js";
import { binary, clamp, compare, unary, where } from "./elementwise.js";
import { cat } from "./indexing.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { onesLike } from "./creation.js";
import { vectorNorm } from "./norms.js";
import { expand, unsqueeze } from "./views.js";

export interface CdistOptions {
  p?: number;
  computeMode?: string | null;
}

const MODES = ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"];

/** torch.cdist(x1 [.., P, M], x2 [.., R, M]) -> [.., P, R]; batch dims broadcast. */
export function cdist(x1: Tensor, x2: Tensor, opts: CdistOptions | number = {}): Tensor {
  const { p = 2, computeMode = null } = typeof opts === "number" ? { p: opts } : opts;
  if (computeMode !== null && !MODES.includes(computeMode)) throw new Error(`${computeMode} is not a valid value for compute_mode`);
  if (x1.ndim < 2) throw new Error(`cdist only supports at least 2D tensors, X1 got: ${x1.ndim}D`);
  if (x2.ndim < 2) throw new Error(`cdist only supports at least 2D tensors, X2 got: ${x2.ndim}D`);
  const m1 = x1.shape[x1.ndim - 1], m2 = x2.shape[x2.ndim - 1];
  if (m1 !== m2) throw new Error(`X1 and X2 must have the same number of columns. X1: ${m1} X2: ${m2}`);
  if (!isFloating(x1.dtype)) throw new TypeError(`cdist only supports floating-point dtypes, X1 got: ${scalarTypeName(x1.dtype)}`);
  if (!isFloating(x2.dtype)) throw new TypeError(`cdist only supports floating-point dtypes, X2 got: ${scalarTypeName(x2.dtype)}`);
  if (!(p >= 0)) throw new Error("cdist only supports non-negative p values");
  if (x1.dtype === "float16") throw new TypeError(`"cdist" not implemented for 'Half'`);
  if (x1.dtype !== x2.dtype) throw new TypeError(`expected scalar type ${scalarTypeName(x1.dtype)} but found ${scalarTypeName(x2.dtype)}`);
  const batch = broadcastShapes(x1.shape.slice(0, -2), x2.shape.slice(0, -2));
  const P = x1.shape[x1.ndim - 2], R = x2.shape[x2.ndim - 2];
  const a = unsqueeze(expand(x1, [...batch, P, m1]), -2); // [.., P, 1, M]
  const b = unsqueeze(expand(x2, [...batch, R, m1]), -3); // [.., 1, R, M]
  const useMm = p === 2 && m1 > 0 && (computeMode === "use_mm_for_euclid_dist" || (computeMode !== "donot_use_mm_for_euclid_dist" && (P > 25 || R > 25)));
  if (useMm) return rename(euclideanByMm(expand(x1, [...batch, P, m1]), expand(x2, [...batch, R, m1])), "CdistBackward0");
  const diff = binary("sub", a, b);
  // NOTE: no columns: every distance is 0 (an empty sum), whatever p.
  const out = m1 === 0 ? vectorNorm(diff, 1, -1) : vectorNorm(diff, p, -1);
  return rename(out, "CdistBackward0");
}

/**
 * PyTorch's matrix-product 2-norm distances (its _euclidean_dist, used past 25 rows unless told
 * otherwise): sqrt(max(|a|^2 + |b|^2 - 2 a.b, 0)), so the rounding is PyTorch's; no [P, R, M]
 * difference tensor. The gradient, (a - b) / dist, is 0 where the distance is exactly 0.
 */
function euclideanByMm(a: Tensor, b: Tensor): Tensor {
  const an = sum(binary("mul", a, a), [-1], true);
  const bn = sum(binary("mul", b, b), [-1], true);
  const a2 = cat([binary("mul", a, -2), an, onesLike(an)], -1);
  const b2 = cat([b, onesLike(bn), bn], -1);
  const d2 = clamp(matmul(a2, b2.transpose(-2, -1)), 0, null);
  const zero = compare("eq", d2, 0);
  return where(zero, 0, unary("sqrt", where(zero, 1, d2)));
}

/** torch.dist: the p-norm of input - other (broadcast), a 0-d tensor. */
export function dist(a: Tensor, b: Tensor, p = 2): Tensor {
  const d = binary("sub", a, b);
  if (!isFloating(d.dtype)) {
    throw new TypeError(`norm(): input dtype should be either floating point or complex. Got ${scalarTypeName(d.dtype)} instead.`);
  }
  return rename(vectorNorm(d, p), "DistBackward0");
}
