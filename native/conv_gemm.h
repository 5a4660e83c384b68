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
// (t / col_blocks) % row_blocks, column block t % col_blocks. Blocks are runs of whole units
// (kRowUnit rows, kColUnit columns) shared out evenly, so block sizes differ by one unit at most.
struct ConvGemmSplit {
  int64_t row_blocks, col_blocks;
  int64_t items(int64_t batch) const { return batch * row_blocks * col_blocks; }
};
constexpr int64_t kRowUnit = 8;    // the microkernels' MR (or a multiple of it)
constexpr int64_t kColUnit = 32;   // the widest NR
// Rows of A one item may read in place: gemm.cc packs A above 128 rows (kSmallM).
constexpr int64_t kMaxItemRows = 128;

// The split of C = A [m, k] x B [k, n] (per batch) for `threads` threads. a_bytes / b_bytes: what
// one item re-reads when the other dimension is split (A's rows, B's columns), to weigh the two.
// Every row block has more than 16 rows unless m has at most 32, every column block more than 32
// columns unless n has fewer than 64: then no item takes the GEMM's dot-product form unless the
// whole problem would, so the result is the same for any thread count.
ConvGemmSplit conv_gemm_split(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t threads);

// [begin, end) of block `i` of `blocks` over `len` elements cut in units of `unit`.
void conv_gemm_block(int64_t len, int64_t unit, int64_t blocks, int64_t i, int64_t* begin, int64_t* end);

// out [B, M, N] (+)= a [B, M, K] x b [B, K, N], float32, any strides; the matmul of ops.h with
// conv2d's split. Each item calls gemm_f32 nested in the pool (so it runs on its own thread).
void conv_matmul(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate);

}  // namespace torchlet
