// torch.utils.data's samplers: iterables of dataset indices (or, for BatchSampler, of index lists)
// that a DataLoader walks. Each __iter__ of PyTorch 1.13 is a lazy JS generator here, so random draws
// happen at the same moments as in PyTorch and seeded runs interleave identically with other draws.
// No DistributedSampler. ref: torch/utils/data/sampler.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { defaultGenerator, fillRandint, Generator, randperm } from "../ops/random.js";
import { multinomial } from "./multinomial.js";

/** What a DataLoader accepts as a sampler: any iterable, with a length if len(loader) is wanted. */
export type SamplerLike<T = number> = Iterable<T> & { readonly length?: number };

/**
 * Base class of all samplers: an iterable of indices. A length (PyTorch's __len__) is optional, as
 * in PyTorch: without one, len(dataloader) is an error but iterating works.
 */
export abstract class Sampler<T = number> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;

  get length(): number {
    throw new TypeError(`object of type '${this.constructor.name}' has no len()`);
  }
}

/** len(sampler): its length, or PyTorch's TypeError for an iterable without one. */
export function samplerLength(s: SamplerLike<unknown>): number {
  const n = (s as { length?: unknown }).length;
  if (typeof n !== "number") throw new TypeError(`object of type '${s?.constructor?.name ?? typeof s}' has no len()`);
  return n;
}

export function checkSamplerLike(s: unknown, what: string): asserts s is SamplerLike<unknown> {
  if (s === null || (typeof s !== "object" && typeof s !== "function") || typeof (s as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new TypeError(`${what} must be an iterable (a Sampler, an array or a generator object), got ${s === null ? "null" : typeof s}`);
  }
}

function checkGenerator(generator: unknown, what: string): Generator | undefined {
  if (generator !== undefined && generator !== null && !(generator instanceof Generator)) {
    throw new TypeError(`${what}: generator must be a torch.Generator`);
  }
  return (generator ?? undefined) as Generator | undefined;
}

function checkBool(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw new TypeError(`${name} should be a boolean value, but got ${name}=${String(value)}`);
  return value;
}

function isPositiveInt(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x > 0;
}

/** PyTorch's random64() from two 32-bit words, the first one high. */
export function random64(gen: Generator): bigint {
  const hi = gen.nextUint32();
  const lo = gen.nextUint32();
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** 0, 1, ..., len(dataSource) - 1, in order; the length is read when iteration starts. */
export class SequentialSampler extends Sampler<number> {
  constructor(readonly dataSource: { readonly length: number }) {
    super();
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    for (let i = 0; i < n; i++) yield i;
  }

  override get length(): number {
    return this.dataSource.length;
  }
}

export interface RandomSamplerOptions {
  /** Draw with replacement (default false: a permutation). */
  replacement?: boolean;
  /** How many indices per pass; default len(dataSource). Without replacement, more than that chains permutations. */
  numSamples?: number;
  /** Source of the order; default: a fresh generator per pass, seeded from the global one. */
  generator?: Generator;
}

/**
 * Random indices into dataSource: permutations (randperm) without replacement, else randint in
 * chunks of 32, exactly as PyTorch 1.13 draws them.
 */
export class RandomSampler extends Sampler<number> {
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  private readonly numSamplesOption: number | undefined;

  constructor(readonly dataSource: { readonly length: number }, options: RandomSamplerOptions = {}) {
    super();
    const { replacement = false, numSamples, generator } = options;
    this.replacement = checkBool(replacement, "replacement");
    this.numSamplesOption = numSamples ?? undefined;
    this.generator = checkGenerator(generator, "RandomSampler");
    if (!isPositiveInt(this.numSamples)) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${this.numSamples}`);
    }
  }

  get numSamples(): number {
    return this.numSamplesOption ?? this.dataSource.length;
  }

  override get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    // NOTE: without a generator, each pass seeds a new one from a 64-bit draw of the global generator;
    // mt19937 keeps only the seed's low 32 bits, which is the second 32-bit word.
    const gen = this.generator ?? new Generator(Number(random64(defaultGenerator) & 0xffffffffn));
    const total = this.numSamples;
    if (this.replacement) {
      if (n === 0) throw new RangeError("RandomSampler: cannot draw samples with replacement from an empty data source");
      const randint = (size: number) => Array.from(fillRandint([size], 0, n, gen).storage() as Float64Array);
      for (let i = 0; i < Math.floor(total / 32); i++) yield* randint(32);
      yield* randint(total % 32);
    } else {
      if (n === 0) throw new RangeError("RandomSampler: cannot draw a permutation of an empty data source");
      const perm = () => Array.from(randperm(n, { generator: gen }).storage() as Float64Array);
      for (let i = 0; i < Math.floor(total / n); i++) yield* perm();
      // NOTE: PyTorch draws this last permutation even when it keeps none of it (total % n === 0).
      yield* perm().slice(0, total % n);
    }
  }
}

/** The given indices in a random order (randperm of their count), without replacement. */
export class SubsetRandomSampler extends Sampler<number> {
  readonly indices: readonly number[];
  readonly generator: Generator | undefined;

  constructor(indices: readonly number[] | Tensor, options: { generator?: Generator } = {}) {
    super();
    const list = indices instanceof Tensor ? (indices.tolist() as number[]) : indices;
    if (!Array.isArray(list) || (indices instanceof Tensor && indices.ndim !== 1)) {
      throw new TypeError("SubsetRandomSampler: indices must be an array of integers or a 1-d Tensor");
    }
    this.indices = list;
    this.generator = checkGenerator(options.generator, "SubsetRandomSampler");
  }

  override get length(): number {
    return this.indices.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    const order = randperm(this.indices.length, { generator: this.generator }).storage() as Float64Array;
    for (const i of order) yield this.indices[i];
  }
}

export interface WeightedRandomSamplerOptions {
  /** Draw with replacement (default true); without, numSamples may not exceed the number of weights. */
  replacement?: boolean;
  /** Source of the draws; default: the global generator. */
  generator?: Generator;
}

/** Indices 0..len(weights)-1 drawn with probabilities proportional to weights (torch.multinomial). */
export class WeightedRandomSampler extends Sampler<number> {
  /** The weights as float64 values (PyTorch keeps a float64 tensor; torchlet has no float64 dtype). */
  readonly weights: readonly number[];
  readonly replacement: boolean;
  readonly generator: Generator | undefined;

  constructor(weights: readonly number[] | Tensor, readonly numSamples: number, options: WeightedRandomSamplerOptions = {}) {
    super();
    const { replacement = true, generator } = options;
    if (!isPositiveInt(numSamples)) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${numSamples}`);
    }
    this.replacement = checkBool(replacement, "replacement");
    // NOTE: PyTorch keeps the weights as float64; float32 weights convert to float64 exactly.
    let shape: readonly number[];
    let values: number[];
    if (weights instanceof Tensor) {
      shape = weights.shape;
      values = Array.from(weights.contiguous().storage() as ArrayLike<number>);
    } else if (Array.isArray(weights) && weights.every((w) => typeof w === "number")) {
      shape = [weights.length];
      values = [...weights];
    } else {
      throw new TypeError("WeightedRandomSampler: weights must be an array of numbers or a 1-d Tensor");
    }
    if (shape.length !== 1) {
      throw new RangeError(`weights should be a 1d sequence but given weights have shape (${shape.join(", ")}${shape.length === 1 ? "," : ""})`);
    }
    this.weights = Object.freeze(values);
    this.generator = checkGenerator(generator, "WeightedRandomSampler");
  }

  override get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    yield* multinomial(this.weights, this.numSamples, this.replacement, this.generator ?? defaultGenerator);
  }
}

/** Groups another sampler's indices into lists of batchSize (the last one shorter unless dropLast).
 *  T is null only over an IterableDataset's InfiniteConstantSampler (iterable_dataset.ts). */
export class BatchSampler<T extends number | null = number> extends Sampler<T[]> {
  constructor(readonly sampler: SamplerLike<T>, readonly batchSize: number, readonly dropLast: boolean) {
    super();
    checkSamplerLike(sampler, "BatchSampler: sampler");
    if (!isPositiveInt(batchSize)) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${batchSize}`);
    }
    checkBool(dropLast, "drop_last");
  }

  override get length(): number {
    const n = samplerLength(this.sampler);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  // NOTE: a full batch is handed out before the next index is asked for, and a short last batch
  // only after the sampler ran out, as in PyTorch: the timing of a random sampler's draws depends on it.
  *[Symbol.iterator](): Iterator<T[]> {
    const it = this.sampler[Symbol.iterator]();
    for (;;) {
      const batch: T[] = [];
      while (batch.length < this.batchSize) {
        const r = it.next();
        if (r.done) {
          if (batch.length > 0 && !this.dropLast) yield batch;
          return;
        }
        batch.push(r.value);
      }
      yield batch;
    }
  }
}
