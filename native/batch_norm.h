// Batch-norm kernels over contiguous float32 [N, C, L]: per-channel statistics in one pass, the
// fused scale-shift, and the backward's per-channel reduction and input gradient. Channels (or
// rows) run in parallel; every per-channel sum is done by one chunk in a fixed lane order, so the
// bits never depend on the thread count. Semantics and order: lib/backend/js/batch_norm.ts.
#pragma once

#include "ops.h"

namespace torchlet {

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
