// Which tensors each primitive's gradient rule reads (PyTorch saves exactly these, and only when
// the gradient that needs them will be computed): their versions are recorded when the op runs
// and checked before the rule runs (version.ts). An op that saves nothing (add, sum, views) may
// have its inputs changed in place freely, as in PyTorch. ref: tools/autograd/derivatives.yaml.
import type { Node } from "./node.js";
import type { Op } from "./ops.js";

/** -1 stands for the op's output. */
export const OUT = -1;
type Saves = (n: Node) => number[];

const none: Saves = () => [];
const self: Saves = () => [0];
const result: Saves = () => [OUT];
const selfAndResult: Saves = () => [0, OUT];
/** a * b style: a is read for b's gradient, b for a's. */
const crossed: Saves = (n) => [...(n.needs(1) ? [0] : []), ...(n.needs(0) ? [1] : [])];

/**
 * NOTE: an op missing here (one added later) is treated as saving all its inputs and its output
 * (SAVES_ALL): never a stale gradient, at worst an error PyTorch would not raise.
 * test/autograd_versions.test.ts lists the ops without an entry.
 */
export const SAVES: Partial<Record<Op, Saves>> = {
  neg: none, exp: result, log: self, log1p: self, sqrt: result, abs: self, sign: none, relu: result,
  sigmoid: result, tanh: result, erf: self, sin: self, cos: self,
  floor: none, ceil: none, round: none, trunc: none,
  tan: result, asin: self, acos: self, atan: self, sinh: self, cosh: self, asinh: self, acosh: self,
  atanh: self, expm1: result, exp2: result, log2: self, log10: self, erfc: self, erfinv: self,
  clamp: self,
  add: none, sub: none,
  mul: crossed,
  div: (n) => [...(n.needs(1) ? [0] : []), 1],
  pow: (n) => [0, 1, ...(n.needs(1) ? [OUT] : [])],
  maximum: () => [0, 1], minimum: () => [0, 1],
  atan2: () => [0, 1], hypot: () => [0, 1, OUT], logaddexp: () => [0, 1], logaddexp2: () => [0, 1],
  // fmod: -g * trunc(a / b) for b only; copysign: g * result / self for self only
  fmod: (n) => (n.needs(1) ? [0, 1] : []), copysign: (n) => (n.needs(0) ? [0, OUT] : []),
  where: none,
  sum: none, amax: selfAndResult, amin: selfAndResult, logsumexp: selfAndResult,
  matmul: crossed,
  // x Wᵀ + b: x is read for W's gradient, W for x's; the bias is never read.
  linear: crossed,
  softmax: result, logSoftmax: result,
  gather: none,
  reshape: none, permute: none, expand: none, slice: none, contiguous: none, cast: none, cat: none,
  // the scatter family: the index is an argument, not an input (never checked, as in PyTorch)
  scatterAdd: none, scatter: none, scatterReduce: (n) => [0, 1, OUT], notImplemented: none,
  // tensor ops, part 1
  diagonal: none, cumsum: none, cumprod: selfAndResult, prod: selfAndResult,
  // clamp(x, min=Tensor, max=Tensor) saves x and both bounds
  clampTensor: (n) => n.inputs!.map((_, i) => i),
  inv: result, solve: (n) => [0, OUT], det: selfAndResult,
  // NOTE: PyTorch saves U, S, Vh (so A may change in place); the rule here recomputes them from A.
  svdvals: selfAndResult,
};

export const SAVES_ALL: Saves = (n) => [...n.next.keys(), OUT];
