// The gamma-family and Bessel elementwise ops on tensors: lgamma, digamma, polygamma, mvlgamma,
// i0 (and i1, i0's derivative). Each maps its scalar function (ops/special_scalar.ts) over the
// elements in double and stores in the result dtype: floating inputs keep their dtype, integer and
// bool inputs give the default float dtype (float32 unless torch.setDefaultDtype), as PyTorch's
// unary float ops. Gradients as PyTorch's derivatives.yaml:
// lgamma' = digamma, digamma' = polygamma(1, x), polygamma(n)' = polygamma(n + 1), i0' = i1,
// i1' = i0 - i1 / x (1/2 at 0); mvlgamma is a sum of lgammas. Each is a custom autograd Function so
// the node carries PyTorch's name (LgammaBackward0, ...), and its backward is built of these ops,
// so second derivatives work too.
// ref: PyTorch 1.13 tools/autograd/derivatives.yaml (lgamma, digamma, polygamma, mvlgamma, i0,
// special_i1), aten/src/ATen/native/UnaryOps.cpp (mvlgamma's check and formula).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { rename } from "../autograd/node.js";
import type { DType } from "../backend/types.js";
import { getDefaultDtype, isFloating } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { cast, where } from "./elementwise.js";
import * as sc from "./special_scalar.js";

/** f over x's elements in double, stored in x's floating dtype (float32 for integers and bool).
 *  `halfKernel`: PyTorch's kernel name where it has no float16 kernel (its error names it). */
export function mapFloat(x: Tensor, f: (v: number) => number, fn: string, halfKernel?: string): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${fn}(): argument 'input' (position 1) must be Tensor, not ${typeof x}`);
  if (halfKernel !== undefined && x.dtype === "float16") throw new TypeError(`"${halfKernel}" not implemented for 'Half'`);
  const dtype: DType = isFloating(x.dtype) ? x.dtype : getDefaultDtype();
  const compute: DType = dtype === "float64" ? "float64" : "float32";
  const src = cast(x.detach(), compute).contiguous().storage();
  const out = Tensor.empty(x.shape, compute);
  const od = out.typedArray;
  for (let i = 0; i < od.length; i++) od[i] = f(src[i]);
  return compute === dtype ? out : cast(out, dtype);
}

class Lgamma extends Function {
  static override gradFnName = "LgammaBackward0";
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return mapFloat(x, sc.lgamma, "lgamma", "lgamma_vml_cpu");
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors as Tensor[];
    return g.mul(digamma(x));
  }
}

class Digamma extends Function {
  static override gradFnName = "DigammaBackward0";
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return mapFloat(x, sc.digamma, "digamma", "digamma");
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors as Tensor[];
    return g.mul(polygamma(1, x));
  }
}

class Polygamma extends Function {
  static override gradFnName = "PolygammaBackward0";
  static override forward(ctx: FunctionCtx, n: number, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    ctx.n = n;
    return mapFloat(x, (v) => sc.polygamma(n, v), "polygamma", n === 0 ? "digamma" : n === 1 ? "trigamma" : "polygamma");
  }
  static override backward(ctx: FunctionCtx, g: Tensor): [null, Tensor] {
    const [x] = ctx.savedTensors as Tensor[];
    return [null, g.mul(polygamma(ctx.n + 1, x))];
  }
}

class I0 extends Function {
  static override gradFnName = "I0Backward0";
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return mapFloat(x, sc.i0, "i0", "i0_vml_cpu");
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors as Tensor[];
    return g.mul(i1(x));
  }
}

class I1 extends Function {
  static override gradFnName = "SpecialI1Backward0";
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return mapFloat(x, sc.i1, "special_i1");
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors as Tensor[];
    // d/dx i1(x) = i0(x) - i1(x) / x, and 1/2 at 0
    const zero = x.eq(0);
    const safe = where(zero, 1, x);
    return g.mul(where(zero, 0.5, i0(x).sub(i1(safe).div(safe))));
  }
}

/** log|Gamma(x)|. */
export const lgamma = (x: Tensor): Tensor => Lgamma.apply(x);
/** The logarithmic derivative of Gamma. */
export const digamma = (x: Tensor): Tensor => Digamma.apply(x);
/** The n-th derivative of digamma (n >= 0). */
export function polygamma(n: number, x: Tensor): Tensor {
  if (typeof n !== "number" || !Number.isInteger(n)) throw new TypeError(`polygamma(): argument 'n' (position 1) must be int, not ${typeof n}`);
  if (n < 0) throw new Error("polygamma(n, x) does not support negative n.");
  return Polygamma.apply(n, x);
}
/** The modified Bessel function of the first kind, order 0. */
export const i0 = (x: Tensor): Tensor => I0.apply(x);
/** The modified Bessel function of the first kind, order 1 (torch.special.i1). */
export const i1 = (x: Tensor): Tensor => I1.apply(x);

/** The multivariate log-gamma of dimension p: p(p-1)/4 log(pi) + sum_j lgamma(x - (j - 1)/2). */
export function mvlgamma(x: Tensor, p: number | { p: number }): Tensor {
  if (typeof p === "object" && p !== null) p = p.p; // torch.mvlgamma(x, p=2)
  if (typeof p !== "number" || !Number.isInteger(p)) throw new TypeError(`mvlgamma(): argument 'p' (position 2) must be int, not ${typeof p}`);
  if (p < 1) throw new Error("p has to be greater than or equal to 1");
  if (x.dtype === "bool") throw new Error("The input tensor may not be a boolean tensor.");
  const xf = isFloating(x.dtype) ? x : cast(x, getDefaultDtype());
  let r = lgamma(xf);
  for (let j = 2; j <= p; j++) r = r.add(lgamma(xf.sub((j - 1) / 2)));
  return rename(r.add((p * (p - 1) / 4) * Math.log(Math.PI)), "MvlgammaBackward0");
}
