// More torch.* function forms (the rest are in functional.ts): comparisons with tolerance, vector
// products, NaN-aware and order reductions, stacking and broadcasting helpers, and the small
// conveniences PyTorch programs call as torch.x(...). Each forwards to its op or Tensor method.
import { Tensor, type ValuesIndices } from "./tensor.js";
import type { DType } from "./backend/types.js";
import { tensor, type TensorOptions } from "./ops/creation.js";
import { cast } from "./ops/elementwise.js";
import { setDefaultDtype } from "./dtype.js";
import * as blas from "./ops/blas.js";
import * as stk from "./ops/stacking.js";
import * as win from "./ops/windows.js";
import * as nanr from "./ops/nan_reduce.js";
import { momentsWithMean, type VarArgs } from "./ops/moments.js";
import type { Dims } from "./ops/reduce.js";
import type { IsCloseOptions } from "./ops/close.js";

export type { IsCloseOptions } from "./ops/close.js";
export type { MeshgridOptions } from "./ops/stacking.js";
export type { DiffOptions } from "./ops/windows.js";
export type { NanReduceOptions } from "./ops/nan_reduce.js";

export const isclose = (a: Tensor, b: Tensor, opts?: IsCloseOptions) => a.isclose(b, opts);
export const allclose = (a: Tensor, b: Tensor, opts?: IsCloseOptions) => a.allclose(b, opts);

export const dot = blas.dot, vdot = blas.vdot, mv = blas.mv, inner = blas.inner;

export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? x.median() : x.median(dim, keepdim);
}
export function nanmedian(x: Tensor): Tensor;
export function nanmedian(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function nanmedian(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? x.nanmedian() : x.nanmedian(dim, keepdim);
}
export const nansum = (x: Tensor, dim?: Dims, keepdim = false, opts?: nanr.NanReduceOptions) => nanr.nansum(x, dim, keepdim, opts);
export const nanmean = (x: Tensor, dim?: Dims, keepdim = false, opts?: nanr.NanReduceOptions) => nanr.nanmean(x, dim, keepdim, opts);
export const countNonzero = (x: Tensor, dim?: Dims) => nanr.countNonzero(x, dim);
/** torch.var_mean / torch.std_mean: [spread, mean], with var's argument forms. */
export const varMean = (x: Tensor, ...args: VarArgs) => momentsWithMean(x, args, "var");
export const stdMean = (x: Tensor, ...args: VarArgs) => momentsWithMean(x, args, "std");
export const diff = (x: Tensor, opts?: win.DiffOptions) => win.diff(x, opts);

export const hstack = stk.hstack, vstack = stk.vstack, rowStack = stk.vstack, dstack = stk.dstack, columnStack = stk.columnStack;
/** torch.atleast_1d(x) gives a tensor; with several tensors (or an array) a list, as in PyTorch. */
export function atleast1d(x: Tensor): Tensor;
export function atleast1d(...xs: (Tensor | readonly Tensor[])[]): Tensor[];
export function atleast1d(...xs: (Tensor | readonly Tensor[])[]): Tensor | Tensor[] {
  return atleast(xs, stk.atleast1d);
}
export function atleast2d(x: Tensor): Tensor;
export function atleast2d(...xs: (Tensor | readonly Tensor[])[]): Tensor[];
export function atleast2d(...xs: (Tensor | readonly Tensor[])[]): Tensor | Tensor[] {
  return atleast(xs, stk.atleast2d);
}
export function atleast3d(x: Tensor): Tensor;
export function atleast3d(...xs: (Tensor | readonly Tensor[])[]): Tensor[];
export function atleast3d(...xs: (Tensor | readonly Tensor[])[]): Tensor | Tensor[] {
  return atleast(xs, stk.atleast3d);
}
function atleast(xs: (Tensor | readonly Tensor[])[], f: (t: Tensor) => Tensor): Tensor | Tensor[] {
  return xs.length === 1 && xs[0] instanceof Tensor ? f(xs[0]) : stk.tensorList(xs).map(f);
}

/** torch.meshgrid(a, b, { indexing: "ij" }) or meshgrid([a, b], { indexing }). */
export function meshgrid(...args: (Tensor | readonly Tensor[] | stk.MeshgridOptions)[]): Tensor[] {
  const last = args[args.length - 1];
  const opts = last !== undefined && !(last instanceof Tensor) && !Array.isArray(last) ? (args.pop() as stk.MeshgridOptions) : {};
  return stk.meshgrid(stk.tensorList(args as (Tensor | readonly Tensor[])[]), opts);
}
export const broadcastTo = (x: Tensor, shape: readonly number[]) => stk.broadcastTo(x, shape);
export const broadcastShapes = stk.broadcastShapes;
/** torch.broadcast_tensors(a, b, ...) or ([a, b]). */
export const broadcastTensors = (...xs: (Tensor | readonly Tensor[])[]) => stk.broadcastTensors(stk.tensorList(xs));

export const swapaxes = (x: Tensor, a: number, b: number) => x.swapaxes(a, b);
export const swapdims = (x: Tensor, a: number, b: number) => x.swapdims(a, b);
export const ravel = (x: Tensor) => x.ravel();
export const select = (x: Tensor, dim: number, index: number) => x.select(dim, index);
export const clone = (x: Tensor) => x.clone();
export const isFloatingPoint = (x: Tensor) => x.isFloatingPoint();

/** torch.as_tensor: the tensor itself when it already has the dtype (no copy), else a conversion. */
export function asTensor(data: unknown, opts: { dtype?: DType } = {}): Tensor {
  if (data instanceof Tensor) return opts.dtype === undefined || opts.dtype === data.dtype ? data : cast(data, opts.dtype);
  return tensor(data as Parameters<typeof tensor>[0], opts as TensorOptions);
}

export { getDefaultDtype, setDefaultDtype } from "./dtype.js";

const TENSOR_TYPES: Record<string, DType> = {
  "torch.FloatTensor": "float32", "torch.DoubleTensor": "float64", "torch.HalfTensor": "float16", "torch.BFloat16Tensor": "bfloat16",
  "torch.LongTensor": "int64", "torch.IntTensor": "int32", "torch.ShortTensor": "int16", "torch.CharTensor": "int8",
  "torch.ByteTensor": "uint8", "torch.BoolTensor": "bool",
};
/** torch.set_default_tensor_type("torch.DoubleTensor") (legacy): sets the default float dtype. */
export function setDefaultTensorType(t: string | { readonly dtype?: DType }): void {
  const dtype = typeof t === "string" ? TENSOR_TYPES[t] : t?.dtype;
  if (dtype === undefined) throw new TypeError(`invalid type: '${String(t)}'`);
  setDefaultDtype(dtype);
}
