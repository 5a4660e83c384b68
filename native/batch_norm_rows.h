// Batch norm's per-channel sums and elementwise steps over one row of L elements, written once and
// compiled per ISA (batch_norm_<isa>.cc) so the compiler vectorizes the 8 double lanes (and the
// float steps) at each ISA's width. Every lane does the same operations in the same order on every
// ISA (element j into lane j % 8, no fused multiply-add: -ffp-contract=off), so the sums are bit
// for bit those of the JS twin (lib/backend/js/batch_norm.ts). Included by the batch_norm_<isa>.cc
// files only.
#pragma once

#include <cstdint>

#include "batch_norm.h"

namespace torchlet {
namespace {

// a1[l] += d, a2[l] += d·d for d = x[j] - K over the row, element j into lane j % 8 (the tail into
// lanes 0, 1, ...).
void bn_row_sums(const float* __restrict x, int64_t L, double K, double* __restrict a1, double* __restrict a2) {
  int64_t j = 0;
  for (; j + kBnLanes <= L; j += kBnLanes) {
    for (int l = 0; l < kBnLanes; ++l) {
      const double d = static_cast<double>(x[j + l]) - K;
      a1[l] += d;
      a2[l] += d * d;
    }
  }
  for (int l = 0; j < L; ++j, ++l) {
    const double d = static_cast<double>(x[j]) - K;
    a1[l] += d;
    a2[l] += d * d;
  }
}

// ag[l] += g, ad[l] += (x - m)·g over the row, lanes as bn_row_sums.
void bn_row_dot(const float* __restrict x, const float* __restrict g, int64_t L, double m, double* __restrict ag,
                double* __restrict ad) {
  int64_t j = 0;
  for (; j + kBnLanes <= L; j += kBnLanes) {
    for (int l = 0; l < kBnLanes; ++l) {
      const double gv = g[j + l];
      ag[l] += gv;
      ad[l] += (static_cast<double>(x[j + l]) - m) * gv;
    }
  }
  for (int l = 0; j < L; ++j, ++l) {
    const double gv = g[j];
    ag[l] += gv;
    ad[l] += (static_cast<double>(x[j]) - m) * gv;
  }
}

// The elementwise steps, vectorized at the ISA's width: each element is the same float32 operations
// in the same order whatever the width (no fused multiply-add), so every ISA gives the same bits.
// NOTE: no __restrict: the kernels also run in place.
void bn_row_apply(const float* x, int64_t L, float m, float s, float t, float* out) {
  for (int64_t j = 0; j < L; ++j) out[j] = (x[j] - m) * s + t;
}

void bn_row_input_grad(const float* x, const float* g, int64_t L, float m, float gm, float k, float a, float* out) {
  for (int64_t j = 0; j < L; ++j) out[j] = ((g[j] - gm) - (x[j] - m) * k) * a;
}

constexpr BatchNormKernels kBatchNormRows{bn_row_sums, bn_row_dot, bn_row_apply, bn_row_input_grad};

}  // namespace
}  // namespace torchlet
