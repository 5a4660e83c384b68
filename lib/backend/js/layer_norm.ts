// LayerNorm kernels of the JS backend over the rows of a contiguous x [M, D] (float32 or float64):
// the forward (per row mean and rstd, then the normalized, scaled and shifted row) and the backward
// (dx, and dweight/dbias summed over rows). They define the exact operation order native/layer_norm*.cc
// reproduces bit for bit (float32; float64 runs here on both backends).
// NOTE: every row sum runs over 8 double lanes (element j into lane j & 7), combined as
// ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7)) (js/batch_norm.ts's order), so a SIMD loop keeps it. The column
// sums of the backward (dweight, dbias) go in blocks of layerNormBlockRows(M, D) rows, each block
// summed row by row from 0, the blocks then added in order from 0: the partition depends on the
// shape only, so native threads can take blocks in any order and give the same bits.
// ref: PyTorch 1.13 aten/src/ATen/native/layer_norm.cpp, cpu/layer_norm_kernel.cpp (the formulas).

import type { View } from "../types.js";
import { combine as combineLanes, LANES } from "./batch_norm.js";
import { checkShaped, dtypeOf } from "./strided.js";

/** Rows per block of the backward's column sums: about 16K elements, and at most 64 blocks (so the
 *  per-block partial sums stay within 64·D doubles). A function of the shape only. */
export function layerNormBlockRows(M: number, D: number): number {
  return Math.max(1, Math.ceil(M / 64), Math.floor(16384 / Math.max(1, D)));
}

type Floats = Float32Array | Float64Array;

function checkLN(op: string, name: string, v: View | null, shape: readonly number[], dtype: string): void {
  if (v === null) return;
  checkShaped(op, name, v, shape);
  if (dtypeOf(v.typedArray) !== dtype) throw new TypeError(`${op}(): ${name} must be ${dtype}, got ${dtypeOf(v.typedArray)}`);
  for (let d = shape.length - 1, k = 1; d >= 0; k *= shape[d], d--) {
    if (shape[d] > 1 && v.strides[d] !== k) throw new RangeError(`${op}(): ${name} must be contiguous`);
  }
}

function dtypeOfRows(op: string, x: View): string {
  const dt = dtypeOf(x.typedArray);
  if (dt !== "float32" && dt !== "float64") throw new TypeError(`${op}(): x must be float32 or float64, got ${dt}`);
  if (x.shape.length !== 2) throw new RangeError(`${op}(): x must be 2-D [rows, D], got shape [${x.shape}]`);
  return dt;
}

const identity = (v: number) => v;

/**
 * Per row r of x: m = (sum x)/D and v = (sum (x - m)²)/D in doubles (two passes), rstd = 1/sqrt(v + eps);
 * mean[r] and rstd[r] are m and rstd rounded to x's dtype, then y = ((x - mean)·rstd)·w + b, each step
 * rounded to x's dtype (w, b skipped when null).
 */
export function layerNormForward(x: View, weight: View | null, bias: View | null, eps: number, y: View, mean: View, rstd: View): void {
  const op = "layerNormForward";
  const dt = dtypeOfRows(op, x);
  const [M, D] = x.shape;
  checkLN(op, "x", x, [M, D], dt);
  checkLN(op, "weight", weight, [D], dt);
  checkLN(op, "bias", bias, [D], dt);
  checkLN(op, "y", y, [M, D], dt);
  checkLN(op, "mean", mean, [M], dt);
  checkLN(op, "rstd", rstd, [M], dt);
  const f = dt === "float32" ? Math.fround : identity;
  const xd = x.typedArray as Floats, yd = y.typedArray as Floats, md = mean.typedArray as Floats, rd = rstd.typedArray as Floats;
  const wd = weight?.typedArray as Floats | undefined, bd = bias?.typedArray as Floats | undefined;
  const wo = weight?.offset ?? 0, bo = bias?.offset ?? 0;
  const lanes = new Float64Array(LANES);
  for (let r = 0; r < M; r++) {
    const xb = x.offset + r * D, yb = y.offset + r * D;
    lanes.fill(0);
    for (let j = 0; j < D; j++) lanes[j & 7] += xd[xb + j];
    const m = combineLanes(lanes) / D;
    lanes.fill(0);
    for (let j = 0; j < D; j++) {
      const d = xd[xb + j] - m;
      lanes[j & 7] += d * d;
    }
    const mf = f(m), rf = f(1 / Math.sqrt(combineLanes(lanes) / D + eps));
    md[mean.offset + r] = mf;
    rd[rstd.offset + r] = rf;
    for (let j = 0; j < D; j++) {
      let v = f(f(xd[xb + j] - mf) * rf);
      if (wd !== undefined) v = f(v * wd[wo + j]);
      if (bd !== undefined) v = f(v + bd[bo + j]);
      yd[yb + j] = v;
    }
  }
}

/**
 * With xh = (x - mean)·rstd and g = grad·w (grad when w is null), each rounded, per row:
 * s1 = sum g and s2 = sum g·xh in doubles, then gradInput = ((g - s1/D) - xh·(s2/D))·rstd (s1/D and
 * s2/D rounded to x's dtype first): PyTorch's dx, written centred so a large mean doesn't cancel.
 * gradWeight = sum over rows of grad·xh, gradBias = sum of grad, in doubles by blocks (see the top).
 * Each of gradInput, gradWeight, gradBias may be null (not wanted).
 */
export function layerNormBackward(
  x: View, grad: View, mean: View, rstd: View, weight: View | null, gradInput: View | null, gradWeight: View | null, gradBias: View | null,
): void {
  const op = "layerNormBackward";
  const dt = dtypeOfRows(op, x);
  const [M, D] = x.shape;
  checkLN(op, "x", x, [M, D], dt);
  checkLN(op, "grad", grad, [M, D], dt);
  checkLN(op, "mean", mean, [M], dt);
  checkLN(op, "rstd", rstd, [M], dt);
  checkLN(op, "weight", weight, [D], dt);
  checkLN(op, "gradInput", gradInput, [M, D], dt);
  checkLN(op, "gradWeight", gradWeight, [D], dt);
  checkLN(op, "gradBias", gradBias, [D], dt);
  const f = dt === "float32" ? Math.fround : identity;
  const xd = x.typedArray as Floats, gd = grad.typedArray as Floats, md = mean.typedArray as Floats, rd = rstd.typedArray as Floats;
  const wd = weight?.typedArray as Floats | undefined, wo = weight?.offset ?? 0;
  const blockRows = layerNormBlockRows(M, D);
  const dw = new Float64Array(D), db = new Float64Array(D);
  const pw = new Float64Array(D), pb = new Float64Array(D);
  const a1 = new Float64Array(LANES), a2 = new Float64Array(LANES);
  for (let r0 = 0; r0 < M; r0 += blockRows) {
    pw.fill(0);
    pb.fill(0);
    for (let r = r0; r < Math.min(M, r0 + blockRows); r++) {
      const xb = x.offset + r * D, gb = grad.offset + r * D;
      const mf = md[mean.offset + r], rf = rd[rstd.offset + r];
      if (gradInput !== null) {
        a1.fill(0);
        a2.fill(0);
        for (let j = 0; j < D; j++) {
          const xh = f(f(xd[xb + j] - mf) * rf);
          const g = wd === undefined ? gd[gb + j] : f(gd[gb + j] * wd[wo + j]);
          a1[j & 7] += g;
          a2[j & 7] += g * xh;
        }
        const k1 = f(combineLanes(a1) / D), k2 = f(combineLanes(a2) / D);
        const od = gradInput.typedArray as Floats, ob = gradInput.offset + r * D;
        for (let j = 0; j < D; j++) {
          const xh = f(f(xd[xb + j] - mf) * rf);
          const g = wd === undefined ? gd[gb + j] : f(gd[gb + j] * wd[wo + j]);
          od[ob + j] = f(f(f(g - k1) - f(xh * k2)) * rf);
        }
      }
      if (gradWeight !== null) for (let j = 0; j < D; j++) pw[j] += gd[gb + j] * f(f(xd[xb + j] - mf) * rf);
      if (gradBias !== null) for (let j = 0; j < D; j++) pb[j] += gd[gb + j];
    }
    for (let j = 0; j < D; j++) {
      dw[j] += pw[j];
      db[j] += pb[j];
    }
  }
  if (gradWeight !== null) for (let j = 0; j < D; j++) (gradWeight.typedArray as Floats)[gradWeight.offset + j] = dw[j];
  if (gradBias !== null) for (let j = 0; j < D; j++) (gradBias.typedArray as Floats)[gradBias.offset + j] = db[j];
}
