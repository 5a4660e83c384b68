// Backend.matmulUnfolded in the JS backend: the column matrix copied out of its 7-D view, then the
// plain matmul. This is the explicit im2col-then-GEMM path the native packer (native/conv_pack.cc)
// must match, so it is the oracle of that kernel.

import { allocStorage } from "../../dtype.js";
import type { View } from "../types.js";
import { copy } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { dtypeOf } from "./strided.js";

export function matmulUnfolded(a: View, b: View, out: View, accumulate = false): void {
  if (b.shape.length !== 7) throw new RangeError(`matmulUnfolded(): b must be 7-D [G,C,kh,kw,N,OH,OW], got [${b.shape}]`);
  const [G, C, kh, kw, N, OH, OW] = b.shape;
  const K = C * kh * kw;
  const P = OH * OW;
  const dt = dtypeOf(b.typedArray);
  if (dt !== "float32" && dt !== "float64") throw new TypeError("matmulUnfolded(): b must be float32 or float64");
  const cols = allocStorage(dt, G * K * N * P);
  copy(b, { typedArray: cols, offset: 0, shape: b.shape, strides: [K * N * P, kh * kw * N * P, kw * N * P, N * P, P, OW, 1] });
  matmul(a, { typedArray: cols, offset: 0, shape: [G, K, N * P], strides: [K * N * P, N * P, 1] }, out, accumulate);
}
