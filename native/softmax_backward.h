// Softmax's backward over contiguous float32 rows, fused: dx = y·(g - Σ y·g) per row, in one pass
// for the sum and one for the output (the composition it replaces made three full-size
// temporaries). The per-ISA row kernel (softmax_backward_row.h, compiled in
// softmax_backward_<isa>.cc) and the dispatch over rows (softmax.cc). Semantics and operation
// order: lib/backend/js/softmax_backward.ts.
#pragma once

#include <cstdint>

#include "isa.h"
#include "ops.h"

namespace torchlet {

// One row of n >= 1 elements: out[j] = y[j]·(g[j] - s), s = float(Σ y·g). out may be g, never y.
using SoftmaxBackwardRowFn = void (*)(const float* y, const float* g, float* out, int64_t n);
SoftmaxBackwardRowFn softmax_backward_row_scalar();
#if defined(__x86_64__) || defined(_M_X64)
SoftmaxBackwardRowFn softmax_backward_row_avx2();
SoftmaxBackwardRowFn softmax_backward_row_avx512();
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
SoftmaxBackwardRowFn softmax_backward_row_neon();
#endif

// Rows of the last dim; y, g and out contiguous float32 with the same shape (out may be g).
void softmax_backward(const OpContext& c, const View& y, const View& g, const View& out);

}  // namespace torchlet
