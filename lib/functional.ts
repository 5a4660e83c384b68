// torch.* function forms of the Tensor methods (torch.add(a, b), torch.max(x, 1), ...), so
// PyTorch code translates call for call. Each is a one-line forward to the method or op.
import { Tensor, type TensorOrScalar, type ValuesIndices } from "./tensor.js";
import * as ew from "./ops/elementwise.js";
import type { Dims } from "./ops/reduce.js";

type Un = (x: Tensor) => Tensor;
const method = (name: "neg" | "exp" | "log" | "log1p" | "sqrt" | "rsqrt" | "abs" | "sign" | "relu" | "sigmoid" | "tanh" | "erf" | "sin" | "cos" | "floor" | "ceil" | "round" | "trunc" | "square" | "reciprocal"): Un =>
  (x) => x[name]();

export const neg = method("neg"), exp = method("exp"), log = method("log"), log1p = method("log1p");
export const sqrt = method("sqrt"), rsqrt = method("rsqrt"), abs = method("abs"), sign = method("sign");
export const relu = method("relu"), sigmoid = method("sigmoid"), tanh = method("tanh"), erf = method("erf");
export const sin = method("sin"), cos = method("cos"), floor = method("floor"), ceil = method("ceil");
export const round = method("round"), trunc = method("trunc"), square = method("square"), reciprocal = method("reciprocal");

export const add = (a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number }) => ew.add(a, b, opts);
export const sub = (a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number }) => ew.sub(a, b, opts);
export const mul = (a: TensorOrScalar, b: TensorOrScalar) => ew.binary("mul", a, b);
export const div = (a: TensorOrScalar, b: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }) => ew.div(a, b, opts);
export const pow = (a: TensorOrScalar, b: TensorOrScalar) => ew.binary("pow", a, b);
export const maximum = (a: Tensor, b: Tensor) => ew.binary("maximum", a, b);
export const minimum = (a: Tensor, b: Tensor) => ew.binary("minimum", a, b);
export const clamp = (x: Tensor, min?: number | null, max?: number | null) => x.clamp(min, max);
export const clip = clamp;
export const where = (cond: Tensor, a: TensorOrScalar, b: TensorOrScalar) => ew.where(cond, a, b);
export const eq = (a: Tensor, b: TensorOrScalar) => a.eq(b);
export const ne = (a: Tensor, b: TensorOrScalar) => a.ne(b);
export const lt = (a: Tensor, b: TensorOrScalar) => a.lt(b);
export const le = (a: Tensor, b: TensorOrScalar) => a.le(b);
export const gt = (a: Tensor, b: TensorOrScalar) => a.gt(b);
export const ge = (a: Tensor, b: TensorOrScalar) => a.ge(b);
export const logicalAnd = (a: Tensor, b: Tensor) => a.logicalAnd(b);
export const logicalOr = (a: Tensor, b: Tensor) => a.logicalOr(b);
export const logicalNot = (a: Tensor) => a.logicalNot();

export const sum = (x: Tensor, dim?: Dims, keepdim = false) => x.sum(dim, keepdim);
export const mean = (x: Tensor, dim?: Dims, keepdim = false) => x.mean(dim, keepdim);
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? x.max() : dim instanceof Tensor ? x.max(dim) : x.max(dim, keepdim);
}
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? x.min() : dim instanceof Tensor ? x.min(dim) : x.min(dim, keepdim);
}
export const amax = (x: Tensor, dim?: Dims, keepdim = false) => x.amax(dim, keepdim);
export const amin = (x: Tensor, dim?: Dims, keepdim = false) => x.amin(dim, keepdim);
export const argmax = (x: Tensor, dim?: number | null, keepdim = false) => x.argmax(dim, keepdim);
export const argmin = (x: Tensor, dim?: number | null, keepdim = false) => x.argmin(dim, keepdim);
export const logsumexp = (x: Tensor, dim: number | readonly number[], keepdim = false) => x.logsumexp(dim, keepdim);
export const softmax = (x: Tensor, dim: number) => x.softmax(dim);
export const logSoftmax = (x: Tensor, dim: number) => x.logSoftmax(dim);

export const matmul = (a: Tensor, b: Tensor) => a.matmul(b);
export const mm = (a: Tensor, b: Tensor) => a.mm(b);
export const bmm = (a: Tensor, b: Tensor) => a.bmm(b);

export const reshape = (x: Tensor, shape: readonly number[]) => x.reshape(shape);
export const flatten = (x: Tensor, startDim = 0, endDim = -1) => x.flatten(startDim, endDim);
export const transpose = (x: Tensor, d0: number, d1: number) => x.transpose(d0, d1);
export const t = (x: Tensor) => x.t();
export const permute = (x: Tensor, dims: readonly number[]) => x.permute(dims);
export const unsqueeze = (x: Tensor, dim: number) => x.unsqueeze(dim);
export const squeeze = (x: Tensor, dim?: number) => x.squeeze(dim);
export const narrow = (x: Tensor, dim: number, start: number, length: number) => x.narrow(dim, start, length);
export const gather = (x: Tensor, dim: number, index: Tensor) => x.gather(dim, index);
export const indexSelect = (x: Tensor, dim: number, index: Tensor) => x.indexSelect(dim, index);
export const numel = (x: Tensor) => x.numel();
export const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;
