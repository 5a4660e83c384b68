// Bitwise ops on integer and bool tensors: bitwise_and / or / xor / not, bitwise_left_shift /
// right_shift, and logical_xor. Operands promote as PyTorch's TensorIterator does (resultType); a
// floating result dtype is refused with PyTorch's "<kernel>_cpu" not implemented error; bool & bool
// stays bool. The kernels run in JS on the broadcast operands (no autograd: integer results).
// Shifts follow PyTorch 1.13's CPU kernels, which shift in C: a << b / a >> b on the dtype promoted
// to at least int (so int8/int16/uint8 values shift as 32-bit ints, then wrap back), with the shift
// count taken modulo the promoted width as x86 does (1 << 65 is 2 for int64, int32 1 << 33 is 2).
// int64 is stored exactly only within +-(2^53 - 1) (ops/int64.ts): a result past that is refused.
// ref: PyTorch 1.13 aten/src/ATen/native/BinaryOps.cpp (bitwise_*, __lshift__, bitwise_left_shift),
// aten/src/ATen/native/cpu/BinaryOpsKernel.cpp (lshift_kernel, rshift_kernel, bitwise_*_kernel),
// aten/src/ATen/native/cpu/UnaryOpsKernel.cpp (bitwise_not_kernel).
import type { DType } from "../backend/types.js";
import { checkInt64, isFloating, scalarTypeName } from "../dtype.js";
import { broadcastShapes } from "../shape.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { cast, logical, resultType, scalarTensor } from "./elementwise.js";
import { expand } from "./views.js";
import { copyInto, type OutOptions } from "./out.js";

export type BitwiseOp = "and" | "or" | "xor" | "lshift" | "rshift";

/** PyTorch's kernel names, as its dtype errors spell them. */
const KERNEL: Record<BitwiseOp | "not", string> = {
  and: "bitwise_and_cpu", or: "bitwise_or_cpu", xor: "bitwise_xor_cpu", lshift: "lshift_cpu", rshift: "rshift_cpu", not: "bitwise_not_cpu",
};
export const FN: Record<BitwiseOp, string> = {
  and: "bitwise_and", or: "bitwise_or", xor: "bitwise_xor", lshift: "bitwise_left_shift", rshift: "bitwise_right_shift",
};

const TWO63 = 2n ** 63n;

/** One element of an int64 op, exactly (BigInt past the int32 fast path). */
function int64Op(op: BitwiseOp, a: number, b: number): number {
  if (op === "lshift" || op === "rshift") {
    const s = b & 63; // x86 masks a 64-bit shift count to 6 bits
    if (op === "rshift") return Math.floor(a / 2 ** s); // exact: a power-of-two division, floored as >> is
    const r = a * 2 ** s;
    if (Number.isSafeInteger(r)) return r;
    return Number(BigInt.asIntN(64, BigInt(a) << BigInt(s)));
  }
  if (a === (a | 0) && b === (b | 0)) return op === "and" ? a & b : op === "or" ? a | b : a ^ b;
  const x = BigInt(a), y = BigInt(b);
  const r = op === "and" ? x & y : op === "or" ? x | y : x ^ y;
  return Number(r >= TWO63 ? r - 2n * TWO63 : r);
}

/** One element of an op on a dtype of at most 32 bits (the store into the typed array wraps). */
function int32Op(op: BitwiseOp, a: number, b: number): number {
  switch (op) {
    case "and": return a & b;
    case "or": return a | b;
    case "xor": return a ^ b;
    case "lshift": return a << b; // JS masks the count to 5 bits, as x86 does for C's int shift
    case "rshift": return a >> b;
  }
}

function checkDType(op: BitwiseOp | "not", dtype: DType): void {
  if (isFloating(dtype) || (dtype === "bool" && (op === "lshift" || op === "rshift"))) {
    throw new TypeError(`"${KERNEL[op]}" not implemented for '${scalarTypeName(dtype)}'`);
  }
}

/** The result of a bitwise binary op (a new tensor, or written into opts.out). */
export function bitwise(op: BitwiseOp, a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions): Tensor {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    throw new TypeError(`${FN[op]}() received an invalid combination of arguments - got (${typeof a}, ${typeof b}), but expected at least one Tensor`);
  }
  for (const v of [a, b]) {
    if (!(v instanceof Tensor) && typeof v !== "number" && typeof v !== "boolean") {
      throw new TypeError(`${FN[op]}(): argument 'other' must be Tensor or Number, not ${typeof v}`);
    }
  }
  const dtype = resultType(a, b);
  checkDType(op, dtype);
  const res = dtype === "bool" ? logical(op as "and" | "or" | "xor", a, b) : compute(op, a, b, dtype);
  return opts?.out == null ? res : copyInto(FN[op], opts.out, [a, b].filter((v): v is Tensor => v instanceof Tensor), res);
}

function compute(op: BitwiseOp, a: TensorOrScalar, b: TensorOrScalar, dtype: DType): Tensor {
  const ta = a instanceof Tensor ? cast(a.detach(), dtype) : scalarTensor(a, dtype, true);
  const tb = b instanceof Tensor ? cast(b.detach(), dtype) : scalarTensor(b, dtype, true);
  const shape = broadcastShapes(ta.shape, tb.shape);
  const ad = expand(ta, shape).contiguous().storage();
  const bd = expand(tb, shape).contiguous().storage();
  const out = Tensor.empty(shape, dtype);
  const od = out.typedArray;
  if (dtype === "int64") {
    for (let i = 0; i < od.length; i++) od[i] = checkInt64(int64Op(op, ad[i], bd[i]), FN[op]);
  } else {
    for (let i = 0; i < od.length; i++) od[i] = int32Op(op, ad[i], bd[i]);
  }
  return out;
}

/** torch.bitwise_not: ~x on integers, logical not on bool. */
export function bitwiseNot(x: Tensor, opts?: OutOptions): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`bitwise_not(): argument 'input' (position 1) must be Tensor, not ${typeof x}`);
  checkDType("not", x.dtype);
  const xd = x.detach().contiguous().storage();
  const out = Tensor.empty(x.shape, x.dtype);
  const od = out.typedArray;
  if (x.dtype === "bool") for (let i = 0; i < od.length; i++) od[i] = xd[i] ? 0 : 1;
  else if (x.dtype === "int64") for (let i = 0; i < od.length; i++) od[i] = checkInt64(-xd[i] - 1, "bitwise_not");
  else for (let i = 0; i < od.length; i++) od[i] = ~xd[i];
  return opts?.out == null ? out : copyInto("bitwise_not", opts.out, [x], out);
}

/** torch.logical_xor: bool, true where exactly one operand is nonzero; other must be a Tensor. */
export function logicalXor(a: Tensor, b: Tensor, opts?: OutOptions): Tensor {
  if (!(b instanceof Tensor)) throw new TypeError(`logical_xor(): argument 'other' (position 2) must be Tensor, not ${typeName(b)}`);
  const res = logical("xor", a, b);
  return opts?.out == null ? res : copyInto("logical_xor", opts.out, [a, b], res);
}

/** Python's name for a JS value's type, as PyTorch's argument errors print it. */
export function typeName(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "boolean") return "bool";
  if (v === null || v === undefined) return "NoneType";
  if (Array.isArray(v)) return "list";
  return typeof v === "string" ? "str" : typeof v;
}
