// Data cache sizes of the CPU the addon runs on, detected once at load: the GEMM derives its
// blocking (gemm_blocking.h) from them instead of from constants fitted to one chip.
#pragma once

#include <cstddef>

namespace torchlet {

struct CacheSizes {
  size_t l1d = 0;            // bytes of L1 data cache per core
  size_t l2 = 0;             // bytes of L2 per core
  size_t l3 = 0;             // bytes of the last level cache one core can expect: L3 / cores sharing it
  const char* source = "";   // "cpuid", "sysfs" or "default": how the sizes were found
};

// Detected sizes; CPUID leaf 4 (Intel) or 0x8000001D (AMD) on x64, then sysfs, then defaults.
// Always returns l1d < l2 <= l3 (sizes that break that order are replaced by the defaults).
const CacheSizes& cache_sizes();

}  // namespace torchlet
