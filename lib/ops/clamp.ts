// clamp / clip with Tensor bounds (torch.clamp(x, min=T, max=T)): bounds broadcast with x, and the
// gradient goes to x or to the bound that gave each output element, by PyTorch's rule (at x == min
// it goes to x; where min > max the output is max and max gets it).
// ref: PyTorch 1.13 clamp_kernel_impl (NaN-propagating min(max(x, lo), hi)) and
// torch/csrc/autograd/FunctionsManual.cpp clamp_backward / clamp_backward_min_max.
import { backend } from "../backend/index.js";
import { record } from "../autograd/node.js";
import type { Node } from "../autograd/node.js";
import { resultType } from "../dtype.js";
import { broadcastShapes, sameShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { cast, scalarTensor } from "./elementwise.js";
import { emptyUninit } from "./scratch.js";
import { expand } from "./views.js";

type Bound = Tensor | number | null | undefined;

/** min(max(x, lo), hi) elementwise, NaN-propagating, for bounds of which at least one is a Tensor. */
export function clampTensor(x: Tensor, min: Bound, max: Bound): Tensor {
  const given = [min, max].filter((b): b is Tensor | number => b !== null && b !== undefined);
  // NOTE: torch.result_type over x and the bounds (0-d bounds count only by category).
  let dtype = resultType(x, ...given);
  if (dtype === "bool") dtype = "int64";
  // NOTE: a number next to a Tensor bound is taken as a 0-d tensor (PyTorch refuses the mix).
  const asT = (b: Tensor | number) => (b instanceof Tensor ? cast(b, dtype) : scalarTensor(b, dtype));
  const xs = cast(x, dtype);
  const lo = min === null || min === undefined ? null : asT(min);
  const hi = max === null || max === undefined ? null : asT(max);
  const shape = [xs, lo, hi].reduce<number[]>((s, t) => (t ? broadcastShapes(s, t.shape) : s), []);
  const to = (t: Tensor) => (sameShape(t.shape, shape) ? t : expand(t, shape));
  const inputs = [to(xs), ...(lo ? [to(lo)] : []), ...(hi ? [to(hi)] : [])];
  const out = emptyUninit(shape, dtype);
  if (out.numel() > 0) {
    if (lo) backend().binary("maximum", inputs[0], inputs[1], out);
    if (hi) backend().binary("minimum", lo ? out : inputs[0], inputs[inputs.length - 1], out);
  }
  return record("clampTensor", inputs, out, { lo: lo !== null, hi: hi !== null });
}

/** The gradient rule: inputs are [x, lo?, hi?], all broadcast to g's shape. */
export function clampTensorGrads(g: Tensor, n: Node): (Tensor | null)[] {
  const [x, ...bounds] = n.inputs!;
  const lo = n.args.lo ? bounds[0] : null;
  const hi = n.args.hi ? bounds[bounds.length - 1] : null;
  let xMask: Tensor;
  if (lo && hi) xMask = x.ge(lo).logicalAnd(x.le(hi));
  else xMask = lo ? x.ge(lo) : x.le(hi!);
  const grads: (Tensor | null)[] = [g.where(xMask, 0)];
  if (lo) grads.push(lo.requiresGrad ? g.where(hi ? x.lt(lo).logicalAnd(lo.lt(hi)) : x.lt(lo), 0) : null);
  if (hi) grads.push(hi.requiresGrad ? g.where(lo ? x.gt(hi).logicalOr(hi.lt(lo)) : x.gt(hi), 0) : null);
  return grads;
}
