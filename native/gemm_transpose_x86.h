// AVX (256-bit) packers shared by gemm_avx2.cc and gemm_avx512.cc (the only includers): 8x8
// transposes for operands whose contiguous dimension is k, plain copies, a transposed copy.
// NOTE: everything here has internal linkage (anonymous namespace), so each ISA file gets its own
// copy compiled with its own flags and no baseline file can link to an AVX-encoded one (ODR).
// ref: the classic unpack/shuffle/permute2f128 8x8 transpose (Intel optimization manual, 11.11).
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstdint>

namespace torchlet {
namespace gemm {
namespace {

inline void transpose8x8_ps(__m256 r[8]) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
  r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
  r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
  r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
  r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
  r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
  r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
  r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

// Lanes [0, count) set, for _mm256_maskload_ps (0 <= count <= 8).
inline __m256i lane_mask8(int64_t count) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), idx);
}

// Loads src[0:8] (all lanes) or the first `count` lanes (the rest 0).
inline __m256 load8(const float* src, int64_t count) {
  if (count >= 8) return _mm256_loadu_ps(src);
  return _mm256_maskload_ps(src, lane_mask8(count));
}

// Stores lanes [0, count) of v at dst (0 <= count <= 8).
// NOTE: not _mm256_maskstore_ps, which is microcoded and very slow on AMD cores.
inline void store8(float* dst, __m256 v, int64_t count) {
  if (count >= 8) return _mm256_storeu_ps(dst, v);
  __m128 part = _mm256_castps256_ps128(v);
  if (count >= 4) {
    _mm_storeu_ps(dst, part);
    part = _mm256_extractf128_ps(v, 1);
    dst += 4;
    count -= 4;
  }
  if (count >= 2) {
    _mm_storel_pi(reinterpret_cast<__m64*>(dst), part);
    part = _mm_movehl_ps(part, part);
    dst += 2;
    count -= 2;
  }
  if (count == 1) _mm_store_ss(dst, part);
}

// A with contiguous rows (a_cs = 1) -> mr-row panels dst[p*mr + i] (any mr): each group of 8 rows
// of a panel goes through 8 x 8 transposes, 8 k at a time; rows past mc are zero.
inline void pack_a_rows_avx(int mr, int64_t mc, int64_t kc, const float* a, int64_t a_rs,
                            float* dst) {
  for (int64_t i0 = 0; i0 < mc; i0 += mr) {
    const int64_t rows = std::min<int64_t>(mr, mc - i0);
    for (int g0 = 0; g0 < mr; g0 += 8) {
      const int64_t group = std::min(8, mr - g0);
      for (int64_t p0 = 0; p0 < kc; p0 += 8) {
        const int64_t ks = std::min<int64_t>(8, kc - p0);
        __m256 r[8];
        for (int i = 0; i < 8; ++i)
          r[i] = g0 + i < rows ? load8(a + (i0 + g0 + i) * a_rs + p0, ks) : _mm256_setzero_ps();
        transpose8x8_ps(r);
        for (int q = 0; q < ks; ++q) store8(dst + (p0 + q) * mr + g0, r[q], group);
      }
    }
    dst += kc * mr;
  }
}

// A given transposed (a_rs = 1) -> mr-row panels (mr <= 8): each k step is one copy of mr floats.
inline void pack_a_cols_avx(int mr, int64_t mc, int64_t kc, const float* a, int64_t a_cs,
                            float* dst) {
  for (int64_t i0 = 0; i0 < mc; i0 += mr) {
    const int64_t rows = std::min<int64_t>(mr, mc - i0);
    for (int64_t p = 0; p < kc; ++p) store8(dst + p * mr, load8(a + i0 + p * a_cs, rows), mr);
    dst += kc * mr;
  }
}

// B given transposed (b_rs = 1, element (p, j) at b[j*b_cs + p]) -> nr-column panels
// dst[p*nr + j], nr a multiple of 8: 8 columns x 8 k per transpose.
inline void pack_b_transposed_avx(int nr, int64_t kc, int64_t nc, const float* b, int64_t b_cs,
                                  float* dst) {
  for (int64_t j0 = 0; j0 < nc; j0 += nr) {
    // NOTE: 8 source columns at a time, walked along k: with a power-of-two b_cs, more columns
    // at once would all map to the same few L1 sets and evict each other.
    for (int jg = 0; jg < nr; jg += 8) {
      const int64_t cols = std::clamp<int64_t>(nc - j0 - jg, 0, 8);
      for (int64_t p0 = 0; p0 < kc; p0 += 8) {
        const int64_t ks = std::min<int64_t>(8, kc - p0);
        __m256 r[8];
        for (int j = 0; j < 8; ++j)
          r[j] = j < cols ? load8(b + (j0 + jg + j) * b_cs + p0, ks) : _mm256_setzero_ps();
        transpose8x8_ps(r);
        for (int q = 0; q < ks; ++q) _mm256_store_ps(dst + (p0 + q) * nr + jg, r[q]);
      }
    }
    dst += kc * nr;
  }
}

// dst[c*dst_rs + r] (+)= src[r*src_rs + c]: 8x8 blocks, masked at the edges. Columns of src
// outermost, so each row of dst is written front to back (whole lines, two blocks at a time).
inline void transpose_avx(int64_t rows, int64_t cols, const float* src, int64_t src_rs, float* dst,
                          int64_t dst_rs, bool accumulate) {
  for (int64_t c0 = 0; c0 < cols; c0 += 8) {
    const int64_t nc = std::min<int64_t>(8, cols - c0);
    for (int64_t r0 = 0; r0 < rows; r0 += 8) {
      const int64_t nr = std::min<int64_t>(8, rows - r0);
      __m256 r[8];
      for (int i = 0; i < 8; ++i)
        r[i] = i < nr ? load8(src + (r0 + i) * src_rs + c0, nc) : _mm256_setzero_ps();
      transpose8x8_ps(r);
      for (int q = 0; q < nc; ++q) {
        float* d = dst + (c0 + q) * dst_rs + r0;
        if (accumulate) r[q] = _mm256_add_ps(load8(d, nr), r[q]);
        store8(d, r[q], nr);
      }
    }
  }
}

}  // namespace
}  // namespace gemm
}  // namespace torchlet
