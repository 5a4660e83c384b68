// The GEMM's work split (gemm_partition.h).
#include "gemm_partition.h"

#include <algorithm>

namespace torchlet {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The least work (flops) worth handing to another thread.
constexpr double kMinItemFlops = 2.0e5;

}  // namespace

Item Split::item(size_t t, int64_t batch, int64_t m, int64_t n) const {
  const int64_t idx = static_cast<int64_t>(t);
  Item it;
  it.j0 = (idx % n_split) * cols_per_item;
  it.i0 = ((idx / n_split) % m_split) * rows_per_item;
  it.b0 = (idx / (n_split * m_split)) * batch_per_item;
  it.j1 = std::min<int64_t>(n, it.j0 + cols_per_item);
  it.i1 = std::min<int64_t>(m, it.i0 + rows_per_item);
  it.b1 = std::min<int64_t>(batch, it.b0 + batch_per_item);
  return it;
}

int64_t gemm_items_wanted(double flops, int64_t threads) {
  const int64_t affordable = static_cast<int64_t>(flops / kMinItemFlops);
  int64_t want = std::max<int64_t>(1, std::min(threads, affordable));
  if (affordable >= threads) want = std::min(4 * threads, affordable / threads * threads);
  return want;
}

Split make_split(int64_t batch, int64_t m, int64_t n, bool c_shared, int64_t want, int64_t row_step,
                 int64_t col_step, bool rows_first) {
  Split s;
  s.batch_split = c_shared ? 1 : std::min<int64_t>(batch, want);
  s.batch_per_item = ceil_div(batch, s.batch_split);
  s.batch_split = ceil_div(batch, s.batch_per_item);
  const int64_t per_batch = ceil_div(want, s.batch_split);
  const int64_t col_steps = ceil_div(n, col_step), row_steps = ceil_div(m, row_step);
  int64_t n_split, m_split;
  if (rows_first) {
    m_split = std::min<int64_t>(row_steps, per_batch);
    n_split = std::min<int64_t>(col_steps, ceil_div(per_batch, m_split));
  } else {
    n_split = std::min<int64_t>(col_steps, per_batch);
    m_split = std::min<int64_t>(row_steps, ceil_div(per_batch, n_split));
  }
  s.cols_per_item = ceil_div(col_steps, n_split) * col_step;
  s.rows_per_item = ceil_div(row_steps, m_split) * row_step;
  s.n_split = ceil_div(n, s.cols_per_item);
  s.m_split = ceil_div(m, s.rows_per_item);
  return s;
}

}  // namespace torchlet
