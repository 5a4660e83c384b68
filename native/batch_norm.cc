// Batch norm, train and eval, as four kernels the TypeScript node composes (lib/nn/batch_norm_node.ts):
// statistics (shifted sums, one pass), scale-shift, and the backward's reduction and input gradient.
// NOTE: per-channel sums use 8 double lanes (element j of a row into lane j % 8) combined in a
// fixed tree, exactly as the JS twin: the ISA's row kernels (batch_norm_rows.h) vectorize the lanes,
// the order stays the shape's.
// Elementwise float32 steps round after every operation (-ffp-contract=off: no fused multiply-add).
// ref: PyTorch 1.13 aten/src/ATen/native/cpu/batch_norm_kernel.cpp (formulas), batch_norm.cpp.
#include "batch_norm.h"

#include <algorithm>
#include <cmath>

namespace torchlet {
namespace {

// NOTE: NEON keeps the baseline build of the sums (the arch's baseline already has its vectors).
const BatchNormKernels& kernels_of(Isa isa) {
  switch (isa) {
#if defined(__x86_64__) || defined(_M_X64)
    case Isa::kAvx512: return batch_norm_kernels_avx512();
    case Isa::kAvx2: return batch_norm_kernels_avx2();
#endif
    default: return batch_norm_kernels_scalar();
  }
}

inline double combine(const double* l) { return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7])); }

// Channels per chunk: about kGrainCheap elements of work, at least one channel.
inline int64_t channel_grain(int64_t per_channel) {
  return std::max<int64_t>(1, kGrainCheap / std::max<int64_t>(1, per_channel));
}

}  // namespace

void batch_norm_stats(const OpContext& c, const View& x, double* mean, double* variance) {
  const int64_t N = x.shape[0], C = x.shape[1], L = x.shape[2];
  const int64_t n = N * L;
  const float* x0 = x.at<float>();
  if (n == 0) {
    for (int64_t ch = 0; ch < C; ++ch) mean[ch] = variance[ch] = NAN;
    return;
  }
  const BatchNormKernels& k = kernels_of(c.isa);
  parallel_range(c, C, channel_grain(n), [&](int64_t cb, int64_t ce) {
    for (int64_t ch = cb; ch < ce; ++ch) {
      const double K = x0[ch * L];
      double a1[kBnLanes] = {}, a2[kBnLanes] = {};
      for (int64_t b = 0; b < N; ++b) k.row_sums(x0 + (b * C + ch) * L, L, K, a1, a2);
      const double s1 = combine(a1), s2 = combine(a2);
      const double m1 = s1 / static_cast<double>(n);
      mean[ch] = K + m1;
      const double v = (s2 - s1 * m1) / static_cast<double>(n);
      variance[ch] = v > 0 ? v : (std::isnan(v) ? v : 0.0);
    }
  });
}

void batch_norm_apply(const OpContext& c, const View& x, const float* mean, const float* scale,
                      const float* shift, const View& out) {
  const int64_t C = x.shape[1], L = x.shape[2], rows = x.shape[0] * C;
  const float* x0 = x.at<float>();
  float* o0 = out.at<float>();
  const BatchNormKernels& k = kernels_of(c.isa);
  parallel_range(c, rows, channel_grain(L), [&](int64_t rb, int64_t re) {
    for (int64_t r = rb; r < re; ++r) {
      const int64_t ch = r % C;
      k.row_apply(x0 + r * L, L, mean[ch], scale[ch], shift[ch], o0 + r * L);
    }
  });
}

void batch_norm_backward_reduce(const OpContext& c, const View& x, const View& grad, const double* mean,
                                double* sum_grad, double* dot) {
  const int64_t N = x.shape[0], C = x.shape[1], L = x.shape[2];
  const float* x0 = x.at<float>();
  const float* g0 = grad.at<float>();
  const BatchNormKernels& k = kernels_of(c.isa);
  parallel_range(c, C, channel_grain(2 * N * L), [&](int64_t cb, int64_t ce) {
    for (int64_t ch = cb; ch < ce; ++ch) {
      const double m = mean[ch];
      double ag[kBnLanes] = {}, ad[kBnLanes] = {};
      for (int64_t b = 0; b < N; ++b) k.row_dot(x0 + (b * C + ch) * L, g0 + (b * C + ch) * L, L, m, ag, ad);
      sum_grad[ch] = combine(ag);
      dot[ch] = combine(ad);
    }
  });
}

void batch_norm_backward_input(const OpContext& c, const View& x, const View& grad, const float* mean,
                               const float* grad_mean, const float* k, const float* a, const View& grad_input) {
  const int64_t C = x.shape[1], L = x.shape[2], rows = x.shape[0] * C;
  const float* x0 = x.at<float>();
  const float* g0 = grad.at<float>();
  float* o0 = grad_input.at<float>();
  const BatchNormKernels& kern = kernels_of(c.isa);
  parallel_range(c, rows, channel_grain(2 * L), [&](int64_t rb, int64_t re) {
    for (int64_t r = rb; r < re; ++r) {
      const int64_t ch = r % C;
      kern.row_input_grad(x0 + r * L, g0 + r * L, L, mean[ch], grad_mean[ch], k[ch], a[ch], o0 + r * L);
    }
  });
}

}  // namespace torchlet
