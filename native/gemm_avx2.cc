// gemm_f32_6x16__avx2: the AVX2+FMA microkernel (6 rows x 2 ymm of C in 12 accumulators, A
// broadcast from any strides), the dot-product form (gemm_dot_simd.h, 3x4 tiles) for a narrow C,
// and vector packers for the common layouts. Compiled with -mavx2 -mfma; reached only through
// kGemmAvx2.
// ref: BLIS kernels/haswell/3/bli_gemm_haswell_asm_d6x8.c (the 6x16 sgemm tile); XNNPACK naming.
#include <immintrin.h>

#include <algorithm>

#include "gemm_kernels.h"
#include "gemm_transpose_x86.h"

namespace torchlet {
namespace gemm {

namespace {

constexpr int kMr = 6;
constexpr int kNv = 2;  // ymm vectors per row of the tile
constexpr int kNr = 8 * kNv;

template <int M, bool kPacked>
void gemm_f32_tile(int64_t kc, const float* a, int64_t a_rs, int64_t a_cs, const float* bp,
                   int64_t b_rs, float* c, int64_t c_rs, bool accumulate) {
  if (kPacked) {
    a_rs = 1;
    a_cs = kMr;
  }
  __m256 acc[M][kNv];
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i)
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) acc[i][v] = _mm256_setzero_ps();
  // NOTE: C is touched only after the k loop; fetching its lines now hides that miss (C is
  // re-read once per KC block and rarely still in cache). A short loop has no time to hide it.
  if (kc >= 64) {
#pragma GCC unroll 16
    for (int i = 0; i < M; ++i) {
      _mm_prefetch(reinterpret_cast<const char*>(c + i * c_rs), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(c + i * c_rs + kNr - 1), _MM_HINT_T0);
    }
  }
  for (int64_t p = 0; p < kc; ++p) {
    __m256 bv[kNv];
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) bv[v] = _mm256_loadu_ps(bp + 8 * v);
    bp += b_rs;
#pragma GCC unroll 16
    for (int i = 0; i < M; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i * a_rs);
#pragma GCC unroll 4
      for (int v = 0; v < kNv; ++v) acc[i][v] = _mm256_fmadd_ps(ai, bv[v], acc[i][v]);
    }
    a += a_cs;
  }
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i) {
    float* ci = c + i * c_rs;
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) {
      __m256 r = acc[i][v];
      if (accumulate) r = _mm256_add_ps(_mm256_loadu_ps(ci + 8 * v), r);
      _mm256_storeu_ps(ci + 8 * v, r);
    }
  }
}

template <bool kPacked>
void gemm_f32_rows(int64_t mr, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                   const float* bp, int64_t b_rs, float* c, int64_t c_rs, bool accumulate) {
  switch (mr) {
    case 1: return gemm_f32_tile<1, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 2: return gemm_f32_tile<2, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 3: return gemm_f32_tile<3, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 4: return gemm_f32_tile<4, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 5: return gemm_f32_tile<5, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    default: return gemm_f32_tile<6, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  }
}

void gemm_f32_6x16__avx2(int64_t mr, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                         const float* bp, int64_t b_rs, float* c, int64_t c_rs, bool accumulate) {
  if (a_rs == 1 && a_cs == kMr) {
    gemm_f32_rows<true>(mr, kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  } else {
    gemm_f32_rows<false>(mr, kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  }
}

// The dot-product form (gemm_dot_simd.h) on ymm: 3 x 4 tiles, 8 k per step.
struct DotVec {
  using F = __m256;
  static constexpr int W = 8, kRm = 3, kRn = 4;
  static F zero() { return _mm256_setzero_ps(); }
  static F load(const float* p) { return _mm256_loadu_ps(p); }
  static F load_first(const float* p, int64_t count) {
    return _mm256_maskload_ps(p, lane_mask8(count));
  }
  static F fma(F a, F b, F acc) { return _mm256_fmadd_ps(a, b, acc); }
  // Four horizontal sums, one per lane, pairs added by hadd. Every element goes through the same
  // tree whichever slot it takes, so a tile's edge columns (reduced next to zeros) round exactly
  // like its inner ones.
  static __m128 hsum4(F x0, F x1, F x2, F x3) {
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(x0, x1), _mm256_hadd_ps(x2, x3));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  }
};

#include "gemm_dot_simd.h"

// A -> 6-row panels (dst[p*6 + i]).
void pack_a_6__avx2(int64_t mc, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                    float* dst) {
  if (a_cs == 1) {
    pack_a_rows_avx(kMr, mc, kc, a, a_rs, dst);  // rows contiguous: 8x8 transposes, 2 rows unused
  } else if (a_rs == 1) {
    pack_a_cols_avx(kMr, mc, kc, a, a_cs, dst);  // A given transposed: copies of 6 floats
  } else {
    pack_a_generic(kMr, mc, kc, a, a_rs, a_cs, dst);
  }
}

// B -> 16-column panels (dst[p*16 + j]).
void pack_b_16__avx2(int64_t kc, int64_t nc, const float* b, int64_t b_rs, int64_t b_cs,
                     float* dst) {
  if (b_cs == 1) {
    for (int64_t j0 = 0; j0 < nc; j0 += kNr) {
      const int64_t cols = std::min<int64_t>(kNr, nc - j0);
      const float* src = b + j0;
      for (int64_t p = 0; p < kc; ++p) {
#pragma GCC unroll 4
        for (int v = 0; v < kNv; ++v) {
          const int64_t left = std::clamp<int64_t>(cols - 8 * v, 0, 8);
          _mm256_store_ps(dst + 8 * v, load8(src + p * b_rs + 8 * v, left));
        }
        dst += kNr;
      }
    }
  } else if (b_rs == 1) {
    pack_b_transposed_avx(kNr, kc, nc, b, b_cs, dst);
  } else {
    pack_b_generic(kNr, kc, nc, b, b_rs, b_cs, dst);
  }
}

}  // namespace

// Measured on Zen 4 (1 thread): KC = 512 and MC = 144 as good as any tried for 1024^3; unlike the
// AVX-512 kernel, reading B in place lost 10% at m = 64, so only up to two row tiles do it; and
// X·Wᵀ as Cᵀ with W in place (gemm.cc wants_resident_b) lost up to 22% on Zen 5: off.
const GemmKernels kGemmAvx2 = {"gemm_f32_6x16__avx2", kMr, kNr, 512, 2 * kMr, 0,
                               gemm_f32_6x16__avx2, pack_a_6__avx2, pack_b_16__avx2,
                               dot_f32, DotVec::kRm, transpose_avx};

}  // namespace gemm
}  // namespace torchlet
