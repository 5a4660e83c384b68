// The float64 GEMM microkernel written once for the x86 vector widths: MR rows x kNv vectors of C
// in registers, A broadcast one element at a time from any strides, B read as NR-wide rows of a
// packed panel (or of B itself), one FMA per product. Included (inside namespace torchlet::gemm,
// anonymous namespace) by gemm_f64_avx2.cc and gemm_f64_avx512.cc after they define `struct Vec`:
// F (W doubles), W, kMr, kNv, zero(), load(p), store(p, v), broadcast(p), fma(a, b, acc), add(a, b).
// The sum of every element starts at 0 and runs p = 0..kc-1 (gemm_kernels.h's contract).
#pragma once

#include <cstdint>

constexpr int kNr = Vec::W * Vec::kNv;

template <int M>
void gemm_f64_tile(int64_t kc, const double* a, int64_t a_rs, int64_t a_cs, const double* bp,
                   int64_t b_rs, double* c, int64_t c_rs, bool accumulate) {
  using F = typename Vec::F;
  F acc[M][Vec::kNv];
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i)
#pragma GCC unroll 4
    for (int v = 0; v < Vec::kNv; ++v) acc[i][v] = Vec::zero();
  for (int64_t p = 0; p < kc; ++p) {
    F bv[Vec::kNv];
#pragma GCC unroll 4
    for (int v = 0; v < Vec::kNv; ++v) bv[v] = Vec::load(bp + Vec::W * v);
    bp += b_rs;
#pragma GCC unroll 16
    for (int i = 0; i < M; ++i) {
      const F ai = Vec::broadcast(a + i * a_rs);
#pragma GCC unroll 4
      for (int v = 0; v < Vec::kNv; ++v) acc[i][v] = Vec::fma(ai, bv[v], acc[i][v]);
    }
    a += a_cs;
  }
#pragma GCC unroll 16
  for (int i = 0; i < M; ++i) {
    double* ci = c + i * c_rs;
#pragma GCC unroll 4
    for (int v = 0; v < Vec::kNv; ++v) {
      F r = acc[i][v];
      if (accumulate) r = Vec::add(Vec::load(ci + Vec::W * v), r);
      Vec::store(ci + Vec::W * v, r);
    }
  }
}

// Rows 1..kMr of a tile: each row count is its own instantiation (registers, no spills).
template <int M = Vec::kMr>
void gemm_f64_rows(int64_t mr, int64_t kc, const double* a, int64_t a_rs, int64_t a_cs,
                   const double* bp, int64_t b_rs, double* c, int64_t c_rs, bool accumulate) {
  if constexpr (M > 1) {
    if (mr < M) return gemm_f64_rows<M - 1>(mr, kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  }
  gemm_f64_tile<M>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
}

void gemm_f64_ukernel(int64_t mr, int64_t kc, const double* a, int64_t a_rs, int64_t a_cs,
                      const double* bp, int64_t b_rs, double* c, int64_t c_rs, bool accumulate) {
  gemm_f64_rows(mr, kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
}

void gemm_f64_pack_a(int64_t mc, int64_t kc, const double* a, int64_t a_rs, int64_t a_cs,
                     double* dst) {
  pack_a_generic(Vec::kMr, mc, kc, a, a_rs, a_cs, dst);
}

void gemm_f64_pack_b(int64_t kc, int64_t nc, const double* b, int64_t b_rs, int64_t b_cs,
                     double* dst) {
  pack_b_generic(kNr, kc, nc, b, b_rs, b_cs, dst);
}
