// torch.remainder: Python's modulo, whose result takes the divisor's sign (-5 % 3 = 1, 5 % -3 = -1).
// Computed in JS on the promoted, broadcast operands: fmod (JS %, exact), then the divisor added
// where the signs differ, as PyTorch 1.13's CPU kernel. Integers are exact (int64 within ±2^53) and
// a zero divisor throws PyTorch's "ZeroDivisionError"; float16/bfloat16 compute in float32.
// Gradients: g for the dividend, -g * floor(a / b) for the divisor (PyTorch's derivatives.yaml).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isFloating, isHalf, resultType } from "../dtype.js";
import { broadcastShapes, sameShape } from "../shape.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { cast, div, scalarTensor } from "./elementwise.js";
import { expand } from "./views.js";

/** The elementwise remainder of same-shape, same-dtype operands, into a fresh tensor. */
function remainderValues(a: Tensor, b: Tensor): Tensor {
  const ad = a.contiguous().storage(), bd = b.contiguous().storage();
  const out = Tensor.empty(a.shape, a.dtype);
  const od = out.data;
  const floating = isFloating(a.dtype);
  for (let i = 0; i < od.length; i++) {
    const x = ad[i], y = bd[i];
    if (!floating && y === 0) throw new RangeError("ZeroDivisionError");
    let m = x % y;
    if (m !== 0 && y < 0 !== m < 0) m += y;
    od[i] = floating ? m : m + 0; // NOTE: an integer has no -0; a float zero keeps fmod's sign
  }
  return out;
}

let remainderFn: typeof Function | null = null;
// NOTE: made on first use: function.ts may still be loading in an import cycle at module load.
function remainderFunction(): typeof Function {
  return (remainderFn ??= class RemainderBackward0 extends Function {
    static override gradFnName = "RemainderBackward0";
    static override forward(ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor {
      ctx.saveForBackward(a, b);
      return remainderValues(a, b);
    }
    static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
      const [a, b] = ctx.savedTensors as [Tensor, Tensor];
      return [g, g.mul(div(a, b, { roundingMode: "floor" })).neg()];
    }
  });
}

export function remainder(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) throw new TypeError("remainder(): expected at least one Tensor operand");
  for (const v of [a, b]) {
    if (!(v instanceof Tensor) && typeof v !== "number" && typeof v !== "boolean") {
      throw new TypeError(`remainder(): argument 'other' must be Tensor or Number, not ${typeof v}`);
    }
  }
  const dtype = resultType(a, b);
  if (dtype === "bool") throw new TypeError(`"remainder_cpu" not implemented for 'Bool'`);
  const compute = isHalf(dtype) ? "float32" : dtype;
  const t = (v: TensorOrScalar) => (v instanceof Tensor ? cast(v, compute) : scalarTensor(v, compute, true));
  let [ta, tb] = [t(a), t(b)];
  const shape = broadcastShapes(ta.shape, tb.shape);
  if (!sameShape(ta.shape, shape)) ta = expand(ta, shape);
  if (!sameShape(tb.shape, shape)) tb = expand(tb, shape);
  const r = remainderFunction().apply(ta, tb) as Tensor;
  return compute === dtype ? r : cast(r, dtype);
}
