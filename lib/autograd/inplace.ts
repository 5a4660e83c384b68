// In-place ops under autograd: PyTorch records `out += identity`, `h.relu_()`, `x[0] = w * 2` and
// `z.copy_(w)` in the graph (the target's grad_fn becomes the op's node, rebase_history). Here the
// op runs out of place on a snapshot of the target that carries the target's history, the result
// is written into the target's storage, and the target takes the result's node. The snapshot is a
// copy where the op's gradient reads the old value (mul_, pow_), else the target's storage; tensors
// that saved the target itself see its version move and fail at backward with PyTorch's message.
// A write into a view (h[0].mul_(3), enc[1].copy_(w); the view ops record their base) is PyTorch's
// CopySlices: the base's new value is its old value with the view's positions replaced by the op's
// result (a recorded scatter), the base takes that node, and the view becomes a recorded gather of
// the base's new value at its positions (a view that is its whole base reshaped needs neither). A
// view made before such a write reads the base's new history when next used (refreshView). A view
// without a recorded base (made inside the library) is refused with an error rather than losing a
// gradient.
// ref: torch/csrc/autograd/VariableTypeUtils.h (rebase_history, check_inplace), PyTorch 1.13.
import { backend } from "../backend/index.js";
import { isFloating } from "../dtype.js";
import { sameShape } from "../shape.js";
import { arange } from "../ops/creation.js";
import { Tensor } from "../tensor.js";
import { isGradEnabled, noGrad } from "./grad_mode.js";
import { rename } from "./node.js";
import { gather } from "../ops/indexing.js";
import { scatter } from "../ops/scatter.js";
import { reshape } from "../ops/views.js";
import { bumpVersion } from "./version.js";

/** True where t covers its whole storage, contiguous from its start: its values are its storage. */
function ownsStorage(t: Tensor): boolean {
  return t.offset === 0 && t.typedArray.length === t.numel() && t.isContiguous();
}

/**
 * t's old value standing for t in the graph (t's grad_fn and requires_grad): a copy when the op's
 * gradient reads it, else t's storage itself (the write bumps its version, so a node that did save
 * it would fail at backward rather than read the new values).
 */
function snapshot(t: Tensor, readsOld: boolean): Tensor {
  const old = readsOld ? noGrad(() => t.clone()) : t.detach();
  if (t.requiresGrad) {
    old.requiresGrad = true;
    old.gradFn = t.gradFn;
    old.outputNr = t.outputNr;
  }
  return old;
}

/** t takes value's place in the graph (its node, or no history). */
function adopt(t: Tensor, value: Tensor): void {
  if (value.requiresGrad) t.requiresGrad = true;
  t.gradFn = value.gradFn;
  t.outputNr = value.outputNr;
  if (!value.requiresGrad) t.requiresGrad = false;
}

/** An in-place op's result must have its target's shape (an operand may not broadcast it larger). */
function checkResultShape(target: Tensor, result: Tensor): void {
  if (!sameShape(result.shape, target.shape)) {
    throw new RangeError(`output with shape [${target.shape.join(", ")}] doesn't match the broadcast shape [${result.shape.join(", ")}]`);
  }
}

/** Writes value (shape-checked, converted to t's dtype) into t's storage and makes t its output. */
function writeAndAdopt(t: Tensor, result: Tensor, name?: string): Tensor {
  checkResultShape(t, result);
  const converted = result.dtype === t.dtype ? result : result.to(t.dtype);
  const value = name === undefined ? converted : rename(converted, name);
  bumpVersion(t);
  noGrad(() => backend().copy(value, t));
  adopt(t, value);
  t._histGen++;
  return value;
}

/** The view v, made before its base's history last changed in place, read again from the base
 *  (PyTorch regenerates such a view's grad_fn the same way): a recorded gather at its positions. */
export function refreshView(v: Tensor): void {
  const base = v._base!;
  v._viewGen = base._histGen;
  if (!isGradEnabled() || !base.requiresGrad || !ownsStorage(base) || base.dtype !== v.dtype) return;
  adopt(v, readFromBase(v, base));
}

/** Where each element of the view v sits in its base's storage (= the base's flat index), as a flat
 *  int64 tensor: the base's flat indices seen through v's strides, copied out by the backend. */
function storagePositions(v: Tensor, base: Tensor): Tensor {
  const all = noGrad(() => arange(base.numel(), { dtype: "int64" }));
  return noGrad(() => reshape(new Tensor(all.typedArray, v.shape, v.strides, v.offset).contiguous(), [-1]));
}

/** True where the view v is its whole base in the base's order (a reshape of it): no scatter needed. */
function coversBase(v: Tensor, base: Tensor): boolean {
  return v.offset === base.offset && v.numel() === base.numel() && v.isContiguous();
}

/** v's value read from its base's current value: a reshape where v covers the base, else a gather. */
function readFromBase(v: Tensor, base: Tensor): Tensor {
  if (coversBase(v, base)) return reshape(base, v.shape);
  return rename(reshape(gather(reshape(base, [-1]), 0, storagePositions(v, base)), v.shape), "AsStridedBackward0");
}

/**
 * Runs `self.fn_(...)` as a recorded op when grad mode is on and self or one of `operands` requires
 * grad: `outOfPlace(old)` computes the new value from the old one (recorded as usual). `readsOld`:
 * whether that op's gradient reads the old value (add_, relu_, copy_ don't: no copy is made). Returns
 * false where the caller's plain in-place path applies (nothing to record). `name`: the grad_fn name
 * PyTorch shows, where outOfPlace's last node is always its own (never an operand's).
 */
export function recordInPlace(
  self: Tensor,
  fn: string,
  operands: readonly unknown[],
  outOfPlace: (old: Tensor) => Tensor,
  readsOld = true,
  name?: string,
): boolean {
  if (!isGradEnabled()) return false;
  if (!self.requiresGrad && !operands.some((o) => o instanceof Tensor && o.requiresGrad)) return false;
  const base = self._base;
  if ((self.isLeaf && self.requiresGrad) || (base !== null && base.isLeaf && base.requiresGrad)) {
    throw new Error(
      base !== null || !ownsStorage(self)
        ? `${fn}: a view of a leaf Variable that requires grad is being used in an in-place operation.`
        : `${fn}: a leaf Variable that requires grad is being used in an in-place operation.`,
    );
  }
  // An integer target can't hold a gradient: the plain path refuses the float result (PyTorch's cast check).
  if (!isFloating(self.dtype)) return false;
  if (base === null && ownsStorage(self)) {
    writeAndAdopt(self, outOfPlace(snapshot(self, readsOld)), name);
    return true;
  }
  if (base === null || !ownsStorage(base) || base.dtype !== self.dtype) {
    throw new Error(`${fn}: an in-place write into this view can't be recorded by autograd (its base is unknown): use the out-of-place form`);
  }
  if (self.shape.some((s, d) => s > 1 && self.strides[d] === 0)) {
    throw new RangeError(
      `${fn}: unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.`,
    );
  }
  // CopySlices: the view's old value read from the base's old value, the op, the base rewritten there.
  // NOTE: a view that is its whole base reshaped (a module's output viewed as [N, C, H, W]) needs
  // neither positions nor scatter: that path costs what a write into the base itself costs.
  const whole = coversBase(self, base);
  const oldBase = snapshot(base, readsOld);
  const at = whole ? null : storagePositions(self, base);
  const oldView = at === null ? reshape(oldBase, self.shape) : reshape(gather(reshape(oldBase, [-1]), 0, at), self.shape);
  const result = outOfPlace(oldView);
  checkResultShape(self, result);
  const value = result.dtype === self.dtype ? result : result.to(self.dtype);
  const newBase = at === null ? reshape(value, base.shape) : reshape(scatter(reshape(oldBase, [-1]), 0, at, reshape(value, [-1])), base.shape);
  writeAndAdopt(base, newBase, at === null ? undefined : "CopySlices");
  adopt(self, readFromBase(self, base));
  self._viewGen = base._histGen;
  return true;
}
