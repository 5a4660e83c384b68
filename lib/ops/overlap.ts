// The one memory-overlap check of every write that also reads tensors: in-place ops, copy_, out=
// and index_put_. A write may read memory it writes only element for element (a.add_(a)); any
// other sharing (a[1:].add_(a[:-1]), a.add_(a.t()), a.add_(a[0])) makes the result depend on the
// order of the writes, so it is refused with PyTorch's error. Unlike PyTorch, which gives up on
// layouts it finds "too hard", the test here is exact on any strided views: a cheap bounds test
// first, then, only when the bounds meet, a walk over the written elements (O(numel)).
// ref: PyTorch's assert_no_partial_overlap / assert_no_overlap (aten/src/ATen/MemoryOverlap.cpp).
import type { View } from "../backend/types.js";
import { contiguousStrides, numelOf, sameShape } from "../shape.js";

const MESSAGE =
  "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.";

/** A view's dims of size > 1 and its first element, in elements of its typed array's grid. */
interface Layout {
  base: number;
  shape: number[];
  strides: number[];
}

function layoutOf(v: View, elemOffset: number): Layout {
  const shape: number[] = [];
  const strides: number[] = [];
  v.shape.forEach((s, d) => {
    if (s !== 1) {
      shape.push(s);
      strides.push(v.strides[d]);
    }
  });
  return { base: elemOffset + v.offset, shape, strides };
}

/** [first, last] element index (inclusive) a non-empty layout touches. */
function extent(l: Layout): [number, number] {
  let hi = l.base;
  for (let d = 0; d < l.shape.length; d++) hi += (l.shape[d] - 1) * l.strides[d];
  return [l.base, hi];
}

/**
 * Finds which logical index (row-major linear) of `r` lives at element `addr`: -1 when none,
 * -2 when several do (a broadcast dim). Built once per check: a decomposition by strides when the
 * layout is "nested" (each stride beyond the reach of the smaller ones, as every slice, permute and
 * reshape of a contiguous tensor is), else a table of r's elements (hand-made layouts only).
 */
function locator(r: Layout): (addr: number) => number {
  const nd = r.shape.length;
  const linStride = contiguousStrides(r.shape);
  const broadcast = r.strides.some((s) => s === 0);
  const dims = [...Array(nd).keys()].filter((d) => r.strides[d] !== 0).sort((a, b) => r.strides[b] - r.strides[a]);
  let nested = true;
  let reach = 0;
  for (let k = dims.length - 1; k >= 0; k--) {
    const d = dims[k];
    if (r.strides[d] <= reach) nested = false;
    reach += (r.shape[d] - 1) * r.strides[d];
  }
  if (nested) {
    return (addr) => {
      let rem = addr - r.base;
      if (rem < 0) return -1;
      let lin = 0;
      for (const d of dims) {
        const q = Math.floor(rem / r.strides[d]);
        if (q >= r.shape[d]) return -1;
        rem -= q * r.strides[d];
        lin += q * linStride[d];
      }
      if (rem !== 0) return -1;
      return broadcast ? -2 : lin;
    };
  }
  const table = new Map<number, number>();
  walk(r, (addr, lin) => void table.set(addr, table.has(addr) ? -2 : lin));
  // NOTE: O(numel) memory, but only for layouts no public view op makes (Tensor's constructor).
  return (addr) => table.get(addr) ?? -1;
}

/** Calls f(element index, row-major linear index) for every element of a layout, until f returns true. */
function walk(l: Layout, f: (addr: number, lin: number) => boolean | void): void {
  const nd = l.shape.length;
  const idx = new Array<number>(nd).fill(0);
  let addr = l.base;
  const total = numelOf(l.shape);
  for (let lin = 0; lin < total; lin++) {
    if (f(addr, lin) === true) return;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < l.shape[d]) {
        addr += l.strides[d];
        break;
      }
      addr -= (l.shape[d] - 1) * l.strides[d];
      idx[d] = 0;
    }
  }
}

/** The byte range [lo, hi) of the buffer that a non-empty view can reach. */
function byteRange(v: View): [number, number] {
  let last = v.offset;
  for (let d = 0; d < v.shape.length; d++) last += (v.shape[d] - 1) * v.strides[d];
  const s = v.typedArray.BYTES_PER_ELEMENT;
  return [v.typedArray.byteOffset + v.offset * s, v.typedArray.byteOffset + (last + 1) * s];
}

/**
 * True when two non-empty views lie in one buffer and their byte ranges meet: the cheap test that
 * rules out sharing. NOTE: the buffer alone doesn't tell: small op outputs share slabs (slab.ts).
 */
export function boundsMeet(a: View, b: View): boolean {
  if (a.typedArray.buffer !== b.typedArray.buffer || numelOf(a.shape) === 0 || numelOf(b.shape) === 0) return false;
  const [alo, ahi] = byteRange(a);
  const [blo, bhi] = byteRange(b);
  return alo < bhi && blo < ahi;
}

/**
 * True when `written` and `read` share memory in a way other than element-for-element identity
 * (`identityAllowed`; with it false, any shared element counts). Views of different storages never
 * overlap. `read` must have `written`'s shape for identity to apply (broadcast it first).
 */
export function overlaps(written: View, read: View, identityAllowed = true): boolean {
  if (!boundsMeet(written, read)) return false;
  const wd = written.typedArray;
  const rd = read.typedArray;
  const size = wd.BYTES_PER_ELEMENT;
  // NOTE: two dtypes (or misaligned arrays) over one buffer: only fromStorage can make them;
  // meeting bounds count as overlap there.
  if (rd.BYTES_PER_ELEMENT !== size || (wd.byteOffset - rd.byteOffset) % size !== 0) return true;
  const w = layoutOf(written, wd.byteOffset / size);
  const r = layoutOf(read, rd.byteOffset / size);
  const identity = identityAllowed && sameShape(written.shape, read.shape);
  if (identity && w.base === r.base && w.strides.every((s, d) => s === r.strides[d])) return false;
  // Exact: for each written element, which element of read (if any) lives there.
  const find = locator(r);
  const [lo, hi] = extent(r);
  let hit = false;
  walk(w, (addr, lin) => {
    if (addr < lo || addr > hi) return false;
    const j = find(addr);
    return (hit = j !== -1 && !(identity && j === lin));
  });
  return hit;
}

/** Throws PyTorch's error when a write into `written` would read memory it also writes, other
 *  than element for element (see overlaps). */
export function checkNoPartialOverlap(written: View, reads: readonly View[]): void {
  for (const r of reads) if (overlaps(written, r)) throw new Error(MESSAGE);
}

/** Throws PyTorch's error when `read` shares any element with `written` (index_put_'s rule). */
export function checkNoOverlap(written: View, reads: readonly View[]): void {
  for (const r of reads) if (overlaps(written, r, false)) throw new Error(MESSAGE);
}
