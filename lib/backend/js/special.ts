// The elementwise functions JS's Math lacks, in double: erfc, erfinv, copysign, logaddexp and
// logaddexp2. The native addon computes the same formulas (native/math_extra.h) or calls libm
// (erfc, copysign), so the backends agree to a float32 ulp. Only scalar functions here: the
// expression tables (scalar.ts) call them, kernels.ts compiles the loops.
// ref: PyTorch 1.13 aten/src/ATen/native/Math.h (calc_erfinv), BinaryOpsKernel.cpp (logaddexp);
// DLMF 7.9.2 (erfc's continued fraction); S. Winitzki (2008), erfinv's first guess.

import { erf } from "./scalar.js";

const SQRT_PI = 1.7724538509055159;

/**
 * erfc in double. Within 0.5 of 0, 1 - erf(x) (at least 0.48, so nothing cancels); from 0.5 on, the
 * continued fraction of DLMF 7.9.2, erfc(x) = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
 * evaluated from the bottom up. NOTE: the depth (60 + 300/x^2 terms, measured: below 1e-16 relative
 * from 0.5 on) is set from x, so the result never depends on a convergence test. e^(-x^2) takes x^2
 * as hi^2 + lo(x + hi) with hi = fround(x), exact, so large x keeps its relative accuracy.
 */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x <= -0.5) return 2 - erfc(-x); // NOTE: not 1 - erf(x): erf here is +-1 beyond |x| = 4
  if (x < 0.5) return 1 - erf(x);
  if (x > 27.3) return 0; // below the smallest double
  const depth = Math.ceil(60 + 300 / (x * x));
  let t = x;
  for (let n = depth; n >= 1; n--) t = x + n / 2 / t;
  const hi = Math.fround(x), lo = x - hi;
  return (Math.exp(-hi * hi) * Math.exp(-lo * (x + hi))) / (SQRT_PI * t);
}

/**
 * erfinv in double (native/math_extra.h erfinv_d, step for step): a first guess within ~2e-3, then
 * three Halley steps on erf(x) = |y| (|y| <= 0.5) or erfc(x) = 1 - |y| (exact there, so the tail
 * near +-1 keeps its relative accuracy).
 */
export function erfinv(y: number): number {
  const a = Math.abs(y);
  if (!(a <= 1)) return NaN; // NaN or |y| > 1
  if (a === 1) return y * Infinity;
  if (a === 0) return y; // keeps -0
  let x: number;
  if (a < 1e-3) {
    x = a * (SQRT_PI / 2) * (1 + (Math.PI * a * a) / 12); // series: Winitzki's form cancels here
  } else {
    const k = 0.147;
    const l = Math.log((1 - a) * (1 + a)); // ln(1 - y^2) without cancelling near 1
    const t = 2 / (Math.PI * k) + 0.5 * l;
    x = Math.sqrt(Math.sqrt(t * t - l / k) - t);
  }
  for (let i = 0; i < 3; i++) {
    const f = a <= 0.5 ? erf(x) - a : 1 - a - erfc(x);
    x -= f / ((2 / SQRT_PI) * Math.exp(-x * x) + x * f); // Halley: f' = 2/sqrt(pi) e^-x^2, f'' = -2x f'
  }
  return y < 0 ? -x : x;
}

// Scratch for reading a double's sign bit (NaN's included, as C's copysign does).
const F64 = new Float64Array(1);
const U8 = new Uint8Array(F64.buffer);
const SIGN_BYTE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 7 : 0;

/** |a| with the sign bit of b (C's copysign): b = -0 and -NaN give a negative result. */
export function copysign(a: number, b: number): number {
  F64[0] = b;
  const neg = (U8[SIGN_BYTE] & 0x80) !== 0;
  const m = Math.abs(a);
  return neg ? -m : m;
}

/** log(e^a + e^b) as PyTorch: max + log1p(exp(-|a - b|)); equal infinities give themselves. */
export function logaddexp(a: number, b: number): number {
  if (a === b && (a === Infinity || a === -Infinity)) return a;
  const m = a > b ? a : b;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** log2(2^a + 2^b): max + log2(1 + 2^-|a - b|). */
export function logaddexp2(a: number, b: number): number {
  if (a === b && (a === Infinity || a === -Infinity)) return a;
  const m = a > b ? a : b;
  return m + Math.log1p(2 ** -Math.abs(a - b)) / Math.LN2;
}
