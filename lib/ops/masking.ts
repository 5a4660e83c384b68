// Masks and tests: isnan / isinf / isfinite / isposinf / isneginf, nanToNum, all / any, and the
// masked ops (maskedFill(_), maskedSelect, maskedScatter). All are compositions of elementwise ops,
// where, indexing and scatter, so their gradients come from those rules.
// ref: PyTorch 1.13 docs of each op; masked_fill / masked_select broadcast self with the mask.
import { rename } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { broadcastShapes, sameShape } from "../shape.js";
import { Tensor, type Scalar } from "../tensor.js";
import { cast, checkInPlace, compare, logical, scalarTensor, where, writeChecked } from "./elementwise.js";
import { index } from "./indexing.js";
import { reduceDims, sum, type Dims } from "./reduce.js";
import { scatter } from "./scatter.js";
import { expand, reshape, slice } from "./views.js";
import { nonzeroFlat } from "./sets.js";

const FLOAT32_MAX = 3.4028234663852886e38;

/** A bool tensor of x's shape, all `value` (integer and bool tensors are never NaN or infinite). */
function constantMask(x: Tensor, value: boolean): Tensor {
  const t = Tensor.empty(x.shape, "bool");
  if (value) t.typedArray.fill(1);
  return t;
}

export function isnan(x: Tensor): Tensor {
  return isFloating(x.dtype) ? compare("ne", x.detach(), x.detach()) : constantMask(x, false);
}
export function isposinf(x: Tensor): Tensor {
  return isFloating(x.dtype) ? compare("eq", x.detach(), Infinity) : constantMask(x, false);
}
export function isneginf(x: Tensor): Tensor {
  return isFloating(x.dtype) ? compare("eq", x.detach(), -Infinity) : constantMask(x, false);
}
export function isinf(x: Tensor): Tensor {
  return isFloating(x.dtype) ? logical("or", isposinf(x), isneginf(x)) : constantMask(x, false);
}
/** Finite: neither NaN nor ±inf; |x| < inf is false for both. */
export function isfinite(x: Tensor): Tensor {
  return isFloating(x.dtype) ? compare("lt", x.detach().abs(), Infinity) : constantMask(x, true);
}

/** torch.nan_to_num: NaN -> nan, +inf -> posinf, -inf -> neginf (defaults 0 and float32's max / lowest).
 *  The gradient passes where x was finite and is 0 where it was replaced. Integer tensors are copied. */
export interface NanToNumOptions {
  nan?: number | null;
  posinf?: number | null;
  neginf?: number | null;
}

/** The replacements of nanToNum, given positionally or as PyTorch's keywords ({ nan, posinf, neginf }). */
export function nanToNumArgs(nan: number | null | NanToNumOptions = 0, posinf: number | null = null, neginf: number | null = null): [number | null, number | null, number | null] {
  return nan !== null && typeof nan === "object" ? [nan.nan ?? 0, nan.posinf ?? null, nan.neginf ?? null] : [nan, posinf, neginf];
}

export function nanToNum(x: Tensor, nanOrOpts: number | null | NanToNumOptions = 0, posinfArg: number | null = null, neginfArg: number | null = null): Tensor {
  const [nan, posinf, neginf] = nanToNumArgs(nanOrOpts, posinfArg, neginfArg);
  if (!isFloating(x.dtype)) return x.clone();
  // NOTE: replacement values are stored in x's dtype (1e39 becomes inf in float32, as in PyTorch);
  // the default ±inf replacements are that dtype's largest finite values.
  const f = (v: number) => scalarTensor(v, x.dtype, true); // unchecked, as PyTorch: posinf 1e39 stores inf
  const max = x.dtype === "float64" ? Number.MAX_VALUE : x.dtype === "float16" ? 65504 : x.dtype === "bfloat16" ? 3.3895313892515355e38 : FLOAT32_MAX;
  let out = where(isnan(x), f(nan ?? 0), x);
  out = where(isposinf(x), f(posinf ?? max), out);
  out = where(isneginf(x), f(neginf ?? -max), out);
  return rename(out, "NanToNumBackward0");
}

/** torch.all: true where every element (over dim, or all) is nonzero; NaN counts as nonzero. */
export function all(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  reduceDims(x, dim, "all");
  const r = compare("eq", sum(compare("eq", x.detach(), 0), dim, keepdim), 0);
  return x.dtype === "uint8" ? cast(r, "uint8") : r; // NOTE: PyTorch 1.13 keeps uint8 here
}

/** torch.any: true where some element (over dim, or all) is nonzero. */
export function any(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  reduceDims(x, dim, "any");
  const r = compare("gt", sum(compare("ne", x.detach(), 0), dim, keepdim), 0);
  return x.dtype === "uint8" ? cast(r, "uint8") : r; // NOTE: PyTorch 1.13 keeps uint8 here
}

function checkMask(mask: unknown, fn: string): asserts mask is Tensor {
  if (!(mask instanceof Tensor)) throw new TypeError(`${fn}(): argument 'mask' must be Tensor, not ${mask === null ? "None" : typeof mask}`);
  if (mask.dtype !== "bool") {
    throw new TypeError(`${fn} only supports boolean masks, but got mask with dtype ${scalarTypeName(mask.dtype)}`);
  }
}

/** The fill value as a 0-d tensor of x's dtype (a Python float into an int64 tensor truncates). */
function fillValue(x: Tensor, value: Tensor | Scalar, fn: string): Tensor {
  if (value instanceof Tensor) {
    if (value.ndim !== 0) {
      throw new RangeError(`${fn} only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
    }
    return cast(value, x.dtype);
  }
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new TypeError(`${fn}(): argument 'value' must be Number or Tensor, not ${value === null ? "None" : typeof value}`);
  }
  return scalarTensor(value, x.dtype);
}

/** torch.masked_fill: value where mask is true, x elsewhere (x and mask broadcast together).
 *  Gradients: x gets 0 at filled positions; a 0-d tensor value gets the sum over them. */
export function maskedFill(x: Tensor, mask: Tensor, value: Tensor | Scalar): Tensor {
  checkMask(mask, "masked_fill_");
  const v = fillValue(x, value, "masked_fill_");
  return rename(where(mask, v, x), "MaskedFillBackward0");
}

/** In place (not recorded): mask broadcasts to x's shape, x does not broadcast. */
export function maskedFillInPlace<T extends Tensor>(x: T, mask: Tensor, value: Tensor | Scalar): T {
  checkMask(mask, "masked_fill_");
  checkInPlace(x, "masked_fill_", false, { partial: [mask] }); // a tensor value is read once, as a scalar
  const shape = broadcastShapes(x.shape, mask.shape);
  if (!sameShape(shape, x.shape)) {
    throw new RangeError(`output with shape [${x.shape.join(", ")}] doesn't match the broadcast shape [${shape.join(", ")}]`);
  }
  const v = fillValue(x, value instanceof Tensor ? value.detach() : value, "masked_fill_");
  writeChecked(x, noGrad(() => where(mask, v, x.detach())));
  return x;
}

/** torch.masked_select: the elements of x where mask is true (both broadcast), as a 1-D tensor. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (!(mask instanceof Tensor) || mask.dtype !== "bool") throw new TypeError("masked_select: expected BoolTensor for mask");
  const shape = broadcastShapes(x.shape, mask.shape);
  const xs = sameShape(x.shape, shape) ? x : expand(x, shape);
  const ms = sameShape(mask.shape, shape) ? mask : expand(mask, shape);
  const flat = reshape(xs, [-1]);
  return rename(index(flat, [reshape(ms, [-1])]), "MaskedSelectBackward0");
}

/** torch.masked_scatter: x with its mask-true positions (row-major) taking source's leading elements.
 *  Gradients: x gets 0 there; source gets the upstream at those positions in its first elements. */
export function maskedScatter(x: Tensor, mask: Tensor, source: Tensor): Tensor {
  checkMask(mask, "masked_scatter_");
  if (source.dtype !== x.dtype) {
    throw new TypeError(`masked_scatter: expected self and source to have same dtypes but got ${scalarTypeName(x.dtype)} and ${scalarTypeName(source.dtype)}`);
  }
  const shape = broadcastShapes(x.shape, mask.shape);
  const xs = sameShape(x.shape, shape) ? x : expand(x, shape);
  const ms = (sameShape(mask.shape, shape) ? mask : expand(mask, shape)).contiguous();
  const positions = nonzeroFlat(ms);
  const k = positions.numel();
  if (k > source.numel()) throw new RangeError("masked_scatter: expected source to have at least as many elements as ones in mask");
  const src = slice(reshape(source, [-1]), 0, 0, k);
  const flat = scatter(reshape(xs, [-1]).contiguous(), 0, positions, src);
  return rename(reshape(flat, shape), "MaskedScatterBackward0");
}

