// std / var with PyTorch's argument forms: var(), var(unbiased), var(dim, unbiased, keepdim) and
// var(dim, { correction, keepdim }) (the keyword form), over reduce.ts's variance.
// NOTE: std's gradient is 0 where std is 0 (PyTorch masks it), not g / (2 * 0) = Infinity.
// ref: PyTorch 1.13 docs of torch.var / torch.std; FunctionsManual.cpp std_backward.
import { rename } from "../autograd/node.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { where } from "./elementwise.js";
import { mean, variance, type Dims } from "./reduce.js";

export interface VarOptions {
  /** Subtracted from the count in the divisor: 1 (the default) is Bessel's correction. */
  correction?: number;
  keepdim?: boolean;
  unbiased?: boolean;
}

/** The arguments after `input`: ([unbiased] | [dim, unbiased, keepdim]) then an optional options object. */
export type VarArgs = (Dims | boolean | VarOptions)[];

function parseVarArgs(args: VarArgs, fn: string): { dim: Dims; correction: number; keepdim: boolean } {
  const list = [...args];
  let opts: VarOptions = {};
  const last = list[list.length - 1];
  if (last !== null && typeof last === "object" && !Array.isArray(last)) {
    opts = last as VarOptions;
    list.pop();
  }
  let [dim, unbiased, keepdim] = list as [Dims | boolean, boolean | undefined, boolean | undefined];
  if (typeof dim === "boolean") [dim, unbiased] = [null, dim]; // torch.var(x, False)
  unbiased ??= opts.unbiased;
  if (unbiased !== undefined && opts.correction !== undefined) {
    throw new TypeError(`${fn}(): cannot take both unbiased and correction (pass one of them)`);
  }
  const correction = opts.correction ?? (unbiased === false ? 0 : 1);
  return { dim: dim as Dims, correction, keepdim: keepdim ?? opts.keepdim ?? false };
}

function checkFloat(x: Tensor): void {
  if (!isFloating(x.dtype)) throw new TypeError(`std and var only support floating point and complex dtypes (got ${scalarTypeName(x.dtype)})`);
}

export function varOf(x: Tensor, args: VarArgs): Tensor {
  checkFloat(x);
  const { dim, correction, keepdim } = parseVarArgs(args, "var");
  return variance(x, dim, correction, keepdim);
}

export function stdOf(x: Tensor, args: VarArgs): Tensor {
  checkFloat(x);
  const { dim, correction, keepdim } = parseVarArgs(args, "std");
  const v = variance(x, dim, correction, keepdim);
  const zero = v.eq(0);
  return rename(where(zero, 0, where(zero, 1, v).sqrt()), "StdBackward0");
}

/** torch.var_mean / std_mean: the spread and the mean over the same dims, as a pair. */
export function momentsWithMean(x: Tensor, args: VarArgs, kind: "var" | "std"): [Tensor, Tensor] {
  const spread = kind === "var" ? varOf(x, args) : stdOf(x, args);
  const { dim, keepdim } = parseVarArgs(args, kind);
  return [spread, mean(x, dim, keepdim)];
}
