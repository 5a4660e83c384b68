// Portable packing of GEMM operands into the panels the microkernels read (see gemm_kernels.h):
// any strides, plain loops, float and double. The ISA files call these for layouts their vector
// packers don't cover.
// ref: BLIS frame/1m/packm (panel layout); BLISlab step3 (PackA / PackB).
#include <algorithm>

#include "gemm_kernels.h"

namespace torchlet {
namespace gemm {

namespace {

template <class T>
void pack_a_any(int mr, int64_t mc, int64_t kc, const T* a, int64_t a_rs, int64_t a_cs, T* dst) {
  for (int64_t i0 = 0; i0 < mc; i0 += mr) {
    const int64_t rows = std::min<int64_t>(mr, mc - i0);
    for (int64_t p = 0; p < kc; ++p) {
      const T* src = a + i0 * a_rs + p * a_cs;
      for (int64_t i = 0; i < rows; ++i) dst[i] = src[i * a_rs];
      for (int64_t i = rows; i < mr; ++i) dst[i] = T(0);
      dst += mr;
    }
  }
}

template <class T>
void pack_b_any(int nr, int64_t kc, int64_t nc, const T* b, int64_t b_rs, int64_t b_cs, T* dst) {
  for (int64_t j0 = 0; j0 < nc; j0 += nr) {
    const int64_t cols = std::min<int64_t>(nr, nc - j0);
    if (b_rs == 1 && cols == nr) {
      // B given transposed: walk each column contiguously, write with a stride of nr.
      for (int64_t j = 0; j < cols; ++j) {
        const T* src = b + (j0 + j) * b_cs;
        for (int64_t p = 0; p < kc; ++p) dst[p * nr + j] = src[p];
      }
      dst += kc * nr;
      continue;
    }
    for (int64_t p = 0; p < kc; ++p) {
      const T* src = b + p * b_rs + j0 * b_cs;
      for (int64_t j = 0; j < cols; ++j) dst[j] = src[j * b_cs];
      for (int64_t j = cols; j < nr; ++j) dst[j] = T(0);
      dst += nr;
    }
  }
}

}  // namespace

void pack_a_generic(int mr, int64_t mc, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                    float* dst) {
  pack_a_any(mr, mc, kc, a, a_rs, a_cs, dst);
}
void pack_b_generic(int nr, int64_t kc, int64_t nc, const float* b, int64_t b_rs, int64_t b_cs,
                    float* dst) {
  pack_b_any(nr, kc, nc, b, b_rs, b_cs, dst);
}
void pack_a_generic(int mr, int64_t mc, int64_t kc, const double* a, int64_t a_rs, int64_t a_cs,
                    double* dst) {
  pack_a_any(mr, mc, kc, a, a_rs, a_cs, dst);
}
void pack_b_generic(int nr, int64_t kc, int64_t nc, const double* b, int64_t b_rs, int64_t b_cs,
                    double* dst) {
  pack_b_any(nr, kc, nc, b, b_rs, b_cs, dst);
}

}  // namespace gemm
}  // namespace torchlet
