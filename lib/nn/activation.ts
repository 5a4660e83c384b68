// Activation modules: ReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax, then the rest of torch.nn's
// (LeakyReLU ... GLU, PReLU with its learnable weight). Each forwards to nn.functional;
// Softmax/LogSoftmax built without dim keep PyTorch's legacy implicit-dim rule and its warning. ref: torch/nn/modules/activation.py (PyTorch 1.13).
import { getDefaultDtype } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { checkShape } from "../shape.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, checkNumber, parseArgs, pyFloat, pyRepr } from "./args.js";
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

// ---- the other activations of torch.nn (PyTorch 1.13): each forwards to nn.functional ----

type InplaceArg = boolean | { inplace?: boolean };
const inplaceRepr = (inplace: boolean, sep = "") => (inplace ? `${sep}inplace=True` : "");

/** A module whose only option is `inplace` (repr "inplace=True" when set, as PyTorch's). */
abstract class InplaceActivation extends Module {
  readonly inplace: boolean;
  constructor(name: string, args: unknown[]) {
    super();
    this.inplace = checkBool(name, "inplace", parseArgs<{ inplace: boolean }>(name, args, ["inplace"], { inplace: false }).inplace);
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** A module without options. */
abstract class PlainActivation extends Module {
  constructor(name: string, args: unknown[]) {
    super();
    parseArgs(name, args, [], {});
  }
}

export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;
  constructor(negativeSlope?: number | { negativeSlope?: number; inplace?: boolean }, inplace?: InplaceArg);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ negativeSlope: number; inplace: boolean }>("LeakyReLU", args, ["negativeSlope", "inplace"], { negativeSlope: 0.01, inplace: false });
    this.negativeSlope = checkNumber("LeakyReLU", "negativeSlope", o.negativeSlope);
    this.inplace = checkBool("LeakyReLU", "inplace", o.inplace);
  }
  forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope, this.inplace);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${inplaceRepr(this.inplace, ", ")}`;
  }
}

export class ELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;
  constructor(alpha?: number | { alpha?: number; inplace?: boolean }, inplace?: InplaceArg);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ alpha: number; inplace: boolean }>(this.constructor.name, args, ["alpha", "inplace"], { alpha: 1, inplace: false });
    this.alpha = checkNumber(this.constructor.name, "alpha", o.alpha);
    this.inplace = checkBool(this.constructor.name, "inplace", o.inplace);
  }
  forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha, this.inplace);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${inplaceRepr(this.inplace, ", ")}`;
  }
}

export class CELU extends ELU {
  override forward(input: Tensor): Tensor {
    return F.celu(input, this.alpha, this.inplace);
  }
}

export class SELU extends InplaceActivation {
  constructor(inplace?: InplaceArg) {
    super("SELU", [inplace]);
  }
  forward(input: Tensor): Tensor {
    return F.selu(input, this.inplace);
  }
}

export class SiLU extends InplaceActivation {
  constructor(inplace?: InplaceArg) {
    super("SiLU", [inplace]);
  }
  forward(input: Tensor): Tensor {
    return F.silu(input, this.inplace);
  }
}

export class Mish extends InplaceActivation {
  constructor(inplace?: InplaceArg) {
    super("Mish", [inplace]);
  }
  forward(input: Tensor): Tensor {
    return F.mish(input, this.inplace);
  }
}

export class Hardsigmoid extends InplaceActivation {
  constructor(inplace?: InplaceArg) {
    super("Hardsigmoid", [inplace]);
  }
  forward(input: Tensor): Tensor {
    return F.hardsigmoid(input, this.inplace);
  }
  override extraRepr(): string {
    return ""; // NOTE: PyTorch's Hardsigmoid/Hardswish don't show inplace.
  }
}

export class Hardswish extends InplaceActivation {
  constructor(inplace?: InplaceArg) {
    super("Hardswish", [inplace]);
  }
  forward(input: Tensor): Tensor {
    return F.hardswish(input, this.inplace);
  }
  override extraRepr(): string {
    return "";
  }
}

export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(beta?: number | { beta?: number; threshold?: number }, threshold?: number);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ beta: number; threshold: number }>("Softplus", args, ["beta", "threshold"], { beta: 1, threshold: 20 });
    this.beta = checkNumber("Softplus", "beta", o.beta);
    this.threshold = checkNumber("Softplus", "threshold", o.threshold);
  }
  forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${pyRepr(this.beta)}, threshold=${pyRepr(this.threshold)}`;
  }
}

export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  readonly inplace: boolean;
  constructor(minVal?: number | { minVal?: number; maxVal?: number; inplace?: boolean }, maxVal?: number, inplace?: InplaceArg);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ minVal: number; maxVal: number; inplace: boolean }>("Hardtanh", args, ["minVal", "maxVal", "inplace"], { minVal: -1, maxVal: 1, inplace: false });
    this.minVal = checkNumber("Hardtanh", "minVal", o.minVal);
    this.maxVal = checkNumber("Hardtanh", "maxVal", o.maxVal);
    this.inplace = checkBool("Hardtanh", "inplace", o.inplace);
    // NOTE: PyTorch asserts max_val > min_val (a bare AssertionError).
    if (!(this.maxVal > this.minVal)) throw new RangeError(`Hardtanh: max_val (${this.maxVal}) must be greater than min_val (${this.minVal})`);
  }
  forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal, this.inplace);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${inplaceRepr(this.inplace, ", ")}`;
  }
}

export class ReLU6 extends InplaceActivation {
  constructor(inplace?: InplaceArg) {
    super("ReLU6", [inplace]);
  }
  forward(input: Tensor): Tensor {
    return F.relu6(input, this.inplace);
  }
}

export class Threshold extends Module {
  readonly threshold: number;
  readonly value: number;
  readonly inplace: boolean;
  constructor(threshold: number | { threshold: number; value: number; inplace?: boolean }, value?: number, inplace?: InplaceArg);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ threshold: number; value: number; inplace: boolean }>("Threshold", args, ["threshold", "value", "inplace"], { inplace: false });
    this.threshold = checkNumber("Threshold", "threshold", o.threshold);
    this.value = checkNumber("Threshold", "value", o.value);
    this.inplace = checkBool("Threshold", "inplace", o.inplace);
  }
  forward(input: Tensor): Tensor {
    return F.threshold(input, this.threshold, this.value, this.inplace);
  }
  override extraRepr(): string {
    return `threshold=${pyRepr(this.threshold)}, value=${pyRepr(this.value)}${inplaceRepr(this.inplace, ", ")}`;
  }
}

export class LogSigmoid extends PlainActivation {
  constructor(options?: Record<string, never>) {
    super("LogSigmoid", [options]);
  }
  forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }
}

export class Softsign extends PlainActivation {
  constructor(options?: Record<string, never>) {
    super("Softsign", [options]);
  }
  forward(input: Tensor): Tensor {
    return F.softsign(input);
  }
}

export class Tanhshrink extends PlainActivation {
  constructor(options?: Record<string, never>) {
    super("Tanhshrink", [options]);
  }
  forward(input: Tensor): Tensor {
    return F.tanhshrink(input);
  }
}

export class Hardshrink extends Module {
  readonly lambd: number;
  constructor(lambd?: number | { lambd?: number });
  constructor(...args: unknown[]) {
    super();
    const name = this.constructor.name;
    this.lambd = checkNumber(name, "lambd", parseArgs<{ lambd: number }>(name, args, ["lambd"], { lambd: 0.5 }).lambd);
  }
  forward(input: Tensor): Tensor {
    return F.hardshrink(input, this.lambd);
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

export class Softshrink extends Hardshrink {
  override forward(input: Tensor): Tensor {
    return F.softshrink(input, this.lambd);
  }
}

/** x for x > 0, a·x otherwise, with a learnable a: one shared value or one per channel (dim 1). */
export class PReLU extends Module {
  readonly numParameters: number;
  weight: Parameter;
  constructor(numParameters?: number | { numParameters?: number; init?: number; device?: string | null; dtype?: string | null }, init?: number);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ numParameters: number; init: number; device: string | null; dtype: string | null }>(
      "PReLU", args, ["numParameters", "init", "device", "dtype"], { numParameters: 1, init: 0.25, device: null, dtype: null },
    );
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
    this.numParameters = checkInt("PReLU", "numParameters", o.numParameters);
    checkShape([this.numParameters], "PReLU");
    this.weight = new Parameter(Tensor.empty([this.numParameters], getDefaultDtype()).fill_(checkNumber("PReLU", "init", o.init)));
  }
  forward(input: Tensor): Tensor {
    return F.prelu(input, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** a·sigmoid(b) for the two halves a, b of the input along dim. */
export class GLU extends Module {
  readonly dim: number;
  constructor(dim?: number | { dim?: number });
  constructor(...args: unknown[]) {
    super();
    this.dim = checkInt("GLU", "dim", parseArgs<{ dim: number }>("GLU", args, ["dim"], { dim: -1 }).dim);
  }
  forward(input: Tensor): Tensor {
    return F.glu(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Randomized leaky ReLU: slopes drawn from U(lower, upper) in training, (lower + upper) / 2 in eval. */
export class RReLU extends Module {
  readonly lower: number;
  readonly upper: number;
  readonly inplace: boolean;
  constructor(lower?: number | { lower?: number; upper?: number; inplace?: boolean }, upper?: number, inplace?: InplaceArg);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ lower: number; upper: number; inplace: boolean }>("RReLU", args, ["lower", "upper", "inplace"], { lower: 1 / 8, upper: 1 / 3, inplace: false });
    this.lower = checkNumber("RReLU", "lower", o.lower);
    this.upper = checkNumber("RReLU", "upper", o.upper);
    this.inplace = checkBool("RReLU", "inplace", o.inplace);
  }
  forward(input: Tensor): Tensor {
    return F.rrelu(input, this.lower, this.upper, this.training, this.inplace);
  }
  override extraRepr(): string {
    return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}${this.inplace ? ", inplace=True" : ""}`;
  }
}
