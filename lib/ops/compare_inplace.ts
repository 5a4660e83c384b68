// The in-place comparisons (eq_, ne_, lt_, le_, gt_, ge_ and their aliases): self takes the
// comparison's 0 / 1 in its own dtype. Under autograd PyTorch records them with a zero gradient
// (derivatives.yaml: `self: zeros_like(self)`, and the same for a tensor other), named EqBackward0
// for a number other and EqBackward1 for a tensor other; a custom Function gives that node.
// ref: PyTorch 1.13 tools/autograd/derivatives.yaml (eq_.Scalar, eq_.Tensor, ...).
import { Function, type FunctionCtx } from "../autograd/function.js";
import type { CompareOp } from "../backend/types.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { cast, compare } from "./elementwise.js";
import { inPlaceOf } from "./inplace_of.js";
import { zerosLike } from "./creation.js";

const NAMES: Record<CompareOp, string> = { eq: "Eq", ne: "Ne", lt: "Lt", le: "Le", gt: "Gt", ge: "Ge" };

/** One Function class per node name, so each node shows PyTorch's name. */
const classes = new Map<string, typeof Function>();
function cmpFunction(name: string): typeof Function {
  let cls = classes.get(name);
  if (cls === undefined) {
    cls = class extends Function {
      static override gradFnName = name;
      static override forward(ctx: FunctionCtx, op: CompareOp, x: Tensor, other: TensorOrScalar): Tensor {
        ctx.other = other instanceof Tensor && other.requiresGrad ? other : null;
        return cast(compare(op, x, other), x.dtype);
      }
      static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
        return [null, zerosLike(g), ctx.other === null ? null : zerosLike(ctx.other as Tensor)];
      }
    };
    classes.set(name, cls);
  }
  return cls;
}

/** self = (self op other) in self's dtype. `fn`: PyTorch's name of the method, for errors. */
export function compareInPlace<T extends Tensor>(self: T, op: CompareOp, other: TensorOrScalar, fn: string): T {
  const name = `${NAMES[op]}Backward${other instanceof Tensor ? 1 : 0}`;
  return inPlaceOf(self, fn, (x) => (x.requiresGrad ? cmpFunction(name).apply(op, x, other) : compare(op, x, other)), [other], { castAny: true });
}
