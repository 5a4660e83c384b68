// The LayerNorm row kernels, written once and compiled per ISA (layer_norm_<isa>.cc includes this
// with its own flags): plain loops the compiler vectorizes. Every function has internal linkage.
// NOTE: row sums go into 8 double lanes (element j into lane j % 8) combined in a fixed tree, and
// float32 steps round after every operation (-ffp-contract=off): the order of
// lib/backend/js/layer_norm.ts, so every ISA gives the JS twin's bits.
#pragma once

#include <cmath>
#include <cstdint>

#include "lane_sum.h"
#include "layer_norm.h"

namespace torchlet {
namespace {

template <bool kW, bool kB>
inline void ln_apply_row(const float* x, const float* w, const float* b, float* y, float m, float r, int64_t D) {
  for (int64_t j = 0; j < D; ++j) {
    float v = (x[j] - m) * r;
    if (kW) v = v * w[j];
    if (kB) v = v + b[j];
    y[j] = v;
  }
}

void ln_forward(const float* x, const float* w, const float* b, float* y, float* mean, float* rstd,
                int64_t rows, int64_t D, double eps) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * D;
    float* yr = y + r * D;
    const double m = lane_sum(D, [xr](int64_t j) { return static_cast<double>(xr[j]); }) / static_cast<double>(D);
    const double v = lane_sum(D, [xr, m](int64_t j) {
      const double d = static_cast<double>(xr[j]) - m;
      return d * d;
    }) / static_cast<double>(D);
    const float mf = static_cast<float>(m), rf = static_cast<float>(1.0 / std::sqrt(v + eps));
    mean[r] = mf;
    rstd[r] = rf;
    if (w && b) ln_apply_row<true, true>(xr, w, b, yr, mf, rf, D);
    else if (w) ln_apply_row<true, false>(xr, w, b, yr, mf, rf, D);
    else if (b) ln_apply_row<false, true>(xr, w, b, yr, mf, rf, D);
    else ln_apply_row<false, false>(xr, w, b, yr, mf, rf, D);
  }
}

// dx of one row: ((g - k1) - xh·k2)·rstd with g = dy·w, k1 = mean(g), k2 = mean(g·xh).
template <bool kW>
inline void ln_dx_row(const float* x, const float* dy, const float* w, float* dx, float m, float r, int64_t D) {
  auto g = [&](int64_t j) { return kW ? dy[j] * w[j] : dy[j]; };
  auto xh = [&](int64_t j) { return (x[j] - m) * r; };
  const double s1 = lane_sum(D, [&](int64_t j) { return static_cast<double>(g(j)); });
  const double s2 = lane_sum(D, [&](int64_t j) { return static_cast<double>(g(j)) * static_cast<double>(xh(j)); });
  const float k1 = static_cast<float>(s1 / static_cast<double>(D)), k2 = static_cast<float>(s2 / static_cast<double>(D));
  for (int64_t j = 0; j < D; ++j) dx[j] = ((g(j) - k1) - xh(j) * k2) * r;
}

void ln_backward(const float* x, const float* dy, const float* mean, const float* rstd, const float* w,
                 float* dx, double* pw, double* pb, int64_t rows, int64_t D) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * D;
    const float* gr = dy + r * D;
    const float m = mean[r], rs = rstd[r];
    if (dx) {
      if (w) ln_dx_row<true>(xr, gr, w, dx + r * D, m, rs, D);
      else ln_dx_row<false>(xr, gr, w, dx + r * D, m, rs, D);
    }
    if (pw)
      for (int64_t j = 0; j < D; ++j) pw[j] += static_cast<double>(gr[j]) * static_cast<double>((xr[j] - m) * rs);
    if (pb)
      for (int64_t j = 0; j < D; ++j) pb[j] += static_cast<double>(gr[j]);
  }
}

}  // namespace
}  // namespace torchlet
