// In-place ops under autograd: PyTorch records `out += identity`, `h.relu_()`, `x[0] = w * 2` and
// `z.copy_(w)` in the graph (the target's grad_fn becomes the op's node, rebase_history). Here the
// op runs out of place on a snapshot of the target that carries the target's history, the result
// is written into the target's storage, and the target takes the result's node. The snapshot is a
// copy, so the new node may read the old values whatever its rule saves; tensors that saved the
// target itself see its version move and fail at backward with PyTorch's message, as in PyTorch.
// NOTE: without base/view tracking (PyTorch's CopySlices) a write into a view can't update its
// base's history, so a recorded write into a view is refused with an error instead of losing the
// gradient. Writing through the base (x.set(index, value)) is recorded.
// ref: torch/csrc/autograd/VariableTypeUtils.h (rebase_history, check_inplace), PyTorch 1.13.
import { backend } from "../backend/index.js";
import { isFloating } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { isGradEnabled, noGrad } from "./grad_mode.js";
import { rename } from "./node.js";
import { bumpVersion } from "./version.js";

/** The recorded ops that can return a view (view, squeeze, transpose, narrow, x[i], ... are these). */
const VIEW_OPS: ReadonlySet<string> = new Set(["reshape", "permute", "expand", "slice", "diagonal"]);

/** The tensor t is a view of, when t's node is a view op that shared its input's storage. */
function viewBase(t: Tensor): Tensor | null {
  const node = t.gradFn;
  if (node === null || !VIEW_OPS.has(node.op)) return null;
  return node.inputs?.find((i) => i.data === t.data) ?? null;
}

/** True where t may alias part of a larger tensor, so writing it changes a tensor with other history. */
function mayBeView(t: Tensor): boolean {
  return t.offset !== 0 || t.data.length !== t.numel() || !t.isContiguous() || viewBase(t) !== null;
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

/**
 * Runs `self.fn_(...)` as a recorded op when grad mode is on and self or one of `operands` requires
 * grad: `outOfPlace(old)` computes the new value from the snapshot (recorded as usual). `readsOld`:
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
  if (self.isLeaf && self.requiresGrad) {
    throw new Error(
      mayBeView(self)
        ? `${fn}: a view of a leaf Variable that requires grad is being used in an in-place operation.`
        : `${fn}: a leaf Variable that requires grad is being used in an in-place operation.`,
    );
  }
  const base = viewBase(self);
  if (base !== null && base.isLeaf && base.requiresGrad) {
    throw new Error(`${fn}: a view of a leaf Variable that requires grad is being used in an in-place operation.`);
  }
  // An integer target can't hold a gradient: the plain path refuses the float result (PyTorch's cast check).
  if (!isFloating(self.dtype)) return false;
  if (mayBeView(self)) {
    throw new Error(
      `${fn}: an in-place write into a view is not recorded by autograd in torchlet (no CopySlices): write through the base tensor (x.set(index, value), x.copy_(...)) or use the out-of-place form`,
    );
  }
  const result = outOfPlace(snapshot(self, readsOld));
  if (result.shape.length !== self.shape.length || result.shape.some((s, i) => s !== self.shape[i])) {
    throw new RangeError(`output with shape [${self.shape.join(", ")}] doesn't match the broadcast shape [${result.shape.join(", ")}]`);
  }
  const converted = result.dtype === self.dtype ? result : result.to(self.dtype);
  const value = name === undefined ? converted : rename(converted, name);
  bumpVersion(self);
  noGrad(() => backend().copy(value, self));
  if (value.requiresGrad) self.requiresGrad = true;
  self.gradFn = value.gradFn;
  self.outputNr = value.outputNr;
  if (!value.requiresGrad) self.requiresGrad = false;
  return true;
}
