// Shared plumbing of the torch.linalg ops in linalg_decomp.ts, linalg_solvers.ts, linalg_misc.ts
// and linalg_householder.ts: PyTorch's argument checks (with its messages), reading a batch of matrices as
// float64, writing results back in the input's dtype, un-broadcasting gradients, and making the
// autograd Function classes on first use (function.ts and the tensor modules import each other).
// ref: PyTorch 1.13 aten/src/ATen/native/LinearAlgebraUtils.h (checkIsMatrix, squareCheckInputs,
// checkFloatingOrComplex).
import { Function } from "../autograd/function.js";
import { scalarTypeName } from "../dtype.js";
import type { DType } from "../backend/types.js";
import { numelOf } from "../shape.js";
import { Tensor } from "../tensor.js";

/** PyTorch's checkFloatingOrComplex: float32 and float64 only (integer, bool and half refused). */
export function checkFloat(a: Tensor, fn: string): void {
  if (!(a instanceof Tensor)) throw new TypeError(`${fn}: expected a Tensor, got ${typeof a}`);
  if (a.dtype !== "float32" && a.dtype !== "float64") {
    if (a.dtype === "float16" || a.dtype === "bfloat16") throw new TypeError(`${fn}: Low precision dtypes not supported. Got ${scalarTypeName(a.dtype)}`);
    throw new TypeError(`${fn}: Expected a floating point or complex tensor as input. Got ${scalarTypeName(a.dtype)}`);
  }
}

/** An ATen kernel's dispatch error for a dtype it has no instance for (RuntimeError in PyTorch). */
export function checkKernelDtype(a: Tensor, kernel: string): void {
  if (!(a instanceof Tensor)) throw new TypeError(`${kernel}: expected a Tensor, got ${typeof a}`);
  if (a.dtype !== "float32" && a.dtype !== "float64") throw new TypeError(`"${kernel}" not implemented for '${scalarTypeName(a.dtype)}'`);
}

/** checkIsMatrix: at least 2 dimensions. */
export function checkMatrix(a: Tensor, fn: string, name = "A"): void {
  if (a.ndim < 2) throw new RangeError(`${fn}: The input tensor ${name} must have at least 2 dimensions.`);
}

/** squareCheckInputs: at least 2 dimensions, square; returns n. */
export function checkSquare(a: Tensor, fn: string, name = "A"): number {
  checkMatrix(a, fn, name);
  const [r, c] = a.shape.slice(-2);
  if (r !== c) throw new RangeError(`${fn}: ${name} must be batches of square matrices, but they are ${r} by ${c} matrices`);
  return r;
}

/** The matrices of a [..., m, n] tensor: contiguous values, how many, and their size. */
export function matrices(a: Tensor): { data: ArrayLike<number>; count: number; m: number; n: number } {
  const [m, n] = a.shape.slice(-2);
  const count = numelOf(a.shape.slice(0, -2));
  const data = numelOf(a.shape) === 0 ? new Float64Array(0) : (a.contiguous().storage() as ArrayLike<number>);
  return { data, count, m, n };
}

/** Matrix b (of size `size`) of a batch as a subarray / slice. */
export function matrixAt(data: ArrayLike<number>, b: number, size: number): ArrayLike<number> {
  const d = data as Float64Array;
  return d.subarray ? d.subarray(b * size, (b + 1) * size) : Array.prototype.slice.call(data, b * size, (b + 1) * size);
}

/** A new contiguous tensor of shape and dtype (values written by the caller through .data). */
export function emptyOf(shape: readonly number[], dtype: DType): Tensor {
  return Tensor.empty([...shape], dtype);
}

/** "(Batch element 3): " when a has batch dims, "" for one matrix (PyTorch's batched messages). */
export function batchPrefix(a: Tensor | readonly number[], b: number): string {
  const ndim = a instanceof Tensor ? a.ndim : a.length;
  return ndim > 2 ? `(Batch element ${b}): ` : "";
}

/** Sums a gradient broadcast over batch dims back to `shape`. */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((s, i) => s === shape[i])) return g;
  const lead = g.ndim - shape.length;
  const dims = [...g.shape.keys()].filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1));
  const summed = dims.length ? g.sum(dims, true) : g;
  return summed.reshape([...shape]);
}

/** A keyword-arguments object with PyTorch's snake_case names turned camelCase; an unknown name is
 *  PyTorch's TypeError (`fn` as Python names it, e.g. "linalg_cholesky"). */
export function keywords<T extends object>(fn: string, opts: T | null | undefined, allowed: readonly string[]): T {
  if (opts === null || opts === undefined) return {} as T;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(opts)) {
    const name = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    if (!allowed.includes(name)) throw new TypeError(`${fn}() got an unexpected keyword argument '${key}'`);
    out[name] = value;
  }
  return out as T;
}

/** A Function subclass made on first use. */
export function lazyFunction(make: () => typeof Function): () => typeof Function {
  let cls: typeof Function | null = null;
  return () => (cls ??= make());
}

/** The n x n identity in a's dtype, broadcast to a's batch shape when asked. */
export function identityLike(a: Tensor, n: number): Tensor {
  const e = emptyOf([n, n], a.dtype);
  e.typedArray.fill(0 as never);
  for (let i = 0; i < n; i++) (e.typedArray as Float64Array)[i * n + i] = 1;
  return e;
}
