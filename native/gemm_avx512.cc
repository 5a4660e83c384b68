// gemm_f32_14x32__avx512: the AVX-512 microkernel (14 rows x 2 zmm of C in 28 accumulators, A
// broadcast from any strides), the dot-product form (gemm_dot_simd.h, 4x5 tiles) for a narrow C,
// and vector packers for the common layouts. Compiled with the AVX-512 flags; reached only via
// kGemmAvx512.
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

constexpr int kMr = 14;
constexpr int kNv = 2;  // zmm vectors per row of the tile
constexpr int kNr = 16 * kNv;
constexpr __mmask16 kPanelMask = static_cast<__mmask16>((1u << kMr) - 1);  // a packed A panel's kMr floats

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

// The tile of `mr` rows (1..kMr), each row count its own fully unrolled instance.
template <bool kPacked, int M = kMr>
void gemm_f32_rows(int64_t mr, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                   const float* bp, int64_t b_rs, float* c, int64_t c_rs, bool accumulate) {
  if constexpr (M > 1) {
    if (mr < M) return gemm_f32_rows<kPacked, M - 1>(mr, kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  }
  gemm_f32_tile<M, kPacked>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
}

void gemm_f32_14x32__avx512(int64_t mr, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                           const float* bp, int64_t b_rs, float* c, int64_t c_rs, bool accumulate) {
  if (a_rs == 1 && a_cs == kMr) {
    gemm_f32_rows<true>(mr, kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  } else {
    gemm_f32_rows<false>(mr, kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  }
}

// The dot-product form (gemm_dot_simd.h) on zmm: 4 x 5 tiles, 16 k per step.
struct DotVec {
  using F = __m512;
  static constexpr int W = 16, kRm = 4, kRn = 5;
  static F zero() { return _mm512_setzero_ps(); }
  static F load(const float* p) { return _mm512_loadu_ps(p); }
  static F load_first(const float* p, int64_t count) {
    return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << count) - 1), p);
  }
  static F fma(F a, F b, F acc) { return _mm512_fmadd_ps(a, b, acc); }
  // Four horizontal sums, one per lane: halves folded, then pairs added by hadd. Every element
  // goes through the same tree whichever slot it takes, so a tile's edge columns (reduced next to
  // zeros) round exactly like its inner ones.
  static __m128 hsum4(F x0, F x1, F x2, F x3) {
    auto fold = [](__m512 v) {
      return _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
    };
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(fold(x0), fold(x1)),
                                    _mm256_hadd_ps(fold(x2), fold(x3)));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  }
};

#include "gemm_dot_simd.h"

// dst[c*dst_rs + r] (+)= src[r*src_rs + c] (TransposeFn): transpose_avx's 8x8 blocks, fed and
// stored with AVX-512. A column-major C gets its tiles through here straight after the
// microkernel wrote them to a buffer with zmm stores. Reading that buffer back a whole zmm at a
// time (not in 256-bit halves, which seem not to be forwarded from a pending 512-bit store: with
// halves, the transposes of the MLP's [64x512]^T @ 64x10 took 70% as long as its microkernel on
// Zen 5, with zmm loads 15%), and one masked store per column instead of store8's two or three.
// Columns of src outermost: each of the 16 rows of dst they become is written front to back, whole
// lines at a time, and each line of src is read once (a large transposed copy, elementwise.cc).
void transpose_avx512(int64_t rows, int64_t cols, const float* src, int64_t src_rs, float* dst,
                      int64_t dst_rs, bool accumulate) {
  for (int64_t c0 = 0; c0 < cols; c0 += 16) {
    const int64_t nc = std::min<int64_t>(16, cols - c0);
    const __mmask16 col_mask = static_cast<__mmask16>((1u << nc) - 1);
    for (int64_t r0 = 0; r0 < rows; r0 += 8) {
      const int64_t nr = std::min<int64_t>(8, rows - r0);
      const __mmask8 row_mask = static_cast<__mmask8>((1u << nr) - 1);
      __m256 lo[8], hi[8];
      for (int i = 0; i < 8; ++i) {
        const __m512 v = i < nr ? _mm512_maskz_loadu_ps(col_mask, src + (r0 + i) * src_rs + c0)
                                : _mm512_setzero_ps();
        lo[i] = _mm512_castps512_ps256(v);
        hi[i] = _mm512_extractf32x8_ps(v, 1);
      }
      transpose8x8_ps(lo);
      transpose8x8_ps(hi);
      for (int64_t q = 0; q < nc; ++q) {
        float* d = dst + (c0 + q) * dst_rs + r0;
        __m256 v = q < 8 ? lo[q] : hi[q - 8];
        if (accumulate) v = _mm256_add_ps(_mm256_maskz_loadu_ps(row_mask, d), v);
        _mm256_mask_storeu_ps(d, row_mask, v);
      }
    }
  }
}

// A -> kMr-row panels (dst[p*kMr + i]).
void pack_a_14__avx512(int64_t mc, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                      float* dst) {
  if (a_cs == 1) {
    pack_a_rows_avx(kMr, mc, kc, a, a_rs, dst);  // rows contiguous: 8x8 transposes
  } else if (a_rs == 1) {
    // A given transposed: one masked copy of kMr floats per k (rows past mc zero).
    for (int64_t i0 = 0; i0 < mc; i0 += kMr) {
      const int64_t rows = std::min<int64_t>(kMr, mc - i0);
      const __mmask16 load_mask = static_cast<__mmask16>((1u << rows) - 1);
      for (int64_t p = 0; p < kc; ++p) {
        _mm512_mask_storeu_ps(dst + p * kMr, kPanelMask, _mm512_maskz_loadu_ps(load_mask, a + i0 + p * a_cs));
      }
      dst += kc * kMr;
    }
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
// place than packing it. Measured on Zen 5: X·Wᵀ with up to NR = 32 rows of X runs faster as Cᵀ
// with W read in place (gemm.cc wants_resident_b), 64 rows about even, 128 slower.
// The tile, measured on a Xeon (Sapphire-Rapids class, 48 KB L1d, 1 thread): from L1 both 8x32 and
// 14x32 run at ~185 GFLOP/s, but in a GEMM the 512 x 32 micro-panel of B (64 KB) streams from L2
// for every row tile, and 14 rows per tile nearly halve that traffic per FMA: 2048³ 1.08-1.10x,
// K = 4096 1.03-1.07x, the MLP's 256x784x512 1.00-1.03x. 28 accumulators + 2 B vectors + 1
// broadcast use 31 of the 32 zmm registers. The tile never changes a sum (same KC, same order).
const GemmKernels kGemmAvx512 = {"gemm_f32_14x32__avx512", kMr, kNr, 512, 128, kNr,
                                 gemm_f32_14x32__avx512, pack_a_14__avx512, pack_b_32__avx512,
                                 dot_f32, DotVec::kRm, transpose_avx512};

}  // namespace gemm
}  // namespace torchlet
