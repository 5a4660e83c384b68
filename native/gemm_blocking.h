// The GEMM's cache blocks (BLIS's MC, KC, NC) as a pure function of the detected cache sizes and
// the microkernel's register tile, so the blocking follows the chip instead of one chip's numbers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "cache_info.h"

namespace torchlet {

struct GemmBlocking {
  int64_t mc;  // rows of packed A per block: MC x KC fills about half of L2, a multiple of MR
  int64_t kc;  // depth per block: the ISA table's, unchanged (see gemm_blocking.cc: it fixes bits)
  int64_t nc;  // columns of packed B per block: KC x NC fills about half of this core's L3 share
};

// mr x nr: the microkernel's tile; kc: the ISA table's KC; elem: bytes per element (4 or 8).
GemmBlocking gemm_blocking(const CacheSizes& caches, int64_t mr, int64_t nr, int64_t kc, int64_t elem);

}  // namespace torchlet
