// The in-place form of an op computed out of place: self = f(self), stored back into self's
// elements (PyTorch's `x.op_(...)`), for the ops whose Tensor methods live outside tensor.ts (whose
// inPlaceOf does the same for the core ones). Recorded by autograd where a graph needs it
// (autograd/inplace.ts), refused where PyTorch refuses (a leaf that requires grad, an expanded
// target, a result dtype that can't be cast to self's, an operand that overlaps self), and a result
// that doesn't broadcast to self's shape refused with PyTorch's "output with shape ... doesn't match
// the broadcast shape ..." error.
// ref: PyTorch 1.13 aten/src/ATen/TensorIterator.cpp (in-place output checks), torch/csrc/autograd/
// VariableTypeUtils.h (check_inplace).
import { recordInPlace } from "../autograd/inplace.js";
import { checkCastTo } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { cast, checkInPlace, writeChecked } from "./elementwise.js";

export interface InPlaceOfOptions {
  /** Whether f's gradient reads self's old value (then autograd keeps a copy of it). Default true. */
  readsOld?: boolean;
  /** The grad_fn name PyTorch shows, where it differs from f's. */
  name?: string;
  /** A comparison or logical op stores its bool result in any dtype (eq_, logical_and_). */
  castAny?: boolean;
  /** "partial" (default): operands read element for element may coincide with self but not
   *  partly overlap it (TensorIterator's rule); "any": operands read at any position (put_,
   *  index_put_) must not overlap self at all. */
  overlap?: "partial" | "any";
}

/** self = f(self); `reads`: the other operands f reads. */
export function inPlaceOf<T extends Tensor>(self: T, fn: string, f: (x: Tensor) => Tensor, reads: readonly unknown[] = [], opts: InPlaceOfOptions = {}): T {
  const { readsOld = true, name, castAny = false, overlap = "partial" } = opts;
  if (recordInPlace(self, fn, reads, (old) => cast(f(old), old.dtype), readsOld, name)) return self;
  checkInPlace(self, fn, false, overlap === "any" ? { any: reads } : { partial: reads });
  const r = f(self.detach());
  if (!castAny) checkCastTo(r.dtype, self.dtype);
  writeChecked(self, cast(r.detach(), self.dtype));
  return self;
}
