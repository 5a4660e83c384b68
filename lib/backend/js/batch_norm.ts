// Batch-norm kernels of the JS backend over contiguous float32 [N, C, L]: per-channel statistics
// (one pass of shifted sums in doubles), the fused scale-shift, and the backward's reduction and
// input gradient. They define the exact operation order native/batch_norm.cc reproduces bit for bit.
// NOTE: every per-channel sum runs over 8 double lanes (element j of a row goes to lane j & 7),
// combined as ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7)): an order a SIMD loop keeps, fixed by the shape only.
// ref: PyTorch 1.13 aten/src/ATen/native/batch_norm.cpp, cpu/batch_norm_kernel.cpp (the formulas).

import type { View } from "../types.js";
import { checkShaped, dtypeOf } from "./strided.js";

export const LANES = 8;

function checkNCL(op: string, name: string, v: View, shape: readonly number[]): void {
  checkShaped(op, name, v, shape);
  if (dtypeOf(v.typedArray) !== "float32") throw new TypeError(`${op}(): ${name} must be float32, got ${dtypeOf(v.typedArray)}`);
  for (let d = shape.length - 1, k = 1; d >= 0; k *= shape[d], d--) {
    if (shape[d] > 1 && v.strides[d] !== k) throw new RangeError(`${op}(): ${name} must be contiguous`);
  }
}

function checkChannels(op: string, C: number, arrays: Record<string, ArrayLike<number>>): void {
  for (const [name, a] of Object.entries(arrays)) {
    if (a.length !== C) throw new RangeError(`${op}(): ${name} has ${a.length} elements, expected ${C} (one per channel)`);
  }
}

export const combine = (l: Float64Array): number => ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));

/** Per channel: mean = K + S1/n and variance = (S2 - S1·(S1/n))/n (clamped at 0), where S1, S2 are the
 *  sums of d = x - K and d², K the channel's first element (the shift keeps S2 - S1²/n well conditioned). */
export function batchNormStats(x: View, mean: Float64Array, variance: Float64Array): void {
  const [N, C, L] = x.shape;
  checkNCL("batchNormStats", "x", x, [N, C, L]);
  checkChannels("batchNormStats", C, { mean, variance });
  const xd = x.typedArray as Float32Array;
  const a1 = new Float64Array(LANES), a2 = new Float64Array(LANES);
  const n = N * L;
  for (let c = 0; c < C; c++) {
    if (n === 0) {
      mean[c] = NaN;
      variance[c] = NaN;
      continue;
    }
    const K = xd[x.offset + c * L];
    a1.fill(0);
    a2.fill(0);
    for (let b = 0; b < N; b++) {
      const base = x.offset + (b * C + c) * L;
      for (let j = 0; j < L; j++) {
        const d = xd[base + j] - K;
        a1[j & 7] += d;
        a2[j & 7] += d * d;
      }
    }
    const s1 = combine(a1), s2 = combine(a2);
    const m1 = s1 / n;
    mean[c] = K + m1;
    const v = (s2 - s1 * m1) / n;
    variance[c] = v > 0 ? v : v !== v ? v : 0;
  }
}

export function batchNormApply(x: View, mean: Float32Array, scale: Float32Array, shift: Float32Array, out: View): void {
  const [N, C, L] = x.shape;
  checkNCL("batchNormApply", "x", x, [N, C, L]);
  checkNCL("batchNormApply", "out", out, [N, C, L]);
  checkChannels("batchNormApply", C, { mean, scale, shift });
  const xd = x.typedArray, od = out.typedArray, f = Math.fround;
  for (let r = 0; r < N * C; r++) {
    const c = r % C, m = mean[c], s = scale[c], t = shift[c];
    const xb = x.offset + r * L, ob = out.offset + r * L;
    for (let j = 0; j < L; j++) od[ob + j] = f(f(f(xd[xb + j] - m) * s) + t);
  }
}

export function batchNormBackwardReduce(x: View, grad: View, mean: Float64Array, sumGrad: Float64Array, dot: Float64Array): void {
  const [N, C, L] = x.shape;
  checkNCL("batchNormBackwardReduce", "x", x, [N, C, L]);
  checkNCL("batchNormBackwardReduce", "grad", grad, [N, C, L]);
  checkChannels("batchNormBackwardReduce", C, { mean, sumGrad, dot });
  const xd = x.typedArray, gd = grad.typedArray;
  const ag = new Float64Array(LANES), ad = new Float64Array(LANES);
  for (let c = 0; c < C; c++) {
    const m = mean[c];
    ag.fill(0);
    ad.fill(0);
    for (let b = 0; b < N; b++) {
      const xb = x.offset + (b * C + c) * L, gb = grad.offset + (b * C + c) * L;
      for (let j = 0; j < L; j++) {
        const g = gd[gb + j];
        ag[j & 7] += g;
        ad[j & 7] += (xd[xb + j] - m) * g;
      }
    }
    sumGrad[c] = combine(ag);
    dot[c] = combine(ad);
  }
}

export function batchNormBackwardInput(x: View, grad: View, mean: Float32Array, gradMean: Float32Array, k: Float32Array, a: Float32Array, gradInput: View): void {
  const [N, C, L] = x.shape;
  const op = "batchNormBackwardInput";
  checkNCL(op, "x", x, [N, C, L]);
  checkNCL(op, "grad", grad, [N, C, L]);
  checkNCL(op, "gradInput", gradInput, [N, C, L]);
  checkChannels(op, C, { mean, gradMean, k, a });
  const xd = x.typedArray, gd = grad.typedArray, od = gradInput.typedArray, f = Math.fround;
  for (let r = 0; r < N * C; r++) {
    const c = r % C, m = mean[c], gm = gradMean[c], kc = k[c], ac = a[c];
    const xb = x.offset + r * L, gb = grad.offset + r * L, ob = gradInput.offset + r * L;
    for (let j = 0; j < L; j++) od[ob + j] = f(f(f(gd[gb + j] - gm) - f(f(xd[xb + j] - m) * kc)) * ac);
  }
}
