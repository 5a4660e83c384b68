// gemm_f64_6x8__avx2: the AVX2+FMA float64 microkernel (6 rows x 2 ymm of C in 12 accumulators),
// from gemm_f64_simd.h, with the portable packers. Compiled with -mavx2 -mfma; reached only
// through kGemmF64Avx2. ref: BLIS kernels/haswell/3/bli_gemm_haswell_asm_d6x8.c (the tile shape).
#include <immintrin.h>

#include "gemm_kernels.h"

namespace torchlet {
namespace gemm {

namespace {

struct Vec {
  using F = __m256d;
  static constexpr int W = 4, kMr = 6, kNv = 2;
  static F zero() { return _mm256_setzero_pd(); }
  static F load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, F v) { _mm256_storeu_pd(p, v); }
  static F broadcast(const double* p) { return _mm256_broadcast_sd(p); }
  static F fma(F a, F b, F acc) { return _mm256_fmadd_pd(a, b, acc); }
  static F add(F a, F b) { return _mm256_add_pd(a, b); }
};

#include "gemm_f64_simd.h"

}  // namespace

// KC x NR of B = 16 KB in L1; MC x KC of A = 144 KB in L2 (the f32 kernel's byte budgets).
const GemmKernelsT<double> kGemmF64Avx2 = {"gemm_f64_6x8__avx2", Vec::kMr, kNr, 256,
                                           2 * Vec::kMr, 0, gemm_f64_ukernel, gemm_f64_pack_a,
                                           gemm_f64_pack_b, nullptr, 0, nullptr};

}  // namespace gemm
}  // namespace torchlet
