// nn.Linear: y = x Wᵀ + b with weight [out, in] and bias [out], initialised as PyTorch does
// (kaiming_uniform_(a=√5) for the weight, U(−1/√fan_in, 1/√fan_in) for the bias), drawing from
// the global generator in the same order, so torch.manualSeed(s) reproduces PyTorch's values.
// ref: torch/nn/modules/linear.py (PyTorch 1.13).
import { getDefaultDtype } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { checkShape } from "../shape.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, parseArgs, pyRepr } from "./args.js";
import { linear } from "./functional.js";
import * as init from "./init.js";
import type { DeviceLike } from "../device.js";

export interface LinearOptions {
  inFeatures?: number;
  outFeatures?: number;
  bias?: boolean;
  /** Accepted for porting: only "cpu" and float32 exist. */
  device?: DeviceLike | null;
  dtype?: string | null;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions);
  constructor(options: LinearOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ inFeatures: number; outFeatures: number; bias: boolean; device: DeviceLike | null; dtype: string | null }>(
      "Linear", args, ["inFeatures", "outFeatures", "bias", "device", "dtype"], { bias: true, device: null, dtype: null },
    );
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
    const [inp, out] = [checkInt("Linear", "inFeatures", o.inFeatures), checkInt("Linear", "outFeatures", o.outFeatures)];
    checkShape([out, inp], "Linear");
    this.inFeatures = inp;
    this.outFeatures = out;
    this.weight = new Parameter(Tensor.empty([out, inp], getDefaultDtype()));
    this.bias = checkBool("Linear", "bias", o.bias) ? new Parameter(Tensor.empty([out], getDefaultDtype())) : null;
    this.resetParameters();
  }

  /** PyTorch's default init; equivalent to U(−1/√in, 1/√in) for both weight and bias. */
  resetParameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const fanIn = this.inFeatures;
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyRepr(this.bias !== null)}`;
  }
}
