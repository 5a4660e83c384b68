// Batched float32 matmul of the JS backend: [B,M,K] x [B,K,N] -> [B,M,N], reading any strides
// (transposes and stride-0 batches cost nothing). No blocking or packing: this is the oracle and
// the pure-JS baseline, so it stays a triple loop (unrolled by four, which changes no result).
// ref: the i-k-j loop order of a row-major GEMM (e.g. BLISlab step 1, "dgemm_ijk" reordered).

import type { View } from "../types.js";
import { checkView, dtypeOf } from "./strided.js";

/**
 * NOTE: every out[b,i,j] is sum_k a[b,i,k] * b[b,k,j] accumulated in double in the order
 * k = 0, 1, ..., K-1 starting from 0, then rounded once to float32 (with `accumulate`, the old
 * out[b,i,j] is added to that double sum first, so there is still one rounding). Products of two float32 are
 * exact in double, so the result is close to the exact dot product and never depends on the
 * loop order below: the i-k-j and the dot-product paths give the same bits.
 */
export function matmul(a: View, b: View, out: View, accumulate = false): void {
  for (const [name, v] of [["a", a], ["b", b], ["out", out]] as const) {
    checkView("matmul", name, v);
    if (v.shape.length !== 3) throw new RangeError(`matmul(): ${name} must be 3-D [B,M,K], got [${v.shape}]`);
    const dt = dtypeOf(v.typedArray);
    if (dt !== "float32" && dt !== "float64") throw new TypeError(`matmul(): ${name} must be float32 or float64`);
    if (dt !== dtypeOf(a.typedArray)) throw new TypeError(`matmul(): ${name} is ${dt} but a is ${dtypeOf(a.typedArray)}`);
  }
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  if (b.shape[0] !== B || b.shape[1] !== K || out.shape[0] !== B || out.shape[1] !== M || out.shape[2] !== N) {
    throw new RangeError(`matmul(): shapes [${a.shape}] x [${b.shape}] -> [${out.shape}] do not match`);
  }
  const ad = a.typedArray, bd = b.typedArray, od = out.typedArray;
  const [asb, asm, ask] = a.strides;
  const [bsb, bsk, bsn] = b.strides;
  const [osb, osm, osn] = out.strides;
  // NOTE: when b's columns are contiguous and its rows are not (b is a transposed view, as in
  // A B^T), dot products read memory in order; otherwise the i-k-j loop streams rows of b.
  const dot = bsk === 1 && bsn !== 1;
  const acc = new Float64Array(N);
  for (let p = 0; p < B; p++) {
    const a0 = a.offset + p * asb, b0 = b.offset + p * bsb, o0 = out.offset + p * osb;
    for (let i = 0; i < M; i++) {
      const ai = a0 + i * asm, oi = o0 + i * osm;
      if (dot) {
        let j = 0;
        // four columns at a time share each load of a; every sum still runs k = 0, 1, ...
        for (; j + 4 <= N; j += 4) {
          const c0 = b0 + j * bsn, c1 = c0 + bsn, c2 = c1 + bsn, c3 = c2 + bsn;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let k = 0, ia = ai; k < K; k++, ia += ask) {
            const x = ad[ia];
            s0 += x * bd[c0 + k];
            s1 += x * bd[c1 + k];
            s2 += x * bd[c2 + k];
            s3 += x * bd[c3 + k];
          }
          const o0 = oi + j * osn, o1 = o0 + osn, o2 = o1 + osn, o3 = o2 + osn;
          od[o0] = accumulate ? od[o0] + s0 : s0;
          od[o1] = accumulate ? od[o1] + s1 : s1;
          od[o2] = accumulate ? od[o2] + s2 : s2;
          od[o3] = accumulate ? od[o3] + s3 : s3;
        }
        for (; j < N; j++) {
          let s = 0;
          for (let k = 0, ia = ai, ib = b0 + j * bsn; k < K; k++, ia += ask, ib++) s += ad[ia] * bd[ib];
          od[oi + j * osn] = accumulate ? od[oi + j * osn] + s : s;
        }
        continue;
      }
      acc.fill(0);
      let k = 0;
      if (bsn === 1) {
        // NOTE: four k at a time, added left to right: the same additions in the same order as
        // one k at a time (so the same bits), with a quarter of the loads and stores of acc.
        for (; k + 4 <= K; k += 4) {
          const x0 = ad[ai + k * ask], x1 = ad[ai + (k + 1) * ask];
          const x2 = ad[ai + (k + 2) * ask], x3 = ad[ai + (k + 3) * ask];
          const r0 = b0 + k * bsk, r1 = r0 + bsk, r2 = r1 + bsk, r3 = r2 + bsk;
          for (let j = 0; j < N; j++) {
            acc[j] = acc[j] + x0 * bd[r0 + j] + x1 * bd[r1 + j] + x2 * bd[r2 + j] + x3 * bd[r3 + j];
          }
        }
      }
      for (; k < K; k++) {
        const aik = ad[ai + k * ask];
        const bk = b0 + k * bsk;
        for (let j = 0; j < N; j++) acc[j] += aik * bd[bk + j * bsn];
      }
      if (accumulate) for (let j = 0; j < N; j++) od[oi + j * osn] += acc[j];
      else for (let j = 0; j < N; j++) od[oi + j * osn] = acc[j];
    }
  }
}
