// matmul: [B,M,K] x [B,K,N] -> [B,M,N] as one gemm_f32 call; view strides map straight onto
// GemmArgs, so transposed and batch-broadcast (stride 0) operands are read in place, not copied.
// Not here: the GEMM itself (gemm*.cc) or batch broadcasting rules (the frontend's job).
// ref: BLAS sgemm's (lda, ldb) generalised to row and column strides, as in BLIS.
#include "gemm.h"
#include "ops.h"

namespace torchlet {

void matmul(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate) {
  GemmArgs g{};
  g.batch = out.shape[0];
  g.m = out.shape[1];
  g.n = out.shape[2];
  g.k = a.shape[2];
  if (g.batch == 0 || g.m == 0 || g.n == 0) return;
  if (g.k == 0) {  // an empty sum
    if (!accumulate) fill(c, out, 0.0);
    return;
  }
  g.a = a.at<float>();
  g.a_bs = a.strides[0];
  g.a_rs = a.strides[1];
  g.a_cs = a.strides[2];
  g.b = b.at<float>();
  g.b_bs = b.strides[0];
  g.b_rs = b.strides[1];
  g.b_cs = b.strides[2];
  g.c = out.at<float>();
  g.c_bs = out.strides[0];
  g.c_rs = out.strides[1];
  g.c_cs = out.strides[2];
  g.accumulate = accumulate;
  gemm_f32(g, c.isa, *c.pool);
}

}  // namespace torchlet
