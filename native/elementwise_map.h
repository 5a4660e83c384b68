// The strided drivers of the elementwise ops, for any element type T: coalesce the views
// (strided.h), cut the flat range into fixed chunks for the pool, and per innermost run call a
// contiguous kernel directly (contiguous or stride-0 operands) or through small gather/scatter
// buffers (any other stride), so every element takes one code path whatever its layout.
// Baseline code only (included by elementwise.cc and elementwise_f64.cc, never by an ISA file).
// ref: ggml's binary-ops.cpp (contiguous + broadcast fast paths, general strided path behind).
#pragma once

#include <cstdint>

#include "elementwise.h"
#include "ops.h"
#include "strided.h"

namespace torchlet {
namespace ewmap {

constexpr int64_t kBuf = 256;  // elements per gather/scatter buffer

inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

template <class T>
void gather_run(T* dst, const T* src, int64_t stride, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i * stride];
}
template <class T>
void scatter_run(T* dst, int64_t stride, const T* src, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i * stride] = src[i];
}

// m elements of an input for a kernel: in place if contiguous, gathered into buf otherwise.
template <class T>
const T* input_chunk(const T* p, int64_t stride, int64_t m, T* buf) {
  if (stride == 1) return p;
  gather_run(buf, p, stride, m);
  return buf;
}

// Runs fn(in, out, m) (a contiguous kernel) over out = f(x), any strides.
template <class T, class Fn>
void map_unary(const OpContext& c, const View& x, const View& out, int64_t grain, const Fn& fn) {
  const View* vs[2] = {&out, &x};
  const Layout<2> L = make_layout(vs);
  T* y0 = out.at<T>();
  const T* x0 = x.at<T>();
  const int64_t sy = L.inner_stride(0), sx = L.inner_stride(1);
  parallel_range(c, out.numel(), grain, [&](int64_t begin, int64_t end) {
    for_each_run(L, begin, end, [&](const int64_t* off, int64_t len) {
      T* y = y0 + off[0];
      const T* xp = x0 + off[1];
      if (sy == 1 && sx == 1) return fn(xp, y, len);
      alignas(64) T bx[kBuf], by[kBuf];
      for (int64_t i = 0; i < len; i += kBuf) {
        const int64_t m = min64(kBuf, len - i);
        const T* in = input_chunk(xp + i * sx, sx, m, bx);
        if (sy == 1) {
          fn(in, y + i, m);
        } else {
          fn(in, by, m);
          scatter_run(y + i * sy, sy, by, m);
        }
      }
    });
  });
}

// out = call(case, a, b, y, n) for inputs of type T, where call runs the contiguous kernel of that
// BroadcastCase; TOut is T (arithmetic) or uint8_t (comparisons).
template <class T, class TOut, class Call>
void map_binary(const OpContext& c, const Call& call, const View& a, const View& b, const View& out,
                int64_t grain) {
  const View* vs[3] = {&out, &a, &b};
  const Layout<3> L = make_layout(vs);
  TOut* y0 = out.at<TOut>();
  const T* a0 = a.at<T>();
  const T* b0 = b.at<T>();
  const int64_t sy = L.inner_stride(0), sa = L.inner_stride(1), sb = L.inner_stride(2);
  parallel_range(c, out.numel(), grain, [&](int64_t begin, int64_t end) {
    for_each_run(L, begin, end, [&](const int64_t* off, int64_t len) {
      TOut* y = y0 + off[0];
      const T* pa = a0 + off[1];
      const T* pb = b0 + off[2];
      // Fast path: contiguous output, inputs contiguous or broadcast (not both broadcast).
      if (sy == 1 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1) && (sa | sb) != 0) {
        return call(sa == 0 ? kSV : (sb == 0 ? kVS : kVV), pa, pb, y, len);
      }
      alignas(64) T ba[kBuf], bb[kBuf];
      alignas(64) TOut by[kBuf];
      // A broadcast b stays a scalar; a is gathered unless contiguous (also when both broadcast).
      const int bc = sb == 0 ? kVS : kVV;
      for (int64_t i = 0; i < len; i += kBuf) {
        const int64_t m = min64(kBuf, len - i);
        const T* ia = input_chunk(pa + i * sa, sa, m, ba);
        const T* ib = sb == 0 ? pb : input_chunk(pb + i * sb, sb, m, bb);
        if (sy == 1) {
          call(bc, ia, ib, y + i, m);
        } else {
          call(bc, ia, ib, by, m);
          scatter_run(y + i * sy, sy, by, m);
        }
      }
    });
  });
}

}  // namespace ewmap
}  // namespace torchlet
