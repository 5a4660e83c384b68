// default_collate: turns a list of samples into a batch. Tensors are stacked along a new first dim;
// numbers become a tensor (all integers -> int64, otherwise float32: JS has one number type, and we
// have no float64); booleans a bool tensor; strings stay a list; arrays and plain objects are
// collated position by position / key by key. ref: torch/utils/data/_utils/collate.py (1.13).
import { Tensor } from "../tensor.js";
import { stack } from "../ops/indexing.js";

export type CollateFn<B = unknown> = (samples: unknown[]) => B;

export function defaultCollate(batch: readonly unknown[]): any {
  if (!Array.isArray(batch) || batch.length === 0) throw new TypeError("default_collate: expected a non-empty array of samples");
  const elem = batch[0];
  if (elem instanceof Tensor) {
    batch.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new TypeError(`default_collate: sample 0 is a Tensor but sample ${i} is ${describe(x)}`);
    });
    return stack(batch as Tensor[], 0);
  }
  if (typeof elem === "number") {
    const nums = batch as number[];
    nums.forEach((x, i) => {
      if (typeof x !== "number") throw new TypeError(`default_collate: sample 0 is a number but sample ${i} is ${describe(x)}`);
    });
    return nums.every((x) => Number.isSafeInteger(x))
      ? Tensor.fromStorage(Float64Array.from(nums), [nums.length])
      : Tensor.fromStorage(Float32Array.from(nums), [nums.length]);
  }
  if (typeof elem === "boolean") {
    return Tensor.fromStorage(Uint8Array.from(batch, (x, i) => {
      if (typeof x !== "boolean") throw new TypeError(`default_collate: sample 0 is a boolean but sample ${i} is ${describe(x)}`);
      return x ? 1 : 0;
    }), [batch.length]);
  }
  if (typeof elem === "string") return [...batch];
  if (Array.isArray(elem)) {
    const size = elem.length;
    batch.forEach((x, i) => {
      if (!Array.isArray(x) || x.length !== size) {
        throw new RangeError(`default_collate: each element in list of batch should be of equal size (sample 0 has ${size} items, sample ${i} ${Array.isArray(x) ? x.length : describe(x)})`);
      }
    });
    return Array.from({ length: size }, (_, j) => defaultCollate(batch.map((x) => (x as unknown[])[j])));
  }
  if (elem !== null && typeof elem === "object" && Object.getPrototypeOf(elem) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      out[key] = defaultCollate(batch.map((x, i) => {
        if (x === null || typeof x !== "object" || !(key in x)) throw new TypeError(`default_collate: sample ${i} has no key ${JSON.stringify(key)}`);
        return (x as Record<string, unknown>)[key];
      }));
    }
    return out;
  }
  throw new TypeError(`default_collate: batch must contain tensors, numbers, booleans, strings, arrays or plain objects; found ${describe(elem)}`);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (x instanceof Tensor) return "a Tensor";
  if (typeof x === "object") return `a ${(x as object).constructor?.name ?? "object"}`;
  return `a ${typeof x}`;
}

/**
 * default_convert: the collate function when batching is off (batchSize: null). PyTorch's turns
 * NumPy arrays into tensors and leaves everything else as it is; JS has no NumPy arrays, so each
 * sample passes through unchanged.
 */
export function defaultConvert<T>(sample: T): T {
  return sample;
}
