// Batched GEMM in float32 and float64: C[b] = A[b] * B[b] (+ C[b] when accumulate), any strides.
// The frontend hands transposed operands as strides; packing reads them, nothing is copied first.
#pragma once

#include <cstdint>

#include "gemm_kernels.h"
#include "isa.h"
#include "pool.h"

namespace torchlet {

// A caller's packer for B, for a B that is never stored (conv_pack.h: a convolution's columns read
// straight from the image). pack(self, batch, k0, kc, j0, nc, nr, dst) writes B[batch][k0:k0+kc]
// [j0:j0+nc] as ceil(nc / nr) panels of kc x nr elements (dst[panel*kc*nr + p*nr + j], columns past
// nc 0): the layout of GemmKernelsT::pack_b, so the packed loops run unchanged on its panels.
template <class T>
struct GemmBPackerT {
  void (*pack)(const void* self, int64_t batch, int64_t k0, int64_t kc, int64_t j0, int64_t nc, int64_t nr,
               T* dst);
  const void* self;
};

template <class T>
struct GemmArgsT {
  int64_t batch, m, n, k;
  // A[b][i][p] = a[b*a_bs + i*a_rs + p*a_cs]; B[b][p][j] = b[b*b_bs + p*b_rs + j*b_cs];
  // C[b][i][j] = c[b*c_bs + i*c_rs + j*c_cs]. Batch strides may be 0 (broadcast A or B).
  const T* a; int64_t a_bs, a_rs, a_cs;
  const T* b; int64_t b_bs, b_rs, b_cs;
  T* c; int64_t c_bs, c_rs, c_cs;
  bool accumulate;  // C += A*B instead of C = A*B
  // When set, B is read only through this packer; b is unused, and b_bs, b_rs, b_cs must be those
  // of B stored contiguously (k*n or 0, n, 1): the GEMM plans as if B were that matrix, so the
  // result is bit for bit that of the GEMM on the stored B.
  const GemmBPackerT<T>* b_packer = nullptr;
};
using GemmArgs = GemmArgsT<float>;

// Runs on `pool` with the kernels of `isa` (falls back to scalar for an ISA not compiled in).
void gemm_f32(const GemmArgs& args, Isa isa, ThreadPool& pool);
// The float kernel's slowdown on B rows that straddle cache lines (gemm_split_probe.h), for the
// dev tools: gemm_f32 measures it itself once, where it decides.
double gemm_off_grid_slowdown_f32(Isa isa);
// The ISA's transposed copy of floats (gemm_kernels.h's TransposeFn); null where the ISA has none.
gemm::TransposeFn gemm_transpose_f32(Isa isa);
// The same loops around the f64 microkernels (gemm_f64_<isa>.cc). Each element's sum runs in a
// fixed order (KC blocks in order, k in order inside one), so no result depends on the threads.
void gemm_f64(const GemmArgsT<double>& args, Isa isa, ThreadPool& pool);

}  // namespace torchlet
