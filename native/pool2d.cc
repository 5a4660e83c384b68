// max_pool2d forward (values and argmax indices) and backward, planes in parallel: each plane is
// read and written by one chunk only, so the backward's sums have no write conflicts and every
// result is the same for any thread count. Semantics: lib/backend/js/max_pool.ts (the oracle).
// NOTE: one portable file, no per-ISA variants: the common 2x2/stride-2 window gets its own loop
// (two rows at a time, no tap bookkeeping), which the compiler keeps in registers; the pool is
// memory-bound beyond that (one read of x, one write of out and indices).
// ref: PyTorch 1.13 aten/src/ATen/native/cpu/MaxPoolKernel.cpp (cpu_max_pool, tie and NaN rule).
#include "pool2d.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace torchlet {
namespace {

// Taps a of start + a*d (a < k) that fall inside [0, size): [lo, hi), hi >= lo.
inline void tap_range(int64_t start, int64_t k, int64_t d, int64_t size, int64_t* lo, int64_t* hi) {
  const int64_t l = start >= 0 ? 0 : (-start + d - 1) / d;
  int64_t h = start > size - 1 ? 0 : std::min(k, (size - 1 - start) / d + 1);
  *lo = l;
  *hi = std::max(l, h);
}

// The general window: as the JS twin, first tap, then (v > best || isnan(v)).
void plane_general(const float* x, int64_t H, int64_t W, const PoolWindow& w, int64_t oH, int64_t oW,
                   const int64_t* b_lo, const int64_t* b_hi, float* out, double* idx) {
  for (int64_t i = 0; i < oH; ++i) {
    const int64_t h0 = i * w.sH - w.pH;
    int64_t a0, a1;
    tap_range(h0, w.kH, w.dH, H, &a0, &a1);
    for (int64_t j = 0; j < oW; ++j) {
      const int64_t w0 = j * w.sW - w.pW;
      const int64_t b0 = b_lo[j], b1 = b_hi[j];
      int64_t best = (h0 + a0 * w.dH) * W + (w0 + b0 * w.dW);
      float best_v = -std::numeric_limits<float>::infinity();
      for (int64_t a = a0; a < a1; ++a) {
        const int64_t row = (h0 + a * w.dH) * W + w0;
        for (int64_t b = b0; b < b1; ++b) {
          const int64_t t = row + b * w.dW;
          const float v = x[t];
          if (v > best_v || std::isnan(v)) {
            best_v = v;
            best = t;
          }
        }
      }
      const bool empty = a0 == a1 || b0 == b1;
      if (empty) best = std::min<int64_t>(std::max<int64_t>(best, 0), H * W - 1);
      out[i * oW + j] = empty ? -std::numeric_limits<float>::infinity() : x[best];
      idx[i * oW + j] = static_cast<double>(best);
    }
  }
}

// kernel 2x2, stride 2, no padding, no dilation (every window full): scan order (0,0) (0,1) (1,0) (1,1).
void plane_2x2s2(const float* x, int64_t W, int64_t oH, int64_t oW, float* out, double* idx) {
  for (int64_t i = 0; i < oH; ++i) {
    const float* r0 = x + 2 * i * W;
    const float* r1 = r0 + W;
    const int64_t base = 2 * i * W;
    for (int64_t j = 0; j < oW; ++j) {
      const int64_t c = 2 * j;
      float bv = r0[c];
      int64_t bt = c;
      // NOTE: the first tap beats the initial -inf (or equals it): it starts as the best.
      float v = r0[c + 1];
      if (v > bv || std::isnan(v)) { bv = v; bt = c + 1; }
      v = r1[c];
      if (v > bv || std::isnan(v)) { bv = v; bt = W + c; }
      v = r1[c + 1];
      if (v > bv || std::isnan(v)) { bv = v; bt = W + c + 1; }
      out[i * oW + j] = bv;
      idx[i * oW + j] = static_cast<double>(base + bt);
    }
  }
}

}  // namespace

void max_pool2d(const OpContext& c, const View& x, const PoolWindow& w, const View& out, const View& indices) {
  const int64_t P = x.shape[0], H = x.shape[1], W = x.shape[2];
  const int64_t oH = out.shape[1], oW = out.shape[2];
  if (P == 0 || oH == 0 || oW == 0) return;
  const float* x0 = x.at<float>();
  float* o0 = out.at<float>();
  double* i0 = indices.at<double>();
  std::vector<int64_t> b_lo(oW), b_hi(oW);
  for (int64_t j = 0; j < oW; ++j) tap_range(j * w.sW - w.pW, w.kW, w.dW, W, &b_lo[j], &b_hi[j]);
  const bool fast = w.kH == 2 && w.kW == 2 && w.sH == 2 && w.sW == 2 && w.pH == 0 && w.pW == 0 && w.dH == 1 &&
                    w.dW == 1 && 2 * oH <= H && 2 * oW <= W;
  const int64_t work = std::max<int64_t>(1, oH * oW * w.kH * w.kW);
  const int64_t grain = std::max<int64_t>(1, kGrainCheap / work);
  parallel_range(c, P, grain, [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) {
      const float* xp = x0 + p * H * W;
      float* op = o0 + p * oH * oW;
      double* ip = i0 + p * oH * oW;
      if (fast) plane_2x2s2(xp, W, oH, oW, op, ip);
      else plane_general(xp, H, W, w, oH, oW, b_lo.data(), b_hi.data(), op, ip);
    }
  });
}

void max_pool2d_backward(const OpContext& c, const View& grad, const View& indices, const View& grad_input) {
  const int64_t P = grad.shape[0], L = grad.shape[1] * grad.shape[2];
  const int64_t HW = grad_input.shape[1] * grad_input.shape[2];
  if (P == 0 || HW == 0) return;
  const float* g0 = grad.at<float>();
  const double* i0 = indices.at<double>();
  float* o0 = grad_input.at<float>();
  std::atomic<bool> bad{false};
  const int64_t grain = std::max<int64_t>(1, kGrainCheap / std::max<int64_t>(1, HW + L));
  parallel_range(c, P, grain, [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) {
      float* op = o0 + p * HW;
      std::fill(op, op + HW, 0.0f);
      const float* gp = g0 + p * L;
      const double* ip = i0 + p * L;
      for (int64_t l = 0; l < L; ++l) {
        const double k = ip[l];
        // NOTE: checked here (an index outside the plane would write outside grad_input).
        if (!(k >= 0 && k < static_cast<double>(HW)) || k != std::floor(k)) {
          bad.store(true, std::memory_order_relaxed);
          continue;
        }
        op[static_cast<int64_t>(k)] += gp[l];
      }
    }
  });
  if (bad.load()) throw std::out_of_range("maxPool2dBackward: an index is out of bounds for its plane");
}

}  // namespace torchlet
