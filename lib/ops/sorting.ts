// sort / argsort / msort / topk along one dim. The order is found by a JS sort of each row (the same
// code on both backends, so results are identical); values are then a gather of x at those indices,
// which gives the gradient rule (PyTorch's: the gradient goes to the picked indices).
// NaN sorts as the largest value, as in PyTorch. ref: torch.sort / torch.topk docs (PyTorch 1.13).
import { rename } from "../autograd/node.js";
import { normDim } from "../shape.js";
import { Tensor, type ValuesIndices } from "../tensor.js";
import { gather } from "./indexing.js";
import { transpose } from "./views.js";

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

/** Ascending order with NaN as the largest value (equal values compare 0: the sort keeps their order). */
function ascending(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
}

/**
 * The indices that order each row of x along dim d, keeping the first k of them (int64, x's shape
 * with k at d). NOTE: one stable sort serves stable and unstable requests: PyTorch leaves the order
 * of ties unspecified when stable=false, and with descending=true a stable sort keeps ties in
 * ascending index order, as PyTorch's stable descending sort does.
 */
function orderAlong(x: Tensor, d: number, descending: boolean, k: number): Tensor {
  const last = Math.max(x.ndim - 1, 0);
  const moved = transpose(x.detach(), d, last).contiguous();
  const data = moved.storage();
  const n = x.ndim === 0 ? 1 : x.shape[d];
  const rows = n === 0 ? 0 : data.length / n;
  const outShape = x.ndim === 0 ? [] : [...moved.shape.slice(0, -1), k];
  const out = Tensor.empty(outShape, "int64");
  const order: number[] = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort(descending ? (i, j) => ascending(data[base + j], data[base + i]) : (i, j) => ascending(data[base + i], data[base + j]));
    for (let i = 0; i < k; i++) out.data[r * k + i] = order[i];
  }
  return transpose(out, d, last).contiguous();
}

function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/** torch.sort: values and indices along dim (default the last), NaN last ascending, first descending. */
export function sort(x: Tensor, dim?: number | SortOptions, descending?: boolean, _opts: SortOptions = {}): ValuesIndices {
  const [dm, desc] = sortArgs(dim, descending);
  const d = normDim(dm, x.ndim, "sort");
  const n = x.ndim === 0 ? 1 : x.shape[d];
  const indices = orderAlong(x, d, desc, n);
  return valuesIndices(rename(gather(x, d, indices), "SortBackward0"), indices);
}

export function argsort(x: Tensor, dim?: number | SortOptions, descending?: boolean, opts: SortOptions = {}): Tensor {
  return sort(x.detach(), dim, descending, opts).indices;
}

/** torch.msort: sort along dim 0. */
export function msort(x: Tensor): Tensor {
  return sort(x, 0).values;
}

/** torch.topk: the k largest (or smallest) along dim, in order. NOTE: sorted=false returns them
 *  sorted too (PyTorch leaves that order unspecified); which of tied values are picked is unspecified. */
export function topk(x: Tensor, k: number, dim = -1, largest = true, _sorted = true): ValuesIndices {
  const d = normDim(dim ?? -1, x.ndim, "topk");
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(k)) throw new TypeError(`topk(): argument 'k' must be int, not ${typeof k}`);
  if (k < 0 || k > n) throw new RangeError("selected index k out of range");
  const indices = orderAlong(x, d, largest, k);
  return valuesIndices(rename(gather(x, d, indices), "TopkBackward0"), indices);
}
