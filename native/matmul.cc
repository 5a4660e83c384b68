// matmul: [B,M,K] x [B,K,N] -> [B,M,N] as one gemm_f32 (or gemm_f64) call; view strides map
// straight onto GemmArgs, so transposed and batch-broadcast (stride 0) operands are read in place.
// Not here: the GEMM itself (gemm*.cc) or batch broadcasting rules (the frontend's job).
// ref: BLAS sgemm's (lda, ldb) generalised to row and column strides, as in BLIS.
#include "gemm.h"
#include "ops.h"

namespace torchlet {

namespace {

template <class T>
GemmArgsT<T> gemm_args(const View& a, const View& b, const View& out, bool accumulate) {
  GemmArgsT<T> g{};
  g.batch = out.shape[0];
  g.m = out.shape[1];
  g.n = out.shape[2];
  g.k = a.shape[2];
  g.a = a.at<T>();
  g.a_bs = a.strides[0];
  g.a_rs = a.strides[1];
  g.a_cs = a.strides[2];
  g.b = b.at<T>();
  g.b_bs = b.strides[0];
  g.b_rs = b.strides[1];
  g.b_cs = b.strides[2];
  g.c = out.at<T>();
  g.c_bs = out.strides[0];
  g.c_rs = out.strides[1];
  g.c_cs = out.strides[2];
  g.accumulate = accumulate;
  return g;
}

}  // namespace

void matmul(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate) {
  if (out.shape[0] == 0 || out.shape[1] == 0 || out.shape[2] == 0) return;
  if (a.shape[2] == 0) {  // an empty sum
    if (!accumulate) fill(c, out, 0.0);
    return;
  }
  if (a.dtype == Dtype::kFloat64) {
    gemm_f64(gemm_args<double>(a, b, out, accumulate), c.isa, *c.pool);
  } else {
    gemm_f32(gemm_args<float>(a, b, out, accumulate), c.isa, *c.pool);
  }
}

}  // namespace torchlet
