// The worker threads of a DataLoader with numWorkers > 0. Batch i goes to worker i % n (PyTorch's
// round robin); results come back out of order and are handed out in order. The loader may wait
// for one synchronously (`for of`: Atomics.wait on a counter every worker bumps after each reply,
// then receiveMessageOnPort) or asynchronously (`for await`: Atomics.waitAsync on the same counter),
// so both kinds of iteration overlap loading with the caller's work.
// ref: torch/utils/data/dataloader.py (_MultiProcessingDataLoaderIter: index queues per worker,
// _task_info/_rcvd_idx reordering, prefetch_factor * num_workers outstanding tasks, timeout).
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { decode, decodeError, type EncodedError } from "../worker/message.js";
import { workerBootstrap } from "../worker/bootstrap.js";
import type { LoaderReply, LoaderRequest, LoaderWorkerData } from "./worker_protocol.js";

export interface LoaderWorkersOptions {
  readonly count: number;
  readonly moduleUrl: URL;
  readonly batched: boolean;
  /** The loader's len(dataset); -1 for a stream. */
  readonly datasetLength: number;
  /** Set for an IterableDataset: each worker reads its own replica of the stream. */
  readonly stream: { readonly dropLast: boolean } | null;
  /** Seconds to wait for a batch before failing; 0: no limit (PyTorch's timeout). */
  readonly timeout: number;
}

// NOTE: in Node since 16 (V8 8.7), not yet in TypeScript's es2022 lib.
type WaitAsyncResult = { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t?: number): WaitAsyncResult }).waitAsync;

type Result = { readonly value: unknown } | { readonly error: EncodedError; readonly worker: number } | typeof STREAM_END;

/** What take() gives for a request its worker's ended stream could not fill. */
export const STREAM_END: unique symbol = Symbol("DataLoader stream end");

/** PyTorch's wording for a worker's exception, with the worker's own stack under it. */
function workerError(e: EncodedError, worker: number): Error {
  return decodeError({ ...e, message: `Caught ${e.name} in DataLoader worker process ${worker}.\nOriginal ${e.stack}` }, "DataLoader");
}

export class LoaderWorkers {
  readonly #workers: Worker[] = [];
  readonly #ports: MessagePort[] = [];
  readonly #counter = new Int32Array(new SharedArrayBuffer(4));
  readonly #results = new Map<number, Result>();
  readonly #options: LoaderWorkersOptions;
  #failure: Error | null = null;
  #epoch = 0;

  constructor(options: LoaderWorkersOptions) {
    this.#options = options;
    const self = fileURLToPath(import.meta.url);
    const entry = pathToFileURL(self.replace(/worker_pool\.(ts|js)$/, (_, ext: string) => `loader_worker_main.${ext}`));
    for (let id = 0; id < options.count; id++) {
      const { port1, port2 } = new MessageChannel();
      const data: LoaderWorkerData & { port: MessagePort } = {
        moduleUrl: options.moduleUrl.href, workerId: id, numWorkers: options.count, signal: this.#counter.buffer as SharedArrayBuffer,
        batched: options.batched, expectedLength: options.datasetLength, stream: options.stream, port: port2,
      };
      const w = workerBootstrap(entry, options.moduleUrl, { workerData: data, transferList: [port2], name: `DataLoader worker ${id}` });
      // NOTE: an error outside a batch (the module failed to load) also arrives as a message; the
      // 'error' event is for what escapes even that, and is only heard by an async wait.
      w.on("error", (e) => (this.#failure ??= e));
      w.unref();
      port1.unref();
      this.#workers.push(w);
      this.#ports.push(port1);
    }
  }

  get count(): number {
    return this.#options.count;
  }

  /** Starts an epoch: results of earlier epochs still in flight are dropped; workers reseed. */
  startEpoch(baseSeed: bigint): void {
    this.#epoch++;
    this.#results.clear();
    for (const p of this.#ports) p.postMessage({ type: "epoch", baseSeed: String(baseSeed) } satisfies LoaderRequest);
  }

  /** Sends batch `batch` (indices, or one index without batching) to its worker. */
  request(batch: number, indices: number[] | number): void {
    const msg: LoaderRequest = { type: "fetch", epoch: this.#epoch, batch, indices };
    this.#ports[batch % this.count].postMessage(msg);
  }

  /** Sends request `batch` of a stream to `worker`: its next `count` samples (null: one, unbatched). */
  requestSamples(batch: number, worker: number, count: number | null): void {
    const msg: LoaderRequest = { type: "samples", epoch: this.#epoch, batch, count };
    this.#ports[worker].postMessage(msg);
  }

  /** Keeps the process alive while an iteration runs, and not after. */
  hold(active: boolean): void {
    for (const w of this.#workers) (active ? w.ref() : w.unref());
  }

  /** Batch `batch` (or STREAM_END), waiting for it with the thread blocked. */
  takeSync(batch: number): unknown {
    const deadline = this.#deadline();
    for (;;) {
      const seen = Atomics.load(this.#counter, 0);
      const got = this.#drain(batch);
      if (got !== undefined) return this.#unwrap(got);
      const wait = deadline === Infinity ? Infinity : deadline - performance.now();
      if (wait <= 0 || Atomics.wait(this.#counter, 0, seen, wait) === "timed-out") this.#timedOut();
    }
  }

  /** Batch `batch` (or STREAM_END), waiting for it without blocking the event loop. */
  async take(batch: number): Promise<unknown> {
    const deadline = this.#deadline();
    for (;;) {
      const seen = Atomics.load(this.#counter, 0);
      const got = this.#drain(batch);
      if (got !== undefined) return this.#unwrap(got);
      const wait = deadline === Infinity ? undefined : deadline - performance.now();
      if (wait !== undefined && wait <= 0) this.#timedOut();
      const r = waitAsync(this.#counter, 0, seen, wait);
      if ((r.async ? await r.value : r.value) === "timed-out") this.#timedOut();
    }
  }

  /** Ends the worker threads. */
  close(): void {
    for (const p of this.#ports) p.close();
    for (const w of this.#workers) void w.terminate();
  }

  #deadline(): number {
    return this.#options.timeout > 0 ? performance.now() + this.#options.timeout * 1000 : Infinity;
  }

  #timedOut(): never {
    throw new Error(`DataLoader timed out after ${this.#options.timeout} seconds`);
  }

  /** Reads every reply that arrived; returns batch `want`'s result when it is among them. */
  #drain(want: number): Result | undefined {
    this.#ports.forEach((port, worker) => {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const reply = m.message as LoaderReply;
        // NOTE: "ready" needs nothing: requests queue on the port until the worker listens.
        if (reply.type === "ready") continue;
        if (reply.type === "failed") this.#failure ??= workerError(reply.error, worker);
        else if (reply.type === "exited") this.#failure ??= new Error(`DataLoader worker (worker ${worker}) exited unexpectedly with exit code ${reply.code}`);
        else if (reply.epoch === this.#epoch) {
          this.#results.set(reply.batch, reply.streamEnded ? STREAM_END : reply.error !== undefined ? { error: reply.error, worker } : { value: reply.value });
        }
      }
    });
    const got = this.#results.get(want);
    if (got !== undefined) {
      this.#results.delete(want);
      return got;
    }
    if (this.#failure !== null) throw this.#failure;
    return undefined;
  }

  #unwrap(r: Result): unknown {
    if (r === STREAM_END) return r;
    if ("error" in r) throw workerError(r.error, r.worker);
    return decode(r.value);
  }
}
