// torch.utils.data's map-style datasets: Dataset (length + get(i)), TensorDataset, ConcatDataset,
// Subset, randomSplit. A dataset may also offer the DataLoader's fast path, batch(indices): the whole
// collated batch at once (e.g. gathered with indexSelect), equal to collating get(i) for each index,
// or undefined to decline. Iterable-style datasets are in iterable_dataset.ts.
// ref: torch/utils/data/dataset.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { randperm, type Generator } from "../ops/random.js";
import { warn } from "../nn/warnings.js";
import { IterableDataset } from "./iterable_dataset.js";

/** What DataLoader, Subset and randomSplit need of a dataset (a Dataset subclass or a plain object). */
export interface DatasetLike<T = unknown> {
  readonly length: number;
  get(index: number): T;
  /** Optional fast path: the batch for these indices, identical to defaultCollate(indices.map(get)),
   *  or undefined to let the caller use get() per index. Called only with in-range indices. */
  batch?(indices: readonly number[]): unknown;
}

export abstract class Dataset<T = unknown> implements DatasetLike<T> {
  abstract get length(): number;
  abstract get(index: number): T;

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/** Python-style index: an integer in [-n, n), negatives counting from the end. */
export function checkIndex(index: number, n: number, what = "index"): number {
  if (typeof index !== "number" || !Number.isInteger(index)) {
    throw new TypeError(`${what} must be an integer, got ${typeof index === "number" ? index : typeof index}`);
  }
  if (index < -n || index >= n) throw new RangeError(`index ${index} is out of bounds for dimension 0 with size ${n}`);
  return index < 0 ? index + n : index;
}

export function checkDataset(d: unknown, fn: string): asserts d is DatasetLike {
  const o = d as DatasetLike | null;
  if (o === null || typeof o !== "object" || typeof o.get !== "function" || !Number.isSafeInteger(o.length) || o.length < 0) {
    throw new TypeError(`${fn}: dataset must have an integer length and a get(index) method`);
  }
}

/** Rows of tensors that share their first dimension: get(i) is [t0[i], t1[i], ...]. */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new TypeError("TensorDataset: at least one tensor is required");
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i} is not a Tensor`);
      if (t.ndim === 0) throw new RangeError(`TensorDataset: tensor ${i} is 0-d; every tensor needs a first dimension`);
    });
    if (tensors.some((t) => t.shape[0] !== tensors[0].shape[0])) {
      throw new RangeError(`TensorDataset: Size mismatch between tensors (first dimensions ${tensors.map((t) => t.shape[0]).join(", ")})`);
    }
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  get(index: number): Tensor[] {
    const i = checkIndex(index, this.length);
    return this.tensors.map((t) => t.index(i));
  }

  batch(indices: readonly number[]): Tensor[] {
    const idx = Tensor.fromStorage(Float64Array.from(indices), [indices.length]);
    return this.tensors.map((t) => t.indexSelect(0, idx));
  }
}

/** Several datasets one after the other: index i goes to the dataset whose range holds it. */
export class ConcatDataset<T = unknown> extends Dataset<T> {
  readonly datasets: readonly DatasetLike<T>[];
  /** Running totals of the datasets' lengths, as PyTorch's cumulative_sizes. */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: Iterable<DatasetLike<T>>) {
    super();
    if (datasets === null || typeof datasets !== "object" || typeof (datasets as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new TypeError("ConcatDataset: datasets must be an array (or iterable) of datasets");
    }
    this.datasets = Object.freeze([...datasets]);
    if (this.datasets.length === 0) throw new RangeError("datasets should not be an empty iterable");
    let total = 0;
    this.cumulativeSizes = Object.freeze(this.datasets.map((d, i) => {
      if (d instanceof IterableDataset) throw new TypeError("ConcatDataset does not support IterableDataset");
      checkDataset(d, `ConcatDataset: dataset ${i}`);
      return (total += d.length);
    }));
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  get(index: number): T {
    if (typeof index === "number" && index < 0 && -index > this.length) {
      throw new RangeError("absolute value of index should not exceed dataset length");
    }
    const [d, i] = this.locate(checkIndex(index, this.length));
    return this.datasets[d].get(i);
  }

  /** The fast path when every index falls in one dataset that has one; otherwise declines. */
  batch(indices: readonly number[]): unknown {
    if (indices.length === 0) return undefined;
    const [d] = this.locate(indices[0]);
    const ds = this.datasets[d];
    if (ds === undefined) return undefined; // past the end: declined, get() reports it
    const start = d === 0 ? 0 : this.cumulativeSizes[d - 1];
    const end = this.cumulativeSizes[d];
    if (typeof ds.batch !== "function" || indices.some((i) => i < start || i >= end)) return undefined;
    return ds.batch(indices.map((i) => i - start));
  }

  /** [dataset number, index inside it] for an index in [0, length): PyTorch's bisect_right. */
  private locate(index: number): [number, number] {
    const sizes = this.cumulativeSizes;
    let lo = 0;
    let hi = sizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index < sizes[mid]) hi = mid;
      else lo = mid + 1;
    }
    return [lo, lo === 0 ? index : index - sizes[lo - 1]];
  }
}

/** The items of `dataset` at `indices`, in that order. */
export class Subset<T = unknown> extends Dataset<T> {
  readonly indices: readonly number[];

  constructor(readonly dataset: DatasetLike<T>, indices: readonly number[] | Tensor) {
    super();
    checkDataset(dataset, "Subset");
    const list = indices instanceof Tensor ? (indices.tolist() as number[]) : indices;
    if (!Array.isArray(list) || !list.every((i) => Number.isInteger(i))) {
      throw new TypeError("Subset: indices must be an array of integers or a 1-d int64 Tensor");
    }
    this.indices = Object.freeze([...list]);
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    return this.dataset.get(this.indices[checkIndex(index, this.length)]);
  }

  batch(indices: readonly number[]): unknown {
    if (typeof this.dataset.batch !== "function") return undefined;
    const n = this.dataset.length;
    const inner = indices.map((i) => this.indices[i]);
    // NOTE: the fast path takes only in-range indices; anything else goes the per-sample way and errors there.
    if (inner.some((i) => i < 0 || i >= n)) return undefined;
    return this.dataset.batch(inner);
  }
}

/**
 * Splits a dataset into non-overlapping random subsets of the given lengths, or of the given
 * fractions of its length (remainders go one each to the first subsets, as PyTorch does).
 * Uses randperm(total, generator), so a seeded generator reproduces PyTorch's split.
 */
export function randomSplit<T>(dataset: DatasetLike<T>, lengths: readonly number[], generator?: Generator): Subset<T>[] {
  checkDataset(dataset, "randomSplit");
  if (!Array.isArray(lengths) || lengths.length === 0 || !lengths.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new TypeError("randomSplit: lengths must be a non-empty array of numbers");
  }
  const n = dataset.length;
  let sizes = [...lengths];
  const total = sizes.reduce((a, b) => a + b, 0);
  // NOTE: PyTorch's test is math.isclose(sum, 1) and sum <= 1 (isclose: relative tolerance 1e-9).
  if (Math.abs(total - 1) <= 1e-9 * Math.max(1, Math.abs(total)) && total <= 1) {
    sizes.forEach((f, i) => {
      if (f < 0 || f > 1) throw new RangeError(`randomSplit: Fraction at index ${i} is not between 0 and 1`);
    });
    sizes = sizes.map((f) => Math.floor(n * f));
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
    sizes.forEach((s, i) => {
      if (s === 0) warn(`Length of split at index ${i} is 0. This might result in an empty dataset.`);
    });
  }
  if (!sizes.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new RangeError(`randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(", ")}]`);
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new RangeError(`randomSplit: Sum of input lengths does not equal the length of the input dataset! (${sizes.join(" + ")} != ${n})`);
  }
  const perm = Array.from(randperm(n, { generator }).contiguous().storage());
  let at = 0;
  return sizes.map((s) => new Subset(dataset, perm.slice(at, (at += s))));
}
