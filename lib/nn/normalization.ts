// Normalization layers: BatchNorm1d/2d/3d and InstanceNorm1d/2d (running statistics kept as buffers
// running_mean, running_var, num_batches_tracked under PyTorch's state-dict names), LayerNorm and
// GroupNorm. Weight ones and bias zeros at construction, as PyTorch's reset_parameters.
// ref: torch/nn/modules/batchnorm.py, instancenorm.py, normalization.py (PyTorch 1.13).
import { getDefaultDtype } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, checkNumber, parseArgs, pyFloat, pyRepr, pyTuple } from "./args.js";
import { batchNorm, groupNorm, instanceNorm, layerNorm, normalizedShapeOf } from "./functional_norm.js";
import { localResponseNorm } from "./functional_local.js";

export interface NormOptions {
  numFeatures?: number;
  eps?: number;
  /** null: a cumulative average (factor 1/num_batches_tracked) instead of an exponential one. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
  /** Accepted for porting: only "cpu" and float32 exist. */
  device?: string | null;
  dtype?: string | null;
}

const zeros = (n: number) => Tensor.empty([n], getDefaultDtype()); // typed arrays start zeroed
const ones = (n: number) => zeros(n).fill_(1);

/** What BatchNorm and InstanceNorm share (PyTorch's _NormBase): options, affine parameters, buffers. */
abstract class NormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  // Buffers under PyTorch's names (state-dict keys); null when trackRunningStats is false.
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  constructor(args: unknown[], defaults: { affine: boolean; trackRunningStats: boolean }) {
    super();
    const name = this.constructor.name;
    const o = parseArgs<Required<NormOptions>>(name, args, ["numFeatures", "eps", "momentum", "affine", "trackRunningStats", "device", "dtype"], {
      eps: 1e-5, momentum: 0.1, ...defaults, device: null, dtype: null,
    });
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
    this.numFeatures = checkInt(name, "numFeatures", o.numFeatures);
    if (this.numFeatures < 0) throw new RangeError(`${name}: numFeatures must be non-negative, got ${this.numFeatures}`);
    this.eps = checkNumber(name, "eps", o.eps);
    this.momentum = o.momentum === null ? null : checkNumber(name, "momentum", o.momentum);
    this.affine = checkBool(name, "affine", o.affine);
    this.trackRunningStats = checkBool(name, "trackRunningStats", o.trackRunningStats);
    this.weight = this.affine ? new Parameter(ones(this.numFeatures)) : null;
    this.bias = this.affine ? new Parameter(zeros(this.numFeatures)) : null;
    const track = this.trackRunningStats;
    this.registerBuffer("running_mean", track ? zeros(this.numFeatures) : null);
    this.registerBuffer("running_var", track ? ones(this.numFeatures) : null);
    this.registerBuffer("num_batches_tracked", track ? Tensor.fromStorage(new Float64Array(1), []) : null);
  }

  /** camelCase views of the buffers (the same tensors). */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }
  get runningVar(): Tensor | null {
    return this.running_var;
  }
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }

  resetRunningStats(): void {
    noGrad(() => {
      this.running_mean?.zero_();
      this.running_var?.fill_(1);
      this.num_batches_tracked?.zero_();
    });
  }

  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  /** The input ranks this layer accepts (PyTorch's _check_input_dim). */
  protected abstract readonly inputDims: readonly number[];

  protected checkInputDim(input: Tensor): void {
    if (!this.inputDims.includes(input.ndim)) {
      throw new RangeError(`expected ${this.inputDims.map((d) => `${d}D`).join(" or ")} input (got ${input.ndim}D input)`);
    }
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? "None" : pyFloat(this.momentum)}, affine=${pyRepr(this.affine)}, track_running_stats=${pyRepr(this.trackRunningStats)}`;
  }
}

/** PyTorch's _BatchNorm: batch statistics in training (and whenever no running stats are kept). */
abstract class BatchNorm extends NormBase {
  constructor(numFeatures: number, options?: NormOptions);
  constructor(numFeatures: number, eps?: number, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean);
  constructor(options: NormOptions);
  constructor(...args: unknown[]) {
    super(args, { affine: true, trackRunningStats: true });
  }

  forward(input: Tensor): Tensor {
    if (!(input instanceof Tensor)) throw new TypeError(`${this.constructor.name}.forward(): input must be a Tensor`);
    this.checkInputDim(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked !== null) {
      const tracked = this.num_batches_tracked;
      noGrad(() => tracked.add_(1));
      // NOTE: momentum null is a cumulative moving average over the batches seen so far.
      factor = this.momentum === null ? 1 / tracked.item() : this.momentum;
    }
    const useBatchStats = this.training || (this.running_mean === null && this.running_var === null);
    const passStats = !this.training || this.trackRunningStats;
    return batchNorm(input, passStats ? this.running_mean : null, passStats ? this.running_var : null, this.weight, this.bias, useBatchStats, factor, this.eps);
  }
}

export class BatchNorm1d extends BatchNorm {
  protected readonly inputDims = [2, 3];
}

export class BatchNorm2d extends BatchNorm {
  protected readonly inputDims = [4];
}

export class BatchNorm3d extends BatchNorm {
  protected readonly inputDims = [5];
}

/**
 * PyTorch's _InstanceNorm: per-sample, per-channel statistics; affine and trackRunningStats default
 * to false. NOTE: with trackRunningStats the running stats move in training, but
 * num_batches_tracked stays 0 (PyTorch's InstanceNorm never increments it).
 */
abstract class InstanceNorm extends NormBase {
  constructor(numFeatures: number, options?: NormOptions);
  constructor(numFeatures: number, eps?: number, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean);
  constructor(options: NormOptions);
  constructor(...args: unknown[]) {
    super(args, { affine: false, trackRunningStats: false });
  }
  /** The rank of an unbatched input. */
  protected abstract readonly noBatchDim: number;

  forward(input: Tensor): Tensor {
    if (!(input instanceof Tensor)) throw new TypeError(`${this.constructor.name}.forward(): input must be a Tensor`);
    this.checkInputDim(input);
    if (this.momentum === null) throw new TypeError("instance_norm(): argument 'momentum' must be float, not NoneType");
    const run = (x: Tensor) =>
      instanceNorm(x, this.running_mean, this.running_var, this.weight, this.bias, this.training || !this.trackRunningStats, this.momentum as number, this.eps);
    return input.ndim === this.noBatchDim ? run(input.unsqueeze(0)).squeeze(0) : run(input);
  }
}

export class InstanceNorm1d extends InstanceNorm {
  protected readonly noBatchDim = 2;
  protected readonly inputDims = [2, 3];
}

export class InstanceNorm2d extends InstanceNorm {
  protected readonly noBatchDim = 3;
  protected readonly inputDims = [3, 4];
}

export class InstanceNorm3d extends InstanceNorm {
  protected readonly noBatchDim = 4;
  protected readonly inputDims = [4, 5];
}

/** nn.LocalResponseNorm(size, alpha = 1e-4, beta = 0.75, k = 1): F.localResponseNorm as a module (AlexNet). */
export class LocalResponseNorm extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
  constructor(size: number | { size: number; alpha?: number; beta?: number; k?: number }, alpha?: number, beta?: number, k?: number);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ size: number; alpha: number; beta: number; k: number }>("LocalResponseNorm", args, ["size", "alpha", "beta", "k"], { alpha: 1e-4, beta: 0.75, k: 1 });
    this.size = o.size;
    this.alpha = o.alpha;
    this.beta = o.beta;
    this.k = o.k;
  }
  forward(input: Tensor): Tensor {
    return localResponseNorm(input, this.size, this.alpha, this.beta, this.k);
  }
  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}

export interface LayerNormOptions {
  normalizedShape?: number | readonly number[];
  eps?: number;
  elementwiseAffine?: boolean;
  device?: string | null;
  dtype?: string | null;
}

/** Normalizes over the trailing normalizedShape dims of each sample, with elementwise weight and bias. */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options?: LayerNormOptions);
  constructor(normalizedShape: number | readonly number[], eps?: number, elementwiseAffine?: boolean);
  constructor(options: LayerNormOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<Required<LayerNormOptions>>("LayerNorm", args, ["normalizedShape", "eps", "elementwiseAffine", "device", "dtype"], {
      eps: 1e-5, elementwiseAffine: true, device: null, dtype: null,
    });
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
    this.normalizedShape = normalizedShapeOf("LayerNorm", o.normalizedShape);
    this.eps = checkNumber("LayerNorm", "eps", o.eps);
    this.elementwiseAffine = checkBool("LayerNorm", "elementwiseAffine", o.elementwiseAffine);
    const n = this.normalizedShape.reduce((a, b) => a * b, 1);
    this.weight = this.elementwiseAffine ? new Parameter(ones(n).reshape(this.normalizedShape)) : null;
    this.bias = this.elementwiseAffine ? new Parameter(zeros(n).reshape(this.normalizedShape)) : null;
  }

  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyRepr(this.elementwiseAffine)}`;
  }
}

export interface GroupNormOptions {
  numGroups?: number;
  numChannels?: number;
  eps?: number;
  affine?: boolean;
  device?: string | null;
  dtype?: string | null;
}

/** Normalizes groups of channels of each sample, with per-channel weight and bias. */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options?: GroupNormOptions);
  constructor(numGroups: number, numChannels: number, eps?: number, affine?: boolean);
  constructor(options: GroupNormOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<Required<GroupNormOptions>>("GroupNorm", args, ["numGroups", "numChannels", "eps", "affine", "device", "dtype"], {
      eps: 1e-5, affine: true, device: null, dtype: null,
    });
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
    this.numGroups = checkInt("GroupNorm", "numGroups", o.numGroups);
    this.numChannels = checkInt("GroupNorm", "numChannels", o.numChannels);
    if (this.numGroups <= 0 || this.numChannels % this.numGroups !== 0) throw new RangeError("num_channels must be divisible by num_groups");
    this.eps = checkNumber("GroupNorm", "eps", o.eps);
    this.affine = checkBool("GroupNorm", "affine", o.affine);
    this.weight = this.affine ? new Parameter(ones(this.numChannels)) : null;
    this.bias = this.affine ? new Parameter(zeros(this.numChannels)) : null;
  }

  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyRepr(this.affine)}`;
  }
}
