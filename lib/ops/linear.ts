// linear: y = x Wᵀ + b for a 2-D x as ONE recorded primitive (PyTorch's addmm): the bias rows are
// copied into y and the product is accumulated onto them, and the gradient rule gives dW = gᵀ x in
// W's own layout, so nothing is transposed or added afterwards. Not here: other input ranks or
// bias shapes (nn.functional.linear composes matmul + add for those). ref: torch.addmm, 1.13.
import { backend } from "../backend/index.js";
import type { View } from "../backend/types.js";
import { record, rename } from "../autograd/node.js";
import { Tensor } from "../tensor.js";
import { emptyUninit } from "./scratch.js";

/** A 3-D [1, r, c] view of a 2-D tensor for the batched matmul primitive (not recorded).
 *  NOTE: a plain View, not a Tensor: the backend checks it, and a Tensor would check it again. */
function as3d(t: Tensor, shape: readonly number[], strides: readonly number[]): View {
  return { typedArray: t.typedArray, shape: [1, shape[0], shape[1]], strides: [0, strides[0], strides[1]], offset: t.offset };
}

/** True when linear() below applies: x [N, in], w [out, in], b null or [out], all float32. */
export function isLinearPrimitive(x: Tensor, w: Tensor, b: Tensor | null): boolean {
  return (
    x.ndim === 2 && w.ndim === 2 && x.shape[1] === w.shape[1] && x.dtype === "float32" && w.dtype === "float32" &&
    (b === null || (b.ndim === 1 && b.shape[0] === w.shape[0] && b.dtype === "float32"))
  );
}

/** [N, in] x [out, in]ᵀ (+ [out]) -> [N, out]; the caller checked isLinearPrimitive. grad_fn:
 *  AddmmBackward0, or MmBackward0 without a bias (PyTorch's names for the 2-D case). */
export function linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const [n, o] = [x.shape[0], w.shape[0]];
  const out = emptyUninit([n, o], "float32"); // every element is written below
  const wT = as3d(w, [w.shape[1], o], [w.strides[1], w.strides[0]]); // [in, out], a transposed view
  const out3 = as3d(out, out.shape, out.strides);
  if (b !== null) {
    backend().copy({ typedArray: b.typedArray, shape: [n, o], strides: [0, b.strides[0]], offset: b.offset }, out); // bias rows
    backend().matmul(as3d(x, x.shape, x.strides), wT, out3, true);
    return record("linear", [x, w, b], out);
  }
  backend().matmul(as3d(x, x.shape, x.strides), wT, out3);
  return rename(record("linear", [x, w], out), "MmBackward0");
}

/** out += a b for 2-D float32 a [M,K], b [K,N] and a contiguous out [M,N] that overlaps neither
 *  (not recorded: gradient rules use it to sum a weight gradient into .grad). */
export function mmAccumulate(a: Tensor, b: Tensor, out: Tensor): void {
  backend().matmul(as3d(a, a.shape, a.strides), as3d(b, b.shape, b.strides), as3d(out, out.shape, out.strides), true);
}
