// Storages for small op outputs, cut from shared zero-filled slabs instead of one ArrayBuffer each.
// NOTE: why. A typed array of its own over 64 bytes lives off V8's heap: each costs an ArrayBuffer,
// a backing store and GC work for external memory, 0.3-2.5 µs, about half of an 8x8 op's time
// (issue #16). A piece of a slab is an ordinary typed array (~0.05 µs). Storages of 64 bytes or
// less stay as they were: V8 keeps them on its heap, cheap to make (though moved off the heap the
// first time the addon takes their address), and they are what code tends to keep (a loss, a
// prediction), which in a slab would keep the whole slab alive.
// The price is Node's Buffer pool's: a live piece keeps its whole slab (SLAB_BYTES) alive, hence
// small slabs and pieces of at most MAX_PIECE_BYTES. And a piece's `.buffer` is the slab's:
// transferring it (postMessage) detaches its neighbours too; torch.worker copies pieces instead.
// Pieces are never reused, so a fresh one reads as zeros, and they are 16-byte aligned, like
// malloc's blocks.
import type { DType, Storage } from "../backend/types.js";
import { bytesPerElement, storageOver } from "../dtype.js";

const SLAB_BYTES = 8192;
/** Larger storages get an ArrayBuffer of their own (their allocation is small next to their op). */
export const MAX_PIECE_BYTES = 1024;
/** V8's largest typed array kept on its heap (typed_array_max_size_in_heap): these stay there. */
export const ON_HEAP_BYTES = 64;
const ALIGN = 16;

let slab: ArrayBuffer | null = null;
let used = SLAB_BYTES;

/** A zero-filled storage of n elements cut from a slab, or null when n is not small enough for one. */
export function slabStorage(dtype: DType, n: number): Storage | null {
  const bytes = n * bytesPerElement(dtype);
  if (!(bytes > ON_HEAP_BYTES && bytes <= MAX_PIECE_BYTES && (n | 0) === n)) return null;
  // NOTE: a slab whose buffer was transferred (postMessage of a piece's .buffer) reads length 0.
  if (slab === null || used + bytes > SLAB_BYTES || slab.byteLength === 0) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const s = storageOver(dtype, slab, used, n);
  used += (bytes + ALIGN - 1) & -ALIGN;
  return s;
}
