// torch.utils.data.get_worker_info: in a DataLoader worker thread, which worker this is (its id, the
// worker count, its seed, its copy of the dataset); null in the main thread, as PyTorch's None in
// the main process. Set by loader_worker_main.ts when the worker has built its dataset and on each
// epoch (the seed is the epoch's base seed + id). ref: torch/utils/data/_utils/worker.py (WorkerInfo).
import type { DatasetLike } from "./dataset.js";
import type { IterableDataset } from "./iterable_dataset.js";

export interface WorkerInfo {
  readonly id: number;
  readonly numWorkers: number;
  /** The seed this worker's generator got for the current epoch. */
  readonly seed: bigint;
  readonly dataset: DatasetLike | IterableDataset;
}

let current: WorkerInfo | null = null;

export function getWorkerInfo(): WorkerInfo | null {
  return current;
}

/** For loader_worker_main.ts only. */
export function setWorkerInfo(info: WorkerInfo): void {
  current = Object.freeze({ ...info });
}
