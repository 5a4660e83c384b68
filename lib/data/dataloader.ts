// torch.utils.data.DataLoader, in the main thread. Map-style datasets: a batch sampler (given, or a
// BatchSampler over the given sampler, RandomSampler when shuffling, else SequentialSampler) yields
// index lists; each is gathered by the dataset's batch() fast path when it offers one and the
// collate is the default, else by get(i) per index then collateFn. batchSize null turns batching off.
// An IterableDataset (iterable_dataset.ts) is read in order instead, batchSize samples per batch
// (PyTorch's _InfiniteConstantSampler only counts them); it takes no sampler or shuffle, and with
// workers each reads its own replica of the stream, interleaved one batch from each in turn.
// Draws from the generators as PyTorch 1.13 does, so seeded runs give PyTorch's orders.
// numWorkers > 0 loads batches in worker threads (worker_pool.ts); each builds the dataset from the
// workerDataset module, since threads can't share this one's objects as PyTorch's forked processes do.
// Not implemented (refused with an error): pinned memory, multiprocessing contexts.
// ref: torch/utils/data/dataloader.py, _utils/fetch.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { defaultGenerator, Generator } from "../ops/random.js";
import { defaultCollate, defaultConvert, type CollateFn } from "./collate.js";
import { checkDataset, type DatasetLike } from "./dataset.js";
import { fetchBatch, StreamFetcher } from "./fetch.js";
import { InfiniteConstantSampler, IterableDataset, iterableLength } from "./iterable_dataset.js";
import { warn } from "../nn/warnings.js";
import { LoaderWorkers, STREAM_END } from "./worker_pool.js";
import { moduleUrlOf } from "../worker/module_url.js";
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
  /** Worker threads loading batches in parallel (default 0: the main thread). Needs workerDataset. */
  numWorkers?: number;
  /**
   * With numWorkers > 0: a module (path or file: URL) whose export `dataset` (a dataset, or a
   * function returning one) builds this same dataset in each worker; it may also export
   * `collate(items)` and `workerInit(workerId)` (PyTorch's collate_fn and worker_init_fn there).
   */
  workerDataset?: string | URL;
  /** Only false: torchlet runs on the CPU, with no pinned memory. */
  pinMemory?: boolean;
  /** Seconds to wait for a batch from the workers before failing (default 0: no limit). */
  timeout?: number;
  /** Not taken as a function (workers can't receive one): export workerInit from workerDataset. */
  workerInitFn?: ((workerId: number) => void) | null;
  /** Not implemented: torchlet's workers are threads, not processes. */
  multiprocessingContext?: unknown;
  /** Batches loaded ahead per worker (default 2). */
  prefetchFactor?: number;
  /** Keep the workers between epochs (default false: new workers every epoch, as PyTorch). */
  persistentWorkers?: boolean;
  /** Only "" (no pinned memory). */
  pinMemoryDevice?: string;
}

const KNOWN_OPTIONS = new Set([
  "batchSize", "shuffle", "sampler", "batchSampler", "dropLast", "collateFn", "generator", "numWorkers", "pinMemory",
  "timeout", "workerInitFn", "multiprocessingContext", "prefetchFactor", "persistentWorkers", "pinMemoryDevice", "workerDataset",
]);

/** B: what a batch is; D: the dataset (inferred from the constructor's argument). */
export class DataLoader<B = any, D extends DatasetLike | IterableDataset = DatasetLike> implements Iterable<B> {
  readonly dataset: D;
  /** null when batching is off (batchSize: null) or a batchSampler was given, as in PyTorch. */
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  /** The dataset's indices in order; over an IterableDataset, nulls that only count samples. */
  readonly sampler: SamplerLike<number> | SamplerLike<null>;
  /** The index lists per batch; null when batching is off. */
  readonly batchSampler: SamplerLike<number[]> | SamplerLike<null[]> | null;
  readonly collateFn: CollateFn<B>;
  readonly generator: Generator | undefined;
  readonly numWorkers: number;
  readonly prefetchFactor: number | null;
  readonly persistentWorkers: boolean;
  readonly timeout: number;
  readonly #workerDataset: URL | null;
  #workers: LoaderWorkers | null = null;
  /** len(dataset) as len(loader) last read it from an IterableDataset (PyTorch's _IterableDataset_len_called). */
  #streamLength: number | null = null;

  constructor(dataset: D, options: DataLoaderOptions<B> = {}) {
    const stream = dataset instanceof IterableDataset;
    if (!stream) checkDataset(dataset, "DataLoader");
    if (options === null || typeof options !== "object") throw new TypeError("DataLoader: options must be an object");
    const workers = checkWorkerOptions(options);
    const { batchSize = 1, sampler, batchSampler, dropLast = false, collateFn, generator } = options;
    const shuffle = options.shuffle ?? false; // PyTorch's default is None, read as False
    if (typeof shuffle !== "boolean") throw new TypeError(`DataLoader: shuffle should be a boolean, got ${typeof shuffle}`);
    if (typeof dropLast !== "boolean") throw new TypeError(`DataLoader: dropLast should be a boolean, got ${typeof dropLast}`);
    if (collateFn !== undefined && collateFn !== null && typeof collateFn !== "function") throw new TypeError("DataLoader: collateFn must be a function");
    if (generator !== undefined && generator !== null && !(generator instanceof Generator)) throw new TypeError("DataLoader: generator must be a torch.Generator");
    if (sampler !== undefined && sampler !== null) checkSamplerLike(sampler, "DataLoader: sampler");
    if (batchSampler !== undefined && batchSampler !== null) checkSamplerLike(batchSampler, "DataLoader: batchSampler");

    // The checks and defaults of PyTorch's DataLoader.__init__, in its order.
    if (stream) {
      const shown = (v: unknown) => (Array.isArray(v) ? JSON.stringify(v).replaceAll(",", ", ") : typeof v === "object" && v !== null ? v.constructor.name : String(v));
      const given = (what: string, v: unknown) => `DataLoader with IterableDataset: expected unspecified ${what} option, but got ${what}=${shown(v)}`;
      if (shuffle) throw new RangeError(given("shuffle", shuffle));
      if (sampler != null) throw new RangeError(given("sampler", sampler));
      if (batchSampler != null) throw new RangeError(given("batch_sampler", batchSampler));
    }
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
    if (stream) {
      this.sampler = new InfiniteConstantSampler();
      this.batchSampler = size !== null ? new BatchSampler(this.sampler, size, drop) : null;
    } else {
      const map = dataset as DatasetLike; // not an IterableDataset: checkDataset passed
      this.sampler = sampler ?? (shuffle ? new RandomSampler(map, { generator: gen }) : new SequentialSampler(map));
      this.batchSampler = batchSampler ?? (size !== null ? new BatchSampler(this.sampler, size, drop) : null);
    }

    this.dataset = dataset;
    this.batchSize = size;
    this.dropLast = drop;
    this.collateFn = collateFn ?? ((this.batchSampler !== null ? defaultCollate : defaultConvert) as CollateFn<B>);
    this.generator = gen;
    this.numWorkers = workers.numWorkers;
    this.prefetchFactor = workers.numWorkers > 0 ? workers.prefetchFactor : null;
    this.persistentWorkers = workers.persistentWorkers;
    this.timeout = workers.timeout;
    this.#workerDataset = workers.workerDataset;
  }

  /** Number of batches (of samples when batching is off), as len(dataloader). An IterableDataset's
   *  count comes from its own length, which the iteration then checks (as PyTorch's warning). */
  get length(): number {
    if (!(this.dataset instanceof IterableDataset)) return samplerLength(this.batchSampler ?? this.sampler);
    const n = (this.#streamLength = iterableLength(this.dataset));
    if (this.batchSize === null) return n;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** An epoch's start: the index iterator, then the base seed PyTorch draws for its workers. */
  private startEpoch(): { indices: Iterator<Index>; baseSeed: bigint } {
    const indices: Iterator<Index> = (this.batchSampler ?? this.sampler)[Symbol.iterator]();
    // NOTE: creating a PyTorch iterator draws a 64-bit base seed (for workers) whether or not it
    // shuffles, after iter(sampler) and before any index; we draw it too so the generators advance
    // as in PyTorch. Samplers are lazy, so their own draws start with the first batch.
    return { indices, baseSeed: random64(this.generator ?? defaultGenerator) };
  }

  [Symbol.iterator](): Iterator<B> {
    const { indices, baseSeed } = this.startEpoch();
    if (this.numWorkers > 0 && this.dataset instanceof IterableDataset) return this.streamFromWorkers(indices, baseSeed);
    if (this.numWorkers > 0) return this.fromWorkers(indices, baseSeed, (pool, i) => pool.takeSync(i) as B);
    return this.fetchAll(indices);
  }

  /**
   * `for await (const batch of loader)`: the same batches in the same order. Without workers each
   * comes after one turn of the event loop; with workers, waiting for one does not block the loop.
   * Either way timers and I/O (a server's requests) run between the steps of a training loop
   * written this way instead of waiting for the whole epoch.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const { indices, baseSeed } = this.startEpoch();
    if (this.numWorkers > 0 && this.dataset instanceof IterableDataset) {
      yield* this.streamFromWorkersAsync(indices, baseSeed);
      return;
    }
    if (this.numWorkers > 0) {
      for (const pending of this.fromWorkers(indices, baseSeed, (pool, i) => pool.take(i) as Promise<B>)) yield await pending;
      return;
    }
    for (const batch of this.fetchAll(indices)) {
      await new Promise((resolve) => setImmediate(resolve));
      yield batch;
    }
  }

  /** Batches made by the worker threads, prefetchFactor per worker ahead, handed out in order. */
  private *fromWorkers<R>(indices: Iterator<Index>, baseSeed: bigint, take: (pool: LoaderWorkers, batch: number) => R): IterableIterator<R> {
    const batched = this.batchSampler !== null;
    const pool = this.startWorkers(baseSeed);
    let sent = 0;
    const sendNext = (): void => {
      const r = indices.next();
      if (!r.done) pool.request(sent++, batched ? indexList(r.value) : (r.value as number));
    };
    try {
      for (let i = 0; i < this.numWorkers * this.prefetchFactor!; i++) sendNext();
      for (let next = 0; next < sent; next++) {
        const batch = take(pool, next);
        sendNext();
        yield batch;
      }
    } finally {
      this.endWorkers(pool);
    }
  }

  /** The epoch's workers (the persistent ones, else new ones), started on the epoch's seed. */
  private startWorkers(baseSeed: bigint): LoaderWorkers {
    const stream = this.dataset instanceof IterableDataset;
    const pool = this.#workers ?? new LoaderWorkers({
      count: this.numWorkers, moduleUrl: this.#workerDataset!, batched: this.batchSampler !== null, timeout: this.timeout,
      stream: stream ? { dropLast: this.dropLast } : null, datasetLength: stream ? -1 : (this.dataset as DatasetLike).length,
    });
    if (this.persistentWorkers) this.#workers = pool;
    pool.hold(true);
    pool.startEpoch(baseSeed);
    return pool;
  }

  /** The epoch's end, also on break or an error: non-persistent workers end with it. */
  private endWorkers(pool: LoaderWorkers): void {
    if (this.persistentWorkers) pool.hold(false);
    else pool.close();
  }

  /**
   * An IterableDataset's batches from the worker threads, as PyTorch's multi-worker iterator: each
   * worker reads its own replica of the stream (getWorkerInfo() tells it which one it is, to
   * shard it); requests go round robin to the workers whose stream has not ended and come back in
   * request order, a request that its worker's ended stream could not fill being skipped. So the
   * batches are the workers' own, interleaved one from each in turn until each runs out.
   */
  private *streamFromWorkers(indices: Iterator<Index>, baseSeed: bigint): IterableIterator<B> {
    const pool = this.startWorkers(baseSeed);
    const schedule = this.streamSchedule(pool, indices);
    try {
      for (let next = 0; next < schedule.sent; next++) {
        const got = schedule.settle(next, pool.takeSync(next));
        if (got !== STREAM_END) yield got as B;
      }
    } finally {
      this.endWorkers(pool);
    }
  }

  /** streamFromWorkers, waiting for each batch without blocking the event loop. */
  private async *streamFromWorkersAsync(indices: Iterator<Index>, baseSeed: bigint): AsyncIterableIterator<B> {
    const pool = this.startWorkers(baseSeed);
    const schedule = this.streamSchedule(pool, indices);
    try {
      for (let next = 0; next < schedule.sent; next++) {
        const got = schedule.settle(next, await pool.take(next));
        if (got !== STREAM_END) yield got as B;
      }
    } finally {
      this.endWorkers(pool);
    }
  }

  private streamSchedule(pool: LoaderWorkers, indices: Iterator<Index>): StreamSchedule {
    // NOTE: the length len(loader) read before the epoch began, as PyTorch's iterator copies it.
    const reported = this.#streamLength;
    const dataset = this.dataset as IterableDataset;
    return new StreamSchedule(pool, indices, this.numWorkers * this.prefetchFactor!, (yielded) => warnIfOutrun(dataset, reported, yielded, true));
  }

  /** [batchIndex, batch] pairs, as Python's enumerate(dataloader). */
  *entries(): IterableIterator<[number, B]> {
    let i = 0;
    for (const b of this) yield [i++, b];
  }

  private fetchAll(indices: Iterator<Index>): IterableIterator<B> {
    if (this.dataset instanceof IterableDataset) return this.fetchStream(this.dataset, indices, this.#streamLength);
    return this.fetchMapped(this.dataset, indices);
  }

  private *fetchMapped(dataset: DatasetLike, indices: Iterator<Index>): IterableIterator<B> {
    for (;;) {
      const r = indices.next();
      if (r.done) return;
      yield this.batchSampler !== null ? fetchBatch(dataset, indexList(r.value), this.collateFn) : this.collateFn(dataset.get(r.value as number) as never);
    }
  }

  /**
   * An IterableDataset's batches in this thread (StreamFetcher, fetch.ts): each batch takes as many
   * samples as the batch sampler's list holds; the stream running out ends the epoch after a short
   * batch (dropped with dropLast), and an empty one yields nothing. `reported`: the length
   * len(loader) read before the epoch began, which PyTorch warns about outrunning.
   */
  private *fetchStream(dataset: IterableDataset, indices: Iterator<Index>, reported: number | null): IterableIterator<B> {
    const fetcher = new StreamFetcher(dataset, this.collateFn, this.dropLast);
    for (let yielded = 1; ; yielded++) {
      const r = indices.next();
      if (r.done) return;
      const got = fetcher.next(sampleCount(r.value));
      if (got === null) return;
      warnIfOutrun(dataset, reported, yielded);
      yield got.value;
    }
  }
}

/** PyTorch's warning when an IterableDataset yields more batches than the length it reported
 *  (with workers, its hint about configuring each worker's replica). */
function warnIfOutrun(dataset: IterableDataset, reported: number | null, yielded: number, workers = false): void {
  // NOTE: PyTorch's own comparison: batches yielded against the dataset's reported samples.
  if (reported === null || yielded <= reported) return;
  warn(
    `Length of IterableDataset ${dataset.constructor.name} was reported to be ${reported} (when accessing len(dataloader)), but ${yielded} samples have been fetched. ` +
      (workers ? "For multiprocessing data-loading, this could be caused by not properly configuring the IterableDataset replica at each worker. Please see https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset for examples." : ""),
  );
}

/** The samples one request of a stream takes: a batch sampler's list length, or null (batching off). */
function sampleCount(item: Index): number | null {
  return Array.isArray(item) ? item.length : null;
}

/**
 * Which worker gets each request of a stream (PyTorch's _try_put_index): the next one in the cycle
 * whose stream has not ended; none once all have. `settle` takes a request's result: a worker
 * that answered STREAM_END is dropped from the cycle, and either way the request's place goes to
 * a new one; `yielded(n)` hears of each batch that is handed out.
 */
class StreamSchedule {
  readonly #pool: LoaderWorkers;
  readonly #indices: Iterator<Index>;
  readonly #yielded: (count: number) => void;
  readonly #active: boolean[];
  readonly #workerOf: number[] = [];
  #cycle = 0;
  #count = 0;
  sent = 0;

  constructor(pool: LoaderWorkers, indices: Iterator<Index>, inFlight: number, yielded: (count: number) => void) {
    this.#pool = pool;
    this.#indices = indices;
    this.#yielded = yielded;
    this.#active = new Array<boolean>(pool.count).fill(true);
    for (let i = 0; i < inFlight; i++) this.sendNext();
  }

  settle(request: number, result: unknown): unknown {
    if (result === STREAM_END) this.#active[this.#workerOf[request]] = false;
    else this.#yielded(++this.#count);
    this.sendNext();
    return result;
  }

  private sendNext(): void {
    const n = this.#active.length;
    let w = this.#cycle;
    for (let tries = 0; !this.#active[w]; w = (w + 1) % n) if (++tries === n) return; // none active
    const r = this.#indices.next();
    if (r.done) return;
    this.#cycle = (w + 1) % n;
    this.#workerOf[this.sent] = w;
    this.#pool.requestSamples(this.sent++, w, sampleCount(r.value));
  }
}

/** What the samplers hand the fetch: an index or a list (a list of nulls over an IterableDataset). */
type Index = number | number[] | null | null[];

/** A batch sampler's item as an array: arrays as they are, a 1-d Tensor or other iterable listed. */
function indexList(item: unknown): number[] {
  if (Array.isArray(item)) return item;
  if (item instanceof Tensor) return item.tolist() as number[];
  if (item !== null && typeof item === "object" && typeof (item as Iterable<number>)[Symbol.iterator] === "function") {
    return Array.from(item as Iterable<number>);
  }
  throw new TypeError(`DataLoader: a batch sampler must yield lists of indices, got ${item === null ? "null" : typeof item}`);
}

interface WorkerOptions {
  numWorkers: number;
  prefetchFactor: number;
  persistentWorkers: boolean;
  timeout: number;
  workerDataset: URL | null;
}

/** PyTorch's checks of its multiprocessing options, then an error for anything not implemented here. */
function checkWorkerOptions(options: DataLoaderOptions<unknown>): WorkerOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new TypeError(`DataLoader: unknown option '${key}' (torchlet's DataLoader takes ${[...KNOWN_OPTIONS].join(", ")})`);
    }
  }
  const { numWorkers = 0, pinMemory = false, timeout = 0, workerInitFn, multiprocessingContext, prefetchFactor, persistentWorkers = false, pinMemoryDevice = "", workerDataset } = options;
  if (typeof numWorkers !== "number" || !Number.isInteger(numWorkers)) throw new TypeError(`DataLoader: numWorkers must be an integer, got ${String(numWorkers)}`);
  if (numWorkers < 0) throw new RangeError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
  if (typeof timeout !== "number" || Number.isNaN(timeout)) throw new TypeError(`DataLoader: timeout must be a number, got ${String(timeout)}`);
  if (timeout < 0) throw new RangeError("timeout option should be non-negative");
  if (typeof persistentWorkers !== "boolean") throw new TypeError("DataLoader: persistentWorkers must be a boolean");
  if (numWorkers === 0) {
    // With numWorkers 0, PyTorch itself refuses these two.
    if (prefetchFactor !== undefined && prefetchFactor !== 2) {
      throw new RangeError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing.");
    }
    if (persistentWorkers) throw new RangeError("persistent_workers option needs num_workers > 0");
    if (multiprocessingContext !== undefined && multiprocessingContext !== null) {
      throw new RangeError(`multiprocessing_context can only be used with multi-process loading (num_workers > 0), but got num_workers=${numWorkers}`);
    }
    // PyTorch accepts these without workers (and ignores them); torchlet refuses them so nothing is ignored silently.
    if (workerInitFn !== undefined && workerInitFn !== null) throw new RangeError("DataLoader: workerInitFn runs in workers: it needs numWorkers > 0");
    if (timeout > 0) throw new RangeError("DataLoader: timeout applies to waiting for workers: it needs numWorkers > 0");
    if (workerDataset !== undefined) throw new RangeError("DataLoader: workerDataset builds the dataset in workers: it needs numWorkers > 0");
  } else {
    if (prefetchFactor !== undefined && !(Number.isInteger(prefetchFactor) && prefetchFactor > 0)) {
      throw new RangeError(`DataLoader: prefetchFactor must be a positive integer, got ${String(prefetchFactor)}`);
    }
    if (workerDataset === undefined || workerDataset === null) {
      throw new TypeError(
        "DataLoader: numWorkers > 0 needs workerDataset: worker threads can't share this thread's objects (PyTorch's worker processes get a forked copy), " +
          "so each worker builds the dataset from a module, e.g. { numWorkers: 2, workerDataset: new URL(\"./data.ts\", import.meta.url) } where data.ts exports `dataset`",
      );
    }
    if (workerInitFn !== undefined && workerInitFn !== null) {
      throw new TypeError("DataLoader: workerInitFn can't be sent to a worker thread; export workerInit(workerId) from the workerDataset module instead");
    }
    if (multiprocessingContext !== undefined && multiprocessingContext !== null) {
      throw new RangeError("DataLoader: multiprocessingContext is not implemented: torchlet's workers are threads, not processes");
    }
  }
  if (pinMemory !== false) throw new Error("DataLoader: pinMemory is not implemented: torchlet has no accelerator and no pinned memory; leave it false");
  if (pinMemoryDevice !== "") throw new Error("DataLoader: pinMemoryDevice is not implemented: torchlet has no accelerator and no pinned memory");
  return {
    numWorkers,
    prefetchFactor: prefetchFactor ?? 2,
    persistentWorkers,
    timeout,
    workerDataset: workerDataset === undefined || workerDataset === null ? null : moduleUrlOf(workerDataset),
  };
}
