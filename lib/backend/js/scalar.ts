// The scalar semantics of the JS backend's elementwise ops: one expression per op (in x, or in a
// and b), computed in double and rounded once when stored into a Float32Array, plus the helper
// functions they call. Signed zeros, NaN and ties follow PyTorch 1.13 on the CPU (see the NOTEs).
// No loops here: kernels.ts compiles each expression into a loop, elementwise.ts runs it.
// ref: PyTorch aten/src/ATen/native/cpu/UnaryOpsKernel.cpp, BinaryOpsKernel.cpp; erf: DLMF 7.6.2.

import type { ArithOp, CompareOp, LogicalOp, UnaryOp } from "../types.js";
import { toElement } from "../../dtype.js";

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2 / sqrt(pi)

/**
 * erf in double, accurate to a few ulp of double for |x| < 4 (so correctly rounded to float32
 * nearly always). Uses the series with positive terms only (no cancellation), DLMF 7.6.2:
 *   erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_{n>=0} 2^n x^(2n+1) / (1*3*...*(2n+1)).
 * NOTE: for |x| >= 4, 1 - erf(|x|) < 1.6e-8, below half a float32 ulp under 1 (2.98e-8), so
 * +-1 is the float32 answer; this function is meant for float32 outputs, not as a double erf.
 * Costs ~10 terms near 0.5 and ~60 near 4.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 4)) return x !== x ? x : Math.sign(x); // NaN, or |x| >= 4 (incl. +-Infinity)
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum; // keeps the sign of x, including -0
}

/** torch.round: halves go to the even neighbour; -0.3 -> -0. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // halves go up here
  // NOTE: x - trunc(x) is exact for every double, so this test is exact.
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** 1 / (1 + e^-x) without forming e^|x| for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x); // x < 0 or NaN
  return e / (1 + e);
}

/**
 * Float -> int64 truncates toward zero. NOTE: PyTorch gives an arbitrary value for NaN, +-inf
 * and out-of-range floats; we throw instead, and also beyond 2^53, where our int64 storage
 * (a Float64Array, see types.ts) would stop being exact.
 */
export function toInt64(x: number): number {
  const t = Math.trunc(x) + 0; // + 0: -0.5 truncates to -0, an int64 has no -0
  // NOTE: the frontend's one conversion (dtype.ts toElement) words the error; only failures go there.
  return Number.isSafeInteger(t) ? t : toElement(x, "int64", "copy_");
}

/** Float32 unary ops, as expressions in x. */
export const UNARY_FLOAT: Record<UnaryOp, string> = {
  neg: "-x",
  exp: "Math.exp(x)",
  log: "Math.log(x)",
  log1p: "Math.log1p(x)",
  sqrt: "Math.sqrt(x)",
  abs: "Math.abs(x)",
  // NOTE: PyTorch computes sign as (0 < x) - (x < 0): sign(-0) = +0 and sign(NaN) = 0 (checked
  // on torch 1.13.1, scalar and vectorized paths).
  sign: "x > 0 ? 1 : x < 0 ? -1 : 0",
  // NOTE: relu(NaN) = NaN and relu(-0) = -0 in PyTorch: only values below zero are replaced.
  relu: "x < 0 ? 0 : x",
  sigmoid: "sigmoid(x)",
  tanh: "Math.tanh(x)",
  erf: "erf(x)",
  sin: "Math.sin(x)",
  cos: "Math.cos(x)",
  floor: "Math.floor(x)",
  ceil: "Math.ceil(x)",
  round: "roundHalfEven(x)",
  trunc: "Math.trunc(x)",
  // NOTE: V8's Math functions are fdlibm's, within 1 ulp in double, so one rounding to float32
  // gives the correctly rounded float nearly always (glibc's float versions: within 1 ulp too).
  tan: "Math.tan(x)",
  asin: "Math.asin(x)",
  acos: "Math.acos(x)",
  atan: "Math.atan(x)",
  sinh: "Math.sinh(x)", // fdlibm's goes through expm1: small x keeps its digits
  cosh: "Math.cosh(x)",
  asinh: "Math.asinh(x)",
  acosh: "Math.acosh(x)",
  atanh: "Math.atanh(x)",
  expm1: "Math.expm1(x)",
  exp2: "2 ** x",
  log2: "Math.log2(x)",
  log10: "Math.log10(x)",
  erfc: "erfc(x)",
  erfinv: "erfinv(x)",
};

/** The unary ops defined on int64; results are integers with no -0. */
export const UNARY_INT: Partial<Record<UnaryOp, string>> = {
  neg: "0 - x", // NOTE: not -x, which turns 0 into -0
  abs: "Math.abs(x)",
  sign: "x > 0 ? 1 : x < 0 ? -1 : 0",
};

/**
 * clamp with p = lo and q = hi. NOTE: PyTorch's rule is min(max(x, lo), hi) with its
 * comparison-based max/min: NaN stays NaN, a value equal to a bound is kept (so -0 stays -0),
 * and lo > hi gives hi everywhere.
 */
export const CLAMP = "x < p ? (p > q ? q : p) : x > q ? q : x";

// NOTE: maximum/minimum propagate NaN; on equal values (-0 vs 0) they return the first input,
// as PyTorch's scalar CPU path does (its vectorized path returns the second, so signed zeros of
// maximum/minimum are not something to depend on).
const MAXIMUM = "a !== a || b !== b ? NaN : a < b ? b : a";
const MINIMUM = "a !== a || b !== b ? NaN : b < a ? b : a";

/** Float32 arithmetic. pow follows C's powf, as PyTorch does: Math.pow except that 1 ** y = 1 for
 *  every y (NaN included) and (-1) ** ±Infinity = 1; 0 ** 0 = 1, negative base ** non-integer = NaN. */
export const ARITH_FLOAT: Record<ArithOp, string> = {
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: "a / b",
  pow: "a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b)",
  maximum: MAXIMUM,
  minimum: MINIMUM,
  atan2: "Math.atan2(a, b)",
  hypot: "Math.hypot(a, b)", // inf beats NaN, as C's hypot
  fmod: "a % b", // JS's % is C's fmod: exact, the sign of a (-0 % 2 is -0)
  copysign: "copysign(a, b)",
  logaddexp: "logaddexp(a, b)",
  logaddexp2: "logaddexp2(a, b)",
};

/** Int64 arithmetic on exact integers (< 2^53). div is not defined: the frontend casts to float. */
export const ARITH_INT: Partial<Record<ArithOp, string>> = {
  add: "a + b",
  sub: "a - b",
  mul: "a * b + 0", // NOTE: + 0 turns the -0 of 0 * -3 into the integer 0
  pow: "Math.pow(a, b)",
  maximum: MAXIMUM,
  minimum: MINIMUM,
  fmod: "a % b + 0", // the frontend refuses b = 0 (ZeroDivisionError); + 0: -4 % 2 is -0
};

/** int32, int16, int8 and uint8 arithmetic: computed in double, wrapped by the typed array's store
 *  (exact: sums stay below 2^53), except the product, which takes its low 32 bits first. */
export const ARITH_INT_FIXED: Partial<Record<ArithOp, string>> = {
  ...ARITH_INT,
  mul: "Math.imul(a, b)",
};

/** Comparisons give 1 or 0; NaN compares false except for ne, as IEEE and PyTorch. */
export const COMPARE: Record<CompareOp, string> = {
  eq: "a === b ? 1 : 0",
  ne: "a !== b ? 1 : 0",
  lt: "a < b ? 1 : 0",
  le: "a <= b ? 1 : 0",
  gt: "a > b ? 1 : 0",
  ge: "a >= b ? 1 : 0",
};

export const LOGICAL: Record<LogicalOp, string> = {
  and: "a !== 0 && b !== 0 ? 1 : 0",
  or: "a !== 0 || b !== 0 ? 1 : 0",
  xor: "(a !== 0) !== (b !== 0) ? 1 : 0",
};

// Scratch views of one double, for fmaf's last-bit fix-up; LO/HI index its low/high 32-bit word.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/**
 * fma(a, b, c) of float32 values rounded once to float32, as the FMA instruction computes it.
 * NOTE: a*b is exact in double (24+24 bits), but a*b + c in double may round, and rounding that
 * again to float32 can land on the wrong side of a float32 halfway point. Rounding the double sum
 * to odd instead (Boldo & Melquiond: valid since 53 >= 24 + 2) makes the second rounding exact.
 * ref: S. Boldo, G. Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms
 * using rounding to odd", IEEE Trans. Computers 57(4), 2008.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  if (!Number.isFinite(s)) return Math.fround(s);
  const bp = s - c;
  const err = c - (s - bp) + (p - bp); // TwoSum: p + c = s + err exactly
  if (err === 0) return Math.fround(s);
  F64[0] = s;
  if ((U32[LO] & 1) === 0) {
    // s is even: the round-to-odd result is its neighbour toward the exact sum
    if (err > 0 === s > 0) U32[LO] += 1; // away from zero: bit 0 is clear, so no carry
    else if (U32[LO] === 0) {
      U32[LO] = 0xffffffff;
      U32[HI] -= 1;
    } else U32[LO] -= 1;
  }
  return Math.fround(F64[0]);
}
