// More elementwise math as Tensor methods: fmax, fmin, signbit, sinc(_), heaviside(_), gcd(_),
// lcm(_), ldexp(_), frexp, nextafter(_), lgamma(_), digamma(_), polygamma(_), mvlgamma(_), i0(_).
// The ops live in ops/math_extras.ts, ops/float_bits.ts and ops/special.ts.
import { Tensor } from "../tensor.js";
import * as mx from "../ops/math_extras.js";
import * as fb from "../ops/float_bits.js";
import * as sp from "../ops/special.js";
import { inPlaceOf } from "../ops/inplace_of.js";
import { resultType } from "../ops/elementwise.js";
import { checkCastTo } from "../dtype.js";

declare module "../tensor.js" {
  interface Tensor {
    /** The larger element, ignoring a NaN on one side. */
    fmax(other: Tensor): Tensor;
    /** The smaller element, ignoring a NaN on one side. */
    fmin(other: Tensor): Tensor;
    /** True where the sign bit is set (-0 and negative NaNs included). */
    signbit(): Tensor;
    /** sin(pi x) / (pi x), 1 at 0. */
    sinc(): Tensor;
    sinc_(): this;
    /** 0 where this < 0, values where this == 0, 1 where this > 0 (values: a tensor of this dtype). */
    heaviside(values: Tensor): Tensor;
    heaviside_(values: Tensor): this;
    /** Greatest common divisor (integer tensors), nonnegative. */
    gcd(other: Tensor): Tensor;
    gcd_(other: Tensor): this;
    /** Least common multiple (integer tensors), nonnegative. */
    lcm(other: Tensor): Tensor;
    lcm_(other: Tensor): this;
    /** this * 2^other. */
    ldexp(other: Tensor): Tensor;
    ldexp_(other: Tensor): this;
    /** The mantissa (this dtype, in [0.5, 1) in magnitude) and int32 exponent: this = mantissa * 2^exponent. */
    frexp(): fb.FrexpResult;
    /** The next representable value after each element toward other. */
    nextafter(other: Tensor): Tensor;
    nextafter_(other: Tensor): this;
    /** log|Gamma(x)|. */
    lgamma(): Tensor;
    lgamma_(): this;
    /** Gamma'(x) / Gamma(x). */
    digamma(): Tensor;
    digamma_(): this;
    /** The n-th derivative of digamma. */
    polygamma(n: number): Tensor;
    polygamma_(n: number): this;
    /** The multivariate log-gamma function of dimension p. */
    mvlgamma(p: number | { p: number }): Tensor;
    mvlgamma_(p: number | { p: number }): this;
    /** The modified Bessel function of the first kind, order 0. */
    i0(): Tensor;
    i0_(): this;
  }
}

const P = Tensor.prototype;
P.fmax = function (this: Tensor, other: Tensor) { return mx.fmax(this, other); };
P.fmin = function (this: Tensor, other: Tensor) { return mx.fmin(this, other); };
P.signbit = function (this: Tensor) { return fb.signbit(this); };
P.sinc = function (this: Tensor) { return mx.sinc(this); };
P.sinc_ = function <T extends Tensor>(this: T) { return inPlaceOf(this, "sinc_", (x) => mx.sinc(x)); };
P.heaviside = function (this: Tensor, values: Tensor) { return mx.heaviside(this, values); };
P.heaviside_ = function <T extends Tensor>(this: T, values: Tensor) { return inPlaceOf(this, "heaviside_", (x) => mx.heaviside(x, values), [values]); };
P.gcd = function (this: Tensor, other: Tensor) { return mx.gcd(this, other); };
P.gcd_ = function <T extends Tensor>(this: T, other: Tensor) {
  if (other instanceof Tensor) checkCastTo(resultType(this, other), this.dtype); // PyTorch's cast check comes first
  return inPlaceOf(this, "gcd_", (x) => mx.gcd(x, other), [other]);
};
P.lcm = function (this: Tensor, other: Tensor) { return mx.lcm(this, other); };
P.lcm_ = function <T extends Tensor>(this: T, other: Tensor) {
  if (other instanceof Tensor) checkCastTo(resultType(this, other), this.dtype);
  return inPlaceOf(this, "lcm_", (x) => mx.lcm(x, other), [other]);
};
P.ldexp = function (this: Tensor, other: Tensor) { return fb.ldexp(this, other); };
P.ldexp_ = function <T extends Tensor>(this: T, other: Tensor) { return inPlaceOf(this, "ldexp_", (x) => fb.ldexp(x, other), [other]); };
P.frexp = function (this: Tensor) { return fb.frexp(this); };
P.nextafter = function (this: Tensor, other: Tensor) { return fb.nextafter(this, other); };
P.nextafter_ = function <T extends Tensor>(this: T, other: Tensor) {
  if (other instanceof Tensor) checkCastTo(resultType(this, other), this.dtype);
  return inPlaceOf(this, "nextafter_", (x) => fb.nextafter(x, other), [other]);
};
P.lgamma = function (this: Tensor) { return sp.lgamma(this); };
P.lgamma_ = function <T extends Tensor>(this: T) { return inPlaceOf(this, "lgamma_", (x) => sp.lgamma(x)); };
P.digamma = function (this: Tensor) { return sp.digamma(this); };
P.digamma_ = function <T extends Tensor>(this: T) { return inPlaceOf(this, "digamma_", (x) => sp.digamma(x)); };
P.polygamma = function (this: Tensor, n: number) { return sp.polygamma(n, this); };
P.polygamma_ = function <T extends Tensor>(this: T, n: number) { return inPlaceOf(this, "polygamma_", (x) => sp.polygamma(n, x)); };
P.mvlgamma = function (this: Tensor, p: number | { p: number }) { return sp.mvlgamma(this, p); };
P.mvlgamma_ = function <T extends Tensor>(this: T, p: number | { p: number }) { return inPlaceOf(this, "mvlgamma_", (x) => sp.mvlgamma(x, p)); };
P.i0 = function (this: Tensor) { return sp.i0(this); };
P.i0_ = function <T extends Tensor>(this: T) { return inPlaceOf(this, "i0_", (x) => sp.i0(x)); };
