// torch.* predicates (isin, isreal, is_complex, is_signed, is_nonzero, is_same_size), torch.fill,
// torch.detach, torch.hardshrink, and the torch.x_ function forms of the in-place Tensor methods
// PyTorch 1.13 exposes (`[n for n in dir(torch) if n.endswith('_')]`): each calls the method, so
// torch.relu_(x) is x.relu_() with its in-place rules. Not provided (no such method in torchlet):
// as_strided_, resize_as_sparse_. (The nn ones, torch.relu_/selu_/celu_/threshold_/dropout_/rrelu_/
// alpha_dropout_/..., are in functional_nn.ts with PyTorch's torch.* signatures.)
import { Tensor, type TensorOrScalar } from "./tensor.js";
import * as pr from "./ops/predicates.js";
import type { BetaAlphaOptions } from "./ops/blas.js";
import type { NanToNumOptions } from "./ops/masking.js";
import * as act from "./nn/functional_activation.js";
import { embeddingRenorm_ as renormRows } from "./nn/functional_sequence.js";
import { isGradEnabled } from "./autograd/grad_mode.js";

export type { IsinOptions } from "./ops/predicates.js";

export const isin = (elements: TensorOrScalar, testElements: TensorOrScalar, opts?: pr.IsinOptions) => pr.isin(elements, testElements, opts);
export const isreal = (x: Tensor) => pr.isreal(x);
export const isComplex = (x: Tensor) => x.isComplex();
export const isSigned = (x: Tensor) => x.isSigned();
export const isNonzero = (x: Tensor) => pr.isNonzero(x);
export const isSameSize = (a: Tensor, b: Tensor) => pr.isSameSize(a, b);
/** torch.fill(x, value): a new tensor like x filled with value (a number or a 0-d tensor). */
export const fill = (x: Tensor, value: TensorOrScalar) => pr.fill(x, value);
export const detach = (x: Tensor) => x.detach();
export function hardshrink(x: Tensor, lambd?: number | { lambd?: number }): Tensor {
  pr.checkHardshrinkDType(x);
  return act.hardshrink(x, lambd);
}

type U = (x: Tensor) => Tensor;
const u = (name: keyof Tensor & string): U => (x) => (x[name] as () => Tensor)();

export const abs_ = u("abs_"), acos_ = u("acos_"), acosh_ = u("acosh_"), arccos_ = u("arccos_"), arccosh_ = u("arccosh_");
export const arcsin_ = u("arcsin_"), arcsinh_ = u("arcsinh_"), arctan_ = u("arctan_"), arctanh_ = u("arctanh_");
export const asin_ = u("asin_"), asinh_ = u("asinh_"), atan_ = u("atan_"), atanh_ = u("atanh_"), ceil_ = u("ceil_");
export const cos_ = u("cos_"), cosh_ = u("cosh_"), deg2rad_ = u("deg2rad_"), detach_ = u("detach_"), erf_ = u("erf_");
export const erfc_ = u("erfc_"), exp2_ = u("exp2_"), exp_ = u("exp_"), expm1_ = u("expm1_"), fix_ = u("fix_");
export const floor_ = u("floor_"), frac_ = u("frac_"), i0_ = u("i0_"), log10_ = u("log10_"), log1p_ = u("log1p_");
export const log2_ = u("log2_"), log_ = u("log_"), neg_ = u("neg_"), negative_ = u("negative_"), rad2deg_ = u("rad2deg_");
export const reciprocal_ = u("reciprocal_"), round_ = u("round_"), rsqrt_ = u("rsqrt_");
export const sigmoid_ = u("sigmoid_"), sin_ = u("sin_"), sinc_ = u("sinc_"), sinh_ = u("sinh_"), sqrt_ = u("sqrt_");
export const square_ = u("square_"), tan_ = u("tan_"), tanh_ = u("tanh_"), trunc_ = u("trunc_"), zero_ = u("zero_");

type Bound = Tensor | number | null;
/** A trailing options object (PyTorch's keyword arguments), not a Tensor. */
const isKw = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !(v instanceof Tensor);
/** torch.clamp_(x, min, max) or torch.clamp_(x, { min, max }). */
export function clamp_(x: Tensor, min?: Bound | { min?: Bound; max?: Bound }, max?: Bound): Tensor {
  if (isKw(min)) return x.clamp_(min.min as Bound, min.max as Bound);
  return x.clamp_(min as Bound, max);
}
export const clip_ = clamp_;
export const clampMin_ = (x: Tensor, min: Tensor | number | { min: Tensor | number }) => x.clampMin_(isKw(min) ? (min.min as Tensor | number) : min);
export const clampMax_ = (x: Tensor, max: Tensor | number | { max: Tensor | number }) => x.clampMax_(isKw(max) ? (max.max as Tensor | number) : max);
export const logit_ = (x: Tensor, eps: number | null | { eps?: number | null } = null) => x.logit_(isKw(eps) ? ((eps.eps as number | null) ?? null) : eps);
export const nanToNum_ = (x: Tensor, nan: number | null | NanToNumOptions = 0, posinf: number | null = null, neginf: number | null = null) => x.nanToNum_(nan, posinf, neginf);
export const xlogy_ = (x: Tensor, other: TensorOrScalar) => x.xlogy_(other);
export const gcd_ = (x: Tensor, other: Tensor) => x.gcd_(other);
export const lcm_ = (x: Tensor, other: Tensor) => x.lcm_(other);
export const ldexp_ = (x: Tensor, other: Tensor) => x.ldexp_(other);
export const fill_ = (x: Tensor, value: number) => x.fill_(value);
export const addmv_ = (x: Tensor, mat: Tensor, vec: Tensor, opts?: BetaAlphaOptions) => x.addmv_(mat, vec, opts);
/** torch.conj_physical_: the tensor itself (torchlet's tensors are real; Tensor.conjPhysical_ in tensor_methods/misc.ts). */
export const conjPhysical_ = (x: Tensor) => x.conjPhysical_();
/** torch.embedding_renorm_(weight, input, max_norm, norm_type): each row of weight that input names
 *  whose norm exceeds maxNorm is scaled to maxNorm / (norm + 1e-7), in place; returns weight. */
export function embeddingRenorm_(weight: Tensor, input: Tensor, maxNorm: number, normType: number): Tensor {
  if (isGradEnabled() && weight.requiresGrad && weight.isLeaf) throw new Error("a leaf Variable that requires grad is being used in an in-place operation.");
  if (input.dtype !== "int64" && input.dtype !== "int32") {
    throw new TypeError(`Expected tensor for argument #2 'indices' to have one of the following scalar types: Long, Int; but got ${input.dtype} instead (while checking arguments for embedding_renorm_)`);
  }
  const idx = input.contiguous().storage();
  for (let i = 0; i < idx.length; i++) if (idx[i] < 0 || idx[i] >= weight.shape[0]) throw new RangeError("index out of range in self");
  renormRows(weight, idx, maxNorm, normType);
  return weight;
}
/** torch.resize_as_(x, other): x.resizeAs_(other). */
export const resizeAs_ = (x: Tensor, other: Tensor) => x.resizeAs_(other);
