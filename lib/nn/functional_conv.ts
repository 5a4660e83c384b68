// F.pad, F.unfold, F.fold, F.conv1d, F.conv2d, F.conv_transpose2d. A float32/float64 convolution is
// one node (lib/ops/conv2d.ts: im2col + GEMM, gradients of any order); other dtypes compose im2col
// (lib/ops/unfold.ts) with a batched matmul per group. conv1d runs as conv2d over a height-1 image.
// ref: torch/nn/functional.py, aten/src/ATen/native/Convolution.cpp (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { pad as padOp, type PadMode } from "../ops/pad.js";
import { fold as foldOp, unfold as unfoldOp, im2col, pair, type Pair } from "../ops/unfold.js";
import { Conv2dNode, ConvTranspose2dNode } from "../ops/conv2d.js";
import { hasColumnKernels, makeWindow } from "../ops/columns.js";
import { formatShape } from "../shape.js";
import { checkOptionalTensor, checkTensor, ntuple, parseArgs } from "./args.js";

export type { PadMode };
export * from "./functional_interpolate.js";
type IntOrTuple = number | readonly number[];

export function pad(input: Tensor, pad: readonly number[], mode?: PadMode | { mode?: PadMode; value?: number | null }, value?: number | null): Tensor;
export function pad(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; pad: number[]; mode: PadMode; value: number | null }>(
    "pad", args, ["input", "pad", "mode", "value"], { mode: "constant", value: null },
  );
  return padOp(checkTensor("pad", "input", o.input, 1), o.pad, o.mode, o.value);
}

export function unfold(input: Tensor, kernelSize: IntOrTuple | UnfoldOptions, dilation?: IntOrTuple | UnfoldOptions, padding?: IntOrTuple | UnfoldOptions, stride?: IntOrTuple | UnfoldOptions): Tensor;
export function unfold(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; kernelSize: IntOrTuple; dilation: IntOrTuple; padding: IntOrTuple; stride: IntOrTuple }>(
    "unfold", args, ["input", "kernelSize", "dilation", "padding", "stride"], { dilation: 1, padding: 0, stride: 1 },
  );
  return unfoldOp(checkTensor("unfold", "input", o.input, 1), o.kernelSize, o.dilation, o.padding, o.stride);
}

export interface UnfoldOptions { kernelSize?: IntOrTuple; dilation?: IntOrTuple; padding?: IntOrTuple; stride?: IntOrTuple }

export function fold(input: Tensor, outputSize: IntOrTuple | UnfoldOptions, kernelSize?: IntOrTuple | UnfoldOptions, dilation?: IntOrTuple | UnfoldOptions, padding?: IntOrTuple | UnfoldOptions, stride?: IntOrTuple | UnfoldOptions): Tensor;
export function fold(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; outputSize: IntOrTuple; kernelSize: IntOrTuple; dilation: IntOrTuple; padding: IntOrTuple; stride: IntOrTuple }>(
    "fold", args, ["input", "outputSize", "kernelSize", "dilation", "padding", "stride"], { dilation: 1, padding: 0, stride: 1 },
  );
  return foldOp(checkTensor("fold", "input", o.input, 1), o.outputSize, o.kernelSize, o.dilation, o.padding, o.stride);
}

export type ConvPadding = IntOrTuple | "same" | "valid";
export interface ConvOptions { bias?: Tensor | null; stride?: IntOrTuple; padding?: ConvPadding; dilation?: IntOrTuple; groups?: number }

/** Shared checks and the padding='same'/'valid' resolution of conv1d/conv2d (n spatial dims). */
function convNd(fn: string, n: 1 | 2, args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; weight: Tensor; bias: Tensor | null; stride: IntOrTuple; padding: ConvPadding; dilation: IntOrTuple; groups: number }>(
    fn, args, ["input", "weight", "bias", "stride", "padding", "dilation", "groups"], { bias: null, stride: 1, padding: 0, dilation: 1, groups: 1 },
  );
  const input = checkTensor(fn, "input", o.input, 1);
  const weight = checkTensor(fn, "weight", o.weight, 2);
  const bias = checkOptionalTensor(fn, "bias", o.bias);
  const stride = ntuple(o.stride, n, fn, "stride");
  const dilation = ntuple(o.dilation, n, fn, "dilation");
  const groups = o.groups;
  if (!Number.isInteger(groups)) throw new TypeError(`${fn}(): argument 'groups' must be int, not ${String(groups)}`);
  if (input.ndim !== n + 1 && input.ndim !== n + 2) {
    throw new RangeError(
      `Expected ${n + 1}D (unbatched) or ${n + 2}D (batched) input to ${fn}, but got input of size: ${formatShape(input.shape)}`,
    );
  }
  if (weight.ndim !== n + 2) {
    throw new RangeError(`weight should have at least three dimensions`.replace("three", n === 1 ? "three" : "four"));
  }
  if (groups <= 0) throw new RangeError("non-positive groups is not supported");
  if (stride.some((s) => s <= 0)) throw new RangeError("non-positive stride is not supported");
  if (dilation.some((d) => d <= 0)) throw new RangeError("dilation should be greater than zero");
  const x = input.ndim === n + 1 ? input.unsqueeze(0) : input;
  const [O, Cg] = weight.shape;
  const C = x.shape[1];
  if (O % groups !== 0) throw new RangeError("Given groups=" + groups + ", expected weight to be divisible by " + groups + " at dimension 0, but got weight of size " + formatShape(weight.shape) + " instead");
  if (Cg * groups !== C) {
    throw new RangeError(
      `Given groups=${groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(x.shape)} to have ${Cg * groups} channels, but got ${C} channels instead`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new RangeError(`Given weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${O} elements, but got bias of size ${formatShape(bias.shape)} instead`);
  }
  const kernel = weight.shape.slice(2);
  let padLo: number[];
  let padHi: number[];
  if (o.padding === "valid") {
    padLo = padHi = Array(n).fill(0);
  } else if (o.padding === "same") {
    if (stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
    // NOTE: an even total goes half each side; an odd one puts the extra element on the right/bottom, as PyTorch.
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    padLo = total.map((t) => Math.floor(t / 2));
    padHi = total.map((t, i) => t - padLo[i]);
  } else if (typeof o.padding === "string") {
    throw new RangeError(`Invalid padding string '${o.padding}', should be one of ['valid', 'same']`);
  } else {
    padLo = padHi = ntuple(o.padding, n, fn, "padding");
    if (padLo.some((p) => p < 0)) throw new RangeError("negative padding is not supported");
  }
  // As 2-D: a height-1 image for conv1d.
  const to2 = (v: number[], one: number): Pair => (n === 1 ? [one, v[0]] : [v[0], v[1]]);
  const x4 = n === 1 ? x.unsqueeze(2) : x;
  const w4 = n === 1 ? weight.unsqueeze(2) : weight;
  const [k2, s2, d2] = [to2(kernel, 1), to2(stride, 1), to2(dilation, 1)];
  const [lo2, hi2] = [to2(padLo, 0), to2(padHi, 0)];
  const [N, , H, W] = x4.shape;
  const effH = H + lo2[0] + hi2[0];
  const effW = W + lo2[1] + hi2[1];
  if (effH < d2[0] * (k2[0] - 1) + 1 || effW < d2[1] * (k2[1] - 1) + 1) {
    const padded = n === 1 ? [effW] : [effH, effW];
    const kk = n === 1 ? [d2[1] * (k2[1] - 1) + 1] : [d2[0] * (k2[0] - 1) + 1, d2[1] * (k2[1] - 1) + 1];
    throw new RangeError(
      `Calculated padded input size per channel: (${padded.join(" x ")}). Kernel size: (${kk.join(" x ")}). Kernel size can't be greater than actual input size`,
    );
  }
  const oh = Math.floor((effH - d2[0] * (k2[0] - 1) - 1) / s2[0]) + 1;
  const ow = Math.floor((effW - d2[1] * (k2[1] - 1) - 1) / s2[1]) + 1;
  let out: Tensor;
  if (hasColumnKernels(x.dtype) && weight.dtype === x.dtype && (bias === null || bias.dtype === x.dtype)) {
    // NOTE: one node on the im2col/col2im kernels; the window reads the (possibly uneven) padding as zeros.
    out = Conv2dNode.apply(x4, w4, bias, { w: makeWindow(k2, d2, lo2, s2, [oh, ow]), groups }) as Tensor;
    if (n === 1) out = out.squeeze(2);
  } else {
    // Other dtypes (and mixed ones, whose error the matmul raises): im2col composed of recorded ops.
    const symmetric = padLo.every((p, i) => p === padHi[i]);
    const xp = symmetric ? x4 : padOp(x4, n === 1 ? [padLo[0], padHi[0]] : [padLo[1], padHi[1], padLo[0], padHi[0]]);
    const cols = im2col(xp, k2, d2, symmetric ? lo2 : [0, 0], s2); // [N, C*K, L]
    const K = k2[0] * k2[1];
    const wg = w4.reshape(groups, O / groups, Cg * K);
    const y = wg.matmul(cols.reshape(N, groups, Cg * K, oh * ow)); // [N, g, O/g, L]
    out = y.reshape(...(n === 1 ? [N, O, ow] : [N, O, oh, ow]));
    if (bias !== null) out = out.add(bias.reshape(...(n === 1 ? [O, 1] : [O, 1, 1])));
  }
  return input.ndim === n + 1 ? out.squeeze(0) : out;
}

export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null | ConvOptions, stride?: IntOrTuple | ConvOptions, padding?: ConvPadding | ConvOptions, dilation?: IntOrTuple | ConvOptions, groups?: number | ConvOptions): Tensor;
export function conv1d(...args: unknown[]): Tensor {
  return convNd("conv1d", 1, args);
}

export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null | ConvOptions, stride?: IntOrTuple | ConvOptions, padding?: ConvPadding | ConvOptions, dilation?: IntOrTuple | ConvOptions, groups?: number | ConvOptions): Tensor;
export function conv2d(...args: unknown[]): Tensor {
  return convNd("conv2d", 2, args);
}

export interface ConvTransposeOptions {
  bias?: Tensor | null; stride?: IntOrTuple; padding?: IntOrTuple; outputPadding?: IntOrTuple; groups?: number; dilation?: IntOrTuple;
}

/** The arguments every conv_transpose{1,2}d takes (PyTorch's order and defaults), with the tensors checked. */
export function parseConvTransposeArgs(fn: string, args: unknown[]) {
  const o = parseArgs<{ input: Tensor; weight: Tensor; bias: Tensor | null; stride: IntOrTuple; padding: IntOrTuple; outputPadding: IntOrTuple; groups: number; dilation: IntOrTuple }>(
    fn, args, ["input", "weight", "bias", "stride", "padding", "outputPadding", "groups", "dilation"],
    { bias: null, stride: 1, padding: 0, outputPadding: 0, groups: 1, dilation: 1 },
  );
  const input = checkTensor(fn, "input", o.input, 1);
  const weight = checkTensor(fn, "weight", o.weight, 2);
  const bias = checkOptionalTensor(fn, "bias", o.bias);
  return { o, input, weight, bias };
}

/**
 * The adjoint of conv2d (its gradient in the input): per group, weightᵀ @ x gives each input
 * pixel's kernel-sized block of outputs, and fold (col2im) sums the overlapping blocks into place.
 * weight is [in, out/groups, kh, kw].
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null | ConvTransposeOptions, stride?: IntOrTuple | ConvTransposeOptions, padding?: IntOrTuple | ConvTransposeOptions, outputPadding?: IntOrTuple | ConvTransposeOptions, groups?: number | ConvTransposeOptions, dilation?: IntOrTuple | ConvTransposeOptions): Tensor;
export function convTranspose2d(...args: unknown[]): Tensor {
  const fn = "conv_transpose2d";
  const { o, input, weight, bias } = parseConvTransposeArgs(fn, args);
  const [s, p, op, d] = [pair(o.stride, fn, "stride"), pair(o.padding, fn, "padding"), pair(o.outputPadding, fn, "output_padding"), pair(o.dilation, fn, "dilation")];
  const groups = o.groups;
  if (!Number.isInteger(groups) || groups <= 0) throw new RangeError("non-positive groups is not supported");
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(`Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: ${formatShape(input.shape)}`);
  }
  if (weight.ndim !== 4) throw new RangeError("weight should have at least four dimensions");
  if (s.some((v) => v <= 0)) throw new RangeError("non-positive stride is not supported");
  if (d.some((v) => v <= 0)) throw new RangeError("dilation should be greater than zero");
  if (p.some((v) => v < 0)) throw new RangeError("negative padding is not supported");
  if (op.some((v, i) => v < 0 || (v >= s[i] && v >= d[i]))) {
    throw new RangeError(
      `output padding must be smaller than either stride or dilation, but got output_padding_height: ${op[0]} output_padding_width: ${op[1]} stride_height: ${s[0]} stride_width: ${s[1]} dilation_height: ${d[0]} dilation_width: ${d[1]}`,
    );
  }
  const x = input.ndim === 3 ? input.unsqueeze(0) : input;
  const [N, C, H, W] = x.shape;
  const [Cin, Og, kh, kw] = weight.shape;
  if (Cin !== C || Cin % groups !== 0) {
    throw new RangeError(
      `Given transposed=1, weight of size ${formatShape(weight.shape)}, expected input${formatShape(x.shape)} to have ${Cin} channels, but got ${C} channels instead`,
    );
  }
  const O = Og * groups;
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new RangeError(`Given transposed=1, weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${O} elements, but got bias of size ${formatShape(bias.shape)} instead`);
  }
  const K = kh * kw;
  const outH = (H - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + op[0] + 1;
  const outW = (W - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + op[1] + 1;
  if (outH <= 0 || outW <= 0) {
    throw new RangeError(`Given input size per channel: (${H} x ${W}). Calculated output size per channel: (${outH} x ${outW}). Output size is too small`);
  }
  const Cg = Cin / groups;
  if (hasColumnKernels(x.dtype) && weight.dtype === x.dtype && (bias === null || bias.dtype === x.dtype)) {
    // One node: conv2d's input gradient for the conv2d window that maps [outH, outW] back to [H, W].
    const spec = { w: makeWindow([kh, kw], d, p, s, [H, W]), groups };
    const out = ConvTranspose2dNode.apply(x, weight, bias, spec, [N, O, outH, outW]) as Tensor;
    return input.ndim === 3 ? out.squeeze(0) : out;
  }
  const wT = weight.reshape(groups, Cg, Og * K).transpose(1, 2); // [g, Og*K, Cg]
  const cols = wT.matmul(x.reshape(N, groups, Cg, H * W)).reshape(N, O * K, H * W);
  let out = foldOp(cols, [outH, outW], [kh, kw], d, p, s);
  if (bias !== null) out = out.add(bias.reshape(O, 1, 1));
  return input.ndim === 3 ? out.squeeze(0) : out;
}
