// Elementwise ops: type promotion and broadcasting are resolved here, once, then a backend
// primitive runs on same-shape views. Broadcasting is an explicit expand (a stride-0 view), so
// its gradient (a sum) lives in exactly one rule. ref: tinygrad 0.8 Tensor._broadcasted.
import type { ArithOp, CompareOp, DType, LogicalOp, UnaryOp } from "../backend/types.js";
import { backend } from "../backend/index.js";
import { record, rename } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { bumpVersion } from "../autograd/version.js";
import { recordInPlace } from "../autograd/inplace.js";
import { checkCastTo, checkInt64, getDefaultDtype, toElement, toStoredElement, toWrappedElement, isFloating, isIntegral, resultType as promoteOperands } from "../dtype.js";
import { broadcastShapes, sameShape } from "../shape.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { expand } from "./views.js";
import { emptyUninit } from "./scratch.js";
import { computeInto, copyInto, type OutOptions } from "./out.js";
import { clampTensor } from "./clamp.js";
import { checkNoOverlap, checkNoPartialOverlap } from "./overlap.js";
import { checkIntResult, intDivide } from "./int64.js";

/** Unary ops defined on integers too (they keep the dtype); all others compute in float32. */
const INT_UNARY = new Set<UnaryOp>(["neg", "abs", "sign", "floor", "ceil", "round", "trunc"]);

/** The rounding functions: the identity on integer dtypes. */
const ROUNDING = new Set<UnaryOp>(["floor", "ceil", "round", "trunc"]);

/** Binary ops whose integer operands compute in the default float (true division, atan2, copysign). */
const FLOAT_RESULT = new Set<ArithOp>(["div", "atan2", "copysign"]);

/** A 0-d tensor holding a scalar operand. `wrap`: an integer out of a fixed-width dtype's range
 *  wraps around (an arithmetic operand: `uint8_tensor + 300`) instead of throwing (a stored value). */
export function scalarTensor(v: number | boolean, dtype: DType, wrap = false): Tensor {
  const t = Tensor.empty([], dtype);
  const n = Number(v);
  // NOTE: a bool holds 0 or 1 (NaN is true, as in Python); a raw -1 would wrap to 255 in the Uint8Array.
  t.typedArray[0] = wrap ? toWrappedElement(n, dtype, "scalar") : toStoredElement(n, dtype, "scalar");
  return t;
}

/** Converts to dtype (recorded, so gradients flow back through float casts). */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = emptyUninit(x.shape, dtype);
  backend().copy(x, out);
  return record("cast", [x], out, { from: x.dtype });
}

/** Broadcast view of x to shape (recorded only when the shape changes). */
function expandTo(x: Tensor, shape: readonly number[]): Tensor {
  return sameShape(x.shape, shape) ? x : expand(x, shape);
}

export function unary(op: UnaryOp, x: Tensor, out?: Tensor | null): Tensor {
  if (x.dtype === "bool") {
    if (op === "neg") {
      throw new TypeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }
    if (op === "relu") throw new TypeError("Boolean inputs not supported for relu");
    if (op === "abs") throw new TypeError(`"abs_cpu" not implemented for 'Bool'`);
    if (ROUNDING.has(op)) throw new TypeError(`"${op}_vml_cpu" not implemented for 'Bool'`);
    x = cast(x, INT_UNARY.has(op) ? "int64" : getDefaultDtype());
  }
  if (ROUNDING.has(op) && isIntegral(x.dtype)) {
    // PyTorch: an integer tensor is already whole, so floor/ceil/round/trunc give its values (its dtype)
    if (out != null) return computeInto(op, out, x.shape, x.dtype, [x], (dst) => backend().copy(x, dst));
    const res = emptyUninit(x.shape, x.dtype);
    backend().copy(x, res);
    return res;
  }
  if (op === "relu" && isIntegral(x.dtype)) {
    // NOTE: relu keeps integer dtypes in PyTorch; it is clamp(x, 0) there, so no int kernel is needed.
    const clampInt = (dst: Tensor) => backend().clamp(x, 0, Infinity, dst);
    if (out != null) return computeInto(op, out, x.shape, x.dtype, [x], clampInt);
    const res = emptyUninit(x.shape, x.dtype);
    clampInt(res);
    return res;
  }
  if (!isFloating(x.dtype) && !INT_UNARY.has(op)) x = cast(x, getDefaultDtype());
  if (out != null) return computeInto(op, out, x.shape, x.dtype, [x], (dst) => backend().unary(op, x, dst));
  const res = emptyUninit(x.shape, x.dtype);
  backend().unary(op, x, res);
  return record(op, [x], res);
}

/** The dtype two operands compute in: torch.result_type (dtype.ts), where 0-d tensors and JS
 *  scalars ("wrapped numbers") count only by category. Two scalars (torch.where(c, 1, 0)): bool if
 *  both are, int64 if both are integers, else float32. NOTE: JS can't tell 1.0 from 1; pass a
 *  float32 tensor for float. */
export function resultType(a: TensorOrScalar, b: TensorOrScalar): DType {
  // NOTE: the hot path (two tensors of one dtype, or a float tensor and a number) skips the rule.
  if (a instanceof Tensor) {
    const d = a.dtype;
    if (b instanceof Tensor ? b.dtype === d : typeof b === "number" && isFloating(d)) return d;
  }
  const ok = (v: unknown) => v instanceof Tensor || typeof v === "number" || typeof v === "boolean";
  // NOTE: anything else is refused with PyTorch's wording where the operand is used (asTensor).
  if (!ok(a) || !ok(b)) return ok(a) && a instanceof Tensor ? a.dtype : ok(b) && b instanceof Tensor ? b.dtype : getDefaultDtype();
  return promoteOperands(a, b);
}

const isBool = (v: TensorOrScalar) => (v instanceof Tensor ? v.dtype === "bool" : typeof v === "boolean");

/** PyTorch's arithmetic on bools: add/maximum are `or`, mul/minimum are `and`, sub and pow refuse. */
function boolArith(op: ArithOp, a: TensorOrScalar, b: TensorOrScalar): LogicalOp | null {
  if (op === "sub" && (isBool(a) || isBool(b))) {
    throw new TypeError(
      isBool(a) && isBool(b)
        ? "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead."
        : "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
  }
  if (resultType(a, b) !== "bool") return null;
  if (op === "pow") throw new TypeError(`"pow" not implemented for 'Bool'`);
  return op === "add" || op === "maximum" ? "or" : op === "mul" || op === "minimum" ? "and" : null;
}

function asTensor(v: TensorOrScalar, dtype: DType, fn: string): Tensor {
  if (v instanceof Tensor) return cast(v, dtype);
  if (typeof v !== "number" && typeof v !== "boolean") {
    throw new TypeError(`${fn}(): argument 'other' must be Tensor or Number, not ${typeof v}`);
  }
  return scalarTensor(v, dtype, true);
}

/** Casts both operands to `dtype` and broadcasts them to a common shape. */
function prepare(a: TensorOrScalar, b: TensorOrScalar, dtype: DType, fn: string): [Tensor, Tensor, number[]] {
  const ta = asTensor(a, dtype, fn);
  const tb = asTensor(b, dtype, fn);
  const shape = broadcastShapes(ta.shape, tb.shape);
  return [expandTo(ta, shape), expandTo(tb, shape), shape];
}

export function binary(op: ArithOp, a: TensorOrScalar, b: TensorOrScalar, out?: Tensor | null): Tensor {
  const asLogical = boolArith(op, a, b);
  if (asLogical) return out == null ? logical(asLogical, a, b) : copyInto(op, out, operands(a, b), logical(asLogical, a, b));
  let dtype = resultType(a, b);
  if (dtype === "bool") dtype = "int64";
  if (FLOAT_RESULT.has(op) && !isFloating(dtype)) dtype = getDefaultDtype(); // integer division gives the default float
  const [ea, eb, shape] = prepare(a, b, dtype, op);
  const scalarPow = op === "pow" && !(b instanceof Tensor);
  // NOTE: no named closure on the common path: tsx (the benchmarks, scripts) wraps each in a __name call.
  if (out != null) return computeInto(op, out, shape, dtype, [ea, eb], (dst) => binaryInto(op, ea, eb, dst, dst === out, scalarPow));
  const res = emptyUninit(shape, dtype);
  binaryInto(op, ea, eb, res, false, scalarPow);
  const rec = record(op, [ea, eb], res);
  return scalarPow ? rename(rec, "PowBackward0") : rec;
}

/** dst = a op b, a and b of dst's shape and dtype. `isOut`: dst is the caller's out= tensor. */
function binaryInto(op: ArithOp, a: Tensor, b: Tensor, dst: Tensor, isOut: boolean, scalarPow: boolean): void {
  if (dst.dtype !== "int64") return backend().binary(op, a, b, dst);
  // NOTE: int64 math runs in doubles: compute aside, refuse an inexact result, then write.
  const res = isOut ? emptyUninit(dst.shape, "int64") : dst;
  backend().binary(op, a, b, res);
  checkIntResult(res, op, scalarPow);
  if (res !== dst) backend().copy(res, dst);
}

/** The Tensor operands of a binary op (for out='s autograd and aliasing checks). */
function operands(a: TensorOrScalar, b: TensorOrScalar): Tensor[] {
  return [a, b].filter((v): v is Tensor => v instanceof Tensor);
}

export interface AlphaOptions extends OutOptions {
  alpha?: number;
}

export function add(a: TensorOrScalar, b: TensorOrScalar, opts?: AlphaOptions): Tensor {
  const other = opts?.alpha === undefined || opts.alpha === 1 ? b : scaled(b, opts.alpha);
  return binary("add", a, other, opts?.out);
}

export function sub(a: TensorOrScalar, b: TensorOrScalar, opts?: AlphaOptions): Tensor {
  if (isBool(a) || isBool(b)) boolArith("sub", a, b); // refused before alpha scales a bool operand
  const other = opts?.alpha === undefined || opts.alpha === 1 ? b : scaled(b, opts.alpha);
  return binary("sub", a, other, opts?.out);
}

/** alpha * v, for the `alpha=` argument of add/sub. */
export function scaled(v: TensorOrScalar, alpha: number): TensorOrScalar {
  return v instanceof Tensor ? binary("mul", v, alpha) : Number(v) * alpha;
}

export interface DivOptions extends OutOptions {
  roundingMode?: "trunc" | "floor" | null;
}

export function div(a: TensorOrScalar, b: TensorOrScalar, opts?: DivOptions): Tensor {
  const mode = opts?.roundingMode ?? null;
  if (mode === null) return binary("div", a, b, opts?.out);
  if (mode !== "trunc" && mode !== "floor") {
    throw new RangeError(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${mode}'`);
  }
  const dtype = resultType(a, b);
  if (dtype === "bool") throw new TypeError(`"div_${mode}_cpu" not implemented for 'Bool'`);
  if (isIntegral(dtype)) {
    // NOTE: exact integer division (in int64, then wrapped back: int8 -128 // -1 is -128 in
    // PyTorch too); the float path below would round through float32.
    const [ea, eb] = prepare(a, b, "int64", "div");
    const res = cast(intDivide(ea, eb, mode), dtype);
    return opts?.out == null ? res : copyInto("div", opts.out, operands(a, b), res);
  }
  const q = unary(mode, binary("div", a, b));
  const res = q.dtype === dtype ? q : cast(q, dtype);
  return opts?.out == null ? res : copyInto("div", opts.out, operands(a, b), res);
}

export function compare(op: CompareOp, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const [ea, eb, shape] = prepare(a, b, resultType(a, b), op);
  const out = emptyUninit(shape, "bool");
  backend().binary(op, ea, eb, out);
  return out;
}

export function logical(op: LogicalOp, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const [ea, eb, shape] = prepare(a, b, "bool", `logical_${op}`);
  const out = emptyUninit(shape, "bool");
  backend().binary(op, ea, eb, out);
  return out;
}

export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (!(cond instanceof Tensor) || cond.dtype !== "bool") {
    throw new TypeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cond instanceof Tensor ? cond.dtype : typeof cond}`);
  }
  const dtype = resultType(a, b);
  const ta = asTensor(a, dtype, "where");
  const tb = asTensor(b, dtype, "where");
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape), tb.shape);
  const ea = expandTo(ta, shape);
  const eb = expandTo(tb, shape);
  const ec = expandTo(cond, shape);
  const out = emptyUninit(shape, dtype);
  backend().where(ec, ea, eb, out);
  return record("where", [ea, eb], out, { cond: ec });
}

export function clamp(x: Tensor, min?: Tensor | number | null, max?: Tensor | number | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new TypeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  }
  if (min instanceof Tensor || max instanceof Tensor) return clampTensor(x, min, max);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const integral = (v: number) => Number.isInteger(v) || !Number.isFinite(v);
  if (x.dtype === "bool") x = cast(x, "int64");
  if (isIntegral(x.dtype) && !(integral(lo) && integral(hi))) x = cast(x, getDefaultDtype());
  if (x.dtype === "int64" && x.numel() > 0) {
    // NOTE: a bound is stored where it applies: lo past the int64 range replaces every element
    // (unless lo > hi, which gives hi everywhere), hi below it likewise; farther bounds never apply.
    if (lo <= hi && lo > Number.MAX_SAFE_INTEGER) checkInt64(lo, "clamp");
    if (hi < -Number.MAX_SAFE_INTEGER) checkInt64(hi, "clamp");
  }
  // a bound is converted to x's dtype as a stored scalar: a float one past its range is refused
  if (isFloating(x.dtype)) for (const b of [lo, hi]) toStoredElement(b, x.dtype, "clamp");
  const out = emptyUninit(x.shape, x.dtype);
  backend().clamp(x, lo, hi, out);
  return record("clamp", [x], out, { lo, hi });
}

// ---- in place ----

/** In-place writes bypass autograd: refuse one where it would corrupt a recorded graph. */
export function checkNotInGraph(t: Tensor, fn: string): void {
  if (isGradEnabled() && t.requiresGrad) {
    throw new Error(
      t.isLeaf
        ? `${fn}: a leaf Variable that requires grad is being used in an in-place operation.`
        : `${fn}: in-place operations on tensors that are part of a graph are not supported; use the out-of-place form`,
    );
  }
}

/** Refuse an in-place write where it would corrupt a recorded graph (checkNotInGraph), and
 *  refuse a target whose elements share memory (an expanded view), as PyTorch's
 *  assert_no_internal_overlap does: the result would depend on the order of the writes. A fill
 *  (allowOverlap) writes one value, so it may target shared elements (through distinct()). */
export function checkInPlace(t: Tensor, fn: string, allowOverlap = false, reads?: InPlaceReads): void {
  checkNotInGraph(t, fn);
  // NOTE: an empty tensor writes nothing (and its contiguous strides can be 0).
  if (!allowOverlap && hasBroadcastDim(t) && t.numel() > 0) {
    throw new RangeError(
      `${fn}: unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.`,
    );
  }
  if (reads !== undefined) checkReads(t, reads);
  bumpVersion(t); // every in-place write passes here: graphs that saved t detect it at backward
}

/** True when t has a stride-0 dim of size > 1 (an expanded view). NOTE: a plain loop: every
 *  in-place op and out= passes here. */
function hasBroadcastDim(t: Tensor): boolean {
  const shape = t.shape, strides = t.strides;
  for (let d = 0; d < shape.length; d++) if (shape[d] > 1 && strides[d] === 0) return true;
  return false;
}

/** What an in-place write reads besides its target, for the overlap check every in-place path makes
 *  here: `partial` are read element for element (broadcast to the target: a.clamp_(a) is fine,
 *  a[1:].clamp_(a[:-1]) is not), `any` are read at other positions (indices, scatter sources) and
 *  may share no memory with the target at all (PyTorch's assert_no_overlap). Non-tensors are skipped. */
export interface InPlaceReads {
  partial?: readonly unknown[];
  any?: readonly unknown[];
}

function checkReads(t: Tensor, reads: InPlaceReads): void {
  const tensors = (xs: readonly unknown[] | undefined) => (xs ?? []).filter((x): x is Tensor => x instanceof Tensor);
  const partial = tensors(reads.partial).map((r) => {
    // NOTE: identity is judged in the target's shape; a read that doesn't broadcast to it is left
    // to the op's own shape error.
    try {
      return sameShape(broadcastShapes(r.shape, t.shape), t.shape) ? expandTo(r, t.shape) : r;
    } catch {
      return r;
    }
  });
  checkNoPartialOverlap(t, partial);
  checkNoOverlap(t, tensors(reads.any));
}

/** t without its broadcast (stride-0) dims: each memory location once, for fills. */
export function distinct(t: Tensor): Tensor {
  if (!t.shape.some((s, d) => s > 1 && t.strides[d] === 0)) return t;
  return new Tensor(t.typedArray, t.shape.map((s, d) => (t.strides[d] === 0 ? Math.min(s, 1) : s)), t.strides, t.offset);
}

/** self op= other, written into self's own elements (other broadcasts to self's shape). */
export function inPlace<T extends Tensor>(self: T, op: ArithOp, other: TensorOrScalar): T {
  if (recordInPlace(self, `${op}_`, [other], (old) => binary(op, old, other), op !== "add" && op !== "sub")) return self;
  // PyTorch's bool arithmetic: bool.add_/mul_(bool) are or/and; a bool operand of sub_ (and bool pow_) refused
  const asLogical = boolArith(op, self, other);
  checkInPlace(self, `${op}_`);
  if (asLogical) {
    writeChecked(self, logical(asLogical, self.detach(), other));
    return self;
  }
  const promoted = resultType(self, other);
  const dtype = op === "div" && !isFloating(promoted) ? getDefaultDtype() : promoted;
  // NOTE: PyTorch computes in the promoted dtype and stores into self when that is castable
  // (int32_tensor += int64_tensor is int32; a float result into an integer self is refused).
  checkCastTo(dtype, self.dtype);
  const o = expandTo(asTensor(other, dtype, `${op}_`), self.shape);
  broadcastShapes(o.shape, self.shape);
  checkNoPartialOverlap(self, [o]);
  if (self.dtype === dtype && dtype !== "int64") {
    backend().binary(op, self, o, self);
    return self;
  }
  // NOTE: int64 math runs in doubles: compute aside, refuse an inexact result, then write.
  const res = emptyUninit(self.shape, dtype);
  backend().binary(op, cast(self.detach(), dtype), o, res);
  if (dtype === "int64") checkIntResult(res, `${op}_`);
  backend().copy(res, self);
  return self;
}

/** self += alpha * other (add_/sub_ with alpha). A float32 tensor operand takes one fused
 *  multiply-add (one rounding, as PyTorch's vectorised add); anything else scales, then adds. */
export function inPlaceAddScaled<T extends Tensor>(self: T, op: "add" | "sub", other: TensorOrScalar, alpha: number): T {
  if (op === "sub" && (isBool(self) || isBool(other))) boolArith("sub", self, other);
  if (!(other instanceof Tensor) || other.dtype !== "float32" || self.dtype !== "float32" || typeof alpha !== "number") {
    return inPlace(self, op, scaled(other, alpha));
  }
  if (recordInPlace(self, `${op}_`, [other], (old) => (op === "add" ? add : sub)(old, other, { alpha }), false)) return self;
  checkInPlace(self, `${op}_`);
  const o = expandTo(other, self.shape);
  broadcastShapes(o.shape, self.shape);
  checkNoPartialOverlap(self, [o]);
  backend().addScaled(self, o, op === "sub" ? -alpha : alpha, self);
  return self;
}

/** self[...] = src with broadcasting and dtype conversion (copy_). */
export function assign(self: Tensor, src: TensorOrScalar): void {
  // Recorded: the new value is src broadcast to self (the old value gets no gradient).
  const copied = (old: Tensor) => (src instanceof Tensor ? expand(src, broadcastShapes(src.shape, old.shape)) : where(scalarTensor(false, "bool"), old, src));
  if (recordInPlace(self, "copy_", [src], copied, false)) return;
  // NOTE: a scalar source is a fill (x[:, 0] = 5 in PyTorch), allowed on an expanded target.
  checkInPlace(self, "copy_", !(src instanceof Tensor));
  if (!(src instanceof Tensor)) self = distinct(self);
  writeChecked(self, src instanceof Tensor ? src : scalarTensor(src, self.dtype));
}

/** The write of copy_ for an in-place op that has made its own checkInPlace (and so its one version
 *  bump): ops computed out of place and stored back (scatter_, index_add_, uniform_, ...). */
export function writeChecked(self: Tensor, src: Tensor): void {
  const shape = broadcastShapes(src.shape, self.shape);
  if (!sameShape(shape, self.shape)) {
    throw new RangeError(`output with shape [${self.shape.join(", ")}] doesn't match the broadcast shape [${shape.join(", ")}]`);
  }
  const from = expandTo(src.detach(), self.shape);
  checkNoPartialOverlap(self, [from]);
  backend().copy(from, self);
}
