// Dispatch of the float64 elementwise ops: the strided drivers of elementwise_map.h around the
// contiguous kernels of the ISA's KernelsF64 table (elementwise_f64_<isa>.cc); softmax rows.
#include "elementwise_f64.h"

#include "elementwise_map.h"
#include "ops_f64.h"

namespace torchlet {

const KernelsF64& kernels_f64_for(Isa isa) {
  switch (isa) {
#if defined(__x86_64__) || defined(_M_X64)
    case Isa::kAvx2: return kernels_f64_avx2();
    case Isa::kAvx512: return kernels_f64_avx512();
#endif
    default: return kernels_f64_scalar();
  }
}

void unary_f64(const OpContext& c, int op, const View& x, const View& out) {
  const UnaryF64Fn fn = kernels_f64_for(c.isa).unary[op];
  ewmap::map_unary<double>(c, x, out, is_libm_unary(op) ? kGrainExpensive : kGrainCheap,
                           [fn](const double* in, double* o, int64_t m) { fn(in, o, m); });
}

void clamp_f64(const OpContext& c, const View& x, double lo, double hi, const View& out) {
  const ClampF64Fn fn = kernels_f64_for(c.isa).clamp;
  ewmap::map_unary<double>(c, x, out, kGrainCheap,
                           [fn, lo, hi](const double* in, double* o, int64_t m) { fn(in, o, m, lo, hi); });
}

void binary_f64(const OpContext& c, int op, const View& a, const View& b, const View& out) {
  const KernelsF64& k = kernels_f64_for(c.isa);
  if (op >= kAdd && op < kAdd + kNumArithOps) {
    const BinaryF64Fn* fns = k.arith[op - kAdd];
    ewmap::map_binary<double, double>(
        c, [fns](int bc, const double* x, const double* y, double* o, int64_t m) { fns[bc](x, y, o, m); },
        a, b, out, is_libm_arith(op) ? kGrainExpensive : kGrainCheap);
  } else {  // comparisons (the binding allows no logical op on float64)
    const CompareF64Fn* fns = k.compare[op - kEq];
    ewmap::map_binary<double, uint8_t>(
        c, [fns](int bc, const double* x, const double* y, uint8_t* o, int64_t m) { fns[bc](x, y, o, m); },
        a, b, out, kGrainCheap);
  }
}

void softmax_f64(const OpContext& c, const View& x, const View& out, bool log) {
  const int64_t d = x.ndim == 0 ? 1 : x.shape[x.ndim - 1];
  const int64_t n = x.numel();
  if (n == 0 || d == 0) return;
  const int64_t rows = n / d;
  const double* x0 = x.at<double>();
  double* y0 = out.at<double>();
  const auto row = kernels_f64_for(c.isa).softmax_row;
  const int64_t grain = d >= kGrainExpensive ? 1 : kGrainExpensive / d;
  parallel_range(c, rows, grain, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) row(x0 + r * d, y0 + r * d, d, log);
  });
}

}  // namespace torchlet
