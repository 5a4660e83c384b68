// Tensor hooks (tensor.registerHook) and retained gradients (tensor.retainGrad): both run on the
// gradient arriving for a tensor, before the function it feeds (its grad_fn, or a leaf's
// AccumulateGrad), in registration order, as in PyTorch 1.13.
// ref: torch/csrc/autograd/python_variable.cpp (register_hook), variable.cpp (retain_grad).
import type { Tensor } from "../tensor.js";
import { accumulatorOf, nextHookId, type RemovableHandle, type TensorHook } from "./node.js";

/** tensor.register_hook(hook): hook(grad) may return a gradient that replaces grad. */
export function registerHook(t: Tensor, hook: TensorHook): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("register_hook(): hook must be a function");
  if (!t.requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  return t.gradFn !== null ? t.gradFn.addPreHook(t.outputNr, hook) : accumulatorOf(t).addPreHook(0, hook);
}

/** tensor.retain_grad(): a non-leaf keeps the gradient that reaches it in .grad (summed over passes). */
export function retainGrad(t: Tensor): void {
  if (!t.requiresGrad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
  if (t.gradFn === null || t._retainsGrad) return; // a leaf keeps its .grad anyway
  t._retainsGrad = true;
  // NOTE: a copy, so the engine may still recycle or overwrite its own gradient; recorded when the
  // pass runs with createGraph, as PyTorch's clone there is.
  t.gradFn.addPreHook(t.outputNr, (g) => {
    t.grad = t.grad === null ? g.clone() : t.grad.add(g);
  });
}

/** tensor.register_post_accumulate_grad_hook(hook) (PyTorch 2.1): hook(leaf) runs after the pass's
 *  gradient was accumulated into leaf.grad; what it returns is ignored. Leaves only. */
export function registerPostAccumulateGradHook(t: Tensor, hook: (leaf: Tensor) => void): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("register_post_accumulate_grad_hook(): hook must be a function");
  if (!t.requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  if (t.gradFn !== null) throw new Error("post accumulate grad hooks cannot be registered on non-leaf tensors");
  const acc = accumulatorOf(t);
  const list = (acc.postAccumulateHooks ??= []);
  list.push(hook);
  return { id: nextHookId(), remove: () => {
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
  } };
}
