// Storages for small op outputs, cut from shared zero-filled slabs instead of one ArrayBuffer each.
// NOTE: why. A typed array of its own over 64 bytes lives off V8's heap: each costs an ArrayBuffer,
// a backing store and GC work for external memory, 0.3-2.5 µs, about half of an 8x8 op's time
// (issue #16). One of 64 bytes or less is cheap to make but lives on V8's heap, and V8 moves it
// off (the same cost, plus a copy) the first time the addon asks for its address, which every
// native op does with its output. A piece of a slab is an ordinary typed array (~0.05 µs).
// The price is Node's Buffer pool's: a live piece keeps its whole slab (SLAB_BYTES) alive, hence
// small slabs, pieces of at most MAX_PIECE_BYTES, and no slab for single numbers (0-d results:
// losses and metrics are what code keeps across steps). And a piece's `.buffer` is the slab's:
// transferring it (postMessage) detaches its neighbours too; torch.worker copies pieces instead.
// Pieces are never reused, so a fresh one reads as zeros, and they are 16-byte aligned, like
// malloc's blocks.
import type { DType, Storage } from "../backend/types.js";
import { bytesPerElement, storageOver } from "../dtype.js";

const SLAB_BYTES = 8192;
/** Larger storages get an ArrayBuffer of their own (their allocation is small next to their op). */
export const MAX_PIECE_BYTES = 1024;
const ALIGN = 16;

let slab: ArrayBuffer | null = null;
let used = SLAB_BYTES;

/** A zero-filled storage of n elements cut from a slab, or null when n is not small enough for one. */
export function slabStorage(dtype: DType, n: number): Storage | null {
  const bytes = n * bytesPerElement(dtype);
  if (!(n > 1 && (n | 0) === n && bytes <= MAX_PIECE_BYTES)) return null;
  // NOTE: a slab whose buffer was transferred (postMessage of a piece's .buffer) reads length 0.
  if (slab === null || used + bytes > SLAB_BYTES || slab.byteLength === 0) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const s = storageOver(dtype, slab, used, n);
  used += (bytes + ALIGN - 1) & -ALIGN;
  return s;
}
