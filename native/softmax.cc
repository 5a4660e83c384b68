// softmax / log_softmax over the last dim of a contiguous float32 tensor: rows go to the pool,
// each row to the ISA's softmax_row kernel (max-subtracted, exps summed in double).
// Not here: other dims (the frontend transposes) and the backward (a composition in TypeScript).
// ref: PyTorch's host_softmax (aten/src/ATen/native/cpu/SoftMaxKernel.cpp) for the formula.
#include "ops.h"

namespace torchlet {

void softmax(const OpContext& c, const View& x, const View& out, bool log) {
  const int64_t d = x.ndim == 0 ? 1 : x.shape[x.ndim - 1];
  const int64_t n = x.numel();
  if (n == 0 || d == 0) return;
  const int64_t rows = n / d;
  const float* x0 = x.at<float>();
  float* y0 = out.at<float>();
  const SoftmaxRowFn row = c.k->softmax_row;
  const int64_t grain = d >= kGrainExpensive ? 1 : kGrainExpensive / d;
  parallel_range(c, rows, grain, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) row(x0 + r * d, y0 + r * d, d, log);
  });
}

}  // namespace torchlet
