// The per-ISA table of contiguous float64 kernels (elementwise, row/column reductions), one per
// elementwise_f64_<isa>.cc file, all compiled from the same plain loops (elementwise_f64_impl.h):
// each ISA file only changes the vector width the compiler uses, never a result.
// Strides, broadcasting and threads are the dispatchers' job (elementwise_f64.cc, reduce.cc).
// No softmax here besides its row kernel: the rows are dispatched by softmax_f64 (elementwise_f64.cc).
#pragma once

#include <cstdint>

#include "elementwise.h"
#include "isa.h"

namespace torchlet {

using UnaryF64Fn = void (*)(const double* x, double* y, int64_t n);
using ClampF64Fn = void (*)(const double* x, double* y, int64_t n, double lo, double hi);
using BinaryF64Fn = void (*)(const double* a, const double* b, double* y, int64_t n);
using CompareF64Fn = void (*)(const double* a, const double* b, uint8_t* y, int64_t n);

struct KernelsF64 {
  const char* name;
  // As in Kernels (elementwise.h): each element's result depends only on its inputs; x == y is
  // allowed. Same op codes; the JS backend's expressions (lib/backend/js/scalar.ts) per element.
  UnaryF64Fn unary[kNumUnaryOps];
  ClampF64Fn clamp;
  BinaryF64Fn arith[kNumArithOps][3];     // [op - kAdd][BroadcastCase]
  CompareF64Fn compare[kNumCompareOps][3];  // [op - kEq][BroadcastCase]
  // Row reductions of x[0..n), n >= 1. sum: kSumLanes interleaved partial sums (element i goes to
  // lane i % kSumLanes), added in a fixed tree: the order depends on n only. max/min keep NaN.
  double (*sum)(const double* x, int64_t n);
  double (*max)(const double* x, int64_t n);
  double (*min)(const double* x, int64_t n);
  // Column accumulation acc[j] = acc[j] (op) x[j], j < n; max/min keep NaN.
  void (*acc_sum)(double* acc, const double* x, int64_t n);
  void (*acc_max)(double* acc, const double* x, int64_t n);
  void (*acc_min)(double* acc, const double* x, int64_t n);
  // y = softmax(x) (or log_softmax) of one row of n >= 1 elements; y may equal x.
  void (*softmax_row)(const double* x, double* y, int64_t n, bool log);
};

constexpr int kSumLanes = 8;

const KernelsF64& kernels_f64_scalar();
#if defined(__x86_64__) || defined(_M_X64)
const KernelsF64& kernels_f64_avx2();
const KernelsF64& kernels_f64_avx512();
#endif

// The table of `isa`; the scalar one (baseline flags, which the compiler may still vectorise) for
// an ISA without its own f64 file (NEON: the arm64 baseline already has it).
const KernelsF64& kernels_f64_for(Isa isa);

}  // namespace torchlet
