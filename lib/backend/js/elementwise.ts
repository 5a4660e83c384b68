// Elementwise primitives of the JS backend: fill, copy (with dtype conversion), unary, clamp,
// binary and where, over strided views already broadcast to out's shape. The scalar semantics
// live in scalar.ts and the compiled inner loops in kernels.ts; here are checks and the row walk.
// ref: PyTorch's CPU elementwise semantics (aten/src/ATen/native/cpu/*OpsKernel.cpp), 1.13.

import type { BinaryOp, DType, UnaryOp, View } from "../types.js";
import { kernel1, kernel2 } from "./kernels.js";
import { ARITH_FLOAT, ARITH_INT, CLAMP, COMPARE, LOGICAL, UNARY_FLOAT, UNARY_INT, toInt64 } from "./scalar.js";
import { Loop, checkShaped, checkView, dtypeOf } from "./strided.js";
import { toElement } from "../../dtype.js";

/** out = expr(x) over out's shape, one run of the Loop at a time. */
function map1(expr: string, x: View, out: View, p = 0, q = 0): void {
  const run = kernel1(expr, `${dtypeOf(x.data)}>${dtypeOf(out.data)}`);
  const L = new Loop(out.shape, [x.strides, out.strides], [x.offset, out.offset]);
  const xd = x.data, od = out.data, n = L.n, sx = L.inner[0], so = L.inner[1];
  for (let r = 0; r < L.rows; r++, L.next()) run(xd, od, L.off[0], L.off[1], n, sx, so, p, q);
}

/** out = expr(a, b) over out's shape. */
function map2(expr: string, a: View, b: View, out: View): void {
  const run = kernel2(expr, `${dtypeOf(a.data)},${dtypeOf(b.data)}>${dtypeOf(out.data)}`);
  const L = new Loop(out.shape, [a.strides, b.strides, out.strides], [a.offset, b.offset, out.offset]);
  const ad = a.data, bd = b.data, od = out.data, n = L.n;
  const sa = L.inner[0], sb = L.inner[1], so = L.inner[2];
  for (let r = 0; r < L.rows; r++, L.next()) run(ad, bd, od, L.off[0], L.off[1], L.off[2], n, sa, sb, so);
}

/**
 * The conversion into a storage of dtype `to`, as an expression in x. NOTE: a Float32Array
 * rounds on store by itself, but a Uint8Array would wrap and int64 must truncate.
 */
function conversion(to: DType, from: DType): string {
  if (to === "bool" && from !== "bool") return "x !== 0 ? 1 : 0"; // NaN -> 1
  if (to === "int64" && from === "float32") return "toInt64(x)";
  return "x";
}

export function fill(out: View, value: number): void {
  checkView("fill", "out", out);
  // the value is a JS number, i.e. a float: convert it as copy would, once
  const v = toElement(value, dtypeOf(out.data), "fill_");
  map1("p", out, out, v);
}

export function copy(x: View, out: View): void {
  checkView("copy", "out", out);
  checkShaped("copy", "x", x, out.shape);
  map1(conversion(dtypeOf(out.data), dtypeOf(x.data)), x, out);
}

function sameDtype(op: string, views: Record<string, View>, allowed: readonly DType[]): DType {
  let dt: DType | null = null;
  for (const [name, v] of Object.entries(views)) {
    const d = dtypeOf(v.data);
    if (!allowed.includes(d)) throw new TypeError(`${op}(): ${name} is ${d}, expected ${allowed.join(" or ")}`);
    if (dt !== null && d !== dt) throw new TypeError(`${op}(): ${name} is ${d} but the other operands are ${dt}`);
    dt = d;
  }
  return dt as DType;
}

export function unary(op: UnaryOp, x: View, out: View): void {
  checkView(op, "out", out);
  checkShaped(op, "x", x, out.shape);
  const dt = sameDtype(op, { x, out }, ["float32", "int64"]);
  const expr = dt === "float32" ? UNARY_FLOAT[op] : UNARY_INT[op];
  if (expr === undefined) throw new TypeError(`${op}(): not defined on ${dt}; cast to float32 first`);
  map1(expr, x, out);
}

export function clamp(x: View, lo: number, hi: number, out: View): void {
  checkView("clamp", "out", out);
  checkShaped("clamp", "x", x, out.shape);
  const dt = sameDtype("clamp", { x, out }, ["float32", "int64"]);
  for (const bound of [lo, hi]) {
    if (dt === "int64" && Number.isFinite(bound) && !Number.isInteger(bound)) {
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
    sameDtype(op, { a, b }, ["float32", "int64", "bool"]);
    sameDtype(op, { out }, ["bool"]);
    expr = COMPARE[op as keyof typeof COMPARE];
  } else if (op in LOGICAL) {
    sameDtype(op, { a, b, out }, ["bool"]);
    expr = LOGICAL[op as keyof typeof LOGICAL];
  } else {
    const dt = sameDtype(op, { a, b, out }, ["float32", "int64"]);
    expr = (dt === "float32" ? ARITH_FLOAT : ARITH_INT)[op as keyof typeof ARITH_FLOAT];
    if (expr === undefined) throw new TypeError(`${op}(): not defined on ${dt}; cast to float32 first`);
  }
  map2(expr, a, b, out);
}

export function where(cond: View, a: View, b: View, out: View): void {
  checkView("where", "out", out);
  checkShaped("where", "cond", cond, out.shape);
  checkShaped("where", "a", a, out.shape);
  checkShaped("where", "b", b, out.shape);
  sameDtype("where", { cond }, ["bool"]);
  sameDtype("where", { a, b, out }, ["float32", "int64", "bool"]);
  const views = [cond, a, b, out];
  const L = new Loop(out.shape, views.map((v) => v.strides), views.map((v) => v.offset));
  const cd = cond.data, ad = a.data, bd = b.data, od = out.data, n = L.n;
  const sc = L.inner[0], sa = L.inner[1], sb = L.inner[2], so = L.inner[3];
  for (let r = 0; r < L.rows; r++, L.next()) {
    let ic = L.off[0], ia = L.off[1], ib = L.off[2], io = L.off[3];
    for (let j = 0; j < n; j++, ic += sc, ia += sa, ib += sb, io += so) {
      od[io] = cd[ic] !== 0 ? ad[ia] : bd[ib];
    }
  }
}
