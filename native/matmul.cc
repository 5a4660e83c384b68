// matmul: [B,M,K] x [B,K,N] -> [B,M,N] as one gemm_f32 (or gemm_f64) call; view strides map
// straight onto GemmArgs, so transposed and batch-broadcast (stride 0) operands are read in place.
// Not here: the GEMM itself (gemm*.cc) or batch broadcasting rules (the frontend's job).
// ref: BLAS sgemm's (lda, ldb) generalised to row and column strides, as in BLIS.
#include "gemm_views.h"
#include "ops.h"

namespace torchlet {

void matmul(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate) {
  if (out.shape[0] == 0 || out.shape[1] == 0 || out.shape[2] == 0) return;
  if (a.shape[2] == 0) {  // an empty sum
    if (!accumulate) fill(c, out, 0.0);
    return;
  }
  if (a.dtype == Dtype::kFloat64) {
    gemm_f64(gemm_args_of<double>(a, b, out, accumulate), c.isa, *c.pool);
  } else {
    gemm_f32(gemm_args_of<float>(a, b, out, accumulate), c.isa, *c.pool);
  }
}

}  // namespace torchlet
