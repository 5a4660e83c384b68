// gemm_f64_8x16__avx512: the AVX-512 float64 microkernel (8 rows x 2 zmm of C in 16 accumulators),
// from gemm_f64_simd.h, with the portable packers. Compiled with the AVX-512 flags; reached only
// through kGemmF64Avx512. ref: BLIS kernels/skx/3 (AVX-512 dgemm tiles); XNNPACK naming.
#include <immintrin.h>

#include "gemm_kernels.h"

namespace torchlet {
namespace gemm {

namespace {

struct Vec {
  using F = __m512d;
  static constexpr int W = 8, kMr = 8, kNv = 2;
  static F zero() { return _mm512_setzero_pd(); }
  static F load(const double* p) { return _mm512_loadu_pd(p); }
  static void store(double* p, F v) { _mm512_storeu_pd(p, v); }
  static F broadcast(const double* p) { return _mm512_set1_pd(*p); }
  static F fma(F a, F b, F acc) { return _mm512_fmadd_pd(a, b, acc); }
  static F add(F a, F b) { return _mm512_add_pd(a, b); }
};

#include "gemm_f64_simd.h"

}  // namespace

// KC x NR of B = 32 KB (L1); MC x KC of A = 192 KB in L2.
const GemmKernelsT<double> kGemmF64Avx512 = {"gemm_f64_8x16__avx512", Vec::kMr, kNr, 256,
                                             2 * Vec::kMr, 0, gemm_f64_ukernel, gemm_f64_pack_a,
                                             gemm_f64_pack_b, nullptr, 0, nullptr};

}  // namespace gemm
}  // namespace torchlet
