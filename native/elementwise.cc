// Elementwise dispatch (fill, copy, unary, clamp, binary, where): coalesce the views (strided.h),
// cut the flat range into fixed chunks for the pool, and per innermost run call the ISA's
// contiguous kernel directly (contiguous or stride-0 operands, e.g. a row-broadcast bias) or
// through small gather/scatter buffers (any other stride), so every element takes one code path.
// ref: ggml's binary-ops.cpp (contiguous + broadcast fast paths, general strided path behind).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "elementwise_map.h"
#include "gemm.h"
#include "ops.h"
#include "strided.h"

namespace torchlet {

const char* const kUnaryOpNames[kNumUnaryOps] = {
    "neg", "exp", "log", "log1p", "sqrt", "abs", "sign", "relu", "sigmoid", "tanh", "erf", "sin",
    "cos", "floor", "ceil", "round", "trunc", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh",
    "acosh", "atanh", "expm1", "exp2", "log2", "log10", "erfc", "erfinv"};
const char* const kBinaryOpNames[kNumBinaryOps] = {
    "add", "sub", "mul", "div", "pow", "maximum", "minimum", "atan2", "hypot", "fmod", "copysign",
    "logaddexp", "logaddexp2", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor"};
const char* const kReduceOpNames[kNumReduceOps] = {"sum", "max", "min"};
const char* const kArgReduceOpNames[kNumArgReduceOps] = {"argmax", "argmin"};

const Kernels& kernels_for(Isa isa) {
  switch (isa) {
#if defined(__x86_64__) || defined(_M_X64)
    case Isa::kAvx2: return kernels_avx2();
    case Isa::kAvx512: return kernels_avx512();
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
    case Isa::kNeon: return kernels_neon();
#endif
    default: return kernels_scalar();
  }
}

namespace {

// The gather/scatter buffers of the strided drivers (elementwise_map.h) serve the loops below too.
using ewmap::gather_run;
using ewmap::kBuf;
using ewmap::min64;
using ewmap::scatter_run;

bool is_expensive_unary(int op) { return is_libm_unary(op); }

// A plain strided loop over N operands of arbitrary element types: fn(off) per element, where
// off[o] is the element offset in operand o. For the ops that are pure data movement.
template <int N, class Fn>
void map_elements(const OpContext& c, const View* const (&vs)[N], const Fn& fn) {
  const Layout<N> L = make_layout(vs);
  parallel_range(c, vs[0]->numel(), kGrainCheap, [&](int64_t begin, int64_t end) {
    for_each_run(L, begin, end, [&](const int64_t* off, int64_t len) {
      int64_t o[N];
      for (int k = 0; k < N; ++k) o[k] = off[k];
      for (int64_t i = 0; i < len; ++i) {
        fn(o);
        for (int k = 0; k < N; ++k) o[k] += L.strides[k][L.ndim - 1];
      }
    });
  });
}

template <class T>
T convert_to(double v);
template <>
float convert_to<float>(double v) { return static_cast<float>(v); }
template <>
double convert_to<double>(double v) { return v; }
template <>
uint8_t convert_to<uint8_t>(double v) { return v != 0.0 ? 1 : 0; }  // NaN != 0: true

template <class T>
void fill_typed(const OpContext& c, const View& out, T value) {
  T* y = out.at<T>();
  const View* vs[1] = {&out};
  const Layout<1> L = make_layout(vs);
  parallel_range(c, out.numel(), kGrainCheap, [&](int64_t begin, int64_t end) {
    for_each_run(L, begin, end, [&](const int64_t* off, int64_t len) {
      T* p = y + off[0];
      const int64_t s = L.inner_stride(0);
      if (s == 1) {
        for (int64_t i = 0; i < len; ++i) p[i] = value;
      } else {
        for (int64_t i = 0; i < len; ++i) p[i * s] = value;
      }
    });
  });
}

// float -> int64 truncates toward zero (NaN and +-inf pass through, as Math.trunc does);
// anything -> bool is x != 0; bool -> number is 0/1; kExact: into float64, no truncation.
template <class TIn, class TOut, bool kExact = false>
TOut convert_element(TIn v) {
  if constexpr (std::is_same<TOut, uint8_t>::value) {
    return v != 0 ? 1 : 0;
  } else if constexpr (!kExact && std::is_same<TIn, float>::value && std::is_same<TOut, double>::value) {
    return std::trunc(static_cast<double>(v));
  } else {
    return static_cast<TOut>(v);
  }
}

// Output rows (of the dim along which the input is contiguous) per work item of a transposing copy.
constexpr int64_t kTransposeRows = 64;

// A float copy whose output runs contiguously along one dim while its input does along another
// (x.t().contiguous(), attention's head-major gradients put back in [L, N, E]). Run by run, each
// input element sits on a cache line of its own that the next run reads again only a whole run
// later, and lines a page apart compete for the same L1 set: 2-3 GB/s. Instead the plane of those
// two dims goes through the ISA's 8x8 transposes (gemm_transpose_f32), whole lines in and out.
// False (nothing done) for any other layout, an ISA without them, or overlapping operands.
bool copy_transposed_f32(const OpContext& c, const Layout<2>& L, const float* x0, float* y0) {
  const int nd = L.ndim;
  if (nd < 2 || L.inner_stride(0) != 1 || L.inner_stride(1) == 1) return false;
  const gemm::TransposeFn transpose = gemm_transpose_f32(c.isa);
  if (transpose == nullptr) return false;
  int t = -1;  // the dim along which x is contiguous
  // NOTE: the elements' extents; no elements, or an overlap (a transpose in place), keeps the plain loop.
  int64_t span_y = 1, span_x = 1;
  for (int d = 0; d < nd; ++d) {
    if (L.shape[d] == 0) return false;
    if (t < 0 && d < nd - 1 && L.strides[1][d] == 1) t = d;
    span_y += (L.shape[d] - 1) * L.strides[0][d];
    span_x += (L.shape[d] - 1) * L.strides[1][d];
  }
  if (t < 0 || (y0 < x0 + span_x && x0 < y0 + span_y)) return false;
  const int64_t inner = L.inner(), rows = L.shape[t];
  const int64_t sy = L.strides[0][t], sx = L.inner_stride(1);
  const int64_t blocks = (rows + kTransposeRows - 1) / kTransposeRows;
  int64_t batch = 1;  // the other dims
  for (int d = 0; d < nd - 1; ++d)
    if (d != t) batch *= L.shape[d];
  const int64_t grain = std::max<int64_t>(1, kGrainCheap / (kTransposeRows * inner));
  parallel_range(c, batch * blocks, grain, [&](int64_t begin, int64_t end) {
    for (int64_t u = begin; u < end; ++u) {
      int64_t rest = u / blocks, oy = 0, ox = 0;
      for (int d = nd - 2; d >= 0; --d) {
        if (d == t) continue;
        const int64_t i = rest % L.shape[d];
        rest /= L.shape[d];
        oy += i * L.strides[0][d];
        ox += i * L.strides[1][d];
      }
      const int64_t r0 = (u % blocks) * kTransposeRows;
      // y[r][j] = x[j][r] for the block's rows r of the output and every j along its runs.
      transpose(inner, std::min(kTransposeRows, rows - r0), x0 + ox + r0, sx, y0 + oy + r0 * sy, sy, false);
    }
  });
  return true;
}

template <class TIn, class TOut, bool kExact = false>
void copy_typed(const OpContext& c, const View& x, const View& out) {
  const TIn* x0 = x.at<TIn>();
  TOut* y0 = out.at<TOut>();
  const View* vs[2] = {&out, &x};
  const Layout<2> L = make_layout(vs);
  const int64_t sy = L.inner_stride(0), sx = L.inner_stride(1);
  if constexpr (std::is_same<TIn, float>::value && std::is_same<TOut, float>::value) {
    if (copy_transposed_f32(c, L, x0, y0)) return;
  }
  parallel_range(c, out.numel(), kGrainCheap, [&](int64_t begin, int64_t end) {
    for_each_run(L, begin, end, [&](const int64_t* off, int64_t len) {
      TOut* y = y0 + off[0];
      const TIn* xp = x0 + off[1];
      if constexpr (std::is_same<TIn, TOut>::value) {
        if (sy == 1 && sx == 1) {
          if (y != xp) std::memmove(y, xp, len * sizeof(TIn));
          return;
        }
      }
      if (sy == 1 && sx == 1) {
        for (int64_t i = 0; i < len; ++i) y[i] = convert_element<TIn, TOut, kExact>(xp[i]);
      } else {
        for (int64_t i = 0; i < len; ++i) y[i * sy] = convert_element<TIn, TOut, kExact>(xp[i * sx]);
      }
    });
  });
}

template <class TIn>
void copy_from(const OpContext& c, const View& x, const View& out) {
  switch (out.dtype) {
    case Dtype::kFloat32: return copy_typed<TIn, float>(c, x, out);
    case Dtype::kInt64: return copy_typed<TIn, double>(c, x, out);
    case Dtype::kBool: return copy_typed<TIn, uint8_t>(c, x, out);
    case Dtype::kFloat64: return copy_typed<TIn, double, true>(c, x, out);
  }
}

template <class T>
inline void select_into(T* y, int64_t i, uint8_t c, T a, T b) {
  y[i] = c ? a : b;
}

template <class T>
void where_typed(const OpContext& c, const View& cond, const View& a, const View& b, const View& out) {
  const uint8_t* c0 = cond.at<uint8_t>();
  const T* a0 = a.at<T>();
  const T* b0 = b.at<T>();
  T* y0 = out.at<T>();
  const View* vs[4] = {&out, &cond, &a, &b};
  const Layout<4> L = make_layout(vs);
  const int64_t so = L.inner_stride(0), sc = L.inner_stride(1), sa = L.inner_stride(2),
                sb = L.inner_stride(3);
  // NOTE: the common cases (relu's gradient: where(out <= 0, 0, g)) have contiguous cond and out
  // and a, b contiguous or broadcast; loops without per-element stride bookkeeping let the
  // compiler vectorise them.
  if (so == 1 && sc == 1 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1)) {
    parallel_range(c, out.numel(), kGrainCheap, [&](int64_t begin, int64_t end) {
      for_each_run(L, begin, end, [&](const int64_t* off, int64_t len) {
        T* y = y0 + off[0];
        const uint8_t* cp = c0 + off[1];
        const T* ap = a0 + off[2];
        const T* bp = b0 + off[3];
        // NOTE: both sides are loaded unconditionally so the select needs no branch (a branch
        // on random signs mispredicts half the time: 7x slower, measured).
        if (sa == 1 && sb == 1) {
          for (int64_t i = 0; i < len; ++i) select_into(y, i, cp[i], ap[i], bp[i]);
        } else if (sa == 1) {
          const T bv = bp[0];
          for (int64_t i = 0; i < len; ++i) select_into(y, i, cp[i], ap[i], bv);
        } else if (sb == 1) {
          const T av = ap[0];
          for (int64_t i = 0; i < len; ++i) select_into(y, i, cp[i], av, bp[i]);
        } else {
          const T av = ap[0], bv = bp[0];
          for (int64_t i = 0; i < len; ++i) select_into(y, i, cp[i], av, bv);
        }
      });
    });
    return;
  }
  map_elements<4>(c, vs, [&](const int64_t* o) { y0[o[0]] = c0[o[1]] ? a0[o[2]] : b0[o[3]]; });
}

}  // namespace

void fill(const OpContext& c, const View& out, double value) {
  switch (out.dtype) {
    case Dtype::kFloat32: return fill_typed<float>(c, out, convert_to<float>(value));
    case Dtype::kInt64:
    case Dtype::kFloat64: return fill_typed<double>(c, out, convert_to<double>(value));
    case Dtype::kBool: return fill_typed<uint8_t>(c, out, convert_to<uint8_t>(value));
  }
}

void copy(const OpContext& c, const View& x, const View& out) {
  switch (x.dtype) {
    case Dtype::kFloat32: return copy_from<float>(c, x, out);
    case Dtype::kInt64:
    case Dtype::kFloat64: return copy_from<double>(c, x, out);
    case Dtype::kBool: return copy_from<uint8_t>(c, x, out);
  }
}

void unary(const OpContext& c, int op, const View& x, const View& out) {
  const UnaryFn fn = c.k->unary[op];
  ewmap::map_unary<float>(c, x, out, is_expensive_unary(op) ? kGrainExpensive : kGrainCheap,
                [fn](const float* in, float* o, int64_t m) { fn(in, o, m); });
}

void clamp(const OpContext& c, const View& x, float lo, float hi, const View& out) {
  const ClampFn fn = c.k->clamp;
  ewmap::map_unary<float>(c, x, out, kGrainCheap,
                [fn, lo, hi](const float* in, float* o, int64_t m) { fn(in, o, m, lo, hi); });
}

namespace {

// out[i] = result[i] <= 0 ? 0 : grad[i] over a run, grad and result each contiguous (step 1) or
// one broadcast value (step 0). NOTE: grad is loaded whatever the sign, into a local buffer then
// copied out, with the steps fixed at compile time: the compiler then sees a select it can
// vectorize and no aliasing (out may be grad itself). Loaded only where needed, it kept a branch
// per element (~2.5 ns each on random signs, 24x a multiply's time).
template <int kGStep, int kRStep>
void relu_backward_run(const float* g, const float* r, float* o, int64_t m) {
  constexpr int64_t kRun = 256;
  alignas(64) float buf[kRun];
  for (int64_t i0 = 0; i0 < m; i0 += kRun) {
    const int64_t n = std::min(kRun, m - i0);
    const float* gi = g + i0 * kGStep;
    const float* ri = r + i0 * kRStep;
    for (int64_t i = 0; i < n; ++i) {
      const float gv = gi[i * kGStep], rv = ri[i * kRStep];  // both loaded: a select, not a branch
      buf[i] = rv <= 0.0f ? 0.0f : gv;
    }
    std::memcpy(o + i0, buf, static_cast<size_t>(n) * sizeof(float));
  }
}

}  // namespace

void relu_backward(const OpContext& c, const View& grad, const View& result, const View& out) {
  // NOTE: PyTorch's threshold_backward: 0 where result <= 0, else grad (so a NaN result passes grad
  // on). Baseline code: one compare and select per element, bound by memory at any width.
  ewmap::map_binary<float, float>(
      c,
      [](int bc, const float* g, const float* r, float* o, int64_t m) {
        if (bc == kVV) return relu_backward_run<1, 1>(g, r, o, m);
        if (bc == kVS) return relu_backward_run<1, 0>(g, r, o, m);
        relu_backward_run<0, 1>(g, r, o, m);
      },
      grad, result, out, kGrainCheap);
}

void binary(const OpContext& c, int op, const View& a, const View& b, const View& out) {
  if (op >= kAdd && op < kAdd + kNumArithOps) {
    const BinaryFn* fns = c.k->arith[op - kAdd];
    ewmap::map_binary<float, float>(
        c, [fns](int bc, const float* x, const float* y, float* o, int64_t m) { fns[bc](x, y, o, m); },
        a, b, out, is_libm_arith(op) ? kGrainExpensive : kGrainCheap);
  } else if (op >= kEq && op <= kGe) {
    const CompareFn* fns = c.k->compare[op - kEq];
    ewmap::map_binary<float, uint8_t>(
        c, [fns](int bc, const float* x, const float* y, uint8_t* o, int64_t m) { fns[bc](x, y, o, m); },
        a, b, out, kGrainCheap);
  } else {  // logical, on bool
    const uint8_t* a0 = a.at<uint8_t>();
    const uint8_t* b0 = b.at<uint8_t>();
    uint8_t* y0 = out.at<uint8_t>();
    const View* vs[3] = {&out, &a, &b};
    map_elements<3>(c, vs, [&](const int64_t* o) {
      const bool x = a0[o[1]] != 0, y = b0[o[2]] != 0;
      y0[o[0]] = (op == kAnd ? (x && y) : op == kOr ? (x || y) : (x != y)) ? 1 : 0;
    });
  }
}

void where(const OpContext& c, const View& cond, const View& a, const View& b, const View& out) {
  switch (out.dtype) {
    case Dtype::kFloat32: return where_typed<float>(c, cond, a, b, out);
    case Dtype::kInt64:
    case Dtype::kFloat64: return where_typed<double>(c, cond, a, b, out);
    case Dtype::kBool: return where_typed<uint8_t>(c, cond, a, b, out);
  }
}

void add_scaled(const OpContext& c, const View& a, const View& b, float alpha, const View& out) {
  const AddScaledFn* fns = c.k->add_scaled;
  ewmap::map_binary<float, float>(
      c, [fns, alpha](int bc, const float* x, const float* y, float* o, int64_t m) { fns[bc](x, y, o, m, alpha); },
      a, b, out, kGrainCheap);
}

namespace {

// Runs kernel `fn` over N same-shape in/out operands (operand 1 is the read-only gradient):
// contiguous runs directly, any other run through gathered buffers that are scattered back.
template <int N>
void map_adam(const OpContext& c, const View* const (&vs)[N], const AdamConsts& k) {
  const AdamFn fn = c.k->adam;
  const Layout<N> L = make_layout(vs);
  float* base[N];
  for (int o = 0; o < N; ++o) base[o] = vs[o]->template at<float>();
  bool contiguous = true;
  for (int o = 0; o < N; ++o) contiguous = contiguous && L.inner_stride(o) == 1;
  parallel_range(c, vs[0]->numel(), kGrainExpensive, [&](int64_t begin, int64_t end) {
    for_each_run(L, begin, end, [&](const int64_t* off, int64_t len) {
      float* q[N];
      for (int o = 0; o < N; ++o) q[o] = base[o] + off[o];
      if (contiguous) return fn(q[0], q[1], q[2], q[3], N == 5 ? q[N - 1] : nullptr, len, k);
      alignas(64) float buf[N][kBuf];
      for (int64_t i = 0; i < len; i += kBuf) {
        const int64_t m = min64(kBuf, len - i);
        for (int o = 0; o < N; ++o) gather_run(buf[o], q[o] + i * L.inner_stride(o), L.inner_stride(o), m);
        fn(buf[0], buf[1], buf[2], buf[3], N == 5 ? buf[N - 1] : nullptr, m, k);
        for (int o = 0; o < N; ++o)
          if (o != 1) scatter_run(q[o] + i * L.inner_stride(o), L.inner_stride(o), buf[o], m);
      }
    });
  });
}

}  // namespace

void adam_step(const OpContext& c, const View& p, const View& g, const View& m, const View& v,
               const View* vmax, const AdamConsts& k) {
  if (vmax == nullptr) {
    const View* vs[4] = {&p, &g, &m, &v};
    map_adam<4>(c, vs, k);
  } else {
    const View* vs[5] = {&p, &g, &m, &v, vmax};
    map_adam<5>(c, vs, k);
  }
}

}  // namespace torchlet
