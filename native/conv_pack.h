// matmul_unfolded: a batched GEMM whose B is a convolution's column matrix that is never stored.
// B is given as a 7-D view [G, C, kh, kw, N, OH, OW] of the (padded) image, read as the matrix
// [G, C*kh*kw, N*OH*OW]; the GEMM's B panels are packed straight from it (gemm.h: GemmBPackerT).
// For a stride-1 window over a zero-padded image (lib/ops/conv_padded_rows.ts) each row (c, i, j)
// of a panel is a few contiguous runs of the image (one per output row it touches, or one per image
// in the padded-row layout, OH = 1), so packing is a few copies per row, and the K*N columns are
// never written out and read back. Results are bit for bit those of matmul on the copied columns.
// Not here: the GEMM (gemm.cc), choosing when this pays (lib/ops/conv_implicit.ts).
#pragma once

#include "ops.h"

namespace torchlet {

// a: [G, M, K]; b: [G, C, kh, kw, N, OH, OW] with K = C*kh*kw; out: [G, M, N*OH*OW] contiguous
// (out += a b when accumulate). float32 or float64 (a, b and out alike).
void matmul_unfolded(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate);

}  // namespace torchlet
