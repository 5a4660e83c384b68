// Dropout's mask on the MT19937 state (random.h), written once and compiled per ISA
// (random_<isa>.cc) so the compiler vectorizes the twist, the tempering and the compare at each
// ISA's width. Integer work only, plus one float multiply per element: the bits are the same on
// every ISA. Included by the random_<isa>.cc files only.
#pragma once

#include <algorithm>
#include <cstdint>

#include "random.h"

namespace torchlet {
namespace {

constexpr int kShift = 397;  // MT19937's M

inline uint32_t mt_mix(uint32_t cur, uint32_t next, uint32_t far) {
  const uint32_t y = (cur & 0x80000000u) | (next & 0x7fffffffu);
  return far ^ (y >> 1) ^ ((0u - (y & 1u)) & 0x9908b0dfu);
}

// Regenerates all 624 words. Its three index ranges are split where they wrap so the loops carry
// no modulo; the first two vectorize (each reads words at least 227 places from the one it writes).
inline void mt_twist(uint32_t* __restrict st) {
  int i = 0;
  for (; i < kMtWords - kShift; ++i) st[i] = mt_mix(st[i], st[i + 1], st[i + kShift]);
  for (; i < kMtWords - 1; ++i) st[i] = mt_mix(st[i], st[i + 1], st[i + kShift - kMtWords]);
  st[kMtWords - 1] = mt_mix(st[kMtWords - 1], st[0], st[kShift - 1]);
}

inline uint32_t mt_temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  return y ^ (y >> 18);
}

// One element per pair of tempered words (hi first): PyTorch's u = (53 bits) * 2^-53 < keep, asked
// as the integer compare bits < threshold (dropout_threshold), which is the same question exactly.
inline float mask_of(uint32_t hi, uint32_t lo, int64_t threshold, float scale) {
  const int64_t bits = static_cast<int64_t>((static_cast<uint64_t>(hi & 0x1fffffu) << 32) | lo);
  return bits < threshold ? scale : 0.0f;
}

// Elements [0, pairs) from words w[0, 2·pairs). NOTE: split by whether there is an x so each loop
// is branch-free and vectorizes; out may be x itself (in-place dropout), never mask.
inline void emit_pairs(const uint32_t* __restrict w, int64_t pairs, int64_t threshold, float scale,
                       float* __restrict mask, const float* x, float* out) {
  if (x == nullptr) {
    for (int64_t j = 0; j < pairs; ++j) mask[j] = mask_of(w[2 * j], w[2 * j + 1], threshold, scale);
    return;
  }
  for (int64_t j = 0; j < pairs; ++j) {
    const float m = mask_of(w[2 * j], w[2 * j + 1], threshold, scale);
    mask[j] = m;
    out[j] = x[j] * m;
  }
}

int dropout_mask_impl(uint32_t* state, int index, int64_t threshold, float scale, float* mask, const float* x,
                      float* out, int64_t n) {
  // NOTE: the words of a state block are tempered into `words` in one loop and consumed in pairs
  // by another; only a pair split by a twist goes one by one.
  alignas(64) uint32_t words[kMtWords];
  int64_t i = 0;
  while (i < n) {
    if (index >= kMtWords) {
      mt_twist(state);
      index = 0;
    }
    const int64_t want = std::min<int64_t>(kMtWords - index, 2 * (n - i));
    for (int64_t k = index; k < index + want; ++k) words[k] = mt_temper(state[k]);
    const int64_t pairs = want / 2;
    emit_pairs(words + index, pairs, threshold, scale, mask + i, x == nullptr ? nullptr : x + i,
               out == nullptr ? nullptr : out + i);
    i += pairs;
    index += static_cast<int>(2 * pairs);
    if (i < n && index == kMtWords - 1) {
      const uint32_t hi = mt_temper(state[index]);
      mt_twist(state);
      const float m = mask_of(hi, mt_temper(state[0]), threshold, scale);
      mask[i] = m;
      if (x != nullptr) out[i] = x[i] * m;
      ++i;
      index = 1;
    }
  }
  return index;
}

}  // namespace
}  // namespace torchlet
