// The in-place form of an op computed out of place: self = f(self), stored back into self's
// elements (PyTorch's `x.op_(...)`). The same rules as the core in-place methods of tensor.ts:
// recorded by autograd where a graph needs it (autograd/inplace.ts), refused where PyTorch refuses
// (a leaf that requires grad, an expanded target, a result dtype that can't be cast to self's, an
// operand that partly overlaps self), and a result that doesn't broadcast to self's shape refused
// with PyTorch's "output with shape ... doesn't match the broadcast shape ..." error.
// ref: PyTorch 1.13 aten/src/ATen/TensorIterator.cpp (in-place output checks), torch/csrc/autograd/
// VariableTypeUtils.h (check_inplace).
import { recordInPlace } from "../autograd/inplace.js";
import { checkCastTo } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { cast, checkInPlace, writeChecked } from "./elementwise.js";

/** self = f(self); `reads`: the other operands (read element for element, broadcast to self). */
export function inPlaceOf<T extends Tensor>(self: T, fn: string, f: (x: Tensor) => Tensor, reads: readonly unknown[] = [], castAny = false): T {
  if (recordInPlace(self, fn, reads, (old) => cast(f(old), old.dtype))) return self;
  checkInPlace(self, fn, false, { partial: reads });
  const r = f(self.detach());
  // `castAny`: a comparison or logical op stores its bool result in any dtype (eq_, logical_and_)
  if (!castAny) checkCastTo(r.dtype, self.dtype);
  writeChecked(self, cast(r.detach(), self.dtype));
  return self;
}
