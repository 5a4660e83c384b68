// gemm_f32_8x32__avx512: the AVX-512 microkernel (8 rows x 2 zmm of C in 16 accumulators,
// A broadcast from any strides) and vector packers for the common layouts (contiguous rows, or
// transposed via 8x8 transposes). Compiled with the AVX-512 flags; reached only via kGemmAvx512.
// ref: BLIS kernels/skx (register blocking); XNNPACK src/f32-gemm (naming, masked edges).
#include <immintrin.h>

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
                   float* c, int64_t c_rs, bool accumulate) {
  if (kPacked) {
    a_rs = 1;
    a_cs = kMr;
  }
  __m512 acc[M][kNv];
  #pragma GCC unroll 16
  for (int i = 0; i < M; ++i)
    #pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) acc[i][v] = _mm512_setzero_ps();
  for (int64_t p = 0; p < kc; ++p) {
    __m512 bv[kNv];
    #pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) bv[v] = _mm512_load_ps(bp + 16 * v);
    bp += kNr;
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
                   const float* bp, float* c, int64_t c_rs, bool accumulate) {
  switch (mr) {
    case 1: return gemm_f32_tile<1, kPacked>(kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
    case 2: return gemm_f32_tile<2, kPacked>(kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
    case 3: return gemm_f32_tile<3, kPacked>(kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
    case 4: return gemm_f32_tile<4, kPacked>(kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
    case 5: return gemm_f32_tile<5, kPacked>(kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
    case 6: return gemm_f32_tile<6, kPacked>(kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
    case 7: return gemm_f32_tile<7, kPacked>(kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
    default: return gemm_f32_tile<8, kPacked>(kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
  }
}

void gemm_f32_8x32__avx512(int64_t mr, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                           const float* bp, float* c, int64_t c_rs, bool accumulate) {
  if (a_rs == 1 && a_cs == kMr) {
    gemm_f32_rows<true>(mr, kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
  } else {
    gemm_f32_rows<false>(mr, kc, a, a_rs, a_cs, bp, c, c_rs, accumulate);
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

// KC x NR of B = 32 KB (L1 is 32-48 KB); MC x KC of A = 384 KB (L2 is 1-2 MB).
const GemmKernels kGemmAvx512 = {"gemm_f32_8x32__avx512", kMr, kNr, 256, 384, 4096,
                                 gemm_f32_8x32__avx512, pack_a_8__avx512, pack_b_32__avx512};

}  // namespace gemm
}  // namespace torchlet
