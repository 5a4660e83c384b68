// What a DataLoader and its worker threads (numWorkers > 0) say to each other, and how a worker
// gets its dataset: from the module named by the loader's workerDataset option.
import type { EncodedError } from "../worker/message.js";
import type { DatasetLike } from "./dataset.js";

export interface LoaderWorkerData {
  readonly moduleUrl: string;
  readonly workerId: number;
  /** How many workers the loader has (getWorkerInfo's numWorkers). */
  readonly numWorkers: number;
  /** Int32Array(1) over it: bumped after every reply, so a blocked loader can Atomics.wait on it. */
  readonly signal: SharedArrayBuffer;
  /** Batching on (index lists) or off (one index per item). */
  readonly batched: boolean;
  /** The loader's len(dataset): the worker's must match (-1 for a stream). */
  readonly expectedLength: number;
  /** The loader's dataset is an IterableDataset: the worker reads its own replica (its dropLast). */
  readonly stream: { readonly dropLast: boolean } | null;
}

/** loader -> worker: start an epoch (reseed; a stream starts over), or make batch number `batch` of
 *  epoch `epoch` from `indices` (a list with batching on, one index with it off) or a stream. */
export type LoaderRequest =
  | { readonly type: "epoch"; readonly baseSeed: string }
  | { readonly type: "fetch"; readonly epoch: number; readonly batch: number; readonly indices: number[] | number }
  /** From a stream: the next `count` samples collated (null: one sample, batching off). */
  | { readonly type: "samples"; readonly epoch: number; readonly batch: number; readonly count: number | null };

/** worker -> loader */
export type LoaderReply =
  | { readonly type: "ready" }
  | { readonly type: "failed"; readonly error: EncodedError }
  | { readonly type: "batch"; readonly epoch: number; readonly batch: number; readonly value?: unknown; readonly error?: EncodedError; readonly streamEnded?: true }
  | { readonly type: "exited"; readonly code: number };

/**
 * The dataset a workerDataset module provides: its export `dataset` (a dataset, or a function,
 * possibly async, returning one), else its default export the same way.
 */
export async function datasetFromModule(mod: Record<string, unknown>, url: string): Promise<unknown> {
  const entry = mod.dataset ?? mod.default;
  if (entry === undefined) throw new TypeError(`${url} exports no 'dataset' (a dataset, or a function returning one) for the DataLoader's workers`);
  return typeof entry === "function" && !isDatasetClassInstance(entry) ? await (entry as () => unknown)() : entry;
}

/** A dataset object that happens to be callable (torchlet's are not) is taken as it is. */
function isDatasetClassInstance(v: unknown): boolean {
  return typeof (v as DatasetLike).get === "function";
}
