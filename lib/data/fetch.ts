// Turning one index list into a batch, the same way in the main thread and in a loader worker:
// the dataset's batch() fast path when the collate is the default and it offers one, else get(i)
// per index then the collate. ref: torch/utils/data/_utils/fetch.py (_MapDatasetFetcher).
import { defaultCollate, type CollateFn } from "./collate.js";
import type { DatasetLike } from "./dataset.js";

/** Whether every index is an integer in [0, n): the only ones a dataset's batch() fast path takes. */
function inRange(indices: readonly number[], n: number): boolean {
  for (const i of indices) if (!(Number.isInteger(i) && i >= 0 && i < n)) return false;
  return true;
}

export function fetchBatch<B>(ds: DatasetLike, indices: number[], collate: CollateFn<B>): B {
  if (collate === defaultCollate && typeof ds.batch === "function" && inRange(indices, ds.length)) {
    const batch = ds.batch(indices);
    if (batch !== undefined) return batch as B;
  }
  return collate(indices.map((i) => ds.get(i)));
}
