// torch.* function forms of the bitwise and logical ops: torch.bitwise_and(a, b, out=...) and the
// rest (ops/bitwise.ts). A number is accepted on either side where PyTorch takes a Scalar.
import type { Tensor, TensorOrScalar } from "./tensor.js";
import { bitwise, bitwiseNot as notOp, logicalXor as xorOp } from "./ops/bitwise.js";
import type { OutOptions } from "./ops/out.js";

export const bitwiseAnd = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => bitwise("and", a, b, opts);
export const bitwiseOr = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => bitwise("or", a, b, opts);
export const bitwiseXor = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => bitwise("xor", a, b, opts);
export const bitwiseLeftShift = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => bitwise("lshift", a, b, opts);
export const bitwiseRightShift = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => bitwise("rshift", a, b, opts);
export const bitwiseNot = (x: Tensor, opts?: OutOptions) => notOp(x, opts);
export const logicalXor = (a: Tensor, b: Tensor, opts?: OutOptions) => xorOp(a, b, opts);
