// The primitives of lib/backend/types.ts (Backend) as plain C++ over checked Views: what the binding
// calls after validating memory, dtypes and shapes. They know nothing of N-API; a bad index found
// while running (gather/scatterAdd) is a std::out_of_range, which the binding makes a RangeError.
// ref: candle's storage layer (candle-core/src/storage.rs): shapes resolved above, kernels below.
#pragma once

#include <cstddef>
#include <cstdint>

#include "elementwise.h"
#include "isa.h"
#include "pool.h"
#include "view.h"

namespace torchlet {

struct OpContext {
  Isa isa;            // for gemm_f32
  const Kernels* k;   // kernels_for(isa)
  ThreadPool* pool;   // never null
};

// Element counts below which work stays on the calling thread (one chunk of parallel_for).
// NOTE: chunk sizes are constants, never derived from the thread count, so results can't depend on it.
constexpr int64_t kGrainCheap = 32768;      // add, copy, compare, ...
constexpr int64_t kGrainExpensive = 4096;   // exp, tanh, pow, ...

// parallel_for over [0, n) in chunks of `grain`, or inline when it is one chunk; fn must not throw.
template <class Fn>
void parallel_range(const OpContext& c, int64_t n, int64_t grain, const Fn& fn) {
  if (n <= grain) {
    if (n > 0) fn(int64_t{0}, n);
    return;
  }
  c.pool->parallel_for(static_cast<size_t>(n), static_cast<size_t>(grain),
                       [&fn](size_t b, size_t e) { fn(static_cast<int64_t>(b), static_cast<int64_t>(e)); });
}

// Dtype rules (checked by the binding): float32 everywhere unless noted.
void fill(const OpContext& c, const View& out, double value);                 // any dtype
void copy(const OpContext& c, const View& x, const View& out);                // any dtype pair
void unary(const OpContext& c, int op, const View& x, const View& out);
void clamp(const OpContext& c, const View& x, float lo, float hi, const View& out);
// Arithmetic: float32 -> float32; comparisons: float32 -> bool; logical: bool -> bool.
void binary(const OpContext& c, int op, const View& a, const View& b, const View& out);
void where(const OpContext& c, const View& cond, const View& a, const View& b, const View& out);
// out = result <= 0 ? 0 : grad (relu's backward from its result, PyTorch's threshold_backward);
// float32, same shapes (any strides; out may be grad itself).
void relu_backward(const OpContext& c, const View& grad, const View& result, const View& out);
// out = a + alpha * b, one rounding (b may be broadcast; out may be a).
void add_scaled(const OpContext& c, const View& a, const View& b, float alpha, const View& out);
// One Adam update in place over same-shape views; vmax is null unless amsgrad.
void adam_step(const OpContext& c, const View& p, const View& g, const View& m, const View& v,
               const View* vmax, const AdamConsts& k);
// out: x's ndim, size 1 in reduced dims (keepdim layout).
void reduce(const OpContext& c, int op, const View& x, const View& out);
// out: int64 (Float64Array) of x's shape with size 1 at dim.
void arg_reduce(const OpContext& c, int op, const View& x, int dim, const View& out);
// [B,M,K] x [B,K,N] -> [B,M,N]; accumulate: out += a b.
void matmul(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate);
// Rows of the last dim; x and out contiguous with the same shape.
void softmax(const OpContext& c, const View& x, const View& out, bool log);
// index: int64 with out's shape (gather) or src's shape (scatter_add).
void gather(const OpContext& c, const View& x, int dim, const View& index, const View& out);
void scatter_add(const OpContext& c, const View& out, int dim, const View& index, const View& src);

}  // namespace torchlet
