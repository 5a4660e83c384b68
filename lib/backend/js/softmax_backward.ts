// Softmax's backward over contiguous float32 rows, the JS twin that defines native/softmax_backward*
// bit for bit: per row s = float32(Σ y·g), the sum in double (each float product is exact there)
// over batch_norm.ts's 8 lanes and their fixed combine; then dx[j] = y[j]·(g[j] - s) in float32.
// ref: PyTorch 1.13 softmax_backward_data (aten/src/ATen/native/SoftMax.cpp): y·(g - Σ g·y).

import type { View } from "../types.js";
import { combine, LANES } from "./batch_norm.js";
import { checkShaped, dtypeOf } from "./strided.js";

function checkRows(name: string, v: View, shape: readonly number[]): void {
  checkShaped("softmax_backward", name, v, shape);
  if (dtypeOf(v.typedArray) !== "float32") throw new TypeError(`softmax_backward(): ${name} must be float32, got ${dtypeOf(v.typedArray)}`);
  for (let d = shape.length - 1, k = 1; d >= 0; k *= shape[d], d--) {
    if (shape[d] > 1 && v.strides[d] !== k) throw new RangeError(`softmax_backward(): ${name} must be contiguous`);
  }
}

/** Backend.softmaxBackward: out = y·(g - Σ y·g) per row of the last dim. out may be g itself. */
export function softmaxBackward(y: View, g: View, out: View): void {
  checkRows("y", y, y.shape);
  checkRows("g", g, y.shape);
  checkRows("out", out, y.shape);
  const nd = y.shape.length;
  const n = nd === 0 ? 1 : y.shape[nd - 1];
  let total = 1;
  for (const s of y.shape) total *= s;
  if (total === 0) return;
  const [yd, gd, od] = [y.typedArray as Float32Array, g.typedArray as Float32Array, out.typedArray as Float32Array];
  const lanes = new Float64Array(LANES);
  for (let r = 0; r < total / n; r++) {
    const [oy, og, oo] = [y.offset + r * n, g.offset + r * n, out.offset + r * n];
    lanes.fill(0);
    for (let j = 0; j < n; j++) lanes[j % LANES] += yd[oy + j] * gd[og + j];
    const s = Math.fround(combine(lanes));
    for (let j = 0; j < n; j++) od[oo + j] = yd[oy + j] * Math.fround(gd[og + j] - s);
  }
}
