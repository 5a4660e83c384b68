// max_pool2d forward (values and argmax indices) and backward, planes in parallel: each plane is
// read and written by one chunk only, so the backward's sums have no write conflicts and every
// result is the same for any thread count. Semantics: lib/backend/js/max_pool.ts (the oracle).
// NOTE: one portable file, no per-ISA variants: the loops are written for the compiler to vectorize
// along W at the baseline ISA (selects instead of branches, 32-bit offsets): the 2x2/stride-2
// window gets its own loop, other windows vectorize each row's interior (strides 1 and 2
// specialised), borders stay scalar. Measured ~10x over the branchy loop; then memory-bound.
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

// One tap of the scan: PyTorch's `if ((val > maxval) || std::isnan(val))`, branch-free.
inline void pick(float v, int64_t t, float* best_v, int64_t* best) {
  const bool take = (v > *best_v) | (v != v);
  *best_v = take ? v : *best_v;
  *best = take ? t : *best;
}

// The general window, outputs [jb, je) of row i: as the JS twin, first tap, then pick in scan order.
void plane_general_cols(const float* x, int64_t H, int64_t W, const PoolWindow& w, int64_t i, int64_t jb, int64_t je,
                        const int64_t* b_lo, const int64_t* b_hi, float* o, double* id) {
  const int64_t h0 = i * w.sH - w.pH;
  int64_t a0, a1;
  tap_range(h0, w.kH, w.dH, H, &a0, &a1);
  for (int64_t j = jb; j < je; ++j) {
    const int64_t w0 = j * w.sW - w.pW;
    const int64_t b0 = b_lo[j], b1 = b_hi[j];
    int64_t best = (h0 + a0 * w.dH) * W + (w0 + b0 * w.dW);
    float best_v = -std::numeric_limits<float>::infinity();
    for (int64_t a = a0; a < a1; ++a) {
      const int64_t row = (h0 + a * w.dH) * W + w0;
      for (int64_t b = b0; b < b1; ++b) {
        const int64_t t = row + b * w.dW;
        pick(x[t], t, &best_v, &best);
      }
    }
    const bool empty = a0 == a1 || b0 == b1;
    if (empty) best = std::min<int64_t>(std::max<int64_t>(best, 0), H * W - 1);
    o[j] = empty ? -std::numeric_limits<float>::infinity() : x[best];
    id[j] = static_cast<double>(best);
  }
}

// Rows [i0, i0 + rows) of the general window, every output scalar; o and id point at row i0.
void plane_general(const float* x, int64_t H, int64_t W, const PoolWindow& w, int64_t rows, int64_t oW,
                   const int64_t* b_lo, const int64_t* b_hi, float* o, double* id, int64_t i0) {
  for (int64_t r = 0; r < rows; ++r) plane_general_cols(x, H, W, w, i0 + r, 0, oW, b_lo, b_hi, o + r * oW, id + r * oW);
}

// kernel 2x2, stride 2, no padding, no dilation (every window full): scan order (0,0) (0,1) (1,0) (1,1).
// NOTE: written so the compiler vectorizes it along W (stride-2 loads, selects, 32-bit offsets in
// the window, widened to double indices in a second loop): ~10x the branchy scalar loop.
void plane_2x2s2(const float* x, int64_t W, int64_t oH, int64_t oW, float* out, double* idx, int32_t* kk) {
  const int32_t w0 = 0, w1 = static_cast<int32_t>(W), w2 = static_cast<int32_t>(W) + 1;
  for (int64_t i = 0; i < oH; ++i) {
    const float* r0 = x + 2 * i * W;
    const float* r1 = r0 + W;
    float* o = out + i * oW;
    for (int64_t j = 0; j < oW; ++j) {
      const float a = r0[2 * j], b = r0[2 * j + 1], c = r1[2 * j], d = r1[2 * j + 1];
      float m = a;
      int32_t k = w0;
      bool t = (b > m) | (b != b);
      m = t ? b : m;
      k = t ? 1 : k;
      t = (c > m) | (c != c);
      m = t ? c : m;
      k = t ? w1 : k;
      t = (d > m) | (d != d);
      m = t ? d : m;
      k = t ? w2 : k;
      o[j] = m;
      kk[j] = k;
    }
    const int64_t base = 2 * i * W;
    for (int64_t j = 0; j < oW; ++j) idx[i * oW + j] = static_cast<double>(base + 2 * j + kk[j]);
  }
}

// Outputs [j0, j1) of row i whose column taps are all inside the plane, tap by tap in scan order
// across the row (the same per-output sequence as plane_general), vectorizable for a fixed stride S.
template <int64_t S>
void row_interior(const float* x, int64_t W, const PoolWindow& w, int64_t h0, int64_t a0, int64_t a1, int64_t j0,
                  int64_t j1, float* m, int32_t* k) {
  const int64_t s = S > 0 ? S : w.sW;
  const int32_t first = static_cast<int32_t>((h0 + a0 * w.dH) * W - w.pW);
  for (int64_t j = j0; j < j1; ++j) {
    m[j] = -std::numeric_limits<float>::infinity();
    k[j] = first + static_cast<int32_t>(j * s);
  }
  for (int64_t a = a0; a < a1; ++a) {
    for (int64_t b = 0; b < w.kW; ++b) {
      const int64_t off = (h0 + a * w.dH) * W - w.pW + b * w.dW;
      const int32_t off32 = static_cast<int32_t>(off);
      for (int64_t j = j0; j < j1; ++j) {
        const float v = x[off + j * s];
        const bool t = (v > m[j]) | (v != v);
        m[j] = t ? v : m[j];
        k[j] = t ? off32 + static_cast<int32_t>(j * s) : k[j];
      }
    }
  }
}

// The general window with the interior of each row vectorized (borders and empty windows scalar).
void plane_rows(const float* x, int64_t H, int64_t W, const PoolWindow& w, int64_t oH, int64_t oW,
                const int64_t* b_lo, const int64_t* b_hi, int64_t j0, int64_t j1, float* out, double* idx,
                float* m, int32_t* k) {
  for (int64_t i = 0; i < oH; ++i) {
    const int64_t h0 = i * w.sH - w.pH;
    int64_t a0, a1;
    tap_range(h0, w.kH, w.dH, H, &a0, &a1);
    float* o = out + i * oW;
    double* id = idx + i * oW;
    if (a0 == a1 || j0 >= j1) {
      plane_general(x, H, W, w, 1, oW, b_lo, b_hi, o, id, i);
      continue;
    }
    if (w.sW == 1) row_interior<1>(x, W, w, h0, a0, a1, j0, j1, m, k);
    else if (w.sW == 2) row_interior<2>(x, W, w, h0, a0, a1, j0, j1, m, k);
    else row_interior<0>(x, W, w, h0, a0, a1, j0, j1, m, k);
    for (int64_t j = j0; j < j1; ++j) {
      o[j] = m[j];
      id[j] = static_cast<double>(k[j]);
    }
    plane_general_cols(x, H, W, w, i, 0, j0, b_lo, b_hi, o, id);
    plane_general_cols(x, H, W, w, i, j1, oW, b_lo, b_hi, o, id);
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
  // Interior columns: every tap inside [0, W). NOTE: the vector paths keep offsets in int32.
  int64_t j0 = 0;
  while (j0 < oW && (b_lo[j0] != 0 || b_hi[j0] != w.kW)) ++j0;
  int64_t j1 = j0;
  while (j1 < oW && b_lo[j1] == 0 && b_hi[j1] == w.kW) ++j1;
  constexpr int64_t kMaxRow = 1024;  // outputs per row the vector paths buffer on the stack
  const bool small = H * W < (int64_t{1} << 31) && oW <= kMaxRow;
  const int64_t work = std::max<int64_t>(1, oH * oW * w.kH * w.kW);
  const int64_t grain = std::max<int64_t>(1, kGrainCheap / work);
  parallel_range(c, P, grain, [&](int64_t b, int64_t e) {
    alignas(64) float m[kMaxRow];
    alignas(64) int32_t k[kMaxRow];
    for (int64_t p = b; p < e; ++p) {
      const float* xp = x0 + p * H * W;
      float* op = o0 + p * oH * oW;
      double* ip = i0 + p * oH * oW;
      if (fast && small) plane_2x2s2(xp, W, oH, oW, op, ip, k);
      else if (small) plane_rows(xp, H, W, w, oH, oW, b_lo.data(), b_hi.data(), j0, j1, op, ip, m, k);
      else plane_general(xp, H, W, w, oH, oW, b_lo.data(), b_hi.data(), op, ip, 0);
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
