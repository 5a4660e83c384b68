// Pooling modules: MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool1d/2d, AdaptiveMaxPool1d/2d, MaxUnpool1d/2d. Each keeps
// its arguments as given (stride defaults to kernel_size) and calls the F.* form in
// functional_pool.ts; reprs as PyTorch prints them.
// ref: torch/nn/modules/pooling.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { checkBool, parseArgs, pyRepr } from "./args.js";
import {
  adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool2d, avgPool1d, avgPool2d, maxPool1d, maxPool2d, maxUnpool1d, maxUnpool2d,
} from "./functional_pool.js";
import { adaptiveAvgPool3d, adaptiveMaxPool3d, avgPool3d, maxPool3d } from "./functional_pool3d.js";
import { lpPool1d, lpPool2d } from "./functional_local.js";

type IntOrList = number | number[];
type SizeArg = number | (number | null)[];

export type MaxPoolOptions = { kernelSize?: IntOrList; stride?: IntOrList | null; padding?: IntOrList; dilation?: IntOrList; returnIndices?: boolean; ceilMode?: boolean };

abstract class MaxPoolNd extends Module {
  readonly kernelSize: IntOrList;
  readonly stride: IntOrList;
  readonly padding: IntOrList;
  readonly dilation: IntOrList;
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;
  constructor(kernelSize: IntOrList | MaxPoolOptions, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    super();
    const name = this.constructor.name;
    const o = parseArgs<Record<string, any>>(name, args, ["kernelSize", "stride", "padding", "dilation", "returnIndices", "ceilMode"], {
      stride: null, padding: 0, dilation: 1, returnIndices: false, ceilMode: false,
    });
    this.kernelSize = o.kernelSize;
    this.stride = o.stride ?? o.kernelSize;
    this.padding = o.padding;
    this.dilation = o.dilation;
    this.returnIndices = checkBool(name, "return_indices", o.returnIndices);
    this.ceilMode = checkBool(name, "ceil_mode", o.ceilMode);
  }
  protected args(): unknown[] {
    return [this.kernelSize, this.stride, this.padding, this.dilation, this.ceilMode, this.returnIndices];
  }
  override extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}, dilation=${pyRepr(this.dilation)}, ceil_mode=${pyRepr(this.ceilMode)}`;
  }
}

export class MaxPool1d extends MaxPoolNd {
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return (maxPool1d as (...a: unknown[]) => Tensor | [Tensor, Tensor])(input, ...this.args());
  }
}

export class MaxPool2d extends MaxPoolNd {
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return (maxPool2d as (...a: unknown[]) => Tensor | [Tensor, Tensor])(input, ...this.args());
  }
}

export type AvgPoolOptions = { kernelSize?: IntOrList; stride?: IntOrList | null; padding?: IntOrList; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null };

/** 1-D stores its sizes as 1-tuples (PyTorch's _single), so they print as (2,). */
const single = (v: IntOrList): number[] => (Array.isArray(v) ? v : [v]);

export class AvgPool1d extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  constructor(kernelSize: IntOrList | AvgPoolOptions, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<Record<string, any>>("AvgPool1d", args, ["kernelSize", "stride", "padding", "ceilMode", "countIncludePad"], {
      stride: null, padding: 0, ceilMode: false, countIncludePad: true,
    });
    this.kernelSize = single(o.kernelSize);
    this.stride = single(o.stride ?? o.kernelSize);
    this.padding = single(o.padding);
    this.ceilMode = checkBool("AvgPool1d", "ceil_mode", o.ceilMode);
    this.countIncludePad = checkBool("AvgPool1d", "count_include_pad", o.countIncludePad);
  }
  forward(input: Tensor): Tensor {
    return avgPool1d(input, this.kernelSize, this.stride, this.padding, this.ceilMode, this.countIncludePad);
  }
  override extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}

/** What AvgPool2d and AvgPool3d share: PyTorch's arguments, their checks, the printed form. */
abstract class AvgPoolNd extends Module {
  readonly kernelSize: IntOrList;
  readonly stride: IntOrList;
  readonly padding: IntOrList;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  constructor(name: string, args: unknown[]) {
    super();
    const o = parseArgs<Record<string, any>>(name, args, ["kernelSize", "stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"], {
      stride: null, padding: 0, ceilMode: false, countIncludePad: true, divisorOverride: null,
    });
    this.kernelSize = o.kernelSize;
    this.stride = o.stride ?? o.kernelSize;
    this.padding = o.padding;
    this.ceilMode = checkBool(name, "ceil_mode", o.ceilMode);
    this.countIncludePad = checkBool(name, "count_include_pad", o.countIncludePad);
    this.divisorOverride = o.divisorOverride;
  }
  override extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}

export class AvgPool2d extends AvgPoolNd {
  constructor(kernelSize: IntOrList | AvgPoolOptions, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    super("AvgPool2d", args);
  }
  forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, this.stride, this.padding, this.ceilMode, this.countIncludePad, this.divisorOverride);
  }
}

abstract class AdaptivePoolNd extends Module {
  readonly outputSize: SizeArg;
  constructor(outputSize: SizeArg | { outputSize: SizeArg }, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ outputSize: SizeArg }>(this.constructor.name, args, ["outputSize"], {});
    this.outputSize = o.outputSize;
  }
  override extraRepr(): string {
    return `output_size=${pyRepr(this.outputSize)}`;
  }
}

export class AdaptiveAvgPool1d extends AdaptivePoolNd {
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool1d(input, this.outputSize as IntOrList);
  }
}

export class AdaptiveAvgPool2d extends AdaptivePoolNd {
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }
}

abstract class AdaptiveMaxPoolNd extends Module {
  readonly outputSize: SizeArg;
  readonly returnIndices: boolean;
  constructor(outputSize: SizeArg | { outputSize: SizeArg; returnIndices?: boolean }, returnIndices?: boolean);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ outputSize: SizeArg; returnIndices: boolean }>(this.constructor.name, args, ["outputSize", "returnIndices"], { returnIndices: false });
    this.outputSize = o.outputSize;
    this.returnIndices = checkBool(this.constructor.name, "return_indices", o.returnIndices);
  }
  override extraRepr(): string {
    return `output_size=${pyRepr(this.outputSize)}`;
  }
}

export class AdaptiveMaxPool1d extends AdaptiveMaxPoolNd {
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return adaptiveMaxPool1d(input, this.outputSize as IntOrList, this.returnIndices);
  }
}

export class AdaptiveMaxPool2d extends AdaptiveMaxPoolNd {
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return adaptiveMaxPool2d(input, this.outputSize, this.returnIndices);
  }
}

export type MaxUnpoolOptions = { kernelSize?: IntOrList; stride?: IntOrList | null; padding?: IntOrList };

/** Stores its sizes as n-tuples (PyTorch's _single/_pair), so they print as (2,) or (2, 2). */
abstract class MaxUnpoolNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  constructor(kernelSize: IntOrList | MaxUnpoolOptions, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<Record<string, any>>(this.constructor.name, args, ["kernelSize", "stride", "padding"], { stride: null, padding: 0 });
    const n = this instanceof MaxUnpool1d ? 1 : 2;
    const tuple = (v: IntOrList): number[] => (Array.isArray(v) ? v : Array(n).fill(v));
    this.kernelSize = tuple(o.kernelSize);
    this.stride = tuple(o.stride ?? o.kernelSize);
    this.padding = tuple(o.padding);
  }
  override extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}

export class MaxUnpool1d extends MaxUnpoolNd {
  forward(input: Tensor, indices: Tensor, outputSize: number[] | null = null): Tensor {
    return maxUnpool1d(input, indices, this.kernelSize, this.stride, this.padding, outputSize);
  }
}

export class MaxUnpool2d extends MaxUnpoolNd {
  forward(input: Tensor, indices: Tensor, outputSize: number[] | null = null): Tensor {
    return maxUnpool2d(input, indices, this.kernelSize, this.stride, this.padding, outputSize);
  }
}

export class MaxPool3d extends MaxPoolNd {
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return (maxPool3d as (...a: unknown[]) => Tensor | [Tensor, Tensor])(input, ...this.args());
  }
}

export class AvgPool3d extends AvgPoolNd {
  constructor(kernelSize: IntOrList | AvgPoolOptions, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    super("AvgPool3d", args);
  }
  forward(input: Tensor): Tensor {
    return avgPool3d(input, this.kernelSize, this.stride, this.padding, this.ceilMode, this.countIncludePad, this.divisorOverride);
  }
}

export class AdaptiveAvgPool3d extends AdaptivePoolNd {
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool3d(input, this.outputSize);
  }
}

export class AdaptiveMaxPool3d extends AdaptiveMaxPoolNd {
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return adaptiveMaxPool3d(input, this.outputSize, this.returnIndices);
  }
}

export type LPPoolOptions = { stride?: IntOrList | null; ceilMode?: boolean };

/** PyTorch's _LPPoolNd: stride stays None when not given (and prints so). */
abstract class LPPoolNd extends Module {
  readonly normType: number;
  readonly kernelSize: IntOrList;
  readonly stride: IntOrList | null;
  readonly ceilMode: boolean;
  constructor(normType: number | { normType: number; kernelSize: IntOrList } & LPPoolOptions, kernelSize?: IntOrList, stride?: IntOrList | null, ceilMode?: boolean);
  constructor(...args: unknown[]) {
    super();
    const name = this.constructor.name;
    const o = parseArgs<Record<string, any>>(name, args, ["normType", "kernelSize", "stride", "ceilMode"], { stride: null, ceilMode: false });
    this.normType = o.normType;
    this.kernelSize = o.kernelSize;
    this.stride = o.stride;
    this.ceilMode = checkBool(name, "ceil_mode", o.ceilMode);
  }
  override extraRepr(): string {
    return `norm_type=${pyRepr(this.normType)}, kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, ceil_mode=${pyRepr(this.ceilMode)}`;
  }
}

export class LPPool1d extends LPPoolNd {
  forward(input: Tensor): Tensor {
    return lpPool1d(input, this.normType, this.kernelSize, this.stride, this.ceilMode);
  }
}

export class LPPool2d extends LPPoolNd {
  forward(input: Tensor): Tensor {
    return lpPool2d(input, this.normType, this.kernelSize, this.stride, this.ceilMode);
  }
}
