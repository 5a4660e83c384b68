// Strided N-d iteration for the JS backend: the dtype of a storage, view checks, and `Loop`, an
// odometer that walks several views over one shape, updating each view's offset incrementally.
// It computes nothing itself: kernels run their own inner loop over the plan's last dimension.
// ref: dimension coalescing as in PyTorch's TensorIterator (aten/src/ATen/TensorIterator.cpp).

import type { DType, Storage } from "../types.js";
import type { View } from "../types.js";
import { contiguousStrides, numelOf as numel } from "../../shape.js";
import { dtypeOfStorage } from "../../dtype.js";

/** The dtype of a storage (see Storage in ../types.ts). */
export function dtypeOf(data: Storage): DType {
  return dtypeOfStorage(data);
}

export { numel, contiguousStrides };

/**
 * Throws unless every element of `v` lies inside its storage. NOTE: a typed array read out of
 * bounds gives undefined (NaN) and a write is dropped, so without this a bad view from the
 * frontend would silently give wrong numbers instead of an error.
 */
export function checkView(op: string, name: string, v: View): void {
  const { shape, strides, offset, typedArray: data } = v;
  if (shape.length !== strides.length) {
    throw new RangeError(`${op}(): ${name} has shape [${shape}] but strides [${strides}]`);
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`${op}(): ${name} has a bad offset ${offset}`);
  }
  let last = offset;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d], s = strides[d];
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${op}(): ${name} has a bad shape [${shape}]`);
    if (!Number.isInteger(s) || s < 0) throw new RangeError(`${op}(): ${name} has a bad stride in [${strides}]`);
    if (n === 0) return; // no elements: nothing to read or write
    last += (n - 1) * s;
  }
  if (last >= data.length) {
    throw new RangeError(
      `${op}(): ${name} (shape [${shape}], strides [${strides}], offset ${offset}) reaches element ` +
        `${last} of a storage of length ${data.length}` +
        // NOTE: Node 20 can't ask an ArrayBuffer whether it was detached; a length of 0 is the sign.
        (data.length === 0 ? " (empty: was its ArrayBuffer transferred to another thread?)" : ""),
    );
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
  return true;
}

/** Checks `v` and that it has exactly `shape`. */
export function checkShaped(op: string, name: string, v: View, shape: readonly number[]): void {
  checkView(op, name, v);
  if (!sameShape(v.shape, shape)) {
    throw new RangeError(`${op}(): ${name} has shape [${v.shape}], expected [${shape}]`);
  }
}

/**
 * Walks k views over one shape as `rows` runs of `n` elements. In a run, view v starts at
 * `off[v]` and steps by `inner[v]`; `next()` moves every view to the start of the next run.
 * Size-1 dims are dropped and neighbouring dims that are contiguous in every view are merged,
 * so fully contiguous views become a single run (the fast path) and broadcasts keep stride 0.
 *
 *   const L = new Loop(shape, [x.strides, out.strides], [x.offset, out.offset]);
 *   for (let r = 0; r < L.rows; r++, L.next()) { let i = L.off[0], o = L.off[1]; ... }
 */
export class Loop {
  /** Number of runs. 0 when the shape has no elements. */
  readonly rows: number;
  /** Elements per run. */
  readonly n: number;
  /** Per view: stride inside a run. */
  readonly inner: number[];
  /** Per view: offset of the current run's first element. */
  readonly off: number[];
  private readonly outer: number[]; // sizes of the outer dims
  private readonly steps: number[]; // steps[d * k + v]: stride of view v along outer dim d
  private readonly count: number[]; // the odometer over the outer dims
  private readonly k: number;

  constructor(shape: readonly number[], strides: readonly (readonly number[])[], offsets: readonly number[]) {
    const k = strides.length;
    this.k = k;
    this.off = offsets.slice();
    // Keep the dims of size > 1, merging a dim into its inner neighbour where every view allows it.
    const dims: number[] = [];
    const st: number[][] = strides.map(() => []);
    let empty = false;
    for (let d = 0; d < shape.length; d++) {
      const size = shape[d];
      if (size === 0) empty = true;
      if (size === 1) continue;
      dims.push(size);
      for (let v = 0; v < k; v++) st[v].push(strides[v][d]);
    }
    if (empty) {
      this.rows = 0;
      this.n = 0;
      this.inner = new Array<number>(k).fill(0);
      this.outer = [];
      this.steps = [];
      this.count = [];
      return;
    }
    const mDims: number[] = [];
    const mSt: number[][] = strides.map(() => []);
    for (let d = dims.length - 1; d >= 0; d--) {
      const m = mDims.length;
      let merge = m > 0;
      for (let v = 0; v < k && merge; v++) {
        if (st[v][d] !== mSt[v][0] * mDims[0]) merge = false;
      }
      if (merge) {
        mDims[0] *= dims[d]; // the merged dim keeps its inner stride
      } else {
        mDims.unshift(dims[d]);
        for (let v = 0; v < k; v++) mSt[v].unshift(st[v][d]);
      }
    }
    if (mDims.length === 0) {
      // a single element (0-d, or all sizes 1)
      mDims.push(1);
      for (let v = 0; v < k; v++) mSt[v].push(0);
    }
    const last = mDims.length - 1;
    this.n = mDims[last];
    this.inner = mSt.map((s) => s[last]);
    this.outer = mDims.slice(0, last);
    this.steps = [];
    for (let d = 0; d < last; d++) for (let v = 0; v < k; v++) this.steps.push(mSt[v][d]);
    this.count = new Array<number>(last).fill(0);
    this.rows = numel(this.outer);
  }

  /** Advance to the next run (the odometer ticks its last outer dim and carries). */
  next(): void {
    const { outer, steps, count, off, k } = this;
    for (let d = outer.length - 1; d >= 0; d--) {
      if (++count[d] < outer[d]) {
        for (let v = 0; v < k; v++) off[v] += steps[d * k + v];
        return;
      }
      count[d] = 0;
      for (let v = 0; v < k; v++) off[v] -= steps[d * k + v] * (outer[d] - 1);
    }
  }
}
