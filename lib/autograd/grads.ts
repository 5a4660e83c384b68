// One gradient rule per primitive: (gradient of the output, node) -> one gradient per input
// (null where an input gets none). `satisfies Record<Op, GradFn>` makes a missing rule a compile error.
// Rules run under noGrad and use the public Tensor ops; with createGraph they run with grad enabled,
// so every rule must be written with differentiable (recorded) ops, or switch to a differentiable
// form when isGradEnabled() (see slice, gather). Which input gradients are wanted: n.needs(i).
// ref: PyTorch tools/autograd/derivatives.yaml.
import type { Tensor } from "../tensor.js";
import type { Node } from "./node.js";
import type { Op } from "./ops.js";
import type { UnaryOp } from "../backend/types.js";
import { zeros } from "../ops/creation.js";
import { scatterAdd } from "../ops/scatter.js";
import { SCATTER_GRADS } from "./grads_scatter.js";
import { expand, slice } from "../ops/views.js";
import { cast, where } from "../ops/elementwise.js";
import { isFloating } from "../dtype.js";
import { sameShape } from "../shape.js";
import { emptyUninit } from "../ops/scratch.js";
import { backend } from "../backend/index.js";
import { mmAccumulate } from "../ops/linear.js";
import { diagonalView } from "../ops/triangular.js";
import { cumprodBackward, cumsumKernel, prodBackward } from "../ops/cumulative.js";
import { clampTensorGrads } from "../ops/clamp.js";
import { detBackward, invBackward, solveBackward } from "../ops/lu.js";
import { svdvalsBackward } from "../ops/svd.js";
import { isGradEnabled } from "./grad_mode.js";
import { MATH_BINARY_GRADS } from "./grads_math.js";
import { gatherBackwardFn, sliceBackward, sliceBackwardFn } from "./double_backward.js";
import {
  cumprodBackwardDiff, cumsumBackwardDiff, detBackwardDiff, diagonalBackwardFn, prodBackwardDiff, solveBackwardDiff, svdvalsBackwardDiff,
} from "./double_backward_ops.js";

/** What the engine tells a rule beyond g and the node (rules that don't need it ignore it). */
export interface GradCtx {
  /** g's storage is the engine's alone: the rule may overwrite g and return it (see relu). */
  owned: boolean;
  /** When input i is a leaf whose existing .grad can take a sum in place, that .grad: the rule
   *  may add input i's gradient straight into it and return null for i (see linear). */
  into(i: number): Tensor | null;
}

/**
 * NOTE: rules are pure: they keep no reference to g or to what they compute beyond their return
 * value. The engine relies on it to recycle dead gradients (engine.ts).
 */
export type GradFn = (g: Tensor, node: Node, ctx?: GradCtx) => (Tensor | null)[];

/**
 * Gradients a rule allocated itself (new storage, nothing else holds them), marked with fresh():
 * the engine may keep one as a leaf's first .grad without a copy, let the next rule overwrite it,
 * and recycle its storage once consumed. Unmarked outputs are treated as shared (always safe).
 */
export const FRESH = new WeakSet<Tensor>();
function fresh(t: Tensor): Tensor {
  FRESH.add(t);
  return t;
}

/** fresh() for the backward of the library's own autograd Functions (LayerNormNode, ...): the
 *  engine may recycle such a gradient as it does a rule's. Only for storage the backward just
 *  allocated and keeps no reference to; null (no gradient) passes through. */
export function freshGradient<T extends Tensor | null>(t: T): T {
  if (t !== null) FRESH.add(t);
  return t;
}

/**
 * g * t or g / t (t of g's shape): written into g itself when g is `owned` (the engine's ctx.owned:
 * no one else can see it; or a gradient the rule just made) and the result keeps g's dtype, else a
 * new gradient. The same arithmetic either
 * way; in place, the backward of dropout's mask or attention's scale allocates nothing.
 * NOTE: call it last among a rule's uses of g.
 */
function scaledGrad(g: Tensor, op: "mul" | "div", t: Tensor, owned: boolean): Tensor {
  // NOTE: never while recording (createGraph): g is then a node of the new graph.
  const inPlace = owned && !isGradEnabled() && g.isContiguous() && t.dtype === g.dtype && sameShape(t.shape, g.shape);
  if (inPlace) return op === "mul" ? g.mul_(t) : g.div_(t);
  return fresh(op === "mul" ? g.mul(t) : g.div(t));
}

const inp = (n: Node, i = 0): Tensor => n.inputs![i];
const out = (n: Node): Tensor => n.out!;
/** The value of a float tensor that is one constant element broadcast (all strides 0, no grad: a
 *  scalar operand), else null. */
const oneValue = (t: Tensor): number | null =>
  (t.dtype === "float32" || t.dtype === "float64") && !t.requiresGrad && t.numel() > 0 && t.strides.every((s) => s === 0)
    ? (t.typedArray[t.offset] as number)
    : null;

/** Sums a broadcast gradient back to `shape`: the only place un-broadcasting happens. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.ndim - shape.length;
  const dims = [...g.shape.keys()].filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1));
  const summed = dims.length ? g.sum(dims, true) : g;
  return lead > 0 ? summed.reshape(shape) : summed;
}

const zeroGrad: GradFn = (g) => [g.mul(0)];

const UNARY_GRADS = {
  neg: (g) => [g.neg()],
  exp: (g, n) => [g.mul(out(n))],
  log: (g, n) => [g.div(inp(n))],
  log1p: (g, n) => [g.div(inp(n).add(1))],
  sqrt: (g, n) => [g.div(out(n).mul(2))], // NOTE: +Infinity at 0, as in PyTorch
  abs: (g, n) => [g.mul(inp(n).sign())], // slope 0 at 0
  sign: zeroGrad,
  // NOTE: PyTorch's threshold_backward: 0 where out <= 0, else g (so a NaN output passes g on).
  // Without a graph, one pass (Backend.reluBackward), into g itself when the engine owns it and it
  // is contiguous; with createGraph, differentiable ops.
  relu: (g, n, ctx) => {
    const y = out(n);
    if (isGradEnabled()) return [fresh(where(y.le(0), 0, g))];
    const gi = ctx?.owned && g.isContiguous() ? g : fresh(emptyUninit(g.shape, g.dtype));
    backend().reluBackward(g, y, gi);
    return [gi];
  },
  sigmoid: (g, n) => [g.mul(out(n).mul(out(n).neg().add(1)))],
  tanh: (g, n) => [g.mul(out(n).mul(out(n)).neg().add(1))],
  erf: (g, n) => [g.mul(inp(n).mul(inp(n)).neg().exp().mul(2 / Math.sqrt(Math.PI)))],
  sin: (g, n) => [g.mul(inp(n).cos())],
  cos: (g, n) => [g.mul(inp(n).sin().neg())],
  floor: zeroGrad,
  ceil: zeroGrad,
  round: zeroGrad,
  trunc: zeroGrad,
  // ref: PyTorch tools/autograd/derivatives.yaml, entry by entry
  tan: (g, n) => [g.mul(out(n).mul(out(n)).add(1))],
  asin: (g, n) => [g.mul(inp(n).mul(inp(n)).neg().add(1).rsqrt())],
  acos: (g, n) => [g.mul(inp(n).mul(inp(n)).neg().add(1).rsqrt()).neg()],
  atan: (g, n) => [g.div(inp(n).mul(inp(n)).add(1))],
  sinh: (g, n) => [g.mul(inp(n).cosh())],
  cosh: (g, n) => [g.mul(inp(n).sinh())],
  asinh: (g, n) => [g.mul(inp(n).mul(inp(n)).add(1).rsqrt())],
  acosh: (g, n) => [g.mul(inp(n).mul(inp(n)).sub(1).rsqrt())],
  atanh: (g, n) => [g.div(inp(n).mul(inp(n)).neg().add(1))],
  expm1: (g, n) => [g.mul(out(n).add(1))],
  exp2: (g, n) => [g.mul(out(n).mul(Math.LN2))],
  log2: (g, n) => [g.div(inp(n).mul(Math.LN2))],
  log10: (g, n) => [g.div(inp(n).mul(Math.LN10))],
  erfc: (g, n) => [g.mul(inp(n).mul(inp(n)).neg().exp().mul(-2 / Math.sqrt(Math.PI)))],
  // NOTE: PyTorch saves x and recomputes erfinv(x), so an in-place change of x is caught
  erfinv: (g, n) => [g.mul(inp(n).erfinv().square().exp().mul(Math.sqrt(Math.PI) / 2))],
} satisfies Record<UnaryOp, GradFn>;

/** maximum/minimum: ties split the gradient in halves (PyTorch's rule). */
function extremumGrads(g: Tensor, n: Node, wins: (a: Tensor, b: Tensor) => Tensor): Tensor[] {
  const [a, b] = [inp(n, 0), inp(n, 1)];
  const shared = g.where(a.ne(b), g.div(2));
  return [shared.where(wins(b, a).logicalNot(), 0), shared.where(wins(a, b).logicalNot(), 0)];
}

/** amax/amin: the gradient is shared evenly among all elements equal to the extreme. */
function evenExtremeGrad(g: Tensor, n: Node): Tensor[] {
  const { inShape, keepShape } = n.args;
  const x = inp(n);
  const m = out(n).reshape(keepShape);
  const me = expand(m, inShape);
  const mask = (n.args.nanEqual ? x.eq(me).logicalOr(x.isnan().logicalAnd(me.isnan())) : x.eq(me)).float();
  const count = mask.sum([...inShape.keys()].filter((i: number) => keepShape[i] === 1 && inShape[i] !== 1), true);
  return [expand(g.reshape(keepShape), inShape).mul(mask).div(count)];
}

export const GRADS = {
  ...UNARY_GRADS,
  clamp: (g, n) => {
    const x = inp(n);
    return [g.where(x.ge(n.args.lo).logicalAnd(x.le(n.args.hi)), 0)];
  },
  add: (g) => [g, g],
  // NOTE: a side's gradient only where it goes (n.needs): x * mask (dropout) or x / c (attention's
  // scale) would otherwise compute, at x's size, a gradient for the constant that nothing takes.
  sub: (g, n) => [g, n.needs(1) ? g.neg() : null],
  // NOTE: the side that may overwrite g (scaledGrad) is computed last.
  mul: (g, n, ctx) => {
    const gb = n.needs(1) ? fresh(g.mul(inp(n, 0))) : null;
    return [n.needs(0) ? scaledGrad(g, "mul", inp(n, 1), ctx?.owned === true) : null, gb];
  },
  div: (g, n, ctx) => {
    const gb = n.needs(1) ? g.neg().mul(inp(n, 0).div(inp(n, 1)).div(inp(n, 1))) : null;
    return [n.needs(0) ? scaledGrad(g, "div", inp(n, 1), ctx?.owned === true) : null, gb];
  },
  pow: (g, n, ctx) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    const e = oneValue(b);
    // NOTE: a nonzero scalar exponent (x.pow(2) in a loss): no b - 1 and b != 0 at a's size, and no
    // pow for b - 1 = 1 (PyTorch's pow gives the base itself there): the same bits, 3 passes fewer.
    const e1 = e === null || e === 0 ? null : b.dtype === "float32" ? Math.fround(e - 1) : e - 1;
    const gb = n.needs(1) ? g.mul(out(n).mul(a.log()).where(a.eq(0).logicalAnd(b.ge(0)).logicalNot(), 0)) : null;
    if (!n.needs(0)) return [null, gb];
    if (e1 === null) return [g.mul(b).mul(a.pow(b.sub(1))).where(b.ne(0), 0), gb];
    // NOTE: g·b·a^(b-1) with b broadcast from one value; the second product goes into the first's
    // storage, which is the rule's own (g itself when the engine owns it, else new).
    const gab = scaledGrad(g, "mul", b, ctx?.owned === true);
    return [scaledGrad(gab, "mul", e1 === 1 ? a : a.pow(e1), true), gb];
  },
  ...MATH_BINARY_GRADS,
  maximum: (g, n) => extremumGrads(g, n, (x, y) => x.gt(y)),
  minimum: (g, n) => extremumGrads(g, n, (x, y) => x.lt(y)),
  where: (g, n) => [g.where(n.args.cond, 0), g.where(n.args.cond.logicalNot(), 0)],
  sum: (g, n) => [expand(g.reshape(n.args.keepShape), n.args.inShape)],
  amax: evenExtremeGrad,
  amin: evenExtremeGrad,
  // PyTorch's logsumexp_backward: g * exp(x - out), out broadcast back over the reduced dims.
  logsumexp: (g, n) => {
    const { inShape, keepShape } = n.args;
    const lse = expand(out(n).reshape(keepShape), inShape);
    return [expand(g.reshape(keepShape), inShape).mul(inp(n).sub(lse).exp())];
  },
  matmul: (g, n) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    return [n.needs(0) ? fresh(g.matmul(b.mT)) : null, n.needs(1) ? fresh(a.mT.matmul(g)) : null];
  },
  // y = x Wᵀ + b: dx = g W, dW = gᵀ x (in W's layout, no transpose to undo), db = sum of g's rows.
  // NOTE: with an existing weight .grad (every step after the first, as zeroGrad zeroes in place),
  // dW is accumulated into it by the GEMM itself: no [out, in] temporary and no separate add.
  linear: (g, n, ctx) => {
    const [x, w, b] = [inp(n, 0), inp(n, 1), n.inputs![2]];
    let gw: Tensor | null = null;
    if (n.needs(1)) {
      const dst = ctx?.into(1) ?? null;
      if (dst !== null && dst.typedArray !== g.typedArray && dst.typedArray !== x.typedArray) mmAccumulate(g.mT, x, dst);
      else gw = fresh(g.mT.matmul(x));
    }
    return [n.needs(0) ? fresh(g.matmul(w)) : null, gw, b !== undefined && n.needs(2) ? fresh(g.sum(0)) : null];
  },
  // PyTorch's softmax_backward_data, y·(g - Σ y·g) over the rows: with no graph to build, float32
  // goes to the fused kernel (one pass for the sum, one for the output; an owned, contiguous g is
  // overwritten in place) instead of three full-size temporaries.
  softmax: (g, n, ctx) => {
    const y = out(n);
    if (!isGradEnabled() && y.dtype === "float32" && g.dtype === "float32" && y.isContiguous()) {
      const owned = ctx?.owned === true && g.isContiguous();
      const gi = owned ? g : fresh(emptyUninit(y.shape, "float32"));
      if (gi.numel() > 0) backend().softmaxBackward(y, g.contiguous(), gi);
      return [gi];
    }
    return [y.mul(g.sub(g.mul(y).sum(-1, true)))];
  },
  logSoftmax: (g, n) => [g.sub(out(n).exp().mul(g.sum(-1, true)))],
  gather: (g, n) => [
    isGradEnabled()
      ? gatherBackwardFn().apply(g, inp(n).shape, n.args.dim, n.args.index)
      : scatterAdd(zeros(inp(n).shape, { dtype: g.dtype }), n.args.dim, n.args.index, g),
  ],
  ...SCATTER_GRADS,
  reshape: (g, n) => [g.reshape(n.args.inShape)],
  permute: (g, n) => {
    const inverse: number[] = [];
    (n.args.dims as number[]).forEach((d, i) => (inverse[d] = i));
    return [g.permute(inverse)];
  },
  expand: (g, n) => [sumTo(g, n.args.inShape)],
  slice: (g, n) => [isGradEnabled() ? sliceBackwardFn().apply(g, n.args) : sliceBackward(g, n.args)],
  contiguous: (g) => [g],
  // NOTE: the gradient goes back in the input's dtype (float64 -> float32 -> float64 rounds it).
  cast: (g, n) => [isFloating(n.args.from) ? cast(g, n.args.from) : null],
  cat: (g, n) => {
    let at = 0;
    return n.inputs!.map((t) => {
      if (t.ndim === 1 && t.shape[0] === 0) return zeros([0], { dtype: g.dtype }); // a legacy empty input cat skipped
      const part = slice(g, n.args.dim, at, at + t.shape[n.args.dim]);
      at += t.shape[n.args.dim];
      return part;
    });
  },
  // ---- tensor ops, part 1 ----
  // NOTE: with grad enabled (createGraph) each rule switches to its differentiable form
  // (double_backward_ops.ts); the direct forms below are kernels and JS loops that record nothing.
  diagonal: (g, n) => {
    if (isGradEnabled()) return [diagonalBackwardFn().apply(g, n.args)];
    const full = zeros(n.args.inShape, { dtype: g.dtype });
    diagonalView(full, n.args.offset, n.args.d1, n.args.d2).copy_(g);
    return [full];
  },
  // reversed running sums of g
  cumsum: (g, n) => [isGradEnabled() ? cumsumBackwardDiff(g, n.args.dim) : fresh(cumsumKernel(g, n.args.dim, true))],
  cumprod: (g, n) => [isGradEnabled() ? cumprodBackwardDiff(g, inp(n), n.args.dim) : fresh(cumprodBackward(g, inp(n), n.args.dim))],
  prod: (g, n) => [isGradEnabled() ? prodBackwardDiff(g, inp(n), n.args.dim) : fresh(prodBackward(g, inp(n), n.args.dim))],
  clampTensor: (g, n) => clampTensorGrads(g, n),
  inv: (g, n) => [fresh(invBackward(g, out(n)))],
  det: (g, n) => [isGradEnabled() ? detBackwardDiff(g, inp(n), out(n)) : fresh(detBackward(g, inp(n), out(n)))],
  solve: (g, n) => {
    const [ga, gb] = (isGradEnabled() ? solveBackwardDiff : solveBackward)(g, inp(n, 0), out(n));
    return [sumTo(ga, inp(n, 0).shape), sumTo(gb, inp(n, 1).shape)];
  },
  svdvals: (g, n) => [isGradEnabled() ? svdvalsBackwardDiff(g, inp(n)) : fresh(svdvalsBackward(g, inp(n)))],
} satisfies Record<Op, GradFn>;
