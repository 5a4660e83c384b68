// A small pool of dead storages for op outputs that the kernel overwrites completely. The autograd
// engine returns intermediate gradients here once it knows nothing else can reach them (see
// engine.ts), and the next op of that size takes one instead of allocating. Not a general allocator:
// nothing else may recycle (JS can't tell when a tensor dies), and pooled contents are garbage.
// When the pool has nothing of the size, the storage is allocated unfilled (malloc, not calloc), and
// the backend may advise on it (huge pages for very large ones; native/memory.cc tunes malloc).
// NOTE: why. A new 128 KB Float32Array costs 10-40 µs (calloc, page faults, GC pressure from external
// memory) against ~3 µs to fill it: half of a training step's allocations are dead gradients.
import type { DType, Storage } from "../backend/types.js";
import { allocStorage, allocStorageUnfilled, bytesPerElement, dtypeOfStorage } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { backend } from "../backend/index.js";
import { slabStorage } from "./slab.js";

/** Smaller storages are cheap to allocate (V8 keeps typed arrays up to 64 bytes on its heap). */
const MIN_BYTES = 16 * 1024;
/** Storages kept per (dtype, length). */
const MAX_PER_SIZE = 4;
/** Bytes the pool may hold in all. */
const MAX_BYTES = 64 * 1024 * 1024;

const free = new Map<string, Storage[]>();
let held = 0;
let hits = 0;
let misses = 0;

/**
 * Gives a storage back. The caller guarantees no tensor, view or typed array can reach it any
 * more, and that it is a whole allocation (never a subarray of a larger buffer).
 */
export function recycle(s: Storage): void {
  if (s.byteLength < MIN_BYTES || held + s.byteLength > MAX_BYTES) return;
  const key = `${dtypeOfStorage(s)}:${s.length}`;
  let list = free.get(key);
  if (list === undefined) free.set(key, (list = []));
  if (list.length >= MAX_PER_SIZE) return;
  list.push(s);
  held += s.byteLength;
}

/**
 * A fresh storage left unfilled (malloc, not calloc): the op writes every element anyway, and
 * zeroing would touch the whole block once more.
 */
function allocUninit(dtype: DType, n: number): Storage {
  if (n * bytesPerElement(dtype) < MIN_BYTES) return slabStorage(dtype, n) ?? allocStorage(dtype, n);
  const s = allocStorageUnfilled(dtype, n);
  backend().adviseFresh?.(s);
  return s;
}

/** A contiguous tensor whose elements are unspecified: only for outputs a kernel overwrites fully. */
export function emptyUninit(shape: readonly number[], dtype: DType): Tensor {
  let n = 1;
  for (let d = 0; d < shape.length; d++) n *= shape[d];
  // NOTE: nothing below MIN_BYTES is pooled: small outputs skip the lookup (and its key string).
  if (n * bytesPerElement(dtype) < MIN_BYTES) {
    misses++;
    return new Tensor(allocUninit(dtype, n), [...shape]);
  }
  const list = free.get(`${dtype}:${n}`);
  const s = list?.pop();
  if (s === undefined) {
    misses++;
    return new Tensor(allocUninit(dtype, n), [...shape]);
  }
  hits++;
  held -= s.byteLength;
  return new Tensor(s, [...shape]);
}

/** Drops every pooled storage (tests; memory accounting). */
export function clearScratch(): void {
  free.clear();
  held = 0;
}

/** Pool counters: emptyUninit calls served from the pool (hits) or allocated (misses), bytes held. */
export function scratchStats(): { hits: number; misses: number; held: number } {
  return { hits, misses, held };
}
