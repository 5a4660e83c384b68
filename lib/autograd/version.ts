// Version counters: one per storage (so shared by every view of it and by detach()), bumped by
// every in-place write, recorded by a graph node for each tensor it saves and checked before the
// node's rule runs, so an in-place change to a saved tensor raises PyTorch's error instead of
// giving a stale gradient. ref: c10/core/TensorImpl.h (VersionCounter), torch/csrc/autograd/saved_variable.cpp.
import type { Storage } from "../backend/types.js";
import type { Tensor } from "../tensor.js";

export interface VersionCounter {
  v: number;
}

// NOTE: keyed by the typed array, the storage every view shares. A WeakMap, not a property on the
// typed array: a named property would change the array's hidden class and slow the JS kernels.
const counters = new WeakMap<Storage, VersionCounter>();

/** Records an in-place write to t's storage: every in-place path calls this once. */
export function bumpVersion(t: Tensor): void {
  const s = t.typedArray;
  const c = counters.get(s);
  if (c === undefined) counters.set(s, { v: 1 });
  else c.v++;
}

/** The current version of t's storage (PyTorch's `x._version`). */
export function versionOf(t: Tensor): number {
  return counters.get(t.typedArray)?.v ?? 0;
}

/** PyTorch's legacy type name, as its error messages print it: torch.FloatTensor. */
export function legacyTypeName(t: Tensor): string {
  const names: Record<string, string> = {
    float32: "FloatTensor", float64: "DoubleTensor", float16: "HalfTensor", bfloat16: "BFloat16Tensor",
    int64: "LongTensor", int32: "IntTensor", int16: "ShortTensor", int8: "CharTensor", uint8: "ByteTensor", bool: "BoolTensor",
  };
  return `torch.${names[t.dtype] ?? "Tensor"}`;
}

/** A tensor a node saved for its rule, with the version it had then. */
export class SavedTensor {
  // NOTE: the storage and its version, not the counter: saving only reads the WeakMap (a storage
  // never written in place has no counter, so most saves create nothing).
  readonly storage: Storage;
  readonly version: number;
  constructor(
    readonly tensor: Tensor,
    /** The node whose output the tensor is (its grad_fn at save time, or the saving node itself
     *  for a saved output); null for a leaf. Named in the error. */
    readonly producer: { name: string } | null,
    readonly outputNr = 0,
  ) {
    this.storage = tensor.typedArray;
    this.version = counters.get(this.storage)?.v ?? 0;
  }

  /** Throws PyTorch's error when the tensor was modified in place since it was saved. */
  check(): void {
    const now = counters.get(this.storage)?.v ?? 0;
    if (now === this.version) return;
    const t = this.tensor;
    const which = this.producer ? `, which is output ${this.outputNr} of ${this.producer.name},` : "";
    throw new Error(
      `one of the variables needed for gradient computation has been modified by an inplace operation: [${legacyTypeName(t)} [${t.shape.join(", ")}]]${which} is at version ${now}; expected version ${this.version} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`,
    );
  }
}
