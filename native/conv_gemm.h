// The GEMMs of conv2d whose A is a weight matrix (forward: W x cols; input gradient: Wᵀ x dY),
// split by conv2d itself into (batch, row block, column block) items, each run on one thread
// as one small GEMM that reads its rows of A in place (gemm.cc's path for at most 128 rows).
// Why: the GEMM's own split cuts C by columns first and every item of its packed path (more than
// 128 rows) packs ALL of A again; with conv's narrow C (batch 1, the 7x7 and 14x14 layers) that
// packing costs a third of the multiply, and more of it on every extra thread. Here no item packs
// A, and the split weighs A's and B's traffic to pick row against column blocks.
// Not here: the GEMM kernels and their own split (gemm*.cc), im2col (conv.h).
#pragma once

#include <cstdint>

#include "ops.h"

namespace torchlet {

// Items of a [batch, m, n] C: item t covers batch t / (row_blocks * col_blocks), row block
// (t / col_blocks) % row_blocks, column block t % col_blocks. A dimension is cut into whole units
// (kRowUnit rows, kColUnit columns; the last unit takes the remainder) and the units are shared
// out evenly between the blocks (conv_gemm_block).
struct ConvGemmSplit {
  int64_t row_blocks, col_blocks;
  int64_t items(int64_t batch) const { return batch * row_blocks * col_blocks; }
};
constexpr int64_t kRowUnit = 8;    // the microkernels' MR (or a multiple of it)
constexpr int64_t kColUnit = 32;   // the widest NR
// Rows of A one item may read in place: gemm.cc packs A above 128 rows (kSmallM).
constexpr int64_t kMaxItemRows = 128;

// The split of C = A [m, k] x B [k, n] (per batch) for `threads` threads: the cheapest by a cost
// of makespan plus re-read traffic (conv_gemm.cc), at most 128 rows per block, and no more
// items than the GEMM would make of the same work (gemm_items_wanted).
// NOTE: a row block is split off only with more than 16 rows, a column block with 32 or more
// columns. The GEMM takes its dot-product form (a different summation order) only for operands
// with at most 16 rows or columns, so then an item takes it exactly when the whole problem would,
// and the result is the same for every thread count. Pure, for the tests (binding_conv.inc).
ConvGemmSplit conv_gemm_split(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t threads);

// [begin, end) of block `i` of `blocks` over `len` elements cut in units of `unit`.
void conv_gemm_block(int64_t len, int64_t unit, int64_t blocks, int64_t i, int64_t* begin, int64_t* end);
// Units of `unit` in `len` (at least one; the last takes the remainder).
int64_t conv_gemm_units(int64_t len, int64_t unit);

// Whether conv2d's split pays over the GEMM's own: only above 128 rows (below, the GEMM reads A in
// place itself), and only when it re-reads clearly less of A and B than the GEMM's items pack
// (the narrow C of batch 1 and the deep layers; a wide C amortises the GEMM's packing of A, and
// reading B in place once per row block costs more). Measured: scripts/conv_gemm_ab.ts.
bool conv_gemm_pays(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t threads);

// out [B, M, N] (+)= a [B, M, K] x b [B, K, N], float32, any strides; the matmul of ops.h, with
// conv2d's split where conv_gemm_pays. Each item then calls gemm_f32 nested in the pool (so it
// runs on the thread that claimed it).
void conv_matmul(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate);

}  // namespace torchlet
