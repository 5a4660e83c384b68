// Bitwise and logical methods: bitwise_and / or / xor / not / left_shift / right_shift and their
// in-place forms, logical_xor, and logical_and_ / or_ / not_ / xor_ (PyTorch's Tensor methods).
// The ops are in ops/bitwise.ts; the in-place rule in ops/inplace_of.ts.
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { bitwise, bitwiseNot, logicalXor, type BitwiseOp } from "../ops/bitwise.js";
import { inPlaceOf } from "../ops/inplace_of.js";
import { resultType } from "../ops/elementwise.js";
import { checkCastTo } from "../dtype.js";

declare module "../tensor.js" {
  interface Tensor {
    /** Elementwise AND of integer or bool tensors (torch.bitwise_and); floats are refused. */
    bitwiseAnd(other: TensorOrScalar): Tensor;
    bitwiseOr(other: TensorOrScalar): Tensor;
    bitwiseXor(other: TensorOrScalar): Tensor;
    /** ~x on integers, logical not on bool. */
    bitwiseNot(): Tensor;
    /** x << other, in x's (promoted) integer dtype, as PyTorch 1.13's CPU kernel. */
    bitwiseLeftShift(other: TensorOrScalar): Tensor;
    /** x >> other (arithmetic: the sign is kept). */
    bitwiseRightShift(other: TensorOrScalar): Tensor;
    bitwiseAnd_(other: TensorOrScalar): this;
    bitwiseOr_(other: TensorOrScalar): this;
    bitwiseXor_(other: TensorOrScalar): this;
    bitwiseNot_(): this;
    bitwiseLeftShift_(other: TensorOrScalar): this;
    bitwiseRightShift_(other: TensorOrScalar): this;
    /** True where exactly one of this and other is nonzero (a bool tensor). */
    logicalXor(other: Tensor): Tensor;
    /** The logical ops in place: this keeps its dtype and holds 0 / 1 (false / true). */
    logicalAnd_(other: Tensor): this;
    logicalOr_(other: Tensor): this;
    logicalXor_(other: Tensor): this;
    logicalNot_(): this;
  }
}

const IN_PLACE: Record<BitwiseOp, string> = {
  and: "bitwise_and_", or: "bitwise_or_", xor: "bitwise_xor_", lshift: "bitwise_left_shift_", rshift: "bitwise_right_shift_",
};
const bin = (op: BitwiseOp) =>
  function (this: Tensor, other: TensorOrScalar): Tensor {
    return bitwise(op, this, other);
  };
const binInPlace = (op: BitwiseOp) =>
  function <T extends Tensor>(this: T, other: TensorOrScalar): T {
    // PyTorch checks the promoted dtype against self's before the kernel's dtype check
    checkCastTo(resultType(this, other), this.dtype);
    return inPlaceOf(this, IN_PLACE[op], (x) => bitwise(op, x, other), [other]);
  };

Tensor.prototype.bitwiseAnd = bin("and");
Tensor.prototype.bitwiseOr = bin("or");
Tensor.prototype.bitwiseXor = bin("xor");
Tensor.prototype.bitwiseLeftShift = bin("lshift");
Tensor.prototype.bitwiseRightShift = bin("rshift");
Tensor.prototype.bitwiseAnd_ = binInPlace("and");
Tensor.prototype.bitwiseOr_ = binInPlace("or");
Tensor.prototype.bitwiseXor_ = binInPlace("xor");
Tensor.prototype.bitwiseLeftShift_ = binInPlace("lshift");
Tensor.prototype.bitwiseRightShift_ = binInPlace("rshift");
Tensor.prototype.bitwiseNot = function (this: Tensor): Tensor {
  return bitwiseNot(this);
};
Tensor.prototype.bitwiseNot_ = function <T extends Tensor>(this: T): T {
  return inPlaceOf(this, "bitwise_not_", (x) => bitwiseNot(x));
};
Tensor.prototype.logicalXor = function (this: Tensor, other: Tensor): Tensor {
  return logicalXor(this, other);
};
Tensor.prototype.logicalAnd_ = function <T extends Tensor>(this: T, other: Tensor): T {
  return inPlaceOf(this, "logical_and_", (x) => x.logicalAnd(other), [other], { castAny: true });
};
Tensor.prototype.logicalOr_ = function <T extends Tensor>(this: T, other: Tensor): T {
  return inPlaceOf(this, "logical_or_", (x) => x.logicalOr(other), [other], { castAny: true });
};
Tensor.prototype.logicalXor_ = function <T extends Tensor>(this: T, other: Tensor): T {
  return inPlaceOf(this, "logical_xor_", (x) => logicalXor(x, other), [other], { castAny: true });
};
Tensor.prototype.logicalNot_ = function <T extends Tensor>(this: T): T {
  return inPlaceOf(this, "logical_not_", (x) => x.logicalNot(), [], { castAny: true });
};
