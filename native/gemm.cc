// gemm_f32: the BLIS blocking loops (jc NC, pc KC, ic MC, jr NR, ir MR) around one ISA's
// microkernel, the split of the work over the thread pool, and the small-problem path that reads A
// in place (only B is packed). The ISA code (microkernels, fast packers) is in gemm_<isa>.cc.
// ref: BLIS docs/KernelsHowTo.md and frame/3/gemm (loop order); BLISlab step3 (packing).
#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "gemm_kernels.h"

namespace torchlet {

using gemm::GemmKernels;

namespace {

constexpr int kMaxMr = 16;
constexpr int kMaxNr = 32;

// A problem at most this tall reads A in place instead of packing it: a few MR-row panels of A
// stay in L2 across the whole B panel, so packing A would cost more than it saves.
// NOTE: also keeps the MLP's backward A^T B (A = X^T read through strides) unpacked.
constexpr int64_t kSmallM = 128;
// The least work (flops) worth handing to another thread.
constexpr double kMinItemFlops = 2.0e5;

const GemmKernels& kernels_for(Isa isa) {
  switch (isa) {
#if defined(__x86_64__) || defined(_M_X64)
    case Isa::kAvx512: return gemm::kGemmAvx512;
    case Isa::kAvx2: return gemm::kGemmAvx2;
#endif
#if defined(__aarch64__)
    case Isa::kNeon: return gemm::kGemmNeon;
#endif
    default: return gemm::kGemmScalar;
  }
}

// A grow-only, 64-byte aligned scratch buffer per thread (pool workers and callers alike).
// NOTE: per OS thread, so the pools of several Node worker_threads never share one.
struct Scratch {
  float* ptr = nullptr;
  size_t cap = 0;  // floats
  ~Scratch() { std::free(ptr); }
  float* get(size_t floats) {
    if (floats > cap) {
      std::free(ptr);
      const size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
      ptr = static_cast<float*>(std::aligned_alloc(64, bytes));
      if (ptr == nullptr) std::abort();  // NOTE: out of memory for a few MB of scratch
      cap = bytes / sizeof(float);
    }
    return ptr;
  }
};
thread_local Scratch t_scratch_a, t_scratch_b;

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// One unit of parallel work: rows [i0, i1) x columns [j0, j1) of C for batches [b0, b1).
struct Item {
  int64_t b0, b1, i0, i1, j0, j1;
};

struct Plan {
  const GemmArgs* args;
  const GemmKernels* kern;
  bool pack_a;
  bool c_rowmajor;   // c_cs == 1: full tiles go straight to C
  int64_t m_split, n_split, batch_split;
  int64_t rows_per_item, cols_per_item;  // multiples of MR and NR
};

// C tile (mr x nr at c) (+)= a tile computed by the microkernel into a dense MR x NR buffer.
void store_tile(const float* tile, int nr_full, int64_t mr, int64_t nr, float* c, int64_t c_rs,
                int64_t c_cs, bool accumulate) {
  for (int64_t i = 0; i < mr; ++i) {
    float* ci = c + i * c_rs;
    const float* ti = tile + i * nr_full;
    if (accumulate) {
      for (int64_t j = 0; j < nr; ++j) ci[j * c_cs] += ti[j];
    } else {
      for (int64_t j = 0; j < nr; ++j) ci[j * c_cs] = ti[j];
    }
  }
}

void run_item(const Plan& plan, const Item& it) {
  const GemmArgs& g = *plan.args;
  const GemmKernels& K = *plan.kern;
  const int64_t MR = K.mr, NR = K.nr;
  const int64_t k = g.k;
  const int64_t nc_max = std::min<int64_t>(K.nc, ceil_div(it.j1 - it.j0, NR) * NR);
  const int64_t kc_max = std::min<int64_t>(K.kc, k);
  const int64_t mc_max = std::min<int64_t>(K.mc, ceil_div(it.i1 - it.i0, MR) * MR);
  float* bbuf = t_scratch_b.get(static_cast<size_t>(kc_max * nc_max));
  float* abuf = plan.pack_a ? t_scratch_a.get(static_cast<size_t>(mc_max * kc_max)) : nullptr;
  alignas(64) float tile[kMaxMr * kMaxNr];

  for (int64_t bi = it.b0; bi < it.b1; ++bi) {
    const float* a = g.a + bi * g.a_bs;
    const float* b = g.b + bi * g.b_bs;
    float* c = g.c + bi * g.c_bs;
    for (int64_t jc = it.j0; jc < it.j1; jc += K.nc) {
      const int64_t nc = std::min<int64_t>(K.nc, it.j1 - jc);
      for (int64_t pc = 0; pc < k; pc += K.kc) {
        const int64_t kc = std::min<int64_t>(K.kc, k - pc);
        // The first KC block stores (or adds to the caller's C), later ones add.
        const bool acc = g.accumulate || pc > 0;
        K.pack_b(kc, nc, b + pc * g.b_rs + jc * g.b_cs, g.b_rs, g.b_cs, bbuf);
        for (int64_t ic = it.i0; ic < it.i1; ic += K.mc) {
          const int64_t mc = std::min<int64_t>(K.mc, it.i1 - ic);
          const float* ablk = a + ic * g.a_rs + pc * g.a_cs;
          int64_t ap_rs = g.a_rs, ap_cs = g.a_cs, ap_panel = MR * g.a_rs;
          if (plan.pack_a) {
            K.pack_a(mc, kc, ablk, g.a_rs, g.a_cs, abuf);
            ablk = abuf;
            ap_rs = 1;
            ap_cs = MR;
            ap_panel = MR * kc;
          }
          for (int64_t jr = 0; jr < nc; jr += NR) {
            const int64_t nr = std::min<int64_t>(NR, nc - jr);
            const float* bp = bbuf + jr * kc;
            for (int64_t ir = 0; ir < mc; ir += MR) {
              const int64_t mr = std::min<int64_t>(MR, mc - ir);
              const float* ap = ablk + (ir / MR) * ap_panel;
              float* ct = c + (ic + ir) * g.c_rs + (jc + jr) * g.c_cs;
              if (nr == NR && plan.c_rowmajor) {
                K.ukernel(mr, kc, ap, ap_rs, ap_cs, bp, ct, g.c_rs, acc);
              } else {
                K.ukernel(mr, kc, ap, ap_rs, ap_cs, bp, tile, NR, false);
                store_tile(tile, static_cast<int>(NR), mr, nr, ct, g.c_rs, g.c_cs, acc);
              }
            }
          }
        }
      }
    }
  }
}

void zero_or_keep(const GemmArgs& g) {
  if (g.accumulate) return;  // C += A*B with k = 0 leaves C as it is
  for (int64_t bi = 0; bi < g.batch; ++bi) {
    for (int64_t i = 0; i < g.m; ++i) {
      float* ci = g.c + bi * g.c_bs + i * g.c_rs;
      for (int64_t j = 0; j < g.n; ++j) ci[j * g.c_cs] = 0.0f;
    }
  }
}

}  // namespace

void gemm_f32(const GemmArgs& args, Isa isa, ThreadPool& pool) {
  if (args.batch <= 0 || args.m <= 0 || args.n <= 0) return;
  if (args.k <= 0) {
    zero_or_keep(args);
    return;
  }
  GemmArgs g = args;
  // A column-major C is computed as C^T = B^T A^T, which has row-major tiles. The products and
  // their order per element are unchanged, so this does not change the result.
  if (g.c_cs != 1 && g.c_rs == 1) {
    std::swap(g.m, g.n);
    std::swap(g.a, g.b);
    std::swap(g.a_bs, g.b_bs);
    const int64_t a_rs = g.a_rs, a_cs = g.a_cs;
    g.a_rs = g.b_cs;
    g.a_cs = g.b_rs;
    g.b_rs = a_cs;
    g.b_cs = a_rs;
    std::swap(g.c_rs, g.c_cs);
  }

  const GemmKernels& K = kernels_for(isa);
  Plan plan;
  plan.args = &g;
  plan.kern = &K;
  plan.pack_a = g.m > kSmallM;
  plan.c_rowmajor = g.c_cs == 1;

  // Split the work into items: column blocks first (each item then packs its own part of B),
  // rows next, batches last. How the work is split never changes a result: every element's
  // sum runs in the same order whoever computes it.
  const int64_t m_panels = ceil_div(g.m, K.mr), n_panels = ceil_div(g.n, K.nr);
  const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) *
                       static_cast<double>(g.k) * static_cast<double>(g.batch);
  const int threads = pool.num_threads();
  int64_t want = 1;
  if (threads > 1) {
    // A few items per thread so a core taken by another process doesn't leave one behind.
    want = std::min<int64_t>(int64_t{threads} * 4, static_cast<int64_t>(flops / kMinItemFlops));
    want = std::max<int64_t>(want, 1);
  }
  // Batches whose C overlap (c_bs == 0) must run one after another, so they stay in one item.
  const int64_t batch_split = g.c_bs == 0 ? 1 : std::min<int64_t>(g.batch, want);
  const int64_t per_batch = ceil_div(want, batch_split);
  const int64_t n_split = std::min<int64_t>(n_panels, per_batch);
  const int64_t m_split = std::min<int64_t>(m_panels, ceil_div(per_batch, n_split));
  plan.cols_per_item = ceil_div(n_panels, n_split) * K.nr;
  plan.rows_per_item = ceil_div(m_panels, m_split) * K.mr;
  plan.n_split = ceil_div(g.n, plan.cols_per_item);
  plan.m_split = ceil_div(g.m, plan.rows_per_item);
  plan.batch_split = batch_split;
  const int64_t batch_per_item = ceil_div(g.batch, batch_split);

  const size_t items = static_cast<size_t>(batch_split * plan.m_split * plan.n_split);
  pool.parallel_for(items, 1, [&](size_t begin, size_t end) {
    for (size_t t = begin; t < end; ++t) {
      const int64_t idx = static_cast<int64_t>(t);
      const int64_t jn = idx % plan.n_split;
      const int64_t im = (idx / plan.n_split) % plan.m_split;
      const int64_t bb = idx / (plan.n_split * plan.m_split);
      Item it;
      it.b0 = bb * batch_per_item;
      it.b1 = std::min<int64_t>(g.batch, it.b0 + batch_per_item);
      it.i0 = im * plan.rows_per_item;
      it.i1 = std::min<int64_t>(g.m, it.i0 + plan.rows_per_item);
      it.j0 = jn * plan.cols_per_item;
      it.j1 = std::min<int64_t>(g.n, it.j0 + plan.cols_per_item);
      if (it.b0 < it.b1) run_item(plan, it);
    }
  });
}

}  // namespace torchlet
