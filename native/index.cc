// gather (torch.gather) and scatter_add (torch.Tensor.scatter_add_) along one dim, float32 data
// with int64 (Float64Array) indices. Every index is checked before anything is written, so a bad
// index throws (RangeError in JS) and leaves out untouched.
// NOTE: scatter_add runs each line along `dim` serially, in order: lines never share an output
// element, so the sums come out bit-identical to a serial loop for any thread count.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "ops.h"
#include "strided.h"

namespace torchlet {
namespace {

inline int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

std::string shape_index(const View& v, int64_t flat) {
  std::string s = "[";
  int64_t idx[kMaxDims];
  for (int d = v.ndim - 1; d >= 0; --d) {
    idx[d] = flat % v.shape[d];
    flat /= v.shape[d];
  }
  for (int d = 0; d < v.ndim; ++d) s += (d ? "," : "") + std::to_string(idx[d]);
  return s + "]";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// Throws std::out_of_range naming the first index (row-major) that isn't an integer in [0, size),
// in PyTorch's words (as the JS backend words it, lib/backend/js/gather.ts), plus where it sits.
void check_indices(const char* op, const View& index, int dim, int64_t size) {
  const double* p0 = index.at<double>();
  // Row-major order over the index's own dims, so the message names the first bad one.
  const int64_t n = index.numel();
  int64_t idx[kMaxDims] = {};
  int64_t off = 0;
  for (int64_t flat = 0; flat < n; ++flat) {
    const double v = p0[off];
    if (!(v >= 0 && v < static_cast<double>(size) && v == static_cast<double>(static_cast<int64_t>(v)))) {
      throw std::out_of_range(std::string(op) + "(): index " + number(v) + " is out of bounds for dimension " +
                              std::to_string(dim) + " with size " + std::to_string(size) + " (at index position " +
                              shape_index(index, flat) + ")");
    }
    for (int d = index.ndim - 1; d >= 0; --d) {
      off += index.strides[d];
      if (++idx[d] < index.shape[d]) break;
      off -= index.shape[d] * index.strides[d];
      idx[d] = 0;
    }
  }
}

}  // namespace

void gather(const OpContext& c, const View& x, int dim, const View& index, const View& out) {
  if (out.numel() == 0) return;
  check_indices("gather", index, dim, x.shape[dim]);
  View xk = out;  // x's strides over out's shape, with `dim` supplied by the index
  xk.data = x.data;
  xk.offset = x.offset;
  for (int d = 0; d < x.ndim; ++d) xk.strides[d] = d == dim ? 0 : x.strides[d];
  const View* vs[3] = {&out, &index, &xk};
  const Layout<3> L = make_layout(vs);
  float* y0 = out.at<float>();
  const double* i0 = index.at<double>();
  const float* x0 = x.at<float>();
  const int64_t sdim = x.strides[dim];
  parallel_range(c, out.numel(), kGrainCheap, [&](int64_t b, int64_t e) {
    for_each_run(L, b, e, [&](const int64_t* off, int64_t len) {
      for (int64_t i = 0; i < len; ++i) {
        const int64_t j = static_cast<int64_t>(i0[off[1] + i * L.inner_stride(1)]);
        y0[off[0] + i * L.inner_stride(0)] = x0[off[2] + i * L.inner_stride(2) + j * sdim];
      }
    });
  });
}

void scatter_add(const OpContext& c, const View& out, int dim, const View& index, const View& src) {
  if (index.numel() == 0) return;
  check_indices("scatter_add", index, dim, out.shape[dim]);
  const int64_t n = index.shape[dim];
  // One element per line along `dim`: index and src with that dim cut to 1, out's strides over it.
  View ik = index, sk = src, ok = index;
  ik.shape[dim] = sk.shape[dim] = ok.shape[dim] = 1;
  ok.data = out.data;
  ok.offset = out.offset;
  for (int d = 0; d < out.ndim; ++d) ok.strides[d] = out.strides[d];
  const View* vs[3] = {&ik, &sk, &ok};
  const Layout<3> L = make_layout(vs);
  const double* i0 = index.at<double>();
  const float* s0 = src.at<float>();
  float* y0 = out.at<float>();
  const int64_t is = index.strides[dim], ss = src.strides[dim], os = out.strides[dim];
  parallel_range(c, ik.numel(), max64(1, kGrainCheap / n), [&](int64_t b, int64_t e) {
    for_each_run(L, b, e, [&](const int64_t* off, int64_t len) {
      for (int64_t q = 0; q < len; ++q) {
        const double* ip = i0 + off[0] + q * L.inner_stride(0);
        const float* sp = s0 + off[1] + q * L.inner_stride(1);
        float* yp = y0 + off[2] + q * L.inner_stride(2);
        for (int64_t j = 0; j < n; ++j) {
          float& y = yp[static_cast<int64_t>(ip[j * is]) * os];
          y = y + sp[j * ss];
        }
      }
    });
  });
}

}  // namespace torchlet
