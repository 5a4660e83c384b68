// torch.* function forms of the extra elementwise math: fmax, fmin, signbit, sinc, heaviside, gcd,
// lcm, ldexp, frexp, nextafter, lgamma, digamma, polygamma(n, x), mvlgamma(x, p), i0.
import type { Tensor } from "./tensor.js";
import * as mx from "./ops/math_extras.js";
import * as fb from "./ops/float_bits.js";
import * as sp from "./ops/special.js";
import { copyInto, type OutOptions } from "./ops/out.js";
import { noGrad } from "./autograd/grad_mode.js";

export type { FrexpResult } from "./ops/float_bits.js";

/** A special function's out=: computed without a graph, then copied into out. */
const into = (fn: string, x: Tensor, opts: OutOptions | undefined, f: () => Tensor): Tensor =>
  opts?.out == null ? f() : copyInto(fn, opts.out, [x], noGrad(f));

export const fmax = (a: Tensor, b: Tensor, opts?: OutOptions) => mx.fmax(a, b, opts);
export const fmin = (a: Tensor, b: Tensor, opts?: OutOptions) => mx.fmin(a, b, opts);
export const signbit = (x: Tensor, opts?: OutOptions) => fb.signbit(x, opts);
export const sinc = (x: Tensor, opts?: OutOptions) => mx.sinc(x, opts);
export const heaviside = (x: Tensor, values: Tensor, opts?: OutOptions) => mx.heaviside(x, values, opts);
export const gcd = (a: Tensor, b: Tensor, opts?: OutOptions) => mx.gcd(a, b, opts);
export const lcm = (a: Tensor, b: Tensor, opts?: OutOptions) => mx.lcm(a, b, opts);
export const ldexp = (x: Tensor, other: Tensor, opts?: OutOptions) => fb.ldexp(x, other, opts);
/** `const { mantissa, exponent } = torch.frexp(x)` (or `const [m, e] = ...`). */
export const frexp = (x: Tensor) => fb.frexp(x);
export const nextafter = (a: Tensor, b: Tensor, opts?: OutOptions) => fb.nextafter(a, b, opts);
export const lgamma = (x: Tensor, opts?: OutOptions) => into("lgamma", x, opts, () => sp.lgamma(x));
export const digamma = (x: Tensor, opts?: OutOptions) => into("digamma", x, opts, () => sp.digamma(x));
export const polygamma = (n: number, x: Tensor, opts?: OutOptions) => into("polygamma", x, opts, () => sp.polygamma(n, x));
export const mvlgamma = (x: Tensor, p: number | { p: number }) => sp.mvlgamma(x, p);
export const i0 = (x: Tensor, opts?: OutOptions) => into("i0", x, opts, () => sp.i0(x));
