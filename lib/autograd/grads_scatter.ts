// Gradient rules of the scatter family (one table section, spread into GRADS): scatterAdd, scatter
// (overwrite), scatterReduce (prod / amax / amin; sum and mean are compositions), and notImplemented,
// PyTorch's "derivative for X is not implemented" (scatter with reduce=, bincount with weights).
// ref: PyTorch 1.13 tools/autograd/derivatives.yaml and FunctionsManual.cpp scatter_reduce_backward.
import type { Tensor } from "../tensor.js";
import type { Node } from "./node.js";
import type { GradFn } from "./grads.js";
import { gather } from "../ops/indexing.js";
import { scatter, scatterAdd, scatterReduce } from "../ops/scatter.js";
import { zerosLike } from "../ops/creation.js";
import { isGradEnabled } from "./grad_mode.js";
import { delayedError } from "./double_backward_ops.js";

export type ScatterOp = "scatterAdd" | "scatter" | "scatterReduce" | "notImplemented";

const inp = (n: Node, i = 0): Tensor => n.inputs![i];

/** prod: g * (product of the others), computed with zeros masked out so a single zero is exact. */
function prodGrads(g: Tensor, n: Node): Tensor[] {
  const { dim, index, includeSelf } = n.args;
  const [self, src, result] = [inp(n, 0), inp(n, 1), n.out!];
  const opts = { includeSelf };
  const maskedSelf = self.maskedFill(self.eq(0), 1);
  const gradSelf = g.mul(scatterReduce(maskedSelf, dim, index, src, "prod", opts)).div(maskedSelf);
  const srcZero = src.eq(0);
  const zerosThere = gather(scatterAdd(zerosLike(self), dim, index, srcZero.float()), dim, index);
  const singleZero = srcZero.logicalAnd(zerosThere.eq(1));
  const withoutZero = scatterReduce(self, dim, index, src.maskedFill(singleZero, 1), "prod", opts);
  const gradSrc = gather(g.mul(withoutZero), dim, index).where(singleZero, gather(g.mul(result), dim, index).div(src.maskedFill(srcZero, 1)));
  // NOTE: as PyTorch, two zeros meeting in one place get the right gradient (0) whose own
  // derivative this formula misses: differentiating it again raises instead of being wrong.
  if (isGradEnabled() && zerosThere.gt(1).any().item()) {
    return [gradSelf, delayedError(gradSrc, "scatter_reduce(): Double backward is unsupported for src when >1 zeros in src are scattered to the same position in self")];
  }
  return [gradSelf, gradSrc];
}

/** amax / amin: the gradient is split evenly among the values equal to the result, self included.
 *  NOTE: as PyTorch 1.13, with include_self=False a self value equal to the result still counts in
 *  the split (then gets 0), so the src values share less than g. */
function extremeGrads(g: Tensor, n: Node): Tensor[] {
  const { dim, index } = n.args;
  const [self, src, result] = [inp(n, 0), inp(n, 1), n.out!];
  const value = gather(result, dim, index);
  const selfIs = self.eq(result);
  const srcIs = src.eq(value);
  const count = scatterAdd(selfIs.float(), dim, index, srcIs.float());
  const shared = g.div(count);
  return [shared.mul(selfIs), gather(shared, dim, index).mul(srcIs)];
}

export const SCATTER_GRADS = {
  scatterAdd: (g, n) => [g, gather(g, n.args.dim, n.args.index)],
  scatter: (g, n) => [scatter(g, n.args.dim, n.args.index, 0), gather(g, n.args.dim, n.args.index)],
  scatterReduce: (g, n) => {
    const [gs, gsrc] = n.args.reduce === "prod" ? prodGrads(g, n) : extremeGrads(g, n);
    return [n.args.includeSelf ? gs : scatter(gs, n.args.dim, n.args.index, 0), gsrc];
  },
  notImplemented: (_g, n) => {
    throw new Error(`derivative for ${n.args.what} is not implemented`);
  },
} satisfies Record<ScatterOp, GradFn>;
