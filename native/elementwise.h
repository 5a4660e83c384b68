// The per-ISA table of contiguous float32 kernels (elementwise, row/column reductions, softmax rows),
// one table per *_<isa>.cc file, picked at run time by kernels_for(isa). Strides, broadcasting and
// threads are the dispatchers' job (elementwise.cc, reduce.cc, softmax.cc), not the kernels'.
// ref: the function tables of XNNPACK (src/configs/*-config.c) and llamafile's sgemm.cpp dispatch.
#pragma once

#include <cstdint>

#include "isa.h"

namespace torchlet {

// Op codes. The names (in this order) are exported by the addon so the TS side maps them by name.
enum UnaryOpCode : int {
  kNeg, kExp, kLog, kLog1p, kSqrt, kAbs, kSign, kRelu, kSigmoid, kTanh, kErf, kSin, kCos,
  kFloor, kCeil, kRound, kTrunc,
  // libm functions (per lane in the vector tables); erfinv is ours (erfinv.h)
  kTan, kAsin, kAcos, kAtan, kSinh, kCosh, kAsinh, kAcosh, kAtanh, kExpm1, kExp2, kLog2, kLog10,
  kErfc, kErfinv, kNumUnaryOps
};
enum BinaryOpCode : int {
  kAdd, kSub, kMul, kDiv, kPow, kMaximum, kMinimum,  // arithmetic: float out
  kAtan2, kHypot, kFmod, kCopysign, kLogaddexp, kLogaddexp2,  // arithmetic via libm, per lane
  kEq, kNe, kLt, kLe, kGt, kGe,                       // comparisons: bool out
  kAnd, kOr, kXor,                                    // logical: bool in, bool out
  kNumBinaryOps
};
constexpr int kNumArithOps = kLogaddexp2 - kAdd + 1;  // kAdd..kLogaddexp2
constexpr int kNumCompareOps = kGe - kEq + 1;         // kEq..kGe
// The ops whose element costs a libm call (tens of ns): the dispatchers cut their work finer.
constexpr bool is_libm_unary(int op) {
  return op == kExp || op == kLog || op == kLog1p || op == kSigmoid || op == kTanh || op == kErf ||
         op == kSin || op == kCos || op >= kTan;
}
constexpr bool is_libm_arith(int op) { return op == kPow || (op >= kAtan2 && op <= kLogaddexp2); }

enum ReduceOpCode : int { kSum, kMax, kMin, kNumReduceOps };
enum ArgReduceOpCode : int { kArgmax, kArgmin, kNumArgReduceOps };

extern const char* const kUnaryOpNames[kNumUnaryOps];
extern const char* const kBinaryOpNames[kNumBinaryOps];
extern const char* const kReduceOpNames[kNumReduceOps];
extern const char* const kArgReduceOpNames[kNumArgReduceOps];

// Operand layouts of a contiguous binary kernel: both vectors, b a broadcast scalar, a a scalar.
enum BroadcastCase : int { kVV = 0, kVS = 1, kSV = 2 };

using UnaryFn = void (*)(const float* x, float* y, int64_t n);
using ClampFn = void (*)(const float* x, float* y, int64_t n, float lo, float hi);
using BinaryFn = void (*)(const float* a, const float* b, float* y, int64_t n);
using CompareFn = void (*)(const float* a, const float* b, uint8_t* y, int64_t n);
using SoftmaxRowFn = void (*)(const float* x, float* y, int64_t n, bool log);
// y = a + alpha * b with one rounding (fused multiply-add); y may equal a.
using AddScaledFn = void (*)(const float* a, const float* b, float* y, int64_t n, float alpha);

// The float32 scalars of one Adam step (lib/backend/types.ts AdamScalars, each rounded to float).
struct AdamConsts {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, neg_step_size, bc2_sqrt, eps, decay;
  bool decayed;  // decay != 1: multiply p by decay first (AdamW)
};
// One Adam update of n contiguous elements, in place; vmax is null unless amsgrad.
using AdamFn = void (*)(float* p, const float* g, float* m, float* v, float* vmax, int64_t n,
                        const AdamConsts& c);

struct Kernels {
  const char* name;
  // Each element's result depends only on its inputs (never on its position in the array), so
  // any split of the work gives the same bits. x == y (in place) is allowed.
  UnaryFn unary[kNumUnaryOps];
  ClampFn clamp;                             // PyTorch's: NaN x stays, NaN bound ignored, lo > hi -> hi
  BinaryFn arith[kNumArithOps][3];           // [op - kAdd][BroadcastCase]
  CompareFn compare[kNumCompareOps][3];      // [op - kEq][BroadcastCase]
  // Row reductions of x[0..n), n >= 1. sum accumulates in double; max/min return NaN if any is NaN.
  double (*sum)(const float* x, int64_t n);
  // reduce's sum of a contiguous run: each block of 32 first folded to 8 in float, q[j] = (x[j] +
  // x[j+16]) + (x[j+8] + x[j+24]), then those and the tail (n % 32) summed in double, in any
  // order. NOTE: widening every float bound the double sum at ~4 floats per cycle (Zen 4), half of
  // what the loads deliver; with two float roundings per element the error is ~eps * sum|x| (a
  // float accumulator's grows with n). js/reduce.ts folds the same quads where reduce uses this.
  double (*sum_quads)(const float* x, int64_t n);
  float (*max)(const float* x, int64_t n);
  float (*min)(const float* x, int64_t n);
  // Column accumulation acc[j] = acc[j] (op) x[j], j < n; max/min keep NaN.
  void (*acc_sum)(double* acc, const float* x, int64_t n);
  void (*acc_max)(float* acc, const float* x, int64_t n);
  void (*acc_min)(float* acc, const float* x, int64_t n);
  // y = softmax(x) (or log_softmax) of one row of n >= 1 elements; y may equal x.
  SoftmaxRowFn softmax_row;
  AddScaledFn add_scaled[3];                 // [BroadcastCase]
  AdamFn adam;
};

const Kernels& kernels_scalar();
#if defined(__x86_64__) || defined(_M_X64)
const Kernels& kernels_avx2();
const Kernels& kernels_avx512();
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
const Kernels& kernels_neon();
#endif

// The table of `isa`, or the scalar one if `isa` isn't compiled into this binary.
const Kernels& kernels_for(Isa isa);

}  // namespace torchlet
