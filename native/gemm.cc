// gemm_f32: picks a path per problem and splits it over the thread pool. Paths: the BLIS blocking
// loops (jc NC, pc KC, ic MC, jr NR, ir MR) around an ISA's microkernel; for few rows, the same
// kernel reading A (and, where it pays, B) in place; for a narrow C, the dot-product form. A C
// with too few tiles for many threads and a long K is also split along K (run_split).
// The ISA code (microkernels, vector packers) is in gemm_<isa>.cc. ref: BLIS docs/KernelsHowTo.md
// and frame/3/gemm (loop order); BLISlab step3 (packing); llamafile tinyBLAS (dot-product form).
#include "gemm.h"

#include <algorithm>
#include <cstdio>
#include <new>
#include <type_traits>
#include <vector>

#include "gemm_blocking.h"
#include "gemm_kernels.h"
#include "gemm_partition.h"
#include "gemm_split_probe.h"

namespace torchlet {

using gemm::GemmKernels;
using gemm::GemmKernelsT;

namespace {

// Bounds on every table's MR and NR (the edge-tile buffer is sized by them).
constexpr int kMaxMr = 16;
constexpr int kMaxNr = 32;

// A problem at most this tall reads A in place instead of packing it: its MR-row panels stay in L2
// across the whole of B, so packing A would cost more than it saves.
constexpr int64_t kSmallM = 128;
// An operand read in place whose micro-panel steps from one stored row to the next per k (B's rows
// in direct_b; a transposed A's columns, a_cs apart) is read so only while those rows lie at most a
// page apart. Farther apart, each of a panel's KC rows is on its own page: the tiles that re-read
// the panel miss the TLB on every row and no prefetcher follows them. Measured (Xeon, AVX-512,
// 1 thread, m x k x n): B in place, 64x288x12544 (conv2d's forward GEMM) 78 -> 110 GFLOP/s packed,
// 64x1024x2048 67 -> 113, 32x2048x4096 35 -> 76; A = Xᵀ in place, 2048x256x768 83 -> 136; rows
// 2-3 KB apart (the MLP's 512-784 columns) within noise either way.
constexpr int64_t kInPlaceMaxRowBytes = 4096;
// Whether every row of a stored operand (row stride rs, batch stride bs, in elements) starts on a
// cache line. B read in place loads each row's NR floats with whole-vector loads: rows off the line
// grid split those loads across two lines (conv2d's columns, 392 wide: 146 -> 131 GFLOP/s in a
// kernel-only test on a Xeon), which packing avoids where enough row tiles re-read the panel: with
// at most two (the caller's m <= 2 MR), packing costs more (AVX2, 8x2304x392: 0.89x the speed).
// Measured packed against in place off the grid (AVX-512, m x k x n): 128x2304x392 1.18x at
// 1 thread, 1.19x at 2; 64x784x512 1.09x / 1.20x; 64x512x512 0.97x / 1.12x.
// Zen 4 has no such cost: there the packing is what costs (in place off the grid against packed,
// 1 thread: 64x784x512 1.08x, 64x512x784 1.10x, 64x512x512 1.09x, 128x2304x392 1.04x; 2 threads
// 1.04-1.17x). So the rule holds only where the microkernel measurably slows on straddling rows
// (off_grid_rows_cheap, measured once per table: gemm_split_probe.h).
template <class T>
bool rows_on_lines(const T* base, int64_t rs, int64_t bs) {
  constexpr int64_t kLine = 64;
  const int64_t size = static_cast<int64_t>(sizeof(T));
  return reinterpret_cast<uintptr_t>(base) % kLine == 0 && (rs * size) % kLine == 0 && (bs * size) % kLine == 0;
}

// float64 reads B in place only for few rows (direct_b_max_m = 2 MR): the question never arises.
template <class T>
bool off_grid_rows_cheap(const GemmKernelsT<T>& K) {
  if constexpr (std::is_same_v<T, float>) return gemm::off_grid_rows_cheap(K);
  return false;
}

// The dot-product form needs enough k to fill its vectors, and copies B when its columns aren't
// contiguous: only when that copy is small.
constexpr int64_t kDotMinK = 32;
constexpr int64_t kMaxDotCopy = int64_t{1} << 20;  // floats

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

const GemmKernelsT<double>& kernels_f64_for(Isa isa) {
  switch (isa) {
#if defined(__x86_64__) || defined(_M_X64)
    case Isa::kAvx512: return gemm::kGemmF64Avx512;
    case Isa::kAvx2: return gemm::kGemmF64Avx2;
#endif
    default: return gemm::kGemmF64Scalar;
  }
}

// A grow-only, 64-byte aligned scratch buffer per thread (pool workers and callers alike), at most
// KC x NC elements for packed B (half the L3 share), MC x KC for packed A, kMaxDotCopy for the dot
// form's B, kMaxKSplitScratch for the K split's partial sums. get<T> hands it out as T (float or
// double).
// NOTE: per OS thread, so the pools of several Node worker_threads never share one. No destructor
// (see pool.h: a thread_local's destructor runs on freed memory under mingw-w64): the pool frees
// the buffers through release_scratch before each of its threads exits.
struct Scratch {
  static constexpr std::align_val_t kAlign{64};
  void* ptr = nullptr;
  size_t cap = 0;  // bytes
  void release() {
    if (ptr != nullptr) ::operator delete(ptr, kAlign);
    ptr = nullptr;
    cap = 0;
  }
  template <class T>
  T* get(size_t count) {
    const size_t bytes = count * sizeof(T);
    if (bytes > cap) {
      release();
      // NOTE: this runs on pool workers, where an exception can't reach JS. The size is bounded
      // whatever the input (see above), so failing here means the process is out of memory.
      ptr = ::operator new(bytes, kAlign, std::nothrow);
      if (ptr == nullptr) {
        std::fprintf(stderr, "torchlet: out of memory for %zu bytes of GEMM scratch\n", bytes);
        std::abort();
      }
      cap = bytes;
    }
    return static_cast<T*>(ptr);
  }
};
static_assert(std::is_trivially_destructible_v<Scratch>, "a thread_local must not need a destructor");
// t_scratch_k: the K split's partial sums, on the thread that calls the GEMM (the pool's threads
// write into it while that thread waits in parallel_for).
thread_local Scratch t_scratch_a, t_scratch_b, t_scratch_t, t_scratch_k;

void release_scratch() {
  t_scratch_a.release();
  t_scratch_b.release();
  t_scratch_t.release();
  t_scratch_k.release();
}
[[maybe_unused]] const bool kScratchReleaseRegistered =
    (register_thread_state_release(&release_scratch), true);

// One unit of parallel work: rows [i0, i1) x columns [j0, j1) of C for batches [b0, b1).

template <class T>
struct Plan {
  const GemmArgsT<T>* args;
  const GemmKernelsT<T>* kern;
  bool pack_a;
  bool direct_b;    // B's rows are contiguous and few rows of C reuse them: no packing
  bool c_rowmajor;  // c_cs == 1: full tiles go straight to C
  GemmBlocking blocks;  // MC, KC, NC from the detected caches (gemm_blocking.h)
};

// C tile (mr x nr at c) (+)= a tile computed by the microkernel into a dense MR x NR buffer.
// A column-major C takes the ISA's transposed copy, or a loop along its columns.
template <class T>
void store_tile(const GemmKernelsT<T>& K, const T* tile, int64_t nr_full, int64_t mr, int64_t nr,
                T* c, int64_t c_rs, int64_t c_cs, bool accumulate) {
  const bool by_column = c_rs == 1 && c_cs != 1;
  if (by_column && K.transpose != nullptr) {
    return K.transpose(mr, nr, tile, nr_full, c, c_cs, accumulate);
  }
  const int64_t outer = by_column ? nr : mr, inner = by_column ? mr : nr;
  const int64_t c_out = by_column ? c_cs : c_rs, c_in = by_column ? 1 : c_cs;
  const int64_t t_out = by_column ? 1 : nr_full, t_in = by_column ? nr_full : 1;
  for (int64_t o = 0; o < outer; ++o) {
    T* co = c + o * c_out;
    const T* to = tile + o * t_out;
    if (accumulate) {
      for (int64_t x = 0; x < inner; ++x) co[x * c_in] += to[x * t_in];
    } else {
      for (int64_t x = 0; x < inner; ++x) co[x * c_in] = to[x * t_in];
    }
  }
}

// One MR x NR (or smaller) tile of C: straight into C when it is a full tile of a row-major C,
// through a dense buffer otherwise.
template <class T>
inline void run_tile(const Plan<T>& plan, int64_t mr, int64_t nr, int64_t kc, const T* ap,
                     int64_t ap_rs, int64_t ap_cs, const T* bp, int64_t bp_rs, T* ct, bool acc) {
  const GemmArgsT<T>& g = *plan.args;
  const GemmKernelsT<T>& K = *plan.kern;
  if (nr == K.nr && plan.c_rowmajor) {
    K.ukernel(mr, kc, ap, ap_rs, ap_cs, bp, bp_rs, ct, g.c_rs, acc);
  } else {
    alignas(64) T tile[kMaxMr * kMaxNr];
    K.ukernel(mr, kc, ap, ap_rs, ap_cs, bp, bp_rs, tile, K.nr, false);
    store_tile(K, tile, K.nr, mr, nr, ct, g.c_rs, g.c_cs, acc);
  }
}

// The five BLIS loops: B packed KC x NC at a time (L3), A packed MC x KC (L2), then NR-column
// by MR-row tiles, the B micro-panel staying in L1 while A streams.
template <class T>
void run_item_packed(const Plan<T>& plan, const Item& it) {
  const GemmArgsT<T>& g = *plan.args;
  const GemmKernelsT<T>& K = *plan.kern;
  const int64_t MR = K.mr, NR = K.nr;
  const int64_t NC = plan.blocks.nc, MC = plan.blocks.mc;
  const int64_t nc_max = ceil_div(std::min<int64_t>(NC, it.j1 - it.j0), NR) * NR;
  const int64_t kc_max = std::min<int64_t>(K.kc, g.k);
  // Packed panels are whole: ceil(mc / MR) * MR rows and ceil(nc / NR) * NR columns.
  const int64_t mc_max = ceil_div(std::min<int64_t>(MC, it.i1 - it.i0), MR) * MR;
  T* bbuf = t_scratch_b.get<T>(static_cast<size_t>(kc_max * nc_max));
  T* abuf = t_scratch_a.get<T>(static_cast<size_t>(mc_max * kc_max));
  for (int64_t bi = it.b0; bi < it.b1; ++bi) {
    const T* a = g.a + bi * g.a_bs;
    const T* b = g.b + bi * g.b_bs;
    T* c = g.c + bi * g.c_bs;
    for (int64_t jc = it.j0; jc < it.j1; jc += NC) {
      const int64_t nc = std::min<int64_t>(NC, it.j1 - jc);
      for (int64_t pc = 0; pc < g.k; pc += K.kc) {
        const int64_t kc = std::min<int64_t>(K.kc, g.k - pc);
        const bool acc = g.accumulate || pc > 0;  // later KC blocks add to C
        if (g.b_packer != nullptr) {
          g.b_packer->pack(g.b_packer->self, bi, pc, kc, jc, nc, NR, bbuf);
        } else {
          K.pack_b(kc, nc, b + pc * g.b_rs + jc * g.b_cs, g.b_rs, g.b_cs, bbuf);
        }
        for (int64_t ic = it.i0; ic < it.i1; ic += MC) {
          const int64_t mc = std::min<int64_t>(MC, it.i1 - ic);
          K.pack_a(mc, kc, a + ic * g.a_rs + pc * g.a_cs, g.a_rs, g.a_cs, abuf);
          for (int64_t jr = 0; jr < nc; jr += NR) {
            const int64_t nr = std::min<int64_t>(NR, nc - jr);
            for (int64_t ir = 0; ir < mc; ir += MR) {
              const int64_t mr = std::min<int64_t>(MR, mc - ir);
              run_tile(plan, mr, nr, kc, abuf + ir * kc, 1, MR, bbuf + jr * kc, NR,
                       c + (ic + ir) * g.c_rs + (jc + jr) * g.c_cs, acc);
            }
          }
        }
      }
    }
  }
}

// Rows of a tile that reads A in place with its rows apart (a_rs > 1): each row is its own stream of
// loads from its own address register, and above 8 the 14-row AVX-512 tile ran slower than 8-row
// tiles do (Zen 4, 1 thread, A's rows 4-8 KB apart: 128x1024x256 1.29x, 100x1024x1024 1.27x,
// 64x1024x2048 1.23x with 8-row tiles; rows 2-3 KB apart within noise either way: the loop
// reloads five of its fourteen row addresses from the stack each k and walks fourteen pages).
// The sums don't depend on the tile's height. A transposed A (a_rs = 1) reads one run of
// contiguous floats per k and keeps the ISA's tile.
constexpr int64_t kMaxInPlaceRows = 8;

template <class T>
int64_t in_place_tile_rows(const GemmArgsT<T>& g, const GemmKernelsT<T>& K) {
  return g.a_rs == 1 ? K.mr : std::min<int64_t>(K.mr, kMaxInPlaceRows);
}

// Rows of the next tile when `left` rows remain: MR, except that the last two tiles share their
// rows evenly (10 rows are 5 + 5, not 8 + 2), as a tile of very few rows can't hide FMA latency.
int64_t row_tile(int64_t left, int64_t MR) {
  if (left >= 2 * MR || left <= MR) return std::min(left, MR);
  return (left + 1) / 2;
}

// body(bi, a, b, c, pc, kc, acc) for each batch bi of the item, with that batch's operands, and
// each KC block [pc, pc + kc) of k; acc: the block adds to C (later blocks, or all when accumulating).
template <class T, class Body>
void for_each_kc_block(const GemmArgsT<T>& g, const GemmKernelsT<T>& K, const Item& it, const Body& body) {
  for (int64_t bi = it.b0; bi < it.b1; ++bi) {
    const T* a = g.a + bi * g.a_bs;
    const T* b = g.b + bi * g.b_bs;
    T* c = g.c + bi * g.c_bs;
    for (int64_t pc = 0; pc < g.k; pc += K.kc) {
      body(bi, a, b, c, pc, std::min<int64_t>(K.kc, g.k - pc), g.accumulate || pc > 0);
    }
  }
}

// Few rows of C: A is read in place (its rows stay in L2), and B one NR-column panel at a time,
// in place when its rows are contiguous, else packed just before the row tiles that use it.
template <class T>
void run_item_small(const Plan<T>& plan, const Item& it) {
  const GemmArgsT<T>& g = *plan.args;
  const GemmKernelsT<T>& K = *plan.kern;
  const int64_t MR = in_place_tile_rows(g, K), NR = K.nr;
  T* bbuf = t_scratch_b.get<T>(static_cast<size_t>(std::min<int64_t>(K.kc, g.k) * NR));
  for_each_kc_block(g, K, it, [&](int64_t bi, const T* a, const T* b, T* c, int64_t pc, int64_t kc, bool acc) {
    for (int64_t jr = it.j0; jr < it.j1; jr += NR) {
      const int64_t nr = std::min<int64_t>(NR, it.j1 - jr);
      const T* bp = b + pc * g.b_rs + jr * g.b_cs;
      int64_t bp_rs = g.b_rs;
      if (g.b_packer != nullptr) {
        // NOTE: also where B would be read in place: the microkernel's sums don't depend on b_rs.
        g.b_packer->pack(g.b_packer->self, bi, pc, kc, jr, nr, NR, bbuf);
        bp = bbuf;
        bp_rs = NR;
      } else if (!(plan.direct_b && nr == NR)) {
        K.pack_b(kc, nr, bp, g.b_rs, g.b_cs, bbuf);
        bp = bbuf;
        bp_rs = NR;
      }
      for (int64_t ir = it.i0; ir < it.i1;) {
        const int64_t mr = row_tile(it.i1 - ir, MR);
        run_tile(plan, mr, nr, kc, a + ir * g.a_rs + pc * g.a_cs, g.a_rs, g.a_cs, bp, bp_rs,
                 c + ir * g.c_rs + jr * g.c_cs, acc);
        ir += mr;
      }
    }
  });
}

// Few columns of C, A read in place and all of B packed per KC block: the BLIS loops with A
// unpacked. B's NR-column panels (few: C is narrow) sit in L2; A goes MC rows at a time, read once
// from memory into L2, and every panel of B meets the block from L1 while its strips stream.
// This is X·Wᵀ for a few rows of X (a Linear at a small batch) in the orientation Cᵀ = W·Xᵀ: the
// weights are read in place and only X is packed, where the other paths transpose W on each call.
template <class T>
void run_item_resident_b(const Plan<T>& plan, const Item& it) {
  const GemmArgsT<T>& g = *plan.args;
  const GemmKernelsT<T>& K = *plan.kern;
  const int64_t MR = in_place_tile_rows(g, K), NR = K.nr, MC = plan.blocks.mc;
  const int64_t cols = it.j1 - it.j0;
  const int64_t panels = ceil_div(cols, NR);
  const int64_t kc_max = std::min<int64_t>(K.kc, g.k);
  T* bbuf = t_scratch_b.get<T>(static_cast<size_t>(kc_max * panels * NR));
  for_each_kc_block(g, K, it, [&](int64_t, const T* a, const T* b, T* c, int64_t pc, int64_t kc, bool acc) {
    K.pack_b(kc, cols, b + pc * g.b_rs + it.j0 * g.b_cs, g.b_rs, g.b_cs, bbuf);
    for (int64_t ic = it.i0; ic < it.i1; ic += MC) {
      const int64_t i_end = std::min<int64_t>(ic + MC, it.i1);
      for (int64_t p = 0; p < panels; ++p) {
        const int64_t jr = it.j0 + p * NR;
        const int64_t nr = std::min<int64_t>(NR, it.j1 - jr);
        for (int64_t ir = ic; ir < i_end;) {
          const int64_t mr = row_tile(i_end - ir, MR);
          run_tile(plan, mr, nr, kc, a + ir * g.a_rs + pc * g.a_cs, g.a_rs, g.a_cs,
                   bbuf + p * kc * NR, NR, c + ir * g.c_rs + jr * g.c_cs, acc);
          ir += mr;
        }
      }
    }
  });
}

template <class T>
void zero_or_keep(const GemmArgsT<T>& g) {
  if (g.accumulate) return;  // C += A*B with k = 0 leaves C as it is
  for (int64_t bi = 0; bi < g.batch; ++bi) {
    for (int64_t i = 0; i < g.m; ++i) {
      T* ci = g.c + bi * g.c_bs + i * g.c_rs;
      for (int64_t j = 0; j < g.n; ++j) ci[j * g.c_cs] = T(0);
    }
  }
}

// The problem with A and B swapped: C^T = B^T A^T. Every element is the same sum of the same
// products in the same order, so the result is unchanged.
template <class T>
GemmArgsT<T> transposed(const GemmArgsT<T>& g) {
  GemmArgsT<T> t = g;
  t.m = g.n;
  t.n = g.m;
  t.a = g.b;
  t.a_bs = g.b_bs;
  t.a_rs = g.b_cs;
  t.a_cs = g.b_rs;
  t.b = g.a;
  t.b_bs = g.a_bs;
  t.b_rs = g.a_cs;
  t.b_cs = g.a_rs;
  t.c_rs = g.c_cs;
  t.c_cs = g.c_rs;
  return t;
}

// Whether the dot-product form (vectors along k) suits g: a narrow C, A's rows contiguous in k,
// and B's columns contiguous in k or narrow enough to be transposed into a scratch copy.
template <class T>
bool wants_dot(const GemmArgsT<T>& g, const GemmKernelsT<T>& K) {
  if (K.dot == nullptr || g.k < kDotMinK) return false;
  const int64_t narrow = K.nr / 2;
  if (g.a_cs == 1 && g.b_rs == 1) return std::min(g.m, g.n) <= narrow;
  // B is transposed first, n x k floats at a time
  return g.a_cs == 1 && g.n <= narrow && g.n * g.k <= kMaxDotCopy;
}

// Bt = B[:, j0:j1] transposed (rows contiguous in k) for one batch, into this thread's scratch.
template <class T>
const T* transposed_b(const GemmArgsT<T>& g, const GemmKernelsT<T>& K, const T* b, int64_t j0,
                      int64_t j1) {
  const int64_t cols = j1 - j0;
  T* dst = t_scratch_t.get<T>(static_cast<size_t>(cols * g.k));
  b += j0 * g.b_cs;
  if (K.transpose != nullptr && g.b_cs == 1) {
    K.transpose(g.k, cols, b, g.b_rs, dst, g.k, false);
  } else {
    for (int64_t p = 0; p < g.k; ++p)
      for (int64_t j = 0; j < cols; ++j) dst[j * g.k + p] = b[p * g.b_rs + j * g.b_cs];
  }
  return dst;
}

// One item of the dot-product form.
template <class T>
void run_dot_item(const GemmArgsT<T>& g, const GemmKernelsT<T>& K, const Item& it) {
  const bool copy_b = g.b_rs != 1;
  const T* bt_copy = nullptr;
  for (int64_t bi = it.b0; bi < it.b1; ++bi) {
    const T* b = g.b + bi * g.b_bs;
    // Bt[j][p] = bt[j*bt_rs + p], j counted from it.j0.
    const T* bt = b + it.j0 * g.b_cs;
    int64_t bt_rs = g.b_cs;
    if (copy_b) {
      if (bi == it.b0 || g.b_bs != 0) bt_copy = transposed_b(g, K, b, it.j0, it.j1);
      bt = bt_copy;
      bt_rs = g.k;
    }
    K.dot(it.i1 - it.i0, it.j1 - it.j0, g.k, g.a + bi * g.a_bs + it.i0 * g.a_rs, g.a_rs, bt,
          bt_rs, g.c + bi * g.c_bs + it.i0 * g.c_rs + it.j0 * g.c_cs, g.c_rs, g.c_cs,
          g.accumulate);
  }
}

// The parts of a K split (gemm_partition.h): part p is the problem over K range p with its own
// dense row-major C (batch x m x n) in `partial`, computed from scratch (no accumulate).
template <class T>
std::vector<GemmArgsT<T>> k_parts(const GemmArgsT<T>& g, const KSplit& ks, T* partial) {
  std::vector<GemmArgsT<T>> parts(static_cast<size_t>(ks.parts), g);
  const int64_t c_size = g.batch * g.m * g.n;
  for (int64_t p = 0; p < ks.parts; ++p) {
    GemmArgsT<T>& q = parts[static_cast<size_t>(p)];
    const int64_t k0 = ks.k0(p);
    q.k = ks.k1(p, g.k) - k0;
    q.a = g.a + k0 * g.a_cs;
    q.b = g.b + k0 * g.b_rs;
    q.c = partial + p * c_size;
    q.c_bs = g.m * g.n;
    q.c_rs = g.n;
    q.c_cs = 1;
    q.accumulate = false;
  }
  return parts;
}

// C (+)= the sum of the parts, added in order (part 0 + part 1 + ...), the same for every element
// whoever adds it. Rows of C in chunks of whole rows; part 0's rows hold the running sum.
template <class T>
void add_k_parts(const GemmArgsT<T>& g, const KSplit& ks, T* partial, ThreadPool& pool) {
  const int64_t c_size = g.batch * g.m * g.n;
  const size_t rows = static_cast<size_t>(g.batch * g.m);
  // NOTE: chunks of ~16K elements: the chunking follows the shape, never the thread count.
  const size_t grain = static_cast<size_t>(std::max<int64_t>(1, (int64_t{1} << 14) / g.n));
  pool.parallel_for(rows, grain, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      const int64_t bi = static_cast<int64_t>(r) / g.m, i = static_cast<int64_t>(r) % g.m;
      T* sum = partial + static_cast<int64_t>(r) * g.n;
      for (int64_t p = 1; p < ks.parts; ++p) {
        const T* part = sum + p * c_size;
        for (int64_t j = 0; j < g.n; ++j) sum[j] += part[j];
      }
      T* c = g.c + bi * g.c_bs + i * g.c_rs;
      if (g.accumulate) {
        for (int64_t j = 0; j < g.n; ++j) c[j * g.c_cs] += sum[j];
      } else {
        for (int64_t j = 0; j < g.n; ++j) c[j * g.c_cs] = sum[j];
      }
    }
  });
}

// The packed path computes NR columns at a time, so it takes the orientation whose rows waste
// fewer of them (C^T when C is tall and narrow); otherwise the one whose C tiles are
// contiguous rows. A quarter of the lanes wasted always decides it. An eighth decides it only
// where the other costs of the swap are covered: k >= 256 (each C tile of the swapped problem
// goes out through a transposed store, once per KC block) and an A that would be packed anyway
// (more than kSmallM rows; the other orientation packs it as its B, at the same cost), so a few
// rows read in place are never traded for a packed transpose.
// Measured (Zen 4, 1 thread, GFLOP/s min of 10): ResNet-18's layer4 at batch 1 (M 512, N 49,
// K 4608) 67 -> 81, its stride-2 conv 65 -> 81; 256x1024 x 1024x100 72 -> 90; K = 64 loses
// (1024x64 x 64x100: 69 -> 61), and conv2d's own 128-row items lose at 2 threads. Exactly an
// eighth (196 columns in 7 panels of 32, ResNet-18's 14x14 layers at batch 1) decides it too:
// (Xeon, AVX-512, 1 thread) 256x2304x196 120 -> 132 GFLOP/s, 512x2304x196 125 -> 134; but not for
// a caller-packed B (conv2d's implicit GEMM), which the swapped problem builds first: its batch-1
// 256-channel 3x3 layer took 2.2 -> 2.5 ms.
template <class T>
bool prefers_swap(const GemmArgsT<T>& args, const GemmKernelsT<T>& K) {
  const int64_t lanes = ceil_div(args.n, K.nr) * K.nr * args.m;
  const int64_t lanes_swapped = ceil_div(args.m, K.nr) * K.nr * args.n;
  bool swap = args.c_cs != 1 && args.c_rs == 1;
  if (4 * lanes_swapped < 3 * lanes) swap = true;
  if (4 * lanes < 3 * lanes_swapped) swap = false;
  // x wastes at least an eighth fewer lanes than y (exactly an eighth only without a caller's packer)
  const auto eighth_fewer = [&](int64_t x, int64_t y) { return 8 * x < 7 * y || (args.b_packer == nullptr && 8 * x == 7 * y); };
  if (args.k >= 256 && args.m > kSmallM && eighth_fewer(lanes_swapped, lanes)) swap = true;
  if (args.k >= 256 && args.n > kSmallM && eighth_fewer(lanes, lanes_swapped)) swap = false;
  return swap;
}

template <class T>
void gemm_any(const GemmArgsT<T>& args, const GemmKernelsT<T>& K, ThreadPool& pool);

// Whether C = A·B suits run_item_resident_b in the swapped orientation: the packed loops keep
// this one (prefers_swap; else they already read B in place, as the swapped A), at most the ISA's
// resident_b_max_m rows (A, to be packed, is small), both operands contiguous along k (B's
// columns are a weight's rows: packing B is a transpose), B wider than A is tall, k >= 256 to
// amortize each tile's transposed store, and A's rows filling the NR-wide panels they become (at
// most 1/8 of the lanes wasted). Measured (AVX-512, 1 thread): 28-32 rows with k >= 256 take
// 0.79-0.93x the time; 64 rows 0.92-0.96x but 128 rows 1.02-1.12x; k = 64 1.06x; on AVX2 (6x16
// tiles) 32 rows gain 0.91-0.99x and lose up to 1.22x, 64 rows lose 1.04x: off there.
template <class T>
bool wants_resident_b(const GemmArgsT<T>& g, const GemmKernelsT<T>& K) {
  if (g.b_packer != nullptr || g.m > K.resident_b_max_m || g.n <= g.m || g.k < 256) return false;
  if (g.a_cs != 1 || g.b_rs != 1 || prefers_swap(g, K)) return false;
  return 7 * ceil_div(g.m, K.nr) * K.nr <= 8 * g.m;
}

// args with its caller-packed B built as a contiguous matrix first (one panel n wide per batch),
// then the GEMM as usual: the same plan and sums as with the packer, as gemm.h promises.
// NOTE: runs on the calling thread, so running out of memory here throws to JS.
template <class T>
void gemm_b_built(const GemmArgsT<T>& args, const GemmKernelsT<T>& K, ThreadPool& pool) {
  const int64_t nb = args.b_bs == 0 ? 1 : args.batch;
  std::vector<T> b(static_cast<size_t>(nb * args.k * args.n));
  for (int64_t bi = 0; bi < nb; ++bi) {
    args.b_packer->pack(args.b_packer->self, bi, 0, args.k, 0, args.n, args.n, b.data() + bi * args.k * args.n);
  }
  GemmArgsT<T> g = args;
  g.b = b.data();
  g.b_packer = nullptr;
  gemm_any(g, K, pool);
}

// Runs `split`'s items of every part of `ks` in one parallel loop (item-major within a part,
// part after part), run_item(part's args, item) computing each, then adds the parts into C.
template <class T, class RunItem>
void run_split(const GemmArgsT<T>& g, const KSplit& ks, const Split& split, ThreadPool& pool,
               const RunItem& run_item) {
  const size_t items = split.items();
  if (ks.parts == 1) {
    pool.parallel_for(items, 1, [&](size_t begin, size_t end) {
      for (size_t t = begin; t < end; ++t) run_item(g, split.item(t, g.batch, g.m, g.n));
    });
    return;
  }
  // NOTE: at most kMaxKSplitScratch elements, as make_k_split only splits a small C. Every
  // element is written by its part's items before it is read, so the buffer isn't cleared.
  T* partial = t_scratch_k.get<T>(static_cast<size_t>(ks.parts * g.batch * g.m * g.n));
  const std::vector<GemmArgsT<T>> parts = k_parts(g, ks, partial);
  pool.parallel_for(items * parts.size(), 1, [&](size_t begin, size_t end) {
    for (size_t w = begin; w < end; ++w) {
      const GemmArgsT<T>& q = parts[w / items];
      run_item(q, split.item(w % items, q.batch, q.m, q.n));
    }
  });
  add_k_parts(g, ks, partial, pool);
}

// run(part, item) for each item of the split, part being `plan` bound to the item's K part.
// NOTE: the path (pack_a, direct_b, resident B) is chosen for the whole problem; a part only
// changes the operands' offsets, its depth and its C (dense row-major partial sums).
template <class T, class Run>
void run_plan(const Plan<T>& plan, const KSplit& ks, const Split& split, ThreadPool& pool,
              const Run& run) {
  run_split(*plan.args, ks, split, pool, [&](const GemmArgsT<T>& q, const Item& it) {
    Plan<T> part = plan;
    part.args = &q;
    part.c_rowmajor = q.c_cs == 1;
    run(part, it);
  });
}

template <class T>
void gemm_any(const GemmArgsT<T>& args, const GemmKernelsT<T>& K, ThreadPool& pool) {
  if (args.batch <= 0 || args.m <= 0 || args.n <= 0) return;
  if (args.k <= 0) {
    zero_or_keep(args);
    return;
  }
  const double flops = 2.0 * static_cast<double>(args.m) * static_cast<double>(args.n) *
                       static_cast<double>(args.k) * static_cast<double>(args.batch);
  const int64_t want = gemm_items_wanted(flops, pool.num_threads());

  // A caller-packed B (gemm.h) feeds only the packed loops in this orientation; the other forms
  // read B itself, so B is built first (lib/ops/conv_implicit.ts mostly avoids that case).
  const GemmArgsT<T> swapped = transposed(args);
  if (args.b_packer != nullptr && (wants_dot(args, K) || wants_dot(swapped, K) || prefers_swap(args, K))) {
    return gemm_b_built(args, K, pool);
  }

  // Narrow C with k-contiguous operands: vectors along k, in either orientation.
  const GemmArgsT<T>* dot_g = wants_dot(args, K) ? &args : wants_dot(swapped, K) ? &swapped : nullptr;
  if (dot_g != nullptr) {
    const GemmArgsT<T>& g = *dot_g;
    const KSplit ks = make_k_split(g.batch, g.m, g.n, g.k, g.c_bs == 0, K.dot_rm, 8);
    // NOTE: when B needs transposing, each item makes its own copy of its columns (of its part
    // of K) on its own thread: one item per thread, parts included, as copying once and sharing
    // the copy was slower (the other core then pulls the freshly written lines out of this one's
    // cache).
    const int64_t w = g.b_rs != 1 ? std::min<int64_t>(want, pool.num_threads()) : want;
    const Split split = make_part_split(ks, w, g.batch, g.m, g.n, g.c_bs == 0, K.dot_rm, 8, g.m >= g.n);
    return run_split(g, ks, split, pool,
                     [&](const GemmArgsT<T>& q, const Item& it) { run_dot_item(q, K, it); });
  }

  const GemmBlocking blocks =
      gemm_blocking(cache_sizes(), K.mr, K.nr, K.kc, static_cast<int64_t>(sizeof(T)));
  if (wants_resident_b(args, K)) {
    Plan<T> plan{};
    plan.args = &swapped;
    plan.kern = &K;
    plan.blocks = blocks;
    const PartSplit ps = make_resident_b_split(args.batch, args.m, args.n, args.k, args.c_bs == 0, want, K.mr, K.nr);
    return run_plan(plan, ps.ks, ps.split, pool,
                    [](const Plan<T>& part, const Item& it) { run_item_resident_b(part, it); });
  }

  const bool swap = prefers_swap(args, K);
  const GemmArgsT<T>& g = swap ? swapped : args;

  Plan<T> plan;
  plan.args = &g;
  plan.kern = &K;
  // NOTE: a taller A is read in place too when its columns are contiguous, one KC block deep and
  // no larger than L2 (the MLP's backward X^T dY): then every item would pack all of A again for
  // little gain. A larger one is read again from L3 for every NR panel of C, each of its k rows a
  // page apart: packed, the wide MLP's dW (A 2048 x 512) runs 77 -> 110 GFLOP/s on Zen 4.
  const bool a_fits_l2 =
      g.m * g.k * static_cast<int64_t>(sizeof(T)) <= static_cast<int64_t>(cache_sizes().l2);
  const bool a_rows_near = g.a_cs * static_cast<int64_t>(sizeof(T)) <= kInPlaceMaxRowBytes;
  plan.pack_a = g.m > kSmallM && !(g.a_rs == 1 && g.k <= K.kc && a_fits_l2 && a_rows_near);
  plan.direct_b = g.b_cs == 1 && g.m <= K.direct_b_max_m &&
                  g.b_rs * static_cast<int64_t>(sizeof(T)) <= kInPlaceMaxRowBytes &&
                  (g.m <= 2 * K.mr || rows_on_lines(g.b, g.b_rs, g.b_bs) || off_grid_rows_cheap(K));
  plan.blocks = blocks;
  const KSplit ks = make_k_split(g.batch, g.m, g.n, g.k, g.c_bs == 0, K.mr, K.nr);
  // NOTE: a part offsets B by its first k, which a caller's packer can't see: a split GEMM builds
  // B first (then splits it exactly as a stored B is split).
  if (g.b_packer != nullptr && ks.parts > 1) return gemm_b_built(g, K, pool);
  const bool shared = g.c_bs == 0;
  const Split split =
      plan.pack_a ? make_packed_split(ks, want, pool.num_threads(), g.batch, g.m, g.n, g.k, shared, K.mr, K.nr)
                  : make_part_split(ks, want, g.batch, g.m, g.n, shared, K.mr, K.nr, false);
  run_plan(plan, ks, split, pool, [](const Plan<T>& part, const Item& it) {
    if (part.pack_a) {
      run_item_packed(part, it);
    } else {
      run_item_small(part, it);
    }
  });
}

}  // namespace

void gemm_f32(const GemmArgs& args, Isa isa, ThreadPool& pool) {
  gemm_any(args, kernels_for(isa), pool);
}

gemm::TransposeFn gemm_transpose_f32(Isa isa) { return kernels_for(isa).transpose; }

double gemm_off_grid_slowdown_f32(Isa isa) { return gemm::off_grid_slowdown(kernels_for(isa)); }

void gemm_f64(const GemmArgsT<double>& args, Isa isa, ThreadPool& pool) {
  gemm_any(args, kernels_f64_for(isa), pool);
}

}  // namespace torchlet
