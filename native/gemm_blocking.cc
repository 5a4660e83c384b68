// gemm_blocking (gemm_blocking.h). ref: Low, Igual, Smith, Quintana-Orti, "Analytical modeling is
// enough for high-performance BLIS" (TOMS 2016): A's MC x KC block in half of L2 (the other half for
// the B micro-panel and C streaming through), B's KC x NC panel in the L3 share.
//
// KC is NOT derived from the caches: each element of C is summed one KC block at a time (the
// microkernel's sum starts at 0 per block and is then added to C), so KC decides the rounding. A
// KC per ISA keeps results identical on every chip of that ISA, and on every thread count; MC and
// NC only regroup whole tiles and never change any sum. The price: on a small L1 (48 KiB here) a
// 512 x NR float micro-panel of B (64 KiB at NR = 32) lives in L2, not L1.
#include "gemm_blocking.h"

#include <algorithm>

namespace torchlet {

namespace {

// The largest multiple of `unit` that is at most `limit`, and at least one unit.
int64_t whole_units(int64_t limit, int64_t unit) { return std::max<int64_t>(1, limit / unit) * unit; }

}  // namespace

GemmBlocking gemm_blocking(const CacheSizes& caches, int64_t mr, int64_t nr, int64_t kc, int64_t elem) {
  const int64_t kc_bytes = kc * elem;
  const int64_t mc = whole_units(static_cast<int64_t>(caches.l2 / 2) / kc_bytes, mr);
  const int64_t nc = whole_units(static_cast<int64_t>(caches.l3 / 2) / kc_bytes, nr);
  return {mc, kc, nc};
}

}  // namespace torchlet
