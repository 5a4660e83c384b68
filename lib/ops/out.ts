// PyTorch's `out=` argument (torch.add(a, b, { out }), torch.mm(a, b, { out }), ...): the result is
// written into a tensor the caller allocated, so a hot loop reuses one buffer instead of allocating
// a new result per call. PyTorch's rules: no autograd through out= (inputs and out must not
// require grad), out's dtype must be one the result can be cast to, and out must not have
// overlapping elements. One difference, stated in the error: PyTorch resizes an out of the wrong
// shape, torchlet refuses it (a Tensor's shape is fixed).
// ref: the `out` argument in each op's doc (https://pytorch.org/docs/stable/generated/torch.add.html);
// aten/src/ATen/native/Resize.cpp (resize_output) and TensorIterator's out checks, PyTorch 1.13.
import type { DType } from "../backend/types.js";
import { backend } from "../backend/index.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { checkCastTo } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { checkInPlace } from "./elementwise.js";
import { emptyUninit } from "./scratch.js";
import { boundsMeet, checkNoPartialOverlap } from "./overlap.js";

/** The options object of an op that takes `out=`. */
export interface OutOptions {
  out?: Tensor | null;
}

/** Throws PyTorch's errors for an out= tensor that can't receive a `dtype` result of `shape`. */
export function checkOut(fn: string, out: unknown, shape: readonly number[], dtype: DType, inputs: readonly Tensor[]): asserts out is Tensor {
  if (!(out instanceof Tensor)) throw new TypeError(`${fn}(): out must be a Tensor`);
  if (isGradEnabled() && (out.requiresGrad || inputs.some((t) => t.requiresGrad))) {
    throw new Error(
      `${fn}(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.`,
    );
  }
  checkCastTo(dtype, out.dtype);
  if (out.shape.length !== shape.length || out.shape.some((s, d) => s !== shape[d])) {
    throw new RangeError(
      `${fn}(): out has shape [${out.shape.join(", ")}] but the result has shape [${shape.join(", ")}] (torchlet does not resize out= tensors)`,
    );
  }
  checkInPlace(out, fn);
}

/** True when t and out address exactly the same elements in the same order. */
function sameView(t: Tensor, out: Tensor): boolean {
  return t.typedArray === out.typedArray && t.offset === out.offset && t.shape.every((s, d) => s <= 1 || t.strides[d] === out.strides[d]);
}

/**
 * Runs `kernel` into out, or into a fresh tensor then copied to out when out can't take the kernel's
 * writes directly: another dtype, a layout the kernel refuses (`contiguousOnly`), or an input that
 * is out itself when the kernel can't alias (`noAlias`: matmul). Any other memory shared between
 * out and an input is refused (overlap.ts), as PyTorch does. Returns out.
 */
export function computeInto(
  fn: string, out: unknown, shape: readonly number[], dtype: DType, inputs: readonly Tensor[],
  kernel: (dst: Tensor) => void, opts: { contiguousOnly?: boolean; noAlias?: boolean } = {},
): Tensor {
  checkOut(fn, out, shape, dtype, inputs);
  // NOTE: PyTorch's rule for out=: out may be an input exactly, never share memory otherwise.
  // Inputs whose bytes don't meet out's can't overlap it: only the others need the exact check.
  const shared = inputs.filter((t) => boundsMeet(t, out));
  checkNoPartialOverlap(out, shared);
  const direct = out.dtype === dtype && (!opts.contiguousOnly || out.isContiguous()) &&
    shared.every((t) => !opts.noAlias && sameView(t, out));
  const dst = direct ? out : emptyUninit(shape, dtype);
  kernel(dst);
  if (!direct) backend().copy(dst, out);
  return out;
}

/** out= for a result computed the ordinary way (ops without a direct path): copies it into out. */
export function copyInto(fn: string, out: unknown, inputs: readonly Tensor[], result: Tensor): Tensor {
  return computeInto(fn, out, result.shape, result.dtype, inputs, (dst) => backend().copy(result, dst));
}
