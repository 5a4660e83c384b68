// MT19937 (the 32-bit Mersenne Twister of PyTorch's CPU generator) run on the frontend's state.
// The twist regenerates all 624 words at once; its three index ranges are split where they wrap
// so the loops carry no modulo. The JS twin is lib/backend/js/random.ts.
// ref: aten/src/ATen/core/MT19937RNGEngine.h (the engine), ATen/core/DistributionsHelper.h
// (bernoulli from a 53-bit uniform).
#include "random.h"

namespace torchlet {
namespace {

constexpr int kShift = 397;  // MT19937's M

inline uint32_t mix(uint32_t cur, uint32_t next, uint32_t far) {
  const uint32_t y = (cur & 0x80000000u) | (next & 0x7fffffffu);
  return far ^ (y >> 1) ^ ((0u - (y & 1u)) & 0x9908b0dfu);
}

void twist(uint32_t* st) {
  int i = 0;
  for (; i < kMtWords - kShift; ++i) st[i] = mix(st[i], st[i + 1], st[i + kShift]);
  for (; i < kMtWords - 1; ++i) st[i] = mix(st[i], st[i + 1], st[i + kShift - kMtWords]);
  st[kMtWords - 1] = mix(st[kMtWords - 1], st[0], st[kShift - 1]);
}

inline uint32_t temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  return y ^ (y >> 18);
}

}  // namespace

int mt19937_dropout_mask(uint32_t* state, int index, double keep, float scale, float* mask,
                         const float* x, float* out, int64_t n) {
  auto next = [&]() {
    if (index >= kMtWords) {
      twist(state);
      index = 0;
    }
    return temper(state[index++]);
  };
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t hi = next() & 0x1fffffu;
    const uint64_t lo = next();
    // NOTE: exact in a double (53 bits), as PyTorch's (x >> 11) * 2^-53 of the same bits.
    const double u = static_cast<double>((hi << 32) | lo) * 0x1p-53;
    const float m = u < keep ? scale : 0.0f;
    mask[i] = m;
    if (x != nullptr) out[i] = x[i] * m;
  }
  return index;
}

}  // namespace torchlet
