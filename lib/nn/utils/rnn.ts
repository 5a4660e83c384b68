// torch.nn.utils.rnn: padSequence, packPaddedSequence / padPackedSequence, packSequence,
// unpadSequence / unpackSequence, and the PackedSequence the recurrent layers take for
// variable-length batches. Every move between the padded and the packed layout is ONE indexSelect
// over the rows of the source (with a one-row padding tensor appended when padding), so the
// gradient flows back through it as index_select's does.
// ref: torch/nn/utils/rnn.py, aten/src/ATen/native/PackedSequence.cpp (PyTorch 1.13).
import { Tensor } from "../../tensor.js";
import { full } from "../../ops/creation.js";
import { cat } from "../../ops/indexing.js";
import { isFloating } from "../../dtype.js";
import { parseArgs } from "../args.js";
import { int64Vector, invertPermutation, PackedSequence } from "./rnn_packed_sequence.js";

export { PackedSequence, invertPermutation } from "./rnn_packed_sequence.js";

/** `lengths` as numbers, as torch.as_tensor(lengths, dtype=torch.int64) reads them (floats truncate). */
function lengthList(lengths: unknown): number[] {
  if (lengths instanceof Tensor) {
    if (lengths.ndim !== 1) {
      throw new RangeError(`'lengths' argument should be a 1D CPU int64 tensor, but got ${lengths.ndim}D cpu ${lengths.dtype} tensor`);
    }
    return Array.from(lengths.contiguous().storage() as ArrayLike<number>, (v) => Math.trunc(Number(v)));
  }
  if (typeof lengths === "number") throw new RangeError("'lengths' argument should be a 1D CPU int64 tensor, but got 0D cpu Long tensor");
  if (lengths === null || typeof lengths !== "object" || typeof (lengths as any)[Symbol.iterator] !== "function") {
    throw new TypeError(`pack_padded_sequence(): lengths must be an array or a 1-D tensor, not ${lengths === null ? "null" : typeof lengths}`);
  }
  return Array.from(lengths as Iterable<unknown>, (v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`pack_padded_sequence(): lengths must hold numbers, got ${String(v)}`);
    return Math.trunc(v);
  });
}

/** The start of each step's rows in packed data. */
function stepOffsets(batchSizes: readonly number[]): number[] {
  const off: number[] = new Array(batchSizes.length);
  let at = 0;
  batchSizes.forEach((b, t) => {
    off[t] = at;
    at += b;
  });
  return off;
}

/**
 * Packs a padded batch [T, N, *] (batchFirst: [N, T, *]) of sequences of the given lengths. With
 * enforceSorted (the default) the lengths must be non-increasing; otherwise the batch is sorted by
 * decreasing length first and the permutation kept in the result.
 */
export function packPaddedSequence(input: Tensor, lengths: Tensor | readonly number[], batchFirst?: boolean, enforceSorted?: boolean): PackedSequence;
export function packPaddedSequence(input: Tensor, lengths: Tensor | readonly number[], options: { batchFirst?: boolean; enforceSorted?: boolean }): PackedSequence;
export function packPaddedSequence(...args: unknown[]): PackedSequence {
  const o = parseArgs<{ input: Tensor; lengths: unknown; batchFirst: boolean; enforceSorted: boolean }>(
    "pack_padded_sequence", args, ["input", "lengths", "batchFirst", "enforceSorted"], { batchFirst: false, enforceSorted: true },
  );
  const input = o.input;
  if (!(input instanceof Tensor)) throw new TypeError("pack_padded_sequence(): input must be a Tensor");
  const lens = lengthList(o.lengths);
  if (input.ndim < 2) throw new RangeError(`Dimension out of range (expected to be in range of [-1, 0], but got 1)`);
  if (input.numel() === 0) throw new Error("Cannot pack empty tensors.");
  const [T, N] = o.batchFirst ? [input.shape[1], input.shape[0]] : [input.shape[0], input.shape[1]];
  if (lens.length !== N) throw new RangeError(`Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${N})`);
  let order: number[] | null = null; // order[j]: the batch position of the j-th longest sequence
  let sortedIndices: Tensor | null = null;
  if (!o.enforceSorted) {
    // NOTE: torch.sort (not a stable JS sort), so ties come in PyTorch's order and sortedIndices match its.
    sortedIndices = int64Vector(lens).sort(0, true).indices;
    order = Array.from(sortedIndices.storage() as ArrayLike<number>);
  }
  const sorted = order === null ? lens : order.map((b) => lens[b]);
  if (!(sorted[N - 1] > 0)) throw new RangeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  for (let j = 1; j < N; j++) {
    if (sorted[j] > sorted[j - 1]) {
      throw new RangeError(
        "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.",
      );
    }
  }
  // NOTE: PyTorch 1.13 reads past the input here (its data then holds garbage); refuse instead.
  if (sorted[0] > T) throw new RangeError(`pack_padded_sequence(): a length (${sorted[0]}) is longer than the input's sequence dimension (${T})`);
  const batchSizes: number[] = [];
  const rows: number[] = [];
  for (let t = 0; t < sorted[0]; t++) {
    let n = 0;
    while (n < N && sorted[n] > t) {
      const b = order === null ? n : order[n];
      rows.push(o.batchFirst ? b * T + t : t * N + b);
      n++;
    }
    batchSizes.push(n);
  }
  const flat = input.reshape([T * N, ...input.shape.slice(2)]);
  const data = flat.indexSelect(0, int64Vector(rows));
  return new PackedSequence(data, int64Vector(batchSizes), sortedIndices, invertPermutation(sortedIndices));
}

/**
 * The inverse of packPaddedSequence: [padded [T, N, *] (batchFirst: [N, T, *]), lengths (int64)],
 * in the batch's original order, T = totalLength when given (at least the longest length).
 */
export function padPackedSequence(sequence: PackedSequence, batchFirst?: boolean, paddingValue?: number, totalLength?: number | null): [Tensor, Tensor];
export function padPackedSequence(sequence: PackedSequence, options: { batchFirst?: boolean; paddingValue?: number; totalLength?: number | null }): [Tensor, Tensor];
export function padPackedSequence(...args: unknown[]): [Tensor, Tensor] {
  const o = parseArgs<{ sequence: PackedSequence; batchFirst: boolean; paddingValue: number; totalLength: number | null }>(
    "pad_packed_sequence", args, ["sequence", "batchFirst", "paddingValue", "totalLength"], { batchFirst: false, paddingValue: 0, totalLength: null },
  );
  const seq = o.sequence;
  if (!(seq instanceof PackedSequence)) throw new TypeError("pad_packed_sequence(): sequence must be a PackedSequence");
  const bs = seq.stepSizes();
  let T = bs.length;
  if (o.totalLength !== null) {
    if (o.totalLength < T) {
      throw new RangeError(
        `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${o.totalLength} and max sequence length being ${T}`,
      );
    }
    T = o.totalLength;
  }
  const N = bs.length > 0 ? bs[0] : 0;
  const data = seq.data;
  const rest = data.shape.slice(1);
  const unsorted = seq.unsortedIndices === null ? null : Array.from(seq.unsortedIndices.contiguous().storage() as ArrayLike<number>);
  const off = stepOffsets(bs);
  const padRow = data.shape[0];
  const rows = new Float64Array(T * N);
  for (let b = 0; b < N; b++) {
    const j = unsorted === null ? b : unsorted[b]; // this sequence's place in sorted order
    for (let t = 0; t < T; t++) rows[o.batchFirst ? b * T + t : t * N + b] = t < bs.length && j < bs[t] ? off[t] + j : padRow;
  }
  // NOTE: at::full(..., padding_value, data.options()): an integer tensor takes the value truncated.
  const pad = full([1, ...rest], isFloating(data.dtype) ? o.paddingValue : Math.trunc(o.paddingValue), { dtype: data.dtype });
  const padded = cat([data, pad], 0).indexSelect(0, Tensor.fromStorage(rows, [T * N])).reshape(o.batchFirst ? [N, T, ...rest] : [T, N, ...rest]);
  const sortedLens = Array.from({ length: N }, (_, j) => bs.filter((b) => b > j).length);
  return [padded, int64Vector(unsorted === null ? sortedLens : unsorted.map((j) => sortedLens[j]))];
}

/** The sequences as a list (an array, any iterable, or a tensor's slices along dim 0). */
function sequenceList(fn: string, sequences: unknown): Tensor[] {
  if (sequences instanceof Tensor) return sequences.unbind(0);
  if (sequences === null || typeof sequences !== "object" || typeof (sequences as any)[Symbol.iterator] !== "function") {
    throw new TypeError(`${fn}: Expected iterable for input sequences, but got arg of type: ${sequences === null ? "null" : typeof sequences}`);
  }
  const list = [...(sequences as Iterable<unknown>)];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${fn}(): expected Tensor as element ${i} in argument 0, but got ${t === null ? "null" : typeof t}`);
  });
  return list as Tensor[];
}

/** seq [L, ...] broadcast to [L, ...trailing] as copy_ would, with copy_'s error when it can't. */
function broadcastSequence(seq: Tensor, trailing: readonly number[]): Tensor {
  if (seq.ndim === 0) throw new RangeError("dimension specified as 0 but tensor has no dimensions");
  const target = [seq.shape[0], ...trailing];
  if (seq.ndim > target.length) {
    throw new RangeError(`expand(torch.FloatTensor{[${seq.shape.join(", ")}]}, size=[${target.join(", ")}]): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${seq.ndim})`);
  }
  for (let k = 1; k <= seq.ndim; k++) {
    const s = seq.shape[seq.ndim - k];
    const d = target[target.length - k];
    if (s !== d && s !== 1) throw new RangeError(`The size of tensor a (${d}) must match the size of tensor b (${s}) at non-singleton dimension ${target.length - k}`);
  }
  return seq.ndim === target.length && seq.shape.every((s, i) => s === target[i]) ? seq : seq.expand(target);
}

/**
 * Pads a list of [L_i, *] tensors to [max L, N, *] (batchFirst: [N, max L, *]) with paddingValue.
 * The result has the first sequence's dtype and trailing size, as PyTorch's.
 */
export function padSequence(sequences: Iterable<Tensor> | Tensor, batchFirst?: boolean, paddingValue?: number): Tensor;
export function padSequence(sequences: Iterable<Tensor> | Tensor, options: { batchFirst?: boolean; paddingValue?: number }): Tensor;
export function padSequence(...args: unknown[]): Tensor {
  const o = parseArgs<{ sequences: unknown; batchFirst: boolean; paddingValue: number }>(
    "pad_sequence", args, ["sequences", "batchFirst", "paddingValue"], { batchFirst: false, paddingValue: 0 },
  );
  const seqs = sequenceList("pad_sequence", o.sequences);
  if (seqs.length === 0) throw new Error("received an empty list of sequences");
  const first = seqs[0];
  if (first.ndim === 0) throw new RangeError("dimension specified as 0 but tensor has no dimensions");
  const dtype = first.dtype;
  const trailing = first.shape.slice(1);
  const parts = seqs.map((s) => {
    const b = broadcastSequence(s, trailing);
    return b.dtype === dtype ? b : b.to(dtype);
  });
  const N = seqs.length;
  const T = Math.max(...parts.map((s) => s.shape[0]));
  const pad = full([1, ...trailing], isFloating(dtype) ? o.paddingValue : Math.trunc(o.paddingValue), { dtype });
  const padRow = parts.reduce((n, s) => n + s.shape[0], 0);
  const rows = new Float64Array(T * N);
  let start = 0;
  parts.forEach((s, b) => {
    const L = s.shape[0];
    for (let t = 0; t < T; t++) rows[o.batchFirst ? b * T + t : t * N + b] = t < L ? start + t : padRow;
    start += L;
  });
  return cat([...parts, pad], 0).indexSelect(0, Tensor.fromStorage(rows, [T * N])).reshape(o.batchFirst ? [N, T, ...trailing] : [T, N, ...trailing]);
}

/** Packs a list of [L_i, *] tensors: packPaddedSequence(padSequence(sequences), their lengths, false, enforceSorted). */
export function packSequence(sequences: Iterable<Tensor>, enforceSorted?: boolean): PackedSequence;
export function packSequence(sequences: Iterable<Tensor>, options: { enforceSorted?: boolean }): PackedSequence;
export function packSequence(...args: unknown[]): PackedSequence {
  const o = parseArgs<{ sequences: unknown; enforceSorted: boolean }>("pack_sequence", args, ["sequences", "enforceSorted"], { enforceSorted: true });
  const seqs = sequenceList("pack_sequence", o.sequences);
  const padded = padSequence(seqs);
  return packPaddedSequence(padded, seqs.map((s) => s.shape[0]), false, o.enforceSorted);
}

/** The sequences of a padded batch [T, N, *] (batchFirst: [N, T, *]) cut to their lengths: N new [L_i, *] tensors. */
export function unpadSequence(paddedSequences: Tensor, lengths: Tensor | readonly number[], batchFirst?: boolean): Tensor[];
export function unpadSequence(paddedSequences: Tensor, lengths: Tensor | readonly number[], options: { batchFirst?: boolean }): Tensor[];
export function unpadSequence(...args: unknown[]): Tensor[] {
  const o = parseArgs<{ paddedSequences: Tensor; lengths: unknown; batchFirst: boolean }>("unpad_sequence", args, ["paddedSequences", "lengths", "batchFirst"], { batchFirst: false });
  const padded = o.paddedSequences;
  if (!(padded instanceof Tensor) || padded.ndim < 2) throw new TypeError("unpad_sequence(): padded_sequences must be a Tensor of at least 2 dimensions");
  const lens = lengthList(o.lengths);
  const bDim = o.batchFirst ? 0 : 1;
  const T = padded.shape[1 - bDim];
  if (lens.length > padded.shape[bDim]) throw new RangeError(`unpad_sequence(): ${lens.length} lengths for a batch of ${padded.shape[bDim]}`);
  // NOTE: PyTorch's seq[mask] is a copy, and so is each of these (no view into the padded batch).
  return lens.map((L, b) => padded.narrow(bDim, b, 1).squeeze(bDim).narrow(0, 0, Math.max(0, Math.min(L, T))).clone());
}

/** The sequences of a PackedSequence, in the batch's original order: N [L_i, *] tensors. */
export function unpackSequence(packedSequences: PackedSequence): Tensor[] {
  const [padded, lengths] = padPackedSequence(packedSequences, true);
  return unpadSequence(padded, lengths, true);
}
