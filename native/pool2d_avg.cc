// avg_pool2d forward and backward over contiguous float32 planes [P, H, W], planes in parallel (one
// chunk writes each plane, so results never depend on the thread count). Each window is summed in
// float32 in scan order and divided once; the backward adds grad / divisor to the window's taps.
// Semantics and order: lib/backend/js/avg_pool.ts (the oracle).
// ref: PyTorch 1.13 aten/src/ATen/native/cpu/AvgPoolKernel.cpp (cpu_avg_pool and its backward).
#include <algorithm>

#include "pool2d.h"

namespace torchlet {
namespace {

struct Win {
  int64_t h0, h1, w0, w1;
  float divisor;
};

// As avgWindow in the JS twin.
inline Win window_of(int64_t i, int64_t j, int64_t H, int64_t W, const AvgPoolWindow& w) {
  int64_t h0 = i * w.sH - w.pH, w0 = j * w.sW - w.pW;
  int64_t h1 = std::min(h0 + w.kH, H + w.pH), w1 = std::min(w0 + w.kW, W + w.pW);
  const int64_t padded = (h1 - h0) * (w1 - w0);
  h0 = std::max<int64_t>(h0, 0);
  w0 = std::max<int64_t>(w0, 0);
  h1 = std::min(h1, H);
  w1 = std::min(w1, W);
  const int64_t d = w.divisor_override != 0 ? w.divisor_override : w.count_include_pad ? padded : (h1 - h0) * (w1 - w0);
  return Win{h0, h1, w0, w1, static_cast<float>(d)};
}

}  // namespace

void avg_pool2d(const OpContext& c, const View& x, const AvgPoolWindow& w, const View& out) {
  const int64_t P = x.shape[0], H = x.shape[1], W = x.shape[2];
  const int64_t oH = out.shape[1], oW = out.shape[2];
  if (P == 0 || oH == 0 || oW == 0) return;
  const float* x0 = x.at<float>();
  float* o0 = out.at<float>();
  const int64_t grain = std::max<int64_t>(1, kGrainCheap / std::max<int64_t>(1, oH * oW * w.kH * w.kW));
  parallel_range(c, P, grain, [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) {
      const float* xp = x0 + p * H * W;
      float* op = o0 + p * oH * oW;
      for (int64_t i = 0; i < oH; ++i) {
        for (int64_t j = 0; j < oW; ++j) {
          const Win v = window_of(i, j, H, W, w);
          if (v.h0 >= v.h1 || v.w0 >= v.w1) {
            op[i * oW + j] = 0.0f;
            continue;
          }
          float sum = 0.0f;
          for (int64_t h = v.h0; h < v.h1; ++h)
            for (int64_t q = v.w0; q < v.w1; ++q) sum += xp[h * W + q];
          op[i * oW + j] = sum / v.divisor;
        }
      }
    }
  });
}

void avg_pool2d_backward(const OpContext& c, const View& grad, const AvgPoolWindow& w, const View& grad_input) {
  const int64_t P = grad.shape[0], oH = grad.shape[1], oW = grad.shape[2];
  const int64_t H = grad_input.shape[1], W = grad_input.shape[2];
  if (P == 0 || H == 0 || W == 0) return;
  const float* g0 = grad.at<float>();
  float* o0 = grad_input.at<float>();
  const int64_t grain = std::max<int64_t>(1, kGrainCheap / std::max<int64_t>(1, H * W + oH * oW * w.kH * w.kW));
  parallel_range(c, P, grain, [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) {
      float* op = o0 + p * H * W;
      std::fill(op, op + H * W, 0.0f);
      const float* gp = g0 + p * oH * oW;
      for (int64_t i = 0; i < oH; ++i) {
        for (int64_t j = 0; j < oW; ++j) {
          const Win v = window_of(i, j, H, W, w);
          const float delta = gp[i * oW + j] / v.divisor;
          for (int64_t h = v.h0; h < v.h1; ++h)
            for (int64_t q = v.w0; q < v.w1; ++q) op[h * W + q] += delta;
        }
      }
    }
  });
}

}  // namespace torchlet
