// Batch-norm kernels over contiguous float32 [N, C, L]: per-channel statistics in one pass, the
// fused scale-shift, and the backward's per-channel reduction and input gradient. Channels (or
// rows) run in parallel; every per-channel sum is done by one chunk in a fixed lane order, so the
// bits never depend on the thread count. Semantics and order: lib/backend/js/batch_norm.ts.
#pragma once

#include <cstdint>

#include "ops.h"

namespace torchlet {

// Lanes of the per-channel double sums (element j of a row into lane j % kBnLanes).
constexpr int kBnLanes = 8;

// The per-ISA row kernels (batch_norm_rows.h, compiled once per ISA in batch_norm_<isa>.cc): the sums
// add one row of L elements into kBnLanes lane accumulators; the elementwise steps map one row.
struct BatchNormKernels {
  // a1[l] += x - K, a2[l] += (x - K)²
  void (*row_sums)(const float* x, int64_t L, double K, double* a1, double* a2);
  // ag[l] += g, ad[l] += (x - m)·g
  void (*row_dot)(const float* x, const float* g, int64_t L, double m, double* ag, double* ad);
  // out = (x - m) * s + t (float32, each step rounded); out may be x
  void (*row_apply)(const float* x, int64_t L, float m, float s, float t, float* out);
  // out = ((g - gm) - (x - m) * k) * a (float32, each step rounded); out may be x or g
  void (*row_input_grad)(const float* x, const float* g, int64_t L, float m, float gm, float k, float a, float* out);
};

const BatchNormKernels& batch_norm_kernels_scalar();
#if defined(__x86_64__) || defined(_M_X64)
const BatchNormKernels& batch_norm_kernels_avx2();
const BatchNormKernels& batch_norm_kernels_avx512();
#endif

// mean, variance: [C] doubles (biased variance).
void batch_norm_stats(const OpContext& c, const View& x, double* mean, double* variance);
// out = (x - mean[c]) * scale[c] + shift[c]; out may be x.
void batch_norm_apply(const OpContext& c, const View& x, const float* mean, const float* scale,
                      const float* shift, const View& out);
// sum_grad[c] = sum grad, dot[c] = sum (x - mean[c]) * grad, in doubles.
void batch_norm_backward_reduce(const OpContext& c, const View& x, const View& grad, const double* mean,
                                double* sum_grad, double* dot);
// grad_input = ((grad - grad_mean[c]) - (x - mean[c]) * k[c]) * a[c].
void batch_norm_backward_input(const OpContext& c, const View& x, const View& grad, const float* mean,
                               const float* grad_mean, const float* k, const float* a, const View& grad_input);

}  // namespace torchlet
