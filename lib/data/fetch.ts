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

/**
 * An IterableDataset's batches, the same way in the main thread and in a loader worker (PyTorch's
 * _IterableDatasetFetcher over one iterator of the stream): next(count) takes `count` samples and
 * collates them (count null: batching off, one sample converted), or says the stream is done
 * (null) when it yields nothing more for this call, or a short batch that dropLast drops.
 */
export class StreamFetcher<B> {
  readonly #samples: Iterator<unknown>;
  readonly #collate: CollateFn<B>;
  readonly #dropLast: boolean;
  #ended = false;

  constructor(stream: Iterable<unknown>, collate: CollateFn<B>, dropLast: boolean) {
    this.#samples = stream[Symbol.iterator]();
    this.#collate = collate;
    this.#dropLast = dropLast;
  }

  next(count: number | null): { value: B } | null {
    if (this.#ended) return null;
    if (count === null) {
      const s = this.#samples.next();
      if ((this.#ended = s.done === true)) return null;
      return { value: this.#collate(s.value as never) };
    }
    const data: unknown[] = [];
    while (data.length < count) {
      const s = this.#samples.next();
      if ((this.#ended = s.done === true)) break;
      data.push(s.value);
    }
    if (data.length === 0 || (this.#dropLast && data.length < count)) return null;
    return { value: this.#collate(data as never) };
  }
}
