// conv2d's stride-1 forward in chunks of images, each chunk's steps on one thread (conv_padded_forward.h).
#include "conv_padded_forward.h"

#include <algorithm>
#include <atomic>
#include <initializer_list>
#include <memory>
#include <vector>

#include "conv_pack.h"
#include "gemm_partition.h"

namespace torchlet {

namespace {

// The busiest thread may run this much more than its share of the chunks (padded_conv_chunks_in_parallel).
constexpr double kMaxChunkImbalance = 1.15;

// A float32 view of `data` (length elements) with the given shape and strides.
View float_view(float* data, int64_t length, std::initializer_list<int64_t> shape, std::initializer_list<int64_t> strides,
                int64_t offset = 0) {
  View v;
  v.data = data;
  v.length = length;
  v.dtype = Dtype::kFloat32;
  v.offset = offset;
  v.ndim = static_cast<int>(shape.size());
  std::copy(shape.begin(), shape.end(), v.shape);
  std::copy(strides.begin(), strides.end(), v.strides);
  return v;
}

// One chunk's padded planes (zero borders, kept across chunks: the copies only write the interior)
// and product rows.
struct ChunkBuffers {
  std::vector<float> xpad;
  std::unique_ptr<float[]> prod;  // left unfilled: every chunk writes its rows before reading them
  std::atomic<bool> busy{false};
};

}  // namespace

bool padded_conv_chunks_in_parallel(int64_t chunks, int64_t threads) {
  if (chunks < threads) return false;
  return static_cast<double>(ceil_div(chunks, threads) * threads) <= kMaxChunkImbalance * static_cast<double>(chunks);
}

void conv_padded_forward(const OpContext& c, const View& x, const View& weight, const float* bias,
                         int64_t bias_stride, const View& out, const PaddedConvGeometry& g) {
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t O = out.shape[1], OH = out.shape[2], OW = out.shape[3], L = OH * OW;
  const int64_t G = g.groups, Og = O / G, CgK = (C / G) * g.kh * g.kw;
  if (N == 0 || O == 0 || L == 0) return;
  const int64_t plane = g.hp * g.wp;
  const int64_t P = g.exact ? L : OH * g.wp;  // GEMM columns per image
  const int64_t nb = g.images_per_chunk;
  const int64_t chunks = ceil_div(N, nb);
  const bool per_thread = padded_conv_chunks_in_parallel(chunks, c.pool->num_threads());
  // NOTE: the last plane's unused columns read (kw-1)*dil_w elements past it: the slack, zeroed.
  const int64_t xpad_len = nb * C * plane + (g.kw - 1) * g.dil_w;
  const int64_t prod_len = O * nb * P;
  // Buffers are allocated here, on the calling thread (running out of memory throws to JS), one
  // set per chunk that can run at once.
  const int64_t sets = per_thread ? std::min<int64_t>(chunks, c.pool->num_threads()) : 1;
  std::vector<ChunkBuffers> buffers(static_cast<size_t>(sets));
  for (ChunkBuffers& b : buffers) {
    b.xpad.assign(static_cast<size_t>(xpad_len), 0.0f);
    b.prod.reset(new float[static_cast<size_t>(prod_len)]);
  }
  const float* w0 = weight.at<float>();
  const View wv = float_view(const_cast<float*>(w0), G * Og * CgK, {G, Og, CgK}, {Og * CgK, CgK, 1});

  auto run_chunk = [&](int64_t t, ChunkBuffers& b) {
    const int64_t n0 = t * nb, m = std::min(nb, N - n0), mP = m * P;
    float* xpad = b.xpad.data();
    float* prod = b.prod.get();
    // 1. The images into the padded planes' interior.
    View xc = x;
    xc.shape[0] = m;
    xc.offset = x.offset + n0 * x.strides[0];
    copy(c, xc, float_view(xpad, xpad_len, {m, C, H, W}, {C * plane, plane, g.wp, 1}, g.pad_top * g.wp + g.pad_left));
    // 2. Each product row starts as its bias: the GEMM accumulates onto it (bias + sum, one rounding).
    if (bias != nullptr) {
      const View rows = float_view(const_cast<float*>(bias), (O - 1) * bias_stride + 1, {O, mP}, {bias_stride, 0});
      copy(c, rows, float_view(prod, prod_len, {O, mP}, {mP, 1}));
    }
    // 3. [G, Og, CgK] x the columns [G, C/G, kh, kw | m, rh, rw] (row (c, i, j) a run of plane c
    //    per output row, or per image in the padded-row layout) -> [G, Og, m*P].
    const int64_t rh = g.exact ? OH : 1, rw = g.exact ? OW : P, rs = g.exact ? g.wp : 0;
    const View cols = float_view(xpad, xpad_len, {G, C / G, g.kh, g.kw, m, rh, rw},
                                 {(C / G) * plane, plane, g.dil_h * g.wp, g.dil_w, C * plane, rs, 1});
    matmul_unfolded(c, wv, cols, float_view(prod, prod_len, {G, Og, mP}, {Og * mP, mP, 1}), bias != nullptr);
    // 4. [O, m, OH, OW (of P per image)] -> out's images n0 .. n0 + m.
    const View from = float_view(prod, prod_len, {m, O, OH, OW}, {P, mP, g.exact ? OW : g.wp, 1});
    View to = out;
    to.shape[0] = m;
    to.offset = out.offset + n0 * out.strides[0];
    copy(c, from, to);
  };

  if (!per_thread) {
    for (int64_t t = 0; t < chunks; ++t) run_chunk(t, buffers[0]);
    return;
  }
  // NOTE: grain 1: a thread runs the chunks it claimed one after another, each chunk's steps
  // serially (pool.h: a nested parallel_for is serial). At most `sets` chunks run at once, so a
  // free buffer set is always found.
  c.pool->parallel_for(static_cast<size_t>(chunks), 1, [&](size_t tb, size_t te) {
    for (size_t t = tb; t < te; ++t) {
      ChunkBuffers* mine = nullptr;
      for (;;) {
        for (ChunkBuffers& b : buffers) {
          bool expected = false;
          if (b.busy.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
            mine = &b;
            break;
          }
        }
        if (mine != nullptr) break;
      }
      run_chunk(static_cast<int64_t>(t), *mine);
      mine->busy.store(false, std::memory_order_release);
    }
  });
}

}  // namespace torchlet
