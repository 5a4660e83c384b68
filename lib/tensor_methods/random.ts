// Tensor's random fills and draws beyond uniform_ / normal_: bernoulli / bernoulli_, random_,
// exponential_, geometric_, logNormal_, cauchy_. Each takes PyTorch's generator keyword as a
// trailing `{ generator }` (or a Generator); the kernels are in lib/ops/random_dists.ts.
import { Tensor } from "../tensor.js";
import type { Generator } from "../ops/random.js";
import { bernoulliScalar_, bernoulliTensor_, cauchy_, exponential_, generatorOf, geometric_, logNormal_, random_ } from "../ops/random_dists.js";
import { bernoulli, type GeneratorOptions } from "../functional_random.js";

type Gen = GeneratorOptions | Generator | null;

declare module "../tensor.js" {
  interface Tensor {
    /** torch.bernoulli(self): 0/1 in self's dtype, 1 with probability self[i]; with a float p,
     *  1 with probability p everywhere. */
    bernoulli(p?: number | Gen, opts?: Gen): Tensor;
    /** Fills self with 0/1: 1 with probability p (a float, or a tensor broadcast to self's shape). */
    bernoulli_(p?: number | Tensor, opts?: Gen): this;
    bernoulli_(kw: { p?: number | Tensor; generator?: Generator | null }): this;
    /** random_() / random_(to) / random_(from, to) / random_(from, null): uniform integers, in place. */
    random_(from?: number | null, to?: number | null, opts?: Gen): this;
    random_(kw: { from?: number; to?: number | null; generator?: Generator | null }): this;
    /** Exponential(lambd) draws, in place. */
    exponential_(lambd?: number, opts?: Gen): this;
    exponential_(kw: { lambd?: number; generator?: Generator | null }): this;
    /** Geometric(p) draws (trials to the first success, from 1), in place. */
    geometric_(p: number, opts?: Gen): this;
    geometric_(kw: { p: number; generator?: Generator | null }): this;
    /** exp(Normal(mean, std)) draws, in place. */
    logNormal_(mean?: number, std?: number, opts?: Gen): this;
    logNormal_(kw: { mean?: number; std?: number; generator?: Generator | null }): this;
    /** Cauchy(median, sigma) draws, in place. */
    cauchy_(median?: number, sigma?: number, opts?: Gen): this;
    cauchy_(kw: { median?: number; sigma?: number; generator?: Generator | null }): this;
  }
}

const isGen = (v: unknown) => typeof v === "object" && v !== null && !(v instanceof Tensor);

Tensor.prototype.bernoulli = function (this: Tensor, p?: number | Gen, opts?: Gen): Tensor {
  return bernoulli(this, p, opts ?? undefined);
};

Tensor.prototype.bernoulli_ = function <T extends Tensor>(this: T, p: number | Tensor | Gen = 0.5, opts?: Gen): T {
  if (isGen(p)) [p, opts] = [0.5, p as Gen];
  const gen = generatorOf(opts);
  if (p instanceof Tensor) bernoulliTensor_(this, p, gen);
  else bernoulliScalar_(this, p as number, gen);
  return this;
};

Tensor.prototype.random_ = function <T extends Tensor>(this: T, from?: number | null | Gen, to?: number | null | Gen, opts?: Gen): T {
  if (isGen(from)) [from, to, opts] = [undefined, undefined, from as Gen];
  else if (isGen(to)) [to, opts] = [undefined, to as Gen];
  const gen = generatorOf(opts);
  if (from === undefined && to === undefined) random_(this, undefined, undefined, gen);
  else if (to === undefined) random_(this, from as number, undefined, gen); // random_(to)
  else random_(this, (from ?? 0) as number, to as number | null, gen);
  return this;
};

Tensor.prototype.exponential_ = function <T extends Tensor>(this: T, lambd: number | Gen = 1, opts?: Gen): T {
  if (isGen(lambd)) [lambd, opts] = [1, lambd as Gen];
  exponential_(this, lambd as number, generatorOf(opts));
  return this;
};

Tensor.prototype.geometric_ = function <T extends Tensor>(this: T, p: number | Gen, opts?: Gen): T {
  if (typeof p !== "number") throw new TypeError("geometric_() missing 1 required positional arguments: \"p\"");
  geometric_(this, p, generatorOf(opts));
  return this;
};

Tensor.prototype.logNormal_ = function <T extends Tensor>(this: T, mean: number | Gen = 1, std: number | Gen = 2, opts?: Gen): T {
  if (isGen(mean)) [mean, std, opts] = [1, 2, mean as Gen];
  else if (isGen(std)) [std, opts] = [2, std as Gen];
  logNormal_(this, mean as number, std as number, generatorOf(opts));
  return this;
};

Tensor.prototype.cauchy_ = function <T extends Tensor>(this: T, median: number | Gen = 0, sigma: number | Gen = 1, opts?: Gen): T {
  if (isGen(median)) [median, sigma, opts] = [0, 1, median as Gen];
  else if (isGen(sigma)) [sigma, opts] = [1, sigma as Gen];
  cauchy_(this, median as number, sigma as number, generatorOf(opts));
  return this;
};
