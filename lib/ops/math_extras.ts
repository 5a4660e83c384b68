// More elementwise math: fmax / fmin (NaN-ignoring maximum / minimum), heaviside, gcd / lcm
// (integers only), sinc. fmax and fmin are a where() on PyTorch's own gradient masks, so the
// gradient goes where PyTorch sends it (to self where self >= other or other is NaN); sinc is
// sin(pi x) / (pi x) in the input's float dtype, 1 at 0; heaviside and gcd / lcm have no derivative.
// ref: PyTorch 1.13 aten/src/ATen/native/BinaryOps.cpp (fmax, fmin, heaviside, gcd, lcm),
// aten/src/ATen/native/cpu/BinaryOpsKernel.cpp (heaviside_kernel, gcd/lcm via calc_gcd),
// UnaryOpsKernel.cpp (sinc), tools/autograd/derivatives.yaml (fmax, fmin, sinc).
import { record, rename } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { getDefaultDtype, isFloating, scalarTypeName } from "../dtype.js";
import { broadcastShapes } from "../shape.js";
import { Tensor } from "../tensor.js";
import { cast, resultType, scalarTensor, where } from "./elementwise.js";
import { expand } from "./views.js";
import { copyInto, type OutOptions } from "./out.js";
import { typeName } from "./bitwise.js";

function needTensor(fn: string, name: string, v: unknown): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${fn}(): argument '${name}' (position 2) must be Tensor, not ${typeName(v)}`);
}

const out = (fn: string, r: Tensor, inputs: Tensor[], opts?: OutOptions) => (opts?.out == null ? r : copyInto(fn, opts.out, inputs, r.detach()));

/** torch.fmax: the larger element, or the one that isn't NaN (NaN only where both are). */
export function fmax(a: Tensor, b: Tensor, opts?: OutOptions): Tensor {
  needTensor("fmax", "other", b);
  const pick = a.ge(b).logicalOr(b.isnan());
  return out("fmax", rename(where(pick, a, b), "FmaxBackward0"), [a, b], opts);
}

/** torch.fmin: the smaller element, or the one that isn't NaN. */
export function fmin(a: Tensor, b: Tensor, opts?: OutOptions): Tensor {
  needTensor("fmin", "other", b);
  const pick = a.le(b).logicalOr(b.isnan());
  return out("fmin", rename(where(pick, a, b), "FminBackward0"), [a, b], opts);
}

/** torch.heaviside(input, values): 0 where input < 0 (and NaN), values where input == 0, 1 where > 0. */
export function heaviside(x: Tensor, values: Tensor, opts?: OutOptions): Tensor {
  needTensor("heaviside", "values", values);
  if (x.dtype !== values.dtype) throw new Error("heaviside is not yet implemented for tensors with different dtypes.");
  const r = noGrad(() => where(x.eq(0), values, where(x.gt(0), scalarTensor(1, x.dtype), scalarTensor(0, x.dtype))));
  const grads = [x, values].filter((t) => t.requiresGrad);
  return out("heaviside", rename(record("notImplemented", grads, r, { what: "aten::heaviside" }), "NotImplemented"), [x, values], opts);
}

function gcdScalar(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** gcd / lcm on the broadcast integer operands (the stored result wraps to the dtype, as C's). */
function intBinary(fn: "gcd" | "lcm", a: Tensor, b: Tensor, opts?: OutOptions): Tensor {
  needTensor(fn, "other", b);
  const dtype = resultType(a, b);
  if (isFloating(dtype) || dtype === "bool") throw new TypeError(`"${fn}_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  const shape = broadcastShapes(a.shape, b.shape);
  const ad = expand(cast(a, dtype), shape).contiguous().storage();
  const bd = expand(cast(b, dtype), shape).contiguous().storage();
  const r = Tensor.empty(shape, dtype);
  const od = r.typedArray;
  for (let i = 0; i < od.length; i++) {
    const g = gcdScalar(ad[i], bd[i]);
    // lcm = |a / g * b|, 0 where both are 0
    od[i] = fn === "gcd" ? g : g === 0 ? 0 : Math.abs((ad[i] / g) * bd[i]);
  }
  if (dtype === "int64") for (let i = 0; i < od.length; i++) if (!Number.isSafeInteger(od[i])) throw new RangeError(`${fn}: int64 result ${od[i]} is outside the int64 range torchlet stores exactly (integers of magnitude at most 2^53 - 1)`);
  return out(fn, r, [a, b], opts);
}

export const gcd = (a: Tensor, b: Tensor, opts?: OutOptions) => intBinary("gcd", a, b, opts);
export const lcm = (a: Tensor, b: Tensor, opts?: OutOptions) => intBinary("lcm", a, b, opts);

/** torch.sinc: sin(pi x) / (pi x), 1 at 0; integer and bool inputs give the default float dtype. */
export function sinc(x: Tensor, opts?: OutOptions): Tensor {
  if (x.dtype === "float16") throw new TypeError(`"sinc_cpu" not implemented for 'Half'`);
  const xf = isFloating(x.dtype) ? x : cast(x, getDefaultDtype());
  const zero = xf.eq(0);
  const px = where(zero, 1, xf).mul(Math.PI); // 1 where x is 0: no 0/0 in the value or the gradient
  return out("sinc", rename(where(zero, 1, px.sin().div(px)), "SincBackward0"), [x], opts);
}
