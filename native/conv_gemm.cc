// conv2d's weight GEMMs split by row and column blocks (conv_gemm.h).
#include "conv_gemm.h"

#include <algorithm>

#include "gemm.h"
#include "gemm_partition.h"

namespace torchlet {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

void conv_gemm_block(int64_t len, int64_t unit, int64_t blocks, int64_t i, int64_t* begin, int64_t* end) {
  const int64_t units = ceil_div(len, unit);
  *begin = std::min(len, (i * units / blocks) * unit);
  *end = std::min(len, ((i + 1) * units / blocks) * unit);
}

ConvGemmSplit conv_gemm_split(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t threads) {
  ConvGemmSplit s{1, 1};
  if (batch <= 0 || m <= 0 || n <= 0) return s;
  const int64_t row_units = ceil_div(m, kRowUnit), col_units = ceil_div(n, kColUnit);
  // Bounds: at least enough row blocks to keep A in place; at most so many that every block
  // keeps 4 row units (> 16 rows) and 2 column units (> 32 columns), see the header.
  const int64_t min_rows = ceil_div(m, kMaxItemRows);
  const int64_t max_rows = std::max(min_rows, row_units / 4);
  const int64_t max_cols = std::max<int64_t>(1, col_units / 2);
  const double flops = 2.0 * static_cast<double>(batch) * static_cast<double>(m) * static_cast<double>(n) *
                       static_cast<double>(k);
  const int64_t want = gemm_items_wanted(flops, threads);
  const int64_t per_batch = ceil_div(want, batch);
  // Traffic of a split: every column block reads its rows of A (all of A over the row blocks) and
  // every row block reads its columns of B: col_blocks * |A| + row_blocks * |B|, in elements.
  const double a_size = static_cast<double>(m) * static_cast<double>(k);
  const double b_size = static_cast<double>(k) * static_cast<double>(n);
  // The candidates: each number of row blocks, with the fewest column blocks that make `want`
  // items. Best: enough items with the least traffic; failing that, the most items.
  bool have = false, best_enough = false;
  double best_traffic = 0.0;
  for (int64_t r = min_rows; r <= max_rows; ++r) {
    const int64_t cb = std::min(max_cols, ceil_div(per_batch, r));
    const bool enough = r * cb >= per_batch;
    const double traffic = static_cast<double>(cb) * a_size + static_cast<double>(r) * b_size;
    bool better;
    if (!have || enough != best_enough) {
      better = !have || enough;
    } else if (enough) {
      better = traffic < best_traffic;
    } else {
      better = r * cb > s.row_blocks * s.col_blocks;
    }
    if (better) {
      have = true;
      best_enough = enough;
      best_traffic = traffic;
      s.row_blocks = r;
      s.col_blocks = cb;
    }
    if (enough && r >= per_batch) break;  // from here on, more row blocks only add traffic
  }
  return s;
}

void conv_matmul(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate) {
  const int64_t batch = out.shape[0], m = out.shape[1], n = out.shape[2], k = a.shape[2];
  if (batch == 0 || m == 0 || n == 0) return;
  if (k == 0) {  // an empty sum
    if (!accumulate) fill(c, out, 0.0);
    return;
  }
  const ConvGemmSplit s = conv_gemm_split(batch, m, n, k, c.pool->num_threads());
  const float* a0 = a.at<float>();
  const float* b0 = b.at<float>();
  float* c0 = out.at<float>();
  const int64_t per_batch = s.row_blocks * s.col_blocks;
  // NOTE: grain 1 and one item per chunk: the gemm_f32 inside runs serially on the thread that
  // claimed the chunk (pool.h: a nested parallel_for is serial), or on the whole pool when the
  // split is a single item.
  c.pool->parallel_for(static_cast<size_t>(s.items(batch)), 1, [&](size_t tb, size_t te) {
    for (size_t t = tb; t < te; ++t) {
      const int64_t idx = static_cast<int64_t>(t);
      const int64_t bi = idx / per_batch, rb = (idx / s.col_blocks) % s.row_blocks, cb = idx % s.col_blocks;
      int64_t i0, i1, j0, j1;
      conv_gemm_block(m, kRowUnit, s.row_blocks, rb, &i0, &i1);
      conv_gemm_block(n, kColUnit, s.col_blocks, cb, &j0, &j1);
      if (i0 >= i1 || j0 >= j1) continue;
      GemmArgs g{};
      g.batch = 1;
      g.m = i1 - i0;
      g.n = j1 - j0;
      g.k = k;
      g.a = a0 + bi * a.strides[0] + i0 * a.strides[1];
      g.a_bs = 0;
      g.a_rs = a.strides[1];
      g.a_cs = a.strides[2];
      g.b = b0 + bi * b.strides[0] + j0 * b.strides[2];
      g.b_bs = 0;
      g.b_rs = b.strides[1];
      g.b_cs = b.strides[2];
      g.c = c0 + bi * out.strides[0] + i0 * out.strides[1] + j0 * out.strides[2];
      g.c_bs = 0;
      g.c_rs = out.strides[1];
      g.c_cs = out.strides[2];
      g.accumulate = accumulate;
      gemm_f32(g, c.isa, *c.pool);
    }
  });
}

}  // namespace torchlet
