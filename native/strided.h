// Iterating N same-shape strided views together: size-1 dims dropped, dims ordered by operand 0's
// strides (the output's, so writes stream), adjacent dims merged where every operand allows, and
// the flat range [begin, end) walked as runs along the innermost dim.
// Baseline code only (no ISA flags): used by the dispatchers, never by the *_<isa>.cc kernels.
// ref: the dimension coalescing of PyTorch's TensorIterator (aten/src/ATen/TensorIterator.cpp).
#pragma once

#include <cstdint>

#include "view.h"

namespace torchlet {

template <int N>
struct Layout {
  int ndim = 1;                        // >= 1; the innermost dim is ndim - 1
  int64_t shape[kMaxDims] = {1};
  int64_t strides[N][kMaxDims] = {};  // strides[operand][dim], in elements
  int64_t inner() const { return shape[ndim - 1]; }
  int64_t inner_stride(int op) const { return strides[op][ndim - 1]; }
};

// The layout of nd dims with sizes shape[d] and strides[o][d] per operand o (any order).
template <int N>
Layout<N> make_layout_dims(int nd_in, const int64_t* shape, const int64_t* const (&strides)[N]) {
  Layout<N> L;
  int dims[kMaxDims];
  int nd = 0;
  for (int d = 0; d < nd_in; ++d)
    if (shape[d] != 1) dims[nd++] = d;
  // Stable insertion sort by operand 0's stride, largest first (row-major order for a contiguous
  // output; a transposed output is still written in memory order).
  for (int i = 1; i < nd; ++i) {
    int d = dims[i], j = i;
    while (j > 0 && strides[0][dims[j - 1]] < strides[0][d]) { dims[j] = dims[j - 1]; --j; }
    dims[j] = d;
  }
  if (nd == 0) {  // a single element
    L.ndim = 1;
    L.shape[0] = 1;
    for (int o = 0; o < N; ++o) L.strides[o][0] = 1;
    return L;
  }
  int out = 0;
  for (int i = 0; i < nd; ++i) {
    const int d = dims[i];
    if (out > 0) {
      // Merge into the previous (outer) dim when outer stride == inner stride * inner size for all.
      bool merge = true;
      for (int o = 0; o < N && merge; ++o) merge = L.strides[o][out - 1] == strides[o][d] * shape[d];
      if (merge) {
        L.shape[out - 1] *= shape[d];
        for (int o = 0; o < N; ++o) L.strides[o][out - 1] = strides[o][d];
        continue;
      }
    }
    L.shape[out] = shape[d];
    for (int o = 0; o < N; ++o) L.strides[o][out] = strides[o][d];
    ++out;
  }
  L.ndim = out;
  return L;
}

// views[0..N) have the same shape (the binding checked it).
template <int N>
Layout<N> make_layout(const View* const (&views)[N]) {
  const int64_t* strides[N];
  for (int o = 0; o < N; ++o) strides[o] = views[o]->strides;
  return make_layout_dims<N>(views[0]->ndim, views[0]->shape, strides);
}

// off[o] = offset of the element with flat row-major index `flat` in operand o.
template <int N>
void offsets_at(const Layout<N>& L, int64_t flat, int64_t* off) {
  for (int o = 0; o < N; ++o) off[o] = 0;
  for (int d = L.ndim - 1; d >= 0; --d) {
    const int64_t i = flat % L.shape[d];
    flat /= L.shape[d];
    for (int o = 0; o < N; ++o) off[o] += i * L.strides[o][d];
  }
}

// Calls f(off, len) for each run of the innermost dim inside the flat row-major range [begin, end)
// of L; off[o] is the element offset of the run's first element in operand o.
template <int N, class F>
void for_each_run(const Layout<N>& L, int64_t begin, int64_t end, F&& f) {
  if (begin >= end) return;
  const int nd = L.ndim;
  const int64_t inner = L.inner();
  int64_t idx[kMaxDims] = {};
  int64_t base[N] = {};
  int64_t rest = begin / inner;
  int64_t col = begin % inner;
  for (int d = nd - 2; d >= 0; --d) {
    idx[d] = rest % L.shape[d];
    rest /= L.shape[d];
    for (int o = 0; o < N; ++o) base[o] += idx[d] * L.strides[o][d];
  }
  int64_t pos = begin;
  while (true) {
    const int64_t len = (inner - col < end - pos) ? inner - col : end - pos;
    int64_t off[N];
    for (int o = 0; o < N; ++o) off[o] = base[o] + col * L.strides[o][nd - 1];
    f(off, len);
    pos += len;
    if (pos >= end) return;
    col = 0;
    for (int d = nd - 2; d >= 0; --d) {  // odometer step over the outer dims
      for (int o = 0; o < N; ++o) base[o] += L.strides[o][d];
      if (++idx[d] < L.shape[d]) break;
      for (int o = 0; o < N; ++o) base[o] -= L.shape[d] * L.strides[o][d];
      idx[d] = 0;
    }
  }
}

}  // namespace torchlet
