// Max pooling with indices (and average pooling) over contiguous float32 planes [P, H, W] (P = N*C): the forward keeps
// the argmax of each window, the backward sums the gradient into it. Plain C++ kernels over checked
// Views (binding.cc checks shapes, dtypes, contiguity); the JS twin is lib/backend/js/max_pool.ts.
#pragma once

#include <cstdint>

#include "ops.h"

namespace torchlet {

struct PoolWindow {
  int64_t kH, kW, sH, sW, pH, pW, dH, dW;  // kernel, stride, padding, dilation (all >= 1 but padding >= 0)
};

// x [P, H, W] -> out [P, oH, oW] (float32), indices [P, oH, oW] (int64 as double: h*W + w).
void max_pool2d(const OpContext& c, const View& x, const PoolWindow& w, const View& out, const View& indices);
// grad_input [P, H, W] = 0, then += grad [P, oH, oW] at indices; throws std::out_of_range on an
// index outside the plane.
void max_pool2d_backward(const OpContext& c, const View& grad, const View& indices, const View& grad_input);

// Average pooling (pool2d_avg.cc): no dilation; divisor_override 0 means none.
struct AvgPoolWindow {
  int64_t kH, kW, sH, sW, pH, pW;
  bool count_include_pad;
  int64_t divisor_override;
};

// x [P, H, W] -> out [P, oH, oW]: each window summed in float32 in scan order, divided once.
void avg_pool2d(const OpContext& c, const View& x, const AvgPoolWindow& w, const View& out);
// grad_input [P, H, W] = 0, then each window's taps += grad / divisor, in output order.
void avg_pool2d_backward(const OpContext& c, const View& grad, const AvgPoolWindow& w, const View& grad_input);

}  // namespace torchlet
