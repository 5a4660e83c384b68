// Shared pieces of the loss functions: the `reduction` argument (with PyTorch's mapping of the
// deprecated sizeAverage/reduce), dtype checks worded as PyTorch's, and withGrad for losses whose
// PyTorch backward is a closed formula. ref: torch/nn/_reduction.py (PyTorch 1.13).
import type { Tensor } from "../../tensor.js";
import { isGradEnabled } from "../../autograd/grad_mode.js";
import { scalarTypeName } from "../args.js";
import { warn } from "../warnings.js";

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

export function applyReduction(loss: Tensor, reduction: string): Tensor {
  return reduction === "mean" ? loss.mean() : reduction === "sum" ? loss.sum() : loss;
}

/** float32 or float64 (the losses compose tensor ops; some read elements, so no float16 bits). */
export function checkFloat(fn: string, t: Tensor): void {
  if (t.dtype !== "float32" && t.dtype !== "float64") throw new TypeError(`${fn}: expected scalar type Float but found ${scalarTypeName(t.dtype)}`);
}

export function checkLong(t: Tensor): void {
  if (t.dtype !== "int64") throw new TypeError(`expected scalar type Long but found ${scalarTypeName(t.dtype)}`);
}

/** `value`, with d(value)/d(x) = grad elementwise: for losses whose PyTorch backward is a closed
 *  formula that plain autograd of the forward would not reproduce at the edges (BCE's clamp). */
export function withGrad(value: Tensor, x: Tensor, grad: Tensor): Tensor {
  if (!isGradEnabled() || !x.requiresGrad) return value;
  // NOTE: x*g - x.detach()*g is exactly 0 forward, and its gradient w.r.t. x is g.
  return value.add(x.mul(grad).sub(x.detach().mul(grad)));
}
