// Checks at the public API that keep bad input from failing later, deep inside, with an engine
// message (or a silent undefined): views inside their storage, storages that are still readable
// (not transferred to a worker), storages handed to fromStorage, and backward's gradient argument.
// Each throws once, at the boundary, in PyTorch's words where PyTorch has them.
import type { DType, Storage } from "./backend/types.js";
import { checkInt64 } from "./dtype.js";

/** Node 20 can't ask an ArrayBuffer whether it was transferred; its typed arrays read length 0. */
function detachedHint(data: Storage): string {
  const detached = (data.buffer as ArrayBuffer & { detached?: boolean }).detached;
  return detached === true || (detached === undefined && data.length === 0)
    ? " (its ArrayBuffer was transferred, e.g. to a worker, or released: the tensor can no longer be read)"
    : "";
}

/**
 * Throws unless (shape, strides, offset) describe a view whose every element lies inside `data`:
 * non-negative integer sizes, strides and offset, one stride per dim. O(ndim). An empty view is
 * always valid. PyTorch: "setStorage: sizes [...] ... are out of bounds for storage of size N".
 */
export function checkViewBounds(fn: string, data: Storage, shape: readonly number[], strides: readonly number[], offset: number): void {
  if (!Array.isArray(shape) || !Array.isArray(strides) || shape.length !== strides.length) {
    throw new RangeError(`${fn}: a view needs one stride per dim, got sizes [${String(shape)}] and strides [${String(strides)}]`);
  }
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`${fn}: storage offset must be a non-negative integer, got ${String(offset)}`);
  let empty = false;
  for (const n of shape) {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`${fn}: Trying to create tensor with negative or invalid dimension ${String(n)}: [${shape.join(", ")}]`);
    }
    if (n === 0) empty = true;
  }
  // NOTE: an empty view reads nothing; its contiguous strides may even exceed 2^53 ([0, 2^30, 2^30]).
  if (empty) return;
  let last = offset;
  for (let d = 0; d < shape.length; d++) {
    const s = strides[d];
    if (typeof s !== "number" || !Number.isSafeInteger(s) || s < 0) {
      throw new RangeError(`${fn}: strides must be non-negative integers, got [${strides.join(", ")}]`);
    }
    last += (shape[d] - 1) * s;
  }
  if (last >= data.length) {
    throw new RangeError(
      `${fn}: a view of shape [${shape.join(", ")}], strides [${strides.join(", ")}], offset ${offset} reaches element ${last} of a storage of length ${data.length}${detachedHint(data)}`,
    );
  }
}

/** Throws unless a tensor's elements can still be read: its storage was not transferred or shrunk. */
export function checkReadable(fn: string, v: { typedArray: Storage; shape: readonly number[]; strides: readonly number[]; offset: number }): void {
  checkViewBounds(fn, v.typedArray, v.shape, v.strides, v.offset);
}

/** fromStorage's contract: a typed array of one of the three dtypes whose values that dtype holds
 *  (int64: integers within ±(2^53 - 1); bool: 0 or 1), so no later op meets a value it can't store. */
export function checkStorageValues(data: Storage, dtype: DType, fn: string): void {
  if (dtype === "int64") {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isSafeInteger(data[i])) checkInt64(data[i], `${fn}: element ${i}`);
    }
  } else if (dtype === "bool") {
    for (let i = 0; i < data.length; i++) {
      if (data[i] > 1) throw new RangeError(`${fn}: element ${i} of a bool storage is ${data[i]}; a bool element must be 0 or 1`);
    }
  }
}

/** backward(gradient)'s argument: a Tensor (or nothing). PyTorch: "gradients can be either
 *  Tensors or None, but got list". */
export function checkGradientArg(gradient: unknown, isTensor: (x: unknown) => boolean): void {
  if (gradient === undefined || gradient === null || isTensor(gradient)) return;
  const got = Array.isArray(gradient) ? "list" : typeof gradient === "number" ? "number" : typeof gradient;
  throw new TypeError(`gradients can be either Tensors or None, but got ${got}`);
}
