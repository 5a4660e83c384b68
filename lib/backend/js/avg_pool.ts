// Average pooling of the JS backend over contiguous float32 or float64 planes [P, H, W]: the forward
// sums each window in the planes' dtype, in scan order, and divides once; the backward adds grad / divisor to every tap
// of the window, plane by plane in output order. native/pool2d_avg.cc reproduces them bit for bit.
// ref: PyTorch 1.13 aten/src/ATen/native/cpu/AvgPoolKernel.cpp (cpu_avg_pool, cpu_avg_pool_backward).

import type { AvgPoolWindow, View } from "../types.js";
import { checkShaped, dtypeOf } from "./strided.js";
import { floatDtype, roundTo } from "./max_pool.js";

function checkPlanes(op: string, name: string, v: View, shape: readonly number[], dtype: string): void {
  checkShaped(op, name, v, shape);
  if (dtypeOf(v.typedArray) !== dtype) throw new TypeError(`${op}(): ${name} must be ${dtype}, got ${dtypeOf(v.typedArray)}`);
  for (let d = shape.length - 1, k = 1; d >= 0; k *= shape[d], d--) {
    if (shape[d] > 1 && v.strides[d] !== k) throw new RangeError(`${op}(): ${name} must be contiguous`);
  }
}

/** Window (i, j): its in-plane rows [h0, h1) and columns [w0, w1), and its divisor (PyTorch's rule:
 *  the override, else the padded window cut at the padding's end, or the in-plane taps). */
export function avgWindow(i: number, j: number, H: number, W: number, w: AvgPoolWindow): [number, number, number, number, number] {
  let h0 = i * w.sH - w.pH, w0 = j * w.sW - w.pW;
  let h1 = Math.min(h0 + w.kH, H + w.pH), w1 = Math.min(w0 + w.kW, W + w.pW);
  const padded = (h1 - h0) * (w1 - w0);
  h0 = Math.max(h0, 0);
  w0 = Math.max(w0, 0);
  h1 = Math.min(h1, H);
  w1 = Math.min(w1, W);
  const divisor = w.divisorOverride !== 0 ? w.divisorOverride : w.countIncludePad ? padded : (h1 - h0) * (w1 - w0);
  return [h0, h1, w0, w1, divisor];
}

/** x [P, H, W] -> out [P, oH, oW]; an empty window gives 0. */
export function avgPool2d(x: View, w: AvgPoolWindow, out: View): void {
  const [P, H, W] = x.shape;
  const [, oH, oW] = out.shape;
  const dtype = floatDtype("avgPool2d", x);
  checkPlanes("avgPool2d", "x", x, [P, H, W], dtype);
  checkPlanes("avgPool2d", "out", out, [P, oH, oW], dtype);
  const xd = x.typedArray, od = out.typedArray, f = roundTo(dtype);
  for (let p = 0; p < P; p++) {
    const xb = x.offset + p * H * W;
    for (let i = 0, o = out.offset + p * oH * oW; i < oH; i++) {
      for (let j = 0; j < oW; j++, o++) {
        const [h0, h1, w0, w1, divisor] = avgWindow(i, j, H, W, w);
        if (h0 >= h1 || w0 >= w1) {
          od[o] = 0;
          continue;
        }
        let sum = 0;
        for (let h = h0; h < h1; h++) for (let c = w0; c < w1; c++) sum = f(sum + xd[xb + h * W + c]);
        od[o] = f(sum / f(divisor));
      }
    }
  }
}

/** gradInput [P, H, W] = 0, then each window's taps += grad / divisor (rounded to the dtype), in output order. */
export function avgPool2dBackward(grad: View, w: AvgPoolWindow, gradInput: View): void {
  const [P, oH, oW] = grad.shape;
  const [, H, W] = gradInput.shape;
  const dtype = floatDtype("avgPool2dBackward", grad);
  checkPlanes("avgPool2dBackward", "grad", grad, [P, oH, oW], dtype);
  checkPlanes("avgPool2dBackward", "gradInput", gradInput, [P, H, W], dtype);
  const gd = grad.typedArray, od = gradInput.typedArray, f = roundTo(dtype);
  od.fill(0, gradInput.offset, gradInput.offset + P * H * W);
  for (let p = 0; p < P; p++) {
    const ob = gradInput.offset + p * H * W;
    for (let i = 0, t = grad.offset + p * oH * oW; i < oH; i++) {
      for (let j = 0; j < oW; j++, t++) {
        const [h0, h1, w0, w1, divisor] = avgWindow(i, j, H, W, w);
        const delta = f(gd[t] / f(divisor));
        for (let h = h0; h < h1; h++) for (let c = w0; c < w1; c++) od[ob + h * W + c] = f(od[ob + h * W + c] + delta);
      }
    }
  }
}
