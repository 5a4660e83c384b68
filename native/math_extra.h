// The elementwise functions C's libm lacks, in double, shared by the float32 tables (which round
// the double result once) and the float64 ones: erfinv, logaddexp, logaddexp2. The JS backend
// computes the same formulas (lib/backend/js/special.ts), so the two agree to the last float32 bit
// nearly always. ref: PyTorch 1.13 aten/src/ATen/native/Math.h (calc_erfinv: a first guess, then
// Newton steps), BinaryOpsKernel.cpp (logaddexp); S. Winitzki, "A handy approximation for the
// error function and its inverse" (2008) for the first guess.
#pragma once

#include <math.h>

namespace torchlet {
// NOTE: internal linkage: each ISA's file compiles its own copy with its own flags (an inline
// function shared across them could link the AVX-512 copy into the baseline path).
namespace {

// erfinv(y): a first guess good to ~2e-3 (Winitzki's closed form; the series start for small |y|,
// where that form cancels), then three Halley steps (each cubes the relative error). The steps
// solve erf(x) = |y| where |y| <= 0.5 and erfc(x) = 1 - |y| beyond: 1 - |y| is exact there
// (Sterbenz), so the tail keeps full relative accuracy up to |y| = 1 - 2^-53.
inline double erfinv_d(double y) {
  const double a = fabs(y);
  if (!(a <= 1.0)) return NAN;                    // NaN or |y| > 1
  if (a == 1.0) return copysign(INFINITY, y);
  if (a == 0.0) return y;                         // keeps -0
  const double kSqrtPi = 1.7724538509055159, kPi = 3.141592653589793;
  double x;
  if (a < 1e-3) {
    x = a * (kSqrtPi / 2) * (1.0 + kPi * a * a / 12.0);
  } else {
    const double k = 0.147;
    const double l = log((1.0 - a) * (1.0 + a));  // ln(1 - y^2) without cancelling near 1
    const double t = 2.0 / (kPi * k) + 0.5 * l;
    x = sqrt(sqrt(t * t - l / k) - t);
  }
  for (int i = 0; i < 3; ++i) {
    const double f = a <= 0.5 ? erf(x) - a : (1.0 - a) - erfc(x);  // erf(x) - a either way
    // Halley with f' = 2/sqrt(pi) e^(-x^2), f'' = -2x f': x -= f / (f' + x f)
    x -= f / ((2.0 / kSqrtPi) * exp(-x * x) + x * f);
  }
  return copysign(x, y);
}

// log(e^a + e^b) as PyTorch: max + log1p(exp(-|a - b|)); equal infinities give themselves
// (inf - inf would be NaN).
inline double logaddexp_d(double a, double b) {
  if (isinf(a) && a == b) return a;
  const double m = a > b ? a : b;
  return m + log1p(exp(-fabs(a - b)));
}
inline double logaddexp2_d(double a, double b) {
  if (isinf(a) && a == b) return a;
  const double m = a > b ? a : b;
  return m + log1p(exp2(-fabs(a - b))) / 0.6931471805599453;  // log2(1 + 2^-d) = log1p(.)/ln 2
}

inline float erfinv_f(float y) { return static_cast<float>(erfinv_d(y)); }
inline float logaddexp_f(float a, float b) { return static_cast<float>(logaddexp_d(a, b)); }
inline float logaddexp2_f(float a, float b) { return static_cast<float>(logaddexp2_d(a, b)); }

}  // namespace
}  // namespace torchlet
