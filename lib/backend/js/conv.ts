// im2col / col2im of the JS backend: the reference the native kernels (native/conv.cc) are tested
// against, with the same loops in the same order, so col2im's sums agree bit for bit. Float32
// (each += rounds to float32 on store, as a C++ float add does) or float64 views.
// ref: Caffe's im2col_cpu / col2im_cpu (the layout), PyTorch 1.13 aten/src/ATen/native/im2col.h.

import type { ConvGeometry, View } from "../types.js";
import { checkView, dtypeOf } from "./strided.js";

/** Output columns [lo, hi) whose input column ox*stride + first lies in [0, width). */
function validColumns(first: number, stride: number, width: number, outW: number): [number, number] {
  let lo = first >= 0 ? 0 : Math.floor((-first + stride - 1) / stride);
  let hi = first > width - 1 ? 0 : Math.floor((width - 1 - first) / stride) + 1;
  lo = Math.min(lo, outW);
  hi = Math.max(lo, Math.min(hi, outW));
  return [lo, hi];
}

function checkArgs(op: string, image: View, imageName: string, cols: View, g: ConvGeometry): void {
  checkView(op, imageName, image);
  checkView(op, "cols", cols);
  for (const v of [image, cols]) {
    const dt = dtypeOf(v.typedArray);
    if (dt !== "float32" && dt !== "float64") throw new TypeError(`${op}(): expected float32 or float64 views, got ${dt}`);
  }
  if (dtypeOf(image.typedArray) !== dtypeOf(cols.typedArray)) throw new TypeError(`${op}(): ${imageName} and cols must have one dtype`);
  if (image.shape.length !== 4 || cols.shape.length !== 4) {
    throw new RangeError(`${op}(): ${imageName} and cols must be 4-D [N,C,H,W] and [N,C*kh*kw,OH,OW], got [${image.shape}] and [${cols.shape}]`);
  }
  const ints: [keyof ConvGeometry, number][] = [["kh", 1], ["kw", 1], ["padTop", 0], ["padLeft", 0], ["strideH", 1], ["strideW", 1], ["dilationH", 1], ["dilationW", 1]];
  for (const [k, min] of ints) {
    if (!Number.isInteger(g[k]) || g[k] < min) throw new RangeError(`${op}(): ${k} must be an integer >= ${min}, got ${g[k]}`);
  }
  if (cols.shape[0] !== image.shape[0] || cols.shape[1] !== image.shape[1] * g.kh * g.kw) {
    throw new RangeError(`${op}(): cols has shape [${cols.shape}], expected [${image.shape[0]},${image.shape[1] * g.kh * g.kw},OH,OW] for ${imageName} [${image.shape}]`);
  }
}

export function im2col(x: View, cols: View, g: ConvGeometry): void {
  checkArgs("im2col", x, "x", cols, g);
  const [N, C, H, W] = x.shape;
  const [, , OH, OW] = cols.shape;
  const K = g.kh * g.kw;
  const [xs0, xs1, xs2, xs3] = x.strides;
  const [cs0, cs1, cs2, cs3] = cols.strides;
  const xd = x.typedArray, cd = cols.typedArray;
  const step = g.strideW * xs3;
  for (let n = 0; n < N; n++) {
    for (let ch = 0; ch < C; ch++) {
      const plane = x.offset + n * xs0 + ch * xs1;
      for (let i = 0; i < g.kh; i++) {
        for (let j = 0; j < g.kw; j++) {
          const row = cols.offset + n * cs0 + (ch * K + i * g.kw + j) * cs1;
          const first = j * g.dilationW - g.padLeft;
          const [lo, hi] = validColumns(first, g.strideW, W, OW);
          for (let oy = 0; oy < OH; oy++) {
            const dst = row + oy * cs2;
            const y = oy * g.strideH - g.padTop + i * g.dilationH;
            const inside = y >= 0 && y < H;
            const a = inside ? lo : OW, z = inside ? hi : OW;
            for (let ox = 0; ox < a; ox++) cd[dst + ox * cs3] = 0;
            for (let ox = z; ox < OW; ox++) cd[dst + ox * cs3] = 0;
            const src = plane + y * xs2 + (a * g.strideW + first) * xs3;
            for (let k = 0; k < z - a; k++) cd[dst + (a + k) * cs3] = xd[src + k * step];
          }
        }
      }
    }
  }
}

export function col2im(cols: View, out: View, g: ConvGeometry): void {
  checkArgs("col2im", out, "out", cols, g);
  const [N, C, H, W] = out.shape;
  const [, , OH, OW] = cols.shape;
  const K = g.kh * g.kw;
  const [os0, os1, os2, os3] = out.strides;
  const [cs0, cs1, cs2, cs3] = cols.strides;
  const od = out.typedArray, cd = cols.typedArray;
  const step = g.strideW * os3;
  for (let n = 0; n < N; n++) {
    for (let ch = 0; ch < C; ch++) {
      const plane = out.offset + n * os0 + ch * os1;
      for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) od[plane + y * os2 + xx * os3] = 0;
      for (let i = 0; i < g.kh; i++) {
        for (let j = 0; j < g.kw; j++) {
          const row = cols.offset + n * cs0 + (ch * K + i * g.kw + j) * cs1;
          const first = j * g.dilationW - g.padLeft;
          const [lo, hi] = validColumns(first, g.strideW, W, OW);
          if (lo === hi) continue;
          for (let oy = 0; oy < OH; oy++) {
            const y = oy * g.strideH - g.padTop + i * g.dilationH;
            if (y < 0 || y >= H) continue;
            const src = row + oy * cs2 + lo * cs3;
            const dst = plane + y * os2 + (lo * g.strideW + first) * os3;
            for (let k = 0; k < hi - lo; k++) od[dst + k * step] += cd[src + k * cs3];
          }
        }
      }
    }
  }
}
