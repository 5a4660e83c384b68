// nn.utils.rnn.PackedSequence: a batch of variable-length sequences laid out step by step. `data`
// holds step 0's rows, then step 1's, ...; `batchSizes[t]` (int64, on the CPU) is how many
// sequences are still running at step t, which are always the first ones of the batch sorted by
// decreasing length. `sortedIndices[j]` is the batch position of the j-th sorted sequence and
// `unsortedIndices` its inverse (both null when the batch came sorted, enforceSorted=true).
// The recurrent layers take it as input and give one back (rnn.ts).
// ref: torch/nn/utils/rnn.py (PyTorch 1.13: PackedSequence, invert_permutation, _packed_sequence_init).
import { Tensor } from "../../tensor.js";
import type { DType } from "../../dtype.js";

/** PyTorch's invert_permutation: out[perm[i]] = i (null stays null). */
export function invertPermutation(perm: Tensor | null): Tensor | null {
  if (perm === null) return null;
  const p = perm.contiguous().storage() as ArrayLike<number>;
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[p[i]] = i;
  return Tensor.fromStorage(out, [p.length]).to(perm.device as any);
}

/** A 1-D int64 tensor of numbers (a Float64Array storage is int64's). */
export function int64Vector(values: ArrayLike<number>): Tensor {
  return Tensor.fromStorage(Float64Array.from(values), [values.length]);
}

function checkIndices(t: unknown, name: string): Tensor | null {
  if (t === null || t === undefined) return null;
  if (!(t instanceof Tensor) || t.dtype !== "int64" || t.ndim !== 1) throw new TypeError(`PackedSequence: ${name} must be a 1-D int64 tensor or null`);
  return t;
}

export class PackedSequence {
  readonly data: Tensor;
  readonly batchSizes: Tensor;
  readonly sortedIndices: Tensor | null;
  readonly unsortedIndices: Tensor | null;

  /** As PyTorch's constructor: unsortedIndices defaults to the inverse of sortedIndices. */
  constructor(data: Tensor, batchSizes: Tensor, sortedIndices: Tensor | null = null, unsortedIndices: Tensor | null = null) {
    if (!(data instanceof Tensor)) throw new TypeError("PackedSequence: data must be a Tensor");
    if (!(batchSizes instanceof Tensor) || batchSizes.dtype !== "int64" || batchSizes.ndim !== 1) {
      throw new TypeError("PackedSequence: batch_sizes must be a 1-D int64 tensor");
    }
    if (batchSizes.device.type !== "cpu") {
      throw new RangeError(
        "batch_sizes should always be on CPU. Instances of PackedSequence should never be created manually. They should be instantiated by functions like pack_sequence and pack_padded_sequences in nn.utils.rnn. https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence",
      );
    }
    this.data = data;
    this.batchSizes = batchSizes;
    this.sortedIndices = checkIndices(sortedIndices, "sorted_indices");
    this.unsortedIndices = checkIndices(unsortedIndices, "unsorted_indices") ?? invertPermutation(this.sortedIndices);
  }

  /** Like PyTorch's namedtuple: `const [data, batchSizes, sortedIndices, unsortedIndices] = packed`. */
  *[Symbol.iterator](): IterableIterator<Tensor | null> {
    yield this.data;
    yield this.batchSizes;
    yield this.sortedIndices;
    yield this.unsortedIndices;
  }

  /** batchSizes as numbers, checked to describe `data`: positive, non-increasing, summing to its rows. */
  stepSizes(): number[] {
    const bs = Array.from(this.batchSizes.contiguous().storage() as ArrayLike<number>);
    let total = 0;
    bs.forEach((b, t) => {
      if (!(b > 0) || (t > 0 && b > bs[t - 1])) throw new RangeError(`PackedSequence: batch_sizes must be positive and non-increasing, got [${bs.join(", ")}]`);
      total += b;
    });
    const rows = this.data.ndim > 0 ? this.data.shape[0] : 0;
    if (total !== rows) throw new RangeError(`PackedSequence: batch_sizes sum to ${total} but data has ${rows} rows`);
    return bs;
  }

  /** data.to(...args); the indices follow data's device, batchSizes stays on the CPU. Same object when nothing changes. */
  to(...args: unknown[]): PackedSequence {
    const data = (this.data.to as (...a: unknown[]) => Tensor)(...args);
    if (data === this.data) return this;
    const move = (t: Tensor | null) => (t === null ? null : t.to(data.device as any));
    return new PackedSequence(data, this.batchSizes, move(this.sortedIndices), move(this.unsortedIndices));
  }

  get isCuda(): boolean {
    return this.data.isCuda;
  }

  cpu(): PackedSequence {
    return this.to("cpu");
  }
  cuda(): PackedSequence {
    return this.to("cuda");
  }
  private cast(dtype: DType): PackedSequence {
    return this.to({ dtype });
  }
  float(): PackedSequence {
    return this.cast("float32");
  }
  double(): PackedSequence {
    return this.cast("float64");
  }
  half(): PackedSequence {
    return this.cast("float16");
  }
  long(): PackedSequence {
    return this.cast("int64");
  }
  int(): PackedSequence {
    return this.cast("int32");
  }
  short(): PackedSequence {
    return this.cast("int16");
  }
  char(): PackedSequence {
    return this.cast("int8");
  }
  byte(): PackedSequence {
    return this.cast("uint8");
  }

  toString(): string {
    const s = (t: Tensor | null) => (t === null ? "None" : t.toString());
    return `PackedSequence(data=${s(this.data)}, batch_sizes=${s(this.batchSizes)}, sorted_indices=${s(this.sortedIndices)}, unsorted_indices=${s(this.unsortedIndices)})`;
  }
}
