// nn.functional pooling: maxPool1d/2d, avgPool1d/2d, adaptiveAvgPool1d/2d, adaptiveMaxPool1d/2d, maxUnpool1d/2d.
// maxPool1d/2d and avgPool1d/2d run the backend's kernels as one autograd node each (max_pool_node.ts,
// avg_pool_node.ts). For the
// others the windows are planned here in plain JS (the same code on both backends, so results agree); the
// values are then taken with differentiable tensor ops: adaptive max pooling is a `gather` at the argmax
// indices (its gradient, a scatter-add, sends the upstream to the argmax as PyTorch does), average
// pooling a `gather` of each window (padding reads an appended zero), `sum` and `div` by the divisor.
// So every pool has first and higher gradients without a rule of its own. A 1-D pool is the 2-D one
// with a height-1 window, as in PyTorch.
// ref: aten/src/ATen/native/Pool.h, MaxPooling.cpp, DilatedMaxPool2d.cpp, AveragePool2d.cpp,
// AdaptiveAveragePooling.cpp, AdaptiveMaxPooling2d.cpp, cpu/MaxPoolKernel.cpp (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { rename } from "../autograd/node.js";
import { cat } from "../ops/indexing.js";
import { zeros } from "../ops/creation.js";
import { formatShape, sameShape } from "../shape.js";
import { allocStorage, checkStorageSize } from "../dtype.js";
import { checkBool, checkTensor, parseArgs, scalarTypeName } from "./args.js";
import { MaxPool1dWithIndices, MaxPool2dWithIndices } from "./max_pool_node.js";
import { ownedByGraph } from "../autograd/private_storage.js";
import { AvgPool2dNode } from "./avg_pool_node.js";

type Pair = [number, number];

/** An int or a list of `n` ints (1 or 2) as [h, w]; 1-D values go to the width, the height gets `h1`. */
function intPair(v: unknown, n: 1 | 2, message: string, h1 = 1): Pair | null {
  const ok = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
  if (ok(v)) return n === 1 ? [h1, v] : [v, v];
  if (Array.isArray(v) && v.every(ok)) {
    if (v.length === 1) return n === 1 ? [h1, v[0]] : [v[0], v[0]];
    if (v.length === 2 && n === 2) return [v[0], v[1]];
  }
  if (v === null || v === undefined) return null;
  throw new TypeError(message);
}

/** PyTorch's pooling_output_shape (1.13), with its pad check first. */
function outputSize(fn: string, size: number, k: number, pad: number, stride: number, dilation: number, ceil: boolean): number {
  if (stride === 0) throw new Error("stride should not be zero");
  if (pad < 0) throw new Error(`pad must be non-negative, but got pad: ${pad}`);
  if (pad > Math.floor(k / 2)) throw new Error(`pad should be at most half of kernel size, but got pad=${pad} and kernel_size=${k}`);
  let out = Math.floor((size + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0)) / stride) + 1;
  // NOTE: in ceil mode the last window must start inside the input or the left padding.
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** Window plan: for each output position, the in-bounds flat input indices (h*W+w) in scan order. */
interface Plan {
  oH: number;
  oW: number;
  start: Int32Array; // CSR offsets, length L + 1
  idx: Int32Array;
  divisor: Float64Array; // average pooling only
}

function buildPlan(oH: number, oW: number, W: number, rows: (i: number) => number[], cols: (j: number) => number[], divisor?: (i: number, j: number, n: number) => number): Plan {
  checkStorageSize("int32", oH * oW + 1); // first: an output size past 2^32 would fail in Array.from
  // NOTE: a window is (its row's taps) x (its column's taps): each computed once, not per window.
  const rowTaps = Array.from({ length: oH }, (_, i) => rows(i));
  const colTaps = Array.from({ length: oW }, (_, j) => cols(j));
  const count = (taps: number[][]) => taps.reduce((n, t) => n + t.length, 0);
  // NOTE: through the allocator, so a huge output size gets its error, not V8's "Invalid typed array length".
  const idx = allocStorage("int32", count(rowTaps) * count(colTaps)) as Int32Array;
  const start = allocStorage("int32", oH * oW + 1) as Int32Array;
  const div = allocStorage("float64", oH * oW) as Float64Array;
  let t = 0;
  for (let i = 0; i < oH; i++) {
    for (let j = 0; j < oW; j++) {
      const l = i * oW + j;
      for (const r of rowTaps[i]) for (const c of colTaps[j]) idx[t++] = r * W + c;
      start[l + 1] = t;
      div[l] = divisor ? divisor(i, j, t - start[l]) : 1;
    }
  }
  return { oH, oW, start, idx, divisor: div };
}

/** The in-bounds taps of a strided, dilated, padded window. */
function taps(o: number, k: number, stride: number, pad: number, dilation: number, size: number): number[] {
  const out: number[] = [];
  for (let a = 0; a < k; a++) {
    const p = o * stride - pad + a * dilation;
    if (p >= 0 && p < size) out.push(p);
  }
  return out;
}

/** Adaptive window i of `outSize` over `inSize`: [floor(i*in/out), ceil((i+1)*in/out)). */
function adaptiveRange(i: number, inSize: number, outSize: number): number[] {
  const s = Math.floor((i * inSize) / outSize);
  const e = Math.ceil(((i + 1) * inSize) / outSize);
  return Array.from({ length: e - s }, (_, t) => s + t);
}

/** The input as [B, C, H, W] (1-D: H = 1), and how to give the result back its own rank. */
function as4d(x: Tensor, n: 1 | 2): { x4: Tensor; restore: (t: Tensor) => Tensor } {
  const batched = x.ndim === n + 2;
  let x4 = batched ? x : x.unsqueeze(0);
  if (n === 1) x4 = x4.unsqueeze(2);
  const restore = (t: Tensor): Tensor => {
    let r = n === 1 ? t.squeeze(2) : t;
    if (!batched) r = r.squeeze(0);
    return r;
  };
  return { x4, restore };
}

/** Per plane, the flat index PyTorch's kernel picks: the first max in scan order; a NaN wins (the last one). */
function argmaxIndices(x4: Tensor, plan: Plan): Tensor {
  const [B, C, H, W] = x4.shape;
  const P = B * C;
  const L = plan.oH * plan.oW;
  const data = x4.contiguous().typedArray;
  const out = new Float64Array(P * L);
  const { start, idx } = plan;
  for (let p = 0; p < P; p++) {
    const base = p * H * W;
    for (let l = 0; l < L; l++) {
      let best = idx[start[l]];
      let bestVal = -Infinity;
      for (let t = start[l]; t < start[l + 1]; t++) {
        const v = Number(data[base + idx[t]]);
        // NOTE: as cpu/MaxPoolKernel.cpp: `if ((val > maxval) || std::isnan(val))`.
        if (v > bestVal || Number.isNaN(v)) {
          bestVal = v;
          best = idx[t];
        }
      }
      out[p * L + l] = best;
    }
  }
  return Tensor.fromStorage(out, [B, C, L]);
}

function maxFromPlan(x4: Tensor, plan: Plan, name: string): [Tensor, Tensor] {
  const [B, C, H, W] = x4.shape;
  const indices = argmaxIndices(x4, plan);
  const values = x4.reshape(B, C, H * W).gather(2, indices).reshape(B, C, plan.oH, plan.oW);
  return [rename(values, name), indices.reshape(B, C, plan.oH, plan.oW)];
}

function avgFromPlan(x4: Tensor, plan: Plan, name: string): Tensor {
  const [B, C, H, W] = x4.shape;
  const L = plan.oH * plan.oW;
  let K = 0;
  for (let l = 0; l < L; l++) K = Math.max(K, plan.start[l + 1] - plan.start[l]);
  // NOTE: short windows are filled with index H*W, a zero appended to each plane. Every plane
  // reads the same windows: one plane's index, expanded (stride 0) over B and C.
  const index = new Float64Array(L * K).fill(H * W);
  for (let l = 0; l < L; l++) {
    for (let t = plan.start[l]; t < plan.start[l + 1]; t++) index[l * K + (t - plan.start[l])] = plan.idx[t];
  }
  const padded = cat([x4.reshape(B, C, H * W), zeros(B, C, 1)], 2);
  const windows = padded.gather(2, Tensor.fromStorage(index, [1, 1, L * K]).expand(B, C, L * K)).reshape(B, C, L, K);
  const divisor = Tensor.fromStorage(Float32Array.from(plan.divisor), [L]);
  return rename(windows.sum(3).div(divisor).reshape(B, C, plan.oH, plan.oW), name);
}

/** PyTorch's checkDimRange wording, used by the 1-D average and adaptive pools. */
function dimsMessage(x: Tensor, fn: string): string {
  return `Expected 2 to 3 dimensions, but got ${x.ndim}-dimensional tensor for argument #1 'self' (while checking arguments for ${fn})`;
}

/** The pools run on float32 and float64 (PyTorch's CPU kernels also take bfloat16; not here). */
function checkFloat(fn: string, x: Tensor): void {
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new TypeError(`"${fn}" not implemented for '${scalarTypeName(x.dtype)}'`);
}

// ---- max pooling ----

type MaxPoolOptions = { kernelSize?: number | number[]; stride?: number | number[] | null; padding?: number | number[]; dilation?: number | number[]; ceilMode?: boolean; returnIndices?: boolean };
const MAX_NAMES = ["input", "kernelSize", "stride", "padding", "dilation", "ceilMode", "returnIndices"];
const MAX_DEFAULTS = { stride: null, padding: 0, dilation: 1, ceilMode: false, returnIndices: false };

function maxPool(n: 1 | 2, args: unknown[]): Tensor | [Tensor, Tensor] {
  const fn = n === 1 ? "max_pool1d" : "max_pool2d";
  const o = parseArgs<Record<string, any>>(fn, args, MAX_NAMES, MAX_DEFAULTS);
  const x = checkTensor(fn, "input", o.input, 1);
  const ceil = checkBool(fn, "ceil_mode", o.ceilMode);
  const returnIndices = checkBool(fn, "return_indices", o.returnIndices);
  let k: Pair, s: Pair, p: Pair, d: Pair;
  if (n === 1) {
    const one = (v: unknown, what: string, h1 = 1): Pair => {
      const len = Array.isArray(v) ? v.length : 1;
      return intPair(v, 1, `max_pool1d() ${what} must be an int, list of ints or tuple of ints of size 1 but got size ${len}`, h1)!;
    };
    if ((x.ndim !== 2 && x.ndim !== 3) || x.shape.slice(-2).includes(0)) {
      throw new Error(`max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${formatShape(x.shape)}`);
    }
    k = one(o.kernelSize, "kernel_size");
    s = o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? k : one(o.stride, "stride");
    p = one(o.padding, "padding", 0);
    d = one(o.dilation, "dilation");
    // NOTE: PyTorch's own 1-D kernel (no indices) checks with its own words; with indices it is the 2-D op's.
    if (!returnIndices) {
      if (k[1] <= 0) throw new Error(`max_pool1d() kernel_size must be greater than zero, but got ${k[1]}`);
      if (s[1] <= 0) throw new Error(`max_pool1d() stride must be greater than zero, but got ${s[1]}`);
      if (p[1] < 0) throw new Error(`max_pool1d() padding must be non-negative, but got ${p[1]}`);
      if (p[1] > Math.floor(k[1] / 2)) throw new Error(`max_pool1d() padding should be at most half of kernel size, but got padding=${p[1]} and kernel_size=${k[1]}`);
      if (d[1] <= 0) throw new Error(`max_pool1d() dilation must be greater than zero, but got ${d[1]}`);
    }
  } else {
    k = intPair(o.kernelSize, 2, "max_pool2d: kernel_size must either be a single int, or a tuple of two ints")!;
    s = intPair(Array.isArray(o.stride) && o.stride.length === 0 ? null : o.stride, 2, "max_pool2d: stride must either be omitted, a single int, or a tuple of two ints") ?? k;
    p = intPair(o.padding, 2, "max_pool2d: padding must be either be a single int, or a tuple of two ints")!;
    d = intPair(o.dilation, 2, "max_pool2d: dilation must be either a single int, or a tuple of two ints")!;
    if (x.ndim !== 3 && x.ndim !== 4) throw new Error("non-empty 3D or 4D (batch mode) tensor expected for input");
  }
  checkFloat(n === 1 && !returnIndices ? "max_pool1d_impl" : "max_pool2d", x);
  const { x4, restore } = as4d(x, n);
  const [oH, oW] = checkedOutputSize(fn, x4, k, s, p, d, ceil);
  // NOTE: one node over the backend's kernel (max_pool_node.ts), not the plan + gather composition.
  const window = { kH: k[0], kW: k[1], sH: s[0], sW: s[1], pH: p[0], pW: p[1], dH: d[0], dW: d[1] };
  const node = n === 1 ? MaxPool1dWithIndices : MaxPool2dWithIndices;
  const [values, indices] = node.apply(x4, window, oH, oW) as [Tensor, Tensor];
  if (returnIndices) return [restore(values), restore(indices)];
  ownedByGraph(values, indices); // not returned: only the node's backward reads them
  return restore(values);
}

/** pool2d_shape_check (Pool.h): kernel, stride, dilation, the input's dims, the output size. */
function checkedOutputSize(fn: string, x4: Tensor, k: Pair, s: Pair, p: Pair, d: Pair, ceil: boolean): Pair {
  const [, C, H, W] = x4.shape;
  const oH = outputSize(fn, H, k[0], p[0], s[0], d[0], ceil);
  const oW = outputSize(fn, W, k[1], p[1], s[1], d[1], ceil);
  if (k[0] <= 0 || k[1] <= 0) throw new Error(`kernel size should be greater than zero, but got kH: ${k[0]} kW: ${k[1]}`);
  if (s[0] <= 0 || s[1] <= 0) throw new Error(`stride should be greater than zero, but got dH: ${s[0]} dW: ${s[1]}`);
  if (d[0] <= 0 || d[1] <= 0) throw new Error(`dilation should be greater than zero, but got dilationH: ${d[0]} dilationW: ${d[1]}`);
  if (C === 0 || H === 0 || W === 0) {
    throw new Error(`Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${formatShape(x4.shape)}`);
  }
  if (oH < 1 || oW < 1) {
    throw new Error(`Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${oH}x${oW}). Output size is too small`);
  }
  return [oH, oW];
}

/** The checked window plan of a (non-adaptive) pool. */
function windowPlan(fn: string, x4: Tensor, k: Pair, s: Pair, p: Pair, d: Pair, ceil: boolean, avg?: { includePad: boolean; divisorOverride: number | null }): Plan {
  const [, , H, W] = x4.shape;
  const [oH, oW] = checkedOutputSize(fn, x4, k, s, p, d, ceil);
  const divisor = avg
    ? (i: number, j: number, count: number): number => {
        if (avg.divisorOverride !== null) return avg.divisorOverride;
        if (!avg.includePad) return count;
        // NOTE: the padded window is cut at the padding's end (ceil mode can overhang it).
        const h0 = i * s[0] - p[0];
        const w0 = j * s[1] - p[1];
        return (Math.min(h0 + k[0], H + p[0]) - h0) * (Math.min(w0 + k[1], W + p[1]) - w0);
      }
    : undefined;
  return buildPlan(oH, oW, W, (i) => taps(i, k[0], s[0], p[0], d[0], H), (j) => taps(j, k[1], s[1], p[1], d[1], W), divisor);
}

// NOTE: without returnIndices the result is one tensor; the overload lets `F.maxPool1d(x, 2)` type as one.
export function maxPool1d(input: Tensor, kernelSize: number | number[], options?: MaxPoolOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: number | number[] | MaxPoolOptions, ...rest: unknown[]): Tensor | [Tensor, Tensor];
export function maxPool1d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPool(1, args);
}

/** F.max_pool2d(input, kernelSize, stride = kernelSize, padding = 0, dilation = 1, ceilMode = false, returnIndices = false). */
// NOTE: without returnIndices the result is one tensor; the overload lets `F.maxPool2d(x, 2)` type as one.
export function maxPool2d(input: Tensor, kernelSize: number | number[], options?: MaxPoolOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: number | number[] | MaxPoolOptions, ...rest: unknown[]): Tensor | [Tensor, Tensor];
export function maxPool2d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPool(2, args);
}

/** F.max_pool2d_with_indices: max_pool2d that always returns [values, indices] (PyTorch's form
 *  behind return_indices=True; its own return_indices argument is accepted and ignored, as there). */
export function maxPool2dWithIndices(input: Tensor, kernelSize: number | number[] | MaxPoolOptions, ...rest: unknown[]): [Tensor, Tensor];
export function maxPool2dWithIndices(...args: unknown[]): [Tensor, Tensor] {
  const o = parseArgs<Record<string, any>>("max_pool2d_with_indices", args, MAX_NAMES, MAX_DEFAULTS);
  return maxPool(2, [o.input, o.kernelSize, o.stride, o.padding, o.dilation, o.ceilMode, true]) as [Tensor, Tensor];
}

// ---- average pooling ----

type AvgPoolOptions = { kernelSize?: number | number[]; stride?: number | number[] | null; padding?: number | number[]; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null };

function avgPool(n: 1 | 2, args: unknown[]): Tensor {
  const fn = n === 1 ? "avg_pool1d" : "avg_pool2d";
  const names = ["input", "kernelSize", "stride", "padding", "ceilMode", "countIncludePad", ...(n === 2 ? ["divisorOverride"] : [])];
  const o = parseArgs<Record<string, any>>(fn, args, names, { stride: null, padding: 0, ceilMode: false, countIncludePad: true, divisorOverride: null });
  const x = checkTensor(fn, "input", o.input, 1);
  const ceil = checkBool(fn, "ceil_mode", o.ceilMode);
  const includePad = checkBool(fn, "count_include_pad", o.countIncludePad);
  let k: Pair, s: Pair, p: Pair;
  if (n === 1) {
    const one = (v: unknown, what: string, h1 = 1): Pair => {
      const len = Array.isArray(v) ? v.length : 1;
      return intPair(v, 1, `avg_pool1d() argument '${what}' should contain one int (got ${len})`, h1)!;
    };
    if (x.ndim !== 2 && x.ndim !== 3) throw new Error(dimsMessage(x, fn));
    k = one(o.kernelSize, "kernel_size");
    s = o.stride === null ? k : one(o.stride, "stride");
    p = one(o.padding, "padding", 0);
  } else {
    k = intPair(o.kernelSize, 2, "avg_pool2d: kernel_size must either be a single int, or a tuple of two ints")!;
    s = intPair(Array.isArray(o.stride) && o.stride.length === 0 ? null : o.stride, 2, "avg_pool2d: stride must either be omitted, a single int, or a tuple of two ints") ?? k;
    p = intPair(o.padding, 2, "avg_pool2d: padding must either be a single int, or a tuple of two ints")!;
    if (x.ndim !== 3 && x.ndim !== 4) throw new Error(`Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${formatShape(x.shape)}`);
  }
  const divisorOverride = (o.divisorOverride ?? null) as number | null;
  if (divisorOverride !== null) {
    if (typeof divisorOverride !== "number" || !Number.isInteger(divisorOverride)) throw new TypeError(`avg_pool2d(): argument 'divisor_override' must be int, not ${typeof divisorOverride}`);
    if (divisorOverride === 0) throw new Error("divisor must be not zero");
  }
  checkFloat(fn, x);
  const { x4, restore } = as4d(x, n);
  const [oH, oW] = checkedOutputSize(fn, x4, k, s, p, [1, 1], ceil);
  // NOTE: one node over the backend's kernel (avg_pool_node.ts); the plan + gather composition is
  // what its createGraph backward replays.
  const window = { kH: k[0], kW: k[1], sH: s[0], sW: s[1], pH: p[0], pW: p[1], countIncludePad: includePad, divisorOverride: divisorOverride ?? 0 };
  const composed = (t: Tensor): Tensor => avgFromPlan(t, windowPlan(fn, t, k, s, p, [1, 1], ceil, { includePad, divisorOverride }), "AvgPool2DBackward0");
  return restore(AvgPool2dNode.apply(x4, window, oH, oW, composed) as Tensor);
}

export function avgPool1d(input: Tensor, kernelSize: number | number[] | AvgPoolOptions, ...rest: unknown[]): Tensor;
export function avgPool1d(...args: unknown[]): Tensor {
  return avgPool(1, args);
}

/** F.avg_pool2d(input, kernelSize, stride = kernelSize, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null). */
export function avgPool2d(input: Tensor, kernelSize: number | number[] | AvgPoolOptions, ...rest: unknown[]): Tensor;
export function avgPool2d(...args: unknown[]): Tensor {
  return avgPool(2, args);
}

// ---- adaptive pooling ----

/** output_size: an int, or a list of n ints where null keeps the input's size. */
function adaptiveSize(fn: string, v: unknown, n: 1 | 2, H: number, W: number): Pair {
  const list = Array.isArray(v) ? v : [v];
  if (n === 1 && list.length !== 1) throw new Error(`${fn}() argument 'output_size' should contain one int (got ${list.length})`);
  if (n === 2 && list.length !== 1 && list.length !== 2) throw new Error(`${fn}: output_size must be 2`);
  const full = n === 2 && list.length === 1 ? [list[0], list[0]] : list;
  const given = n === 1 ? [1, full[0]] : full;
  const defaults = [H, W];
  return given.map((e, i) => {
    if (e === null || e === undefined) return defaults[i];
    if (typeof e !== "number" || !Number.isInteger(e)) throw new TypeError(`${fn}(): argument 'output_size' must be tuple of ints, not ${typeof e}`);
    if (e < 0) throw new Error(`${fn}: elements of output_size must be greater than or equal to 0 but received {${given.join(", ")}}`);
    return e;
  }) as Pair;
}

function adaptivePlan(fn: string, x: Tensor, n: 1 | 2, outputSizeArg: unknown, avg: boolean): { x4: Tensor; restore: (t: Tensor) => Tensor; plan: Plan } {
  const name = n === 1 ? fn.replace("1d", "2d") : fn;
  if (x.ndim !== n + 1 && x.ndim !== n + 2) {
    if (n === 1) throw new Error(dimsMessage(x, fn));
    throw new Error(`${name}(): Expected 3D or 4D tensor, but got${avg ? " " : ": "}${formatShape(x.shape)}`);
  }
  for (let i = x.ndim - n - 1; i < x.ndim; i++) {
    if (x.shape[i] === 0) {
      throw new Error(`${name}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(x.shape)} with dimension ${i} being empty`);
    }
  }
  const { x4, restore } = as4d(x, n);
  const [, , H, W] = x4.shape;
  const [oH, oW] = adaptiveSize(fn, outputSizeArg, n, H, W);
  const plan = buildPlan(oH, oW, W, (i) => adaptiveRange(i, H, oH), (j) => adaptiveRange(j, W, oW), (_i, _j, count) => count);
  return { x4, restore, plan };
}

export function adaptiveAvgPool1d(input: Tensor, outputSize: number | number[] | { outputSize: number | number[] }): Tensor;
export function adaptiveAvgPool1d(...args: unknown[]): Tensor {
  return adaptiveAvg(1, args);
}

/** F.adaptive_avg_pool2d(input, outputSize): outputSize an int or [h, w] (null keeps that size). */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | (number | null)[] | { outputSize: number | (number | null)[] }): Tensor;
export function adaptiveAvgPool2d(...args: unknown[]): Tensor {
  return adaptiveAvg(2, args);
}

function adaptiveAvg(n: 1 | 2, args: unknown[]): Tensor {
  const fn = n === 1 ? "adaptive_avg_pool1d" : "adaptive_avg_pool2d";
  const o = parseArgs<{ input: Tensor; outputSize: unknown }>(fn, args, ["input", "outputSize"], {});
  const x = checkTensor(fn, "input", o.input, 1);
  const { x4, restore, plan } = adaptivePlan(fn, x, n, o.outputSize, true);
  checkFloat("adaptive_avg_pool2d", x);
  return restore(avgFromPlan(x4, plan, "AdaptiveAvgPool2DBackward0"));
}

export function adaptiveMaxPool1d(input: Tensor, outputSize: number | number[] | { outputSize?: number | number[]; returnIndices?: boolean }, returnIndices?: boolean): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool1d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptiveMax(1, args);
}

/** F.adaptive_max_pool2d(input, outputSize, returnIndices = false). */
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | (number | null)[] | { outputSize?: number | (number | null)[]; returnIndices?: boolean }, returnIndices?: boolean): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool2d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptiveMax(2, args);
}

function adaptiveMax(n: 1 | 2, args: unknown[]): Tensor | [Tensor, Tensor] {
  const fn = n === 1 ? "adaptive_max_pool1d" : "adaptive_max_pool2d";
  const o = parseArgs<{ input: Tensor; outputSize: unknown; returnIndices: boolean }>(fn, args, ["input", "outputSize", "returnIndices"], { returnIndices: false });
  const x = checkTensor(fn, "input", o.input, 1);
  const returnIndices = checkBool(fn, "return_indices", o.returnIndices);
  const { x4, restore, plan } = adaptivePlan(fn, x, n, o.outputSize, false);
  checkFloat("adaptive_max_pool2d", x);
  const [values, indices] = maxFromPlan(x4, plan, "AdaptiveMaxPool2DBackward0");
  return returnIndices ? [restore(values), restore(indices)] : restore(values);
}

// ---- max unpooling ----

type UnpoolOptions = { kernelSize?: number | number[]; stride?: number | number[] | null; padding?: number | number[]; outputSize?: number[] | null };

/** F.max_unpool1d/2d: the inverse of max pooling, zeros except each value put back at its index.
 *  NOTE: a `scatter` into zeros, so the gradient is the upstream gathered at the indices. */
function maxUnpool(n: 1 | 2, args: unknown[]): Tensor {
  const fn = n === 1 ? "max_unpool1d" : "max_unpool2d";
  const o = parseArgs<Record<string, any>>(fn, args, ["input", "indices", "kernelSize", "stride", "padding", "outputSize"], { stride: null, padding: 0, outputSize: null });
  const x = checkTensor(fn, "input", o.input, 1);
  const indices = checkTensor(fn, "indices", o.indices, 2);
  const msg = `${fn}: kernel_size, stride and padding must be ints or lists of ${n} ints`;
  const list = (v: unknown): number[] => {
    const pr = intPair(v, n, msg, 0)!;
    return n === 1 ? [pr[1]] : pr;
  };
  const k = list(o.kernelSize);
  const s = o.stride === null ? k : list(o.stride);
  const p = list(o.padding);
  const inSizes = x.shape.slice(-n);
  const defaults = inSizes.map((v, d) => (v - 1) * s[d] + k[d] - 2 * p[d]);
  let out = defaults;
  if (o.outputSize !== null) {
    let given = [...(o.outputSize as number[])];
    const shown = formatShape(given);
    if (given.length === n + 2) given = given.slice(2);
    if (given.length !== n) throw new RangeError(`output_size should be a sequence containing ${n} or ${n + 2} elements, but it has a length of '${given.length}'`);
    given.forEach((g, d) => {
      const lo = defaults[d] - s[d], hi = defaults[d] + s[d];
      if (!(lo < g && g < hi)) throw new RangeError(`invalid output_size "${shown}" (dim ${d} must be between ${lo} and ${hi})`);
    });
    out = given;
  }
  const [oH, oW] = n === 1 ? [out[0], 1] : out;
  // PyTorch 1.13 unpools 1-D as 2-D with a trailing width of 1.
  let x4 = n === 1 ? x.unsqueeze(-1) : x;
  let i4 = n === 1 ? indices.unsqueeze(-1) : indices;
  if (x4.ndim !== 3 && x4.ndim !== 4) throw new Error(`Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with ${x4.ndim} dimensions.`);
  if (indices.dtype !== "int64") throw new TypeError(`elements in indices should be type int64 but got: ${scalarTypeName(indices.dtype)}`);
  if (!sameShape(x4.shape, i4.shape)) {
    throw new Error(`Expected shape of indices to be same as that of the input tensor (${formatShape(x4.shape)}) but got indices tensor with shape: ${formatShape(i4.shape)}`);
  }
  const batched = x4.ndim === 4;
  if (!batched) {
    x4 = x4.unsqueeze(0);
    i4 = i4.unsqueeze(0);
  }
  const [B, C, H, W] = x4.shape;
  const flatIdx = i4.reshape(B, C, H * W);
  for (const v of flatIdx.contiguous().typedArray) {
    if (v < 0 || v >= oH * oW) throw new Error(`Found an invalid max index: ${v} (output volumes are of size ${oH}x${oW}`);
  }
  const res = zeros([B, C, oH * oW], { dtype: x.dtype }).scatter(2, flatIdx, x4.reshape(B, C, H * W)).reshape(B, C, oH, oW);
  const r = batched ? res : res.squeeze(0);
  return n === 1 ? r.squeeze(-1) : r;
}

export function maxUnpool1d(input: Tensor, indices: Tensor, kernelSize: number | number[] | UnpoolOptions, ...rest: unknown[]): Tensor;
export function maxUnpool1d(...args: unknown[]): Tensor {
  return maxUnpool(1, args);
}

/** F.max_unpool2d(input, indices, kernelSize, stride = kernelSize, padding = 0, outputSize = null). */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: number | number[] | UnpoolOptions, ...rest: unknown[]): Tensor;
export function maxUnpool2d(...args: unknown[]): Tensor {
  return maxUnpool(2, args);
}
