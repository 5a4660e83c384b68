// Elementwise float32 ops on tiny contiguous views, run in JS by the native backend instead of the
// addon: below TINY_NUMEL elements the N-API call (~0.3 µs of argument marshalling and view checks)
// costs more than the loop (~1 ns an element). Only ops whose JS result is the addon's bit for bit:
// - add, sub, mul, div: the exact result rounded to double, then to float32, is the correctly
//   rounded float32 result (double has more than 2 * 24 + 2 bits: double rounding is innocuous),
//   which is what the addon's SIMD and scalar kernels compute (no FTZ/DAZ, no contraction);
// - relu: x < 0 ? 0 : x keeps -0 and every other value as it is;
// - fill with a number that is not NaN: TypedArray fill rounds it to float32 as the addon's cast;
// - copy from any strided float32 view (broadcast too) into a contiguous float32 one: a float32
//   read into a double and stored back is the same float32.
// NOTE: a NaN anywhere goes back to the addon: which operand's NaN payload a sum keeps depends on
// the order of the machine instruction's operands, which V8's register allocator may swap, and JS
// quiets a signalling NaN that the addon's relu passes through. So a loop reports a NaN result
// (a NaN operand, or a new NaN from inf - inf, 0 * inf, 0 / 0) and the addon then redoes the op.
// Anything else (strided or broadcast views, other dtypes and ops, larger views, a view reaching
// past its array) returns false and goes to the addon, which also throws the errors.
import type { BinaryOp, UnaryOp, View } from "./types.js";

/** At most this many elements run in JS (measured against the addon's call: scripts/small_ops.ts). */
export const TINY_NUMEL = 128;

/** Writes n results from o[oo]; returns true, with the results incomplete, on a NaN. */
type Loop2 = (a: Float32Array, ao: number, b: Float32Array, bo: number, o: Float32Array, oo: number, n: number) => boolean;
type Loop1 = (x: Float32Array, xo: number, o: Float32Array, oo: number, n: number) => boolean;

// NOTE: one loop per op, each seeing only Float32Arrays, so V8 keeps them monomorphic.
const BINARY: Partial<Record<BinaryOp, Loop2>> = {
  add: (a, ao, b, bo, o, oo, n) => {
    for (let i = 0; i < n; i++) {
      const r = a[ao + i] + b[bo + i];
      if (r !== r) return true;
      o[oo + i] = r;
    }
    return false;
  },
  sub: (a, ao, b, bo, o, oo, n) => {
    for (let i = 0; i < n; i++) {
      const r = a[ao + i] - b[bo + i];
      if (r !== r) return true;
      o[oo + i] = r;
    }
    return false;
  },
  mul: (a, ao, b, bo, o, oo, n) => {
    for (let i = 0; i < n; i++) {
      const r = a[ao + i] * b[bo + i];
      if (r !== r) return true;
      o[oo + i] = r;
    }
    return false;
  },
  div: (a, ao, b, bo, o, oo, n) => {
    for (let i = 0; i < n; i++) {
      const r = a[ao + i] / b[bo + i];
      if (r !== r) return true;
      o[oo + i] = r;
    }
    return false;
  },
};

const UNARY: Partial<Record<UnaryOp, Loop1>> = {
  relu: (x, xo, o, oo, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i];
      if (v !== v) return true;
      o[oo + i] = v < 0 ? 0 : v;
    }
    return false;
  },
};

/**
 * Where a binary op's results land first, then copied out whole (one memcpy): a NaN found halfway
 * must leave the operands unchanged for the addon, and out may share memory with an operand (an
 * in-place op; another typed array over the same elements), which only `.buffer` could tell (~20
 * ns per array). scratchOf(n) is its first n elements (one subarray per n, made once).
 */
const scratch = new Float32Array(TINY_NUMEL);
const firsts: Float32Array[] = [];
const scratchOf = (n: number) => (firsts[n] ??= scratch.subarray(0, n));

/** The element count of `v` when it is a float32 view of `shape`, row-major contiguous (size-1
 *  dims' strides aside) and inside its array, with at most TINY_NUMEL elements; else -1. */
function tinyNumel(v: View, shape: readonly number[]): number {
  if (!(v.data instanceof Float32Array)) return -1;
  const s = v.shape, st = v.strides;
  if (s.length !== shape.length) return -1;
  let n = 1;
  for (let d = s.length - 1; d >= 0; d--) {
    const size = s[d];
    if (size !== shape[d]) return -1;
    if (size !== 1 && st[d] !== n) return -1;
    n *= size;
  }
  return n <= TINY_NUMEL && Number.isInteger(v.offset) && v.offset >= 0 && v.offset + n <= v.data.length ? n : -1;
}

/** True when out = a op b was computed here. NOTE: out may be a or b itself (in-place ops); a
 *  partial overlap is refused by the frontend before any backend runs. */
export function tinyBinary(op: BinaryOp, a: View, b: View, out: View): boolean {
  const loop = BINARY[op];
  if (loop === undefined) return false;
  const n = tinyNumel(out, out.shape);
  if (n < 0 || tinyNumel(a, out.shape) < 0 || tinyNumel(b, out.shape) < 0) return false;
  if (loop(a.data as Float32Array, a.offset, b.data as Float32Array, b.offset, scratch, 0, n)) return false;
  (out.data as Float32Array).set(scratchOf(n), out.offset);
  return true;
}

/** True when out = op(x) was computed here (same rules as tinyBinary). NOTE: written in place: relu
 *  reads each element before writing it, and where it stops at a NaN, the addon's relu of what it
 *  already wrote is the same (relu(relu(x)) = relu(x)). */
export function tinyUnary(op: UnaryOp, x: View, out: View): boolean {
  const loop = UNARY[op];
  if (loop === undefined) return false;
  const n = tinyNumel(out, out.shape);
  if (n < 0 || tinyNumel(x, out.shape) < 0) return false;
  return !loop(x.data as Float32Array, x.offset, out.data as Float32Array, out.offset, n);
}

/** True when x (any strides, same shape) was copied into the contiguous out here. NOTE: written in
 *  place; where it stops at a NaN, the addon copies again from x, which the frontend keeps from
 *  overlapping out (other than element for element). */
export function tinyCopy(x: View, out: View): boolean {
  if (!(x.data instanceof Float32Array)) return false;
  const n = tinyNumel(out, x.shape);
  if (n <= 0) return false;
  const shape = x.shape, st = x.strides, nd = shape.length;
  // x must stay inside its array: the addon's bounds check, which this path skips
  let last = x.offset;
  for (let d = 0; d < nd; d++) {
    if (!(Number.isInteger(st[d]) && st[d] >= 0)) return false;
    last += (shape[d] - 1) * st[d];
  }
  if (!(Number.isInteger(x.offset) && x.offset >= 0 && last < x.data.length)) return false;
  const xd = x.data, od = out.data as Float32Array;
  let o = out.offset;
  if (nd === 2) {
    const [r, c] = shape, [s0, s1] = st;
    for (let i = 0; i < r; i++) {
      let p = x.offset + i * s0;
      for (let j = 0; j < c; j++, p += s1) {
        const v = xd[p];
        if (v !== v) return false;
        od[o++] = v;
      }
    }
    return true;
  }
  // any rank: an odometer over x's index, the last dim fastest
  const idx = new Array<number>(nd).fill(0);
  let p = x.offset;
  for (let k = 0; k < n; k++) {
    const v = xd[p];
    if (v !== v) return false;
    od[o++] = v;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        p += st[d];
        break;
      }
      p -= (shape[d] - 1) * st[d];
      idx[d] = 0;
    }
  }
  return true;
}

/** True when the contiguous float32 out was filled with `value` here (NaN goes to the addon). */
export function tinyFill(out: View, value: number): boolean {
  if (value !== value) return false;
  const n = tinyNumel(out, out.shape);
  if (n <= 0) return false;
  (out.data as Float32Array).fill(value, out.offset, out.offset + n);
  return true;
}
