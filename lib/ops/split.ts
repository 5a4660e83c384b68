// Pieces and rearrangements of a tensor: split / chunk / unbind (views along one dim), movedim,
// repeat / tile / repeatInterleave, flip and roll. All are compositions of recorded primitives
// (slice, permute, expand, reshape, gather, cat), so autograd follows without rules of their own.
// NOTE: views have strides >= 0 (backend/types.ts), so flip and roll copy, as PyTorch's do.
// ref: PyTorch 1.13 docs of torch.split, chunk, unbind, movedim, repeat, tile, repeat_interleave, flip, roll.
import { rename } from "../autograd/node.js";
import { normDim } from "../shape.js";
import { Tensor } from "../tensor.js";
import { cat, indexSelect } from "./indexing.js";
import { expand, permute, reshape, slice, squeeze, unsqueeze } from "./views.js";

const isIntArray = (v: unknown): v is readonly number[] => Array.isArray(v);

function checkNonScalar(x: Tensor, fn: string): void {
  if (x.ndim === 0) throw new RangeError(`${fn} expects at least a 1-dimensional tensor`);
}

/** torch.split: pieces of `splitSize` (the last may be smaller) or of the given sizes; views. */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  checkNonScalar(x, "split");
  const d = normDim(dim, x.ndim, "split");
  const size = x.shape[d];
  if (isIntArray(splitSizeOrSections)) {
    const sizes = [...splitSizeOrSections];
    if (sizes.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new RangeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[${sizes.join(", ")}]`);
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== size) {
      throw new RangeError(
        `split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(", ")}]`,
      );
    }
    let at = 0;
    return sizes.map((s) => {
      const piece = slice(x, d, at, at + s);
      at += s;
      return rename(piece, "SplitWithSizesBackward0");
    });
  }
  const step = splitSizeOrSections;
  if (typeof step !== "number" || !Number.isInteger(step)) {
    throw new TypeError(`split(): argument 'split_size' must be int or list of ints, not ${typeof step}`);
  }
  if (step < 0) throw new RangeError(`split expects split_size be non-negative, but got split_size=${step}`);
  if (step === 0 && size !== 0) {
    throw new RangeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
  }
  // NOTE: an empty dim still gives one (empty) piece, as PyTorch's max(ceil(size / step), 1).
  const count = step === 0 ? 1 : Math.max(Math.ceil(size / step), 1);
  return Array.from({ length: count }, (_, i) => rename(slice(x, d, i * step, Math.min((i + 1) * step, size)), "SplitBackward0"));
}

/** torch.chunk: ceil(size / chunks)-sized pieces, so fewer than `chunks` may come back. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkNonScalar(x, "chunk");
  if (!Number.isInteger(chunks)) throw new TypeError(`chunk(): argument 'chunks' must be int, not ${String(chunks)}`);
  if (chunks <= 0) throw new RangeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = normDim(dim, x.ndim, "chunk");
  const size = x.shape[d];
  // NOTE: an empty dim gives `chunks` empty pieces (PyTorch's split_with_sizes branch).
  if (size === 0) return split(x, new Array<number>(chunks).fill(0), d);
  return split(x, Math.ceil(size / chunks), d);
}

/** torch.unbind: the slices along dim, that dim removed; views. */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  if (x.ndim === 0) throw new RangeError("Dimension specified as 0 but tensor has no dimensions");
  const d = normDim(dim, x.ndim, "unbind");
  return Array.from({ length: x.shape[d] }, (_, i) => rename(squeeze(slice(x, d, i, i + 1), d), "UnbindBackward0"));
}

/** torch.movedim: moves dims `source` to positions `destination`, the others keep their order. */
export function movedim(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  const src = typeof source === "number" ? [source] : [...source];
  const dst = typeof destination === "number" ? [destination] : [...destination];
  if (src.length !== dst.length) {
    throw new RangeError(
      `movedim: Invalid source or destination dims: source ([${src.join(", ")}] dims) should contain the same number of dims as destination ([${dst.join(", ")}] dims)`,
    );
  }
  const s = src.map((v) => normDim(v, x.ndim, "movedim"));
  const t = dst.map((v) => normDim(v, x.ndim, "movedim"));
  if (new Set(s).size !== s.length) throw new RangeError(`movedim: repeated dim in \`source\` ([${src.join(", ")}])`);
  if (new Set(t).size !== t.length) throw new RangeError(`movedim: repeated dim in \`destination\` ([${dst.join(", ")}])`);
  if (x.ndim === 0) return x;
  const order = new Array<number>(x.ndim).fill(-1);
  s.forEach((from, i) => (order[t[i]] = from));
  const rest = [...x.shape.keys()].filter((i) => !s.includes(i));
  let k = 0;
  for (let i = 0; i < order.length; i++) if (order[i] === -1) order[i] = rest[k++];
  return permute(x, order);
}

/** Tensor.repeat: tiles x `repeats[i]` times along dim i (new leading dims when repeats is longer). */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.ndim) {
    throw new RangeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  }
  if (repeats.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new RangeError(`Trying to create tensor with negative dimension ${repeats.find((r) => r < 0)}: [${repeats.join(", ")}]`);
  }
  const lead = repeats.length - x.ndim;
  const shape = [...new Array<number>(lead).fill(1), ...x.shape];
  // [s0, s1, ...] -> [1, s0, 1, s1, ...] -> expand [r0, s0, r1, s1, ...] -> [r0*s0, r1*s1, ...]
  const interleaved = shape.flatMap((s) => [1, s]);
  const expanded = expand(reshape(x, interleaved), shape.flatMap((s, i) => [repeats[i], s]));
  return rename(reshape(expanded, shape.map((s, i) => s * repeats[i])), "RepeatBackward0");
}

/** torch.tile: repeat, with 1s prepended to `dims` when it is shorter than x's ndim. */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  const reps = dims.length < x.ndim ? [...new Array<number>(x.ndim - dims.length).fill(1), ...dims] : [...dims];
  return repeat(x, reps);
}

/** The index tensor [0 x r0, 1 x r1, ...] of repeat_interleave(repeats) (repeats: 0-d or 1-D int64). */
function repeatIndex(repeats: Tensor): Tensor {
  if (repeats.ndim > 1) throw new RangeError("repeat_interleave only accept 1D vector as repeat");
  if (repeats.dtype !== "int64") throw new TypeError("repeats has to be Long tensor");
  const r = repeats.contiguous().storage();
  let total = 0;
  for (let i = 0; i < r.length; i++) {
    if (r[i] < 0) throw new RangeError("repeats can not be negative");
    total += r[i];
  }
  const idx = Tensor.empty([total], "int64");
  for (let i = 0, k = 0; i < r.length; i++) for (let j = 0; j < r[i]; j++) idx.typedArray[k++] = i;
  return idx;
}

export interface RepeatInterleaveOptions {
  /** PyTorch's output_size: the total length along dim, checked when given. */
  outputSize?: number;
}

/**
 * torch.repeat_interleave: each element (along dim; of the flattened input without dim) repeated
 * `repeats` times, or repeats[i] times for an int64 tensor of counts. With only an int64 tensor,
 * returns the index form [0 x r0, 1 x r1, ...].
 */
export function repeatInterleave(
  x: Tensor,
  repeats?: number | Tensor | RepeatInterleaveOptions,
  dim?: number | null | RepeatInterleaveOptions,
  opts: RepeatInterleaveOptions = {},
): Tensor {
  if (typeof dim === "object" && dim !== null) [dim, opts] = [undefined, dim];
  if (typeof repeats === "object" && !(repeats instanceof Tensor)) [repeats, opts] = [undefined, repeats];
  if (repeats === undefined) return repeatIndex(x);
  let input = x;
  if (dim === undefined || dim === null) {
    input = reshape(x, [-1]);
    dim = 0;
  }
  const d = normDim(dim, input.ndim, "repeat_interleave");
  const size = input.ndim === 0 ? 1 : input.shape[d];
  if (input.ndim === 0) input = reshape(input, [1]);
  let out: Tensor;
  if (repeats instanceof Tensor && repeats.numel() !== 1) {
    if (repeats.ndim !== 1 || repeats.shape[0] !== size) {
      throw new RangeError(
        repeats.ndim > 1
          ? "repeat_interleave only accept 1D vector as repeat"
          : `repeats must have the same size as input along dim (got ${repeats.numel()} repeats for size ${size})`,
      );
    }
    out = indexSelect(input, d, repeatIndex(repeats));
  } else {
    const r = repeats instanceof Tensor ? repeats.item() : repeats;
    if (!Number.isInteger(r)) throw new TypeError(`repeat_interleave(): argument 'repeats' must be int or Tensor, not ${String(r)}`);
    if (r < 0) throw new RangeError("repeats can not be negative");
    // [.., s, ..] -> [.., s, 1, ..] -> expand [.., s, r, ..] -> [.., s*r, ..]
    const shape = [...input.shape];
    const e = expand(unsqueeze(input, d + 1), [...shape.slice(0, d + 1), r, ...shape.slice(d + 1)]);
    out = reshape(e, [...shape.slice(0, d), shape[d] * r, ...shape.slice(d + 1)]);
  }
  if (opts.outputSize !== undefined && opts.outputSize !== out.shape[d]) {
    throw new RangeError(`allocated size does not match required size (output_size ${opts.outputSize}, required ${out.shape[d]})`);
  }
  return rename(out, "RepeatInterleaveBackward0");
}

/** Reversed copies along `dims` (a gather per dim: its gradient scatters back). */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  const norm = dims.map((d) => normDim(d, x.ndim, "flip"));
  const dup = norm.find((d, i) => norm.indexOf(d) !== i);
  if (dup !== undefined) throw new RangeError(`dim ${dup} appears multiple times in the list of dims`);
  let out = x;
  for (const d of norm) {
    // NOTE: nothing to move in an empty tensor (and its dims may be huge: no index list of them)
    if (x.ndim === 0 || x.shape[d] <= 1 || x.numel() === 0) continue;
    const n = x.shape[d];
    const rev = Tensor.empty([n], "int64");
    for (let i = 0; i < n; i++) rev.typedArray[i] = n - 1 - i;
    out = indexSelect(out, d, rev);
  }
  // NOTE: flip always returns a new tensor, as PyTorch's does (never x itself).
  if (out === x) out = x.clone();
  return rename(out, "FlipBackward0");
}

export function fliplr(x: Tensor): Tensor {
  if (x.ndim < 2) throw new RangeError("Input must be >= 2-d.");
  return flip(x, [1]);
}

export function flipud(x: Tensor): Tensor {
  if (x.ndim < 1) throw new RangeError("Input must be >= 1-d.");
  return flip(x, [0]);
}

/** torch.roll: elements shifted along dims, wrapping around; without dims, over the flattened x. */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[] | null): Tensor {
  const s = typeof shifts === "number" ? [shifts] : [...shifts];
  if (dims === undefined || dims === null || (Array.isArray(dims) && dims.length === 0)) {
    if (s.length !== 1) throw new RangeError(`shifts and dimensions must align. shifts: ${s.length}, dims:0`);
    return rename(reshape(roll(reshape(x, [-1]), s, [0]), x.shape), "RollBackward0");
  }
  const ds = typeof dims === "number" ? [dims] : [...dims];
  if (s.length !== ds.length) throw new RangeError(`shifts and dimensions must align. shifts: ${s.length}, dims:${ds.length}`);
  let out = x;
  ds.forEach((dim, i) => {
    const d = normDim(dim, x.ndim, "roll");
    if (!Number.isInteger(s[i])) throw new TypeError(`roll(): argument 'shifts' must be a tuple of ints, not ${String(s[i])}`);
    const n = x.ndim === 0 ? 1 : x.shape[d];
    const k = n === 0 ? 0 : ((s[i] % n) + n) % n;
    if (k === 0 || x.ndim === 0) return;
    out = cat([slice(out, d, n - k, n), slice(out, d, 0, n - k)], d);
  });
  if (out === x) out = x.clone();
  return rename(out, "RollBackward0");
}
