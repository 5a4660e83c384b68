// The GEMM's work split (gemm_partition.h).
#include "gemm_partition.h"

#include <algorithm>
#include <vector>

namespace torchlet {

namespace {

// The least work (flops) worth handing to another thread.
constexpr double kMinItemFlops = 2.0e5;

// The K split plans items for up to this many threads (issue 16: users run on 16-64 cores). It
// can't plan for the pool's thread count, as then the parts, and so the rounding, would follow it.
constexpr int64_t kPlannedThreads = 64;
// A part shorter than this costs more in loading and storing its C tiles than it saves; parts
// are whole multiples of kPartStep so the dot form's vectors along K start on the same lanes.
constexpr int64_t kMinPartK = 128;
constexpr int64_t kPartStep = 16;

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
  // NOTE: one thread runs every item itself, so more items only repeat work: each item of the
  // packed path packs its own copy of A (or B), 4x over for the K=4096 shapes of issue 16.
  if (threads <= 1) return 1;
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
  // NOTE: the second dimension is cut for the items the first gives after rounding to whole
  // steps (16 column steps wanted in 13 items are 8 items of 2 steps: rows then make up the rest).
  if (rows_first) {
    m_split = ceil_div(row_steps, ceil_div(row_steps, std::min<int64_t>(row_steps, per_batch)));
    n_split = std::min<int64_t>(col_steps, ceil_div(per_batch, m_split));
  } else {
    n_split = ceil_div(col_steps, ceil_div(col_steps, std::min<int64_t>(col_steps, per_batch)));
    m_split = std::min<int64_t>(row_steps, ceil_div(per_batch, n_split));
  }
  s.cols_per_item = ceil_div(col_steps, n_split) * col_step;
  s.rows_per_item = ceil_div(row_steps, m_split) * row_step;
  s.n_split = ceil_div(n, s.cols_per_item);
  s.m_split = ceil_div(m, s.rows_per_item);
  return s;
}

KSplit make_k_split(int64_t batch, int64_t m, int64_t n, int64_t k, bool c_shared, int64_t row_step,
                    int64_t col_step) {
  KSplit ks{1, std::max<int64_t>(k, 1)};
  if (c_shared || k < 2 * kMinPartK) return ks;
  const double flops = 2.0 * static_cast<double>(batch) * static_cast<double>(m) *
                       static_cast<double>(n) * static_cast<double>(k);
  const int64_t affordable = static_cast<int64_t>(flops / kMinItemFlops);
  const int64_t target = std::min(kPlannedThreads, affordable);
  // NOTE: in double, as batch * m * n of a huge (shared-memory) C could overflow int64.
  const double tiles_d = static_cast<double>(batch) * static_cast<double>(ceil_div(m, row_step)) *
                         static_cast<double>(ceil_div(n, col_step));
  if (tiles_d >= static_cast<double>(target)) return ks;
  const int64_t tiles = static_cast<int64_t>(tiles_d);  // < 64 here, so batch * m * n is small
  int64_t parts = ceil_div(target, tiles);
  parts = std::min(parts, k / kMinPartK);
  parts = std::min(parts, kMaxKSplitScratch / (batch * m * n));
  if (parts <= 1) return ks;
  ks.part_len = ceil_div(ceil_div(k, parts), kPartStep) * kPartStep;
  ks.parts = ceil_div(k, ks.part_len);
  return ks;
}

Split make_part_split(const KSplit& ks, int64_t want, int64_t batch, int64_t m, int64_t n,
                      bool c_shared, int64_t row_step, int64_t col_step, bool rows_first) {
  if (ks.parts == 1) return make_split(batch, m, n, c_shared, want, row_step, col_step, rows_first);
  const int64_t share = ceil_div(want, ks.parts);
  const int64_t tiles = batch * ceil_div(m, row_step) * ceil_div(n, col_step);  // < 64 (make_k_split)
  Split s = make_split(batch, m, n, c_shared, share, row_step, col_step, rows_first);
  // NOTE: whole steps can give fewer items than asked (3 of 4 row steps are 2 items of 2 steps);
  // ask for more until the share is reached, or every tile is an item.
  for (int64_t q = share + 1; static_cast<int64_t>(s.items()) < share && q <= tiles; ++q) {
    s = make_split(batch, m, n, c_shared, q, row_step, col_step, rows_first);
  }
  return s;
}

namespace {

// The busiest thread's load over the mean of the threads the items occupy, items dealt round-robin
// as ThreadPool::parallel_for deals them, part after part of K (each part has the same items).
double imbalance(const Split& s, int64_t parts, int64_t threads, int64_t batch, int64_t m, int64_t n) {
  const size_t items = s.items(), all = items * static_cast<size_t>(parts);
  const int64_t used = std::min<int64_t>(threads, static_cast<int64_t>(all));
  std::vector<double> load(static_cast<size_t>(used), 0.0);
  double total = 0;
  for (size_t t = 0; t < all; ++t) {
    const Item it = s.item(t % items, batch, m, n);
    const double area = static_cast<double>(it.b1 - it.b0) * static_cast<double>(it.i1 - it.i0) *
                        static_cast<double>(it.j1 - it.j0);
    load[t % static_cast<size_t>(used)] += area;
    total += area;
  }
  return *std::max_element(load.begin(), load.end()) / (total / static_cast<double>(used));
}

// Loads this close to even are balanced enough to skip the extra items' packing.
constexpr double kPackedMaxImbalance = 1.15;
// What packing one element of A or B costs, in flops of the microkernel: the element comes from L3
// or memory (an operand larger than L2 is packed again by every item that needs it) and is
// written once. Measured on Zen 4 at 2 threads: ResNet-18's layer3 at batch 1 (C 256 x 196,
// K 2304) cut by columns into 14 items packed A seven times, ~2.6M elements per thread, and took
// ~1.1 ms more than its flops at full rate: ~1.6 cycles (~50 flops) per element; from L2 it is
// less, so a round figure below that.
constexpr double kPackFlopsPerElement = 32.0;

// Cost of a split of the packed loops, in flops: the busiest thread's multiply-adds (skew: its load
// over the mean, imbalance()) plus its share of the packing (every item packs its rows of A and its
// columns of B, per part of K).
double packed_cost(const Split& s, double skew, int64_t parts, int64_t threads, int64_t batch, int64_t m,
                   int64_t n, int64_t k) {
  const double used = static_cast<double>(std::min<int64_t>(threads, static_cast<int64_t>(s.items()) * parts));
  const double flops = 2.0 * static_cast<double>(batch) * static_cast<double>(m) * static_cast<double>(n) *
                       static_cast<double>(k);
  const double packed = static_cast<double>(batch) * static_cast<double>(k) *
                        (static_cast<double>(s.n_split) * static_cast<double>(m) +
                         static_cast<double>(s.m_split) * static_cast<double>(n));
  return (skew * flops + kPackFlopsPerElement * packed) / used;
}

// The cheapest split offered so far.
struct Cheapest {
  Split split{};
  double cost = 0.0;
  bool set = false;
  void offer(const Split& s, double c) {
    if (!set || c < cost) *this = {s, c, true};
  }
};

}  // namespace

Split make_packed_split(const KSplit& ks, int64_t want, int64_t threads, int64_t batch, int64_t m,
                        int64_t n, int64_t k, bool c_shared, int64_t row_step, int64_t col_step) {
  // Candidates: 1 or 2 items per thread, or `want`, cut columns first (each item packs its part
  // of B and all of A's rows) or rows first (its rows of A and all of B). The cheapest of those
  // that deal balanced loads, else the cheapest at `want` items; the fewest items and columns
  // first on a tie.
  Cheapest balanced, at_want;
  for (int64_t items : {threads, 2 * threads, want}) {
    if (items > want) continue;
    for (bool rows_first : {false, true}) {
      const Split s = make_part_split(ks, items, batch, m, n, c_shared, row_step, col_step, rows_first);
      const double skew = imbalance(s, ks.parts, threads, batch, m, n);
      const double cost = packed_cost(s, skew, ks.parts, threads, batch, m, n, k);
      if (items == want) at_want.offer(s, cost);
      if (skew <= kPackedMaxImbalance) balanced.offer(s, cost);
    }
  }
  return balanced.set ? balanced.split : at_want.split;
}

PartSplit make_resident_b_split(int64_t batch, int64_t m, int64_t n, int64_t k, bool c_shared,
                                int64_t want, int64_t row_step, int64_t col_step) {
  const KSplit ks = make_k_split(batch, m, n, k, c_shared, row_step, col_step);
  return {ks, make_part_split(ks, want, batch, n, m, c_shared, row_step, col_step, true)};
}

}  // namespace torchlet
