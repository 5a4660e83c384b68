// nn.Identity: returns its input unchanged; any constructor arguments are ignored, as in PyTorch
// (so it can stand in for a layer without changing the call). ref: torch/nn/modules/linear.py.
import { Module } from "./module.js";

/** Calling it is generic like its forward: `id(x)` has x's type. */
export interface Identity {
  <T>(input: T): T;
}

export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  forward<T>(input: T): T {
    return input;
  }
}
