// Shape arithmetic shared by every op: validation, strides, broadcasting, dim normalisation.
// Error messages follow PyTorch's wording where PyTorch has one.

export type Shape = readonly number[];

/** Largest element count of one tensor: keeps every offset a small integer on both backends. */
export const MAX_NUMEL = 2 ** 31 - 1;

export function numelOf(shape: Shape): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Validates user-given sizes: non-negative integers whose product fits. */
export function checkShape(shape: readonly unknown[], fn: string): number[] {
  const out: number[] = [];
  for (const s of shape) {
    if (typeof s !== "number" || !Number.isInteger(s)) {
      const what = typeof s === "bigint" ? `the BigInt ${s}n (pass sizes as numbers)` : typeof s === "number" ? String(s) : `${typeof s} ${String(s)}`;
      throw new TypeError(`${fn}: size must be a sequence of integers, got ${what} in [${shape.map(String).join(", ")}]`);
    }
    if (s < 0) throw new RangeError(`${fn}: Trying to create tensor with negative dimension ${s}: [${shape.join(", ")}]`);
    out.push(s);
  }
  if (numelOf(out) > MAX_NUMEL) throw new RangeError(`${fn}: shape [${out.join(", ")}] has more than ${MAX_NUMEL} elements`);
  return out;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Wraps a possibly negative dim into [0, ndim). A 0-d tensor accepts dims -1 and 0. */
export function normDim(dim: number, ndim: number, fn = ""): number {
  const n = Math.max(ndim, 1);
  if (typeof dim === "bigint") throw new TypeError(`${fn ? fn + ": " : ""}argument 'dim' must be int, not BigInt (pass dims as numbers)`);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RangeError(
      `${fn ? fn + ": " : ""}Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${typeof dim === "string" ? JSON.stringify(dim) : String(dim)})`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}
