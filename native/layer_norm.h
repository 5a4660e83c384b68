// LayerNorm over the rows of a contiguous float32 x [M, D]: the forward (mean and rstd per row, then
// y = ((x - mean)·rstd)·w + b) and the backward (dx, and dweight/dbias summed over rows). Rows run
// in parallel; each row's sums are one kernel call's, and the column sums of the backward go by
// blocks of rows fixed by the shape (layer_norm_block_rows), combined in block order, so the bits
// never depend on the thread count. Semantics and operation order: lib/backend/js/layer_norm.ts.
#pragma once

#include <cstdint>

#include "isa.h"
#include "ops.h"

namespace torchlet {

// The per-ISA row kernels (layer_norm_rows.h, compiled once per ISA in layer_norm_<isa>.cc).
struct LayerNormKernels {
  // Rows [0, rows) of x, D elements each: mean[r], rstd[r] and y's row; w and b may be null.
  void (*forward)(const float* x, const float* w, const float* b, float* y, float* mean, float* rstd,
                  int64_t rows, int64_t D, double eps);
  // Rows [0, rows): dx's rows (dx may be null), and pw[j] += dy·xh, pb[j] += dy over the rows in
  // order (pw, pb may be null); w may be null.
  void (*backward)(const float* x, const float* dy, const float* mean, const float* rstd, const float* w,
                   float* dx, double* pw, double* pb, int64_t rows, int64_t D);
};

const LayerNormKernels& layer_norm_kernels_scalar();
#if defined(__x86_64__) || defined(_M_X64)
const LayerNormKernels& layer_norm_kernels_avx2();
const LayerNormKernels& layer_norm_kernels_avx512();
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
const LayerNormKernels& layer_norm_kernels_neon();
#endif

// Rows per block of the backward's column sums (js/layer_norm.ts layerNormBlockRows).
int64_t layer_norm_block_rows(int64_t M, int64_t D);

// x, y: [M, D] contiguous float32; w, b: D floats or null; mean, rstd: M floats.
void layer_norm_forward(const OpContext& c, const View& x, const float* w, const float* b, double eps,
                        const View& y, float* mean, float* rstd);
// x, dy: [M, D]; dx: [M, D] or null; dw, db: D floats or null (not wanted).
void layer_norm_backward(const OpContext& c, const View& x, const View& dy, const float* mean, const float* rstd,
                         const float* w, float* dx, float* dw, float* db);

}  // namespace torchlet
