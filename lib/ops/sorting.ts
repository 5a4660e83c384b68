// sort / argsort / msort / topk along one dim. Each row is ordered in JS (the same code on both
// backends) the way PyTorch 1.13's CPU kernels order it, so even tied values come out in PyTorch's
// order; values are then a gather of x at those indices, which gives the gradient rule (PyTorch's:
// the gradient goes to the picked indices). NaN sorts as the largest value.
// ref: PyTorch 1.13 aten/src/ATen/native/cpu/SortingKernel.cpp, TopKImpl.h; stl_sort.ts.
import { viaFloat32 } from "./half_compute.js";
import { rename } from "../autograd/node.js";
import { normDim } from "../shape.js";
import { Tensor, type ValuesIndices } from "../tensor.js";
import { gather } from "./indexing.js";
import { transpose } from "./views.js";
import { nthElement, Pairs, partialSort, stdSort, type Less } from "./stl_sort.js";

export interface SortOptions {
  stable?: boolean;
  /** Also accepted here, for `x.sort({ dim: 0, descending: true })`. */
  dim?: number;
  descending?: boolean;
}

/** (dim, descending, opts) as given positionally, or all of them in one options object. */
function sortArgs(dim: number | SortOptions | undefined, descending: boolean | undefined): [number, boolean] {
  if (typeof dim === "object" && dim !== null) return [dim.dim ?? -1, dim.descending ?? false];
  return [dim ?? -1, descending ?? false];
}

/** PyTorch's comparators: NaN is the largest value (KeyValueCompAsc / KeyValueCompDesc, topk's lambdas). */
const LESS_ASC: Less = (a, b) => (!Number.isNaN(a) && Number.isNaN(b)) || a < b;
const LESS_DESC: Less = (a, b) => (Number.isNaN(a) && !Number.isNaN(b)) || a > b;

/** How one row is ordered: a stable sort, std::sort, or PyTorch's topk (partial_sort or nth_element). */
type RowOrder = { kind: "stable" } | { kind: "sort" } | { kind: "topk"; k: number; sorted: boolean };

/** Orders row [0, n) of p in place, as PyTorch 1.13's CPU kernels do (sort_kernel, topk_impl_loop). */
function orderRow(p: Pairs, n: number, descending: boolean, how: RowOrder): void {
  const less = descending ? LESS_DESC : LESS_ASC;
  if (how.kind === "stable") {
    // NOTE: std::stable_sort's result is the only stable order, so any stable sort gives it.
    const order = Array.from({ length: n }, (_, i) => i);
    const v = Float64Array.from(p.v.subarray(0, n));
    order.sort((i, j) => (less(v[i], v[j]) ? -1 : less(v[j], v[i]) ? 1 : i - j));
    order.forEach((i, r) => ((p.v[r] = v[i]), (p.ix[r] = i)));
  } else if (how.kind === "sort") stdSort(p, 0, n, less);
  else if (how.k * 64 <= n) partialSort(p, 0, how.k, n, less);
  else {
    nthElement(p, 0, how.k - 1, n, less);
    if (how.sorted) stdSort(p, 0, how.k - 1, less);
  }
}

/** The indices that order each row of x along dim d, the first k of them (int64, x's shape with k at d). */
function orderAlong(x: Tensor, d: number, descending: boolean, k: number, how: RowOrder): Tensor {
  const last = Math.max(x.ndim - 1, 0);
  const moved = transpose(x.detach(), d, last).contiguous();
  const data = moved.storage();
  const n = x.ndim === 0 ? 1 : x.shape[d];
  const rows = n === 0 ? 0 : data.length / n;
  const outShape = x.ndim === 0 ? [] : [...moved.shape.slice(0, -1), k];
  const out = Tensor.empty(outShape, "int64");
  const p = new Pairs(new Float64Array(n), new Float64Array(n));
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      p.v[i] = data[r * n + i];
      p.ix[i] = i;
    }
    if (k > 0) orderRow(p, n, descending, how);
    out.typedArray.set(p.ix.subarray(0, k), r * k);
  }
  return transpose(out, d, last).contiguous();
}

function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/** torch.sort: values and indices along dim (default the last), NaN last ascending, first descending. */
export function sort(x: Tensor, dim?: number | SortOptions, descending?: boolean, opts: SortOptions = {}): ValuesIndices {
  const h = viaFloat32(x, (f) => sort(f, dim, descending, opts));
  if (h !== null) return h;
  const [dm, desc] = sortArgs(dim, descending);
  const stable = (typeof dim === "object" && dim !== null ? dim.stable : opts.stable) ?? false;
  const d = normDim(dm, x.ndim, "sort");
  const n = x.ndim === 0 ? 1 : x.shape[d];
  const indices = orderAlong(x, d, desc, n, { kind: stable ? "stable" : "sort" });
  return valuesIndices(rename(gather(x, d, indices), "SortBackward0"), indices);
}

export function argsort(x: Tensor, dim?: number | SortOptions, descending?: boolean, opts: SortOptions = {}): Tensor {
  return sort(x.detach(), dim, descending, opts).indices;
}

/** torch.msort: sort along dim 0. */
export function msort(x: Tensor): Tensor {
  return sort(x, 0).values;
}

/** torch.topk: the k largest (or smallest) along dim, in order unless sorted=false; which tied values
 *  are picked, and the order with sorted=false, are PyTorch 1.13 CPU's (its partial_sort / nth_element). */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices {
  const h = viaFloat32(x, (f) => topk(f, k, dim, largest, sorted));
  if (h !== null) return h;
  const d = normDim(dim ?? -1, x.ndim, "topk");
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(k)) throw new TypeError(`topk(): argument 'k' must be int, not ${typeof k}`);
  if (k < 0 || k > n) throw new RangeError("selected index k out of range");
  const indices = orderAlong(x, d, largest, k, { kind: "topk", k, sorted });
  return valuesIndices(rename(gather(x, d, indices), "TopkBackward0"), indices);
}
