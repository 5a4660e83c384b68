// LayerNorm's dispatch: picks the ISA's row kernels (layer_norm_<isa>.cc) and splits the rows over
// the pool. The forward's rows are independent; the backward goes by blocks of rows (fixed by the
// shape), each block's column partial sums of dweight/dbias in its own slot, added in block order at
// the end: any thread count gives the same bits. ref: PyTorch 1.13 cpu/layer_norm_kernel.cpp.
#include "layer_norm.h"

#include <algorithm>
#include <vector>

namespace torchlet {
namespace {

const LayerNormKernels& kernels_of(Isa isa) {
  switch (isa) {
#if defined(__x86_64__) || defined(_M_X64)
    case Isa::kAvx512: return layer_norm_kernels_avx512();
    case Isa::kAvx2: return layer_norm_kernels_avx2();
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
    case Isa::kNeon: return layer_norm_kernels_neon();
#endif
    default: return layer_norm_kernels_scalar();
  }
}

}  // namespace

int64_t layer_norm_block_rows(int64_t M, int64_t D) {
  return std::max({int64_t{1}, (M + 63) / 64, int64_t{16384} / std::max<int64_t>(1, D)});
}

void layer_norm_forward(const OpContext& c, const View& x, const float* w, const float* b, double eps,
                        const View& y, float* mean, float* rstd) {
  const int64_t M = x.shape[0], D = x.shape[1];
  const float* x0 = x.at<float>();
  float* y0 = y.at<float>();
  const LayerNormKernels& k = kernels_of(c.isa);
  // NOTE: several passes over each row (in cache): a row counts as about 4 elements of cheap work.
  const int64_t grain = std::max<int64_t>(1, kGrainCheap / std::max<int64_t>(1, 4 * D));
  parallel_range(c, M, grain, [&](int64_t rb, int64_t re) {
    k.forward(x0 + rb * D, w, b, y0 + rb * D, mean + rb, rstd + rb, re - rb, D, eps);
  });
}

void layer_norm_backward(const OpContext& c, const View& x, const View& dy, const float* mean, const float* rstd,
                         const float* w, float* dx, float* dw, float* db) {
  const int64_t M = x.shape[0], D = x.shape[1];
  if (M == 0) {
    for (int64_t j = 0; j < D; ++j) {
      if (dw) dw[j] = 0.0f;
      if (db) db[j] = 0.0f;
    }
    return;
  }
  const float* x0 = x.at<float>();
  const float* g0 = dy.at<float>();
  const LayerNormKernels& k = kernels_of(c.isa);
  const int64_t block = layer_norm_block_rows(M, D);
  const int64_t blocks = (M + block - 1) / block;
  // Per block: D partial sums of dweight, then D of dbias (zeroed: each block sums from 0).
  std::vector<double> partial((dw || db) ? static_cast<size_t>(blocks * 2 * D) : 0, 0.0);
  parallel_range(c, blocks, 1, [&](int64_t bb, int64_t be) {
    for (int64_t blk = bb; blk < be; ++blk) {
      const int64_t r0 = blk * block, rows = std::min(block, M - r0);
      double* pw = dw ? partial.data() + blk * 2 * D : nullptr;
      double* pb = db ? partial.data() + blk * 2 * D + D : nullptr;
      k.backward(x0 + r0 * D, g0 + r0 * D, mean + r0, rstd + r0, w, dx ? dx + r0 * D : nullptr, pw, pb, rows, D);
    }
  });
  for (int64_t j = 0; j < D; ++j) {
    double sw = 0.0, sb = 0.0;
    for (int64_t blk = 0; blk < blocks; ++blk) {
      sw += partial.empty() ? 0.0 : partial[blk * 2 * D + j];
      sb += partial.empty() ? 0.0 : partial[blk * 2 * D + D + j];
    }
    if (dw) dw[j] = static_cast<float>(sw);
    if (db) db[j] = static_cast<float>(sb);
  }
}

}  // namespace torchlet
