// torch.* random sampling functions beyond rand / randn / randint / randperm / multinomial: normal
// (its four forms), bernoulli, poisson, binomial and randint_like, each drawing from the default
// generator or `{ generator }` as PyTorch 1.13's CPU kernels do (see lib/ops/random_dists.ts and
// lib/ops/random_counts.ts). Their gradients are PyTorch's: zeros (NormalBackward1..3,
// BernoulliBackward0, PoissonBackward0); binomial's derivative is not implemented.
// ref: aten/src/ATen/native/DistributionTemplates.h (normal_impl, normal_out_impl, the std checks),
//      aten/src/ATen/native/Distributions.cpp (bernoulli, poisson, binomial), TensorFactories.cpp
//      (randint_like), tools/autograd/derivatives.yaml.
import { Tensor } from "./tensor.js";
import type { DType } from "./backend/types.js";
import { isFloating, parseDType } from "./dtype.js";
import { checkDevice, type DeviceLike } from "./device.js";
import { checkShape, broadcastShapes } from "./shape.js";
import { isGradEnabled } from "./autograd/grad_mode.js";
import { Function as AutogradFunction } from "./autograd/function.js";
import { zerosLike } from "./ops/creation.js";
import * as ew from "./ops/elementwise.js";
import { checkNormalArgs, fillNormal, type Generator } from "./ops/random.js";
import { bernoulliScalar_, bernoulliTensor_, generatorOf, notImplemented, random_ } from "./ops/random_dists.js";
import { binomial as binomialOp, poisson as poissonOp } from "./ops/random_counts.js";
import { isOptions } from "./nn/args.js";

export interface NormalOptions {
  generator?: Generator | null;
  dtype?: DType | string;
  device?: DeviceLike | null;
  requiresGrad?: boolean;
  size?: readonly number[];
  mean?: number | Tensor;
  std?: number | Tensor;
}

export interface GeneratorOptions {
  generator?: Generator | null;
}

/** torch.bernoulli's keywords. */
export interface BernoulliOptions extends GeneratorOptions {
  p?: number;
}

/**
 * out, with a graph node named `name` whose gradient for each tensor input is zeros (PyTorch's
 * `at::zeros_like(grad)` for the sampling ops), when grad is on and an input requires it.
 */
function zeroGrad(out: Tensor, inputs: Tensor[], name: string): Tensor {
  if (!isGradEnabled() || !isFloating(out.dtype) || !inputs.some((t) => t.requiresGrad)) return out;
  class ZeroGrad extends AutogradFunction {
    static override gradFnName = name;
    static override forward(): Tensor {
      return out;
    }
    static override backward(): (Tensor | null)[] {
      return inputs.map((t) => zerosLike(t));
    }
  }
  return ZeroGrad.apply(...inputs) as Tensor;
}

/** A graph node whose backward is PyTorch's "the derivative for 'fn' is not implemented." */
function notDifferentiable(out: Tensor, inputs: Tensor[], fn: string): Tensor {
  if (!isGradEnabled() || !isFloating(out.dtype) || !inputs.some((t) => t.requiresGrad)) return out;
  class NotImplemented extends AutogradFunction {
    static override gradFnName = "NotImplemented";
    static override forward(): Tensor {
      return out;
    }
    static override backward(): (Tensor | null)[] {
      throw new Error(`the derivative for '${fn}' is not implemented.`);
    }
  }
  return NotImplemented.apply(...inputs) as Tensor;
}

/** normal's std tensor check (CHECK_NORMAL_TENSOR_STD): every element >= 0, NaN refused. */
function checkStdTensor(std: Tensor): void {
  if (std.numel() === 0) return;
  const s = ew.cast(std.detach(), "float64").contiguous().typedArray;
  for (let i = 0; i < s.length; i++) if (!(s[i] >= 0)) throw new Error("normal expects all elements of std >= 0.0");
}

/** Normals (mean 0, std `std`) in dtype's kernel, as normal_ on a fresh contiguous tensor of `shape`. */
function standardNormals(shape: readonly number[], std: number, dtype: DType, gen: Generator): Tensor {
  if (!isFloating(dtype)) throw notImplemented("normal_kernel_cpu", dtype);
  return fillNormal(shape, 0, std, gen, dtype as "float32" | "float64" | "float16" | "bfloat16");
}

/**
 * torch.normal, all four forms:
 *   normal(mean: Tensor, std = 1, { generator })        mean's shape and dtype: N(0, std) + mean
 *   normal(mean: number, std: Tensor, { generator })    std's shape and dtype:  N(0, 1) * std + mean
 *   normal(mean: Tensor, std: Tensor, { generator })    the broadcast shape, mean's dtype
 *   normal(mean: number, std: number, size, { generator, dtype, requiresGrad })
 * Keyword forms: normal({ mean, std, size, generator }) and normal(mean, std, { size }).
 */
export function normal(...args: unknown[]): Tensor {
  let opts: NormalOptions = {};
  if (args.length > 0 && isOptions(args[args.length - 1])) opts = args.pop() as NormalOptions;
  let [mean, std, size] = args as [unknown, unknown, unknown];
  mean ??= opts.mean;
  std ??= opts.std;
  size ??= opts.size;
  const gen = generatorOf(opts.generator);
  if (mean instanceof Tensor && std === undefined) std = 1;
  if (mean instanceof Tensor && typeof std === "number") {
    // normal.Tensor_float: normal_(0, std) on an empty_like(mean), then + mean.
    checkNormalArgs(0, std);
    const out = standardNormals(mean.shape, std, mean.dtype, gen).add(mean.detach());
    return zeroGrad(ew.cast(out, mean.dtype), [mean], "NormalBackward1");
  }
  if (typeof mean === "number" && std instanceof Tensor) {
    // normal.float_Tensor: normal_(0, 1) on an empty_like(std), then * std + mean (in std's dtype).
    checkNormalArgs(mean, 0);
    checkStdTensor(std);
    const n = standardNormals(std.shape, 1, std.dtype, gen);
    const out = ew.cast(n.mul(std.detach()), std.dtype).add(ew.scalarTensor(mean, std.dtype));
    return zeroGrad(ew.cast(out, std.dtype), [std], "NormalBackward2");
  }
  if (mean instanceof Tensor && std instanceof Tensor) {
    // normal.Tensor_Tensor: normal_(0, 1) on the broadcast shape in mean's dtype, * std, + mean.
    checkStdTensor(std);
    const shape = broadcastShapes(mean.shape, std.shape);
    const n = standardNormals(shape, 1, mean.dtype, gen);
    const out = ew.cast(ew.cast(n.mul(std.detach()), mean.dtype).add(mean.detach()), mean.dtype);
    return zeroGrad(out, [mean, std], "NormalBackward3");
  }
  if (typeof mean === "number" && typeof std === "number") {
    if (size === undefined) {
      throw new TypeError("normal() received an invalid combination of arguments - got (float, float), but expected (float mean, float std, tuple of ints size, *, torch.Generator generator)");
    }
    if (!Array.isArray(size)) throw new TypeError("normal(): argument 'size' must be tuple of ints");
    checkDevice(opts.device, "normal");
    const dtype = opts.dtype === undefined ? "float32" : parseDType(opts.dtype, "normal");
    checkNormalArgs(mean, std);
    if (!isFloating(dtype)) throw notImplemented("normal_kernel_cpu", dtype);
    const t = fillNormal(checkShape(size, "normal"), mean, std, gen, dtype as "float32" | "float64" | "float16" | "bfloat16");
    if (opts.requiresGrad) t.requiresGrad = true;
    return t;
  }
  throw new TypeError(`normal() received an invalid combination of arguments - got (${typeName(mean)}, ${typeName(std)})`);
}

function typeName(v: unknown): string {
  return v instanceof Tensor ? "Tensor" : typeof v === "number" ? "float" : v === undefined ? "missing" : typeof v;
}

/** An uninitialized tensor of t's shape whose strides follow t's order (empty_like's preserve_format). */
function emptyPreserve(t: Tensor, dtype: DType): Tensor {
  const order = t.shape.map((_, i) => i).sort((a, b) => t.strides[b] - t.strides[a] || a - b);
  const back = order.map((_, i) => order.indexOf(i));
  return Tensor.empty(order.map((i) => t.shape[i]), dtype).permute(back);
}

/**
 * torch.bernoulli(input, { generator }): 0/1 in input's dtype, 1 with probability input[i]
 * (BernoulliBackward0: zero gradient); torch.bernoulli(input, p) with a float p: input's shape and
 * dtype (any but float16 / bfloat16), each 1 with probability p.
 */
export function bernoulli(input: Tensor, p?: number | BernoulliOptions | Generator | null, opts?: GeneratorOptions | Generator): Tensor {
  if (typeof p === "object" && p !== null && !(p instanceof Tensor) && opts === undefined) {
    // bernoulli(input, { p, generator }): PyTorch's keywords
    const kw = p as { p?: number };
    [p, opts] = [kw.p, p as GeneratorOptions];
  }
  const gen = generatorOf(opts);
  if (typeof p === "number") return bernoulliScalar_(emptyPreserve(input, input.dtype), p, gen);
  if (p !== undefined && p !== null) throw new TypeError(`bernoulli(): argument 'p' must be float, not ${typeName(p)}`);
  const out = bernoulliTensor_(emptyPreserve(input, input.dtype), input, gen);
  return zeroGrad(out, [input], "BernoulliBackward0");
}

/** torch.poisson(rates, { generator }): Poisson counts in rates' dtype (PoissonBackward0: zero gradient). */
export function poisson(rates: Tensor, opts?: GeneratorOptions | Generator): Tensor {
  return zeroGrad(poissonOp(rates, generatorOf(opts)), [rates], "PoissonBackward0");
}

/** torch.binomial(count, prob, { generator }): Binomial(count, prob) draws in count's dtype. */
export function binomial(count: Tensor, prob: Tensor, opts?: GeneratorOptions | Generator): Tensor {
  return notDifferentiable(binomialOp(count, prob, generatorOf(opts)), [count, prob], "binomial");
}

export interface RandintLikeOptions extends GeneratorOptions {
  dtype?: DType | string;
  device?: DeviceLike | null;
  requiresGrad?: boolean;
}

/** torch.randint_like(input, high) / (input, low, high), { dtype, generator }: input's shape,
 *  its dtype unless dtype is given, integers in [low, high) drawn as random_(low, high). */
export function randintLike(input: Tensor, a: number, b?: number | RandintLikeOptions, opts: RandintLikeOptions = {}): Tensor {
  if (typeof b === "object" && b !== null) [b, opts] = [undefined, b];
  const [low, high] = b === undefined ? [0, a] : [a, b];
  checkDevice(opts.device, "randint_like");
  const dtype = opts.dtype === undefined ? input.dtype : parseDType(opts.dtype, "randint_like");
  const t = random_(emptyPreserve(input, dtype), low, high, generatorOf(opts.generator));
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}
