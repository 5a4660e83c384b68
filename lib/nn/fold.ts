// nn.Unfold (im2col: sliding blocks of a batched image as columns) and nn.Fold (col2im: the columns
// summed back into an image): F.unfold / F.fold as modules, their sizes kept as given (int or tuple)
// and printed so, as PyTorch's reprs do. ref: torch/nn/modules/fold.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { parseArgs, pyRepr } from "./args.js";
import { fold, unfold } from "./functional_conv.js";

type IntOrTuple = number | readonly number[];
type WindowOptions = { kernelSize?: IntOrTuple; dilation?: IntOrTuple; padding?: IntOrTuple; stride?: IntOrTuple };
const WINDOW_DEFAULTS = { dilation: 1, padding: 0, stride: 1 };

export class Unfold extends Module {
  readonly kernelSize: IntOrTuple;
  readonly dilation: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly stride: IntOrTuple;
  constructor(kernelSize: IntOrTuple | WindowOptions, dilation?: IntOrTuple, padding?: IntOrTuple, stride?: IntOrTuple);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<Required<WindowOptions>>("Unfold", args, ["kernelSize", "dilation", "padding", "stride"], WINDOW_DEFAULTS);
    ({ kernelSize: this.kernelSize, dilation: this.dilation, padding: this.padding, stride: this.stride } = o);
  }
  forward(input: Tensor): Tensor {
    return unfold(input, this.kernelSize, this.dilation, this.padding, this.stride);
  }
  override extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, dilation=${pyRepr(this.dilation)}, padding=${pyRepr(this.padding)}, stride=${pyRepr(this.stride)}`;
  }
}

export class Fold extends Module {
  readonly outputSize: IntOrTuple;
  readonly kernelSize: IntOrTuple;
  readonly dilation: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly stride: IntOrTuple;
  constructor(outputSize: IntOrTuple | (WindowOptions & { outputSize?: IntOrTuple }), kernelSize?: IntOrTuple | WindowOptions, dilation?: IntOrTuple, padding?: IntOrTuple, stride?: IntOrTuple);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<Required<WindowOptions> & { outputSize: IntOrTuple }>("Fold", args, ["outputSize", "kernelSize", "dilation", "padding", "stride"], WINDOW_DEFAULTS);
    ({ outputSize: this.outputSize, kernelSize: this.kernelSize, dilation: this.dilation, padding: this.padding, stride: this.stride } = o);
  }
  forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, this.dilation, this.padding, this.stride);
  }
  override extraRepr(): string {
    return `output_size=${pyRepr(this.outputSize)}, kernel_size=${pyRepr(this.kernelSize)}, dilation=${pyRepr(this.dilation)}, padding=${pyRepr(this.padding)}, stride=${pyRepr(this.stride)}`;
  }
}
