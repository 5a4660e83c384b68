// How the GEMM cuts C into work items for the thread pool: a pure function of the shape and the
// thread count, exported (binding_gemm.inc) so tests can check the balance at thread counts this
// machine doesn't have. How the work is split never changes a result: every element's sum runs
// over K in the same order whoever computes it. K is split only by make_k_split, into parts that
// depend on the shape alone (never on the thread count), each part's sum added in a fixed order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace torchlet {

// Pieces of size b that cover a (a >= 0, b > 0): the count every split and blocking rounds up to.
inline constexpr int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

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
// none too small to pay for handing it over. One thread: one item (no one to balance against).
int64_t gemm_items_wanted(double flops, int64_t threads);

// Splits C (batch x m x n) into about `want` items, in steps of `row_step` rows and `col_step`
// columns: batches first, then columns (an item of the packed path packs its own part of B) or,
// with rows_first, rows; the other dimension only when the first runs out.
// c_shared: the batches' C overlap (c_bs == 0), so they must run one after another in one item.
Split make_split(int64_t batch, int64_t m, int64_t n, bool c_shared, int64_t want, int64_t row_step,
                 int64_t col_step, bool rows_first);

// The split of K for a C with too few tiles to keep many threads busy (the MLP's 512x10 layer,
// K = 4096 with small M and N): `parts` ranges of `part_len` (the last shorter), each part's
// product computed into its own scratch and the parts added into C in order. A pure function of
// the shape, so every element is the same sum of the same parts at any thread count.
struct KSplit {
  int64_t parts, part_len;
  int64_t k0(int64_t p) const { return p * part_len; }
  int64_t k1(int64_t p, int64_t k) const { return std::min<int64_t>(k, (p + 1) * part_len); }
};

// At most this many floats (or doubles) of partial sums, all parts together.
constexpr int64_t kMaxKSplitScratch = int64_t{1} << 20;

// parts == 1 (no split) unless C (batch x m x n, tiles of row_step x col_step) has fewer tiles
// than the items its flops afford at the most threads the split plans for; c_shared: never.
KSplit make_k_split(int64_t batch, int64_t m, int64_t n, int64_t k, bool c_shared, int64_t row_step,
                    int64_t col_step);

// The split of C that each part of K gets (all parts the same), for `want` items in all: with
// parts, at least want / parts items each (fewer only when every tile is one), so the parts'
// items together occupy the threads; without, make_split's.
Split make_part_split(const KSplit& ks, int64_t want, int64_t batch, int64_t m, int64_t n,
                      bool c_shared, int64_t row_step, int64_t col_step, bool rows_first);

// The split of the packed loops (A packed), whose every item packs its own copy of its rows of A
// for each block of its columns, and of its columns of B, so extra items repeat that work (C 256 x
// 256 with K = 4096 ran at 0.7x the speed in 8 items on 2 threads as in 2): make_part_split's for
// the fewest items per thread (1, 2, then want's 4) that still deal the threads balanced loads in
// whole steps, columns first or rows first, whichever packs less (a large A over a narrow C, as a
// ResNet's deep layers at batch 1, is cut by rows so that A is packed once).
Split make_packed_split(const KSplit& ks, int64_t want, int64_t threads, int64_t batch, int64_t m,
                        int64_t n, int64_t k, bool c_shared, int64_t row_step, int64_t col_step);

// The split of gemm.cc's resident-B path, which computes Cᵀ (n x m) with B's columns (a weight's
// rows) read in place: K split as the packed loops split C (m x n), so the sums are theirs; Cᵀ cut
// rows first, so each item reads its own rows of the weight and packs all of A's few rows.
struct PartSplit {
  KSplit ks;
  Split split;
};
PartSplit make_resident_b_split(int64_t batch, int64_t m, int64_t n, int64_t k, bool c_shared,
                                int64_t want, int64_t row_step, int64_t col_step);

}  // namespace torchlet
