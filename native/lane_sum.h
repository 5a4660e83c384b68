// A row sum in 8 double lanes (element j into lane j % 8) combined in one fixed tree: an order that
// every ISA's vector loop keeps and the JS kernels repeat (js/batch_norm.ts combine), so the sum
// has the same bits on every ISA. For the row kernels written once and compiled per ISA: internal
// linkage, so each ISA's file keeps its own copy (an inline function shared across files compiled
// with different flags could run another ISA's code).
#pragma once

#include <cstdint>

namespace torchlet {
namespace {

constexpr int kSumLanes = 8;

inline double combine_lanes(const double* l) { return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7])); }

// Sum of f(j) for j < n, in lanes.
template <class Fn>
inline double lane_sum(int64_t n, const Fn& f) {
  double a[kSumLanes] = {};
  int64_t j = 0;
  for (; j + kSumLanes <= n; j += kSumLanes)
    for (int l = 0; l < kSumLanes; ++l) a[l] += f(j + l);
  for (int l = 0; j < n; ++j, ++l) a[l] += f(j);
  return combine_lanes(a);
}

}  // namespace
}  // namespace torchlet
