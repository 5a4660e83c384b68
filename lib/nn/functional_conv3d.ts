// F.conv3d and F.conv_transpose1d, composed from the 2-D convolutions. conv3d: each depth tap kd of
// the kernel is a conv2d of the input's depth slices kd·dilation + stride·od (all od at once, the
// slices stacked in the batch) with weight[:, :, kd]; the kD results are summed. conv_transpose1d is
// conv_transpose2d on a height-1 image. Gradients come from the compositions.
// ref: aten/src/ATen/native/Convolution.cpp (shape checks and messages), torch/nn/functional.py (1.13).
import type { Tensor } from "../tensor.js";
import { formatShape } from "../shape.js";
import { checkOptionalTensor, checkTensor, ntuple, parseArgs } from "./args.js";
import { conv2d, convTranspose2d, pad, parseConvTransposeArgs, type ConvOptions, type ConvPadding, type ConvTransposeOptions } from "./functional_conv.js";
import { rename } from "../autograd/node.js";

type IntOrTuple = number | readonly number[];

/** F.conv3d(input [N, C, D, H, W] or [C, D, H, W], weight [O, C/groups, kD, kH, kW], bias, stride, padding, dilation, groups). */
export function conv3d(input: Tensor, weight: Tensor, bias?: Tensor | null | ConvOptions, stride?: IntOrTuple | ConvOptions, padding?: ConvPadding | ConvOptions, dilation?: IntOrTuple | ConvOptions, groups?: number | ConvOptions): Tensor;
export function conv3d(...args: unknown[]): Tensor {
  const fn = "conv3d";
  const o = parseArgs<{ input: Tensor; weight: Tensor; bias: Tensor | null; stride: IntOrTuple; padding: ConvPadding; dilation: IntOrTuple; groups: number }>(
    fn, args, ["input", "weight", "bias", "stride", "padding", "dilation", "groups"], { bias: null, stride: 1, padding: 0, dilation: 1, groups: 1 },
  );
  const input = checkTensor(fn, "input", o.input, 1);
  const weight = checkTensor(fn, "weight", o.weight, 2);
  const bias = checkOptionalTensor(fn, "bias", o.bias);
  const stride = ntuple(o.stride, 3, fn, "stride");
  const dilation = ntuple(o.dilation, 3, fn, "dilation");
  const groups = o.groups;
  if (!Number.isInteger(groups)) throw new TypeError(`${fn}(): argument 'groups' must be int, not ${String(groups)}`);
  if (input.ndim !== 4 && input.ndim !== 5) {
    throw new RangeError(`Expected 4D (unbatched) or 5D (batched) input to conv3d, but got input of size: ${formatShape(input.shape)}`);
  }
  if (weight.ndim !== 5) throw new RangeError("weight should have at least five dimensions");
  if (groups <= 0) throw new RangeError("non-positive groups is not supported");
  if (stride.some((s) => s <= 0)) throw new RangeError("non-positive stride is not supported");
  if (dilation.some((d) => d <= 0)) throw new RangeError("dilation should be greater than zero");
  const x = input.ndim === 4 ? input.unsqueeze(0) : input;
  const [O, Cg, kD, kH, kW] = weight.shape;
  const C = x.shape[1];
  if (O % groups !== 0) throw new RangeError(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${formatShape(weight.shape)} instead`);
  if (Cg * groups !== C) {
    throw new RangeError(`Given groups=${groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(x.shape)} to have ${Cg * groups} channels, but got ${C} channels instead`);
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new RangeError(`Given weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${O} elements, but got bias of size ${formatShape(bias.shape)} instead`);
  }
  const kernel = [kD, kH, kW];
  let lo: number[];
  let hi: number[];
  if (o.padding === "valid") lo = hi = [0, 0, 0];
  else if (o.padding === "same") {
    if (stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    lo = total.map((t) => Math.floor(t / 2));
    hi = total.map((t, i) => t - lo[i]);
  } else if (typeof o.padding === "string") {
    throw new RangeError(`Invalid padding string '${o.padding}', should be one of ['valid', 'same']`);
  } else {
    lo = hi = ntuple(o.padding, 3, fn, "padding");
    if (lo.some((p) => p < 0)) throw new RangeError("negative padding is not supported");
  }
  const [N, , D, H, W] = x.shape;
  const eff = [D + lo[0] + hi[0], H + lo[1] + hi[1], W + lo[2] + hi[2]];
  const span = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  if (eff.some((e, i) => e < span[i])) {
    throw new RangeError(`Calculated padded input size per channel: (${eff.join(" x ")}). Kernel size: (${span.join(" x ")}). Kernel size can't be greater than actual input size`);
  }
  const oD = Math.floor((eff[0] - span[0]) / stride[0]) + 1;
  // Depth padding (and uneven 'same' padding of H and W) as explicit zeros; even H/W padding goes to conv2d.
  const evenHW = lo[1] === hi[1] && lo[2] === hi[2];
  const padTuple = [evenHW ? 0 : lo[2], evenHW ? 0 : hi[2], evenHW ? 0 : lo[1], evenHW ? 0 : hi[1], lo[0], hi[0]];
  const xp = padTuple.some((p) => p !== 0) ? pad(x, padTuple) : x;
  const hwPad = evenHW ? [lo[1], lo[2]] : [0, 0];
  const [Hp, Wp] = xp.shape.slice(3);
  let out: Tensor | null = null;
  for (let kd = 0; kd < kD; kd++) {
    // Depths kd·dilation + stride·od, od < oD, as a batch of N·oD images.
    const start = kd * dilation[0];
    let slab = xp.narrow(2, start, stride[0] * (oD - 1) + 1);
    if (stride[0] > 1) slab = slab.index(":", ":", `::${stride[0]}`);
    const imgs = slab.permute(0, 2, 1, 3, 4).reshape([N * oD, C, Hp, Wp]);
    const w2 = weight.select(2, kd);
    const y = conv2d(imgs, w2, null, [stride[1], stride[2]], hwPad, [dilation[1], dilation[2]], groups);
    out = out === null ? y : out.add(y);
  }
  const [oH, oW] = (out as Tensor).shape.slice(2);
  let res = (out as Tensor).reshape([N, oD, O, oH, oW]).permute(0, 2, 1, 3, 4);
  if (bias !== null) res = res.add(bias.reshape([O, 1, 1, 1]));
  res = rename(res.contiguous(), "ConvolutionBackward0");
  return input.ndim === 4 ? res.squeeze(0) : res;
}

/** F.conv_transpose1d(input [N, C, L] or [C, L], weight [C, O/groups, k], bias, stride, padding, output_padding, groups, dilation). */
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null | ConvTransposeOptions, stride?: IntOrTuple | ConvTransposeOptions, padding?: IntOrTuple | ConvTransposeOptions, outputPadding?: IntOrTuple | ConvTransposeOptions, groups?: number | ConvTransposeOptions, dilation?: IntOrTuple | ConvTransposeOptions): Tensor;
export function convTranspose1d(...args: unknown[]): Tensor {
  const fn = "conv_transpose1d";
  const { o, input, weight, bias } = parseConvTransposeArgs(fn, args);
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RangeError(`Expected 2D (unbatched) or 3D (batched) input to conv_transpose1d, but got input of size: ${formatShape(input.shape)}`);
  }
  if (weight.ndim !== 3) throw new RangeError("weight should have at least three dimensions");
  const one = (v: IntOrTuple, name: string, fill: number) => [fill, ntuple(v, 1, fn, name)[0]];
  const out = convTranspose2d(
    input.unsqueeze(-2), weight.unsqueeze(2), bias,
    one(o.stride, "stride", 1), one(o.padding, "padding", 0), one(o.outputPadding, "output_padding", 0), o.groups, one(o.dilation, "dilation", 1),
  );
  return out.squeeze(-2);
}
