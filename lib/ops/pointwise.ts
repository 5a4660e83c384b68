// Pointwise ops that are compositions of kernels (no backend primitive of their own): frac, sgn,
// deg2rad, rad2deg, logit, float_power, lerp, addcmul, addcdiv, clamp_min/clamp_max. Each result
// is renamed to the grad_fn PyTorch shows; the gradients are those of the composition, which equal
// PyTorch's formulas. ref: PyTorch 1.13 aten/src/ATen/native/UnaryOps.cpp, PointwiseOps.cpp, Lerp.cpp.
import { rename } from "../autograd/node.js";
import { getDefaultDtype, isFloating, scalarTypeName } from "../dtype.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { binary, cast, clamp, where } from "./elementwise.js";
import { clampTensor } from "./clamp.js";

// NOTE: PyTorch multiplies by these double constants rounded to the tensor's dtype.
const PI_OVER_180 = Math.PI / 180;
const ONE_80_OVER_PI = 180 / Math.PI;

const toFloat = (x: Tensor) => (isFloating(x.dtype) ? x : cast(x, getDefaultDtype()));

/** x - trunc(x), which is exact for every float. */
export function frac(x: Tensor): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`"frac_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  return rename(x.sub(x.trunc()), "FracBackward0");
}

export const sgn = (x: Tensor): Tensor => rename(x.sign(), "SgnBackward0");
export const deg2rad = (x: Tensor): Tensor => rename(binary("mul", toFloat(x), PI_OVER_180), "Deg2RadBackward0");
export const rad2deg = (x: Tensor): Tensor => rename(binary("mul", toFloat(x), ONE_80_OVER_PI), "Rad2DegBackward0");

/** log(z / (1 - z)), z = x clamped to [eps, 1 - eps] when eps is given (outside it the gradient is 0). */
export function logit(x: Tensor, eps: number | null = null): Tensor {
  let z = toFloat(x);
  if (eps !== null) z = clamp(z, eps, 1 - eps);
  return rename(z.div(binary("sub", 1, z)).log(), "LogitBackward0");
}

/** torch.float_power: pow computed in float64 whatever the operands. */
export function floatPower(x: Tensor, exponent: TensorOrScalar): Tensor {
  const e = exponent instanceof Tensor ? cast(exponent, "float64") : exponent;
  return binary("pow", cast(x, "float64"), e);
}

/**
 * start + weight * (end - start), as PyTorch's lerp: for |weight| >= 0.5 it is end - (end - start)
 * * (1 - weight), so weight = 1 gives end exactly.
 */
export function lerp(start: Tensor, end: Tensor, weight: TensorOrScalar): Tensor {
  if (!isFloating(start.dtype)) throw new TypeError(`"lerp_kernel_scalar" not implemented for '${scalarTypeName(start.dtype)}'`);
  for (const [what, t] of [["end", end], ["weight", weight]] as const) {
    if (t instanceof Tensor && t.dtype !== start.dtype) {
      throw new TypeError(`expected dtype ${scalarTypeName(start.dtype).toLowerCase()} for \`${what}\` but got dtype ${scalarTypeName(t.dtype).toLowerCase()}`);
    }
  }
  const diff = end.sub(start);
  if (!(weight instanceof Tensor)) {
    const w = Number(weight);
    const r = Math.abs(w) < 0.5 ? start.add(diff.mul(w)) : end.sub(diff.mul(1 - w));
    return rename(r, "LerpBackward0");
  }
  const r = where(weight.abs().lt(0.5), start.add(diff.mul(weight)), end.sub(diff.mul(binary("sub", 1, weight))));
  return rename(r, "LerpBackward1");
}

export interface ValueOptions {
  value?: number;
}

/** input + value * t1 * t2, in PyTorch's order ((value * t1) * t2). */
export function addcmul(input: Tensor, t1: Tensor, t2: Tensor, opts?: ValueOptions): Tensor {
  const v = opts?.value ?? 1;
  const prod = v === 1 ? t1.mul(t2) : t1.mul(v).mul(t2);
  return rename(input.add(prod), "AddcmulBackward0");
}

/** input + value * t1 / t2, in PyTorch's order ((value * t1) / t2); integer t1 and t2 refused. */
export function addcdiv(input: Tensor, t1: Tensor, t2: Tensor, opts?: ValueOptions): Tensor {
  if (!isFloating(t1.dtype) && !isFloating(t2.dtype)) {
    throw new TypeError(
      "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.",
    );
  }
  const v = opts?.value ?? 1;
  const q = v === 1 ? t1.div(t2) : t1.mul(v).div(t2);
  return rename(input.add(q), "AddcdivBackward0");
}

/** clamp with one bound; the Tensor-bound forms are ClampMin/MaxBackward1. */
export function clampMin(x: Tensor, min: Tensor | number): Tensor {
  return min instanceof Tensor ? rename(clampTensor(x, min, null), "ClampMinBackward1") : rename(clamp(x, min, null), "ClampMinBackward0");
}
export function clampMax(x: Tensor, max: Tensor | number): Tensor {
  return max instanceof Tensor ? rename(clampTensor(x, null, max), "ClampMaxBackward1") : rename(clamp(x, null, max), "ClampMaxBackward0");
}
