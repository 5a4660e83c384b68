// How the GEMM cuts C into work items for the thread pool: a pure function of the shape and the
// thread count, exported (binding_gemm.inc) so tests can check the balance at thread counts this
// machine doesn't have. How the work is split never changes a result: every element's sum runs
// over K in the same order whoever computes it (K is never split between items).
#pragma once

#include <cstddef>
#include <cstdint>

namespace torchlet {

struct Item {
  int64_t b0, b1, i0, i1, j0, j1;  // batches [b0, b1), rows [i0, i1), columns [j0, j1) of C
};

// Items cut batches, then rows, then columns, in fixed sizes; item t is a pure function of t.
struct Split {
  int64_t batch_per_item, rows_per_item, cols_per_item;
  int64_t batch_split, m_split, n_split;
  size_t items() const { return static_cast<size_t>(batch_split * m_split * n_split); }
  Item item(size_t t, int64_t batch, int64_t m, int64_t n) const;
};

// Items to split `flops` of work into on `threads` threads: up to four per thread, so that a core
// taken by another process doesn't leave its share behind, a multiple of the thread count, and
// none too small to pay for handing it over.
int64_t gemm_items_wanted(double flops, int64_t threads);

// Splits C (batch x m x n) into about `want` items, in steps of `row_step` rows and `col_step`
// columns: batches first, then columns (an item of the packed path packs its own part of B) or,
// with rows_first, rows; the other dimension only when the first runs out.
// c_shared: the batches' C overlap (c_bs == 0), so they must run one after another in one item.
Split make_split(int64_t batch, int64_t m, int64_t n, bool c_shared, int64_t want, int64_t row_step,
                 int64_t col_step, bool rows_first);

}  // namespace torchlet
