// Index sets and counts: nonzero (and as_tuple) / argwhere / torch.where(cond), unique (flat or along
// a dim) / uniqueConsecutive, bincount, searchsorted / bucketize. Results are int64 indices or counts,
// so nothing here is differentiable except unique's values (not tracked, as in PyTorch). JS loops
// shared by both backends. ref: PyTorch 1.13 docs of each op.
import { viaFloat32 } from "./half_compute.js";
import { normDim, numelOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { record, rename } from "../autograd/node.js";
import type { DType, Storage } from "../backend/types.js";
import { allocStorage } from "../dtype.js";
import { unorderedSetOrder } from "./hash_order.js";
import { transpose } from "./views.js";

/** Flat (row-major) positions of x's nonzero elements, as a 1-D int64 tensor. NaN is nonzero. */
export function nonzeroFlat(x: Tensor): Tensor {
  const d = x.contiguous().storage();
  const hits: number[] = [];
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) hits.push(i);
  return Tensor.fromStorage(Float64Array.from(hits), [hits.length]);
}

export interface NonzeroOptions {
  asTuple?: boolean;
}

/** torch.nonzero: [n, ndim] int64 coordinates of the nonzero elements in row-major order, or with
 *  asTuple one 1-D tensor per dim (a 0-d input counts as 1-D there). */
export function nonzero(x: Tensor, opts?: NonzeroOptions & { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, opts: NonzeroOptions & { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, opts: NonzeroOptions = {}): Tensor | Tensor[] {
  const flat = nonzeroFlat(x).typedArray;
  const n = flat.length;
  const shape = x.shape;
  const nd = shape.length;
  // Row k: the coordinates of the k-th nonzero element, unravelled from its flat position.
  const coords = Tensor.empty([n, nd], "int64");
  const c = coords.typedArray;
  for (let k = 0; k < n; k++) {
    let rest = flat[k];
    for (let d = nd - 1; d >= 0; d--) {
      c[k * nd + d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
  }
  if (!opts.asTuple) return coords;
  if (nd === 0) return [Tensor.empty([n], "int64")]; // a 0-d input counts as 1-D: coordinates 0
  return Array.from({ length: nd }, (_, d) => {
    const col = Tensor.empty([n], "int64");
    for (let k = 0; k < n; k++) col.typedArray[k] = c[k * nd + d];
    return col;
  });
}

/** torch.argwhere: nonzero's [n, ndim] form. */
export function argwhere(x: Tensor): Tensor {
  return nonzero(x);
}

/** Equal values compare 0 (so -0 and 0 are one value); NaN sorts last and each NaN is its own value. */
function ascending(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
}

export interface UniqueOptions {
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}

/** Runs of equal rows among the rows taken in `order` (null: 0..n-1): the first row of each run,
 *  each run's length, and in inverse[row] the run every row falls in. */
function runs(order: ArrayLike<number> | null, n: number, same: (first: number, row: number) => boolean, inverse: Storage): { firsts: number[]; counts: Tensor } {
  const firsts: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k < n; k++) {
    const r = order ? order[k] : k;
    if (k === 0 || !same(firsts[firsts.length - 1], r)) {
      firsts.push(r);
      counts.push(0);
    }
    counts[counts.length - 1]++;
    inverse[r] = firsts.length - 1;
  }
  return { firsts, counts: Tensor.fromStorage(Float64Array.from(counts), [counts.length]) };
}

/** Rows `rows` of row-major data with rows of `len` elements, as a [rows.length, ...rowShape] tensor. */
function pickRows(data: Storage, len: number, rows: readonly number[], rowShape: readonly number[], dtype: DType): Tensor {
  const out = Tensor.empty([rows.length, ...rowShape], dtype);
  rows.forEach((r, k) => out.typedArray.set(data.subarray(r * len, (r + 1) * len), k * len));
  return out;
}

/** unique's result: the values alone, or [values, inverse?, counts?] like PyTorch's tuple. */
export type UniqueResult = Tensor | Tensor[];

function uniqueResult(values: Tensor, inverse: Tensor, counts: Tensor, o: UniqueOptions): UniqueResult {
  if (!o.returnInverse && !o.returnCounts) return values;
  return [values, ...(o.returnInverse ? [inverse] : []), ...(o.returnCounts ? [counts] : [])];
}

/** Arguments given PyTorch's way (sorted, return_inverse, return_counts, dim) or as one options object. */
export function uniqueOptions(args: unknown[]): UniqueOptions {
  if (args.length === 1 && typeof args[0] === "object" && args[0] !== null) return args[0] as UniqueOptions;
  const [sorted, returnInverse, returnCounts, dim] = args as [boolean?, boolean?, boolean?, (number | null)?];
  return { sorted, returnInverse, returnCounts, dim };
}

/**
 * torch.unique: the distinct values in ascending order, with the inverse (input shape: where each
 * element went) and counts. With dim: the distinct slices along dim, in lexicographic order.
 * sorted=false gives PyTorch 1.13 CPU's order, that of its hash set (hash_order.ts).
 * Of equal values (-0 and 0) the first in input order is kept, as in PyTorch; each NaN is its own
 * value, placed last (PyTorch 1.13 returns NaNs first with counts of 0, a bug fixed later).
 */
export function unique(x: Tensor, ...args: unknown[]): UniqueResult {
  const h = viaFloat32(x, (f) => unique(f, ...args));
  if (h !== null) return h;
  const o = uniqueOptions(args);
  if (o.dim !== undefined && o.dim !== null) return uniqueDim(x, o.dim, o);
  const data = x.contiguous().storage();
  // NOTE: PyTorch counts bools instead of hashing them: always in order.
  if (o.sorted === false && x.dtype !== "bool") return uniqueUnsorted(x, data, o);
  const n = data.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => ascending(data[i], data[j]));
  const inverse = Tensor.empty(x.shape, "int64");
  const same = (f: number, r: number) => ascending(data[f], data[r]) === 0 && !Number.isNaN(data[r]);
  const { firsts, counts } = runs(order, n, same, inverse.typedArray);
  return uniqueResult(pickRows(data, 1, firsts, [], x.dtype), inverse, counts, o);
}

/** unique(sorted=false): PyTorch 1.13's CPU order, that of a std::unordered_set (see hash_order.ts). */
function uniqueUnsorted(x: Tensor, data: Storage, o: UniqueOptions): UniqueResult {
  const vals = unorderedSetOrder(data, x.dtype);
  const at = new Map<number, number>();
  const nans: number[] = [];
  vals.forEach((v, k) => (Number.isNaN(v) ? nans.push(k) : at.set(v === 0 ? 0 : v, k)));
  const inverse = Tensor.empty(x.shape, "int64");
  const counts = new Float64Array(vals.length);
  let nan = 0;
  for (let i = 0; i < data.length; i++) {
    const k = Number.isNaN(data[i]) ? nans[nan++] : at.get(data[i] === 0 ? 0 : data[i])!;
    inverse.typedArray[i] = k;
    counts[k]++;
  }
  const values = Tensor.empty([vals.length], x.dtype);
  values.typedArray.set(vals);
  return uniqueResult(values, inverse, Tensor.fromStorage(counts, [vals.length]), o);
}

/** unique along dim: slices compared lexicographically, element by element in row-major order. */
function uniqueDim(x: Tensor, dim: number, o: UniqueOptions): UniqueResult {
  const d = normDim(dim, x.ndim, "unique");
  const moved = transpose(x.detach(), 0, d).contiguous();
  const data = moved.storage();
  const n = moved.shape[0] ?? 1;
  const len = n === 0 ? 0 : numelOf(moved.shape.slice(1));
  const cmp = (i: number, j: number): number => {
    for (let k = 0; k < len; k++) {
      const c = ascending(data[i * len + k], data[j * len + k]);
      if (c !== 0) return c;
    }
    return 0;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort(cmp);
  const inverse = Tensor.empty([n], "int64");
  const { firsts, counts } = runs(order, n, (f, r) => cmp(f, r) === 0, inverse.typedArray);
  const values = transpose(pickRows(data, len, firsts, moved.shape.slice(1), x.dtype), 0, d).contiguous();
  return uniqueResult(values, inverse, counts, o);
}

/** torch.unique_consecutive: collapses runs of equal consecutive values (flat, or slices along dim). */
export function uniqueConsecutive(x: Tensor, opts: Omit<UniqueOptions, "sorted"> = {}): UniqueResult {
  const h = viaFloat32(x, (f) => uniqueConsecutive(f, opts));
  if (h !== null) return h;
  const flatDim = opts.dim === undefined || opts.dim === null;
  const d = flatDim ? 0 : normDim(opts.dim as number, x.ndim, "unique_consecutive");
  const moved = flatDim ? x.detach().contiguous().reshape([-1]) : transpose(x.detach(), 0, d).contiguous();
  const data = moved.storage();
  const n = moved.shape[0] ?? 1;
  const len = n === 0 ? 0 : numelOf(moved.shape.slice(1));
  const same = (i: number, j: number) => {
    for (let k = 0; k < len; k++) if (data[i * len + k] !== data[j * len + k]) return false;
    return true;
  };
  const inverse = Tensor.empty(flatDim ? x.shape : [n], "int64");
  const { firsts, counts } = runs(null, n, same, inverse.typedArray);
  const slices = pickRows(data, len, firsts, moved.shape.slice(1), x.dtype);
  const values = flatDim ? slices : transpose(slices, 0, d).contiguous();
  return uniqueResult(values, inverse, counts, opts);
}

/**
 * torch.bincount: how often each value 0..max occurs in a 1-D non-negative int64 tensor (at least
 * minlength bins); with weights, the sum of the weights per bin (float32; int64 weights also give
 * float32 here, where PyTorch gives float64). PyTorch has no derivative: backward through weights throws.
 */
export function bincount(x: Tensor, weights: Tensor | null = null, minlength = 0): Tensor {
  if (x instanceof Tensor && x.dtype !== "int64") {
    throw new TypeError(`"bincount_cpu" not implemented for '${x.dtype === "float32" ? "Float" : "Bool"}'`);
  }
  if (!(x instanceof Tensor) || x.ndim !== 1) throw new RangeError("bincount only supports 1-d non-negative integral inputs.");
  if (!Number.isInteger(minlength) || minlength < 0) throw new RangeError("minlength should be >= 0");
  const v = x.contiguous().storage();
  let max = -1;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0) throw new RangeError("bincount only supports 1-d non-negative integral inputs.");
    if (v[i] > max) max = v[i];
  }
  const bins = Math.max(max + 1, minlength);
  if (weights === null || weights === undefined) {
    const out = Tensor.empty([bins], "int64");
    for (let i = 0; i < v.length; i++) out.typedArray[v[i]]++;
    return out;
  }
  if (!(weights instanceof Tensor) || weights.ndim !== 1 || weights.shape[0] !== v.length) {
    throw new RangeError("weights should be 1-d and have the same length as input");
  }
  const w = weights.detach().contiguous().storage();
  // NOTE: summed in float64, then rounded once to float32 (PyTorch sums float32 weights in float32).
  const acc = allocStorage("float64", bins) as Float64Array; // sized by minlength/values: checked
  for (let i = 0; i < v.length; i++) acc[v[i]] += w[i];
  const out = Tensor.fromStorage(Float32Array.from(acc), [bins]);
  return rename(record("notImplemented", [weights.dtype === "float32" ? weights : weights.float()], out, { what: "aten::bincount" }), "NotImplemented");
}

export interface SearchsortedOptions {
  right?: boolean;
  side?: "left" | "right" | null;
  outInt32?: boolean;
  sorter?: Tensor | null;
}

/** The first position in sorted row `row` (length n, stride 1 from base) where v fits: left = first
 *  element >= v, right = first element > v (NaN is larger than everything). */
function bound(seq: ArrayLike<number>, base: number, n: number, v: number, right: boolean, sorter: ArrayLike<number> | null): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = seq[base + (sorter ? sorter[base + mid] : mid)];
    const c = ascending(s, v);
    if (c < 0 || (right && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * torch.searchsorted: for each value, the index where it would be inserted into sorted_sequence's
 * last dim to keep it sorted. A 1-D sequence serves every value; otherwise the leading dims match.
 */
export function searchsorted(sortedSequence: Tensor, values: Tensor | number, opts: SearchsortedOptions = {}): Tensor {
  if (opts.side && opts.right && opts.side === "left") {
    throw new RangeError("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
  }
  const right = opts.side === "right" || opts.right === true;
  const scalar = !(values instanceof Tensor);
  const vt = scalar ? Tensor.fromStorage(Float32Array.of(values as number), []) : (values as Tensor);
  const seq = sortedSequence.detach().contiguous();
  const n = seq.ndim === 0 ? 0 : seq.shape[seq.ndim - 1];
  if (seq.ndim > 1) {
    const lead = seq.shape.slice(0, -1);
    if (vt.ndim !== seq.ndim || lead.some((s, i) => s !== vt.shape[i])) {
      throw new RangeError(
        `torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor [${seq.shape.join(", ")}] and input value tensor [${vt.shape.join(", ")}]`,
      );
    }
  }
  const sorter = opts.sorter ? opts.sorter.contiguous().storage() : null;
  const sd = seq.storage();
  const vd = vt.detach().contiguous().storage();
  const perRow = vt.ndim === 0 ? 1 : vt.shape[vt.ndim - 1];
  const out = Tensor.empty(vt.shape, "int64");
  for (let i = 0; i < vd.length; i++) {
    const base = seq.ndim > 1 ? Math.floor(i / perRow) * n : 0;
    out.typedArray[i] = bound(sd, base, n, vd[i], right, sorter);
  }
  return out;
}

/** torch.bucketize: searchsorted with the arguments swapped and 1-D boundaries. */
export function bucketize(input: Tensor | number, boundaries: Tensor, opts: { right?: boolean; outInt32?: boolean } = {}): Tensor {
  if (boundaries.ndim !== 1) throw new RangeError(`boundaries tensor must be 1 dimension, but got dim(${boundaries.ndim})`);
  return searchsorted(boundaries, input, { right: opts.right });
}
