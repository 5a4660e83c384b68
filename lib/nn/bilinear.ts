// nn.Bilinear: y = x1ᵀ A x2 + b per output feature, weight [out, in1, in2] and bias [out], both
// initialised U(−1/√in1, 1/√in1), weight first then bias, from the global generator as PyTorch draws
// them, so torch.manualSeed(s) reproduces PyTorch's values. ref: torch/nn/modules/linear.py (1.13).
import { getDefaultDtype } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { checkShape } from "../shape.js";
import type { DeviceLike } from "../device.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, parseArgs, pyRepr } from "./args.js";
import { bilinear } from "./functional_bilinear.js";
import * as init from "./init.js";

export interface BilinearOptions {
  in1Features?: number;
  in2Features?: number;
  outFeatures?: number;
  bias?: boolean;
  /** Accepted for porting, as nn.Linear's. */
  device?: DeviceLike | null;
  dtype?: string | null;
}

export class Bilinear extends Module {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(in1Features: number, in2Features: number, outFeatures: number, options?: BilinearOptions);
  constructor(in1Features: number, in2Features: number, outFeatures: number, bias?: boolean, options?: BilinearOptions);
  constructor(options: BilinearOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ in1Features: unknown; in2Features: unknown; outFeatures: unknown; bias: unknown; device: DeviceLike | null; dtype: string | null }>(
      "Bilinear", args, ["in1Features", "in2Features", "outFeatures", "bias", "device", "dtype"], { bias: true, device: null, dtype: null },
    );
    const in1 = checkInt("Bilinear", "in1Features", o.in1Features);
    const in2 = checkInt("Bilinear", "in2Features", o.in2Features);
    const out = checkInt("Bilinear", "outFeatures", o.outFeatures);
    checkShape([out, in1, in2], "Bilinear");
    this.in1Features = in1;
    this.in2Features = in2;
    this.outFeatures = out;
    this.weight = new Parameter(Tensor.empty([out, in1, in2], getDefaultDtype()));
    this.bias = checkBool("Bilinear", "bias", o.bias) ? new Parameter(Tensor.empty([out], getDefaultDtype())) : null;
    this.resetParameters();
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
  }

  /** U(−1/√in1, 1/√in1) for weight, then for bias (PyTorch's order of draws). */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]);
    init.uniform_(this.weight, -bound, bound);
    if (this.bias !== null) init.uniform_(this.bias, -bound, bound);
  }

  forward(input1: Tensor, input2: Tensor): Tensor {
    return bilinear(input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyRepr(this.bias !== null)}`;
  }
}
