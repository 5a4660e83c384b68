// nn.init: in-place initialisers with PyTorch's names (trailing underscore = in place), run under
// noGrad so they work on parameters. Random ones draw from the global generator through
// Tensor.uniform_/normal_, so `torch.manualSeed(s)` then `kaiming_uniform_` gives PyTorch's values.
// trunc_normal_, orthogonal_, sparse_, eye_, dirac_ are in init_more.ts. Each has its PyTorch
// (snake_case) name and the camelCase one of the README's rule. ref: torch/nn/init.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { checkNumber, checkTensor, parseArgs } from "./args.js";
import { warn } from "./warnings.js";

export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

const LINEAR_LIKE = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid"];

/** The recommended gain for a nonlinearity (param: leaky_relu's negative slope, default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity | string, param: number | null = null): number {
  if (LINEAR_LIKE.includes(nonlinearity)) return 1;
  if (nonlinearity === "tanh") return 5.0 / 3;
  if (nonlinearity === "relu") return Math.sqrt(2.0);
  if (nonlinearity === "leaky_relu") {
    let slope = 0.01;
    if (param !== null && param !== undefined) {
      if (typeof param !== "number" || Number.isNaN(param)) throw new TypeError(`negative_slope ${String(param)} not a valid number`);
      slope = param;
    }
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  if (nonlinearity === "selu") return 3.0 / 4;
  throw new RangeError(`Unsupported nonlinearity ${nonlinearity}`);
}

/** [fan_in, fan_out] of a weight [out, in, ...kernel]: in * receptive field, out * receptive field. */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) throw new RangeError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  const receptive = tensor.shape.slice(2).reduce((a, b) => a * b, 1);
  return [tensor.shape[1] * receptive, tensor.shape[0] * receptive];
}

function correctFan(tensor: Tensor, mode: string): number {
  if (mode !== "fan_in" && mode !== "fan_out") throw new RangeError(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return mode === "fan_in" ? fanIn : fanOut;
}

const inPlace = (t: Tensor, fn: () => void): Tensor => {
  noGrad(fn);
  return t;
};

/** Fills with U(a, b). `uniform_(w, -0.1, 0.1)` or `uniform_(w, { a: -0.1, b: 0.1 })`. */
export function uniform_(tensor: Tensor, a?: number | { a?: number; b?: number }, b?: number): Tensor;
export function uniform_(...args: unknown[]): Tensor {
  const o = parseArgs<{ tensor: Tensor; a: number; b: number }>("uniform_", args, ["tensor", "a", "b"], { a: 0, b: 1 });
  const t = checkTensor("uniform_", "tensor", o.tensor);
  return inPlace(t, () => t.uniform_(checkNumber("uniform_", "a", o.a), checkNumber("uniform_", "b", o.b)));
}

/** Fills with N(mean, std^2). */
export function normal_(tensor: Tensor, mean?: number | { mean?: number; std?: number }, std?: number): Tensor;
export function normal_(...args: unknown[]): Tensor {
  const o = parseArgs<{ tensor: Tensor; mean: number; std: number }>("normal_", args, ["tensor", "mean", "std"], { mean: 0, std: 1 });
  const t = checkTensor("normal_", "tensor", o.tensor);
  return inPlace(t, () => t.normal_(checkNumber("normal_", "mean", o.mean), checkNumber("normal_", "std", o.std)));
}

export function constant_(tensor: Tensor, val: number | { val?: number }): Tensor;
export function constant_(...args: unknown[]): Tensor {
  const o = parseArgs<{ tensor: Tensor; val: number }>("constant_", args, ["tensor", "val"], {});
  const t = checkTensor("constant_", "tensor", o.tensor);
  return inPlace(t, () => t.fill_(checkNumber("constant_", "val", o.val)));
}

export function ones_(tensor: Tensor): Tensor {
  return constant_(checkTensor("ones_", "tensor", tensor), 1);
}

export function zeros_(tensor: Tensor): Tensor {
  return constant_(checkTensor("zeros_", "tensor", tensor), 0);
}

type XavierArgs = [tensor: Tensor, gain?: number | { gain?: number }];

function xavierStd(fn: string, args: unknown[]): [Tensor, number] {
  const o = parseArgs<{ tensor: Tensor; gain: number }>(fn, args, ["tensor", "gain"], { gain: 1 });
  const t = checkTensor(fn, "tensor", o.tensor);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return [t, checkNumber(fn, "gain", o.gain) * Math.sqrt(2.0 / (fanIn + fanOut))];
}

/** U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio, 2010). */
export function xavier_uniform_(...args: XavierArgs): Tensor {
  const [t, std] = xavierStd("xavier_uniform_", args);
  const a = Math.sqrt(3.0) * std;
  return inPlace(t, () => t.uniform_(-a, a));
}

/** N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavier_normal_(...args: XavierArgs): Tensor {
  const [t, std] = xavierStd("xavier_normal_", args);
  return inPlace(t, () => t.normal_(0, std));
}

export interface KaimingOptions {
  a?: number;
  mode?: "fan_in" | "fan_out";
  nonlinearity?: Nonlinearity;
}
type KaimingArgs = [tensor: Tensor, a?: number | KaimingOptions, mode?: "fan_in" | "fan_out" | KaimingOptions, nonlinearity?: Nonlinearity | KaimingOptions, options?: KaimingOptions];

/** The std of He initialisation, or null for a zero-element tensor (a no-op, with PyTorch's warning). */
function kaimingStd(fn: string, args: unknown[]): [Tensor, number | null] {
  const o = parseArgs<{ tensor: Tensor; a: number; mode: string; nonlinearity: string }>(fn, args, ["tensor", "a", "mode", "nonlinearity"], {
    a: 0,
    mode: "fan_in",
    nonlinearity: "leaky_relu",
  });
  const t = checkTensor(fn, "tensor", o.tensor);
  if (t.shape.includes(0)) {
    warn("Initializing zero-element tensors is a no-op");
    return [t, null];
  }
  const fan = correctFan(t, o.mode);
  return [t, calculateGain(o.nonlinearity, checkNumber(fn, "a", o.a)) / Math.sqrt(fan)];
}

/**
 * U(-bound, bound) with bound = gain * sqrt(3 / fan) (He et al., 2015). nn.Linear uses
 * `kaiming_uniform_(w, { a: Math.sqrt(5) })`, which makes bound = 1/sqrt(fan_in).
 */
export function kaiming_uniform_(...args: KaimingArgs): Tensor {
  const [t, std] = kaimingStd("kaiming_uniform_", args);
  if (std === null) return t;
  const bound = Math.sqrt(3.0) * std;
  return inPlace(t, () => t.uniform_(-bound, bound));
}

/** N(0, std^2) with std = gain / sqrt(fan). */
export function kaiming_normal_(...args: KaimingArgs): Tensor {
  const [t, std] = kaimingStd("kaiming_normal_", args);
  if (std === null) return t;
  return inPlace(t, () => t.normal_(0, std));
}

export { trunc_normal_, orthogonal_, sparse_, eye_, dirac_ } from "./init_more.js";
export { trunc_normal_ as truncNormal_ } from "./init_more.js";
// The camelCase spellings of the snake_case initialisers (README: snake_case -> camelCase).
export { xavier_uniform_ as xavierUniform_, xavier_normal_ as xavierNormal_, kaiming_uniform_ as kaimingUniform_, kaiming_normal_ as kaimingNormal_ };
export { calculateGain as calculate_gain, calculateFanInAndFanOut as _calculate_fan_in_and_fan_out };
