// torch.utils.data.DataLoader for map-style datasets, in-process: batches of batchSize indices
// (shuffled by a seeded generator or in order), each gathered by the dataset's batch() fast path when
// it offers one and the collate is the default, else by get(i) per index then collateFn.
// Draws from the generators exactly as PyTorch 1.13 does, so seeded runs shuffle identically.
// No worker processes, samplers or pinned memory. ref: torch/utils/data/dataloader.py, sampler.py.
import { defaultGenerator, Generator, randperm } from "../ops/random.js";
import { defaultCollate, type CollateFn } from "./collate.js";
import { checkDataset, type DatasetLike } from "./dataset.js";

export interface DataLoaderOptions<B> {
  batchSize?: number;
  shuffle?: boolean;
  dropLast?: boolean;
  collateFn?: CollateFn<B>;
  /** Source of the shuffle order (and of PyTorch's per-iterator base seed); default: the global one. */
  generator?: Generator;
}

export class DataLoader<B = any> implements Iterable<B> {
  readonly dataset: DatasetLike;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly collateFn: CollateFn<B>;
  readonly generator: Generator | undefined;

  constructor(dataset: DatasetLike, options: DataLoaderOptions<B> = {}) {
    checkDataset(dataset, "DataLoader");
    const { batchSize = 1, shuffle = false, dropLast = false, collateFn, generator } = options;
    if (!Number.isSafeInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`DataLoader: batch_size should be a positive integer value, but got batch_size=${batchSize}`);
    }
    if (typeof shuffle !== "boolean") throw new TypeError(`DataLoader: shuffle should be a boolean, got ${typeof shuffle}`);
    if (typeof dropLast !== "boolean") throw new TypeError(`DataLoader: dropLast should be a boolean, got ${typeof dropLast}`);
    if (collateFn !== undefined && typeof collateFn !== "function") throw new TypeError("DataLoader: collateFn must be a function");
    if (generator !== undefined && !(generator instanceof Generator)) throw new TypeError("DataLoader: generator must be a torch.Generator");
    if (shuffle && dataset.length === 0) {
      throw new RangeError("DataLoader: num_samples should be a positive integer value, but got num_samples=0 (shuffle needs a non-empty dataset)");
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.collateFn = collateFn ?? (defaultCollate as CollateFn<B>);
    this.generator = generator;
  }

  /** Number of batches, as len(dataloader). */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  [Symbol.iterator](): Iterator<B> {
    // NOTE: creating a PyTorch iterator draws a 64-bit base seed (for workers) whether or not it
    // shuffles; we draw it too so the global generator advances as in PyTorch.
    random64(this.generator ?? defaultGenerator);
    return this.batches();
  }

  /** [batchIndex, batch] pairs, as Python's enumerate(dataloader). */
  *entries(): IterableIterator<[number, B]> {
    let i = 0;
    for (const b of this) yield [i++, b];
  }

  private *batches(): IterableIterator<B> {
    const { order, pastEnd } = this.sampler();
    const n = order.length;
    const bs = this.batchSize;
    const fast = this.collateFn === defaultCollate && typeof this.dataset.batch === "function";
    for (let start = 0; start < n; start += bs) {
      const end = Math.min(start + bs, n);
      if (end - start < bs) {
        pastEnd(); // filling this short batch asked the sampler for one index too many
        if (this.dropLast) return;
      }
      const indices = Array.from(order.subarray(start, end));
      const batch = fast ? this.dataset.batch!(indices) : undefined;
      yield (batch !== undefined ? batch : this.collateFn(indices.map((i) => this.dataset.get(i)))) as B;
    }
    if (n % bs === 0) pastEnd();
  }

  /**
   * The epoch's index order (0..n-1, or RandomSampler's permutation) and what PyTorch's sampler
   * does when asked past its end: RandomSampler then draws one more (unused) permutation. That
   * draw is visible only on a generator the user passed in, so it is skipped otherwise.
   */
  private sampler(): { order: Float64Array; pastEnd: () => void } {
    const n = this.dataset.length;
    if (!this.shuffle) return { order: Float64Array.from({ length: n }, (_, i) => i), pastEnd: () => {} };
    const own = this.generator;
    // NOTE: RandomSampler without a generator seeds a fresh one from a 64-bit draw of the global
    // generator; mt19937 keeps only the seed's low 32 bits, which is the second 32-bit word.
    const gen = own ?? new Generator(Number(random64(defaultGenerator) & 0xffffffffn));
    const order = randperm(n, { generator: gen }).contiguous().storage() as Float64Array;
    return { order, pastEnd: own ? () => void randperm(n, { generator: own }) : () => {} };
  }
}

/** PyTorch's random64(): two 32-bit words, the first one high. */
function random64(gen: Generator): bigint {
  const hi = gen.nextUint32();
  const lo = gen.nextUint32();
  return (BigInt(hi) << 32n) | BigInt(lo);
}
