// Elementwise primitives of the JS backend: fill, copy (with dtype conversion), unary, clamp,
// binary and where, over strided views already broadcast to out's shape. The scalar semantics
// live in scalar.ts and the compiled inner loops in kernels.ts; here are checks and the row walk.
// ref: PyTorch's CPU elementwise semantics (aten/src/ATen/native/cpu/*OpsKernel.cpp), 1.13.

import type { BinaryOp, DType, UnaryOp, View } from "../types.js";
import { kernel1, kernel2 } from "./kernels.js";
import { ARITH_FLOAT, ARITH_INT, ARITH_INT_FIXED, CLAMP, COMPARE, LOGICAL, UNARY_FLOAT, UNARY_INT, toInt64 } from "./scalar.js";
import { Loop, checkShaped, checkView, dtypeOf } from "./strided.js";
import { isFloating, toElement } from "../../dtype.js";

/** out = expr(x) over out's shape, one run of the Loop at a time. */
function map1(expr: string, x: View, out: View, p = 0, q = 0): void {
  const run = kernel1(expr, `${dtypeOf(x.typedArray)}>${dtypeOf(out.typedArray)}`);
  const L = new Loop(out.shape, [x.strides, out.strides], [x.offset, out.offset]);
  const xd = x.typedArray, od = out.typedArray, n = L.n, sx = L.inner[0], so = L.inner[1];
  for (let r = 0; r < L.rows; r++, L.next()) run(xd, od, L.off[0], L.off[1], n, sx, so, p, q);
}

/** out = expr(a, b) over out's shape. */
function map2(expr: string, a: View, b: View, out: View): void {
  const run = kernel2(expr, `${dtypeOf(a.typedArray)},${dtypeOf(b.typedArray)}>${dtypeOf(out.typedArray)}`);
  const L = new Loop(out.shape, [a.strides, b.strides, out.strides], [a.offset, b.offset, out.offset]);
  const ad = a.typedArray, bd = b.typedArray, od = out.typedArray, n = L.n;
  const sa = L.inner[0], sb = L.inner[1], so = L.inner[2];
  for (let r = 0; r < L.rows; r++, L.next()) run(ad, bd, od, L.off[0], L.off[1], L.off[2], n, sa, sb, so);
}

/**
 * The conversion into a storage of dtype `to`, as an expression in x. NOTE: a Float32Array
 * rounds on store by itself, and an Int32/16/8 or Uint8 array truncates toward zero and wraps
 * (PyTorch on x86 for the integer narrowings), but a bool must become 0/1, int64 must truncate
 * (checked), and float16/bfloat16 are bit patterns: decoded on read, rounded on store.
 */
function conversion(to: DType, from: DType): string {
  if (to === from) return "x";
  const v = from === "float16" ? "fromHalfBits(x)" : from === "bfloat16" ? "fromBFloat16Bits(x)" : "x";
  if (to === "bool") return `${v} !== 0 ? 1 : 0`; // NaN -> 1
  if (to === "int64" && isFloating(from)) return `toInt64(${v})`;
  if (to === "float16") return `toHalfBits(${v})`;
  if (to === "bfloat16") return `toBFloat16Bits(${v})`;
  return v;
}

// Every dtype but the two stored as bits: the JS backend (js.ts) widens those to float32 first.
const NUMERIC: readonly DType[] = ["float32", "float64", "int64", "int32", "int16", "int8", "uint8"];
const ALL: readonly DType[] = [...NUMERIC, "bool"];

/** The arithmetic expressions for a dtype: PyTorch's wraparound for the fixed-width integers
 *  comes from the typed array's store, except for a product, which must not round first. */
function arith(dt: DType): Partial<Record<string, string>> {
  if (isFloating(dt)) return ARITH_FLOAT;
  return dt === "int64" ? ARITH_INT : ARITH_INT_FIXED;
}

export function fill(out: View, value: number): void {
  checkView("fill", "out", out);
  // the value is a JS number, i.e. a float: convert it as copy would, once
  const v = toElement(value, dtypeOf(out.typedArray), "fill_");
  map1("p", out, out, v);
}

export function copy(x: View, out: View): void {
  checkView("copy", "out", out);
  checkShaped("copy", "x", x, out.shape);
  map1(conversion(dtypeOf(out.typedArray), dtypeOf(x.typedArray)), x, out);
}

function sameDtype(op: string, views: Record<string, View>, allowed: readonly DType[]): DType {
  let dt: DType | null = null;
  for (const [name, v] of Object.entries(views)) {
    const d = dtypeOf(v.typedArray);
    if (!allowed.includes(d)) throw new TypeError(`${op}(): ${name} is ${d}, expected ${allowed.join(" or ")}`);
    if (dt !== null && d !== dt) throw new TypeError(`${op}(): ${name} is ${d} but the other operands are ${dt}`);
    dt = d;
  }
  return dt as DType;
}

export function unary(op: UnaryOp, x: View, out: View): void {
  checkView(op, "out", out);
  checkShaped(op, "x", x, out.shape);
  const dt = sameDtype(op, { x, out }, NUMERIC);
  const expr = isFloating(dt) ? UNARY_FLOAT[op] : UNARY_INT[op];
  if (expr === undefined) throw new TypeError(`${op}(): not defined on ${dt}; cast to float32 first`);
  map1(expr, x, out);
}

export function clamp(x: View, lo: number, hi: number, out: View): void {
  checkView("clamp", "out", out);
  checkShaped("clamp", "x", x, out.shape);
  const dt = sameDtype("clamp", { x, out }, NUMERIC);
  for (const bound of [lo, hi]) {
    if (!isFloating(dt) && Number.isFinite(bound) && !Number.isInteger(bound)) {
      throw new RangeError(`clamp(): bound ${bound} on an int64 tensor must be an integer`);
    }
  }
  map1(CLAMP, x, out, lo, hi);
}

export function binary(op: BinaryOp, a: View, b: View, out: View): void {
  checkView(op, "out", out);
  checkShaped(op, "a", a, out.shape);
  checkShaped(op, "b", b, out.shape);
  let expr: string | undefined;
  if (op in COMPARE) {
    sameDtype(op, { a, b }, ALL);
    sameDtype(op, { out }, ["bool"]);
    expr = COMPARE[op as keyof typeof COMPARE];
  } else if (op in LOGICAL) {
    sameDtype(op, { a, b, out }, ["bool"]);
    expr = LOGICAL[op as keyof typeof LOGICAL];
  } else {
    const dt = sameDtype(op, { a, b, out }, NUMERIC);
    expr = arith(dt)[op];
    if (expr === undefined) throw new TypeError(`${op}(): not defined on ${dt}; cast to float32 first`);
  }
  map2(expr, a, b, out);
}

export function reluBackward(grad: View, result: View, out: View): void {
  checkView("reluBackward", "out", out);
  checkShaped("reluBackward", "grad", grad, out.shape);
  checkShaped("reluBackward", "result", result, out.shape);
  sameDtype("reluBackward", { grad, result, out }, ["float32", "float64"]);
  const views = [grad, result, out];
  const L = new Loop(out.shape, views.map((v) => v.strides), views.map((v) => v.offset));
  const gd = grad.typedArray, rd = result.typedArray, od = out.typedArray, n = L.n;
  const sg = L.inner[0], sr = L.inner[1], so = L.inner[2];
  for (let r = 0; r < L.rows; r++, L.next()) {
    let ig = L.off[0], ir = L.off[1], io = L.off[2];
    // NOTE: the written form of the native loop (a NaN result fails the test and passes grad).
    for (let j = 0; j < n; j++, ig += sg, ir += sr, io += so) od[io] = rd[ir] <= 0 ? 0 : gd[ig];
  }
}

export function where(cond: View, a: View, b: View, out: View): void {
  checkView("where", "out", out);
  checkShaped("where", "cond", cond, out.shape);
  checkShaped("where", "a", a, out.shape);
  checkShaped("where", "b", b, out.shape);
  sameDtype("where", { cond }, ["bool"]);
  sameDtype("where", { a, b, out }, ALL);
  const views = [cond, a, b, out];
  const L = new Loop(out.shape, views.map((v) => v.strides), views.map((v) => v.offset));
  const cd = cond.typedArray, ad = a.typedArray, bd = b.typedArray, od = out.typedArray, n = L.n;
  const sc = L.inner[0], sa = L.inner[1], sb = L.inner[2], so = L.inner[3];
  for (let r = 0; r < L.rows; r++, L.next()) {
    let ic = L.off[0], ia = L.off[1], ib = L.off[2], io = L.off[3];
    for (let j = 0; j < n; j++, ic += sc, ia += sa, ib += sb, io += so) {
      od[io] = cd[ic] !== 0 ? ad[ia] : bd[ib];
    }
  }
}
