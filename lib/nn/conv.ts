// nn.Conv1d and nn.Conv2d: weight [out, in/groups, ...kernel], bias [out], PyTorch's default init
// (kaiming_uniform_(a=√5) on the weight, then U(−1/√fan_in, 1/√fan_in) on the bias, drawn from the
// global generator in that order), padding_mode zeros/reflect/replicate/circular (the last three pad
// with F.pad and run a padding-0 conv), and PyTorch's repr.
// ref: torch/nn/modules/conv.py (PyTorch 1.13).
import { getDefaultDtype } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, ntuple, parseArgs, pyTuple } from "./args.js";
import { conv1d, conv2d, convTranspose2d, pad, type ConvPadding, type PadMode } from "./functional_conv.js";
import * as init from "./init.js";
import { conv3d, convTranspose1d } from "./functional_conv3d.js";
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
  /** ConvTranspose2d only. */
  outputPadding?: IntOrTuple;
  paddingMode?: PaddingMode;
  /** Accepted for porting: only "cpu" and float32 exist. */
  device?: DeviceLike | null;
  dtype?: string | null;
}

const PADDING_MODES = ["zeros", "reflect", "replicate", "circular"];

abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | "same" | "valid";
  readonly dilation: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  readonly outputPadding: number[];
  readonly transposed: boolean;
  weight: Parameter;
  bias: Parameter | null;
  /** F.pad's tuple for non-zeros padding modes (last dim first, each side). */
  protected readonly reversedPadding: number[];

  constructor(name: string, n: number, args: unknown[], transposed = false) {
    super();
    // NOTE: PyTorch's positional orders differ: ConvTranspose puts output_padding, groups, bias before dilation.
    const names = transposed
      ? ["inChannels", "outChannels", "kernelSize", "stride", "padding", "outputPadding", "groups", "bias", "dilation", "paddingMode", "device", "dtype"]
      : ["inChannels", "outChannels", "kernelSize", "stride", "padding", "dilation", "groups", "bias", "paddingMode", "device", "dtype"];
    const o = parseArgs<{
      inChannels: number; outChannels: number; kernelSize: IntOrTuple; stride: IntOrTuple; padding: ConvPadding; outputPadding: IntOrTuple;
      dilation: IntOrTuple; groups: number; bias: boolean; paddingMode: PaddingMode; device: DeviceLike | null; dtype: string | null;
    }>(
      name, args, names,
      { stride: 1, padding: 0, outputPadding: 0, dilation: 1, groups: 1, bias: true, paddingMode: "zeros", device: null, dtype: null },
    );
    this.transposed = transposed;
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
    if (transposed && o.paddingMode !== "zeros") throw new RangeError(`Only "zeros" padding mode is supported for ${name}`);
    if (transposed && typeof o.padding === "string") throw new RangeError(`${name}(): argument 'padding' must be an int or a tuple of ints, not str`);
    this.paddingMode = o.paddingMode;
    this.outputPadding = ntuple(o.outputPadding ?? 0, n, name, "output_padding");
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
    // Transposed weights are [in, out/groups, ...kernel] (conv's weight, read the other way).
    const wShape = transposed ? [inC, outC / groups, ...this.kernelSize] : [outC, inC / groups, ...this.kernelSize];
    this.weight = new Parameter(Tensor.empty(wShape, getDefaultDtype()));
    this.bias = checkBool(name, "bias", o.bias) ? new Parameter(Tensor.empty([outC], getDefaultDtype())) : null;
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

  forward(input: Tensor, ..._rest: unknown[]): Tensor {
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
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
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

export class Conv3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options?: ConvModuleOptions);
  constructor(options: ConvModuleOptions);
  constructor(...args: unknown[]) {
    super("Conv3d", 3, args);
  }

  protected conv(input: Tensor, padding: ConvPadding): Tensor {
    return conv3d(input, this.weight, this.bias, this.stride, padding, this.dilation, this.groups);
  }
}

/** ConvTranspose1d/2d: forward(input, outputSize?) as PyTorch's _ConvTransposeNd. */
abstract class ConvTransposeNd extends ConvNd {
  protected abstract readonly k: 1 | 2;

  protected conv(): Tensor {
    throw new Error("unreachable");
  }

  /** output_size (of the spatial dims, or with batch/channel dims in front) picks output_padding. */
  override forward(input: Tensor, outputSize?: number[] | null | { outputSize?: number[] | null }): Tensor {
    const size = outputSize !== null && typeof outputSize === "object" && !Array.isArray(outputSize) ? outputSize.outputSize ?? null : outputSize ?? null;
    const outputPadding = size === null ? this.outputPadding : this.outputPaddingFor(input, size);
    const padding = this.padding as number[];
    const f = this.k === 1 ? convTranspose1d : convTranspose2d;
    return f(input, this.weight, this.bias, this.stride, padding, outputPadding, this.groups, this.dilation);
  }

  /** PyTorch's _output_padding: the output_padding that makes the output exactly `outputSize`. */
  private outputPaddingFor(input: Tensor, outputSize: number[]): number[] {
    const k = this.k;
    const size = outputSize.length === k + 2 || (outputSize.length === k + 1 && input.ndim === k + 1) ? outputSize.slice(-k) : outputSize;
    if (size.length !== k) {
      throw new RangeError(`ConvTranspose${k}D: for ${input.ndim}D input, output_size must have ${k} or ${k + 2} elements (got ${outputSize.length})`);
    }
    const padding = this.padding as number[];
    const spatial = input.shape.slice(-k);
    return size.map((want, i) => {
      const min = (spatial[i] - 1) * this.stride[i] - 2 * padding[i] + this.dilation[i] * (this.kernelSize[i] - 1) + 1;
      const max = min + this.stride[i] - 1;
      if (want < min || want > max) {
        throw new RangeError(
          `requested an output size of [${size.join(", ")}], but valid sizes range from [${spatial.map((_, j) => (spatial[j] - 1) * this.stride[j] - 2 * padding[j] + this.dilation[j] * (this.kernelSize[j] - 1) + 1).join(", ")}] to [${spatial.map((_, j) => (spatial[j] - 1) * this.stride[j] - 2 * padding[j] + this.dilation[j] * (this.kernelSize[j] - 1) + this.stride[j]).join(", ")}] (for an input of torch.Size([${spatial.join(", ")}]))`,
        );
      }
      return want - min;
    });
  }
}

export class ConvTranspose1d extends ConvTransposeNd {
  protected readonly k = 1;
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options?: ConvModuleOptions);
  constructor(options: ConvModuleOptions);
  constructor(...args: unknown[]) {
    super("ConvTranspose1d", 1, args, true);
  }
}

export class ConvTranspose2d extends ConvTransposeNd {
  protected readonly k = 2;
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options?: ConvModuleOptions);
  constructor(options: ConvModuleOptions);
  constructor(...args: unknown[]) {
    super("ConvTranspose2d", 2, args, true);
  }
}
