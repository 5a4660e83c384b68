// conv2d's stride-1 forward through the implicit GEMM over a whole batch: the batch in chunks of
// images, each chunk a pipeline of four steps on its own buffers (the images copied into a
// zero-padded plane, the bias broadcast into the product rows, the GEMM packing its columns from
// the padded planes, the product copied out to NCHW). lib/ops/conv_padded_rows.ts runs the same
// steps chunk after chunk through the backend; this runs them here.
// Why: split inside each step, every step hands its data to the other cores (the padded planes the
// GEMM packs on every thread are then rewritten by the next copy on one), and the three copies of a
// chunk, too small to split, run on one core while the others wait: on 2 threads the CNN's conv2
// (64 images of 32x14x14) ran its input copies 3x slower than on 1. With chunks enough for every
// thread, each thread runs whole chunks, its data staying in its own caches; otherwise the chunks
// run one after another with each step split, as before.
// Results are bit for bit those of the step-by-step loop at any thread count: every chunk is the
// same GEMM on the same data whichever thread runs it (gemm.h), and the copies are exact.
// Not here: choosing the chunk size and column layout (conv_padded_rows.ts, conv_implicit.ts).
#pragma once

#include <cstdint>

#include "ops.h"

namespace torchlet {

struct PaddedConvGeometry {
  int64_t kh, kw, dil_h, dil_w;
  int64_t pad_top, pad_left;
  int64_t hp, wp;            // the padded plane: OH + dil_h*(kh-1) rows of OW + dil_w*(kw-1)
  int64_t groups;
  int64_t images_per_chunk;  // at least 1
  bool exact;                // columns are the outputs (OW per row), else the padded rows (Wp per row)
};

// Whether the chunks run one per thread at a time: enough of them that the busiest thread does
// at most 15% more than its share. Pure, for the tests.
bool padded_conv_chunks_in_parallel(int64_t chunks, int64_t threads);

// out [N, O, OH, OW] (contiguous) = conv2d(x [N, C, H, W], weight [G, O/G, (C/G)*kh*kw]
// (contiguous)) + bias [O] (null: none; element o at bias[o * bias_stride]); float32. The caller
// checks shapes: H + pad_top <= hp, W + pad_left <= wp, OH = hp - dil_h*(kh-1), OW likewise.
void conv_padded_forward(const OpContext& c, const View& x, const View& weight, const float* bias,
                         int64_t bias_stride, const View& out, const PaddedConvGeometry& g);

}  // namespace torchlet
