// torch.* function forms of PyTorch's comparison and arithmetic aliases (greater, divide, multiply,
// subtract, true_divide, floor_divide, rsub, positive, concat, concatenate). Each forwards to the op.
import type { Tensor, TensorOrScalar } from "./tensor.js";
import * as ew from "./ops/elementwise.js";
import type { OutOptions } from "./ops/out.js";
import * as aa from "./ops/arith_aliases.js";
import { cat } from "./tensor_keywords.js";

export const greater = (a: Tensor, b: TensorOrScalar) => ew.compare("gt", a, b);
export const greaterEqual = (a: Tensor, b: TensorOrScalar) => ew.compare("ge", a, b);
export const less = (a: Tensor, b: TensorOrScalar) => ew.compare("lt", a, b);
export const lessEqual = (a: Tensor, b: TensorOrScalar) => ew.compare("le", a, b);
export const notEqual = (a: Tensor, b: TensorOrScalar) => ew.compare("ne", a, b);
/** torch.divide: div, with { roundingMode, out }. */
export const divide = (a: TensorOrScalar, b: TensorOrScalar, opts?: ew.DivOptions) => ew.div(a, b, opts);
export const multiply = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => ew.binary("mul", a, b, opts?.out);
/** torch.subtract: a - alpha * b. */
export const subtract = (a: TensorOrScalar, b: TensorOrScalar, opts?: ew.AlphaOptions) => ew.sub(a, b, opts);
export const trueDivide = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => aa.trueDivide(a, b, opts);
export const floorDivide = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => aa.floorDivide(a, b, opts);
/** torch.rsub(input, other, { alpha }): other - alpha * input. */
export const rsub = (input: Tensor, other: TensorOrScalar, opts?: ew.AlphaOptions) => aa.rsub(input, other, opts);
export const positive = (x: Tensor) => aa.positive(x);
/** Aliases of torch.cat. */
export function concat(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  return cat(tensors, dim);
}
export function concatenate(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  return cat(tensors, dim);
}
