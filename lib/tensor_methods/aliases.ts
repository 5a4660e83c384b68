// PyTorch's comparison and arithmetic aliases as Tensor methods, and the comparisons in place:
// eq_/ne_/lt_/le_/gt_/ge_ (self keeps its dtype and holds 0/1), greater/greater_equal/less/
// less_equal/not_equal (+ in place), divide/multiply/subtract/true_divide/floor_divide (+ in
// place), positive; div_ with a rounding mode.
import { Tensor, type TensorOrScalar } from "../tensor.js";
import type { CompareOp } from "../backend/types.js";
import { compare, div, resultType, sub, type AlphaOptions, type DivOptions } from "../ops/elementwise.js";
import { checkCastTo } from "../dtype.js";
import { floorDivide, positive, trueDivide } from "../ops/arith_aliases.js";
import { inPlaceOf } from "../ops/inplace_of.js";
import { compareInPlace } from "../ops/compare_inplace.js";

declare module "../tensor.js" {
  interface Tensor {
    /** this = (this == other), in this tensor's dtype (1 / 0; true / false for bool). */
    eq_(other: TensorOrScalar): this;
    ne_(other: TensorOrScalar): this;
    lt_(other: TensorOrScalar): this;
    le_(other: TensorOrScalar): this;
    gt_(other: TensorOrScalar): this;
    ge_(other: TensorOrScalar): this;
    /** Alias of gt. */
    greater(other: TensorOrScalar): Tensor;
    /** Alias of ge. */
    greaterEqual(other: TensorOrScalar): Tensor;
    /** Alias of lt. */
    less(other: TensorOrScalar): Tensor;
    /** Alias of le. */
    lessEqual(other: TensorOrScalar): Tensor;
    /** Alias of ne. */
    notEqual(other: TensorOrScalar): Tensor;
    greater_(other: TensorOrScalar): this;
    greaterEqual_(other: TensorOrScalar): this;
    less_(other: TensorOrScalar): this;
    lessEqual_(other: TensorOrScalar): this;
    notEqual_(other: TensorOrScalar): this;
    /** Alias of div (roundingMode: null, "trunc" or "floor"). */
    divide(other: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }): Tensor;
    divide_(other: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }): this;
    /** Alias of mul. */
    multiply(other: TensorOrScalar): Tensor;
    multiply_(other: TensorOrScalar): this;
    /** Alias of sub: this - alpha * other. */
    subtract(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    subtract_(other: TensorOrScalar, opts?: { alpha?: number }): this;
    /** div without rounding. */
    trueDivide(other: TensorOrScalar): Tensor;
    trueDivide_(other: TensorOrScalar): this;
    /** this / other rounded toward -inf (PyTorch 1.13's floor_divide); not differentiable. */
    floorDivide(other: TensorOrScalar): Tensor;
    floorDivide_(other: TensorOrScalar): this;
    /** This tensor itself (refused for bool). */
    positive(): Tensor;
    /** div_ with PyTorch's rounding_mode ("trunc" / "floor"; null: true division). */
    div_(other: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }): this;
  }
}

const CMP_IN_PLACE: Record<string, CompareOp> = {
  eq_: "eq", ne_: "ne", lt_: "lt", le_: "le", gt_: "gt", ge_: "ge",
  greater_: "gt", greaterEqual_: "ge", less_: "lt", lessEqual_: "le", notEqual_: "ne",
};
const CMP_ALIAS: Record<string, CompareOp> = { greater: "gt", greaterEqual: "ge", less: "lt", lessEqual: "le", notEqual: "ne" };
/** PyTorch's names of the in-place comparisons, as their errors print them. */
const TORCH_NAME: Record<string, string> = { greaterEqual_: "greater_equal_", lessEqual_: "less_equal_", notEqual_: "not_equal_" };

type Methods = Record<string, (this: Tensor, ...args: never[]) => unknown>;
const proto = Tensor.prototype as unknown as Methods;
for (const [name, op] of Object.entries(CMP_IN_PLACE)) {
  proto[name] = function (this: Tensor, other: TensorOrScalar) {
    return compareInPlace(this, op, other, TORCH_NAME[name] ?? name);
  };
}
for (const [name, op] of Object.entries(CMP_ALIAS)) {
  proto[name] = function (this: Tensor, other: TensorOrScalar) {
    return compare(op, this, other);
  };
}

// div_ (tensor.ts) takes PyTorch's rounding_mode too: divide_ handles a mode, the core div_ the rest
const coreDiv_ = Tensor.prototype.div_;
Tensor.prototype.div_ = function <T extends Tensor>(this: T, other: TensorOrScalar, opts?: DivOptions): T {
  const mode = opts?.roundingMode ?? null;
  return mode === null ? (coreDiv_.call(this, other) as T) : inPlaceOf(this, "div_", (x) => div(x, other, { roundingMode: mode }), [other]);
};
Tensor.prototype.divide = function (this: Tensor, other: TensorOrScalar, opts?: DivOptions): Tensor {
  return div(this, other, { roundingMode: opts?.roundingMode ?? null });
};
Tensor.prototype.divide_ = function <T extends Tensor>(this: T, other: TensorOrScalar, opts?: DivOptions): T {
  return this.div_(other, opts);
};
Tensor.prototype.multiply = function (this: Tensor, other: TensorOrScalar): Tensor {
  return this.mul(other);
};
Tensor.prototype.multiply_ = function <T extends Tensor>(this: T, other: TensorOrScalar): T {
  return this.mul_(other);
};
Tensor.prototype.subtract = function (this: Tensor, other: TensorOrScalar, opts?: AlphaOptions): Tensor {
  return sub(this, other, { alpha: opts?.alpha });
};
Tensor.prototype.subtract_ = function <T extends Tensor>(this: T, other: TensorOrScalar, opts?: AlphaOptions): T {
  return this.sub_(other, { alpha: opts?.alpha });
};
Tensor.prototype.trueDivide = function (this: Tensor, other: TensorOrScalar): Tensor {
  return trueDivide(this, other);
};
Tensor.prototype.trueDivide_ = function <T extends Tensor>(this: T, other: TensorOrScalar): T {
  return this.div_(other);
};
Tensor.prototype.floorDivide = function (this: Tensor, other: TensorOrScalar): Tensor {
  return floorDivide(this, other);
};
Tensor.prototype.floorDivide_ = function <T extends Tensor>(this: T, other: TensorOrScalar): T {
  checkCastTo(resultType(this, other), this.dtype); // PyTorch's cast check precedes the division
  return inPlaceOf(this, "floor_divide_", (x) => floorDivide(x, other), [other]);
};
Tensor.prototype.positive = function (this: Tensor): Tensor {
  return positive(this);
};
