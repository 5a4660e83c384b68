// The NEON (AArch64 Advanced SIMD) kernel table: V over float32x4_t (masks uint32x4_t), then the
// shared kernels of elementwise_simd.h. Built only for arm64, where NEON is baseline (no flags).
// NOTE: fmaxq/fminq already propagate NaN, unlike x86's vmaxps, so maxp is plain vmaxq.
// ref: Arm C Language Extensions (ACLE) NEON intrinsics reference.
#include <arm_neon.h>
#include <math.h>
#include <stdint.h>

#include "elementwise.h"
#include "math_extra.h"

namespace torchlet {
namespace {

struct V {
  using F = float32x4_t;
  using M = uint32x4_t;
  static constexpr int W = 4;

  static F load(const float* p) { return vld1q_f32(p); }
  static void store(float* p, F v) { vst1q_f32(p, v); }
  static F set1(float v) { return vdupq_n_f32(v); }
  static F add(F a, F b) { return vaddq_f32(a, b); }
  static F sub(F a, F b) { return vsubq_f32(a, b); }
  static F mul(F a, F b) { return vmulq_f32(a, b); }
  static F div(F a, F b) { return vdivq_f32(a, b); }
  static F fma(F a, F b, F c) { return vfmaq_f32(c, a, b); }
  static F fnma(F a, F b, F c) { return vfmsq_f32(c, a, b); }
  static F max(F a, F b) { return vmaxq_f32(a, b); }
  static F min(F a, F b) { return vminq_f32(a, b); }
  static F maxp(F a, F b) { return vmaxq_f32(a, b); }
  static F minp(F a, F b) { return vminq_f32(a, b); }
  static F sqrt(F a) { return vsqrtq_f32(a); }
  static F abs(F a) { return vabsq_f32(a); }
  static F neg(F a) { return vnegq_f32(a); }
  static F round(F a) { return vrndnq_f32(a); }
  static F floor(F a) { return vrndmq_f32(a); }
  static F ceil(F a) { return vrndpq_f32(a); }
  static F trunc(F a) { return vrndq_f32(a); }
  static M eq(F a, F b) { return vceqq_f32(a, b); }
  static M ne(F a, F b) { return vmvnq_u32(vceqq_f32(a, b)); }
  static M lt(F a, F b) { return vcltq_f32(a, b); }
  static M le(F a, F b) { return vcleq_f32(a, b); }
  static M gt(F a, F b) { return vcgtq_f32(a, b); }
  static M ge(F a, F b) { return vcgeq_f32(a, b); }
  static M is_nan(F a) { return vmvnq_u32(vceqq_f32(a, a)); }
  static M mand(M a, M b) { return vandq_u32(a, b); }
  static M mor(M a, M b) { return vorrq_u32(a, b); }
  static F select(M m, F a, F b) { return vbslq_f32(m, a, b); }
  static F exp2i(F n) {
    const int32x4_t e = vaddq_s32(vcvtnq_s32_f32(n), vdupq_n_s32(127));
    return vreinterpretq_f32_s32(vshlq_n_s32(e, 23));
  }
  static F exponent(F x) {
    const uint32x4_t b = vandq_u32(vshrq_n_u32(vreinterpretq_u32_f32(x), 23), vdupq_n_u32(0xff));
    return vcvtq_f32_s32(vsubq_s32(vreinterpretq_s32_u32(b), vdupq_n_s32(127)));
  }
  static F mantissa(F x) {
    const uint32x4_t b = vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x7fffff));
    return vreinterpretq_f32_u32(vorrq_u32(b, vdupq_n_u32(0x3f800000)));
  }
  static void store_mask_u8(uint8_t* p, M m) {
    const uint16x4_t h = vmovn_u32(m);
    const uint8x8_t b = vand_u8(vmovn_u16(vcombine_u16(h, h)), vdup_n_u8(1));
    uint8_t t[8];
    vst1_u8(t, b);
    for (int i = 0; i < 4; ++i) p[i] = t[i];
  }

  // lo, hi += v's low and high halves in double.
  static void add_widened(float64x2_t& lo, float64x2_t& hi, float32x4_t v) {
    lo = vaddq_f64(lo, vcvt_f64_f32(vget_low_f32(v)));
    hi = vaddq_f64(hi, vcvt_high_f64_f32(v));
  }
  // The lanes of lo and hi, then x[i..n) in order.
  static double finish_sum(float64x2_t lo, float64x2_t hi, const float* x, int64_t i, int64_t n) {
    const float64x2_t a = vaddq_f64(lo, hi);
    double s = vgetq_lane_f64(a, 0) + vgetq_lane_f64(a, 1);
    for (; i < n; ++i) s += x[i];
    return s;
  }
  // Sum of x[0..n) in double: two 2-lane double accumulators, then the tail in order.
  static double sum_row(const float* x, int64_t n) {
    float64x2_t a0 = vdupq_n_f64(0.0), a1 = vdupq_n_f64(0.0);
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) add_widened(a0, a1, vld1q_f32(x + i));
    return finish_sum(a0, a1, x, i, n);
  }
  // In the order Kernels::sum_quads documents: each 32 floats folded to 8 in float (two
  // quad-lane halves), then widened.
  static double sum_quads(const float* x, int64_t n) {
    float64x2_t a0 = vdupq_n_f64(0.0), a1 = vdupq_n_f64(0.0);
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
      for (int h = 0; h < 8; h += 4) {
        const float32x4_t a = vaddq_f32(vld1q_f32(x + i + h), vld1q_f32(x + i + h + 16));
        const float32x4_t b = vaddq_f32(vld1q_f32(x + i + h + 8), vld1q_f32(x + i + h + 24));
        add_widened(a0, a1, vaddq_f32(a, b));
      }
    }
    return finish_sum(a0, a1, x, i, n);
  }
  static void acc_sum(double* acc, const float* x, int64_t n) {
    int64_t i = 0;
    for (; i + 2 <= n; i += 2) {
      const float64x2_t v = vcvt_f64_f32(vld1_f32(x + i));
      vst1q_f64(acc + i, vaddq_f64(vld1q_f64(acc + i), v));
    }
    for (; i < n; ++i) acc[i] += x[i];
  }
};

#include "elementwise_simd.h"

constexpr Kernels kTable = make_kernels("neon");

}  // namespace

const Kernels& kernels_neon() { return kTable; }

}  // namespace torchlet
