// The AVX2+FMA kernel table: V over __m256 (8 floats; masks are all-ones lanes in a __m256), then
// the shared kernels of elementwise_simd.h. Compiled with -mavx2 -mfma (CMakeLists.txt), so only
// reached after detect_isa() found AVX2 and FMA. Everything here has internal linkage.
// ref: Intel Intrinsics Guide for the instruction semantics (vmaxps returns its 2nd operand on NaN).
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "elementwise.h"
#include "math_extra.h"

namespace torchlet {
namespace {

struct V {
  using F = __m256;
  using M = __m256;
  static constexpr int W = 8;

  static F load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, F v) { _mm256_storeu_ps(p, v); }
  static F set1(float v) { return _mm256_set1_ps(v); }
  static F add(F a, F b) { return _mm256_add_ps(a, b); }
  static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  static F div(F a, F b) { return _mm256_div_ps(a, b); }
  static F fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  static F fnma(F a, F b, F c) { return _mm256_fnmadd_ps(a, b, c); }
  static F max(F a, F b) { return _mm256_max_ps(a, b); }
  static F min(F a, F b) { return _mm256_min_ps(a, b); }
  // vmaxps gives b when either is NaN: right when b is NaN, so only a NaN a needs patching.
  static F maxp(F a, F b) { return _mm256_blendv_ps(_mm256_max_ps(a, b), a, is_nan(a)); }
  static F minp(F a, F b) { return _mm256_blendv_ps(_mm256_min_ps(a, b), a, is_nan(a)); }
  static F sqrt(F a) { return _mm256_sqrt_ps(a); }
  static F abs(F a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  static F neg(F a) { return _mm256_xor_ps(a, _mm256_set1_ps(-0.0f)); }
  static F round(F a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static F floor(F a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
  static F ceil(F a) { return _mm256_round_ps(a, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC); }
  static F trunc(F a) { return _mm256_round_ps(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC); }
  static M eq(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
  static M ne(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_NEQ_UQ); }
  static M lt(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  static M le(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
  static M gt(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static M ge(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
  static M is_nan(F a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
  static M mand(M a, M b) { return _mm256_and_ps(a, b); }
  static M mor(M a, M b) { return _mm256_or_ps(a, b); }
  static F select(M m, F a, F b) { return _mm256_blendv_ps(b, a, m); }
  static F exp2i(F n) {
    const __m256i e = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
  }
  static F exponent(F x) {
    const __m256i b = _mm256_srli_epi32(_mm256_castps_si256(x), 23);
    const __m256i e = _mm256_and_si256(b, _mm256_set1_epi32(0xff));
    return _mm256_cvtepi32_ps(_mm256_sub_epi32(e, _mm256_set1_epi32(127)));
  }
  static F mantissa(F x) {
    const __m256i b = _mm256_and_si256(_mm256_castps_si256(x), _mm256_set1_epi32(0x7fffff));
    return _mm256_castsi256_ps(_mm256_or_si256(b, _mm256_set1_epi32(0x3f800000)));
  }
  static void store_mask_u8(uint8_t* p, M m) {
    // 8 lanes of 0 / -1 (int32) -> packed to 8 bytes of 0 / 1.
    const __m256i i = _mm256_castps_si256(m);
    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(i), _mm256_extracti128_si256(i, 1));
    const __m128i b = _mm_and_si128(_mm_packs_epi16(w, w), _mm_set1_epi8(1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p), b);
  }

  // Sum of x[0..n) in double: four 4-lane accumulators (the conversions and adds of four
  // vectors overlap instead of waiting on one add's latency), then 4 at a time, then the tail in
  // order. The order depends on n only. (sum_quads, adding in float first, is faster and less exact.)
  static double sum_row(const float* x, int64_t n) {
    __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd(), a2 = _mm256_setzero_pd(),
            a3 = _mm256_setzero_pd();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
      a0 = _mm256_add_pd(a0, _mm256_cvtps_pd(_mm_loadu_ps(x + i)));
      a1 = _mm256_add_pd(a1, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 4)));
      a2 = _mm256_add_pd(a2, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 8)));
      a3 = _mm256_add_pd(a3, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 12)));
    }
    for (; i + 4 <= n; i += 4) a0 = _mm256_add_pd(a0, _mm256_cvtps_pd(_mm_loadu_ps(x + i)));
    alignas(32) double t[4];
    _mm256_store_pd(t, _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
    double s = (t[0] + t[1]) + (t[2] + t[3]);
    for (; i < n; ++i) s += x[i];
    return s;
  }
  // In the order Kernels::sum_quads documents: each 32 floats folded to 8 in float, then
  // widened as two halves of 4. Two accumulator pairs of 64 floats per step.
  static void add_quads(__m256d& lo, __m256d& hi, const float* x) {
    const __m256 a = _mm256_add_ps(_mm256_loadu_ps(x), _mm256_loadu_ps(x + 16));
    const __m256 b = _mm256_add_ps(_mm256_loadu_ps(x + 8), _mm256_loadu_ps(x + 24));
    const __m256 q = _mm256_add_ps(a, b);
    lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(q)));
    hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(q, 1)));
  }
  static double sum_quads(const float* x, int64_t n) {
    __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd(), a2 = _mm256_setzero_pd(),
            a3 = _mm256_setzero_pd();
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
      add_quads(a0, a1, x + i);
      add_quads(a2, a3, x + i + 32);
    }
    if (i + 32 <= n) {
      add_quads(a0, a1, x + i);
      i += 32;
    }
    alignas(32) double t[4];
    _mm256_store_pd(t, _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
    double s = (t[0] + t[1]) + (t[2] + t[3]);
    for (; i < n; ++i) s += x[i];
    return s;
  }
  static void acc_sum(double* acc, const float* x, int64_t n) {
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
      const __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(x + i));
      _mm256_storeu_pd(acc + i, _mm256_add_pd(_mm256_loadu_pd(acc + i), v));
    }
    for (; i < n; ++i) acc[i] += x[i];
  }
};

#include "elementwise_simd.h"

constexpr Kernels kTable = make_kernels("avx2");

}  // namespace

const Kernels& kernels_avx2() { return kTable; }

}  // namespace torchlet
