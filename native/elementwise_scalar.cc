// The scalar kernel table: one element at a time with libm (correctly rounded or nearly), for CPUs
// without a vector ISA we compile for and as a reference path the tests compare the others against.
// Same semantics as elementwise_simd.h (NaN rules, round half to even, pow(x, 2) = x*x).
// ref: C99 Annex F for the special values of the libm functions used here.
#include <math.h>
#include <stdint.h>

#include "elementwise.h"
#include "math_extra.h"

namespace torchlet {
namespace {

inline float maxp(float a, float b) { return a != a ? a : (b != b ? b : (b > a ? b : a)); }
inline float minp(float a, float b) { return a != a ? a : (b != b ? b : (b < a ? b : a)); }

template <float (*fn)(float)>
void unary_loop(const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = fn(x[i]);
}

float neg1(float x) { return -x; }
float sign1(float x) { return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f); }  // sign(NaN) = 0
float relu1(float x) { return x < 0.0f ? 0.0f : x; }                         // NaN stays NaN
float sigmoid1(float x) {  // e^{-|x|} never overflows, so tiny results for x << 0 stay exact
  const float t = expf(-fabsf(x));
  return (x < 0.0f ? t : 1.0f) / (1.0f + t);
}
float round1(float x) { return nearbyintf(x); }  // half to even in the default rounding mode
float abs1(float x) { return fabsf(x); }

// PyTorch's clamp: lo > hi gives hi; NaN x stays NaN; a NaN bound is ignored; equal values kept.
void clamp_loop(const float* x, float* y, int64_t n, float lo, float hi) {
  const float low = lo > hi ? hi : lo;
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] < lo ? low : (x[i] > hi ? hi : x[i]);
}

float add1(float a, float b) { return a + b; }
float sub1(float a, float b) { return a - b; }
float mul1(float a, float b) { return a * b; }
float div1(float a, float b) { return a / b; }
float pow1(float a, float b) { return b == 2.0f ? a * a : powf(a, b); }
bool eq1(float a, float b) { return a == b; }
bool ne1(float a, float b) { return a != b; }
bool lt1(float a, float b) { return a < b; }
bool le1(float a, float b) { return a <= b; }
bool gt1(float a, float b) { return a > b; }
bool ge1(float a, float b) { return a >= b; }

template <float (*fn)(float, float), int BC>
void arith_loop(const float* a, const float* b, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = fn(a[BC == kSV ? 0 : i], b[BC == kVS ? 0 : i]);
}
template <bool (*fn)(float, float), int BC>
void compare_loop(const float* a, const float* b, uint8_t* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = fn(a[BC == kSV ? 0 : i], b[BC == kVS ? 0 : i]) ? 1 : 0;
}

double sum_row(const float* x, int64_t n) {
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) s += x[i];
  return s;
}
// In the order Kernels::sum_quads documents.
double sum_quads(const float* x, int64_t n) {
  double s = 0.0;
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    for (int j = 0; j < 8; ++j) {
      const float* p = x + i + j;
      s += static_cast<double>((p[0] + p[16]) + (p[8] + p[24]));
    }
  }
  for (; i < n; ++i) s += x[i];
  return s;
}
float max_row(const float* x, int64_t n) {
  float r = x[0];
  for (int64_t i = 1; i < n; ++i) r = maxp(r, x[i]);
  return r;
}
float min_row(const float* x, int64_t n) {
  float r = x[0];
  for (int64_t i = 1; i < n; ++i) r = minp(r, x[i]);
  return r;
}
void acc_sum(double* acc, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) acc[i] += x[i];
}
void acc_max(float* acc, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) acc[i] = maxp(acc[i], x[i]);
}
void acc_min(float* acc, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) acc[i] = minp(acc[i], x[i]);
}

void softmax_row(const float* x, float* y, int64_t n, bool log) {
  // NOTE: y may be x, so log-softmax sums the exps without storing them.
  const float mx = max_row(x, n);
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const float e = expf(x[i] - mx);
    sum += e;
    if (!log) y[i] = e;
  }
  if (!log) {
    const float inv = static_cast<float>(1.0 / sum);
    for (int64_t i = 0; i < n; ++i) y[i] = y[i] * inv;
  } else {
    const float ls = static_cast<float>(::log(sum));
    for (int64_t i = 0; i < n; ++i) y[i] = (x[i] - mx) - ls;
  }
}

template <int BC>
void add_scaled_loop(const float* a, const float* b, float* y, int64_t n, float alpha) {
  for (int64_t i = 0; i < n; ++i) y[i] = fmaf(b[BC == kVS ? 0 : i], alpha, a[BC == kSV ? 0 : i]);
}

// NOTE: -ffp-contract=off (CMakeLists.txt) keeps every product and sum below rounded on its own;
// only the exp_avg update is a fused multiply-add, as in the vector kernels.
void adam_loop(float* p, const float* g, float* m, float* v, float* vmax, int64_t n,
               const AdamConsts& c) {
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    float pi = p[i];
    if (c.decayed) pi = pi * c.decay;
    const float mi = fmaf(gi, c.one_minus_beta1, m[i] * c.beta1);
    const float vi = v[i] * c.beta2 + (c.one_minus_beta2 * gi) * gi;
    m[i] = mi;
    v[i] = vi;
    float w = vi;
    if (vmax != nullptr) {
      w = maxp(vmax[i], vi);
      vmax[i] = w;
    }
    const float d = sqrtf(w) / c.bc2_sqrt + c.eps;
    p[i] = pi + (c.neg_step_size * mi) / d;
  }
}

constexpr Kernels make_kernels() {
  Kernels k{};
  k.name = "scalar";
  k.unary[kNeg] = unary_loop<neg1>;
  k.unary[kExp] = unary_loop<expf>;
  k.unary[kLog] = unary_loop<logf>;
  k.unary[kLog1p] = unary_loop<log1pf>;
  k.unary[kSqrt] = unary_loop<sqrtf>;
  k.unary[kAbs] = unary_loop<abs1>;
  k.unary[kSign] = unary_loop<sign1>;
  k.unary[kRelu] = unary_loop<relu1>;
  k.unary[kSigmoid] = unary_loop<sigmoid1>;
  k.unary[kTanh] = unary_loop<tanhf>;
  k.unary[kErf] = unary_loop<erff>;
  k.unary[kSin] = unary_loop<sinf>;
  k.unary[kCos] = unary_loop<cosf>;
  k.unary[kFloor] = unary_loop<floorf>;
  k.unary[kCeil] = unary_loop<ceilf>;
  k.unary[kRound] = unary_loop<round1>;
  k.unary[kTrunc] = unary_loop<truncf>;
  k.unary[kTan] = unary_loop<tanf>;
  k.unary[kAsin] = unary_loop<asinf>;
  k.unary[kAcos] = unary_loop<acosf>;
  k.unary[kAtan] = unary_loop<atanf>;
  k.unary[kSinh] = unary_loop<sinhf>;
  k.unary[kCosh] = unary_loop<coshf>;
  k.unary[kAsinh] = unary_loop<asinhf>;
  k.unary[kAcosh] = unary_loop<acoshf>;
  k.unary[kAtanh] = unary_loop<atanhf>;
  k.unary[kExpm1] = unary_loop<expm1f>;
  k.unary[kExp2] = unary_loop<exp2f>;
  k.unary[kLog2] = unary_loop<log2f>;
  k.unary[kLog10] = unary_loop<log10f>;
  k.unary[kErfc] = unary_loop<erfcf>;
  k.unary[kErfinv] = unary_loop<erfinv_f>;
  k.clamp = clamp_loop;
#define TORCHLET_ARITH(code, fn)                      \
  k.arith[code - kAdd][kVV] = arith_loop<fn, kVV>;    \
  k.arith[code - kAdd][kVS] = arith_loop<fn, kVS>;    \
  k.arith[code - kAdd][kSV] = arith_loop<fn, kSV>;
  TORCHLET_ARITH(kAdd, add1)
  TORCHLET_ARITH(kSub, sub1)
  TORCHLET_ARITH(kMul, mul1)
  TORCHLET_ARITH(kDiv, div1)
  TORCHLET_ARITH(kPow, pow1)
  TORCHLET_ARITH(kMaximum, maxp)
  TORCHLET_ARITH(kMinimum, minp)
  TORCHLET_ARITH(kAtan2, atan2f)
  TORCHLET_ARITH(kHypot, hypotf)
  TORCHLET_ARITH(kFmod, fmodf)
  TORCHLET_ARITH(kCopysign, copysignf)
  TORCHLET_ARITH(kLogaddexp, logaddexp_f)
  TORCHLET_ARITH(kLogaddexp2, logaddexp2_f)
#undef TORCHLET_ARITH
#define TORCHLET_CMP(code, fn)                          \
  k.compare[code - kEq][kVV] = compare_loop<fn, kVV>;   \
  k.compare[code - kEq][kVS] = compare_loop<fn, kVS>;   \
  k.compare[code - kEq][kSV] = compare_loop<fn, kSV>;
  TORCHLET_CMP(kEq, eq1)
  TORCHLET_CMP(kNe, ne1)
  TORCHLET_CMP(kLt, lt1)
  TORCHLET_CMP(kLe, le1)
  TORCHLET_CMP(kGt, gt1)
  TORCHLET_CMP(kGe, ge1)
#undef TORCHLET_CMP
  k.sum = sum_row;
  k.sum_quads = sum_quads;
  k.max = max_row;
  k.min = min_row;
  k.acc_sum = acc_sum;
  k.acc_max = acc_max;
  k.acc_min = acc_min;
  k.softmax_row = softmax_row;
  k.add_scaled[kVV] = add_scaled_loop<kVV>;
  k.add_scaled[kVS] = add_scaled_loop<kVS>;
  k.add_scaled[kSV] = add_scaled_loop<kSV>;
  k.adam = adam_loop;
  return k;
}

constexpr Kernels kTable = make_kernels();

}  // namespace

const Kernels& kernels_scalar() { return kTable; }

}  // namespace torchlet
