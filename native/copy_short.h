// A copy of a short run (an image row of a convolution, often under 16 elements) as a few
// fixed-size moves, the last ending at the run's end and overlapping the one before, instead of an
// element loop for the tail or a call to memcpy (whose call costs as much as a 14-float copy).
// Included by conv.cc and conv_pack.cc.
#pragma once

#include <cstdint>
#include <cstring>

namespace torchlet {

// d[0:len] = s[0:len]; the two ranges do not overlap.
template <class T>
inline void copy_short(T* __restrict d, const T* __restrict s, int64_t len) {
  if (len >= 8) {
    int64_t x = 0;
    for (; x + 8 <= len; x += 8) std::memcpy(d + x, s + x, 8 * sizeof(T));
    if (x < len) std::memcpy(d + len - 8, s + len - 8, 8 * sizeof(T));
  } else if (len >= 4) {
    std::memcpy(d, s, 4 * sizeof(T));
    std::memcpy(d + len - 4, s + len - 4, 4 * sizeof(T));
  } else {
    for (int64_t x = 0; x < len; ++x) d[x] = s[x];
  }
}

}  // namespace torchlet
