// conv2d's weight GEMMs split by row and column blocks (conv_gemm.h).
#include "conv_gemm.h"

#include <algorithm>

#include "gemm_partition.h"
#include "gemm_views.h"

namespace torchlet {

namespace {

// A row block keeps at least this many row units (so more than 16 rows: see conv_gemm.h).
constexpr int64_t kMinBlockRowUnits = 3;
// What re-reading one element of A or B costs, in flops: a core does ~64 flops per cycle and
// streams ~16 floats per cycle from L2/L3.
constexpr double kFlopsPerElement = 4.0;
constexpr double kFewItemsPenalty = 1.5;
// How much less traffic conv's split must have than the GEMM's own to be taken (conv_gemm_pays):
// none (ties go to the GEMM). Measured on ResNet-18's shapes (conv_gemm_ab.ts): conv's split won on
// layer3/4 at batch 1, lost on layer3 at batch 8, both as the traffic model says. Since the GEMM runs
// one item at 1 thread (A packed once), the model gives the GEMM every shape at 1 thread, and the two
// measured even there (layer3 at batch 1: 1.41 vs 1.40 ms).
constexpr double kOwnSplitMargin = 1.0;

}  // namespace

int64_t conv_gemm_units(int64_t len, int64_t unit) { return std::max<int64_t>(1, len / unit); }

void conv_gemm_block(int64_t len, int64_t unit, int64_t blocks, int64_t i, int64_t* begin, int64_t* end) {
  // Whole units, the last one taking the remainder, shared out evenly (floor boundaries).
  const int64_t units = conv_gemm_units(len, unit);
  *begin = (i * units / blocks) * unit;
  *end = i + 1 == blocks ? len : ((i + 1) * units / blocks) * unit;
}

// The largest of `blocks` blocks (conv_gemm_block), or a unit more: the other blocks have at most
// ceil(units / blocks) units, the last one its units and the remainder.
int64_t largest_block(int64_t len, int64_t unit, int64_t blocks) {
  const int64_t units = conv_gemm_units(len, unit);
  const int64_t last = len - ((blocks - 1) * units / blocks) * unit;
  return std::max(ceil_div(units, blocks) * unit, last);
}

ConvGemmSplit conv_gemm_split(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t threads) {
  ConvGemmSplit s{1, 1};
  if (batch <= 0 || m <= 0 || n <= 0 || k <= 0) return s;
  const int64_t row_units = conv_gemm_units(m, kRowUnit), col_units = conv_gemm_units(n, kColUnit);
  // Row blocks of at most kMaxItemRows (a block's rows: its units, plus the remainder of m when
  // it is the last: < kRowUnit more) and at least kMinBlockRowUnits units; column blocks of at
  // least one unit. See the header for why.
  const int64_t min_rows = ceil_div(row_units, kMaxItemRows / kRowUnit - 1);
  const int64_t max_rows = std::max(min_rows, row_units / kMinBlockRowUnits);
  const int64_t max_cols = col_units;
  const double flops = 2.0 * static_cast<double>(batch) * static_cast<double>(m) * static_cast<double>(n) *
                       static_cast<double>(k);
  // No more items than the GEMM would make (none too small to pay for handing it over).
  const int64_t max_items = gemm_items_wanted(flops, threads);
  const double a_size = static_cast<double>(m) * static_cast<double>(k);
  const double b_size = static_cast<double>(k) * static_cast<double>(n);
  // Cost of a split, in flops: the items' makespan on `threads` threads (rounds of the largest
  // item) plus what each thread re-reads: every column block reads its rows of A (all of A over
  // the row blocks), every row block its columns of B, at kFlopsPerElement flops per element.
  double best = 0.0;
  bool have = false;
  for (int64_t r = min_rows; r <= max_rows; ++r) {
    if (have && batch * r > max_items) break;
    for (int64_t cb = 1; cb <= max_cols; ++cb) {
      const int64_t items = batch * r * cb;
      // NOTE: the first candidate (the fewest row blocks that keep A in place) always counts.
      if (have && items > max_items) break;
      const int64_t rows = largest_block(m, kRowUnit, r), cols = largest_block(n, kColUnit, cb);
      const double rounds = static_cast<double>(ceil_div(items, threads));
      const double makespan = rounds * 2.0 * static_cast<double>(rows) * static_cast<double>(cols) * static_cast<double>(k);
      const double traffic = static_cast<double>(batch) * (static_cast<double>(cb) * a_size + static_cast<double>(r) * b_size);
      double cost = makespan + kFlopsPerElement * traffic / static_cast<double>(std::min(threads, items));
      // NOTE: with fewer than two items per thread, a core taken by another process stalls the
      // whole call; such splits only win by a clear margin.
      if (threads > 1 && items < std::min(max_items, 2 * threads)) cost *= kFewItemsPenalty;
      if (!have || cost < best) {
        have = true;
        best = cost;
        s.row_blocks = r;
        s.col_blocks = cb;
      }
    }
  }
  return s;
}

bool conv_gemm_pays(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t threads) {
  if (batch <= 0 || m <= kMaxItemRows || n <= 0 || k <= 0) return false;
  const double a_size = static_cast<double>(m) * static_cast<double>(k);
  const double b_size = static_cast<double>(k) * static_cast<double>(n);
  // The GEMM's packed path: its items (make_split with up to 4 items per thread, as gemm.cc split
  // them until make_packed_split) each pack their rows of A and their columns of B.
  // NOTE: that is the split this choice was measured against (stop 27); gemm.cc now often makes one
  // item per thread, which re-reads less: whether conv's own split still pays there is unmeasured.
  const double flops = 2.0 * static_cast<double>(batch) * a_size * static_cast<double>(n);
  const Split own = make_split(batch, m, n, false, gemm_items_wanted(flops, threads), kRowUnit, kColUnit, false);
  const double own_traffic = static_cast<double>(own.n_split) * a_size + static_cast<double>(own.m_split) * b_size;
  const ConvGemmSplit s = conv_gemm_split(batch, m, n, k, threads);
  const double split_traffic = static_cast<double>(s.col_blocks) * a_size + static_cast<double>(s.row_blocks) * b_size;
  return split_traffic * kOwnSplitMargin < own_traffic;
}

void conv_matmul(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate) {
  const int64_t batch = out.shape[0], m = out.shape[1], n = out.shape[2], k = a.shape[2];
  if (batch == 0 || m == 0 || n == 0) return;
  if (k == 0) {  // an empty sum
    if (!accumulate) fill(c, out, 0.0);
    return;
  }
  const int64_t threads = c.pool->num_threads();
  if (!conv_gemm_pays(batch, m, n, k, threads)) {
    return gemm_f32(gemm_args_of<float>(a, b, out, accumulate), c.isa, *c.pool);
  }
  const ConvGemmSplit s = conv_gemm_split(batch, m, n, k, threads);
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
      // Block (bi, rows i0..i1, columns j0..j1) as a GEMM of its own, on the views' strides.
      GemmArgs g = gemm_args_of<float>(a, b, out, accumulate);
      g.batch = 1;
      g.m = i1 - i0;
      g.n = j1 - j0;
      g.a = a0 + bi * a.strides[0] + i0 * a.strides[1];
      g.b = b0 + bi * b.strides[0] + j0 * b.strides[2];
      g.c = c0 + bi * out.strides[0] + i0 * out.strides[1] + j0 * out.strides[2];
      g.a_bs = g.b_bs = g.c_bs = 0;
      gemm_f32(g, c.isa, *c.pool);
    }
  });
}

}  // namespace torchlet
