// nn.Flatten: merges dims startDim..endDim (default 1..-1, keeping the batch dim).
// Unlike torch.flatten, a 0-D or 1-D input with the default startDim=1 is an error, as in PyTorch.
// ref: torch/nn/modules/flatten.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { normDim } from "../shape.js";
import { Module } from "./module.js";
import { checkInt, parseArgs } from "./args.js";

export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim?: number | { startDim?: number; endDim?: number }, endDim?: number);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ startDim: number; endDim: number }>("Flatten", args, ["startDim", "endDim"], { startDim: 1, endDim: -1 });
    this.startDim = checkInt("Flatten", "startDim", o.startDim);
    this.endDim = checkInt("Flatten", "endDim", o.endDim);
  }
  forward(input: Tensor): Tensor {
    // NOTE: torch.flatten turns a 0-D tensor into [1] before looking at the dims; nn.Flatten checks them.
    normDim(this.startDim, input.ndim, "Flatten");
    normDim(this.endDim, input.ndim, "Flatten");
    return input.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
