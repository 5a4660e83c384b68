// The torch.* forms of nn functions (torch.conv2d, torch.dropout, torch.batch_norm, torch.kl_div, ...),
// with PyTorch's own signatures for them, which differ from F.*'s in places: torch.dropout(input, p,
// train) has no defaults, torch.batch_norm(input, weight, bias, running_mean, running_var, training,
// momentum, eps, cudnn_enabled) takes every argument, torch.embedding(weight, indices, ...) puts the
// weight first, and the losses take reduction as an int (0 none, 1 mean, 2 sum; a string is refused
// as PyTorch refuses it). Each binds PyTorch's parameter names (camelCase options) and forwards to
// nn.functional. ref: torch/_C/_VariableFunctions.pyi, aten/src/ATen/native/native_functions.yaml (1.13).
import type { Tensor } from "./tensor.js";
import * as F from "./nn/functional.js";
import { checkBool, checkNumber, checkOptionalTensor, checkTensor, parseArgs } from "./nn/args.js";
import { dropoutImpl, rreluImpl } from "./nn/functional_dropout.js";
import { checkDropoutP } from "./nn/functional.js";
import type { Generator } from "./ops/random.js";

type IntOrTuple = number | number[];
type Opts = Record<string, unknown>;

// ---- convolution ----

export const conv1d = F.conv1d, conv2d = F.conv2d, conv3d = F.conv3d, convTranspose1d = F.convTranspose1d, convTranspose2d = F.convTranspose2d;

// ---- pooling ----

/** PyTorch's stride default for the torch.* pools is (), meaning the kernel size. */
const strideOf = (s: unknown) => (Array.isArray(s) && s.length === 0 ? null : s);

function bindPool(fn: string, args: unknown[]) {
  return parseArgs<{ input: Tensor; kernelSize: IntOrTuple; stride: IntOrTuple | null; padding: IntOrTuple; dilation: IntOrTuple; ceilMode: boolean }>(
    fn, args, ["input", "kernelSize", "stride", "padding", "dilation", "ceilMode"], { stride: [], padding: 0, dilation: 1, ceilMode: false },
  );
}

/** torch.max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False). */
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple | Opts, stride?: IntOrTuple | Opts, padding?: IntOrTuple | Opts, dilation?: IntOrTuple | Opts, ceilMode?: boolean | Opts): Tensor;
export function maxPool1d(...args: unknown[]): Tensor {
  const o = bindPool("max_pool1d", args);
  return F.maxPool1d(o.input, o.kernelSize, strideOf(o.stride), o.padding, o.dilation, o.ceilMode, false) as Tensor;
}

/** torch.max_pool1d_with_indices: [values, indices]. */
export function maxPool1dWithIndices(input: Tensor, kernelSize: IntOrTuple | Opts, stride?: IntOrTuple | Opts, padding?: IntOrTuple | Opts, dilation?: IntOrTuple | Opts, ceilMode?: boolean | Opts): [Tensor, Tensor];
export function maxPool1dWithIndices(...args: unknown[]): [Tensor, Tensor] {
  const o = bindPool("max_pool1d_with_indices", args);
  return F.maxPool1d(o.input, o.kernelSize, strideOf(o.stride), o.padding, o.dilation, o.ceilMode, true) as [Tensor, Tensor];
}

/** torch.max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False). */
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple | Opts, stride?: IntOrTuple | Opts, padding?: IntOrTuple | Opts, dilation?: IntOrTuple | Opts, ceilMode?: boolean | Opts): Tensor;
export function maxPool2d(...args: unknown[]): Tensor {
  const o = bindPool("max_pool2d", args);
  return F.maxPool2d(o.input, o.kernelSize, strideOf(o.stride), o.padding, o.dilation, o.ceilMode, false) as Tensor;
}

/** torch.max_pool3d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False). */
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple | Opts, stride?: IntOrTuple | Opts, padding?: IntOrTuple | Opts, dilation?: IntOrTuple | Opts, ceilMode?: boolean | Opts): Tensor;
export function maxPool3d(...args: unknown[]): Tensor {
  const o = bindPool("max_pool3d", args);
  return F.maxPool3d(o.input, o.kernelSize, strideOf(o.stride), o.padding, o.dilation, o.ceilMode, false) as Tensor;
}

/** torch.avg_pool1d(input, kernel_size, stride=(), padding=0, ceil_mode=False, count_include_pad=True). */
export function avgPool1d(input: Tensor, kernelSize: IntOrTuple | Opts, stride?: IntOrTuple | Opts, padding?: IntOrTuple | Opts, ceilMode?: boolean | Opts, countIncludePad?: boolean | Opts): Tensor;
export function avgPool1d(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; kernelSize: IntOrTuple; stride: IntOrTuple; padding: IntOrTuple; ceilMode: boolean; countIncludePad: boolean }>(
    "avg_pool1d", args, ["input", "kernelSize", "stride", "padding", "ceilMode", "countIncludePad"], { stride: [], padding: 0, ceilMode: false, countIncludePad: true },
  );
  return F.avgPool1d(o.input, o.kernelSize, strideOf(o.stride), o.padding, o.ceilMode, o.countIncludePad);
}

export function adaptiveAvgPool1d(input: Tensor, outputSize: IntOrTuple | Opts): Tensor;
export function adaptiveAvgPool1d(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; outputSize: IntOrTuple }>("adaptive_avg_pool1d", args, ["input", "outputSize"], {});
  return F.adaptiveAvgPool1d(o.input, o.outputSize);
}

/** torch.adaptive_max_pool1d: always [values, indices]. */
export function adaptiveMaxPool1d(input: Tensor, outputSize: IntOrTuple | Opts): [Tensor, Tensor];
export function adaptiveMaxPool1d(...args: unknown[]): [Tensor, Tensor] {
  const o = parseArgs<{ input: Tensor; outputSize: IntOrTuple }>("adaptive_max_pool1d", args, ["input", "outputSize"], {});
  return F.adaptiveMaxPool1d(o.input, o.outputSize, true) as [Tensor, Tensor];
}

// ---- normalization ----

/** torch.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled): all required. */
export function batchNorm(
  input: Tensor, weight: Tensor | null, bias: Tensor | null, runningMean: Tensor | null, runningVar: Tensor | null,
  training: boolean, momentum: number, eps: number, cudnnEnabled: boolean,
): Tensor;
export function batchNorm(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; weight: Tensor | null; bias: Tensor | null; runningMean: Tensor | null; runningVar: Tensor | null; training: boolean; momentum: number; eps: number; cudnnEnabled: boolean }>(
    "batch_norm", args, ["input", "weight", "bias", "runningMean", "runningVar", "training", "momentum", "eps", "cudnnEnabled"], {},
  );
  checkBool("batch_norm", "cudnn_enabled", o.cudnnEnabled);
  return F.batchNorm(o.input, o.runningMean, o.runningVar, o.weight, o.bias, o.training, o.momentum, o.eps);
}

/** torch.instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled): all required. */
export function instanceNorm(
  input: Tensor, weight: Tensor | null, bias: Tensor | null, runningMean: Tensor | null, runningVar: Tensor | null,
  useInputStats: boolean, momentum: number, eps: number, cudnnEnabled: boolean,
): Tensor;
export function instanceNorm(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; weight: Tensor | null; bias: Tensor | null; runningMean: Tensor | null; runningVar: Tensor | null; useInputStats: boolean; momentum: number; eps: number; cudnnEnabled: boolean }>(
    "instance_norm", args, ["input", "weight", "bias", "runningMean", "runningVar", "useInputStats", "momentum", "eps", "cudnnEnabled"], {},
  );
  checkBool("instance_norm", "cudnn_enabled", o.cudnnEnabled);
  return F.instanceNorm(o.input, o.runningMean, o.runningVar, o.weight, o.bias, o.useInputStats, o.momentum, o.eps);
}

/** torch.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True). */
export function layerNorm(input: Tensor, normalizedShape: IntOrTuple, weight?: Tensor | null | Opts, bias?: Tensor | null, eps?: number, cudnnEnable?: boolean): Tensor;
export function layerNorm(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; normalizedShape: IntOrTuple; weight: Tensor | null; bias: Tensor | null; eps: number; cudnnEnable: boolean }>(
    "layer_norm", args, ["input", "normalizedShape", "weight", "bias", "eps", "cudnnEnable"], { weight: null, bias: null, eps: 1e-5, cudnnEnable: true },
  );
  checkBool("layer_norm", "cudnn_enable", o.cudnnEnable);
  return F.layerNorm(o.input, o.normalizedShape, o.weight, o.bias, o.eps);
}

/** torch.group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True). */
export function groupNorm(input: Tensor, numGroups: number, weight?: Tensor | null | Opts, bias?: Tensor | null, eps?: number, cudnnEnabled?: boolean): Tensor;
export function groupNorm(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; numGroups: number; weight: Tensor | null; bias: Tensor | null; eps: number; cudnnEnabled: boolean }>(
    "group_norm", args, ["input", "numGroups", "weight", "bias", "eps", "cudnnEnabled"], { weight: null, bias: null, eps: 1e-5, cudnnEnabled: true },
  );
  checkBool("group_norm", "cudnn_enabled", o.cudnnEnabled);
  return F.groupNorm(o.input, o.numGroups, o.weight, o.bias, o.eps);
}

// ---- dropout: (input, p, train), all required ----

function bindDropout(fn: string, args: unknown[]) {
  const o = parseArgs<{ input: Tensor; p: number; train: boolean }>(fn, args, ["input", "p", "train"], {});
  return { x: checkTensor(fn, "input", o.input, 1), p: checkDropoutP(o.p), train: checkBool(fn, "train", o.train) };
}
type DropoutFn = (input: Tensor, p: number | Opts, train?: boolean | Opts) => Tensor;
function dropoutForm(fn: string, feature: boolean, alpha: boolean, inplace: boolean): DropoutFn {
  return (...args: unknown[]) => {
    const { x, p, train } = bindDropout(fn, args);
    return dropoutImpl(x, p, train, feature, alpha, inplace);
  };
}

/** torch.dropout(input, p, train): F.dropout's draws (the same stream), no defaults. */
export function dropout(input: Tensor, p: number | Opts, train?: boolean | Opts): Tensor;
export function dropout(...args: unknown[]): Tensor {
  const { x, p, train } = bindDropout("dropout", args);
  return F.dropout(x, p, train);
}
export const dropout_: DropoutFn = dropoutForm("dropout_", false, false, true);
export const featureDropout: DropoutFn = dropoutForm("feature_dropout", true, false, false);
export const featureDropout_: DropoutFn = dropoutForm("feature_dropout_", true, false, true);
export const alphaDropout: DropoutFn = dropoutForm("alpha_dropout", false, true, false);
export const alphaDropout_: DropoutFn = dropoutForm("alpha_dropout_", false, true, true);
export const featureAlphaDropout: DropoutFn = dropoutForm("feature_alpha_dropout", true, true, false);
export const featureAlphaDropout_: DropoutFn = dropoutForm("feature_alpha_dropout_", true, true, true);

// ---- embedding ----

/** torch.embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False): a
 *  negative padding_idx means none (ATen's convention; F.embedding maps None to -1). */
export function embedding(weight: Tensor, indices: Tensor, paddingIdx?: number | Opts, scaleGradByFreq?: boolean, sparse?: boolean): Tensor;
export function embedding(...args: unknown[]): Tensor {
  const o = parseArgs<{ weight: Tensor; indices: Tensor; paddingIdx: number; scaleGradByFreq: boolean; sparse: boolean }>(
    "embedding", args, ["weight", "indices", "paddingIdx", "scaleGradByFreq", "sparse"], { paddingIdx: -1, scaleGradByFreq: false, sparse: false },
  );
  const pad = checkNumber("embedding", "padding_idx", o.paddingIdx);
  return F.embedding(o.indices, o.weight, pad < 0 ? null : pad, null, 2, o.scaleGradByFreq, o.sparse);
}

// ---- activations ----

export const selu = (input: Tensor): Tensor => F.selu(input);
export const selu_ = (input: Tensor): Tensor => F.selu_(input);

/** torch.celu(input, alpha=1.0). */
export function celu(input: Tensor, alpha?: number | { alpha?: number }): Tensor;
export function celu(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; alpha: number }>("celu", args, ["input", "alpha"], { alpha: 1 });
  return F.celu(o.input, o.alpha);
}
export function celu_(input: Tensor, alpha?: number | { alpha?: number }): Tensor;
export function celu_(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; alpha: number }>("celu_", args, ["input", "alpha"], { alpha: 1 });
  return F.celu_(o.input, o.alpha);
}

/** torch.threshold(input, threshold, value): input where input > threshold, else value. */
export function threshold(input: Tensor, threshold: number | Opts, value?: number): Tensor;
export function threshold(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; threshold: number; value: number }>("threshold", args, ["input", "threshold", "value"], {});
  return F.threshold(o.input, o.threshold, o.value);
}
export function threshold_(input: Tensor, threshold: number | Opts, value?: number): Tensor;
export function threshold_(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; threshold: number; value: number }>("threshold_", args, ["input", "threshold", "value"], {});
  return F.threshold(o.input, o.threshold, o.value, true);
}

export const prelu = (input: Tensor, weight: Tensor): Tensor => F.prelu(input, weight);

export interface TorchRreluOptions {
  lower?: number;
  upper?: number;
  training?: boolean;
  generator?: Generator | null;
}
function rreluForm(fn: string, inplace: boolean) {
  return (...args: unknown[]): Tensor => {
    const o = parseArgs<{ input: Tensor; lower: number; upper: number; training: boolean; generator: Generator | null }>(
      fn, args, ["input", "lower", "upper", "training", "generator"], { lower: 1 / 8, upper: 1 / 3, training: false, generator: null },
    );
    const x = checkTensor(fn, "input", o.input, 1);
    return rreluImpl(x, checkNumber(fn, "lower", o.lower), checkNumber(fn, "upper", o.upper), checkBool(fn, "training", o.training), inplace, o.generator);
  };
}
type RreluFn = (input: Tensor, lower?: number | TorchRreluOptions, upper?: number, training?: boolean, generator?: Generator | null) => Tensor;
/** torch.rrelu(input, lower=1/8, upper=1/3, training=False, generator=None). */
export const rrelu: RreluFn = rreluForm("rrelu", false);
export const rrelu_: RreluFn = rreluForm("rrelu_", true);

export const relu_ = (input: Tensor): Tensor => F.relu_(input);

// ---- shuffles, distances, bilinear, padding ----

export const pixelShuffle = F.pixelShuffle, pixelUnshuffle = F.pixelUnshuffle;
export const channelShuffle = F.channelShuffle, nativeChannelShuffle = F.channelShuffle;
export const cosineSimilarity = F.cosineSimilarity, pairwiseDistance = F.pairwiseDistance, pdist = F.pdist;
export const bilinear = F.bilinear;

/** torch.constant_pad_nd(input, pad, value=0): F.pad in constant mode. */
export function constantPadNd(input: Tensor, pad: number[], value?: number | { value?: number }): Tensor;
export function constantPadNd(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; pad: number[]; value: number }>("constant_pad_nd", args, ["input", "pad", "value"], { value: 0 });
  return F.pad(o.input, o.pad, "constant", checkNumber("constant_pad_nd", "value", o.value));
}

// ---- losses, reduction as ATen's int ----

/** ATen's reduction enum: 0 none, 1 mean, 2 sum (other ints act as none, as there). */
function reductionOf(fn: string, r: unknown, position: number): "none" | "mean" | "sum" {
  if (typeof r !== "number" || !Number.isInteger(r)) {
    const got = typeof r === "string" ? "str" : typeof r === "number" ? "float" : typeof r;
    throw new TypeError(`${fn}(): argument 'reduction' (position ${position}) must be int, not ${got}`);
  }
  return r === 1 ? "mean" : r === 2 ? "sum" : "none";
}

/** torch.kl_div(input, target, reduction=1, *, log_target=False): 'mean' is the element mean (no warning). */
export function klDiv(input: Tensor, target: Tensor, reduction?: number | { reduction?: number; logTarget?: boolean }, options?: { logTarget?: boolean }): Tensor;
export function klDiv(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; target: Tensor; reduction: number; logTarget: boolean }>("kl_div", args, ["input", "target", "reduction", "logTarget"], { reduction: 1, logTarget: false });
  if (args.length > 3 && typeof args[3] === "boolean") throw new TypeError(`kl_div() takes from 2 to 3 positional arguments but ${args.length} were given`);
  const r = reductionOf("kl_div", o.reduction, 3);
  const pointwise = F.klDiv(o.input, o.target, { reduction: "none", logTarget: checkBool("kl_div", "log_target", o.logTarget) });
  return r === "none" ? pointwise : r === "sum" ? pointwise.sum() : pointwise.mean();
}

/** torch.binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=1). */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, weight?: Tensor | null | Opts, posWeight?: Tensor | null, reduction?: number): Tensor;
export function binaryCrossEntropyWithLogits(...args: unknown[]): Tensor {
  const fn = "binary_cross_entropy_with_logits";
  const o = parseArgs<{ input: Tensor; target: Tensor; weight: Tensor | null; posWeight: Tensor | null; reduction: number }>(
    fn, args, ["input", "target", "weight", "posWeight", "reduction"], { weight: null, posWeight: null, reduction: 1 },
  );
  return F.binaryCrossEntropyWithLogits(o.input, o.target, {
    weight: checkOptionalTensor(fn, "weight", o.weight), posWeight: checkOptionalTensor(fn, "pos_weight", o.posWeight), reduction: reductionOf(fn, o.reduction, 5),
  });
}

/** torch.hinge_embedding_loss(input, target, margin=1.0, reduction=1). */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, margin?: number | Opts, reduction?: number): Tensor;
export function hingeEmbeddingLoss(...args: unknown[]): Tensor {
  const fn = "hinge_embedding_loss";
  const o = parseArgs<{ input: Tensor; target: Tensor; margin: number; reduction: number }>(fn, args, ["input", "target", "margin", "reduction"], { margin: 1, reduction: 1 });
  return F.hingeEmbeddingLoss(o.input, o.target, { margin: o.margin, reduction: reductionOf(fn, o.reduction, 4) });
}

/** torch.margin_ranking_loss(input1, input2, target, margin=0.0, reduction=1). */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, margin?: number | Opts, reduction?: number): Tensor;
export function marginRankingLoss(...args: unknown[]): Tensor {
  const fn = "margin_ranking_loss";
  const o = parseArgs<{ input1: Tensor; input2: Tensor; target: Tensor; margin: number; reduction: number }>(fn, args, ["input1", "input2", "target", "margin", "reduction"], { margin: 0, reduction: 1 });
  return F.marginRankingLoss(o.input1, o.input2, o.target, { margin: o.margin, reduction: reductionOf(fn, o.reduction, 5) });
}

/** torch.cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=1). */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, margin?: number | Opts, reduction?: number): Tensor;
export function cosineEmbeddingLoss(...args: unknown[]): Tensor {
  const fn = "cosine_embedding_loss";
  const o = parseArgs<{ input1: Tensor; input2: Tensor; target: Tensor; margin: number; reduction: number }>(fn, args, ["input1", "input2", "target", "margin", "reduction"], { margin: 0, reduction: 1 });
  return F.cosineEmbeddingLoss(o.input1, o.input2, o.target, { margin: o.margin, reduction: reductionOf(fn, o.reduction, 5) });
}

/** torch.poisson_nll_loss(input, target, log_input, full, eps, reduction): all required. */
export function poissonNllLoss(input: Tensor, target: Tensor, logInput: boolean | Opts, full?: boolean, eps?: number, reduction?: number): Tensor;
export function poissonNllLoss(...args: unknown[]): Tensor {
  const fn = "poisson_nll_loss";
  const o = parseArgs<{ input: Tensor; target: Tensor; logInput: boolean; full: boolean; eps: number; reduction: number }>(fn, args, ["input", "target", "logInput", "full", "eps", "reduction"], {});
  return F.poissonNllLoss(o.input, o.target, { logInput: o.logInput, full: o.full, eps: o.eps, reduction: reductionOf(fn, o.reduction, 6) });
}

/** torch.triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, reduction=1). */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, margin?: number | Opts, p?: number, eps?: number, swap?: boolean, reduction?: number): Tensor;
export function tripletMarginLoss(...args: unknown[]): Tensor {
  const fn = "triplet_margin_loss";
  const o = parseArgs<{ anchor: Tensor; positive: Tensor; negative: Tensor; margin: number; p: number; eps: number; swap: boolean; reduction: number }>(
    fn, args, ["anchor", "positive", "negative", "margin", "p", "eps", "swap", "reduction"], { margin: 1, p: 2, eps: 1e-6, swap: false, reduction: 1 },
  );
  return F.tripletMarginLoss(o.anchor, o.positive, o.negative, { margin: o.margin, p: o.p, eps: o.eps, swap: o.swap, reduction: reductionOf(fn, o.reduction, 8) });
}


/** torch.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=1, zero_infinity=False). */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: Tensor | number[], targetLengths: Tensor | number[], blank?: number | Opts, reduction?: number, zeroInfinity?: boolean): Tensor;
export function ctcLoss(...args: unknown[]): Tensor {
  const fn = "ctc_loss";
  const o = parseArgs<{ logProbs: Tensor; targets: Tensor; inputLengths: Tensor | number[]; targetLengths: Tensor | number[]; blank: number; reduction: number; zeroInfinity: boolean }>(
    fn, args, ["logProbs", "targets", "inputLengths", "targetLengths", "blank", "reduction", "zeroInfinity"], { blank: 0, reduction: 1, zeroInfinity: false },
  );
  return F.ctcLoss(o.logProbs, o.targets, o.inputLengths, o.targetLengths, o.blank, reductionOf(fn, o.reduction, 6), o.zeroInfinity);
}

/** torch.grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners): ATen's int enums
 *  (mode 0 bilinear, 1 nearest, 2 bicubic; padding 0 zeros, 1 border, 2 reflection), all required. */
export function gridSampler(input: Tensor, grid: Tensor, interpolationMode: number, paddingMode: number, alignCorners: boolean): Tensor {
  const modes = ["bilinear", "nearest", "bicubic"] as const;
  const pads = ["zeros", "border", "reflection"] as const;
  if (!Number.isInteger(interpolationMode) || interpolationMode < 0 || interpolationMode > 2) throw new RangeError(`grid_sampler(): invalid interpolation_mode ${String(interpolationMode)}`);
  if (!Number.isInteger(paddingMode) || paddingMode < 0 || paddingMode > 2) throw new RangeError(`grid_sampler(): invalid padding_mode ${String(paddingMode)}`);
  return F.gridSample(input, grid, modes[interpolationMode], pads[paddingMode], checkBool("grid_sampler", "align_corners", alignCorners));
}

/** torch.affine_grid_generator(theta, size, align_corners): F.affine_grid without its Python-side warnings. */
export function affineGridGenerator(theta: Tensor, size: number[], alignCorners: boolean): Tensor {
  return F.affineGrid(theta, size, checkBool("affine_grid_generator", "align_corners", alignCorners));
}
