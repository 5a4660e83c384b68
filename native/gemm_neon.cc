// gemm_f32_8x8__neon: the arm64 microkernel (8 rows x 2 q-registers of C in 16 accumulators, each
// A element broadcast, so packed and strided A share one loop) and copy packers for the contiguous
// layouts; transposed operands go through the generic packers. Built only on arm64.
// NOTE: 8x12 spilled accumulators with GCC 12 (its 8 A scalars + 24 + 3 exceed 32 registers).
// ref: XNNPACK src/f32-gemm/gen/f32-gemm-*x8-minmax-aarch64-neonfma-lane-ld128.c (tile, naming).
#if defined(__aarch64__)

#include <arm_neon.h>

#include <algorithm>

#include "gemm_kernels.h"

namespace torchlet {
namespace gemm {

namespace {

constexpr int kMr = 8;
constexpr int kNv = 2;  // q-registers per row of the tile
constexpr int kNr = 4 * kNv;

template <int M>
void gemm_f32_tile(int64_t kc, const float* a, int64_t a_rs, int64_t a_cs, const float* bp,
                   int64_t b_rs, float* c, int64_t c_rs, bool accumulate) {
  float32x4_t acc[M][kNv];
#pragma GCC unroll 8
  for (int i = 0; i < M; ++i)
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) acc[i][v] = vdupq_n_f32(0.0f);
  for (int64_t p = 0; p < kc; ++p) {
    float32x4_t bv[kNv];
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) bv[v] = vld1q_f32(bp + 4 * v);
    bp += b_rs;
#pragma GCC unroll 8
    for (int i = 0; i < M; ++i) {
      const float32x4_t ai = vld1q_dup_f32(a + i * a_rs);
#pragma GCC unroll 4
      for (int v = 0; v < kNv; ++v) acc[i][v] = vfmaq_f32(acc[i][v], ai, bv[v]);
    }
    a += a_cs;
  }
#pragma GCC unroll 8
  for (int i = 0; i < M; ++i) {
    float* ci = c + i * c_rs;
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) {
      float32x4_t r = acc[i][v];
      if (accumulate) r = vaddq_f32(vld1q_f32(ci + 4 * v), r);
      vst1q_f32(ci + 4 * v, r);
    }
  }
}

void gemm_f32_8x8__neon(int64_t mr, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                         const float* bp, int64_t b_rs, float* c, int64_t c_rs, bool accumulate) {
  switch (mr) {
    case 1: return gemm_f32_tile<1>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 2: return gemm_f32_tile<2>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 3: return gemm_f32_tile<3>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 4: return gemm_f32_tile<4>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 5: return gemm_f32_tile<5>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 6: return gemm_f32_tile<6>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    case 7: return gemm_f32_tile<7>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
    default: return gemm_f32_tile<8>(kc, a, a_rs, a_cs, bp, b_rs, c, c_rs, accumulate);
  }
}

// A -> 8-row panels (dst[p*8 + i]); A given transposed (a_rs = 1) is two q copies per k step.
void pack_a_8__neon(int64_t mc, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                    float* dst) {
  if (a_rs != 1 || mc % kMr != 0) return pack_a_generic(kMr, mc, kc, a, a_rs, a_cs, dst);
  for (int64_t i0 = 0; i0 < mc; i0 += kMr) {
    for (int64_t p = 0; p < kc; ++p) {
      const float* src = a + i0 + p * a_cs;
      vst1q_f32(dst, vld1q_f32(src));
      vst1q_f32(dst + 4, vld1q_f32(src + 4));
      dst += kMr;
    }
  }
}

// B -> 8-column panels (dst[p*8 + j]); rows of B contiguous is two q copies per k step.
void pack_b_8__neon(int64_t kc, int64_t nc, const float* b, int64_t b_rs, int64_t b_cs,
                     float* dst) {
  if (b_cs != 1) return pack_b_generic(kNr, kc, nc, b, b_rs, b_cs, dst);
  const int64_t full = nc / kNr * kNr;
  for (int64_t j0 = 0; j0 < full; j0 += kNr) {
    for (int64_t p = 0; p < kc; ++p) {
      const float* src = b + p * b_rs + j0;
#pragma GCC unroll 4
      for (int v = 0; v < kNv; ++v) vst1q_f32(dst + 4 * v, vld1q_f32(src + 4 * v));
      dst += kNr;
    }
  }
  if (full < nc) pack_b_generic(kNr, kc, nc - full, b + full, b_rs, b_cs, dst);
}

}  // namespace

// NOTE: not tuned on hardware (none here to measure); KC x NR of B = 8 KB for a 64 KB L1,
// MC x KC of A = 128 KB for a 1 MB L2 (Neoverse N1 / Apple M-class sizes or larger).
const GemmKernels kGemmNeon = {"gemm_f32_8x8__neon", kMr, kNr, 256, kMr, 0,
                               gemm_f32_8x8__neon, pack_a_8__neon, pack_b_8__neon,
                               nullptr, 0, nullptr};

}  // namespace gemm
}  // namespace torchlet

#endif  // __aarch64__
