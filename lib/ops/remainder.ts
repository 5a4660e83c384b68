// torch.remainder: Python's modulo, the result has the sign of the divisor (-5 % 3 = 1, 5 % -3 = -1).
// Floats as PyTorch's CPU kernel: m = fmod(a, b) (exact), then m + b where m is nonzero and its sign
// differs from b's, so results agree bit for bit; b = 0 gives NaN; float16/bfloat16 compute in
// float32 and round on store. Integers exactly, in doubles (every integer torchlet stores is a safe
// integer); b = 0 throws ZeroDivisionError as PyTorch's integer kernel does. One loop over the storage serves both backends (as int64.ts's intDivide does): the
// op is cheap and rare, a kernel in each backend would not pay. Gradients as PyTorch's
// RemainderBackward0/1: grad for a, -grad * floor(a / b) for b (broadcasting undone by expand's rule).
// ref: aten/src/ATen/native/cpu/BinaryOpsKernel.cpp remainder_kernel, tools/autograd/derivatives.yaml (1.13).
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { Function as AutogradFunction, type FunctionCtx } from "../autograd/function.js";
import { isFloating, isHalf, resultType, type DType } from "../dtype.js";
import { broadcastShapes } from "../shape.js";
import { cast, scalarTensor } from "./elementwise.js";

function operand(v: TensorOrScalar, dtype: DType, name: string, position: number): Tensor {
  if (v instanceof Tensor) return v.dtype === dtype ? v : cast(v, dtype);
  if (typeof v !== "number" && typeof v !== "boolean") {
    throw new TypeError(`remainder(): argument '${name}' (position ${position}) must be Tensor or Number, not ${v === null ? "NoneType" : typeof v}`);
  }
  return scalarTensor(v, dtype);
}

/** Python's modulo of same-shape operands into a new tensor of their dtype. */
function remainderValues(a: Tensor, b: Tensor): Tensor {
  const ad = a.contiguous().storage();
  const bd = b.contiguous().storage();
  const out = Tensor.empty(a.shape, a.dtype);
  const od = out.storage();
  const isInt = !isFloating(a.dtype);
  for (let i = 0; i < ad.length; i++) {
    const x = Number(ad[i]);
    const y = Number(bd[i]);
    if (isInt && y === 0) throw new RangeError("ZeroDivisionError");
    let m = x % y; // JS % on doubles is C's fmod: exact
    if (m !== 0 && y < 0 !== m < 0) m += y;
    // NOTE: + 0 turns an integer -0 into 0 (a float keeps fmod's signed zero, as PyTorch).
    od[i] = isInt ? m + 0 : m;
  }
  return out;
}

/** remainder(Tensor, Tensor): PyTorch's grad_fn for remainder.Tensor is RemainderBackward1. */
class Remainder extends AutogradFunction {
  static override gradFnName = "RemainderBackward1";

  static override forward(ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return remainderValues(a, b);
  }

  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [a, b] = ctx.savedTensors as Tensor[];
    return [
      ctx.needsInputGrad[0] ? g : null,
      ctx.needsInputGrad[1] ? g.mul(a.div(b, { roundingMode: "floor" })).neg() : null,
    ];
  }
}

/** remainder(Tensor, Scalar): RemainderBackward0, whose only input is the tensor. */
class RemainderScalar extends Remainder {
  static override gradFnName = "RemainderBackward0";
}

/** torch.remainder(input, other): either may be a number (not both); broadcasting and type promotion as add. */
export function remainder(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  if (!(input instanceof Tensor) && !(other instanceof Tensor)) {
    throw new TypeError("remainder() received an invalid combination of arguments: expected at least one Tensor");
  }
  for (const [v, name, position] of [[input, "input", 1], [other, "other", 2]] as const) {
    if (!(v instanceof Tensor) && typeof v !== "number" && typeof v !== "boolean") {
      throw new TypeError(`remainder(): argument '${name}' (position ${position}) must be Tensor or Number, not ${v === null ? "NoneType" : typeof v}`);
    }
  }
  const dtype = resultType(input, other);
  if (dtype === "bool") throw new TypeError(`"remainder_cpu" not implemented for 'Bool'`);
  const compute = isHalf(dtype) ? "float32" : dtype;
  const a = operand(input, compute, "input", 1);
  const b = operand(other, compute, "other", 2);
  const shape = broadcastShapes(a.shape, b.shape);
  const fn = other instanceof Tensor ? Remainder : RemainderScalar;
  const r = fn.apply(a.expand(...shape), b.expand(...shape)) as Tensor;
  return compute === dtype ? r : cast(r, dtype);
}
