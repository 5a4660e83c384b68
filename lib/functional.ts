// torch.* function forms of the Tensor methods (torch.add(a, b), torch.max(x, 1), ...), so
// PyTorch code translates call for call. Each is a one-line forward to the method or op.
import { Tensor, type TensorOrScalar, type ValuesIndices } from "./tensor.js";
import * as ew from "./ops/elementwise.js";
import type { Dims } from "./ops/reduce.js";
import { matmul as mmOp } from "./ops/matmul.js";
import { copyInto, type OutOptions } from "./ops/out.js";
import { noGrad } from "./autograd/grad_mode.js";
import type { UnaryOp } from "./backend/types.js";
import * as srt from "./ops/sorting.js";
import * as msk from "./ops/masking.js";
import * as mb from "./ops/math_binary.js";
import * as pw from "./ops/pointwise.js";
import * as sct from "./ops/scatter.js";
import * as sets from "./ops/sets.js";
import * as sp from "./ops/split.js";
import * as tri from "./ops/triangular.js";
import * as cum from "./ops/cumulative.js";
import * as blas from "./ops/blas.js";
import * as nrm from "./ops/norms.js";
import * as lu from "./ops/lu.js";
import { einsum as einsumOp } from "./ops/einsum.js";
import { stdOf, varOf, type VarArgs } from "./ops/moments.js";

type Un = (x: Tensor, opts?: OutOptions) => Tensor;
const method = (name: "neg" | "exp" | "log" | "log1p" | "sqrt" | "rsqrt" | "abs" | "sign" | "relu" | "sigmoid" | "tanh" | "erf" | "sin" | "cos" | "floor" | "ceil" | "round" | "trunc" | "square" | "reciprocal"): Un =>
  (x, opts) => (opts?.out == null ? x[name]() : copyInto(name, opts.out, [x], noGrad(() => x[name]())));
/** The unary ops with a kernel of their own: out= writes straight into out. */
const kernel = (name: UnaryOp): Un => (x, opts) => ew.unary(name, x, opts?.out);

export const neg = kernel("neg"), exp = kernel("exp"), log = kernel("log"), log1p = kernel("log1p");
export const sqrt = kernel("sqrt"), rsqrt = method("rsqrt"), abs = kernel("abs"), sign = kernel("sign");
export const relu = kernel("relu"), sigmoid = kernel("sigmoid"), tanh = kernel("tanh"), erf = kernel("erf");
export const sin = kernel("sin"), cos = kernel("cos"), floor = kernel("floor"), ceil = kernel("ceil");
export const round = kernel("round"), trunc = kernel("trunc"), square = method("square"), reciprocal = method("reciprocal");
export const tan = kernel("tan"), asin = kernel("asin"), acos = kernel("acos"), atan = kernel("atan");
export const sinh = kernel("sinh"), cosh = kernel("cosh"), asinh = kernel("asinh"), acosh = kernel("acosh"), atanh = kernel("atanh");
export const expm1 = kernel("expm1"), exp2 = kernel("exp2"), log2 = kernel("log2"), log10 = kernel("log10");
export const erfc = kernel("erfc"), erfinv = kernel("erfinv");
export const arcsin = asin, arccos = acos, arctan = atan, arcsinh = asinh, arccosh = acosh, arctanh = atanh;
export const absolute = abs, negative = neg, fix = trunc;
/** A composition's out=: computed without a graph, then copied into out (out's dtype rules). */
const into = (fn: string, inputs: unknown[], opts: OutOptions | undefined, f: () => Tensor): Tensor =>
  opts?.out == null ? f() : copyInto(fn, opts.out, inputs.filter((t): t is Tensor => t instanceof Tensor), noGrad(f));
export const frac = (x: Tensor, opts?: OutOptions) => into("frac", [x], opts, () => pw.frac(x));
export const sgn = (x: Tensor, opts?: OutOptions) => into("sgn", [x], opts, () => pw.sgn(x));
export const deg2rad = (x: Tensor, opts?: OutOptions) => into("deg2rad", [x], opts, () => pw.deg2rad(x));
export const rad2deg = (x: Tensor, opts?: OutOptions) => into("rad2deg", [x], opts, () => pw.rad2deg(x));
export const logit = (x: Tensor, eps: number | null = null, opts?: OutOptions) => into("logit", [x], opts, () => pw.logit(x, eps));
export const xlogy = (x: TensorOrScalar, y: TensorOrScalar, opts?: OutOptions) => mb.xlogy(x, y, opts);
export const atan2 = (a: Tensor, b: Tensor, opts?: OutOptions) => mb.mathBinary("atan2", a, b, opts?.out);
export const arctan2 = atan2;
export const hypot = (a: Tensor, b: Tensor, opts?: OutOptions) => mb.mathBinary("hypot", a, b, opts?.out);
export const logaddexp = (a: Tensor, b: Tensor, opts?: OutOptions) => mb.mathBinary("logaddexp", a, b, opts?.out);
export const logaddexp2 = (a: Tensor, b: Tensor, opts?: OutOptions) => mb.mathBinary("logaddexp2", a, b, opts?.out);
export const copysign = (a: Tensor, b: TensorOrScalar, opts?: OutOptions) => mb.mathBinary("copysign", a, b, opts?.out);
export const fmod = (a: Tensor, b: TensorOrScalar, opts?: OutOptions) => mb.mathBinary("fmod", a, b, opts?.out);
export const floatPower = (x: Tensor, e: TensorOrScalar, opts?: OutOptions) => into("float_power", [x, e], opts, () => pw.floatPower(x, e));
export const lerp = (start: Tensor, end: Tensor, weight: TensorOrScalar, opts?: OutOptions) =>
  into("lerp", [start, end, weight], opts, () => pw.lerp(start, end, weight));
export const addcmul = (input: Tensor, t1: Tensor, t2: Tensor, opts?: pw.ValueOptions & OutOptions) =>
  into("addcmul", [input, t1, t2], opts, () => pw.addcmul(input, t1, t2, opts));
export const addcdiv = (input: Tensor, t1: Tensor, t2: Tensor, opts?: pw.ValueOptions & OutOptions) =>
  into("addcdiv", [input, t1, t2], opts, () => pw.addcdiv(input, t1, t2, opts));
export const clampMin = (x: Tensor, min: Tensor | number, opts?: OutOptions) => into("clamp_min", [x, min], opts, () => pw.clampMin(x, min));
export const clampMax = (x: Tensor, max: Tensor | number, opts?: OutOptions) => into("clamp_max", [x, max], opts, () => pw.clampMax(x, max));

export const add = (a: TensorOrScalar, b: TensorOrScalar, opts?: ew.AlphaOptions) => ew.add(a, b, opts);
export const sub = (a: TensorOrScalar, b: TensorOrScalar, opts?: ew.AlphaOptions) => ew.sub(a, b, opts);
export const mul = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => ew.binary("mul", a, b, opts?.out);
export const div = (a: TensorOrScalar, b: TensorOrScalar, opts?: ew.DivOptions) => ew.div(a, b, opts);
export const pow = (a: TensorOrScalar, b: TensorOrScalar, opts?: OutOptions) => ew.binary("pow", a, b, opts?.out);
export { remainder } from "./ops/remainder.js";
export const maximum = (a: Tensor, b: Tensor, opts?: OutOptions) => ew.binary("maximum", a, b, opts?.out);
export const minimum = (a: Tensor, b: Tensor, opts?: OutOptions) => ew.binary("minimum", a, b, opts?.out);
export const clamp = (x: Tensor, min?: Tensor | number | null, max?: Tensor | number | null) => x.clamp(min, max);
export const clip = clamp;
/** torch.where(cond, a, b); torch.where(cond) alone is nonzero(cond, { asTuple: true }). */
export function where(cond: Tensor): Tensor[];
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor;
export function where(cond: Tensor, a?: TensorOrScalar, b?: TensorOrScalar): Tensor | Tensor[] {
  return a === undefined && b === undefined ? sets.nonzero(cond, { asTuple: true }) : ew.where(cond, a as TensorOrScalar, b as TensorOrScalar);
}
export const eq = (a: Tensor, b: TensorOrScalar) => a.eq(b);
export const ne = (a: Tensor, b: TensorOrScalar) => a.ne(b);
export const lt = (a: Tensor, b: TensorOrScalar) => a.lt(b);
export const le = (a: Tensor, b: TensorOrScalar) => a.le(b);
export const gt = (a: Tensor, b: TensorOrScalar) => a.gt(b);
export const ge = (a: Tensor, b: TensorOrScalar) => a.ge(b);
export const logicalAnd = (a: Tensor, b: Tensor) => a.logicalAnd(b);
export const logicalOr = (a: Tensor, b: Tensor) => a.logicalOr(b);
export const logicalNot = (a: Tensor) => a.logicalNot();

export const sum = (x: Tensor, ...args: Parameters<Tensor["sum"]>) => x.sum(...args);
export const mean = (x: Tensor, ...args: Parameters<Tensor["mean"]>) => x.mean(...args);
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
export const amax = (x: Tensor, ...args: Parameters<Tensor["amax"]>) => x.amax(...args);
export const amin = (x: Tensor, ...args: Parameters<Tensor["amin"]>) => x.amin(...args);
export const argmax = (x: Tensor, ...args: Parameters<Tensor["argmax"]>) => x.argmax(...args);
export const argmin = (x: Tensor, ...args: Parameters<Tensor["argmin"]>) => x.argmin(...args);
export const logsumexp = (x: Tensor, ...args: Parameters<Tensor["logsumexp"]>) => x.logsumexp(...args);
export const softmax = (x: Tensor, ...args: Parameters<Tensor["softmax"]>) => x.softmax(...args);
export const logSoftmax = (x: Tensor, ...args: Parameters<Tensor["logSoftmax"]>) => x.logSoftmax(...args);

export const matmul = (a: Tensor, b: Tensor, opts?: OutOptions) => mmOp(a, b, "matmul", opts?.out);
export const mm = (a: Tensor, b: Tensor, opts?: OutOptions) => mmOp(a, b, "mm", opts?.out);
export const bmm = (a: Tensor, b: Tensor, opts?: OutOptions) => mmOp(a, b, "bmm", opts?.out);

export const reshape = (x: Tensor, shape: readonly number[]) => x.reshape(shape);
export const flatten = (x: Tensor, ...args: Parameters<Tensor["flatten"]>) => x.flatten(...args);
export const unflatten = (x: Tensor, dim: number, sizes: readonly number[]) => x.unflatten(dim, sizes);
export const transpose = (x: Tensor, ...args: Parameters<Tensor["transpose"]>) => x.transpose(...args);
export const t = (x: Tensor) => x.t();
export const permute = (x: Tensor, dims: readonly number[]) => x.permute(dims);
export const unsqueeze = (x: Tensor, ...args: Parameters<Tensor["unsqueeze"]>) => x.unsqueeze(...args);
export const squeeze = (x: Tensor, ...args: Parameters<Tensor["squeeze"]>) => x.squeeze(...args);
export const narrow = (x: Tensor, ...args: Parameters<Tensor["narrow"]>) => x.narrow(...args);
export const gather = (x: Tensor, ...args: Parameters<Tensor["gather"]>) => x.gather(...args);
export const indexSelect = (x: Tensor, ...args: Parameters<Tensor["indexSelect"]>) => x.indexSelect(...args);
export const numel = (x: Tensor) => x.numel();
export const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;

// ---- tensor ops, part 1: shapes, math, linear algebra ----
export { equal } from "./ops/equal.js";
export const split = (x: Tensor, ...args: Parameters<Tensor["split"]>) => x.split(...args);
export const chunk = (x: Tensor, ...args: Parameters<Tensor["chunk"]>) => x.chunk(...args);
export const unbind = (x: Tensor, ...args: Parameters<Tensor["unbind"]>) => x.unbind(...args);
export const movedim = (x: Tensor, ...args: Parameters<Tensor["movedim"]>) => x.movedim(...args);
export const moveaxis = movedim;
export const tile = (x: Tensor, dims: readonly number[]) => sp.tile(x, dims);
export const repeatInterleave = (x: Tensor, repeats?: number | Tensor, dim?: number | null, opts?: sp.RepeatInterleaveOptions) => sp.repeatInterleave(x, repeats, dim, opts);
export const flip = (x: Tensor, dims: readonly number[]) => sp.flip(x, dims);
export const fliplr = (x: Tensor) => sp.fliplr(x);
export const flipud = (x: Tensor) => sp.flipud(x);
export const roll = (x: Tensor, ...args: Parameters<Tensor["roll"]>) => x.roll(...args);
export const tril = (x: Tensor, ...args: Parameters<Tensor["tril"]>) => x.tril(...args);
export const triu = (x: Tensor, ...args: Parameters<Tensor["triu"]>) => x.triu(...args);
export const diag = (x: Tensor, diagonal = 0) => tri.diag(x, diagonal);
export const diagonal = (x: Tensor, ...args: Parameters<Tensor["diagonal"]>) => x.diagonal(...args);
export const trace = (x: Tensor) => tri.trace(x);
export const outer = (a: Tensor, b: Tensor) => blas.outer(a, b);
export const ger = outer;
export const addmm = (input: Tensor, mat1: Tensor, mat2: Tensor, opts?: blas.BetaAlphaOptions) => blas.addmm(input, mat1, mat2, opts);
export const addmv = (input: Tensor, mat: Tensor, vec: Tensor, opts?: blas.BetaAlphaOptions) => blas.addmv(input, mat, vec, opts);
export const baddbmm = (input: Tensor, batch1: Tensor, batch2: Tensor, opts?: blas.BetaAlphaOptions) => blas.baddbmm(input, batch1, batch2, opts);
export const cumsum = (x: Tensor, ...args: Parameters<Tensor["cumsum"]>) => x.cumsum(...args);
export const cumprod = (x: Tensor, ...args: Parameters<Tensor["cumprod"]>) => x.cumprod(...args);
export const prod = (x: Tensor, dim?: number | null | cum.DTypeOptions, keepdim?: boolean | cum.DTypeOptions, opts?: cum.DTypeOptions) => cum.prod(x, dim, keepdim, opts);
export const std = (x: Tensor, ...args: VarArgs) => stdOf(x, args);
const var_ = (x: Tensor, ...args: VarArgs) => varOf(x, args);
export { var_ as var }; // `var` is a JS keyword: torch.var works, a bare `var` binding can't exist
export const norm = (x: Tensor, ...args: Parameters<Tensor["norm"]>) => x.norm(...args);
export const det = (a: Tensor) => lu.det(a);
export const inverse = (a: Tensor) => lu.inv(a);
export const einsum = (equation: string, ...operands: (Tensor | readonly Tensor[])[]) => einsumOp(equation, ...operands);

// ---- tensor ops, part 2: sorting, masking, scatter, sets ----
export const sort = (x: Tensor, dim?: number | srt.SortOptions, descending?: boolean, opts?: srt.SortOptions) => srt.sort(x, dim, descending, opts);
export const argsort = (x: Tensor, dim?: number | srt.SortOptions, descending?: boolean, opts?: srt.SortOptions) => srt.argsort(x, dim, descending, opts);
export const msort = (x: Tensor) => srt.msort(x);
export const topk = (x: Tensor, ...args: Parameters<Tensor["topk"]>) => x.topk(...args);
export const all = (x: Tensor, ...args: Parameters<Tensor["all"]>) => x.all(...args);
export const any = (x: Tensor, ...args: Parameters<Tensor["any"]>) => x.any(...args);
export const isnan = (x: Tensor) => msk.isnan(x);
export const isinf = (x: Tensor) => msk.isinf(x);
export const isfinite = (x: Tensor) => msk.isfinite(x);
export const isposinf = (x: Tensor) => msk.isposinf(x);
export const isneginf = (x: Tensor) => msk.isneginf(x);
/** torch.nan_to_num(x, nan, posinf, neginf) or (x, { nan, posinf, neginf, out }). */
export function nanToNum(x: Tensor, nan: number | null | (msk.NanToNumOptions & OutOptions) = 0, posinf: number | null = null, neginf: number | null = null): Tensor {
  const out = nan !== null && typeof nan === "object" ? nan.out : null;
  return out == null ? msk.nanToNum(x, nan, posinf, neginf) : copyInto("nan_to_num", out, [x], noGrad(() => msk.nanToNum(x, nan, posinf, neginf)));
}
export const maskedFill = (x: Tensor, mask: Tensor, value: TensorOrScalar) => msk.maskedFill(x, mask, value);
export const maskedSelect = (x: Tensor, mask: Tensor) => msk.maskedSelect(x, mask);
export const maskedScatter = (x: Tensor, mask: Tensor, source: Tensor) => msk.maskedScatter(x, mask, source);
export const scatter = (x: Tensor, dim: number, index: Tensor, src: TensorOrScalar, opts?: sct.ScatterOptions) => sct.scatter(x, dim, index, src, opts);
export const scatterAdd = (x: Tensor, dim: number, index: Tensor, src: Tensor) => sct.scatterAdd(x, dim, index, src);
export const scatterReduce = (x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: sct.ScatterReduceOp, opts?: sct.ScatterReduceOptions) =>
  sct.scatterReduce(x, dim, index, src, reduce, opts);
export const indexAdd = (x: Tensor, dim: number, index: Tensor, source: Tensor, opts?: sct.AlphaOption) => sct.indexAdd(x, dim, index, source, opts);
export const indexCopy = (x: Tensor, dim: number, index: Tensor, source: Tensor) => sct.indexCopy(x, dim, index, source);
export const indexFill = (x: Tensor, dim: number, index: Tensor, value: TensorOrScalar) => sct.indexFill(x, dim, index, value);
export const argwhere = (x: Tensor) => sets.argwhere(x);
export const bincount = (x: Tensor, weights: Tensor | null = null, minlength = 0) => sets.bincount(x, weights, minlength);
export { nonzero, unique, uniqueConsecutive, searchsorted, bucketize } from "./ops/sets.js";
export const multinomial = (x: Tensor, ...args: Parameters<Tensor["multinomial"]>) => x.multinomial(...args);
