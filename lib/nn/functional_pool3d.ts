// nn.functional 3-D pooling: maxPool3d (+ indices), avgPool3d, adaptiveAvgPool3d, adaptiveMaxPool3d
// (+ indices), and the *_with_indices forms of the 1-D/2-D max pools. The windows are planned in JS
// (per axis, the input positions each output reads, -1 for padding), every window of every channel
// is gathered with one index_select of the flattened (D·H·W) input plus an appended pad value, then
// reduced: max (its gradient goes to the first maximum in (d, h, w) scan order, as PyTorch's kernel),
// or sum / divisor. Gradients come from the composition (index_select's backward adds into place).
// ref: aten/src/ATen/native/Pool.h (pooling_output_shape, pool3d_shape_check), DilatedMaxPool3d.cpp,
// AveragePool3d.cpp, AdaptiveAveragePooling3d.cpp, AdaptiveMaxPooling3d.cpp (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { rename } from "../autograd/node.js";
import { cat } from "../ops/indexing.js";
import { full, tensor } from "../ops/creation.js";
import { isFloating } from "../dtype.js";
import { formatShape } from "../shape.js";
import { checkBool, checkTensor, parseArgs, scalarTypeName } from "./args.js";
import { adaptiveMaxPool1d, adaptiveMaxPool2d, maxPool1d } from "./functional_pool.js";

type Triple = [number, number, number];
type IntOrTriple = number | number[];

function triple(v: unknown, fn: string, name: string): Triple {
  const ok = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
  if (ok(v)) return [v, v, v];
  if (Array.isArray(v) && v.every(ok)) {
    if (v.length === 1) return [v[0], v[0], v[0]];
    if (v.length === 3) return [v[0], v[1], v[2]];
  }
  throw new TypeError(`${fn}(): argument '${name}' must be tuple of ints, but found ${JSON.stringify(v)}`);
}

/** pooling_output_shape (Pool.h): floor or ceil division, the last window starting inside the input or its left padding. */
function poolOutputSize(size: number, k: number, pad: number, stride: number, dilation: number, ceil: boolean): number {
  if (stride === 0) throw new Error("stride should not be zero");
  if (pad < 0) throw new Error(`pad must be non-negative, but got pad: ${pad}`);
  if (pad > Math.floor(k / 2)) throw new Error(`pad should be at most half of kernel size, but got pad=${pad} and kernel_size=${k}`);
  let out = Math.floor((size + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0)) / stride) + 1;
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** Per axis, the windows: for each output position, its input positions (-1 outside the input). */
type Axis = number[][];

/** The windows of all axes gathered from [N, C, D, H, W] x as [N, C, oD, oH, oW, K] (padding reads `padValue`),
 *  and the flat (d·H + h)·W + w input position of each tap (-1 for padding), [oD·oH·oW·K]. */
function gatherWindows(x5: Tensor, axes: [Axis, Axis, Axis], padValue: number): { patches: Tensor; table: Int32Array; K: number } {
  const [N, C, D, H, W] = x5.shape;
  const widths = axes.map((a) => Math.max(1, ...a.map((w) => w.length)));
  const K = widths[0] * widths[1] * widths[2];
  const [oD, oH, oW] = axes.map((a) => a.length);
  const table = new Int32Array(oD * oH * oW * K);
  const sentinel = D * H * W;
  const idx = new Array<number>(table.length);
  let t = 0;
  for (let a = 0; a < oD; a++) for (let b = 0; b < oH; b++) for (let c = 0; c < oW; c++) {
    const [wd, wh, ww] = [axes[0][a], axes[1][b], axes[2][c]];
    for (let i = 0; i < widths[0]; i++) for (let j = 0; j < widths[1]; j++) for (let k = 0; k < widths[2]; k++) {
      const d = i < wd.length ? wd[i] : -1;
      const h = j < wh.length ? wh[j] : -1;
      const w = k < ww.length ? ww[k] : -1;
      const pos = d < 0 || h < 0 || w < 0 ? -1 : (d * H + h) * W + w;
      table[t] = pos;
      idx[t++] = pos < 0 ? sentinel : pos;
    }
  }
  const flat = x5.reshape([N, C, D * H * W]);
  const padded = cat([flat, full([N, C, 1], padValue, { dtype: x5.dtype })], 2);
  const patches = padded.indexSelect(2, tensor(idx, { dtype: "int64" })).reshape([N, C, oD, oH, oW, K]);
  return { patches, table, K };
}

function windowAxis(size: number, out: number, k: number, s: number, p: number, d: number): Axis {
  const axis: Axis = [];
  for (let o = 0; o < out; o++) {
    const taps: number[] = [];
    for (let i = 0; i < k; i++) {
      const v = o * s - p + i * d;
      taps.push(v >= 0 && v < size ? v : -1);
    }
    axis.push(taps);
  }
  return axis;
}

function adaptiveAxis(size: number, out: number): Axis {
  const axis: Axis = [];
  for (let o = 0; o < out; o++) {
    const start = Math.floor((o * size) / out);
    const end = Math.ceil(((o + 1) * size) / out);
    axis.push(Array.from({ length: end - start }, (_, i) => start + i));
  }
  return axis;
}

/** Values and (flat D·H·W) indices of the window maxima; NaN counts as the maximum, as PyTorch. */
function maxOfWindows(patches: Tensor, table: Int32Array, K: number, name: string): [Tensor, Tensor] {
  const [values, arg] = patches.max(-1) as unknown as [Tensor, Tensor];
  const a = arg.contiguous();
  const src = a.typedArray as unknown as ArrayLike<number | bigint>;
  const n = a.numel();
  const per = table.length / K; // windows per (n, c)
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = table[(i % per) * K + Number(src[a.offset + i])];
  return [rename(values, name), tensor(out, { dtype: "int64" }).reshape(values.shape)];
}

function as5d(fn: string, x: Tensor, adaptive: "avg" | "max" | null): { x5: Tensor; restore: (t: Tensor) => Tensor } {
  if (x.ndim !== 4 && x.ndim !== 5) {
    if (adaptive === "avg") throw new Error(`adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got ${formatShape(x.shape)}`);
    if (adaptive === "max") throw new Error(`adaptive_max_pool3d(): Expected 4D or 5D tensor, but got: ${formatShape(x.shape)}`);
    throw new Error("non-empty 4D or 5D (batch mode) tensor expected for input");
  }
  for (let i = x.ndim - 4; i < x.ndim; i++) {
    if (x.shape[i] === 0) {
      if (adaptive !== null) {
        throw new Error(`adaptive_${adaptive}_pool3d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(x.shape)} with dimension ${i} being empty`);
      }
      throw new Error(`${fn}(): Expected input's non-batch dimensions to have positive length, but input has a shape of ${formatShape(x.shape)} and non-batch dimension ${i} has length zero!`);
    }
  }
  if (x.ndim === 4) return { x5: x.unsqueeze(0), restore: (t) => t.squeeze(0) };
  return { x5: x, restore: (t) => t };
}

function checkFloat(kernel: string, x: Tensor): void {
  if (!isFloating(x.dtype)) throw new TypeError(`"${kernel}" not implemented for '${scalarTypeName(x.dtype)}'`);
}

export interface MaxPool3dOptions { stride?: IntOrTriple | null; padding?: IntOrTriple; dilation?: IntOrTriple; ceilMode?: boolean; returnIndices?: boolean }

function maxPool3dImpl(args: unknown[], fn: string, forceIndices: boolean): Tensor | [Tensor, Tensor] {
  const o = parseArgs<{ input: Tensor; kernelSize: IntOrTriple; stride: IntOrTriple | null; padding: IntOrTriple; dilation: IntOrTriple; ceilMode: boolean; returnIndices: boolean }>(
    fn, args, ["input", "kernelSize", "stride", "padding", "dilation", "ceilMode", "returnIndices"],
    { stride: null, padding: 0, dilation: 1, ceilMode: false, returnIndices: false },
  );
  const x = checkTensor(fn, "input", o.input, 1);
  const k = triple(o.kernelSize, fn, "kernel_size");
  const s = o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? k : triple(o.stride, fn, "stride");
  const [p, d] = [triple(o.padding, fn, "padding"), triple(o.dilation, fn, "dilation")];
  const ceil = checkBool(fn, "ceil_mode", o.ceilMode);
  const returnIndices = forceIndices || checkBool(fn, "return_indices", o.returnIndices);
  if (x.ndim !== 4 && x.ndim !== 5) throw new Error("non-empty 4D or 5D (batch mode) tensor expected for input");
  const sizes = x.shape.slice(-3);
  const outs = sizes.map((n, i) => poolOutputSize(n, k[i], p[i], s[i], d[i], ceil));
  if (k.some((v) => v <= 0)) throw new Error(`kernel size should be greater than zero, but got kT: ${k[0]} kH: ${k[1]} kW: ${k[2]}`);
  if (s.some((v) => v <= 0)) throw new Error(`stride should be greater than zero, but got dT: ${s[0]} dH: ${s[1]} dW: ${s[2]}`);
  if (d.some((v) => v <= 0)) throw new Error(`dilation should be greater than zero, but got dilationT: ${d[0]} dilationH: ${d[1]} dilationW: ${d[2]}`);
  const { x5, restore } = as5d("max_pool3d_with_indices_out_cpu_template", x, null);
  if (outs.some((v) => v < 1)) {
    const C = x5.shape[1];
    throw new Error(`Given input size: (${C}x${sizes.join("x")}). Calculated output size: (${C}x${outs.join("x")}). Output size is too small`);
  }
  checkFloat("max_pool3d_with_indices_cpu", x);
  const axes = [0, 1, 2].map((i) => windowAxis(sizes[i], outs[i], k[i], s[i], p[i], d[i])) as [Axis, Axis, Axis];
  const { patches, table, K } = gatherWindows(x5, axes, -Infinity);
  const [values, indices] = maxOfWindows(patches, table, K, "MaxPool3DWithIndicesBackward0");
  return returnIndices ? [restore(values), restore(indices)] : restore(values);
}

/** F.max_pool3d(input, kernelSize, stride = kernelSize, padding = 0, dilation = 1, ceilMode = false, returnIndices = false). */
export function maxPool3d(input: Tensor, kernelSize: IntOrTriple, options?: MaxPool3dOptions & { returnIndices?: false }): Tensor;
export function maxPool3d(input: Tensor, kernelSize: IntOrTriple | MaxPool3dOptions, ...rest: unknown[]): Tensor | [Tensor, Tensor];
export function maxPool3d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPool3dImpl(args, "max_pool3d", false);
}

/** F.max_pool3d_with_indices: [values, indices into each (D·H·W) plane]. */
export function maxPool3dWithIndices(input: Tensor, kernelSize: IntOrTriple | MaxPool3dOptions, ...rest: unknown[]): [Tensor, Tensor];
export function maxPool3dWithIndices(...args: unknown[]): [Tensor, Tensor] {
  return maxPool3dImpl(args, "max_pool3d_with_indices", true) as [Tensor, Tensor];
}

/** F.max_pool1d_with_indices: F.maxPool1d with returnIndices. */
export function maxPool1dWithIndices(input: Tensor, kernelSize: number | number[] | Record<string, unknown>, ...rest: unknown[]): [Tensor, Tensor];
export function maxPool1dWithIndices(...args: unknown[]): [Tensor, Tensor] {
  const o = parseArgs<Record<string, unknown>>("max_pool1d_with_indices", args, ["input", "kernelSize", "stride", "padding", "dilation", "ceilMode", "returnIndices"], {
    stride: null, padding: 0, dilation: 1, ceilMode: false, returnIndices: true,
  });
  return maxPool1d(o.input as Tensor, o.kernelSize as number, o.stride, o.padding, o.dilation, o.ceilMode, true) as [Tensor, Tensor];
}

export interface AvgPool3dOptions { stride?: IntOrTriple | null; padding?: IntOrTriple; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null }

/** F.avg_pool3d(input, kernelSize, stride = kernelSize, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null). */
export function avgPool3d(input: Tensor, kernelSize: IntOrTriple | AvgPool3dOptions, ...rest: unknown[]): Tensor;
export function avgPool3d(...args: unknown[]): Tensor {
  const fn = "avg_pool3d";
  const o = parseArgs<{ input: Tensor; kernelSize: IntOrTriple; stride: IntOrTriple | null; padding: IntOrTriple; ceilMode: boolean; countIncludePad: boolean; divisorOverride: number | null }>(
    fn, args, ["input", "kernelSize", "stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"],
    { stride: null, padding: 0, ceilMode: false, countIncludePad: true, divisorOverride: null },
  );
  const x = checkTensor(fn, "input", o.input, 1);
  const k = triple(o.kernelSize, fn, "kernel_size");
  const s = o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? k : triple(o.stride, fn, "stride");
  const p = triple(o.padding, fn, "padding");
  const ceil = checkBool(fn, "ceil_mode", o.ceilMode);
  const includePad = checkBool(fn, "count_include_pad", o.countIncludePad);
  const override = o.divisorOverride;
  if (override !== null && (typeof override !== "number" || !Number.isInteger(override))) {
    throw new TypeError(`avg_pool3d(): argument 'divisor_override' must be int, not ${typeof override}`);
  }
  if (override === 0) throw new Error("divisor must be not zero");
  if (x.ndim !== 4 && x.ndim !== 5) throw new Error("non-empty 4D or 5D (batch mode) tensor expected for input");
  const sizes = x.shape.slice(-3);
  const outs = sizes.map((n, i) => poolOutputSize(n, k[i], p[i], s[i], 1, ceil));
  if (k.some((v) => v <= 0)) throw new Error(`kernel size should be greater than zero, but got kT: ${k[0]} kH: ${k[1]} kW: ${k[2]}`);
  if (s.some((v) => v <= 0)) throw new Error(`stride should be greater than zero, but got dT: ${s[0]} dH: ${s[1]} dW: ${s[2]}`);
  const { x5, restore } = as5d("avg_pool3d_out_frame", x, null);
  if (sizes[0] < k[0] || sizes[1] < k[1] || sizes[2] < k[2]) {
    throw new Error(`input image (T: ${sizes[0]} H: ${sizes[1]} W: ${sizes[2]}) smaller than kernel size (kT: ${k[0]} kH: ${k[1]} kW: ${k[2]})`);
  }
  if (outs.some((v) => v < 1)) {
    const C = x5.shape[1];
    throw new Error(`Given input size: (${C}x${sizes.join("x")}). Calculated output size: (${C}x${outs.join("x")}). Output size is too small`);
  }
  checkFloat("avg_pool3d_out_frame", x);
  const axes = [0, 1, 2].map((i) => windowAxis(sizes[i], outs[i], k[i], s[i], p[i], 1)) as [Axis, Axis, Axis];
  const { patches } = gatherWindows(x5, axes, 0);
  // The divisor of each window, as AveragePool3d.cpp: the window cut at the padding's end (count_include_pad)
  // or at the input's.
  const span = (o2: number, i: number, withPad: boolean) => {
    const start = o2 * s[i] - p[i];
    const end = Math.min(start + k[i], sizes[i] + p[i]);
    return withPad ? end - start : Math.min(end, sizes[i]) - Math.max(start, 0);
  };
  const div: number[] = [];
  for (let a = 0; a < outs[0]; a++) for (let b = 0; b < outs[1]; b++) for (let c = 0; c < outs[2]; c++) {
    div.push(override ?? span(a, 0, includePad) * span(b, 1, includePad) * span(c, 2, includePad));
  }
  const divisor = tensor(div, { dtype: x.dtype }).reshape(outs);
  return restore(rename(patches.sum(-1).div(divisor), "AvgPool3DBackward0"));
}

function adaptiveSize3(fn: string, v: unknown, sizes: number[]): number[] {
  const ok = (e: unknown) => e === null || (typeof e === "number" && Number.isInteger(e));
  let out: (number | null)[];
  if (typeof v === "number" && Number.isInteger(v)) out = [v, v, v];
  else if (Array.isArray(v) && v.every(ok) && (v.length === 3 || v.length === 1)) out = v.length === 1 ? [v[0], v[0], v[0]] : v;
  else throw new TypeError(`${fn}(): argument 'output_size' must be tuple of ints, but found ${JSON.stringify(v)}`);
  return out.map((e, i) => (e === null ? sizes[i] : e));
}

/** F.adaptive_avg_pool3d(input, outputSize): outputSize an int or [d, h, w] (null keeps that size). */
export function adaptiveAvgPool3d(input: Tensor, outputSize: number | (number | null)[] | { outputSize: number | (number | null)[] }): Tensor;
export function adaptiveAvgPool3d(...args: unknown[]): Tensor {
  const fn = "adaptive_avg_pool3d";
  const o = parseArgs<{ input: Tensor; outputSize: unknown }>(fn, args, ["input", "outputSize"], {});
  const x = checkTensor(fn, "input", o.input, 1);
  const { x5, restore } = as5d(fn, x, "avg");
  const sizes = x5.shape.slice(2);
  const outs = adaptiveSize3(fn, o.outputSize, sizes);
  if (outs.some((v) => v < 0)) throw new Error("adaptive_avg_pool3d: elements of output_size must be greater than or equal to 0 but received {" + outs.join(", ") + "}");
  checkFloat("adaptive_avg_pool3d_cpu", x);
  const axes = [0, 1, 2].map((i) => adaptiveAxis(sizes[i], outs[i])) as [Axis, Axis, Axis];
  const { patches } = gatherWindows(x5, axes, 0);
  const div: number[] = [];
  for (const a of axes[0]) for (const b of axes[1]) for (const c of axes[2]) div.push(a.length * b.length * c.length);
  const divisor = tensor(div, { dtype: x.dtype }).reshape(outs);
  return restore(rename(patches.sum(-1).div(divisor), "AdaptiveAvgPool3DBackward0"));
}

function adaptiveMax3d(args: unknown[], fn: string, forceIndices: boolean): Tensor | [Tensor, Tensor] {
  const o = parseArgs<{ input: Tensor; outputSize: unknown; returnIndices: boolean }>(fn, args, ["input", "outputSize", "returnIndices"], { returnIndices: false });
  const x = checkTensor(fn, "input", o.input, 1);
  const returnIndices = forceIndices || checkBool(fn, "return_indices", o.returnIndices);
  const { x5, restore } = as5d(fn, x, "max");
  const sizes = x5.shape.slice(2);
  const outs = adaptiveSize3(fn, o.outputSize, sizes);
  checkFloat("adaptive_max_pool3d_cpu", x);
  const axes = [0, 1, 2].map((i) => adaptiveAxis(sizes[i], outs[i])) as [Axis, Axis, Axis];
  const { patches, table, K } = gatherWindows(x5, axes, -Infinity);
  const [values, indices] = maxOfWindows(patches, table, K, "AdaptiveMaxPool3DBackward0");
  return returnIndices ? [restore(values), restore(indices)] : restore(values);
}

/** F.adaptive_max_pool3d(input, outputSize, returnIndices = false). */
export function adaptiveMaxPool3d(input: Tensor, outputSize: number | (number | null)[] | { outputSize?: number | (number | null)[]; returnIndices?: boolean }, returnIndices?: boolean): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool3d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptiveMax3d(args, "adaptive_max_pool3d", false);
}

export function adaptiveMaxPool3dWithIndices(input: Tensor, outputSize: number | (number | null)[] | { outputSize?: number | (number | null)[] }): [Tensor, Tensor];
export function adaptiveMaxPool3dWithIndices(...args: unknown[]): [Tensor, Tensor] {
  return adaptiveMax3d(args, "adaptive_max_pool3d_with_indices", true) as [Tensor, Tensor];
}

export function adaptiveMaxPool1dWithIndices(input: Tensor, outputSize: number | number[]): [Tensor, Tensor] {
  return adaptiveMaxPool1d(input, outputSize, true) as [Tensor, Tensor];
}

export function adaptiveMaxPool2dWithIndices(input: Tensor, outputSize: number | (number | null)[]): [Tensor, Tensor] {
  return adaptiveMaxPool2d(input, outputSize, true) as [Tensor, Tensor];
}
