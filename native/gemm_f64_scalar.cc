// gemm_f64_4x8__scalar: the portable float64 microkernel (plain C++, baseline flags) and its table,
// with the generic packers. Separate multiply and add (no FMA in the baseline ISA), so its bits
// differ from the AVX2/AVX-512 kernels' in the last place; each is deterministic on its own.
// ref: BLIS ref_kernels/3/bli_gemm_ref.c (reference microkernel).
#include "gemm_kernels.h"

namespace torchlet {
namespace gemm {

namespace {

constexpr int kMr = 4;
constexpr int kNr = 8;

template <int M>
void gemm_f64_tile(int64_t kc, const double* a, int64_t a_rs, int64_t a_cs, const double* bp,
                   int64_t b_rs, double* c, int64_t c_rs, bool accumulate) {
  double acc[M][kNr] = {};
  for (int64_t p = 0; p < kc; ++p) {
    const double* bk = bp + p * b_rs;
    for (int i = 0; i < M; ++i) {
      const double ai = a[i * a_rs + p * a_cs];
      for (int j = 0; j < kNr; ++j) acc[i][j] += ai * bk[j];
    }
  }
  for (int i = 0; i < M; ++i) {
    double* ci = c + i * c_rs;
    if (accumulate) {
      for (int j = 0; j < kNr; ++j) ci[j] += acc[i][j];
    } else {
      for (int j = 0; j < kNr; ++j) ci[j] = acc[i][j];
    }
  }
}

void gemm_f64_4x8__scalar(int64_t mr, int64_t kc, const double* a, int64_t a_rs, int64_t a_cs,
                          const double* bp, int64_t b_rs, double* c, int64_t c_rs, bool accumulate) {
  switch (mr) {
    case 1: gemm_f64_tile<1>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate); break;
    case 2: gemm_f64_tile<2>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate); break;
    case 3: gemm_f64_tile<3>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate); break;
    default: gemm_f64_tile<4>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate); break;
  }
}

void pack_a_4__scalar(int64_t mc, int64_t kc, const double* a, int64_t a_rs, int64_t a_cs,
                      double* dst) {
  pack_a_generic(kMr, mc, kc, a, a_rs, a_cs, dst);
}

void pack_b_8__scalar(int64_t kc, int64_t nc, const double* b, int64_t b_rs, int64_t b_cs,
                      double* dst) {
  pack_b_generic(kNr, kc, nc, b, b_rs, b_cs, dst);
}

}  // namespace

// KC x NR of B = 16 KB in L1; MC x KC of A = 128 KB in L2.
const GemmKernelsT<double> kGemmF64Scalar = {"gemm_f64_4x8__scalar", kMr, kNr, 256, 64, 4096, kMr,
                                             gemm_f64_4x8__scalar, pack_a_4__scalar,
                                             pack_b_8__scalar, nullptr, 0, nullptr};

}  // namespace gemm
}  // namespace torchlet
