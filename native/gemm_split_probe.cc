// The microkernel timed on line-aligned and on line-straddling rows of B (gemm_split_probe.h).
#include "gemm_split_probe.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace torchlet {
namespace gemm {

namespace {

constexpr int64_t kLineFloats = 16;
// One KC block as the GEMM reads it in place: 512 rows of B about 2 KB apart (the MLP's and
// conv2d's B; 33 lines, so rows spread over the cache sets) and the packed A panel (28 KB at 14
// rows). Aligned rows take two lines each, straddling ones three: what a split costs here is the
// load itself and the extra lines from L2, as in the GEMM.
constexpr int64_t kDepth = 512;
constexpr int64_t kRowLines = 33;
constexpr int kCallsPerRun = 16;
constexpr int kRuns = 7;
// Above this slowdown B off the grid is packed: a split load costs a Xeon's kernel ~10%
// (146 -> 131 GFLOP/s), packing ~5-8% of a 64-row problem.
constexpr double kMaxOffGridSlowdown = 1.05;

double seconds_per_run(const GemmKernels& K, const float* a, const float* b, int64_t b_rs, float* c) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kCallsPerRun; ++i) K.ukernel(K.mr, kDepth, a, 1, K.mr, b, b_rs, c, K.nr, false);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

double off_grid_slowdown(const GemmKernels& K) {
  const int64_t b_rs = kRowLines * kLineFloats;
  std::vector<float> a_store(static_cast<size_t>(K.mr * kDepth + kLineFloats), 0.5f);
  std::vector<float> b_store(static_cast<size_t>(kDepth * b_rs + 2 * kLineFloats), 0.25f);
  std::vector<float> c_store(static_cast<size_t>(K.mr * K.nr + kLineFloats));
  auto on_line = [](float* p) {
    const uintptr_t off = reinterpret_cast<uintptr_t>(p) % (kLineFloats * sizeof(float));
    return off == 0 ? p : p + (kLineFloats * sizeof(float) - off) / sizeof(float);
  };
  const float* a = on_line(a_store.data());
  const float* b_aligned = on_line(b_store.data());
  const float* b_straddling = b_aligned + 1;
  float* c = on_line(c_store.data());
  double aligned = 1e30, straddling = 1e30;
  for (int run = 0; run < kRuns; ++run) {
    aligned = std::min(aligned, seconds_per_run(K, a, b_aligned, b_rs, c));
    straddling = std::min(straddling, seconds_per_run(K, a, b_straddling, b_rs, c));
  }
  return straddling / aligned;
}

bool off_grid_rows_cheap(const GemmKernels& K) {
  static std::mutex mu;
  static std::vector<std::pair<const GemmKernels*, bool>> known;
  const std::lock_guard<std::mutex> lock(mu);
  for (const auto& [table, cheap] : known)
    if (table == &K) return cheap;
  const bool cheap = off_grid_slowdown(K) <= kMaxOffGridSlowdown;
  known.emplace_back(&K, cheap);
  return cheap;
}

}  // namespace gemm
}  // namespace torchlet
