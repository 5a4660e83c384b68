// gemm_f32_8x32__avx512: the AVX-512 microkernel (8 rows x 2 zmm of C in 16 accumulators, A
// broadcast from any strides), the dot-product form dot_f32_4x5__avx512 for a narrow C, and vector
// packers for the common layouts. Compiled with the AVX-512 flags; reached only via kGemmAvx512.
// ref: BLIS kernels/skx (register blocking); XNNPACK src/f32-gemm (naming, masked edges).
// NOTE: GCC 12's AVX-512 intrinsics seed results with _mm512_undefined_*, which -Wall reports as
// uninitialized once inlined (GCC bug 105593); the warnings point into the header, silenced here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include <algorithm>

#include "gemm_kernels.h"
#include "gemm_transpose_x86.h"

namespace torchlet {
namespace gemm {

namespace {

constexpr int kMr = 8;
constexpr int kNv = 2;  // zmm vectors per row of the tile
constexpr int kNr = 16 * kNv;

// M x kNr tile: the loop over p is the only loop at run time; rows and vectors are unrolled.
// kPacked: A is a packed panel (a_rs = 1, a_cs = kMr) and its addresses are constants.
template <int M, bool kPacked>
void gemm_f32_tile(int64_t kc, const float* a, int64_t a_rs, int64_t a_cs, const float* bp,
                   int64_t b_rs, float* c, int64_t c_rs, bool accumulate) {
  if (kPacked) {
    a_rs = 1;
    a_cs = kMr;
  }
  __m512 acc[M][kNv];
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i)
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) acc[i][v] = _mm512_setzero_ps();
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
    __m512 bv[kNv];
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) bv[v] = _mm512_loadu_ps(bp + 16 * v);
    bp += b_rs;
#pragma GCC unroll 16
    for (int i = 0; i < M; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i * a_rs]);
#pragma GCC unroll 4
      for (int v = 0; v < kNv; ++v) acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);
    }
    a += a_cs;
  }
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i) {
    float* ci = c + i * c_rs;
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) {
      __m512 r = acc[i][v];
      if (accumulate) r = _mm512_add_ps(_mm512_loadu_ps(ci + 16 * v), r);
      _mm512_storeu_ps(ci + 16 * v, r);
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
    case 6: return gemm_f32_tile<6, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 7: return gemm_f32_tile<7, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    default: return gemm_f32_tile<8, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  }
}

void gemm_f32_8x32__avx512(int64_t mr, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                           const float* bp, int64_t b_rs, float* c, int64_t c_rs, bool accumulate) {
  if (a_rs == 1 && a_cs == kMr) {
    gemm_f32_rows<true>(mr, kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  } else {
    gemm_f32_rows<false>(mr, kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  }
}

// Dot-product tile: RM rows of A x RN rows of Bt, 16 k per step, masked tail, then one
// horizontal sum per element (the same tree for every element).
constexpr int kDotRm = 4;
constexpr int kDotRn = 5;

// Four horizontal sums at once, one per lane of the result: halves folded, then pairs added by
// hadd. Every element goes through the same tree whichever slot it takes, so a tile's edge
// columns (reduced next to zeros) round exactly like its inner ones.
__m128 hsum16x4(__m512 x0, __m512 x1, __m512 x2, __m512 x3) {
  auto fold = [](__m512 v) {
    return _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
  };
  const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(fold(x0), fold(x1)),
                                  _mm256_hadd_ps(fold(x2), fold(x3)));
  return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

template <int RM, int RN>
void dot_f32_tile(int64_t k, const float* a, int64_t a_rs, const float* bt, int64_t bt_rs,
                  float* c, int64_t c_rs, int64_t c_cs, bool accumulate) {
  __m512 acc[RM][RN];
#pragma GCC unroll 8
  for (int i = 0; i < RM; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < RN; ++j) acc[i][j] = _mm512_setzero_ps();
  int64_t p = 0;
  for (; p + 16 <= k; p += 16) {
    __m512 bv[RN];
#pragma GCC unroll 8
    for (int j = 0; j < RN; ++j) bv[j] = _mm512_loadu_ps(bt + j * bt_rs + p);
#pragma GCC unroll 8
    for (int i = 0; i < RM; ++i) {
      const __m512 av = _mm512_loadu_ps(a + i * a_rs + p);
#pragma GCC unroll 8
      for (int j = 0; j < RN; ++j) acc[i][j] = _mm512_fmadd_ps(av, bv[j], acc[i][j]);
    }
  }
  if (p < k) {
    const __mmask16 mask = static_cast<__mmask16>((1u << (k - p)) - 1);
    __m512 bv[RN];
#pragma GCC unroll 8
    for (int j = 0; j < RN; ++j) bv[j] = _mm512_maskz_loadu_ps(mask, bt + j * bt_rs + p);
#pragma GCC unroll 8
    for (int i = 0; i < RM; ++i) {
      const __m512 av = _mm512_maskz_loadu_ps(mask, a + i * a_rs + p);
#pragma GCC unroll 8
      for (int j = 0; j < RN; ++j) acc[i][j] = _mm512_fmadd_ps(av, bv[j], acc[i][j]);
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < RM; ++i) {
#pragma GCC unroll 2
    for (int j0 = 0; j0 < RN; j0 += 4) {
      __m512 x[4];
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q) x[q] = j0 + q < RN ? acc[i][j0 + q] : _mm512_setzero_ps();
      alignas(16) float sums[4];
      _mm_store_ps(sums, hsum16x4(x[0], x[1], x[2], x[3]));
      float* ci = c + i * c_rs + j0 * c_cs;
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q) {
        if (j0 + q < RN) ci[q * c_cs] = accumulate ? ci[q * c_cs] + sums[q] : sums[q];
      }
    }
  }
}

template <int RM>
void dot_f32_row_tiles(int64_t n, int64_t k, const float* a, int64_t a_rs, const float* bt,
                       int64_t bt_rs, float* c, int64_t c_rs, int64_t c_cs, bool accumulate) {
  int64_t j = 0;
  for (; j + kDotRn <= n; j += kDotRn)
    dot_f32_tile<RM, kDotRn>(k, a, a_rs, bt + j * bt_rs, bt_rs, c + j * c_cs, c_rs, c_cs,
                             accumulate);
  const float* btj = bt + j * bt_rs;
  float* cj = c + j * c_cs;
  switch (n - j) {
    case 1: return dot_f32_tile<RM, 1>(k, a, a_rs, btj, bt_rs, cj, c_rs, c_cs, accumulate);
    case 2: return dot_f32_tile<RM, 2>(k, a, a_rs, btj, bt_rs, cj, c_rs, c_cs, accumulate);
    case 3: return dot_f32_tile<RM, 3>(k, a, a_rs, btj, bt_rs, cj, c_rs, c_cs, accumulate);
    case 4: return dot_f32_tile<RM, 4>(k, a, a_rs, btj, bt_rs, cj, c_rs, c_cs, accumulate);
    default: return;
  }
}

void dot_f32_4x5__avx512(int64_t m, int64_t n, int64_t k, const float* a, int64_t a_rs,
                         const float* bt, int64_t bt_rs, float* c, int64_t c_rs, int64_t c_cs,
                         bool accumulate) {
  int64_t i = 0;
  for (; i + kDotRm <= m; i += kDotRm)
    dot_f32_row_tiles<kDotRm>(n, k, a + i * a_rs, a_rs, bt, bt_rs, c + i * c_rs, c_rs, c_cs,
                              accumulate);
  const float* ai = a + i * a_rs;
  float* ci = c + i * c_rs;
  switch (m - i) {
    case 1: return dot_f32_row_tiles<1>(n, k, ai, a_rs, bt, bt_rs, ci, c_rs, c_cs, accumulate);
    case 2: return dot_f32_row_tiles<2>(n, k, ai, a_rs, bt, bt_rs, ci, c_rs, c_cs, accumulate);
    case 3: return dot_f32_row_tiles<3>(n, k, ai, a_rs, bt, bt_rs, ci, c_rs, c_cs, accumulate);
    default: return;
  }
}

// A -> kMr-row panels (dst[p*kMr + i]).
void pack_a_8__avx512(int64_t mc, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                      float* dst) {
  if (a_cs == 1) {
    pack_a_rows_8_avx(mc, kc, a, a_rs, dst);  // rows contiguous: 8x8 transposes
  } else if (a_rs == 1) {
    pack_a_cols_8_avx(mc, kc, a, a_cs, dst);  // A given transposed: plain copies
  } else {
    pack_a_generic(kMr, mc, kc, a, a_rs, a_cs, dst);
  }
}

// B -> kNr-column panels (dst[p*kNr + j]).
void pack_b_32__avx512(int64_t kc, int64_t nc, const float* b, int64_t b_rs, int64_t b_cs,
                       float* dst) {
  if (b_cs == 1) {
    for (int64_t j0 = 0; j0 < nc; j0 += kNr) {
      const int64_t cols = std::min<int64_t>(kNr, nc - j0);
      const float* src = b + j0;
      if (cols == kNr) {
        for (int64_t p = 0; p < kc; ++p) {
#pragma GCC unroll 4
          for (int v = 0; v < kNv; ++v)
            _mm512_store_ps(dst + 16 * v, _mm512_loadu_ps(src + p * b_rs + 16 * v));
          dst += kNr;
        }
      } else {
        __mmask16 mask[kNv];
#pragma GCC unroll 4
        for (int v = 0; v < kNv; ++v) {
          const int64_t left = std::clamp<int64_t>(cols - 16 * v, 0, 16);
          mask[v] = static_cast<__mmask16>((1u << left) - 1);
        }
        for (int64_t p = 0; p < kc; ++p) {
#pragma GCC unroll 4
          for (int v = 0; v < kNv; ++v)
            _mm512_store_ps(dst + 16 * v, _mm512_maskz_loadu_ps(mask[v], src + p * b_rs + 16 * v));
          dst += kNr;
        }
      }
    }
  } else if (b_rs == 1) {
    pack_b_transposed_avx(kNr, kc, nc, b, b_cs, dst);  // B given transposed: 8x8 transposes
  } else {
    pack_b_generic(kNr, kc, nc, b, b_rs, b_cs, dst);
  }
}

}  // namespace

// Measured on Zen 4 (1 thread, 1024^3 and 2048^3): KC = 512 beats 256 by 3-6% (C is re-read once
// per KC block), MC from 48 to 192 within noise; the MLP shapes (m = 64) run faster reading B in
// place than packing it.
const GemmKernels kGemmAvx512 = {"gemm_f32_8x32__avx512", kMr, kNr, 512, 96, 4096, 128,
                                 gemm_f32_8x32__avx512, pack_a_8__avx512, pack_b_32__avx512,
                                 dot_f32_4x5__avx512, kDotRm, transpose_avx};

}  // namespace gemm
}  // namespace torchlet
