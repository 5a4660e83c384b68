// MT19937 (the 32-bit Mersenne Twister of PyTorch's CPU generator) run on the frontend's state.
// The twist regenerates all 624 words at once; its three index ranges are split where they wrap
// so the loops carry no modulo. The JS twin is lib/backend/js/random.ts.
// ref: aten/src/ATen/core/MT19937RNGEngine.h (the engine), ATen/core/DistributionsHelper.h
// (bernoulli from a 53-bit uniform).
#include "random.h"

#include <algorithm>

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
  // One element from words hi (first) and lo: a 53-bit uniform, exact in a double, as PyTorch's
  // (x >> 11) * 2^-53 of the same bits.
  auto emit = [&](int64_t i, uint32_t hi, uint32_t lo) {
    const uint64_t bits = (static_cast<uint64_t>(hi & 0x1fffffu) << 32) | lo;
    const float m = static_cast<double>(bits) * 0x1p-53 < keep ? scale : 0.0f;
    mask[i] = m;
    if (x != nullptr) out[i] = x[i] * m;
  };
  // NOTE: the words of a state block are tempered into `words` in one loop and consumed in pairs
  // by another (both branch-free, so they vectorize); only a pair split by a twist goes one by one.
  uint32_t words[kMtWords];
  int64_t i = 0;
  while (i < n) {
    if (index >= kMtWords) {
      twist(state);
      index = 0;
    }
    const int64_t want = std::min<int64_t>(kMtWords - index, 2 * (n - i));
    for (int64_t k = index; k < index + want; ++k) words[k] = temper(state[k]);
    const int64_t pairs = want / 2;
    const uint32_t* w = words + index;
    for (int64_t j = 0; j < pairs; ++j) emit(i + j, w[2 * j], w[2 * j + 1]);
    i += pairs;
    index += static_cast<int>(2 * pairs);
    if (i < n && index == kMtWords - 1) {
      const uint32_t hi = temper(state[index]);
      twist(state);
      emit(i++, hi, temper(state[0]));
      index = 1;
    }
  }
  return index;
}

}  // namespace torchlet
