// Tensor.tolist(): nested arrays built bottom-up, without recursion (a 20,000-dim tensor must not
// overflow the stack) and at a cost that follows the element count: an empty tensor makes no more
// than MAX_EMPTY_LISTS lists (PyTorch would build 268,435,455 empty lists for a [268435455, 0]
// tensor; we refuse instead of running the process out of memory).
import type { Storage } from "./backend/types.js";

/** Most lists tolist() builds for a tensor with no elements (its cost is not bounded by numel). */
export const MAX_EMPTY_LISTS = 1 << 20;

/**
 * `values`: the tensor's elements, contiguous row-major (only read when numel > 0). Returns a plain
 * value for a 0-d tensor. Booleans for bool tensors.
 */
export function toNested(values: Storage, shape: readonly number[], isBool: boolean): unknown {
  const read = (i: number): number | boolean => (isBool ? values[i] !== 0 : values[i]);
  if (shape.length === 0) return read(0);
  const zero = shape.indexOf(0);
  let items: unknown[];
  let d: number; // items are the children of the lists at dim d - 1
  if (zero === -1) {
    let n = 1;
    for (const s of shape) n *= s;
    items = new Array(n);
    for (let i = 0; i < n; i++) items[i] = read(i);
    d = shape.length;
  } else {
    // Lists above the first empty dim: prod(shape[:zero]) empty lists, their parents, and so on.
    let lists = 0;
    for (let k = 0, p = 1; k <= zero; k++) {
      lists += p;
      p *= shape[k];
      if (lists > MAX_EMPTY_LISTS) {
        throw new RangeError(
          `tolist(): a tensor of shape [${shape.join(", ")}] has no elements but would need more than ${MAX_EMPTY_LISTS} nested empty lists; torchlet refuses to build them`,
        );
      }
    }
    let m = 1;
    for (let k = 0; k < zero; k++) m *= shape[k];
    items = new Array(m);
    for (let i = 0; i < m; i++) items[i] = [];
    d = zero;
  }
  // Group runs of shape[d - 1] items into lists, dim by dim, up to the root.
  for (; d > 0; d--) {
    const size = shape[d - 1];
    const groups = new Array(items.length / size);
    for (let g = 0; g < groups.length; g++) groups[g] = items.slice(g * size, (g + 1) * size);
    items = groups;
  }
  return items[0];
}
