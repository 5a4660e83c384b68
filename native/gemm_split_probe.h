// How much this core's GEMM microkernel slows down when the rows of B it reads in place straddle
// cache lines: the property that decides whether gemm.cc reads such a B in place or packs it.
// Cores differ here (a Xeon's kernel lost ~10% on split loads, Zen 4's none measurable), and
// nothing in CPUID says which, so it is measured: once per kernel table, on the kernel itself.
#pragma once

#include "gemm_kernels.h"

namespace torchlet {
namespace gemm {

// The kernel's time over B rows that each start 4 bytes past a cache line, divided by its time
// over line-aligned rows (best of several runs each, interleaved, on data that sits in L1).
double off_grid_slowdown(const GemmKernels& K);

// Whether B off the line grid may be read in place with this table's kernel (its slowdown at most
// 1.05): measured on first need, once per table (about a millisecond), remembered for the process.
bool off_grid_rows_cheap(const GemmKernels& K);

}  // namespace gemm
}  // namespace torchlet
