// Elementwise float32 ops on tiny views, run in JS by the native backend instead of the addon: up
// to TINY_NUMEL elements the N-API call (~0.3 µs of argument marshalling and view checks) costs
// more than the loop (~1 ns an element). Only ops whose JS result is the addon's bit for bit:
// - add, sub, mul, div: the exact result rounded to double, then to float32, is the correctly
//   rounded float32 result (double has more than 2 * 24 + 2 bits: double rounding is innocuous),
//   which is what the addon's SIMD and scalar kernels compute (no FTZ/DAZ, no contraction);
// - comparisons (eq, ne, lt, le, gt, ge) into bool: a float32 compares as its double does;
// - relu (x < 0 ? 0 : x keeps -0), neg, where, and copy from any strided view: a float32 read
//   into a double and stored back is the same float32;
// - fill with a number that is not NaN: TypedArray fill rounds it to float32 as the addon's cast.
// NOTE: a NaN anywhere goes back to the addon: which operand's NaN payload a sum keeps depends on
// the order of the machine instruction's operands, which V8's register allocator may swap, and JS
// quiets a signalling NaN that the addon's moves keep. So the loops report a NaN result (from a NaN
// operand, or inf - inf, 0 * inf, 0 / 0) and the addon then redoes the whole op; results land in
// a scratch array first, so the operands (which out may be, in place) are untouched by then.
// Operands are contiguous or one element broadcast (a scalar: every stride 0), of out's shape.
// Anything else (other strides, dtypes and ops, larger or empty views, a view reaching past its
// array) returns false and goes to the addon, which also throws the errors.
import type { BinaryOp, UnaryOp, View } from "./types.js";

/** At most this many elements run in JS (measured against the addon's call: scripts/small_ops.ts). */
export const TINY_NUMEL = 128;

/** An operand's position and step: element i is data[off + i * step] (step 1, or 0: a scalar). */
type Loop2 = (a: Float32Array, ao: number, as: number, b: Float32Array, bo: number, bs: number, o: Float32Array, n: number) => boolean;
type Cmp = (a: Float32Array, ao: number, as: number, b: Float32Array, bo: number, bs: number, o: Uint8Array, oo: number, n: number) => void;
type Loop1 = (x: Float32Array, xo: number, o: Float32Array, n: number) => boolean;

// NOTE: one loop per op, each seeing only Float32Arrays, so V8 keeps them monomorphic. The
// arithmetic loops write o[0 .. n) (the scratch) and return true, with o incomplete, on a NaN.
const ARITH: Partial<Record<BinaryOp, Loop2>> = {
  add: (a, ao, as, b, bo, bs, o, n) => {
    for (let i = 0; i < n; i++) {
      const r = a[ao + i * as] + b[bo + i * bs];
      if (r !== r) return true;
      o[i] = r;
    }
    return false;
  },
  sub: (a, ao, as, b, bo, bs, o, n) => {
    for (let i = 0; i < n; i++) {
      const r = a[ao + i * as] - b[bo + i * bs];
      if (r !== r) return true;
      o[i] = r;
    }
    return false;
  },
  mul: (a, ao, as, b, bo, bs, o, n) => {
    for (let i = 0; i < n; i++) {
      const r = a[ao + i * as] * b[bo + i * bs];
      if (r !== r) return true;
      o[i] = r;
    }
    return false;
  },
  div: (a, ao, as, b, bo, bs, o, n) => {
    for (let i = 0; i < n; i++) {
      const r = a[ao + i * as] / b[bo + i * bs];
      if (r !== r) return true;
      o[i] = r;
    }
    return false;
  },
};

// Comparisons write 0/1 straight into out (a bool view can't be a float32 operand).
const COMPARE: Partial<Record<BinaryOp, Cmp>> = {
  eq: (a, ao, as, b, bo, bs, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as] === b[bo + i * bs] ? 1 : 0; },
  ne: (a, ao, as, b, bo, bs, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as] !== b[bo + i * bs] ? 1 : 0; },
  lt: (a, ao, as, b, bo, bs, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as] < b[bo + i * bs] ? 1 : 0; },
  le: (a, ao, as, b, bo, bs, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as] <= b[bo + i * bs] ? 1 : 0; },
  gt: (a, ao, as, b, bo, bs, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as] > b[bo + i * bs] ? 1 : 0; },
  ge: (a, ao, as, b, bo, bs, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * as] >= b[bo + i * bs] ? 1 : 0; },
};

const UNARY: Partial<Record<UnaryOp, Loop1>> = {
  relu: (x, xo, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i];
      if (v !== v) return true;
      o[i] = v < 0 ? 0 : v;
    }
    return false;
  },
  neg: (x, xo, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i];
      if (v !== v) return true;
      o[i] = -v;
    }
    return false;
  },
};

/** Where results land before they are copied into out whole (one memcpy); scratchOf(n) is its
 *  first n elements (one subarray per n, made once). */
const scratch = new Float32Array(TINY_NUMEL);
const firsts: Float32Array[] = [];
const scratchOf = (n: number) => (firsts[n] ??= scratch.subarray(0, n));

/** The element count of the contiguous `out` when this path takes it (1 .. TINY_NUMEL), else -1. */
function outNumel(out: View, data: "f32" | "bool"): number {
  if (!(data === "f32" ? out.typedArray instanceof Float32Array : out.typedArray instanceof Uint8Array)) return -1;
  const s = out.shape;
  let n = 1;
  for (let d = 0; d < s.length; d++) n *= s[d];
  if (!(n >= 1 && n <= TINY_NUMEL)) return -1;
  return stepOf(out, s, n) === 1 ? n : -1;
}

/** How v, of `shape` (n >= 1 elements), is read: 1 contiguous, 0 one element broadcast, -1 not
 *  here (another shape or layout, or past the end of its array). */
function stepOf(v: View, shape: readonly number[], n: number): number {
  const s = v.shape, st = v.strides;
  if (s.length !== shape.length) return -1;
  let contiguous = true, broadcast = true, expect = 1;
  for (let d = s.length - 1; d >= 0; d--) {
    if (s[d] !== shape[d]) return -1;
    if (s[d] === 1) continue;
    if (st[d] !== expect) contiguous = false;
    if (st[d] !== 0) broadcast = false;
    expect *= s[d];
  }
  const off = v.offset;
  if (!(Number.isInteger(off) && off >= 0)) return -1;
  if (contiguous) return off + n <= v.typedArray.length ? 1 : -1;
  return broadcast && off < v.typedArray.length ? 0 : -1;
}

/** The step of a float32 operand of out's shape, or -1. */
function f32Step(v: View, out: View, n: number): number {
  return v.typedArray instanceof Float32Array ? stepOf(v, out.shape, n) : -1;
}

/** True when out = a op b was computed here. NOTE: out may be a or b itself (in-place ops); a
 *  partial overlap is refused by the frontend before any backend runs. */
export function tinyBinary(op: BinaryOp, a: View, b: View, out: View): boolean {
  const arith = ARITH[op];
  const cmp = arith === undefined ? COMPARE[op] : undefined;
  if (arith === undefined && cmp === undefined) return false;
  const n = outNumel(out, arith !== undefined ? "f32" : "bool");
  if (n < 0) return false;
  const as = f32Step(a, out, n), bs = f32Step(b, out, n);
  if (as < 0 || bs < 0) return false;
  const ad = a.typedArray as Float32Array, bd = b.typedArray as Float32Array;
  if (cmp !== undefined) {
    cmp(ad, a.offset, as, bd, b.offset, bs, out.typedArray as Uint8Array, out.offset, n);
    return true;
  }
  if (arith!(ad, a.offset, as, bd, b.offset, bs, scratch, n)) return false;
  (out.typedArray as Float32Array).set(scratchOf(n), out.offset);
  return true;
}

/** True when out = op(x) was computed here (x contiguous; same rules as tinyBinary). */
export function tinyUnary(op: UnaryOp, x: View, out: View): boolean {
  const loop = UNARY[op];
  if (loop === undefined) return false;
  const n = outNumel(out, "f32");
  if (n < 0 || f32Step(x, out, n) !== 1) return false;
  if (loop(x.typedArray as Float32Array, x.offset, scratch, n)) return false;
  (out.typedArray as Float32Array).set(scratchOf(n), out.offset);
  return true;
}

/** True when out = cond ? a : b was computed here (cond bool, a, b and out float32). */
export function tinyWhere(cond: View, a: View, b: View, out: View): boolean {
  const n = outNumel(out, "f32");
  if (n < 0 || !(cond.typedArray instanceof Uint8Array)) return false;
  const cs = stepOf(cond, out.shape, n), as = f32Step(a, out, n), bs = f32Step(b, out, n);
  if (cs < 0 || as < 0 || bs < 0) return false;
  const c = cond.typedArray, ad = a.typedArray as Float32Array, bd = b.typedArray as Float32Array;
  const co = cond.offset, ao = a.offset, bo = b.offset;
  for (let i = 0; i < n; i++) {
    const v = c[co + i * cs] ? ad[ao + i * as] : bd[bo + i * bs];
    if (v !== v) return false;
    scratch[i] = v;
  }
  (out.typedArray as Float32Array).set(scratchOf(n), out.offset);
  return true;
}

/** True when the contiguous float32 out was filled with `value` here (NaN goes to the addon). */
export function tinyFill(out: View, value: number): boolean {
  if (value !== value) return false;
  const n = outNumel(out, "f32");
  if (n < 0) return false;
  (out.typedArray as Float32Array).fill(value, out.offset, out.offset + n);
  return true;
}

/** True when x (any strides, same shape) was copied into the contiguous float32 out here. NOTE:
 *  written in place; where it stops at a NaN, the addon copies again from x, which the frontend
 *  keeps from overlapping out (other than element for element). */
export function tinyCopy(x: View, out: View): boolean {
  if (!(x.typedArray instanceof Float32Array)) return false;
  const n = outNumel(out, "f32");
  if (n < 0) return false;
  const shape = x.shape, st = x.strides, nd = shape.length;
  if (nd !== out.shape.length) return false;
  // x must stay inside its array: the addon's bounds check, which this path skips
  let last = x.offset;
  for (let d = 0; d < nd; d++) {
    if (shape[d] !== out.shape[d] || !(Number.isInteger(st[d]) && st[d] >= 0)) return false;
    last += (shape[d] - 1) * st[d];
  }
  if (!(Number.isInteger(x.offset) && x.offset >= 0 && last < x.typedArray.length)) return false;
  const xd = x.typedArray, od = out.typedArray as Float32Array;
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
