// matmul / mm / bmm: PyTorch's dimension rules (1-D promotion, broadcast batch dims) resolved to
// one batched primitive [B,M,K] x [B,K,N] -> [B,M,N] whose operands may be any strided views.
// ref: https://pytorch.org/docs/stable/generated/torch.matmul.html
import { backend } from "../backend/index.js";
import { record, rename } from "../autograd/node.js";
import { broadcastShapes, numelOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { expand, reshape, squeeze, unsqueeze } from "./views.js";
import { emptyUninit } from "./scratch.js";
import { computeInto, copyInto } from "./out.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import type { View } from "../backend/types.js";

function dims(t: Tensor): string {
  return t.shape.join("x");
}

/** A 3-D view of a 2-D or 3-D tensor for the kernel (not recorded: the node keeps the real operands).
 *  NOTE: a plain View, not a Tensor: the backend checks it, and a Tensor would check it again. */
function as3d(t: Tensor): View {
  const s = t.shape, st = t.strides;
  return t.ndim === 3 ? t : { typedArray: t.typedArray, shape: [1, s[0], s[1]], strides: [0, st[0], st[1]], offset: t.offset };
}

/** The primitive: a and b are 2-D, or 3-D with equal batch. With `out`, writes there (out=). */
function mmPrimitive(a: Tensor, b: Tensor, fn: string, out?: Tensor | null): Tensor {
  const a3 = as3d(a);
  const b3 = as3d(b);
  const batch = a3.shape[0], m = a3.shape[1];
  const n = b3.shape[2];
  const shape = a.ndim === 2 ? [m, n] : [batch, m, n];
  // NOTE: the kernel writes a contiguous out that shares no memory with a or b.
  // No named closure on the common path: tsx (the benchmarks, scripts) wraps each in a __name call.
  if (out != null) return computeInto(fn, out, shape, a.dtype, [a, b], (dst) => backend().matmul(a3, b3, as3d(dst)), { contiguousOnly: true, noAlias: true });
  const res = emptyUninit(shape, a.dtype);
  backend().matmul(a3, b3, as3d(res));
  return record("matmul", [a, b], res);
}

function checkFloat(a: Tensor, b: Tensor, fn: string): void {
  if (!isFloating(a.dtype) || !isFloating(b.dtype)) {
    throw new TypeError(`${fn}: expected floating point operands, but got ${a.dtype} and ${b.dtype}`);
  }
  if (a.dtype !== b.dtype) throw new TypeError(`${fn}: expected scalar type ${scalarTypeName(a.dtype)} but found ${scalarTypeName(b.dtype)}`);
}

export function matmul(a: Tensor, b: Tensor, kind: "matmul" | "mm" | "bmm" = "matmul", out?: Tensor | null): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError(`${kind}: expected Tensor operands`);
  if (out != null && !(a.ndim === 2 && b.ndim === 2)) {
    // out= beyond 2-D @ 2-D (vectors, batches): computed as usual, then copied into out.
    return copyInto(kind, out, [a, b], matmul(a, b, kind));
  }
  if (kind === "mm") {
    if (a.ndim !== 2) throw new RangeError("self must be a matrix");
    if (b.ndim !== 2) throw new RangeError("mat2 must be a matrix");
  }
  if (kind === "bmm") {
    if (a.ndim !== 3) throw new RangeError("batch1 must be a 3D tensor");
    if (b.ndim !== 3) throw new RangeError("batch2 must be a 3D tensor");
    if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
      throw new RangeError(
        `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
      );
    }
  }
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  checkFloat(a, b, kind);
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw new RangeError(
        `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
      );
    }
    return rename(reshape(mmPrimitive(unsqueeze(a, 0), unsqueeze(b, 1), kind), []), "DotBackward0");
  }
  const k = a.shape[a.ndim - 1];
  const kb = b.shape[Math.max(b.ndim - 2, 0)];
  if (k !== kb) {
    const shown = (t: Tensor) => (t.ndim === 1 ? `1x${t.shape[0]}` : dims(t.ndim > 2 ? reshape(t.detach(), [-1, t.shape[t.ndim - 1]]) : t));
    throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${shown(a)} and ${b.ndim === 1 ? `${b.shape[0]}x1` : shown(b)})`);
  }
  if (b.ndim === 1) return rename(squeeze(matmul(a, unsqueeze(b, 1)), -1), "MvBackward0");
  if (a.ndim === 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
  if (a.ndim === 2 && b.ndim === 2) return mmPrimitive(a, b, kind, out);
  if (a.ndim > 2 && b.ndim === 2 && kind === "matmul") {
    // NOTE: [..., m, k] @ [k, n] folds the batch into the rows of one mm, as PyTorch does: expanding
    // b over the batch would make backward build (and sum) a batch of weight gradients.
    const rows = reshape(a, [numelOf(a.shape.slice(0, -1)), k]);
    return rename(reshape(mmPrimitive(rows, b, kind), [...a.shape.slice(0, -1), b.shape[1]]), "UnsafeViewBackward0");
  }

  // Batched: broadcast the batch dims, fold them into one, multiply, unfold.
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const [m, n] = [a.shape[a.ndim - 2], b.shape[b.ndim - 1]];
  // NOTE: the batch size is spelled out: -1 can't be inferred when r or c is 0.
  const fold = (t: Tensor, r: number, c: number) => reshape(expand(t, [...batch, r, c]), [numelOf(batch), r, c]);
  const res = mmPrimitive(fold(a, m, k), fold(b, k, n), kind);
  return rename(reshape(res, [...batch, m, n]), batch.length === 1 ? "BmmBackward0" : "UnsafeViewBackward0");
}
