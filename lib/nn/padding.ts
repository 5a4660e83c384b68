// Padding modules: ConstantPad1d/2d/3d, ZeroPad2d, ReflectionPad1d/2d, ReplicationPad1d/2d. Each
// holds PyTorch's `padding` tuple (an int becomes (p, p, ...) with 2 entries per padded dim; a tuple
// is kept as given, as PyTorch's _pair/_quadruple/_ntuple keep it) and calls F.pad (ops/pad.ts),
// whose composition of views and cat carries the gradients and PyTorch's errors.
// ref: torch/nn/modules/padding.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { checkNumber, parseArgs, pyRepr, pyTuple } from "./args.js";
import { pad, type PadMode } from "./functional_conv.js";

type Padding = number | readonly number[];

/** An int repeated to 2·dims entries, or a tuple of ints as given (its length is F.pad's to check). */
function paddingTuple(name: string, v: unknown, dims: number): number[] {
  if (typeof v === "number" && Number.isInteger(v)) return Array(2 * dims).fill(v);
  if (Array.isArray(v) && v.every((e) => Number.isInteger(e))) return [...v];
  throw new TypeError(`${name}(): argument 'padding' must be an int or a tuple of ints, not ${JSON.stringify(v)}`);
}

/** Pads with a mode other than constant; repr prints the tuple alone, as PyTorch's. */
abstract class ModePadNd extends Module {
  readonly padding: readonly number[];
  protected abstract readonly mode: PadMode;
  constructor(dims: number, args: unknown[]) {
    super();
    const name = this.constructor.name;
    this.padding = paddingTuple(name, parseArgs<{ padding: unknown }>(name, args, ["padding"], {}).padding, dims);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, this.mode);
  }
  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

export class ReflectionPad1d extends ModePadNd {
  protected readonly mode = "reflect";
  constructor(padding: Padding | { padding: Padding });
  constructor(...args: unknown[]) {
    super(1, args);
  }
}

export class ReflectionPad2d extends ModePadNd {
  protected readonly mode = "reflect";
  constructor(padding: Padding | { padding: Padding });
  constructor(...args: unknown[]) {
    super(2, args);
  }
}

export class ReflectionPad3d extends ModePadNd {
  protected readonly mode = "reflect";
  constructor(padding: Padding | { padding: Padding });
  constructor(...args: unknown[]) {
    super(3, args);
  }
}

export class ReplicationPad3d extends ModePadNd {
  protected readonly mode = "replicate";
  constructor(padding: Padding | { padding: Padding });
  constructor(...args: unknown[]) {
    super(3, args);
  }
}

export class ReplicationPad1d extends ModePadNd {
  protected readonly mode = "replicate";
  constructor(padding: Padding | { padding: Padding });
  constructor(...args: unknown[]) {
    super(1, args);
  }
}

export class ReplicationPad2d extends ModePadNd {
  protected readonly mode = "replicate";
  constructor(padding: Padding | { padding: Padding });
  constructor(...args: unknown[]) {
    super(2, args);
  }
}

type ConstantPadOptions = { padding?: Padding; value?: number };

/** Pads with a constant `value` (required, as in PyTorch). */
abstract class ConstantPadNd extends Module {
  readonly padding: readonly number[];
  readonly value: number;
  constructor(dims: number, args: unknown[], defaults: { value?: number } = {}) {
    super();
    const name = this.constructor.name;
    const o = parseArgs<{ padding: unknown; value: unknown }>(name, args, ["padding", "value"], defaults);
    this.padding = paddingTuple(name, o.padding, dims);
    this.value = checkNumber(name, "value", o.value);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, "constant", this.value);
  }
  override extraRepr(): string {
    return `padding=${pyTuple(this.padding)}, value=${pyRepr(this.value)}`;
  }
}

export class ConstantPad1d extends ConstantPadNd {
  constructor(padding: Padding | ConstantPadOptions, value?: number);
  constructor(...args: unknown[]) {
    super(1, args);
  }
}

export class ConstantPad2d extends ConstantPadNd {
  constructor(padding: Padding | ConstantPadOptions, value?: number);
  constructor(...args: unknown[]) {
    super(2, args);
  }
}

export class ConstantPad3d extends ConstantPadNd {
  constructor(padding: Padding | ConstantPadOptions, value?: number);
  constructor(...args: unknown[]) {
    super(3, args);
  }
}

/** ConstantPad2d with value 0; its repr is the bare tuple, ZeroPad2d((1, 1, 1, 1)), as PyTorch's. */
export class ZeroPad2d extends ConstantPadNd {
  constructor(padding: Padding | { padding: Padding });
  constructor(...args: unknown[]) {
    // NOTE: PyTorch's ZeroPad2d takes only `padding`; value is fixed, so it can't be passed here.
    super(2, [parseArgs<{ padding: unknown }>("ZeroPad2d", args, ["padding"], {}).padding], { value: 0 });
  }
  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}
