// BLAS-style products: outer, and addmm / addmv / baddbmm (beta * input + alpha * product), as
// compositions of matmul, mul and add. NOTE: beta = 0 ignores input entirely (NaN/Infinity in it
// don't propagate), as PyTorch's BLAS contract says; input still gets a zero gradient then.
// ref: PyTorch 1.13 docs of torch.outer, addmm, addmv, baddbmm.
import { rename } from "../autograd/node.js";
import { Tensor } from "../tensor.js";
import { binary, scalarTensor, where } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { expand, reshape, unsqueeze } from "./views.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { sum } from "./reduce.js";

export interface BetaAlphaOptions {
  beta?: number;
  alpha?: number;
}

/** torch.outer: [n] x [m] -> [n, m], a broadcast multiply (PyTorch's own definition). */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1) throw new RangeError(`outer: Expected 1-D argument self, but got ${a.ndim}-D`);
  if (b.ndim !== 1) throw new RangeError(`outer: Expected 1-D argument vec2, but got ${b.ndim}-D`);
  return binary("mul", reshape(a, [-1, 1]), b);
}

/** beta * input + alpha * product, with input broadcast to the product's shape. */
export function scaledSum(fn: string, input: Tensor, product: Tensor, opts: BetaAlphaOptions): Tensor {
  let { beta = 1, alpha = 1 } = opts;
  if (typeof beta !== "number" || typeof alpha !== "number") throw new TypeError(`${fn}(): beta and alpha must be numbers`);
  // NOTE: an integral result takes beta and alpha as integers (C++'s conversion truncates), as PyTorch's kernels do
  if (!isFloating(product.dtype) && !isFloating(input.dtype)) [beta, alpha] = [Math.trunc(beta), Math.trunc(alpha)];
  const scaled = alpha === 1 ? product : binary("mul", product, alpha);
  const base = expand(input, product.shape);
  if (beta === 0) {
    // NOTE: a where, not 0 * input, so input's NaN stays out while its gradient is 0 (PyTorch's).
    if (!input.requiresGrad) return scaled;
    return binary("add", scaled, where(scalarTensor(false, "bool"), base, scalarTensor(0, base.dtype)));
  }
  return binary("add", beta === 1 ? base : binary("mul", base, beta), scaled);
}

/** torch.addmm: beta * input + alpha * (mat1 @ mat2), input broadcast to [n, p]. */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts: BetaAlphaOptions = {}): Tensor {
  if (mat1.ndim !== 2) throw new RangeError(`mat1 must be a matrix, got ${mat1.ndim}-D tensor`);
  if (mat2.ndim !== 2) throw new RangeError(`mat2 must be a matrix, got ${mat2.ndim}-D tensor`);
  return rename(scaledSum("addmm", input, matmulAny(mat1, mat2, "mm"), opts), "AddmmBackward0");
}

/** torch.addmv: beta * input + alpha * (mat @ vec), input broadcast to [n]. */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, opts: BetaAlphaOptions = {}): Tensor {
  if (mat.ndim !== 2 || vec.ndim !== 1 || input.ndim > 1) {
    throw new RangeError(`vector + matrix @ vector expected, got ${input.ndim}, ${mat.ndim}, ${vec.ndim}`);
  }
  if (mat.shape[1] !== vec.shape[0]) {
    throw new RangeError(`size mismatch, got ${input.shape.join("x") || 1}, ${mat.shape.join("x")},${vec.shape[0]}`);
  }
  return rename(scaledSum("addmv", input, product(mat, vec), opts), "AddmvBackward0");
}

/** torch.baddbmm: beta * input + alpha * (batch1 @ batch2), input broadcast to [b, n, p]. */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: BetaAlphaOptions = {}): Tensor {
  return rename(scaledSum("baddbmm", input, matmulAny(batch1, batch2, "bmm"), opts), "BaddbmmBackward0");
}

/** mm / bmm that also multiplies integer matrices exactly (mul and sum), as PyTorch's CPU kernels do. */
function matmulAny(a: Tensor, b: Tensor, kind: "mm" | "bmm"): Tensor {
  if ((isFloating(a.dtype) && isFloating(b.dtype)) || a.dtype !== b.dtype || a.ndim !== (kind === "mm" ? 2 : 3) || b.ndim !== a.ndim) return matmul(a, b, kind);
  if (kind === "bmm" && (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1])) return matmul(a, b, kind); // its shape errors
  if (kind === "mm" && a.shape[1] !== b.shape[0]) return matmul(a, b, kind);
  return sum(binary("mul", unsqueeze(a, -1), unsqueeze(b, -3)), -2, false);
}

/**
 * a @ b for the vector products; integer operands (which matmul's kernels don't take) multiply
 * and sum exactly, as PyTorch's integer products do.
 */
function product(a: Tensor, b: Tensor): Tensor {
  if (isFloating(a.dtype) && isFloating(b.dtype)) return matmul(a, b);
  if (b.ndim === 1) return sum(binary("mul", a, b), -1, false);
  return sum(binary("mul", unsqueeze(a, -1), unsqueeze(b, 0)), -2, false); // [n, k] x [k, m]
}

/** PyTorch's dot_check: two 1-D tensors of one dtype and one length. */
function checkDot(fn: string, a: Tensor, b: Tensor): void {
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.dtype !== b.dtype) {
    throw new TypeError(`${fn} : expected both vectors to have same dtype, but found ${scalarTypeName(a.dtype)} and ${scalarTypeName(b.dtype)}`);
  }
  const [n, m] = [a.shape[0], b.shape[0]];
  if (n !== m) {
    throw new RangeError(`inconsistent tensor size, expected tensor [${n}] and src [${m}] to have the same number of elements, but got ${n} and ${m} elements respectively`);
  }
}

/** torch.dot: the inner product of two 1-D tensors of one dtype (a 0-d tensor). */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkDot("dot", a, b);
  return rename(product(a, b), "DotBackward0");
}

/** torch.vdot: dot with the first argument conjugated; torchlet's tensors are real, so dot. */
export function vdot(a: Tensor, b: Tensor): Tensor {
  checkDot("dot", a, b); // NOTE: PyTorch words vdot's errors as dot's
  return rename(product(a, b), "VdotBackward0");
}

/** torch.mv: [n, m] @ [m] -> [n]. */
export function mv(mat: Tensor, vec: Tensor): Tensor {
  if (mat.ndim !== 2 || vec.ndim !== 1) throw new RangeError(`vector + matrix @ vector expected, got 1, ${mat.ndim}, ${vec.ndim}`);
  if (mat.shape[1] !== vec.shape[0]) throw new RangeError(`size mismatch, got ${mat.shape[0]}, ${mat.shape.join("x")},${vec.shape[0]}`);
  return rename(product(mat, vec), "MvBackward0");
}

/** torch.inner: products summed over the last dims of both; a 0-d operand multiplies. */
export function inner(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) return binary("mul", a, b);
  const k = a.shape[a.ndim - 1];
  if (k !== b.shape[b.ndim - 1]) {
    throw new RangeError(`inner() the last dimension must match on both input tensors but got shapes [${a.shape.join(", ")}] and [${b.shape.join(", ")}]`);
  }
  const rows = product(reshape(a, [-1, k]), reshape(b, [-1, k]).t());
  return reshape(rows, [...a.shape.slice(0, -1), ...b.shape.slice(0, -1)]);
}
