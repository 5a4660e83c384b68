// The float64 kernels as plain loops, one expression per element: the same expressions as the JS
// backend's (lib/backend/js/scalar.ts), so + - * / sqrt, the roundings, comparisons, clamp and
// max/min give its bits exactly, and the libm functions (exp, log, tanh, ...) glibc's values.
// Included (inside namespace torchlet, anonymous namespace) by each elementwise_f64_<isa>.cc, so
// the compiler vectorises the loops for that file's ISA; no intrinsics, so no result can depend on
// the ISA. NOTE: -ffp-contract=off (CMakeLists.txt) keeps every a*b+c rounded twice, as in JS.
#pragma once

#include <math.h>
#include <stdint.h>

#include "elementwise_f64.h"

inline double f64_neg(double x) { return -x; }
inline double f64_abs(double x) { return fabs(x); }
inline double f64_sign(double x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0); }  // sign(NaN) = 0
inline double f64_relu(double x) { return x < 0.0 ? 0.0 : x; }                     // NaN stays NaN
inline double f64_sigmoid(double x) {  // as scalar.ts: never forms e^|x| for large |x|
  if (x >= 0.0) return 1.0 / (1.0 + exp(-x));
  const double e = exp(x);
  return e / (1.0 + e);
}
inline double f64_round(double x) { return nearbyint(x); }  // half to even (default rounding mode)
inline double f64_exp(double x) { return exp(x); }
inline double f64_log(double x) { return log(x); }
inline double f64_log1p(double x) { return log1p(x); }
inline double f64_sqrt(double x) { return sqrt(x); }
inline double f64_tanh(double x) { return tanh(x); }
inline double f64_erf(double x) { return erf(x); }
inline double f64_sin(double x) { return sin(x); }
inline double f64_cos(double x) { return cos(x); }
inline double f64_floor(double x) { return floor(x); }
inline double f64_ceil(double x) { return ceil(x); }
inline double f64_trunc(double x) { return trunc(x); }
inline double f64_erfinv(double x) { return erfinv_d(x); }
inline double f64_logaddexp(double a, double b) { return logaddexp_d(a, b); }
inline double f64_logaddexp2(double a, double b) { return logaddexp2_d(a, b); }

template <double (*fn)(double)>
void f64_unary_loop(const double* x, double* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = fn(x[i]);
}

// PyTorch's clamp (scalar.ts CLAMP): lo > hi gives hi; NaN x stays; a NaN bound is ignored.
void f64_clamp_loop(const double* x, double* y, int64_t n, double lo, double hi) {
  const double low = lo > hi ? hi : lo;
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] < lo ? low : (x[i] > hi ? hi : x[i]);
}

inline double f64_add(double a, double b) { return a + b; }
inline double f64_sub(double a, double b) { return a - b; }
inline double f64_mul(double a, double b) { return a * b; }
inline double f64_div(double a, double b) { return a / b; }
// C's pow already gives 1 for pow(1, y) and pow(-1, +-inf), as scalar.ts spells out for Math.pow.
// NOTE: y = 2 is a*a (correctly rounded), as fdlibm's pow (V8's Math.pow) and PyTorch do.
inline double f64_pow(double a, double b) { return b == 2.0 ? a * a : pow(a, b); }
// maximum/minimum: NaN if either is NaN, else the first of equal values (scalar.ts).
inline double f64_maximum(double a, double b) { return a != a || b != b ? NAN : (a < b ? b : a); }
inline double f64_minimum(double a, double b) { return a != a || b != b ? NAN : (b < a ? b : a); }
inline bool f64_eq(double a, double b) { return a == b; }
inline bool f64_ne(double a, double b) { return a != b; }
inline bool f64_lt(double a, double b) { return a < b; }
inline bool f64_le(double a, double b) { return a <= b; }
inline bool f64_gt(double a, double b) { return a > b; }
inline bool f64_ge(double a, double b) { return a >= b; }

template <double (*fn)(double, double), int BC>
void f64_arith_loop(const double* a, const double* b, double* y, int64_t n) {
  if (BC == kVS) {
    const double bv = b[0];
    for (int64_t i = 0; i < n; ++i) y[i] = fn(a[i], bv);
  } else if (BC == kSV) {
    const double av = a[0];
    for (int64_t i = 0; i < n; ++i) y[i] = fn(av, b[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) y[i] = fn(a[i], b[i]);
  }
}
template <bool (*fn)(double, double), int BC>
void f64_compare_loop(const double* a, const double* b, uint8_t* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = fn(a[BC == kSV ? 0 : i], b[BC == kVS ? 0 : i]) ? 1 : 0;
}

// max/min of a reduction: NaN sticks (the first NaN met), else the first of equal values.
inline double f64_maxp(double a, double b) { return a != a ? a : (b != b ? b : (b > a ? b : a)); }
inline double f64_minp(double a, double b) { return a != a ? a : (b != b ? b : (b < a ? b : a)); }

// Sum of x[0..n): kSumLanes interleaved partial sums, then ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7)),
// then the tail in order. NOTE: an order fixed by n alone, so every ISA and thread count gives the
// same bits; the lanes also make it more accurate than one running sum (the JS backend's).
double f64_sum_row(const double* x, int64_t n) {
  double l[kSumLanes] = {};
  int64_t i = 0;
  for (; i + kSumLanes <= n; i += kSumLanes)
    for (int j = 0; j < kSumLanes; ++j) l[j] += x[i + j];
  double s = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
  for (; i < n; ++i) s += x[i];
  return s;
}

// max/min of x[0..n) in lanes too: the same value as a running max/min (only which of two equal
// zeros, or which NaN, is returned may differ from the JS backend's).
template <double (*pick)(double, double)>
double f64_minmax_row(const double* x, int64_t n) {
  if (n < kSumLanes) {
    double r = x[0];
    for (int64_t i = 1; i < n; ++i) r = pick(r, x[i]);
    return r;
  }
  double l[kSumLanes];
  for (int j = 0; j < kSumLanes; ++j) l[j] = x[j];
  int64_t i = kSumLanes;
  for (; i + kSumLanes <= n; i += kSumLanes)
    for (int j = 0; j < kSumLanes; ++j) l[j] = pick(l[j], x[i + j]);
  double r = l[0];
  for (int j = 1; j < kSumLanes; ++j) r = pick(r, l[j]);
  for (; i < n; ++i) r = pick(r, x[i]);
  return r;
}

void f64_acc_sum(double* acc, const double* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) acc[i] += x[i];
}
template <double (*pick)(double, double)>
void f64_acc_minmax(double* acc, const double* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) acc[i] = pick(acc[i], x[i]);
}

// The JS backend's softmax row (reduce.ts), step for step: m = max (NaN sticks), e = exp(x - m)
// summed in order, then e / sum or (x - m) - log(sum). NOTE: y may be x, so log-softmax doesn't
// store the exps; softmax overwrites x[j] only after reading it for the last time.
void f64_softmax_row(const double* x, double* y, int64_t n, bool log_) {
  double m = -INFINITY;
  for (int64_t j = 0; j < n; ++j)
    if (x[j] > m || x[j] != x[j]) m = x[j];
  double s = 0.0;
  for (int64_t j = 0; j < n; ++j) {
    const double e = exp(x[j] - m);
    s += e;
    if (!log_) y[j] = e;
  }
  if (log_) {
    const double ls = log(s);
    for (int64_t j = 0; j < n; ++j) y[j] = x[j] - m - ls;
  } else {
    for (int64_t j = 0; j < n; ++j) y[j] = y[j] / s;
  }
}

constexpr KernelsF64 make_kernels_f64(const char* name) {
  KernelsF64 k{};
  k.name = name;
  k.unary[kNeg] = f64_unary_loop<f64_neg>;
  k.unary[kExp] = f64_unary_loop<f64_exp>;
  k.unary[kLog] = f64_unary_loop<f64_log>;
  k.unary[kLog1p] = f64_unary_loop<f64_log1p>;
  k.unary[kSqrt] = f64_unary_loop<f64_sqrt>;
  k.unary[kAbs] = f64_unary_loop<f64_abs>;
  k.unary[kSign] = f64_unary_loop<f64_sign>;
  k.unary[kRelu] = f64_unary_loop<f64_relu>;
  k.unary[kSigmoid] = f64_unary_loop<f64_sigmoid>;
  k.unary[kTanh] = f64_unary_loop<f64_tanh>;
  k.unary[kErf] = f64_unary_loop<f64_erf>;
  k.unary[kSin] = f64_unary_loop<f64_sin>;
  k.unary[kCos] = f64_unary_loop<f64_cos>;
  k.unary[kFloor] = f64_unary_loop<f64_floor>;
  k.unary[kCeil] = f64_unary_loop<f64_ceil>;
  k.unary[kRound] = f64_unary_loop<f64_round>;
  k.unary[kTrunc] = f64_unary_loop<f64_trunc>;
  k.unary[kTan] = f64_unary_loop<::tan>;
  k.unary[kAsin] = f64_unary_loop<::asin>;
  k.unary[kAcos] = f64_unary_loop<::acos>;
  k.unary[kAtan] = f64_unary_loop<::atan>;
  k.unary[kSinh] = f64_unary_loop<::sinh>;
  k.unary[kCosh] = f64_unary_loop<::cosh>;
  k.unary[kAsinh] = f64_unary_loop<::asinh>;
  k.unary[kAcosh] = f64_unary_loop<::acosh>;
  k.unary[kAtanh] = f64_unary_loop<::atanh>;
  k.unary[kExpm1] = f64_unary_loop<::expm1>;
  k.unary[kExp2] = f64_unary_loop<::exp2>;
  k.unary[kLog2] = f64_unary_loop<::log2>;
  k.unary[kLog10] = f64_unary_loop<::log10>;
  k.unary[kErfc] = f64_unary_loop<::erfc>;
  k.unary[kErfinv] = f64_unary_loop<f64_erfinv>;
  k.clamp = f64_clamp_loop;
#define TORCHLET_ARITH(code, fn)                          \
  k.arith[code - kAdd][kVV] = f64_arith_loop<fn, kVV>;    \
  k.arith[code - kAdd][kVS] = f64_arith_loop<fn, kVS>;    \
  k.arith[code - kAdd][kSV] = f64_arith_loop<fn, kSV>;
  TORCHLET_ARITH(kAdd, f64_add)
  TORCHLET_ARITH(kSub, f64_sub)
  TORCHLET_ARITH(kMul, f64_mul)
  TORCHLET_ARITH(kDiv, f64_div)
  TORCHLET_ARITH(kPow, f64_pow)
  TORCHLET_ARITH(kMaximum, f64_maximum)
  TORCHLET_ARITH(kMinimum, f64_minimum)
  TORCHLET_ARITH(kAtan2, ::atan2)
  TORCHLET_ARITH(kHypot, ::hypot)
  TORCHLET_ARITH(kFmod, ::fmod)
  TORCHLET_ARITH(kCopysign, ::copysign)
  TORCHLET_ARITH(kLogaddexp, f64_logaddexp)
  TORCHLET_ARITH(kLogaddexp2, f64_logaddexp2)
#undef TORCHLET_ARITH
#define TORCHLET_CMP(code, fn)                              \
  k.compare[code - kEq][kVV] = f64_compare_loop<fn, kVV>;   \
  k.compare[code - kEq][kVS] = f64_compare_loop<fn, kVS>;   \
  k.compare[code - kEq][kSV] = f64_compare_loop<fn, kSV>;
  TORCHLET_CMP(kEq, f64_eq)
  TORCHLET_CMP(kNe, f64_ne)
  TORCHLET_CMP(kLt, f64_lt)
  TORCHLET_CMP(kLe, f64_le)
  TORCHLET_CMP(kGt, f64_gt)
  TORCHLET_CMP(kGe, f64_ge)
#undef TORCHLET_CMP
  k.sum = f64_sum_row;
  k.max = f64_minmax_row<f64_maxp>;
  k.min = f64_minmax_row<f64_minp>;
  k.acc_sum = f64_acc_sum;
  k.acc_max = f64_acc_minmax<f64_maxp>;
  k.acc_min = f64_acc_minmax<f64_minp>;
  k.softmax_row = f64_softmax_row;
  return k;
}
