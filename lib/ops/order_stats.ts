// Order statistics along a dim, each row scanned in JS the way PyTorch 1.13's CPU kernels scan it,
// so the index picked among tied values (and NaNs) is PyTorch's: cummax / cummin (a later equal
// value or NaN takes over), kthvalue (PyTorch's Sedgewick quickselect with NaN largest), mode
// (libstdc++ std::sort of (value, index) pairs by value, then the first longest run, its last
// pair). Values are a gather of the input at the indices, so the gradient goes to those indices as
// PyTorch's does. aminmax gives min and max together (no derivative in PyTorch 1.13).
// ref: aten/src/ATen/native/ReduceOps.cpp (cummax_helper), Sorting.cpp (kthvalue),
// SortingUtils.h (quick_select_template), cpu/TensorCompareKernel.cpp (mode_kernel_impl),
// TensorCompare.cpp (aminmax), PyTorch 1.13.
import { rename, record } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { normDim } from "../shape.js";
import { Tensor, type ValuesIndices } from "../tensor.js";
import { gather } from "./indexing.js";
import { cast } from "./elementwise.js";
import { zeros } from "./creation.js";
import { amax, amin } from "./reduce.js";
import { squeeze, transpose } from "./views.js";
import { Pairs, stdSort } from "./stl_sort.js";

function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * Runs `scan(row, out)` over each row of x along d (row: the values, out: k int64 results) and gives
 * the results as an int64 tensor of x's shape with k at d.
 */
function scanRows(x: Tensor, d: number, k: number, scan: (row: Float64Array, out: Float64Array) => void): Tensor {
  const last = x.ndim - 1;
  // NOTE: float16 / bfloat16 storages hold bits: rows are read as float32 values
  const src = x.dtype === "float16" || x.dtype === "bfloat16" ? cast(x.detach(), "float32") : x.detach();
  const moved = transpose(src, d, last).contiguous();
  const data = moved.storage() as ArrayLike<number>;
  const n = x.shape[d];
  const rows = n === 0 ? moved.shape.slice(0, -1).reduce((p, s) => p * s, 1) : data.length / n;
  // NOTE: an untagged Float64Array is an int64 storage (dtype.ts)
  const buf = new Float64Array(rows * k);
  const row = new Float64Array(n), res = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) row[i] = Number(data[r * n + i]);
    scan(row, res);
    buf.set(res, r * k);
  }
  return transpose(Tensor.fromStorage(buf, [...moved.shape.slice(0, -1), k]), d, last).contiguous();
}

/** torch.cummax / torch.cummin: running extreme and the index where it was (last) reached. */
export function cumExtreme(x: Tensor, dim: number, kind: "cummax" | "cummin"): ValuesIndices {
  if (x.dtype === "float16") throw new TypeError(`"${kind}_cpu" not implemented for 'Half'`);
  const d = normDim(dim, x.ndim);
  const name = kind === "cummax" ? "CummaxBackward0" : "CumminBackward0";
  if (x.ndim === 0) return valuesIndices(rename(x.clone(), name), zeros([], { dtype: "int64" }));
  const better = kind === "cummax" ? (v: number, best: number) => v >= best : (v: number, best: number) => v <= best;
  const n = x.shape[d];
  const indices = scanRows(x, d, n, (row, out) => {
    let best = row[0], at = 0;
    for (let i = 0; i < n; i++) {
      const v = row[i];
      // NOTE: a NaN takes over and stays (each later NaN moves the index), as PyTorch's helper does.
      if (Number.isNaN(v) || (!Number.isNaN(best) && better(v, best))) {
        best = v;
        at = i;
      }
      out[i] = at;
    }
  });
  return valuesIndices(rename(gather(x, d, indices), name), indices);
}

/** PyTorch's quickselect: row[k] ends up the k-th smallest (NaN largest), ix permuted alongside. */
function quickSelect(v: Float64Array, ix: Float64Array, k: number): void {
  const gt = (a: number, b: number) => (Number.isNaN(a) && !Number.isNaN(b)) || a > b;
  const swap = (a: number, b: number) => {
    const t = v[a];
    v[a] = v[b];
    v[b] = t;
    const u = ix[a];
    ix[a] = ix[b];
    ix[b] = u;
  };
  let lo = 0, hi = v.length - 1;
  for (;;) {
    if (hi <= lo) return;
    if (hi === lo + 1) {
      if (gt(v[lo], v[hi])) swap(lo, hi);
      return;
    }
    // median of three as pivot, left at lo
    swap((lo + hi) >> 1, lo + 1);
    if (gt(v[lo + 1], v[hi])) swap(lo + 1, hi);
    if (gt(v[lo], v[hi])) swap(lo, hi);
    if (gt(v[lo + 1], v[lo])) swap(lo + 1, lo);
    let i = lo + 1, j = hi;
    const pivot = v[lo];
    for (;;) {
      do i++;
      while (gt(pivot, v[i]));
      do j--;
      while (gt(v[j], pivot));
      if (j < i) break;
      swap(i, j);
    }
    swap(lo, j);
    if (j <= k) lo = i;
    if (j >= k) hi = j - 1;
  }
}

function checkReductionDim(x: Tensor, d: number, fn: string): void {
  if (x.ndim > 0 && x.shape[d] === 0) {
    throw new RangeError(`${fn}(): Expected reduction dim ${d} to have non-zero size.`);
  }
}

function finish(x: Tensor, d: number, indices: Tensor, keepdim: boolean, name: string): ValuesIndices {
  const values = rename(gather(x, d, indices), name);
  if (keepdim) return valuesIndices(values, indices);
  return valuesIndices(rename(squeeze(values, d), name), squeeze(indices, d).contiguous());
}

/** torch.kthvalue: the k-th smallest along dim (1-based), and its index. */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  if (x.dtype === "bool" || x.dtype === "float16") throw new TypeError(`"kthvalue_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  const d = normDim(dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  checkReductionDim(x, d, "kthvalue");
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`kthvalue(): selected number k out of range for dimension ${d}`);
  if (x.ndim === 0) return valuesIndices(rename(x.clone(), "KthvalueBackward0"), zeros([], { dtype: "int64" }));
  const ix = new Float64Array(n), v = new Float64Array(n);
  const indices = scanRows(x, d, 1, (row, out) => {
    v.set(row);
    for (let i = 0; i < n; i++) ix[i] = i;
    quickSelect(v, ix, k - 1);
    out[0] = ix[k - 1];
  });
  return finish(x, d, indices, keepdim, "KthvalueBackward0");
}

/** torch.mode: the most frequent value along dim (the smallest among equally frequent ones). */
export function mode(x: Tensor, dim = -1, keepdim = false): ValuesIndices {
  const d = normDim(dim, x.ndim);
  checkReductionDim(x, d, "mode");
  if (x.ndim === 0) return valuesIndices(rename(x.clone(), "ModeBackward0"), zeros([], { dtype: "int64" }));
  const n = x.shape[d];
  const p = new Pairs(new Float64Array(n), new Float64Array(n));
  const indices = scanRows(x, d, 1, (row, out) => {
    for (let i = 0; i < n; i++) {
      p.v[i] = row[i];
      p.ix[i] = i;
    }
    stdSort(p, 0, n, (a, b) => a < b);
    let run = 0, best = 0, at = 0;
    for (let i = 0; i < n; i++) {
      run++;
      if (i === n - 1 || p.v[i] !== p.v[i + 1]) {
        if (run > best) {
          best = run;
          at = p.ix[i];
        }
        run = 0;
      }
    }
    out[0] = at;
  });
  return finish(x, d, indices, keepdim, "ModeBackward0");
}

export type MinMax = [Tensor, Tensor] & { min: Tensor; max: Tensor };

export interface AminmaxOptions {
  dim?: number | null;
  keepdim?: boolean;
}

/** torch.aminmax: [min, max] (also .min / .max) over all elements or along dim. */
export function aminmax(x: Tensor, opts: AminmaxOptions = {}): MinMax {
  const { dim = null, keepdim = false } = opts;
  let lo: Tensor, hi: Tensor;
  if (dim === null || dim === undefined) {
    if (x.numel() === 0) throw new Error("aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.");
    [lo, hi] = noGrad(() => [amin(x, null, keepdim), amax(x, null, keepdim)]);
  } else {
    const d = normDim(dim, x.ndim);
    if (x.ndim > 0 && x.shape[d] === 0) throw new RangeError(`aminmax: Expected reduction dim ${d} to have non-zero size.`);
    [lo, hi] = noGrad(() => (x.ndim === 0 ? [x.clone(), x.clone()] : [amin(x, [d], keepdim), amax(x, [d], keepdim)]));
  }
  if (isFloating(x.dtype)) {
    lo = rename(record("notImplemented", [x], lo, { what: "aten::aminmax" }), "NotImplemented");
    hi = rename(record("notImplemented", [x], hi, { what: "aten::aminmax" }), "NotImplemented");
  }
  return Object.assign([lo, hi] as [Tensor, Tensor], { min: lo, max: hi });
}
