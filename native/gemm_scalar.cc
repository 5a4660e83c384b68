// gemm_f32_4x8__scalar and gemm_f64_4x8__scalar: the portable microkernel (plain C++, baseline
// flags), one template for both element types, and their tables, with the generic packers and no
// dot-product form. They run where no SIMD path is compiled in or TORCHLET_ISA=scalar forces it.
// NOTE: separate multiply and add (no FMA in the baseline ISA), so float64 results differ from
// the AVX2/AVX-512 kernels' in the last place; each is deterministic on its own.
// ref: BLIS ref_kernels/3/bli_gemm_ref.c (reference microkernel); XNNPACK naming.
#include "gemm_kernels.h"

namespace torchlet {
namespace gemm {

namespace {

constexpr int kMr = 4;
constexpr int kNr = 8;

template <class T, int M>
void gemm_tile(int64_t kc, const T* a, int64_t a_rs, int64_t a_cs, const T* bp, int64_t b_rs,
               T* c, int64_t c_rs, bool accumulate) {
  T acc[M][kNr] = {};
  for (int64_t p = 0; p < kc; ++p) {
    const T* bk = bp + p * b_rs;
    for (int i = 0; i < M; ++i) {
      const T ai = a[i * a_rs + p * a_cs];
      for (int j = 0; j < kNr; ++j) acc[i][j] += ai * bk[j];
    }
  }
  for (int i = 0; i < M; ++i) {
    T* ci = c + i * c_rs;
    if (accumulate) {
      for (int j = 0; j < kNr; ++j) ci[j] += acc[i][j];
    } else {
      for (int j = 0; j < kNr; ++j) ci[j] = acc[i][j];
    }
  }
}

template <class T>
void gemm_4x8__scalar(int64_t mr, int64_t kc, const T* a, int64_t a_rs, int64_t a_cs,
                      const T* bp, int64_t b_rs, T* c, int64_t c_rs, bool accumulate) {
  switch (mr) {
    case 1: gemm_tile<T, 1>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate); break;
    case 2: gemm_tile<T, 2>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate); break;
    case 3: gemm_tile<T, 3>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate); break;
    default: gemm_tile<T, 4>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate); break;
  }
}

template <class T>
void pack_a_4__scalar(int64_t mc, int64_t kc, const T* a, int64_t a_rs, int64_t a_cs, T* dst) {
  pack_a_generic(kMr, mc, kc, a, a_rs, a_cs, dst);
}

template <class T>
void pack_b_8__scalar(int64_t kc, int64_t nc, const T* b, int64_t b_rs, int64_t b_cs, T* dst) {
  pack_b_generic(kNr, kc, nc, b, b_rs, b_cs, dst);
}

}  // namespace

// float32: KC x NR of B = 8 KB in L1; MC x KC of A = 64 KB in L2 (float64: twice that).
const GemmKernels kGemmScalar = {"gemm_f32_4x8__scalar", kMr, kNr, 256, kMr, 0,
                                 gemm_4x8__scalar<float>, pack_a_4__scalar<float>,
                                 pack_b_8__scalar<float>, nullptr, 0, nullptr};
const GemmKernelsT<double> kGemmF64Scalar = {"gemm_f64_4x8__scalar", kMr, kNr, 256, kMr, 0,
                                             gemm_4x8__scalar<double>, pack_a_4__scalar<double>,
                                             pack_b_8__scalar<double>, nullptr, 0, nullptr};

}  // namespace gemm
}  // namespace torchlet
