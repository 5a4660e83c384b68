// The float64 elementwise ops over checked Views (views of Dtype::kFloat64), beside ops.h's
// float32 ones; the binding picks by dtype. reduce, arg_reduce and matmul of ops.h take float64
// views themselves. Same op codes, same shape rules, same determinism (thread count never matters).
#pragma once

#include "ops.h"

namespace torchlet {

void unary_f64(const OpContext& c, int op, const View& x, const View& out);
void clamp_f64(const OpContext& c, const View& x, double lo, double hi, const View& out);
// Arithmetic: float64 -> float64; comparisons: float64 -> bool.
void binary_f64(const OpContext& c, int op, const View& a, const View& b, const View& out);
// Rows of the last dim; x and out contiguous with the same shape.
void softmax_f64(const OpContext& c, const View& x, const View& out, bool log);

}  // namespace torchlet
