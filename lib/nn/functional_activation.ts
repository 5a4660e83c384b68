// nn.functional activations beyond relu/sigmoid/tanh/gelu: the leaky/exponential rectifiers, the
// smooth ones (silu, mish, softplus, logsigmoid, ...), the hard (piecewise linear) ones, the shrinks,
// prelu and glu; plus channel-wise dropout (dropout1d/dropout2d). Each is a composition of tensor ops.
// NOTE: piecewise functions are built with `where`, whose gradient goes only to the chosen branch, so
// the subgradient at a kink is whichever branch PyTorch's backward kernel picks there (leaky_relu(0)
// gets the slope, hardtanh passes nothing at its bounds). Branches that could overflow see a clamped
// input, so an unchosen branch never turns a zero gradient into 0·inf = NaN.
// ref: aten/src/ATen/native/cpu/Activation.cpp, torch/nn/functional.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { rename } from "../autograd/node.js";
import { where } from "../ops/elementwise.js";
import { normDim } from "../shape.js";
import { checkBool, checkInt, checkNumber, checkTensor, parseArgs } from "./args.js";
import { checkDropoutP, dropoutMask, maybeInPlace } from "./functional.js";
import { warn } from "./warnings.js";

type Inplace = { inplace?: boolean };
const f32 = Math.fround;
/** A scalar parameter as the kernel sees it: float64 tensors take it as given, the others rounded to float32. */
const inDtype = (x: Tensor, v: number): number => (x.dtype === "float64" ? v : f32(v));

/** Parses (input, ...names, inplace) and checks the tensor, the numbers and the flag. */
function parseActivation<T extends Record<string, unknown>>(fn: string, args: unknown[], names: string[], defaults: Record<string, unknown>) {
  const o = parseArgs<{ input: Tensor; inplace: boolean } & T>(fn, args, ["input", ...names], defaults);
  const x = checkTensor(fn, "input", o.input, 1);
  for (const n of names) if (n !== "inplace" && n !== "dim") checkNumber(fn, n, o[n]);
  if ("inplace" in o) checkBool(fn, "inplace", o.inplace);
  return { x, o };
}

// ---- rectifiers ----

/** x for x > 0, negativeSlope·x otherwise (the slope's side at 0, as PyTorch's backward). */
export function leakyRelu(input: Tensor, negativeSlope?: number | { negativeSlope?: number; inplace?: boolean }, inplace?: boolean | Inplace): Tensor;
export function leakyRelu(...args: unknown[]): Tensor {
  const { x, o } = parseActivation<{ negativeSlope: number }>("leaky_relu", args, ["negativeSlope", "inplace"], { negativeSlope: 0.01, inplace: false });
  // x · (x > 0 ? 1 : slope): the factor is a constant, so the backward is one multiply.
  return maybeInPlace(x, o.inplace, (x) => rename(where(x.gt(0), x, x.mul(inDtype(x, o.negativeSlope))), "LeakyReluBackward0"), null, "leaky_relu_", "LeakyReluBackward1");
}

/** PyTorch's elu kernel: x > 0 ? scale·x : alpha·scale·(exp(inputScale·x) − 1). */
function eluCore(x: Tensor, alpha: number, scale: number, inputScale: number, name: string): Tensor {
  const negative = x.clamp(null, 0).mul(inputScale).exp().sub(1).mul(alpha * scale);
  return rename(x.mul(scale).where(x.gt(0), negative), name);
}

export function elu(input: Tensor, alpha?: number | { alpha?: number; inplace?: boolean }, inplace?: boolean | Inplace): Tensor;
export function elu(...args: unknown[]): Tensor {
  const { x, o } = parseActivation<{ alpha: number }>("elu", args, ["alpha", "inplace"], { alpha: 1, inplace: false });
  return maybeInPlace(x, o.inplace, (x) => eluCore(x, o.alpha, 1, 1, "EluBackward0"), null, "elu_", "EluBackward1");
}

// ref: torch/nn/modules/activation.py SELU (Klambauer et al. 2017).
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

export function selu(input: Tensor, inplace?: boolean | Inplace): Tensor;
export function selu(...args: unknown[]): Tensor {
  const { x, o } = parseActivation("selu", args, ["inplace"], { inplace: false });
  return maybeInPlace(x, o.inplace, (x) => eluCore(x, SELU_ALPHA, SELU_SCALE, 1, "EluBackward0"), null, "selu_", "EluBackward1");
}

/** max(0, x) + min(0, alpha·(exp(x/alpha) − 1)): elu with input scale 1/alpha. */
export function celu(input: Tensor, alpha?: number | { alpha?: number; inplace?: boolean }, inplace?: boolean | Inplace): Tensor;
export function celu(...args: unknown[]): Tensor {
  const { x, o } = parseActivation<{ alpha: number }>("celu", args, ["alpha", "inplace"], { alpha: 1, inplace: false });
  if (o.alpha === 0) throw new RangeError("ZeroDivisionError: alpha cannot be 0 for CELU");
  return maybeInPlace(x, o.inplace, (x) => eluCore(x, o.alpha, 1, 1 / o.alpha, "EluBackward0"), null, "celu_", "CeluBackward1");
}

/** min(max(x, minVal), maxVal), with no gradient at or beyond the bounds (hardtanh_backward). */
export function hardtanh(input: Tensor, minVal?: number | { minVal?: number; maxVal?: number; inplace?: boolean }, maxVal?: number, inplace?: boolean | Inplace): Tensor;
export function hardtanh(...args: unknown[]): Tensor {
  const { x, o } = parseActivation<{ minVal: number; maxVal: number }>("hardtanh", args, ["minVal", "maxVal", "inplace"], { minVal: -1, maxVal: 1, inplace: false });
  return maybeInPlace(x, o.inplace, (x) => hardtanhCore(x, o.minVal, o.maxVal), null, "hardtanh_", "HardtanhBackward0");
}

function hardtanhCore(x: Tensor, lo: number, hi: number): Tensor {
  const [l, h] = [inDtype(x, lo), inDtype(x, hi)];
  const outside = x.le(l).logicalOr(x.ge(h));
  return rename(x.where(outside.logicalNot(), x.detach().clamp(l, h)), "HardtanhBackward0");
}

export function relu6(input: Tensor, inplace?: boolean | Inplace): Tensor;
export function relu6(...args: unknown[]): Tensor {
  const { x, o } = parseActivation("relu6", args, ["inplace"], { inplace: false });
  return maybeInPlace(x, o.inplace, (x) => hardtanhCore(x, 0, 6), null, "hardtanh_", "HardtanhBackward0");
}

/** x where x > threshold, value elsewhere (threshold compared in float32, as PyTorch). */
export function threshold(input: Tensor, threshold: number, value: number, inplace?: boolean | Inplace): Tensor;
export function threshold(...args: unknown[]): Tensor {
  const { x, o } = parseActivation<{ threshold: number; value: number }>("threshold", args, ["threshold", "value", "inplace"], { inplace: false });
  return maybeInPlace(x, o.inplace, (x) => rename(x.where(x.gt(o.threshold), o.value), "ThresholdBackward0"), null, "threshold_", "ThresholdBackward1");
}

/** x for x > 0, weight·x otherwise; weight has one element or one per channel (dim 1). */
export function prelu(input: Tensor, weight: Tensor): Tensor;
export function prelu(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; weight: Tensor }>("prelu", args, ["input", "weight"], {});
  const x = checkTensor("prelu", "input", o.input, 1);
  const w = checkTensor("prelu", "weight", o.weight, 2);
  if (w.ndim > 1) throw new RangeError(`prelu: Expected \`weight\` to be a scalar or 1D tensor, but got ndim = ${w.ndim}`);
  let wb: Tensor;
  if (w.numel() === 1) wb = w.reshape([]);
  else {
    const channels = x.ndim >= 2 ? x.shape[1] : 1;
    if (w.numel() !== channels) {
      throw new RangeError(`Mismatch of parameter numbers and input channel size. Found parameter numbers = ${w.numel()} and channel size = ${channels}.`);
    }
    wb = w.reshape(x.shape.map((s, d) => (d === 1 ? s : 1))); // [C] -> [1, C, 1, ...]
  }
  // x · (x > 0 ? 1 : weight): the weight's gradient is the sum of g·x where x <= 0.
  return rename(x.mul(where(x.gt(0), 1, wb)), "PreluBackward0");
}

// ---- smooth ----

/** x·sigmoid(x). */
export function silu(input: Tensor, inplace?: boolean | Inplace): Tensor;
export function silu(...args: unknown[]): Tensor {
  const { x, o } = parseActivation("silu", args, ["inplace"], { inplace: false });
  return maybeInPlace(x, o.inplace, (x) => rename(x.mul(x.sigmoid()), "SiluBackward0"), null, "silu_", "SiluBackward0");
}

/** log(1 + exp(t)), linear (t itself) where t > cut: exp can't overflow, and the value and slope
 *  agree with the exact form to float32 precision past cut = 20 (and where PyTorch's own threshold is). */
function softplusOf(t: Tensor, cut: number): Tensor {
  return t.where(t.gt(cut), t.clamp(null, cut).exp().log1p());
}

/** x·tanh(softplus(x)). */
export function mish(input: Tensor, inplace?: boolean | Inplace): Tensor;
export function mish(...args: unknown[]): Tensor {
  const { x, o } = parseActivation("mish", args, ["inplace"], { inplace: false });
  return maybeInPlace(x, o.inplace, (x) => rename(x.mul(softplusOf(x, 20).tanh()), "MishBackward0"), null, "mish_", "MishBackward0");
}

/** log(1 + exp(beta·x))/beta, and x itself where beta·x > threshold (compared in float32). */
export function softplus(input: Tensor, beta?: number | { beta?: number; threshold?: number }, threshold?: number): Tensor;
export function softplus(...args: unknown[]): Tensor {
  const { x, o } = parseActivation<{ beta: number; threshold: number }>("softplus", args, ["beta", "threshold"], { beta: 1, threshold: 20 });
  const t = x.mul(o.beta);
  const linear = t.gt(inDtype(x, o.threshold));
  const curved = t.clamp(null, inDtype(x, o.threshold)).exp().log1p().div(o.beta);
  return rename(x.where(linear, curved), "SoftplusBackward0");
}

/** log(sigmoid(x)) as PyTorch computes it: min(x, 0) − log1p(exp(−|x|)). */
export function logsigmoid(input: Tensor): Tensor {
  const x = checkTensor("logsigmoid", "input", input, 1);
  const negative = x.sub(x.clamp(null, 0).exp().log1p());
  const positive = x.clamp(0, null).neg().exp().log1p().neg();
  return rename(negative.where(x.lt(0), positive), "LogSigmoidBackward0");
}

/** x / (1 + |x|) (PyTorch composes it the same way). */
export function softsign(input: Tensor): Tensor {
  const x = checkTensor("softsign", "input", input, 1);
  return x.div(x.abs().add(1));
}

/** x − tanh(x) (PyTorch composes it the same way). */
export function tanhshrink(input: Tensor): Tensor {
  const x = checkTensor("tanhshrink", "input", input, 1);
  return x.sub(x.tanh());
}

// ---- hard (piecewise linear) ----

/** relu6(x + 3)/6, with no gradient at ±3 (hardsigmoid_backward). */
export function hardsigmoid(input: Tensor, inplace?: boolean | Inplace): Tensor;
export function hardsigmoid(...args: unknown[]): Tensor {
  const { x, o } = parseActivation("hardsigmoid", args, ["inplace"], { inplace: false });
  return maybeInPlace(x, o.inplace, (x) => {
    const inside = x.gt(-3).logicalAnd(x.lt(3));
    return rename(x.add(3).div(6).where(inside, x.detach().add(3).clamp(0, 6).div(6)), "HardsigmoidBackward0");
  }, null, "hardsigmoid_", "HardsigmoidBackward0");
}

/** x·relu6(x + 3)/6; the gradient is x/3 + 1/2 on [−3, 3] (so −1/2 at −3), 0 below, 1 above. */
export function hardswish(input: Tensor, inplace?: boolean | Inplace): Tensor;
export function hardswish(...args: unknown[]): Tensor {
  const { x, o } = parseActivation("hardswish", args, ["inplace"], { inplace: false });
  return maybeInPlace(x, o.inplace, (x) => {
    const middle = x.mul(x.add(3)).div(6).where(x.le(3), x);
    return rename(middle.where(x.lt(-3).logicalNot(), 0), "HardswishBackward0");
  }, null, "hardswish_", "HardswishBackward0");
}

function checkLambd(lambd: number): void {
  if (lambd < 0) throw new RangeError(`lambda must be greater or equal to 0, but found to be ${Number.isInteger(lambd) ? `${lambd}.` : lambd}.`);
}

/** 0 on [−lambd, lambd], x elsewhere. */
export function hardshrink(input: Tensor, lambd?: number | { lambd?: number }): Tensor;
export function hardshrink(...args: unknown[]): Tensor {
  const { x, o } = parseActivation<{ lambd: number }>("hardshrink", args, ["lambd"], { lambd: 0.5 });
  const zero = x.ge(-inDtype(x, o.lambd)).logicalAnd(x.le(inDtype(x, o.lambd)));
  return rename(x.where(zero.logicalNot(), 0), "HardshrinkBackward0");
}

/** x − lambd above lambd, x + lambd below −lambd, 0 between. */
export function softshrink(input: Tensor, lambd?: number | { lambd?: number }): Tensor;
export function softshrink(...args: unknown[]): Tensor {
  const { x, o } = parseActivation<{ lambd: number }>("softshrink", args, ["lambd"], { lambd: 0.5 });
  checkLambd(o.lambd);
  const l = inDtype(x, o.lambd);
  const below = x.add(l).where(x.lt(-l), 0);
  return rename(x.sub(l).where(x.gt(l), below), "SoftshrinkBackward0");
}

// ---- gated ----

/** a·sigmoid(b) where a, b are the two halves of the input along dim. */
export function glu(input: Tensor, dim?: number | { dim?: number }): Tensor;
export function glu(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; dim: number }>("glu", args, ["input", "dim"], { dim: -1 });
  const x = checkTensor("glu", "input", o.input, 1);
  if (x.ndim === 0) throw new RangeError("glu does not support scalars because halving size must be even");
  const dim = normDim(checkInt("glu", "dim", o.dim), x.ndim);
  const n = x.shape[dim];
  if (n % 2 !== 0) throw new RangeError(`Halving dimension must be even, but dimension ${dim} is size ${n}`);
  const a = x.narrow(dim, 0, n / 2);
  const b = x.narrow(dim, n / 2, n / 2);
  return rename(a.mul(b.sigmoid()), "GluBackward0");
}

// ---- channel-wise dropout ----

/** Zeroes whole channels: one draw per (sample, channel) of an [N, C, *] input (PyTorch's feature_dropout). */
function featureDropout(x: Tensor, p: number, training: boolean, inplace: boolean): Tensor {
  if (p === 0 || !training || x.numel() === 0) return x;
  if (x.ndim < 2) throw new RangeError("Feature dropout requires at least 2 dimensions in the input");
  const mask = dropoutMask(x.shape.map((s, d) => (d < 2 ? s : 1)), p); // [N, C, 1, ...]
  return maybeInPlace(x, inplace, (x) => x.mul(mask), null, "feature_dropout_");
}

type DropoutArgs = { input: Tensor; p: number; training: boolean; inplace: boolean };
const DROPOUT_DEFAULTS = { p: 0.5, training: true, inplace: false };
type DropoutOptions = { p?: number; training?: boolean; inplace?: boolean };

/** Channel-wise dropout of a (N, C, L) or (C, L) input. */
export function dropout1d(input: Tensor, p?: number | DropoutOptions, training?: boolean | DropoutOptions, inplace?: boolean | DropoutOptions): Tensor;
export function dropout1d(...args: unknown[]): Tensor {
  const o = parseArgs<DropoutArgs>("dropout1d", args, ["input", "p", "training", "inplace"], DROPOUT_DEFAULTS);
  const x = checkTensor("dropout1d", "input", o.input, 1);
  const p = checkDropoutP(o.p);
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new RangeError(
      `dropout1d: Expected 2D or 3D input, but received a ${x.ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`,
    );
  }
  const [training, inplace] = [checkBool("dropout1d", "training", o.training), checkBool("dropout1d", "inplace", o.inplace)];
  if (x.ndim === 3) return featureDropout(x, p, training, inplace);
  const out = featureDropout(x.unsqueeze(0), p, training, inplace);
  return out === x || inplace ? x : out.squeeze(0);
}

/**
 * Channel-wise dropout of a (N, C, H, W) input. NOTE: PyTorch 1.13 treats a 3-D input as (N, C, L)
 * (1-D channel dropout, with a warning), not as an unbatched (C, H, W); so does this.
 */
export function dropout2d(input: Tensor, p?: number | DropoutOptions, training?: boolean | DropoutOptions, inplace?: boolean | DropoutOptions): Tensor;
export function dropout2d(...args: unknown[]): Tensor {
  const o = parseArgs<DropoutArgs>("dropout2d", args, ["input", "p", "training", "inplace"], DROPOUT_DEFAULTS);
  const x = checkTensor("dropout2d", "input", o.input, 1);
  const p = checkDropoutP(o.p);
  if (x.ndim !== 3 && x.ndim !== 4) {
    warn(
      `dropout2d: Received a ${x.ndim}-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).`,
    );
  }
  if (x.ndim === 3) {
    warn(
      "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.",
    );
  }
  return featureDropout(x, p, checkBool("dropout2d", "training", o.training), checkBool("dropout2d", "inplace", o.inplace));
}

// ---- in-place forms (PyTorch's F.elu_, F.leaky_relu_, ...): the functions above with inplace=true ----

export const leakyRelu_ = (input: Tensor, negativeSlope = 0.01): Tensor => leakyRelu(input, negativeSlope, true);
export const elu_ = (input: Tensor, alpha = 1): Tensor => elu(input, alpha, true);
export const celu_ = (input: Tensor, alpha = 1): Tensor => celu(input, alpha, true);
export const selu_ = (input: Tensor): Tensor => selu(input, true);
export const hardtanh_ = (input: Tensor, minVal = -1, maxVal = 1): Tensor => hardtanh(input, minVal, maxVal, true);
export const threshold_ = (input: Tensor, thresholdValue: number, value: number): Tensor => threshold(input, thresholdValue, value, true);
