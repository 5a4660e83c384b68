// im2col and col2im for NCHW float32 convolutions: the column matrix of a 2-D sliding window (each
// channel's kernel taps as rows, output positions as columns) and its adjoint, which sums the
// columns back into the image. The GEMMs around them run through matmul (gemm.h) from TypeScript.
// Not here: padding modes other than zeros (the frontend pads), the GEMM itself, dtypes but float32.
// ref: Caffe's im2col_cpu / col2im_cpu (the layout), PyTorch 1.13 aten/src/ATen/native/im2col.h.
#pragma once

#include <cstdint>

#include "ops.h"

namespace torchlet {

// A window over an image: kernel size, the top/left zero padding (bottom/right padding is whatever
// the output size implies), stride and dilation per axis. The output size is the cols view's.
struct ConvGeometry {
  int64_t kh, kw;
  int64_t pad_top, pad_left;
  int64_t stride_h, stride_w;
  int64_t dil_h, dil_w;
};

// x: [N, C, H, W]; cols: [N, C*kh*kw, OH, OW] (any strides: the frontend passes a permuted view
// for its [C*kh*kw, N, OH*OW] layout). cols[n][(c*kh+i)*kw+j][oy][ox] =
// x[n][c][oy*sh - pt + i*dh][ox*sw - pl + j*dw], 0 outside the image. Tasks split over the rows (n, c, i, j).
void im2col(const OpContext& c, const View& x, const View& cols, const ConvGeometry& g);

// The adjoint: out [N, C, H, W] is overwritten with the sum of every cols element at the pixel it
// was read from. Each (n, c) plane is one task that sums in a fixed order (i, j, oy, ox), so the
// result is the same for any thread count, and equals the JS twin (lib/backend/js/conv.ts) bit for bit.
void col2im(const OpContext& c, const View& cols, const View& out, const ConvGeometry& g);

}  // namespace torchlet
