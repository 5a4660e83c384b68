// PyTorch's arithmetic aliases where they differ from the op they alias: floor_divide (floor
// rounding in 1.13, and no derivative: "derivative for aten::floor_divide is not implemented"),
// true_divide (div without rounding), rsub (other - alpha * input, RsubBackward0/1), positive (the
// input itself; refused on bool). divide/multiply/subtract are plain forwards (functional_aliases.ts).
// ref: PyTorch 1.13 aten/src/ATen/native/BinaryOps.cpp (floor_divide, rsub, true_divide),
// UnaryOps.cpp (positive), tools/autograd/derivatives.yaml (floor_divide: not differentiable).
import { record, rename } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { binary, div, resultType, sub, type AlphaOptions } from "./elementwise.js";
import { copyInto, type OutOptions } from "./out.js";

const tensors = (...vs: unknown[]) => vs.filter((v): v is Tensor => v instanceof Tensor);

/** torch.floor_divide: a / b rounded toward -inf (exact for integers; division by zero refused). */
export function floorDivide(a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions): Tensor {
  if (resultType(a, b) === "bool") throw new TypeError(`"div_floor_cpu" not implemented for 'Bool'`);
  const r = noGrad(() => div(a, b, { roundingMode: "floor" }));
  if (opts?.out != null) return copyInto("floor_divide", opts.out, tensors(a, b), r);
  return rename(record("notImplemented", tensors(a, b).filter((t) => t.requiresGrad), r, { what: "aten::floor_divide" }), "NotImplemented");
}

/** torch.true_divide: div with no rounding (integers give the default float). */
export function trueDivide(a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions): Tensor {
  return binary("div", a, b, opts?.out);
}

/** torch.rsub(input, other, alpha=1): other - alpha * input. */
export function rsub(input: Tensor, other: TensorOrScalar, opts?: AlphaOptions): Tensor {
  const r = sub(other, input, opts);
  return opts?.out != null ? r : rename(r, other instanceof Tensor ? "RsubBackward0" : "RsubBackward1");
}

/** torch.positive: the input itself (PyTorch returns self), refused for bool. */
export function positive(x: Tensor): Tensor {
  if (x.dtype === "bool") throw new TypeError("The `+` operator, on a bool tensor is not supported.");
  return x;
}
