// The AVX-512 (F/BW/VL/DQ) kernel table: V over __m512 (16 floats, __mmask16 masks), then the
// shared kernels of elementwise_simd.h. Compiled with the AVX-512 flags (CMakeLists.txt), so only
// reached after detect_isa() said avx512. Everything here has internal linkage.
// ref: Intel Intrinsics Guide for the instruction semantics (vmaxps returns its 2nd operand on NaN).
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "elementwise.h"
#include "math_extra.h"

namespace torchlet {
namespace {

struct V {
  using F = __m512;
  using M = __mmask16;
  static constexpr int W = 16;

  static F load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, F v) { _mm512_storeu_ps(p, v); }
  static F set1(float v) { return _mm512_set1_ps(v); }
  static F add(F a, F b) { return _mm512_add_ps(a, b); }
  static F sub(F a, F b) { return _mm512_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
  static F div(F a, F b) { return _mm512_div_ps(a, b); }
  static F fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static F fnma(F a, F b, F c) { return _mm512_fnmadd_ps(a, b, c); }
  static F max(F a, F b) { return _mm512_max_ps(a, b); }
  static F min(F a, F b) { return _mm512_min_ps(a, b); }
  // vmaxps gives b when either is NaN: right when b is NaN, so only a NaN a needs patching.
  static F maxp(F a, F b) { return _mm512_mask_mov_ps(_mm512_max_ps(a, b), is_nan(a), a); }
  static F minp(F a, F b) { return _mm512_mask_mov_ps(_mm512_min_ps(a, b), is_nan(a), a); }
  static F sqrt(F a) { return _mm512_sqrt_ps(a); }
  static F abs(F a) { return _mm512_abs_ps(a); }
  static F neg(F a) { return _mm512_xor_ps(a, _mm512_set1_ps(-0.0f)); }
  static F round(F a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static F floor(F a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
  static F ceil(F a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC); }
  static F trunc(F a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC); }
  static M eq(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
  static M ne(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_NEQ_UQ); }
  static M lt(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  static M le(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
  static M gt(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static M ge(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
  static M is_nan(F a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
  static M mand(M a, M b) { return static_cast<M>(a & b); }
  static M mor(M a, M b) { return static_cast<M>(a | b); }
  static F select(M m, F a, F b) { return _mm512_mask_blend_ps(m, b, a); }
  static F exp2i(F n) {
    const __m512i e = _mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127));
    return _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
  }
  static F exponent(F x) {
    const __m512i b = _mm512_srli_epi32(_mm512_castps_si512(x), 23);
    const __m512i e = _mm512_and_si512(b, _mm512_set1_epi32(0xff));
    return _mm512_cvtepi32_ps(_mm512_sub_epi32(e, _mm512_set1_epi32(127)));
  }
  static F mantissa(F x) {
    const __m512i b = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(0x7fffff));
    return _mm512_castsi512_ps(_mm512_or_si512(b, _mm512_set1_epi32(0x3f800000)));
  }
  static void store_mask_u8(uint8_t* p, M m) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm_maskz_mov_epi8(m, _mm_set1_epi8(1)));
  }

  // Sum of x[0..n) in double: four 8-lane accumulators (the conversions and adds of four
  // vectors overlap instead of waiting on one add's latency), then 8 at a time, then the tail in
  // order. The order depends on n only. (sum_quads, adding in float first, is faster and less exact.)
  static double sum_row(const float* x, int64_t n) {
    __m512d a0 = _mm512_setzero_pd(), a1 = _mm512_setzero_pd(), a2 = _mm512_setzero_pd(),
            a3 = _mm512_setzero_pd();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
      a0 = _mm512_add_pd(a0, _mm512_cvtps_pd(_mm256_loadu_ps(x + i)));
      a1 = _mm512_add_pd(a1, _mm512_cvtps_pd(_mm256_loadu_ps(x + i + 8)));
      a2 = _mm512_add_pd(a2, _mm512_cvtps_pd(_mm256_loadu_ps(x + i + 16)));
      a3 = _mm512_add_pd(a3, _mm512_cvtps_pd(_mm256_loadu_ps(x + i + 24)));
    }
    for (; i + 8 <= n; i += 8) a0 = _mm512_add_pd(a0, _mm512_cvtps_pd(_mm256_loadu_ps(x + i)));
    alignas(64) double t[8];
    _mm512_store_pd(t, _mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3)));
    double s = ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
    for (; i < n; ++i) s += x[i];
    return s;
  }
  // In the order Kernels::sum_quads documents: each 32 floats folded to 8 in float, 8
  // ymm lanes wide, then widened. Two accumulators of 64 floats per step.
  static __m512d quads(const float* x) {
    const __m256 a = _mm256_add_ps(_mm256_loadu_ps(x), _mm256_loadu_ps(x + 16));
    const __m256 b = _mm256_add_ps(_mm256_loadu_ps(x + 8), _mm256_loadu_ps(x + 24));
    return _mm512_cvtps_pd(_mm256_add_ps(a, b));
  }
  static double sum_quads(const float* x, int64_t n) {
    __m512d a0 = _mm512_setzero_pd(), a1 = _mm512_setzero_pd();
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
      a0 = _mm512_add_pd(a0, quads(x + i));
      a1 = _mm512_add_pd(a1, quads(x + i + 32));
    }
    if (i + 32 <= n) {
      a0 = _mm512_add_pd(a0, quads(x + i));
      i += 32;
    }
    alignas(64) double t[8];
    _mm512_store_pd(t, _mm512_add_pd(a0, a1));
    double s = ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
    for (; i < n; ++i) s += x[i];
    return s;
  }
  static void acc_sum(double* acc, const float* x, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const __m512d v = _mm512_cvtps_pd(_mm256_loadu_ps(x + i));
      _mm512_storeu_pd(acc + i, _mm512_add_pd(_mm512_loadu_pd(acc + i), v));
    }
    for (; i < n; ++i) acc[i] += x[i];
  }
};

#include "elementwise_simd.h"

constexpr Kernels kTable = make_kernels("avx512");

}  // namespace

const Kernels& kernels_avx512() { return kTable; }

}  // namespace torchlet
