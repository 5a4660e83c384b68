// The lazy modules: LazyLinear, LazyConv1d/2d/3d, LazyBatchNorm1d/2d/3d. Their input size
// (in_features, in_channels, num_features) is read from the first input; until then the parameters
// (and BatchNorm's running stats) are UninitializedParameter placeholders holding no values. At the
// first call the parameters are made and initialised as the eager module's reset_parameters does,
// drawing from the global generator then (so a seeded lazy model equals the eager one built at that
// point), and the module becomes its eager class (PyTorch's cls_to_become: it prints as Linear).
// ref: torch/nn/modules/lazy.py, linear.py LazyLinear, conv.py _LazyConvXdMixin, batchnorm.py
// _LazyNormBase (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { Parameter } from "./module.js";
import { Linear, type LinearOptions } from "./linear.js";
import { Conv1d, Conv2d, Conv3d, type ConvModuleOptions } from "./conv.js";
import { BatchNorm1d, BatchNorm2d, BatchNorm3d, type NormOptions } from "./normalization.js";
import { checkBool, checkInt, isOptions, parseArgs } from "./args.js";
import type { DType } from "../backend/types.js";
import { warn } from "./warnings.js";

const LAZY_WARNING = "Lazy modules are a new feature under heavy development so changes to the API or functionality can happen at any moment.";

/** A parameter whose shape is not known yet (PyTorch's nn.UninitializedParameter): no values, prints as such. */
export class UninitializedParameter extends Parameter {
  constructor(requiresGrad = true) {
    super(Tensor.empty([0], "float32"), requiresGrad);
  }
  override toString(): string {
    return "<UninitializedParameter>";
  }
}

const isUninit = (t: unknown) => t instanceof UninitializedParameter;
const mutable = (m: object) => m as Record<string, unknown>;

/**
 * loadStateDict into a lazy module (PyTorch's _lazy_load_hook): each uninitialized parameter or
 * buffer named in the checkpoint takes the checkpoint's shape (its values are then copied by the
 * load); `sizes` then sets the inferred size attribute from the weight's shape. Returns true when
 * nothing is left uninitialized.
 */
function lazyLoad(m: object, sd: Map<string, Tensor>, prefix: string, names: string[], sizes: (w: Tensor) => void): boolean {
  const f = m as Record<string, unknown>;
  for (const name of names) {
    const cur = f[name];
    const src = sd.get(prefix + name);
    if (!isUninit(cur) || !(src instanceof Tensor)) continue;
    const dtype = (f._lazyDtype as DType | undefined) ?? src.dtype;
    const fresh = Tensor.empty(src.shape, dtype);
    f[name] = name.startsWith("running_") ? fresh : new Parameter(fresh, (cur as Parameter).requiresGrad);
    if (name === "weight") sizes(src);
  }
  return !names.some((n) => isUninit(f[n]));
}

/** Becomes `cls` (prototype swap): methods, repr and instanceof are the eager class's from now on. */
function become(m: object, cls: { prototype: object }): void {
  Object.setPrototypeOf(m, cls.prototype);
}

/** nn.LazyLinear(outFeatures, bias = true): in_features from the first input's last dim. */
export class LazyLinear extends Linear {
  constructor(outFeatures: number, options?: Omit<LinearOptions, "inFeatures" | "outFeatures">);
  constructor(options: Omit<LinearOptions, "inFeatures">);
  constructor(...args: unknown[]) {
    const o = parseArgs<{ outFeatures: number; bias: boolean; device: unknown; dtype: unknown }>(
      "LazyLinear", args, ["outFeatures", "bias", "device", "dtype"], { bias: true, device: null, dtype: null },
    );
    super(0, 0, { bias: false });
    warn(LAZY_WARNING);
    mutable(this).outFeatures = checkInt("LazyLinear", "outFeatures", o.outFeatures);
    this.weight = new UninitializedParameter();
    this.bias = checkBool("LazyLinear", "bias", o.bias) ? new UninitializedParameter() : null;
    mutable(this)._lazyDtype = (o.dtype as DType | null) ?? "float32";
  }
  /** Skipped while in_features is 0 (PyTorch's LazyLinear.reset_parameters). */
  override resetParameters(): void {
    if (this.inFeatures !== 0 && !isUninit(this.weight)) super.resetParameters();
  }
  /** True until the first call (or a loadStateDict) has made the parameters. */
  hasUninitializedParams(): boolean {
    return isUninit(this.weight) || isUninit(this.bias);
  }
  /** @internal loadStateDict: the checkpoint's shapes. */
  _lazyLoadHook(sd: Map<string, Tensor>, prefix: string): void {
    if (lazyLoad(this, sd, prefix, ["weight", "bias"], (w) => (mutable(this).inFeatures = w.shape[1]))) {
      delete mutable(this)._lazyDtype;
      become(this, Linear);
    }
  }
  override forward(input: Tensor): Tensor {
    if (this.hasUninitializedParams()) {
      const dtype = (mutable(this)._lazyDtype as DType) ?? "float32";
      const inF = input.shape[input.ndim - 1];
      mutable(this).inFeatures = inF;
      this.weight = new Parameter(Tensor.empty([this.outFeatures, inF], dtype), this.weight.requiresGrad);
      if (this.bias !== null) this.bias = new Parameter(Tensor.empty([this.outFeatures], dtype), this.bias.requiresGrad);
      this.resetParameters();
      delete mutable(this)._lazyDtype;
      become(this, Linear);
    }
    return super.forward(input);
  }
}

type ConvLike = Conv1d | Conv2d | Conv3d;
type LazyConvOptions = Omit<ConvModuleOptions, "inChannels" | "outChannels" | "kernelSize">;

function lazyConvArgs(name: string, args: unknown[]) {
  const o = parseArgs<Record<string, unknown>>(
    name, args, ["outChannels", "kernelSize", "stride", "padding", "dilation", "groups", "bias", "paddingMode", "device", "dtype"],
    { stride: 1, padding: 0, dilation: 1, groups: 1, bias: true, paddingMode: "zeros", device: null, dtype: null },
  );
  const { outChannels, kernelSize, bias, device, dtype, ...rest } = o;
  void device;
  return { outChannels, kernelSize: kernelSize as number | number[], bias, dtype, opts: { ...(rest as ConvModuleOptions), bias: false } };
}

function lazyConvSetup(m: ConvLike, name: string, p: ReturnType<typeof lazyConvArgs>): void {
  warn(LAZY_WARNING);
  mutable(m).outChannels = checkInt(name, "outChannels", p.outChannels);
  m.weight = new UninitializedParameter();
  m.bias = checkBool(name, "bias", p.bias) ? new UninitializedParameter() : null;
  mutable(m)._lazyDtype = (p.dtype as DType | null) ?? "float32";
}

/** At the first call: in_channels from the input (dim 1, or dim 0 unbatched), the parameters made and initialised. */
function lazyConvMaterialize(m: ConvLike, input: Tensor, n: number, cls: { prototype: object }): void {
  if (!(isUninit(m.weight) || isUninit(m.bias))) return;
  const dtype = (mutable(m)._lazyDtype as DType) ?? "float32";
  const inC = input.ndim === n + 1 ? input.shape[0] : input.shape[1];
  if (inC % m.groups !== 0) throw new RangeError("in_channels must be divisible by groups");
  mutable(m).inChannels = inC;
  m.weight = new Parameter(Tensor.empty([m.outChannels, inC / m.groups, ...m.kernelSize], dtype), m.weight.requiresGrad);
  if (m.bias !== null) m.bias = new Parameter(Tensor.empty([m.outChannels], dtype), m.bias.requiresGrad);
  m.resetParameters();
  delete mutable(m)._lazyDtype;
  become(m, cls);
}

/** nn.LazyConv1d(outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode). */
export class LazyConv1d extends Conv1d {
  constructor(outChannels: number, kernelSize: number | number[], options?: LazyConvOptions);
  constructor(...args: unknown[]) {
    const p = lazyConvArgs("LazyConv1d", args);
    super(0, 0, p.kernelSize, p.opts);
    lazyConvSetup(this, "LazyConv1d", p);
  }
  override resetParameters(): void {
    if (this.inChannels !== 0 && !isUninit(this.weight)) super.resetParameters();
  }
  hasUninitializedParams(): boolean {
    return isUninit(this.weight) || isUninit(this.bias);
  }
  override forward(input: Tensor): Tensor {
    lazyConvMaterialize(this, input, 1, Conv1d);
    return super.forward(input);
  }
  /** @internal loadStateDict: the checkpoint's shapes. */
  _lazyLoadHook(sd: Map<string, Tensor>, prefix: string): void {
    if (lazyLoad(this, sd, prefix, ["weight", "bias"], (w) => (mutable(this).inChannels = w.shape[1] * this.groups))) {
      delete mutable(this)._lazyDtype;
      become(this, Conv1d);
    }
  }
}

/** nn.LazyConv2d(outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode). */
export class LazyConv2d extends Conv2d {
  constructor(outChannels: number, kernelSize: number | number[], options?: LazyConvOptions);
  constructor(...args: unknown[]) {
    const p = lazyConvArgs("LazyConv2d", args);
    super(0, 0, p.kernelSize, p.opts);
    lazyConvSetup(this, "LazyConv2d", p);
  }
  override resetParameters(): void {
    if (this.inChannels !== 0 && !isUninit(this.weight)) super.resetParameters();
  }
  hasUninitializedParams(): boolean {
    return isUninit(this.weight) || isUninit(this.bias);
  }
  override forward(input: Tensor): Tensor {
    lazyConvMaterialize(this, input, 2, Conv2d);
    return super.forward(input);
  }
  /** @internal loadStateDict: the checkpoint's shapes. */
  _lazyLoadHook(sd: Map<string, Tensor>, prefix: string): void {
    if (lazyLoad(this, sd, prefix, ["weight", "bias"], (w) => (mutable(this).inChannels = w.shape[1] * this.groups))) {
      delete mutable(this)._lazyDtype;
      become(this, Conv2d);
    }
  }
}

/** nn.LazyConv3d(outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode). */
export class LazyConv3d extends Conv3d {
  constructor(outChannels: number, kernelSize: number | number[], options?: LazyConvOptions);
  constructor(...args: unknown[]) {
    const p = lazyConvArgs("LazyConv3d", args);
    super(0, 0, p.kernelSize, p.opts);
    lazyConvSetup(this, "LazyConv3d", p);
  }
  override resetParameters(): void {
    if (this.inChannels !== 0 && !isUninit(this.weight)) super.resetParameters();
  }
  hasUninitializedParams(): boolean {
    return isUninit(this.weight) || isUninit(this.bias);
  }
  override forward(input: Tensor): Tensor {
    lazyConvMaterialize(this, input, 3, Conv3d);
    return super.forward(input);
  }
  /** @internal loadStateDict: the checkpoint's shapes. */
  _lazyLoadHook(sd: Map<string, Tensor>, prefix: string): void {
    if (lazyLoad(this, sd, prefix, ["weight", "bias"], (w) => (mutable(this).inChannels = w.shape[1] * this.groups))) {
      delete mutable(this)._lazyDtype;
      become(this, Conv3d);
    }
  }
}

type NormLike = BatchNorm1d | BatchNorm2d | BatchNorm3d;
type LazyNormOptions = Omit<NormOptions, "numFeatures">;

function lazyNormArgs(name: string, args: unknown[]): NormOptions {
  if (args.length === 1 && isOptions(args[0])) return args[0] as NormOptions;
  return parseArgs<Record<string, unknown>>(name, args, ["eps", "momentum", "affine", "trackRunningStats", "device", "dtype"], {
    eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true, device: null, dtype: null,
  }) as NormOptions;
}

function lazyNormSetup(m: NormLike): void {
  warn(LAZY_WARNING);
  if (m.weight !== null) m.weight = new UninitializedParameter();
  if (m.bias !== null) m.bias = new UninitializedParameter();
  if (m.running_mean !== null) m.running_mean = new UninitializedParameter(false);
  if (m.running_var !== null) m.running_var = new UninitializedParameter(false);
}

const normUninit = (m: NormLike) => [m.weight, m.bias, m.running_mean, m.running_var].some(isUninit);

/** At the first call: num_features from the input's dim 1; weight 1, bias 0, running mean 0 and var 1. */
function lazyNormMaterialize(m: NormLike, input: Tensor, cls: { prototype: object }): void {
  if (!normUninit(m)) return;
  const c = input.shape[1];
  mutable(m).numFeatures = c;
  const ones = () => Tensor.fromStorage(new Float32Array(c).fill(1), [c]);
  const zeros = () => Tensor.fromStorage(new Float32Array(c), [c]);
  if (m.weight !== null) m.weight = new Parameter(ones());
  if (m.bias !== null) m.bias = new Parameter(zeros());
  if (m.running_mean !== null) m.running_mean = zeros();
  if (m.running_var !== null) m.running_var = ones();
  become(m, cls);
}

/** nn.LazyBatchNorm1d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true). */
export class LazyBatchNorm1d extends BatchNorm1d {
  constructor(eps?: number | LazyNormOptions, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean);
  constructor(...args: unknown[]) {
    super(0, lazyNormArgs("LazyBatchNorm1d", args));
    lazyNormSetup(this);
  }
  hasUninitializedParams(): boolean {
    return normUninit(this);
  }
  override forward(input: Tensor): Tensor {
    lazyNormMaterialize(this, input, BatchNorm1d);
    return super.forward(input);
  }
  /** @internal loadStateDict: the checkpoint's shapes. */
  _lazyLoadHook(sd: Map<string, Tensor>, prefix: string): void {
    const names = ["weight", "bias", "running_mean", "running_var"];
    const src = names.map((n) => sd.get(prefix + n)).find((t) => t instanceof Tensor);
    if (src !== undefined) mutable(this).numFeatures = src.shape[0];
    if (lazyLoad(this, sd, prefix, names, () => undefined)) become(this, BatchNorm1d);
  }
}

/** nn.LazyBatchNorm2d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true). */
export class LazyBatchNorm2d extends BatchNorm2d {
  constructor(eps?: number | LazyNormOptions, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean);
  constructor(...args: unknown[]) {
    super(0, lazyNormArgs("LazyBatchNorm2d", args));
    lazyNormSetup(this);
  }
  hasUninitializedParams(): boolean {
    return normUninit(this);
  }
  override forward(input: Tensor): Tensor {
    lazyNormMaterialize(this, input, BatchNorm2d);
    return super.forward(input);
  }
  /** @internal loadStateDict: the checkpoint's shapes. */
  _lazyLoadHook(sd: Map<string, Tensor>, prefix: string): void {
    const names = ["weight", "bias", "running_mean", "running_var"];
    const src = names.map((n) => sd.get(prefix + n)).find((t) => t instanceof Tensor);
    if (src !== undefined) mutable(this).numFeatures = src.shape[0];
    if (lazyLoad(this, sd, prefix, names, () => undefined)) become(this, BatchNorm2d);
  }
}

/** nn.LazyBatchNorm3d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true). */
export class LazyBatchNorm3d extends BatchNorm3d {
  constructor(eps?: number | LazyNormOptions, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean);
  constructor(...args: unknown[]) {
    super(0, lazyNormArgs("LazyBatchNorm3d", args));
    lazyNormSetup(this);
  }
  hasUninitializedParams(): boolean {
    return normUninit(this);
  }
  override forward(input: Tensor): Tensor {
    lazyNormMaterialize(this, input, BatchNorm3d);
    return super.forward(input);
  }
  /** @internal loadStateDict: the checkpoint's shapes. */
  _lazyLoadHook(sd: Map<string, Tensor>, prefix: string): void {
    const names = ["weight", "bias", "running_mean", "running_var"];
    const src = names.map((n) => sd.get(prefix + n)).find((t) => t instanceof Tensor);
    if (src !== undefined) mutable(this).numFeatures = src.shape[0];
    if (lazyLoad(this, sd, prefix, names, () => undefined)) become(this, BatchNorm3d);
  }
}
