// The binary math kernels' frontend: atan2, hypot, logaddexp, logaddexp2, copysign, fmod (each a
// backend primitive: libm per element, exact where C is: fmod), and xlogy, a composition. Here are
// PyTorch's dtype rules and errors for each; broadcasting and promotion are ew.binary's.
// ref: PyTorch 1.13 aten/src/ATen/native/BinaryOps.cpp, native_functions.yaml.
import type { ArithOp } from "../backend/types.js";
import { rename } from "../autograd/node.js";
import { isFloating, isIntegral, scalarTypeName } from "../dtype.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { binary, cast, resultType, scalarTensor, where } from "./elementwise.js";
import { copyInto, type OutOptions } from "./out.js";

export type MathBinaryOp = "atan2" | "hypot" | "logaddexp" | "logaddexp2" | "copysign" | "fmod";

/** Ops PyTorch defines on floating dtypes only (an integer tensor is refused, not promoted). */
const FLOAT_ONLY = new Set<ArithOp>(["hypot", "logaddexp", "logaddexp2"]);
/** Ops whose `other` must be a Tensor in PyTorch (copysign and fmod take a Python number too). */
const TENSOR_OTHER = new Set<ArithOp>(["atan2", "hypot", "logaddexp", "logaddexp2"]);

export function mathBinary(op: MathBinaryOp, a: Tensor, b: TensorOrScalar, out?: Tensor | null): Tensor {
  if (TENSOR_OTHER.has(op) && !(b instanceof Tensor)) {
    throw new TypeError(`${op}(): argument 'other' (position 2) must be Tensor, not ${typeof b}`);
  }
  const dtype = resultType(a, b);
  if ((FLOAT_ONLY.has(op) && !isFloating(dtype)) || (op === "fmod" && dtype === "bool")) {
    throw new TypeError(`"${op}_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  }
  if (op === "fmod" && isIntegral(dtype)) return intFmod(a, b, out);
  const r = binary(op, a, b, out);
  // PyTorch names the scalar-other overloads' nodes apart (copysign.Scalar, fmod.Scalar)
  if (out == null && !(b instanceof Tensor)) {
    if (op === "copysign") rename(r, "CopysignBackward1");
    if (op === "fmod") rename(r, "FmodBackward0");
  }
  return r;
}

/** Integer fmod: a division by zero is refused as PyTorch does; the sign of a, no -0. */
function intFmod(a: Tensor, b: TensorOrScalar, out?: Tensor | null): Tensor {
  const zero = b instanceof Tensor ? b.eq(0).any().item() : Number(b) === 0;
  if (zero) throw new RangeError("ZeroDivisionError");
  const r = binary("fmod", a, b);
  // NOTE: int64 runs through the float64 kernel, where fmod(-4, 2) is -0: + 0 makes it 0.
  const res = r.dtype === "int64" ? binary("add", r, 0) : r;
  return out == null ? res : copyInto("fmod", out, [a, ...(b instanceof Tensor ? [b] : [])], res);
}

/** torch.xlogy: x * log(y), 0 where x is 0 (unless y is NaN). Integers compute in float32. */
export function xlogy(x: TensorOrScalar, y: TensorOrScalar, opts?: OutOptions): Tensor {
  if (!(x instanceof Tensor) && !(y instanceof Tensor)) throw new TypeError("xlogy(): expected at least one Tensor argument");
  let dtype = resultType(x, y);
  if (!isFloating(dtype)) dtype = "float32";
  const t = (v: TensorOrScalar) => (v instanceof Tensor ? cast(v, dtype) : scalarTensor(Number(v), dtype));
  const [tx, ty] = [t(x), t(y)];
  const zero = tx.eq(0).logicalAnd(ty.isnan().logicalNot());
  const r = where(zero, 0, tx.mul(ty.log()));
  if (opts?.out != null) return copyInto("xlogy", opts.out, [x, y].filter((v): v is Tensor => v instanceof Tensor), r.detach());
  // XlogyBackward1: x is a number; XlogyBackward2: y is
  return rename(r, !(x instanceof Tensor) ? "XlogyBackward1" : !(y instanceof Tensor) ? "XlogyBackward2" : "XlogyBackward0");
}
