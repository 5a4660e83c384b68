// nn.Softmin and nn.Softmax2d, the softmax-family modules besides Softmax/LogSoftmax (activation.ts).
// Softmin built without dim keeps PyTorch's deprecated implicit-dim rule and its warning, as Softmax.
// ref: torch/nn/modules/activation.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { checkInt, parseArgs, pyRepr } from "./args.js";
import { softmin } from "./functional.js";

export class Softmin extends Module {
  readonly dim: number | null;
  constructor(dim?: number | null | { dim?: number | null });
  constructor(...args: unknown[]) {
    super();
    const { dim } = parseArgs<{ dim: unknown }>("Softmin", args, ["dim"], { dim: null });
    this.dim = dim === null ? null : checkInt("Softmin", "dim", dim);
  }
  forward(input: Tensor): Tensor {
    return softmin(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${pyRepr(this.dim)}`;
  }
}

/** Softmax over the channels of each pixel: dim -3 of a [C, H, W] or [N, C, H, W] input. */
export class Softmax2d extends Module {
  constructor(options?: Record<string, never>);
  constructor(...args: unknown[]) {
    super();
    parseArgs("Softmax2d", args, [], {});
  }
  forward(input: Tensor): Tensor {
    // NOTE: an assert in PyTorch (AssertionError); a plain Error here.
    if (input.ndim !== 3 && input.ndim !== 4) throw new Error("Softmax2d requires a 3D or 4D tensor as input");
    return input.softmax(-3);
  }
}
