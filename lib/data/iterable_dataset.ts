// torch.utils.data's iterable-style datasets: IterableDataset, a stream of samples (subclass it with
// a `*[Symbol.iterator]()` generator, as PyTorch's with `__iter__`), and ChainDataset, several
// streams one after the other. The DataLoader reads such a dataset in order, batchSize samples at a
// time, with no sampler (dataloader.ts). A length is optional: a subclass may define `length`, which
// only len(loader) reads. get_worker_info lives in worker_info.ts.
// ref: torch/utils/data/dataset.py (IterableDataset, ChainDataset), dataloader.py (PyTorch 1.13).
import { Sampler, samplerLength } from "./sampler.js";

export abstract class IterableDataset<T = unknown> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
}

/** len(dataset) of an iterable dataset: its `length` when it defines one, else Python's TypeError. */
export function iterableLength(d: IterableDataset): number {
  const n = samplerLength(d);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TypeError(`${d.constructor.name}.length should be a non-negative integer, got ${String(n)}`);
  }
  return n;
}

function checkIterableDataset(d: unknown): asserts d is IterableDataset {
  if (!(d instanceof IterableDataset)) throw new TypeError("ChainDataset only supports IterableDataset");
}

/** The samples of each dataset in turn, read as they are consumed (nothing is buffered). */
export class ChainDataset<T = unknown> extends IterableDataset<T> {
  readonly datasets: readonly IterableDataset<T>[];

  constructor(datasets: Iterable<IterableDataset<T>>) {
    super();
    if (datasets === null || typeof datasets !== "object" || typeof (datasets as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new TypeError("ChainDataset: datasets must be an array (or iterable) of IterableDatasets");
    }
    this.datasets = Object.freeze([...datasets]);
  }

  *[Symbol.iterator](): Iterator<T> {
    // NOTE: as PyTorch, each dataset is checked when the chain reaches it.
    for (const d of this.datasets) {
      checkIterableDataset(d);
      yield* d;
    }
  }

  get length(): number {
    let total = 0;
    for (const d of this.datasets) {
      checkIterableDataset(d);
      total += iterableLength(d);
    }
    return total;
  }
}

/** The sampler of a DataLoader over an IterableDataset: PyTorch's _InfiniteConstantSampler, whose
 *  items (null, forever) only count the samples of a batch. */
export class InfiniteConstantSampler extends Sampler<null> {
  *[Symbol.iterator](): Iterator<null> {
    for (;;) yield null;
  }
}
