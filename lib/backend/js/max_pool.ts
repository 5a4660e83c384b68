// Max pooling of the JS backend: the forward with argmax indices over contiguous float32 or float64
// planes [P, H, W], and its backward (the gradient summed into each argmax, plane by plane, in output
// order). They define the exact semantics the native kernels (native/pool2d.cc) reproduce bit for bit.
// ref: PyTorch 1.13 aten/src/ATen/native/cpu/MaxPoolKernel.cpp (cpu_max_pool, cpu_max_pool_backward).

import type { PoolWindow, View } from "../types.js";
import { checkShaped, dtypeOf } from "./strided.js";

/** The planes' float dtype: float32, or float64 (each sum then rounds to its own precision). */
export function floatDtype(op: string, v: View): "float32" | "float64" {
  const d = dtypeOf(v.typedArray);
  if (d !== "float32" && d !== "float64") throw new TypeError(`${op}(): expected float32 or float64 planes, got ${d}`);
  return d;
}
export const roundTo = (dtype: "float32" | "float64") => (dtype === "float32" ? Math.fround : (v: number) => v);

function checkContiguous(op: string, name: string, v: View, shape: readonly number[], dtype: string): void {
  checkShaped(op, name, v, shape);
  if (dtypeOf(v.typedArray) !== dtype) throw new TypeError(`${op}(): ${name} must be ${dtype}, got ${dtypeOf(v.typedArray)}`);
  for (let d = shape.length - 1, k = 1; d >= 0; k *= shape[d], d--) {
    if (shape[d] > 1 && v.strides[d] !== k) throw new RangeError(`${op}(): ${name} must be contiguous`);
  }
}

/** The first tap a of a window (start o·s − p, taps start + a·d, a < k) inside [0, size), and the end. */
export function tapRange(start: number, k: number, d: number, size: number): [number, number] {
  const lo = start >= 0 ? 0 : Math.ceil(-start / d);
  const hi = Math.min(k, Math.floor((size - 1 - start) / d) + 1);
  return [lo, Math.max(lo, hi)];
}

/** x [P, H, W] -> out, indices [P, oH, oW]; indices are flat h·W + w within the plane. */
export function maxPool2d(x: View, w: PoolWindow, out: View, indices: View): void {
  const [P, H, W] = x.shape;
  const [, oH, oW] = out.shape;
  const dtype = floatDtype("maxPool2d", x);
  checkContiguous("maxPool2d", "x", x, [P, H, W], dtype);
  checkContiguous("maxPool2d", "out", out, [P, oH, oW], dtype);
  checkContiguous("maxPool2d", "indices", indices, [P, oH, oW], "int64");
  const xd = x.typedArray, od = out.typedArray, id = indices.typedArray;
  const { kH, kW, sH, sW, pH, pW, dH, dW } = w;
  for (let p = 0; p < P; p++) {
    const xb = x.offset + p * H * W;
    let o = p * oH * oW;
    for (let i = 0; i < oH; i++) {
      const h0 = i * sH - pH;
      const [a0, a1] = tapRange(h0, kH, dH, H);
      for (let j = 0; j < oW; j++, o++) {
        const w0 = j * sW - pW;
        const [b0, b1] = tapRange(w0, kW, dW, W);
        // NOTE: as cpu/MaxPoolKernel.cpp: the first tap, then `if ((val > maxval) || std::isnan(val))`,
        // so ties keep the first max in scan order and the last NaN wins.
        let best = (h0 + a0 * dH) * W + (w0 + b0 * dW);
        let bestVal = -Infinity;
        for (let a = a0; a < a1; a++) {
          const row = (h0 + a * dH) * W;
          for (let b = b0; b < b1; b++) {
            const t = row + w0 + b * dW;
            const v = xd[xb + t];
            if (v > bestVal || v !== v) {
              bestVal = v;
              best = t;
            }
          }
        }
        // NOTE: an empty window can't pass the frontend's shape checks; kept in bounds anyway.
        if (a0 === a1 || b0 === b1) best = Math.min(Math.max(best, 0), H * W - 1);
        od[out.offset + o] = a0 === a1 || b0 === b1 ? -Infinity : xd[xb + best];
        id[indices.offset + o] = best;
      }
    }
  }
}

/** gradInput [P, H, W] = 0, then gradInput[p, indices[p, l]] += grad[p, l] in l order (sums in the dtype). */
export function maxPool2dBackward(grad: View, indices: View, gradInput: View): void {
  const [P, oH, oW] = grad.shape;
  const [, H, W] = gradInput.shape;
  const dtype = floatDtype("maxPool2dBackward", grad);
  checkContiguous("maxPool2dBackward", "grad", grad, [P, oH, oW], dtype);
  checkContiguous("maxPool2dBackward", "indices", indices, [P, oH, oW], "int64");
  checkContiguous("maxPool2dBackward", "gradInput", gradInput, [P, H, W], dtype);
  const gd = grad.typedArray, id = indices.typedArray, out = gradInput.typedArray, round = roundTo(dtype);
  const L = oH * oW, HW = H * W;
  for (let t = 0; t < L * P; t++) {
    const k = id[indices.offset + t];
    if (!(k >= 0 && k < HW && Number.isInteger(k))) throw new RangeError(`maxPool2dBackward(): index ${k} is out of bounds for a plane of ${HW} elements`);
  }
  out.fill(0, gradInput.offset, gradInput.offset + P * HW);
  for (let p = 0; p < P; p++) {
    const gb = gradInput.offset + p * HW;
    for (let l = 0, t = p * L; l < L; l++, t++) {
      const k = gb + id[indices.offset + t];
      out[k] = round(out[k] + gd[grad.offset + t]);
    }
  }
}
