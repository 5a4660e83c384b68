// Portable packing of GEMM operands into the panels the microkernels read (see gemm_kernels.h):
// any strides, plain loops. The ISA files call these for layouts their vector packers don't cover.
// ref: BLIS frame/1m/packm (panel layout); BLISlab step3 (PackA / PackB).
#include <algorithm>

#include "gemm_kernels.h"

namespace torchlet {
namespace gemm {

void pack_a_generic(int mr, int64_t mc, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                    float* dst) {
  for (int64_t i0 = 0; i0 < mc; i0 += mr) {
    const int64_t rows = std::min<int64_t>(mr, mc - i0);
    for (int64_t p = 0; p < kc; ++p) {
      const float* src = a + i0 * a_rs + p * a_cs;
      for (int64_t i = 0; i < rows; ++i) dst[i] = src[i * a_rs];
      for (int64_t i = rows; i < mr; ++i) dst[i] = 0.0f;
      dst += mr;
    }
  }
}

void pack_b_generic(int nr, int64_t kc, int64_t nc, const float* b, int64_t b_rs, int64_t b_cs,
                    float* dst) {
  for (int64_t j0 = 0; j0 < nc; j0 += nr) {
    const int64_t cols = std::min<int64_t>(nr, nc - j0);
    if (b_rs == 1 && cols == nr) {
      // B given transposed: walk each column contiguously, write with a stride of nr.
      for (int64_t j = 0; j < cols; ++j) {
        const float* src = b + (j0 + j) * b_cs;
        for (int64_t p = 0; p < kc; ++p) dst[p * nr + j] = src[p];
      }
      dst += kc * nr;
      continue;
    }
    for (int64_t p = 0; p < kc; ++p) {
      const float* src = b + p * b_rs + j0 * b_cs;
      for (int64_t j = 0; j < cols; ++j) dst[j] = src[j * b_cs];
      for (int64_t j = cols; j < nr; ++j) dst[j] = 0.0f;
      dst += nr;
    }
  }
}

}  // namespace gemm
}  // namespace torchlet
