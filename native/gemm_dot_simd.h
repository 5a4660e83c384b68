// The dot-product form of the GEMM for a narrow C, written once for the x86 vector widths: each
// C element is a dot product along k of an A row and a Bt row (both contiguous in k), RM x RN of
// them per tile, W k per step, a masked tail, then one horizontal sum per element.
// Included (inside namespace torchlet::gemm, anonymous namespace) by gemm_avx2.cc and
// gemm_avx512.cc after they define `struct DotVec`, so each gets its own copy compiled with its
// own ISA flags. DotVec provides: F (a vector of W floats), W, kRm, kRn (the full tile),
// zero(), load(p), load_first(p, count) (lanes past count are 0), fma(a, b, acc), and
// hsum4(x0..x3) -> the four horizontal sums in one __m128, the same tree for every lane.
#pragma once

#include <cstdint>
#include <type_traits>

// Calls fn(std::integral_constant<int, r>{}) for the edge size 0 < r < kMax (nothing for r = 0):
// the tile templates need their sizes at compile time.
template <int kMax, class Fn>
void with_edge(int64_t r, const Fn& fn) {
  if constexpr (kMax > 1) {
    if (r == kMax - 1) return fn(std::integral_constant<int, kMax - 1>{});
    with_edge<kMax - 1>(r, fn);
  }
}

template <int RM, int RN>
void dot_f32_tile(int64_t k, const float* a, int64_t a_rs, const float* bt, int64_t bt_rs,
                  float* c, int64_t c_rs, int64_t c_cs, bool accumulate) {
  using F = DotVec::F;
  F acc[RM][RN];
#pragma GCC unroll 8
  for (int i = 0; i < RM; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < RN; ++j) acc[i][j] = DotVec::zero();
  int64_t p = 0;
  for (; p + DotVec::W <= k; p += DotVec::W) {
    F bv[RN];
#pragma GCC unroll 8
    for (int j = 0; j < RN; ++j) bv[j] = DotVec::load(bt + j * bt_rs + p);
#pragma GCC unroll 8
    for (int i = 0; i < RM; ++i) {
      const F av = DotVec::load(a + i * a_rs + p);
#pragma GCC unroll 8
      for (int j = 0; j < RN; ++j) acc[i][j] = DotVec::fma(av, bv[j], acc[i][j]);
    }
  }
  if (p < k) {
    F bv[RN];
#pragma GCC unroll 8
    for (int j = 0; j < RN; ++j) bv[j] = DotVec::load_first(bt + j * bt_rs + p, k - p);
#pragma GCC unroll 8
    for (int i = 0; i < RM; ++i) {
      const F av = DotVec::load_first(a + i * a_rs + p, k - p);
#pragma GCC unroll 8
      for (int j = 0; j < RN; ++j) acc[i][j] = DotVec::fma(av, bv[j], acc[i][j]);
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < RM; ++i) {
#pragma GCC unroll 2
    for (int j0 = 0; j0 < RN; j0 += 4) {
      F x[4];
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q) x[q] = j0 + q < RN ? acc[i][j0 + q] : DotVec::zero();
      alignas(16) float sums[4];
      _mm_store_ps(sums, DotVec::hsum4(x[0], x[1], x[2], x[3]));
      float* ci = c + i * c_rs + j0 * c_cs;
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q) {
        if (j0 + q < RN) ci[q * c_cs] = accumulate ? ci[q * c_cs] + sums[q] : sums[q];
      }
    }
  }
}

// RM rows of A against all n rows of Bt: full kRn-wide tiles, then one narrower edge tile.
template <int RM>
void dot_f32_row_tiles(int64_t n, int64_t k, const float* a, int64_t a_rs, const float* bt,
                       int64_t bt_rs, float* c, int64_t c_rs, int64_t c_cs, bool accumulate) {
  int64_t j = 0;
  for (; j + DotVec::kRn <= n; j += DotVec::kRn)
    dot_f32_tile<RM, DotVec::kRn>(k, a, a_rs, bt + j * bt_rs, bt_rs, c + j * c_cs, c_rs, c_cs,
                                  accumulate);
  with_edge<DotVec::kRn>(n - j, [&](auto rn) {
    dot_f32_tile<RM, decltype(rn)::value>(k, a, a_rs, bt + j * bt_rs, bt_rs, c + j * c_cs, c_rs,
                                          c_cs, accumulate);
  });
}

// The whole m x n C (the DotFn of gemm_kernels.h): full kRm-row strips, then one shorter one.
void dot_f32(int64_t m, int64_t n, int64_t k, const float* a, int64_t a_rs, const float* bt,
             int64_t bt_rs, float* c, int64_t c_rs, int64_t c_cs, bool accumulate) {
  int64_t i = 0;
  for (; i + DotVec::kRm <= m; i += DotVec::kRm)
    dot_f32_row_tiles<DotVec::kRm>(n, k, a + i * a_rs, a_rs, bt, bt_rs, c + i * c_rs, c_rs,
                                   c_cs, accumulate);
  with_edge<DotVec::kRm>(m - i, [&](auto rm) {
    dot_f32_row_tiles<decltype(rm)::value>(n, k, a + i * a_rs, a_rs, bt, bt_rs, c + i * c_rs,
                                           c_rs, c_cs, accumulate);
  });
}
