// nn.functional normalization: batchNorm, instanceNorm, layerNorm, groupNorm and normalize.
// batchNorm on float32 and layerNorm on float32/float64 are one node each over the backend's kernels
// (batch_norm_node.ts, layer_norm_node.ts); the rest, their other dtypes and createGraph backward,
// are compositions of tensor ops: the statistics are reductions (float64 or pairwise accumulation,
// see Backend.reduce) taken once per call, two-pass (mean, then the mean of centred squares), and the
// gradient is autograd's through them, which is PyTorch's analytic one. Running statistics are
// updated in place outside the graph, in doubles, as ATen's batch_norm_cpu_update_stats does.
// ref: torch/nn/functional.py, aten/src/ATen/native/Normalization.cpp, layer_norm.cpp, group_norm.cpp (1.13).
import { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { rename } from "../autograd/node.js";
import { formatShape, sameShape } from "../shape.js";
import { checkBool, checkInt, checkNumber, checkOptionalTensor, checkTensor, parseArgs, torchSize } from "./args.js";
import { BatchNormEval, BatchNormTrain, type BatchStats } from "./batch_norm_node.js";
import { LayerNormNode } from "./layer_norm_node.js";

/** The biased mean and variance of x over dims (kept as size-1 dims), and x − mean. */
function moments(x: Tensor, dims: number[]): { mean: Tensor; variance: Tensor; centred: Tensor } {
  const mean = x.mean(dims, true);
  const centred = x.sub(mean);
  return { mean, variance: centred.mul(centred).mean(dims, true), centred };
}

/**
 * An [N, C, *] input as [N, C, L] (a free reshape when contiguous): one code path for every rank,
 * with the statistics over dims [0, 2] (batch) or [2] (instance) and per-channel terms [1, C, 1].
 */
function channelsView(x: Tensor): Tensor {
  return x.reshape([x.shape[0], x.shape[1], x.shape.slice(2).reduce((a, b) => a * b, 1)]);
}

/** [C] -> [1, C, 1], to broadcast over channelsView(x). */
const perChannel = (t: Tensor) => t.reshape([1, t.numel(), 1]);

/** y·weight + bias per channel, for y [N, C, L]. */
function affine(y: Tensor, weight: Tensor | null, bias: Tensor | null): Tensor {
  if (weight !== null) y = y.mul(perChannel(weight));
  if (bias !== null) y = y.add(perChannel(bias));
  return y;
}

function checkChannelVector(fn: string, name: string, t: Tensor | null, channels: number): void {
  if (t !== null && t.numel() !== channels) throw new RangeError(`${name} should contain ${channels} elements not ${t.numel()}`);
}

/** running = (1 − m)·running + m·value, per element, in doubles, rounded once (ATen's update). */
function updateRunning(running: Tensor, value: Float64Array, momentum: number): void {
  const old = running.contiguous().storage();
  const next = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) next[i] = momentum * value[i] + (1 - momentum) * old[i];
  noGrad(() => running.copy_(Tensor.fromStorage(next, running.shape)));
}

const doubles = (t: Tensor) => Float64Array.from(t.detach().contiguous().storage());

function checkInputStats(fn: string, size: readonly number[], spatialOnly: boolean): void {
  const prod = size.slice(2).reduce((a, b) => a * b, spatialOnly ? 1 : size[0]);
  if (prod === 1) {
    throw new RangeError(
      spatialOnly
        ? `Expected more than 1 spatial element when training, got input size ${torchSize(size)}`
        : `Expected more than 1 value per channel when training, got input size ${torchSize(size)}`,
    );
  }
}

/**
 * Normalizes each channel (dim 1) of an [N, C, *] input: with the batch's statistics in training
 * (biased variance; the running ones, when given, move toward the batch mean and the *unbiased*
 * variance by momentum), with runningMean/runningVar otherwise; then weight and bias per channel.
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null | BatchNormOptions,
  bias?: Tensor | null,
  training?: boolean,
  momentum?: number,
  eps?: number,
): Tensor;
export function batchNorm(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; runningMean: Tensor | null; runningVar: Tensor | null; weight: Tensor | null; bias: Tensor | null; training: boolean; momentum: number; eps: number }>(
    "batch_norm", args, ["input", "runningMean", "runningVar", "weight", "bias", "training", "momentum", "eps"],
    { weight: null, bias: null, training: false, momentum: 0.1, eps: 1e-5 },
  );
  const x = checkTensor("batch_norm", "input", o.input, 1);
  const [rm, rv] = [checkOptionalTensor("batch_norm", "running_mean", o.runningMean), checkOptionalTensor("batch_norm", "running_var", o.runningVar)];
  const [w, b] = [checkOptionalTensor("batch_norm", "weight", o.weight), checkOptionalTensor("batch_norm", "bias", o.bias)];
  const training = checkBool("batch_norm", "training", o.training);
  const [momentum, eps] = [checkNumber("batch_norm", "momentum", o.momentum), checkNumber("batch_norm", "eps", o.eps)];
  if (x.ndim < 2) throw new RangeError(`batch_norm: expected an input with at least 2 dims (N, C, ...), got ${x.ndim}D input`);
  const channels = x.shape[1];
  for (const [name, t] of [["running_mean", rm], ["running_var", rv], ["weight", w], ["bias", b]] as const) checkChannelVector("batch_norm", name, t, channels);
  if (training) checkInputStats("batch_norm", x.shape, false);
  const x3 = channelsView(x);
  if (!training && (rm === null || rv === null)) throw new Error("running_mean and running_var must be defined in evaluation mode");
  const n = x.numel() / channels;
  // NOTE: float32 runs as one node over the backend's kernels (batch_norm_node.ts); other dtypes,
  // and the node's createGraph backward, run the composition below.
  const fused = x.numel() > 0 && [x, w, b, rm, rv].every((t) => t === null || t.dtype === "float32");
  if (fused && training) {
    const stats: BatchStats = { mean: new Float64Array(0), variance: new Float64Array(0) };
    const y = BatchNormTrain.apply(x3, w, b, eps, stats, (xx: Tensor, ww: Tensor | null, bb: Tensor | null) => composedTrain(xx, ww, bb, eps).y) as Tensor;
    if (rm !== null) updateRunning(rm, stats.mean, momentum);
    if (rv !== null) updateRunning(rv, stats.variance.map((v) => (v * n) / (n - 1)), momentum);
    return rename(y.reshape(x.shape), "NativeBatchNormBackward0");
  }
  if (fused) {
    const eval_ = (xx: Tensor, ww: Tensor | null, bb: Tensor | null) => composedEval(xx, ww, bb, rm!, rv!, eps);
    return rename((BatchNormEval.apply(x3, w, b, rm, rv, eps, eval_) as Tensor).reshape(x.shape), "NativeBatchNormBackward0");
  }
  if (training) {
    const { y, mean, variance } = composedTrain(x3, w, b, eps);
    if (rm !== null) updateRunning(rm, doubles(mean), momentum);
    if (rv !== null) updateRunning(rv, doubles(variance).map((v) => (v * n) / (n - 1)), momentum);
    return rename(y.reshape(x.shape), "NativeBatchNormBackward0");
  }
  return rename(composedEval(x3, w, b, rm!, rv!, eps).reshape(x.shape), "NativeBatchNormBackward0");
}

/** Batch norm of x3 [N, C, L] with the batch's statistics, as tensor ops (differentiable to any order). */
function composedTrain(x3: Tensor, w: Tensor | null, b: Tensor | null, eps: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const { mean, variance, centred } = moments(x3, [0, 2]);
  return { y: affine(centred.mul(variance.add(eps).rsqrt()), w, b), mean, variance };
}

/** Batch norm of x3 [N, C, L] with the running statistics, as tensor ops. */
function composedEval(x3: Tensor, w: Tensor | null, b: Tensor | null, rm: Tensor, rv: Tensor, eps: number): Tensor {
  return affine(x3.sub(perChannel(rm)).mul(perChannel(rv).add(eps).rsqrt()), w, b);
}

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

export interface InstanceNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Normalizes each (sample, channel) plane of an [N, C, *] input by its own statistics
 * (useInputStats, the default), or by runningMean/runningVar per channel. Given running stats
 * with useInputStats move toward the batch average of the per-instance means and unbiased variances.
 */
export function instanceNorm(
  input: Tensor,
  runningMean?: Tensor | null | InstanceNormOptions,
  runningVar?: Tensor | null,
  weight?: Tensor | null,
  bias?: Tensor | null,
  useInputStats?: boolean,
  momentum?: number,
  eps?: number,
): Tensor;
export function instanceNorm(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; runningMean: Tensor | null; runningVar: Tensor | null; weight: Tensor | null; bias: Tensor | null; useInputStats: boolean; momentum: number; eps: number }>(
    "instance_norm", args, ["input", "runningMean", "runningVar", "weight", "bias", "useInputStats", "momentum", "eps"],
    { runningMean: null, runningVar: null, weight: null, bias: null, useInputStats: true, momentum: 0.1, eps: 1e-5 },
  );
  const x = checkTensor("instance_norm", "input", o.input, 1);
  const [rm, rv] = [checkOptionalTensor("instance_norm", "running_mean", o.runningMean), checkOptionalTensor("instance_norm", "running_var", o.runningVar)];
  const [w, b] = [checkOptionalTensor("instance_norm", "weight", o.weight), checkOptionalTensor("instance_norm", "bias", o.bias)];
  const useInputStats = checkBool("instance_norm", "useInputStats", o.useInputStats);
  const [momentum, eps] = [checkNumber("instance_norm", "momentum", o.momentum), checkNumber("instance_norm", "eps", o.eps)];
  if (x.ndim < 2) throw new RangeError(`instance_norm: expected an input with at least 2 dims (N, C, ...), got ${x.ndim}D input`);
  const [batch, channels] = [x.shape[0], x.shape[1]];
  for (const [name, t] of [["running_mean", rm], ["running_var", rv], ["weight", w], ["bias", b]] as const) checkChannelVector("instance_norm", name, t, channels);
  const x3 = channelsView(x);
  let y: Tensor;
  if (useInputStats) {
    checkInputStats("instance_norm", x.shape, true);
    const { mean, variance, centred } = moments(x3, [2]);
    y = centred.mul(variance.add(eps).rsqrt());
    const n = x.numel() / (batch * channels);
    // NOTE: ATen repeats the running stats per sample, updates each, then averages over the batch.
    const batchAverage = (v: Float64Array) => Float64Array.from({ length: channels }, (_, c) => {
      let s = 0;
      for (let i = 0; i < batch; i++) s += v[i * channels + c];
      return s / batch;
    });
    if (rm !== null) updateRunning(rm, batchAverage(doubles(mean)), momentum);
    if (rv !== null) updateRunning(rv, batchAverage(doubles(variance).map((v) => (v * n) / (n - 1))), momentum);
  } else {
    if (rm === null || rv === null) throw new Error("Expected running_mean and running_var to be defined when use_input_stats is false");
    y = x3.sub(perChannel(rm)).mul(perChannel(rv).add(eps).rsqrt());
  }
  return affine(y, w, b).reshape(x.shape);
}

/** Normalizes over the last dims (normalizedShape) of each sample, then weight·y + bias (same shape). */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  weight?: Tensor | null | { weight?: Tensor | null; bias?: Tensor | null; eps?: number },
  bias?: Tensor | null,
  eps?: number,
): Tensor;
export function layerNorm(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; normalizedShape: number | number[]; weight: Tensor | null; bias: Tensor | null; eps: number }>(
    "layer_norm", args, ["input", "normalizedShape", "weight", "bias", "eps"], { weight: null, bias: null, eps: 1e-5 },
  );
  const x = checkTensor("layer_norm", "input", o.input, 1);
  const shape = normalizedShapeOf("layer_norm", o.normalizedShape);
  const [w, b] = [checkOptionalTensor("layer_norm", "weight", o.weight), checkOptionalTensor("layer_norm", "bias", o.bias)];
  const eps = checkNumber("layer_norm", "eps", o.eps);
  for (const [name, t] of [["weight", w], ["bias", b]] as const) {
    if (t !== null && !sameShape(t.shape, shape)) {
      throw new RangeError(`Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${formatShape(t.shape)} and normalized_shape = ${formatShape(shape)}`);
    }
  }
  const k = shape.length;
  if (k === 0) throw new RangeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []");
  if (x.ndim < k || !sameShape(x.shape.slice(x.ndim - k), shape)) {
    throw new RangeError(`Given normalized_shape=${formatShape(shape)}, expected input with shape [*, ${shape.join(", ")}], but got input of size${formatShape(x.shape)}`);
  }
  const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const composed = (xx: Tensor, ww: Tensor | null, bb: Tensor | null) => composedLayerNorm(xx, ww, bb, dims, eps);
  // NOTE: float32 and float64 run as one node over the backend's kernels (layer_norm_node.ts);
  // other dtypes, mixed dtypes, empty inputs and the node's createGraph backward run the composition.
  const size = shape.reduce((a, d) => a * d, 1);
  const fused = x.numel() > 0 && (x.dtype === "float32" || x.dtype === "float64") && [w, b].every((t) => t === null || t.dtype === x.dtype);
  if (fused) return LayerNormNode.apply(x, w, b, size, eps, composed) as Tensor;
  return rename(composed(x, w, b), "NativeLayerNormBackward0");
}

/** Layer norm over dims as tensor ops (differentiable to any order). */
function composedLayerNorm(x: Tensor, w: Tensor | null, b: Tensor | null, dims: number[], eps: number): Tensor {
  const { variance, centred } = moments(x, dims);
  let y = centred.mul(variance.add(eps).rsqrt());
  if (w !== null) y = y.mul(w);
  if (b !== null) y = y.add(b);
  return y;
}

export function normalizedShapeOf(fn: string, s: unknown): number[] {
  const shape = typeof s === "number" ? [s] : Array.isArray(s) ? [...s] : null;
  if (shape === null) throw new TypeError(`${fn}(): argument 'normalized_shape' must be an int or a sequence of ints, not ${typeof s}`);
  return shape.map((d) => checkInt(fn, "normalized_shape", d));
}

/** Splits the C channels of an [N, C, *] input into numGroups groups, normalizes each group of each
 *  sample, then applies weight and bias per channel. */
export function groupNorm(
  input: Tensor,
  numGroups: number,
  weight?: Tensor | null | { weight?: Tensor | null; bias?: Tensor | null; eps?: number },
  bias?: Tensor | null,
  eps?: number,
): Tensor;
export function groupNorm(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; numGroups: number; weight: Tensor | null; bias: Tensor | null; eps: number }>(
    "group_norm", args, ["input", "numGroups", "weight", "bias", "eps"], { weight: null, bias: null, eps: 1e-5 },
  );
  const x = checkTensor("group_norm", "input", o.input, 1);
  const groups = checkInt("group_norm", "num_groups", o.numGroups);
  const [w, b] = [checkOptionalTensor("group_norm", "weight", o.weight), checkOptionalTensor("group_norm", "bias", o.bias)];
  const eps = checkNumber("group_norm", "eps", o.eps);
  if (x.ndim < 2) throw new RangeError(`Expected at least 2 dimensions for input tensor but received ${x.ndim}`);
  const [batch, channels] = [x.shape[0], x.shape[1]];
  if (groups <= 0 || channels % groups !== 0) {
    throw new RangeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(x.shape)} and num_groups=${groups}`);
  }
  for (const [name, t] of [["weight", w], ["bias", b]] as const) {
    if (t !== null && (t.ndim !== 1 || t.numel() !== channels)) {
      throw new RangeError(`Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ${formatShape(t.shape)} and input of shape ${formatShape(x.shape)}`);
    }
  }
  checkInputStats("group_norm", [(batch * channels) / groups, groups, ...x.shape.slice(2)], false);
  const grouped = x.reshape([batch, groups, -1]); // [N, G, C/G · spatial]
  const { variance, centred } = moments(grouped, [2]);
  const y = centred.mul(variance.add(eps).rsqrt()).reshape([batch, channels, -1]);
  return rename(affine(y, w, b).reshape(x.shape), "NativeGroupNormBackward0");
}

/**
 * The p-norm of x along dim (kept). NOTE: written so that an all-zero slice gets gradient 0, as
 * PyTorch's norm_backward masks it, instead of the 0·inf = NaN a plain sqrt/pow composition gives.
 */
function pNorm(x: Tensor, p: number, dim: number): Tensor {
  const a = x.abs();
  if (p === Infinity) return a.amax(dim, true);
  if (p === -Infinity) return a.amin(dim, true);
  if (p === 0) return x.ne(0).float().sum(dim, true);
  if (p === 1) return a.sum(dim, true);
  const s = (p === 2 ? x.mul(x) : a.pow(p)).sum(dim, true);
  const positive = s.gt(0);
  const safe = s.where(positive, 1);
  return (p === 2 ? safe.sqrt() : safe.pow(1 / p)).where(positive, 0);
}

/** x / max(‖x‖_p along dim, eps). */
export function normalize(input: Tensor, p?: number | { p?: number; dim?: number; eps?: number }, dim?: number, eps?: number): Tensor;
export function normalize(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; p: number; dim: number; eps: number }>("normalize", args, ["input", "p", "dim", "eps"], { p: 2, dim: 1, eps: 1e-12 });
  const x = checkTensor("normalize", "input", o.input, 1);
  const p = checkNumber("normalize", "p", o.p);
  const dim = checkInt("normalize", "dim", o.dim);
  const eps = checkNumber("normalize", "eps", o.eps);
  return x.div(pNorm(x, p, dim).clamp(eps, null));
}
