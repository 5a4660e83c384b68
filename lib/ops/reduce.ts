// Reductions and the row-wise softmax family. Kernels reduce into a keepdim-shaped output; the
// returned tensor drops the reduced dims unless keepdim. mean and var are compositions;
// logsumexp composes its forward but has its own gradient rule.
// ref: torch.sum / torch.max / torch.logsumexp docs for dims, keepdim, ties and empty inputs.
import { getDefaultDtype, isFloating, isIntegral, scalarTypeName } from "../dtype.js";
import type { ArgReduceOp, ReduceOp } from "../backend/types.js";
import { backend } from "../backend/index.js";
import { record, rename } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { normDim, numelOf } from "../shape.js";
import { Tensor, type ValuesIndices } from "../tensor.js";
import { cast } from "./elementwise.js";
import { gather } from "./indexing.js";
import { emptyUninit } from "./scratch.js";
import { exactIntSum } from "./int64.js";
import { reshape, squeeze, transpose } from "./views.js";

export type Dims = number | readonly number[] | null | undefined;

/** Sorted, unique, non-negative dims; none (or []) means every dim. */
export function reduceDims(x: Tensor, dim: Dims, fn: string): number[] {
  if (dim === null || dim === undefined) return [...x.shape.keys()];
  const list = Array.isArray(dim) ? [...dim] : [dim as number]; // normDim refuses a non-number
  if (list.length === 0) return [...x.shape.keys()];
  const norm = list.map((d) => normDim(d, x.ndim, fn));
  if (x.ndim === 0) return []; // dim 0 / -1 of a 0-d tensor names no real axis
  if (new Set(norm).size !== norm.length) throw new RangeError(`${fn}: dim ${norm.find((d, i) => norm.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return norm.sort((a, b) => a - b);
}

function keepShape(x: Tensor, dims: readonly number[]): number[] {
  return x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

function dropShape(x: Tensor, dims: readonly number[]): number[] {
  return x.shape.filter((_, i) => !dims.includes(i));
}

/** Runs a reduce kernel into keepdim layout and returns it shaped for keepdim or not. */
function reduceInto(op: ReduceOp, x: Tensor, dims: number[], keepdim: boolean, exactInt = false): Tensor {
  const keep = keepShape(x, dims);
  const out = emptyUninit(keep, x.dtype);
  backend().reduce(op, x, out);
  if (exactInt) exactIntSum(x, out);
  return keepdim ? out : new Tensor(out.typedArray, dropShape(x, dims));
}

export function sum(x: Tensor, dim: Dims, keepdim = false): Tensor {
  const dims = reduceDims(x, dim, "sum");
  // NOTE: a sum of bools counts at most 2^31 ones, always exact; an integer sum is int64 (as in
  // PyTorch: a uint8 sum does not wrap) and checked.
  const exact = isIntegral(x.dtype);
  if (!isFloating(x.dtype) && x.dtype !== "int64") x = cast(x, "int64");
  const out = reduceInto("sum", x, dims, keepdim, exact);
  const name = dim === null || dim === undefined ? "SumBackward0" : "SumBackward1";
  return rename(record("sum", [x], out, { inShape: x.shape, keepShape: keepShape(x, dims) }), name);
}

export function mean(x: Tensor, dim: Dims, keepdim = false): Tensor {
  if (!isFloating(x.dtype)) {
    throw new TypeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(x.dtype)}`,
    );
  }
  // NOTE: a float16/bfloat16 mean is its sum (accumulated in float32, rounded to float16) over n,
  // as PyTorch 1.13 computes it: the mean of [65504, 65504] overflows to Infinity there too.
  const dims = reduceDims(x, dim, "mean");
  const n = numelOf(dims.map((d) => x.shape[d]));
  const name = dim === null || dim === undefined ? "MeanBackward0" : "MeanBackward1";
  return rename(sum(x, dims, keepdim).div(n), name);
}

function extreme(op: "max" | "min", x: Tensor, dim: Dims, keepdim: boolean, name?: string): Tensor {
  const fn = op === "max" ? "amax" : "amin";
  const dims = reduceDims(x, dim, fn);
  const emptyDim = dims.find((d) => x.shape[d] === 0);
  const named = dim !== null && dim !== undefined && !(Array.isArray(dim) && dim.length === 0);
  if (named && emptyDim !== undefined) {
    throw new RangeError(`${name ? op : fn}(): Expected reduction dim ${emptyDim} to have non-zero size.`);
  }
  if (emptyDim !== undefined || (x.numel() === 0 && !named)) {
    throw new RangeError(
      `${name ? op : fn}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  }
  const out = reduceInto(op, x, dims, keepdim);
  // NOTE: the full max()/min() (a name given) share their gradient among NaNs when the result is
  // NaN (PyTorch's evenly_distribute_backward); amax/amin compare with == (NaN gradients there).
  const rec = record(fn, [x], out, { inShape: x.shape, keepShape: keepShape(x, dims), nanEqual: name !== undefined });
  return name ? rename(rec, name) : rec;
}

/** Max over dims; the gradient is shared evenly among tied maxima (PyTorch's amax / full max). */
export function amax(x: Tensor, dim: Dims, keepdim = false, name?: string): Tensor {
  return extreme("max", x, dim, keepdim, name);
}

export function amin(x: Tensor, dim: Dims, keepdim = false, name?: string): Tensor {
  return extreme("min", x, dim, keepdim, name);
}

export function argReduce(op: ArgReduceOp, x: Tensor, dim: number | null | undefined, keepdim = false): Tensor {
  if (x.numel() === 0 && (dim === null || dim === undefined)) {
    throw new RangeError(`${op}(): Expected reduction dim to be specified for input.numel() == 0.`);
  }
  if (x.numel() === 0) {
    const d = normDim(dim!, x.ndim, op);
    if (x.shape[d] === 0) throw new RangeError(`${op}(): Expected reduction dim ${d} to have non-zero size.`);
    const keep = keepShape(x, [d]);
    return Tensor.empty(keepdim ? keep : dropShape(x, [d]), "int64");
  }
  if (dim === null || dim === undefined) {
    const flat = argReduce(op, reshape(x.detach(), [-1]), 0, false);
    return keepdim ? reshape(flat, x.shape.map(() => 1)) : flat;
  }
  const d = normDim(dim, x.ndim, op);
  const keep = x.ndim === 0 ? [] : keepShape(x, [d]);
  const out = Tensor.empty(keep, "int64");
  if (x.ndim === 0) out.typedArray[0] = 0;
  else backend().argReduce(op, x, d, out);
  return keepdim || x.ndim === 0 ? out : new Tensor(out.typedArray, dropShape(x, [d]));
}

/** max(dim) / min(dim): values and the index of the first extreme; the gradient goes to that index. */
export function maxDim(x: Tensor, dim: number, keepdim: boolean, op: ArgReduceOp): ValuesIndices {
  const fn = op === "argmax" ? "max" : "min";
  const d = normDim(dim, x.ndim, fn);
  if (x.ndim > 0 && x.shape[d] === 0) {
    throw new RangeError(`${fn}(): Expected reduction dim ${d} to have non-zero size.`);
  }
  const idx = argReduce(op, x, d, true);
  let values = x.ndim === 0 ? x : gather(x, d, idx);
  let indices = idx;
  if (!keepdim && x.ndim > 0) {
    values = squeeze(values, d);
    indices = new Tensor(idx.typedArray, dropShape(x, [d]));
  }
  rename(values, op === "argmax" ? "MaxBackward0" : "MinBackward0");
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  if (!isFloating(x.dtype)) x = cast(x, getDefaultDtype());
  const dims = reduceDims(x, dim, "logsumexp");
  if (x.numel() === 0) return sum(x, dims, keepdim).log();
  // Forward as a stable composition; the gradient is its own rule, g * exp(x - out), as PyTorch's
  // (that rule reads the rounded float32 output, so a composed gradient would differ from it).
  const lse = noGrad(() => {
    // NOTE: an infinite max would turn x - max into NaN; PyTorch shifts by 0 there instead.
    const m = amax(x.detach(), dims, true);
    const shift = m.where(m.abs().ne(Infinity), 0);
    return sum(x.detach().sub(shift).exp(), dims, true).log().add(shift);
  });
  const out = keepdim ? lse : new Tensor(lse.typedArray, dropShape(x, dims));
  return record("logsumexp", [x], out, { inShape: x.shape, keepShape: keepShape(x, dims) });
}

/** softmax / log_softmax along dim: moved to the last axis for the row kernel, then back. */
export function softmax(x: Tensor, dim: number, log: boolean): Tensor {
  const name = log ? "LogSoftmaxBackward0" : "SoftmaxBackward0";
  if (!isFloating(x.dtype)) {
    throw new TypeError(`"${log ? "log_softmax" : "softmax"}_lastdim_kernel_impl" not implemented for '${scalarTypeName(x.dtype)}'`);
  }
  if (x.ndim === 0) {
    normDim(dim, 0, log ? "log_softmax" : "softmax");
    return rename(reshape(softmax(reshape(x, [1]), 0, log), []), name);
  }
  const d = normDim(dim, x.ndim, log ? "log_softmax" : "softmax");
  const last = x.ndim - 1;
  const rows = (d === last ? x : transpose(x, d, last)).contiguous();
  const out = emptyUninit(rows.shape, rows.dtype);
  if (out.numel() > 0) backend().softmax(rows, out, log);
  const rec = record(log ? "logSoftmax" : "softmax", [rows], out);
  return rename(d === last ? rec : transpose(rec, d, last), name);
}

export function variance(x: Tensor, dim: Dims, correction: number, keepdim: boolean): Tensor {
  const dims = reduceDims(x, dim, "var");
  const n = numelOf(dims.map((d) => x.shape[d]));
  const centered = x.sub(mean(x, dims, true));
  return rename(sum(centered.mul(centered), dims, keepdim).div(Math.max(n - correction, 0)), "VarBackward0");
}
