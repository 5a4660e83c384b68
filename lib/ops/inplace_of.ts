// The in-place form of an out-of-place op, for the ops whose Tensor methods live outside tensor.ts
// (tensor.ts's private inPlaceOf does the same): recorded under autograd as PyTorch records in-place
// ops (autograd/inplace.ts), else checked (leaf, overlap, cast) and written into self.
import { recordInPlace } from "../autograd/inplace.js";
import { checkCastTo } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { cast, checkInPlace, writeChecked } from "./elementwise.js";

/** self.fn_(...): self gets f(self)'s value. `reads`: the other tensors f reads (any position);
 *  `readsOld`: whether f's gradient reads self's old value; `name`: the grad_fn PyTorch shows. */
export function inPlaceOf<T extends Tensor>(self: T, fn: string, f: (x: Tensor) => Tensor, reads: readonly unknown[] = [], readsOld = true, name?: string): T {
  if (recordInPlace(self, fn, reads, f, readsOld, name)) return self;
  checkInPlace(self, fn, false, { any: reads });
  const r = f(self.detach());
  checkCastTo(r.dtype, self.dtype);
  writeChecked(self, cast(r.detach(), self.dtype));
  return self;
}
