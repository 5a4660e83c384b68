// Softmax backward's row kernel, written once and compiled per ISA (softmax_backward_<isa>.cc):
// plain loops the compiler vectorizes. The sum Σ y·g is taken in double (each product is exact
// there) in lane_sum's fixed 8-lane order, float steps round after every operation
// (-ffp-contract=off): the order of lib/backend/js/softmax_backward.ts, so every ISA gives its bits.
#pragma once

#include <cstdint>

#include "lane_sum.h"
#include "softmax_backward.h"

namespace torchlet {
namespace {

void softmax_backward_row_impl(const float* __restrict y, const float* g, float* out, int64_t n) {
  const float s = static_cast<float>(lane_sum(n, [y, g](int64_t j) { return static_cast<double>(y[j]) * static_cast<double>(g[j]); }));
  // out may be g: each element is read before it is written.
  for (int64_t j = 0; j < n; ++j) out[j] = y[j] * (g[j] - s);
}

}  // namespace
}  // namespace torchlet
