// nn.Conv1d and nn.Conv2d: weight [out, in/groups, ...kernel], bias [out], PyTorch's default init
// (kaiming_uniform_(a=√5) on the weight, then U(−1/√fan_in, 1/√fan_in) on the bias, drawn from the
// global generator in that order), padding_mode zeros/reflect/replicate/circular (the last three pad
// with F.pad and run a padding-0 conv), and PyTorch's repr.
// ref: torch/nn/modules/conv.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, parseArgs } from "./args.js";
import { conv1d, conv2d, pad, type ConvPadding, type PadMode } from "./functional_conv.js";
import * as init from "./init.js";
import type { DeviceLike } from "../device.js";

type IntOrTuple = number | number[];
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

export interface ConvModuleOptions {
  inChannels?: number;
  outChannels?: number;
  kernelSize?: IntOrTuple;
  stride?: IntOrTuple;
  padding?: ConvPadding;
  dilation?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  paddingMode?: PaddingMode;
  /** Accepted for porting: only "cpu" and float32 exist. */
  device?: DeviceLike | null;
  dtype?: string | null;
}

const PADDING_MODES = ["zeros", "reflect", "replicate", "circular"];

function ntuple(v: unknown, n: number, fn: string, name: string): number[] {
  const arr = typeof v === "number" ? Array(n).fill(v) : Array.isArray(v) && v.length === 1 ? Array(n).fill(v[0]) : v;
  if (!Array.isArray(arr) || arr.length !== n || arr.some((e) => !Number.isInteger(e))) {
    throw new TypeError(`${fn}(): argument '${name}' must be an int or a tuple of ${n} ints, not ${JSON.stringify(v)}`);
  }
  return arr as number[];
}

/** Python's tuple repr: (3,) and (3, 3). */
function pyTuple(v: readonly number[]): string {
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`;
}

abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | "same" | "valid";
  readonly dilation: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  weight: Parameter;
  bias: Parameter | null;
  /** F.pad's tuple for non-zeros padding modes (last dim first, each side). */
  protected readonly reversedPadding: number[];

  constructor(name: string, n: number, args: unknown[]) {
    super();
    const o = parseArgs<{
      inChannels: number; outChannels: number; kernelSize: IntOrTuple; stride: IntOrTuple; padding: ConvPadding;
      dilation: IntOrTuple; groups: number; bias: boolean; paddingMode: PaddingMode; device: DeviceLike | null; dtype: string | null;
    }>(
      name, args,
      ["inChannels", "outChannels", "kernelSize", "stride", "padding", "dilation", "groups", "bias", "paddingMode", "device", "dtype"],
      { stride: 1, padding: 0, dilation: 1, groups: 1, bias: true, paddingMode: "zeros", device: null, dtype: null },
    );
    const inC = checkInt(name, "in_channels", o.inChannels);
    const outC = checkInt(name, "out_channels", o.outChannels);
    const groups = checkInt(name, "groups", o.groups);
    if (groups <= 0) throw new RangeError("groups must be a positive integer");
    if (inC % groups !== 0) throw new RangeError("in_channels must be divisible by groups");
    if (outC % groups !== 0) throw new RangeError("out_channels must be divisible by groups");
    this.kernelSize = ntuple(o.kernelSize, n, name, "kernel_size");
    this.stride = ntuple(o.stride, n, name, "stride");
    this.dilation = ntuple(o.dilation, n, name, "dilation");
    if (typeof o.padding === "string") {
      if (o.padding !== "same" && o.padding !== "valid") {
        throw new RangeError(`Invalid padding string '${o.padding}', should be one of ['valid', 'same']`);
      }
      if (o.padding === "same" && this.stride.some((s) => s !== 1)) {
        throw new RangeError("padding='same' is not supported for strided convolutions");
      }
      this.padding = o.padding;
    } else {
      this.padding = ntuple(o.padding, n, name, "padding");
    }
    if (!PADDING_MODES.includes(o.paddingMode)) {
      throw new RangeError(`padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='${String(o.paddingMode)}'`);
    }
    this.paddingMode = o.paddingMode;
    // NOTE: as PyTorch, 'same' puts the odd extra element on the right; 'valid' pads nothing.
    this.reversedPadding = [];
    for (let i = n - 1; i >= 0; i--) {
      if (this.padding === "valid") this.reversedPadding.push(0, 0);
      else if (this.padding === "same") {
        const total = this.dilation[i] * (this.kernelSize[i] - 1);
        const lo = Math.floor(total / 2);
        this.reversedPadding.push(lo, total - lo);
      } else this.reversedPadding.push(this.padding[i], this.padding[i]);
    }
    this.inChannels = inC;
    this.outChannels = outC;
    this.groups = groups;
    this.weight = new Parameter(Tensor.empty([outC, inC / groups, ...this.kernelSize], "float32"));
    this.bias = checkBool(name, "bias", o.bias) ? new Parameter(Tensor.empty([outC], "float32")) : null;
    this.resetParameters();
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
  }

  /** PyTorch's default init (kaiming_uniform_(a=√5), then the bias bound from fan_in). */
  resetParameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  protected abstract conv(input: Tensor, padding: ConvPadding): Tensor;

  forward(input: Tensor): Tensor {
    if (this.paddingMode !== "zeros") {
      return this.conv(pad(input, this.reversedPadding, this.paddingMode as PadMode), 0);
    }
    return this.conv(input, this.padding);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options?: ConvModuleOptions);
  constructor(options: ConvModuleOptions);
  constructor(...args: unknown[]) {
    super("Conv1d", 1, args);
  }

  protected conv(input: Tensor, padding: ConvPadding): Tensor {
    return conv1d(input, this.weight, this.bias, this.stride, padding, this.dilation, this.groups);
  }
}

export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options?: ConvModuleOptions);
  constructor(options: ConvModuleOptions);
  constructor(...args: unknown[]) {
    super("Conv2d", 2, args);
  }

  protected conv(input: Tensor, padding: ConvPadding): Tensor {
    return conv2d(input, this.weight, this.bias, this.stride, padding, this.dilation, this.groups);
  }
}
