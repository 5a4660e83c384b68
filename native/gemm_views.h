// GemmArgs from three [B, M, K] x [B, K, N] -> [B, M, N] views: view strides map straight onto
// the GEMM's, so transposed and batch-broadcast (stride 0) operands are read in place. Shared by
// matmul, conv's own split (conv_gemm.cc) and the implicit-GEMM packer (conv_pack.cc).
#pragma once

#include "gemm.h"
#include "view.h"

namespace torchlet {

template <class T>
GemmArgsT<T> gemm_args_of(const View& a, const View& b, const View& out, bool accumulate) {
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

}  // namespace torchlet
