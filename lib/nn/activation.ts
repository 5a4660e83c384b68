// Activation modules: ReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax. Each forwards to
// nn.functional; Softmax/LogSoftmax built without dim keep PyTorch's legacy implicit-dim rule
// and its deprecation warning. ref: torch/nn/modules/activation.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { checkBool, checkInt, parseArgs, pyRepr } from "./args.js";
import * as F from "./functional.js";

export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(inplace?: boolean | { inplace?: boolean });
  constructor(...args: unknown[]) {
    super();
    this.inplace = checkBool("ReLU", "inplace", parseArgs<{ inplace: boolean }>("ReLU", args, ["inplace"], { inplace: false }).inplace);
  }
  forward(input: Tensor): Tensor {
    return F.relu(input, this.inplace);
  }
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

export class Sigmoid extends Module {
  constructor(options?: Record<string, never>);
  constructor(...args: unknown[]) {
    super();
    parseArgs("Sigmoid", args, [], {});
  }
  forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

export class Tanh extends Module {
  constructor(options?: Record<string, never>);
  constructor(...args: unknown[]) {
    super();
    parseArgs("Tanh", args, [], {});
  }
  forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

export class GELU extends Module {
  readonly approximate: F.GeluApproximate;
  constructor(approximate?: F.GeluApproximate | { approximate?: F.GeluApproximate });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ approximate: string }>("GELU", args, ["approximate"], { approximate: "none" });
    F.checkGeluApproximate(o.approximate);
    this.approximate = o.approximate;
  }
  forward(input: Tensor): Tensor {
    return F.gelu(input, this.approximate);
  }
  override extraRepr(): string {
    return `approximate=${pyRepr(this.approximate)}`;
  }
}

function parseDim(name: string, args: unknown[]): number | null {
  const { dim } = parseArgs<{ dim: number | null }>(name, args, ["dim"], { dim: null });
  return dim === null ? null : checkInt(name, "dim", dim);
}

/** Softmax along dim. NOTE: without dim, PyTorch's deprecated implicit choice applies (and warns). */
export class Softmax extends Module {
  readonly dim: number | null;
  constructor(dim?: number | null | { dim?: number | null });
  constructor(...args: unknown[]) {
    super();
    this.dim = parseDim("Softmax", args);
  }
  forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${pyRepr(this.dim)}`;
  }
}

export class LogSoftmax extends Module {
  readonly dim: number | null;
  constructor(dim?: number | null | { dim?: number | null });
  constructor(...args: unknown[]) {
    super();
    this.dim = parseDim("LogSoftmax", args);
  }
  forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${pyRepr(this.dim)}`;
  }
}
