// softmax / log_softmax over the last dim of a contiguous float32 tensor: rows go to the pool,
// each row to the ISA's softmax_row kernel (max-subtracted, exps summed in double).
// The backward's rows go the same way to the ISA's softmax_backward row kernel (softmax_backward.h).
// Not here: other dims (the frontend transposes). Rows are split by a grain fixed by the row
// length, and each row is one kernel call's, so the bits never depend on the thread count.
// ref: PyTorch's host_softmax (aten/src/ATen/native/cpu/SoftMaxKernel.cpp) for the formula.
#include "ops.h"
#include "softmax_backward.h"

namespace torchlet {

namespace {

SoftmaxBackwardRowFn backward_row_of(Isa isa) {
  switch (isa) {
#if defined(__x86_64__) || defined(_M_X64)
    case Isa::kAvx512: return softmax_backward_row_avx512();
    case Isa::kAvx2: return softmax_backward_row_avx2();
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
    case Isa::kNeon: return softmax_backward_row_neon();
#endif
    default: return softmax_backward_row_scalar();
  }
}

}  // namespace

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

void softmax_backward(const OpContext& c, const View& y, const View& g, const View& out) {
  const int64_t d = y.ndim == 0 ? 1 : y.shape[y.ndim - 1];
  const int64_t n = y.numel();
  if (n == 0 || d == 0) return;
  const int64_t rows = n / d;
  const float* y0 = y.at<float>();
  const float* g0 = g.at<float>();
  float* o0 = out.at<float>();
  const SoftmaxBackwardRowFn row = backward_row_of(c.isa);
  const int64_t grain = d >= kGrainCheap ? 1 : kGrainCheap / d;
  parallel_range(c, rows, grain, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) row(y0 + r * d, g0 + r * d, o0 + r * d, d);
  });
}

}  // namespace torchlet
