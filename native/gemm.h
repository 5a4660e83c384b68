// Batched GEMM in float32 and float64: C[b] = A[b] * B[b] (+ C[b] when accumulate), any strides.
// The frontend hands transposed operands as strides; packing reads them, nothing is copied first.
#pragma once

#include <cstdint>

#include "isa.h"
#include "pool.h"

namespace torchlet {

template <class T>
struct GemmArgsT {
  int64_t batch, m, n, k;
  // A[b][i][p] = a[b*a_bs + i*a_rs + p*a_cs]; B[b][p][j] = b[b*b_bs + p*b_rs + j*b_cs];
  // C[b][i][j] = c[b*c_bs + i*c_rs + j*c_cs]. Batch strides may be 0 (broadcast A or B).
  const T* a; int64_t a_bs, a_rs, a_cs;
  const T* b; int64_t b_bs, b_rs, b_cs;
  T* c; int64_t c_bs, c_rs, c_cs;
  bool accumulate;  // C += A*B instead of C = A*B
};
using GemmArgs = GemmArgsT<float>;

// Runs on `pool` with the kernels of `isa` (falls back to scalar for an ISA not compiled in).
void gemm_f32(const GemmArgs& args, Isa isa, ThreadPool& pool);
// The same loops around the f64 microkernels (gemm_f64_<isa>.cc). Each element's sum runs in a
// fixed order (KC blocks in order, k in order inside one), so no result depends on the threads.
void gemm_f64(const GemmArgsT<double>& args, Isa isa, ThreadPool& pool);

}  // namespace torchlet
