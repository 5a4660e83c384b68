// Dropout's mask dispatch: turns keep into the integer threshold of the per-ISA kernels
// (random_mask.h, random_<isa>.cc). The JS twin is lib/backend/js/random.ts.
// ref: aten/src/ATen/core/MT19937RNGEngine.h (the engine), ATen/core/DistributionsHelper.h
// (bernoulli from a 53-bit uniform).
#include "random.h"

#include <cmath>

namespace torchlet {
namespace {

DropoutMaskFn kernel_of(Isa isa) {
  switch (isa) {
#if defined(__x86_64__) || defined(_M_X64)
    case Isa::kAvx512: return dropout_mask_kernel_avx512();
    case Isa::kAvx2: return dropout_mask_kernel_avx2();
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
    case Isa::kNeon: return dropout_mask_kernel_neon();
#endif
    default: return dropout_mask_kernel_scalar();
  }
}

// The u = bits·2^-53 (bits < 2^53, exact in a double) with u < keep are those with
// bits < keep·2^53 (exact: a power-of-two scaling), i.e. bits < ceil(keep·2^53) for an integer
// bits. NOTE: why. An integer compare is one vector instruction at every ISA's width; the
// uint64 -> double conversion is none before AVX-512.
int64_t dropout_threshold(double keep) {
  constexpr double kTwo53 = 9007199254740992.0;
  if (!(keep > 0)) return 0;  // NaN too: u < NaN is never true
  if (keep >= 1) return static_cast<int64_t>(kTwo53);
  return static_cast<int64_t>(std::ceil(keep * kTwo53));
}

}  // namespace

int mt19937_dropout_mask(Isa isa, uint32_t* state, int index, double keep, float scale, float* mask,
                         const float* x, float* out, int64_t n) {
  return kernel_of(isa)(state, index, dropout_threshold(keep), scale, mask, x, out, n);
}

}  // namespace torchlet
