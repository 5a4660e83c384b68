// torch.utils.data.DataLoader for map-style datasets, in the main thread: a batch sampler (given,
// or a BatchSampler over the given sampler, RandomSampler when shuffling, else SequentialSampler)
// yields index lists; each is gathered by the dataset's batch() fast path when it offers one and the
// collate is the default, else by get(i) per index then collateFn. batchSize null turns batching off.
// Draws from the generators as PyTorch 1.13 does, so seeded runs give PyTorch's orders.
// Not implemented yet (refused with an error): worker processes and their options, pinned memory.
// ref: torch/utils/data/dataloader.py, _utils/fetch.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { defaultGenerator, Generator } from "../ops/random.js";
import { defaultCollate, defaultConvert, type CollateFn } from "./collate.js";
import { checkDataset, type DatasetLike } from "./dataset.js";
import {
  BatchSampler, checkSamplerLike, random64, RandomSampler, samplerLength, SequentialSampler, type SamplerLike,
} from "./sampler.js";

export interface DataLoaderOptions<B> {
  /** Samples per batch (default 1); null: no batching, each item is one sample (PyTorch's batch_size=None). */
  batchSize?: number | null;
  /** Reshuffle every epoch (RandomSampler); excludes sampler. */
  shuffle?: boolean;
  /** The order of the dataset's indices (a Sampler or any iterable of indices); excludes shuffle. */
  sampler?: SamplerLike<number>;
  /** Lists of indices, one per batch; excludes batchSize, shuffle, sampler and dropLast. */
  batchSampler?: SamplerLike<number[]>;
  /** Drop the last batch when it is short. */
  dropLast?: boolean;
  /** Turns a list of samples into a batch (default defaultCollate; defaultConvert without batching). */
  collateFn?: CollateFn<B>;
  /** Source of the shuffle order (and of PyTorch's per-iterator base seed); default: the global one. */
  generator?: Generator;
  /** Only 0 (load in the main thread) for now: worker processes are not implemented yet. */
  numWorkers?: number;
  /** Only false: torchlet runs on the CPU, with no pinned memory. */
  pinMemory?: boolean;
  /** Only 0 (no worker to wait for). */
  timeout?: number;
  /** Not implemented yet (it is called in worker processes). */
  workerInitFn?: ((workerId: number) => void) | null;
  /** Not implemented yet (worker processes). */
  multiprocessingContext?: unknown;
  /** Only PyTorch's default, 2 (worker processes are not implemented yet). */
  prefetchFactor?: number;
  /** Only false (worker processes are not implemented yet). */
  persistentWorkers?: boolean;
  /** Only "" (no pinned memory). */
  pinMemoryDevice?: string;
}

const KNOWN_OPTIONS = new Set([
  "batchSize", "shuffle", "sampler", "batchSampler", "dropLast", "collateFn", "generator", "numWorkers", "pinMemory",
  "timeout", "workerInitFn", "multiprocessingContext", "prefetchFactor", "persistentWorkers", "pinMemoryDevice",
]);

export class DataLoader<B = any> implements Iterable<B> {
  readonly dataset: DatasetLike;
  /** null when batching is off (batchSize: null) or a batchSampler was given, as in PyTorch. */
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly sampler: SamplerLike<number>;
  /** The index lists per batch; null when batching is off. */
  readonly batchSampler: SamplerLike<number[]> | null;
  readonly collateFn: CollateFn<B>;
  readonly generator: Generator | undefined;
  readonly numWorkers = 0;

  constructor(dataset: DatasetLike, options: DataLoaderOptions<B> = {}) {
    checkDataset(dataset, "DataLoader");
    if (options === null || typeof options !== "object") throw new TypeError("DataLoader: options must be an object");
    refuseUnimplemented(options);
    const { batchSize = 1, sampler, batchSampler, dropLast = false, collateFn, generator } = options;
    const shuffle = options.shuffle ?? false; // PyTorch's default is None, read as False
    if (typeof shuffle !== "boolean") throw new TypeError(`DataLoader: shuffle should be a boolean, got ${typeof shuffle}`);
    if (typeof dropLast !== "boolean") throw new TypeError(`DataLoader: dropLast should be a boolean, got ${typeof dropLast}`);
    if (collateFn !== undefined && collateFn !== null && typeof collateFn !== "function") throw new TypeError("DataLoader: collateFn must be a function");
    if (generator !== undefined && generator !== null && !(generator instanceof Generator)) throw new TypeError("DataLoader: generator must be a torch.Generator");
    if (sampler !== undefined && sampler !== null) checkSamplerLike(sampler, "DataLoader: sampler");
    if (batchSampler !== undefined && batchSampler !== null) checkSamplerLike(batchSampler, "DataLoader: batchSampler");

    // The checks and defaults of PyTorch's DataLoader.__init__, in its order.
    if (sampler != null && shuffle) throw new RangeError("sampler option is mutually exclusive with shuffle");
    let size: number | null = batchSize;
    let drop = dropLast;
    if (batchSampler != null) {
      if (batchSize !== 1 || shuffle || sampler != null || dropLast) {
        throw new RangeError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
      }
      size = null;
      drop = false;
    } else if (size === null && dropLast) {
      throw new RangeError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last");
    } else if (size !== null && !(typeof size === "number" && Number.isSafeInteger(size) && size > 0)) {
      throw new RangeError(`DataLoader: batch_size should be a positive integer value, but got batch_size=${size}`);
    }
    const gen = generator ?? undefined;
    const order: SamplerLike<number> = sampler ?? (shuffle ? new RandomSampler(dataset, { generator: gen }) : new SequentialSampler(dataset));
    const batches = batchSampler ?? (size !== null ? new BatchSampler(order, size, drop) : null);

    this.dataset = dataset;
    this.batchSize = size;
    this.dropLast = drop;
    this.sampler = order;
    this.batchSampler = batches;
    this.collateFn = collateFn ?? ((batches !== null ? defaultCollate : defaultConvert) as CollateFn<B>);
    this.generator = gen;
  }

  /** Number of batches (of samples when batching is off), as len(dataloader). */
  get length(): number {
    return samplerLength(this.batchSampler ?? this.sampler);
  }

  [Symbol.iterator](): Iterator<B> {
    const indices: Iterator<number | number[]> = (this.batchSampler ?? this.sampler)[Symbol.iterator]();
    // NOTE: creating a PyTorch iterator draws a 64-bit base seed (for workers) whether or not it
    // shuffles, after iter(sampler) and before any index; we draw it too so the generators advance
    // as in PyTorch. Samplers are lazy, so their own draws start with the first batch.
    random64(this.generator ?? defaultGenerator);
    return this.fetchAll(indices);
  }

  /**
   * `for await (const batch of loader)`: the same batches in the same order, each after one turn
   * of the event loop, so a training loop written this way lets timers and I/O (a server's
   * requests) run between its steps instead of blocking them for the whole epoch.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    for (const batch of this) {
      await new Promise((resolve) => setImmediate(resolve));
      yield batch;
    }
  }

  /** [batchIndex, batch] pairs, as Python's enumerate(dataloader). */
  *entries(): IterableIterator<[number, B]> {
    let i = 0;
    for (const b of this) yield [i++, b];
  }

  private *fetchAll(indices: Iterator<number | number[]>): IterableIterator<B> {
    for (;;) {
      const r = indices.next();
      if (r.done) return;
      yield this.batchSampler !== null ? this.fetchBatch(indexList(r.value)) : this.collateFn(this.dataset.get(r.value as number) as never);
    }
  }

  private fetchBatch(indices: number[]): B {
    const ds = this.dataset;
    if (this.collateFn === defaultCollate && typeof ds.batch === "function" && inRange(indices, ds.length)) {
      const batch = ds.batch(indices);
      if (batch !== undefined) return batch as B;
    }
    return this.collateFn(indices.map((i) => ds.get(i)));
  }
}

/** A batch sampler's item as an array: arrays as they are, a 1-d Tensor or other iterable listed. */
function indexList(item: unknown): number[] {
  if (Array.isArray(item)) return item;
  if (item instanceof Tensor) return item.tolist() as number[];
  if (item !== null && typeof item === "object" && typeof (item as Iterable<number>)[Symbol.iterator] === "function") {
    return Array.from(item as Iterable<number>);
  }
  throw new TypeError(`DataLoader: a batch sampler must yield lists of indices, got ${item === null ? "null" : typeof item}`);
}

/** Whether every index is an integer in [0, n): the only ones a dataset's batch() fast path takes. */
function inRange(indices: readonly number[], n: number): boolean {
  for (const i of indices) if (!(Number.isInteger(i) && i >= 0 && i < n)) return false;
  return true;
}

/** PyTorch's checks of its multiprocessing options, then an error for anything not implemented here. */
function refuseUnimplemented(options: DataLoaderOptions<unknown>): void {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new TypeError(`DataLoader: unknown option '${key}' (torchlet's DataLoader takes ${[...KNOWN_OPTIONS].join(", ")})`);
    }
  }
  const { numWorkers = 0, pinMemory = false, timeout = 0, workerInitFn, multiprocessingContext, prefetchFactor, persistentWorkers = false, pinMemoryDevice = "" } = options;
  if (typeof numWorkers !== "number" || !Number.isInteger(numWorkers)) throw new TypeError(`DataLoader: numWorkers must be an integer, got ${String(numWorkers)}`);
  if (numWorkers < 0) throw new RangeError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
  if (typeof timeout !== "number" || Number.isNaN(timeout)) throw new TypeError(`DataLoader: timeout must be a number, got ${String(timeout)}`);
  if (timeout < 0) throw new RangeError("timeout option should be non-negative");
  if (numWorkers > 0) {
    throw new Error(`DataLoader: numWorkers > 0 (got ${numWorkers}) is not implemented yet: torchlet loads data in the main thread; use numWorkers: 0`);
  }
  // With numWorkers 0, PyTorch itself refuses these two.
  if (prefetchFactor !== undefined && prefetchFactor !== 2) {
    throw new RangeError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing.");
  }
  if (persistentWorkers === true) throw new RangeError("persistent_workers option needs num_workers > 0");
  if (persistentWorkers !== false) throw new TypeError("DataLoader: persistentWorkers must be a boolean");
  if (multiprocessingContext !== undefined && multiprocessingContext !== null) {
    throw new RangeError(`multiprocessing_context can only be used with multi-process loading (num_workers > 0), but got num_workers=${numWorkers}`);
  }
  // PyTorch accepts these without workers (and ignores them); torchlet refuses them so nothing is ignored silently.
  if (workerInitFn !== undefined && workerInitFn !== null) {
    throw new Error("DataLoader: workerInitFn is not implemented yet: it runs in worker processes, which are not implemented yet");
  }
  if (timeout > 0) throw new Error("DataLoader: timeout > 0 is not implemented yet: it applies to worker processes, which are not implemented yet");
  if (pinMemory !== false) throw new Error("DataLoader: pinMemory is not implemented: torchlet has no accelerator and no pinned memory; leave it false");
  if (pinMemoryDevice !== "") throw new Error("DataLoader: pinMemoryDevice is not implemented: torchlet has no accelerator and no pinned memory");
}
