// Fused LSTM/GRU cell steps (rnn_cell.h). Rows go out in fixed chunks (a number of rows that
// depends only on H); each row is computed on its own, so the bits never depend on the threads.
// NOTE: the float expressions below are written in the composed ops' exact order and grouping
// (lib/backend/js/rnn_cell.ts, test/rnn_gates.test.ts): (1 - y) as (-y) + 1, i.e. y.neg().add(1)
// (the same value as ATen's 1 - y: negation is exact), and (g * (1 - y)) * y as sigmoid's backward.
// Adds and multiplies are IEEE-rounded the same by every ISA, so only sigmoid/tanh come from the
// ISA's table, called on contiguous row segments (their results don't depend on position).
// ref: aten/src/ATen/native/RNN.cpp (LSTMCell, GRUCell), derivatives.yaml (sigmoid/tanh backward).
#include "rnn_cell.h"

#include <algorithm>

namespace torchlet {
namespace {

// Rows per chunk: about `grain` elements of work (width floats a row), at least one row.
inline int64_t row_grain(int64_t grain, int64_t width) {
  return std::max<int64_t>(1, grain / std::max<int64_t>(1, width));
}

inline float one_minus(float y) { return -y + 1.0f; }

}  // namespace

void lstm_cell_forward(const OpContext& ctx, int64_t n, int64_t H, const float* gi, const float* hh,
                       const float* c_prev, float* gates, float* c, float* tanh_c, float* h) {
  const int64_t G = 4 * H;
  const UnaryFn sigmoid = ctx.k->unary[kSigmoid];
  const UnaryFn tanh_fn = ctx.k->unary[kTanh];
  parallel_range(ctx, n, row_grain(kGrainExpensive, G), [&](int64_t rb, int64_t re) {
    for (int64_t r = rb; r < re; ++r) {
      const float* a = gi + r * G;
      const float* b = hh + r * G;
      float* g = gates + r * G;
      for (int64_t j = 0; j < G; ++j) g[j] = a[j] + b[j];
      sigmoid(g, g, 2 * H);              // i, f
      tanh_fn(g + 2 * H, g + 2 * H, H);  // g
      sigmoid(g + 3 * H, g + 3 * H, H);  // o
      const float* gi_ = g;
      const float* gf = g + H;
      const float* gg = g + 2 * H;
      const float* go = g + 3 * H;
      const float* cp = c_prev + r * H;
      float* cr = c + r * H;
      for (int64_t j = 0; j < H; ++j) cr[j] = gf[j] * cp[j] + gi_[j] * gg[j];
      float* tc = tanh_c + r * H;
      tanh_fn(cr, tc, H);
      float* hr = h + r * H;
      for (int64_t j = 0; j < H; ++j) hr[j] = go[j] * tc[j];
    }
  });
}

void lstm_cell_backward(const OpContext& ctx, int64_t n, int64_t H, const float* dh, const float* gy,
                        const float* dc, const float* gates, const float* tanh_c, const float* c_prev,
                        float* d_pre, float* dc_prev) {
  const int64_t G = 4 * H;
  parallel_range(ctx, n, row_grain(kGrainCheap, 2 * G), [&](int64_t rb, int64_t re) {
    for (int64_t r = rb; r < re; ++r) {
      const float* g = gates + r * G;
      const float* tc = tanh_c + r * H;
      const float* cp = c_prev + r * H;
      const float* dhr = dh + r * H;
      const float* gyr = gy + r * H;
      const float* dcr = dc + r * H;
      float* dp = d_pre + r * G;
      float* dcp = dc_prev + r * H;
      for (int64_t j = 0; j < H; ++j) {
        const float i = g[j], f = g[H + j], gg = g[2 * H + j], o = g[3 * H + j], t = tc[j];
        const float dht = dhr[j] + gyr[j];
        const float dct = dcr[j] + (dht * o) * one_minus(t * t);
        dp[j] = ((dct * gg) * one_minus(i)) * i;
        dp[H + j] = ((dct * cp[j]) * one_minus(f)) * f;
        dp[2 * H + j] = (dct * i) * one_minus(gg * gg);
        dp[3 * H + j] = ((dht * t) * one_minus(o)) * o;
        dcp[j] = dct * f;  // last: dc_prev may be dc
      }
    }
  });
}

void gru_cell_forward(const OpContext& ctx, int64_t n, int64_t H, const float* gi, const float* hh,
                      const float* h_prev, float* gates, float* h) {
  const int64_t G = 3 * H;
  const UnaryFn sigmoid = ctx.k->unary[kSigmoid];
  const UnaryFn tanh_fn = ctx.k->unary[kTanh];
  parallel_range(ctx, n, row_grain(kGrainExpensive, G), [&](int64_t rb, int64_t re) {
    for (int64_t r = rb; r < re; ++r) {
      const float* a = gi + r * G;
      const float* b = hh + r * G;
      float* g = gates + r * G;
      for (int64_t j = 0; j < 2 * H; ++j) g[j] = a[j] + b[j];
      sigmoid(g, g, 2 * H);  // r, z
      for (int64_t j = 0; j < H; ++j) g[2 * H + j] = a[2 * H + j] + g[j] * b[2 * H + j];
      tanh_fn(g + 2 * H, g + 2 * H, H);  // n
      const float* z = g + H;
      const float* nn = g + 2 * H;
      const float* hp = h_prev + r * H;
      float* hr = h + r * H;
      for (int64_t j = 0; j < H; ++j) hr[j] = (hp[j] - nn[j]) * z[j] + nn[j];
    }
  });
}

void gru_cell_backward(const OpContext& ctx, int64_t n, int64_t H, const float* dh, const float* gy,
                       const float* gates, const float* hh, const float* h_prev, float* d_gi, float* d_gh,
                       float* d_diff) {
  const int64_t G = 3 * H;
  parallel_range(ctx, n, row_grain(kGrainCheap, 2 * G), [&](int64_t rb, int64_t re) {
    for (int64_t r = rb; r < re; ++r) {
      const float* g = gates + r * G;
      const float* hn = hh + r * G + 2 * H;
      const float* hp = h_prev + r * H;
      const float* dhr = dh + r * H;
      const float* gyr = gy + r * H;
      float* di = d_gi + r * G;
      float* dg = d_gh + r * G;
      float* dd = d_diff + r * H;
      for (int64_t j = 0; j < H; ++j) {
        const float rr = g[j], z = g[H + j], nv = g[2 * H + j];
        const float D = dhr[j] + gyr[j];
        const float diff = D * z;
        const float dz = D * (hp[j] - nv);
        const float da = (D - diff) * one_minus(nv * nv);
        const float dr = da * hn[j];
        const float dr_pre = (dr * one_minus(rr)) * rr;
        const float dz_pre = (dz * one_minus(z)) * z;
        di[j] = dr_pre;
        di[H + j] = dz_pre;
        di[2 * H + j] = da;
        dg[j] = dr_pre;
        dg[H + j] = dz_pre;
        dg[2 * H + j] = da * rr;
        dd[j] = diff;  // last: d_diff may be dh
      }
    }
  });
}

}  // namespace torchlet
