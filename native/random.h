// Random draws that continue the frontend's MT19937 generator (lib/ops/random.ts) in place: the
// caller passes the generator's 624 state words and its index and gets the new index back, so
// the JS and native engines can take turns on one stream and every draw stays PyTorch's.
#pragma once
#include <cstdint>

#include "isa.h"

namespace torchlet {

constexpr int kMtWords = 624;

// The per-ISA kernel (random_mask.h, compiled in random_<isa>.cc): dropout's mask with the keep
// probability given as dropout_threshold(keep).
using DropoutMaskFn = int (*)(uint32_t* state, int index, int64_t threshold, float scale, float* mask,
                              const float* x, float* out, int64_t n);
DropoutMaskFn dropout_mask_kernel_scalar();
#if defined(__x86_64__) || defined(_M_X64)
DropoutMaskFn dropout_mask_kernel_avx2();
DropoutMaskFn dropout_mask_kernel_avx512();
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
DropoutMaskFn dropout_mask_kernel_neon();
#endif

// Dropout's mask as PyTorch's CPU bernoulli_(keep) draws it: per element one 53-bit uniform from
// two words (high first), u < keep -> scale, else 0. If x is not null, out[i] = x[i] * mask[i]
// (float32, one rounding: dropout fused with its multiply). Sequential (one stream), so the
// result does not depend on the thread count. Returns the generator's new index.
int mt19937_dropout_mask(Isa isa, uint32_t* state, int index, double keep, float scale, float* mask,
                         const float* x, float* out, int64_t n);

}  // namespace torchlet
