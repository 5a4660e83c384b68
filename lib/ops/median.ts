// torch.median / torch.nanmedian: the lower median ((n - 1) / 2 in sorted order, never an average).
// Along a dim, PyTorch 1.13 picks the element with nth_element over (value, index) pairs, so among
// tied values the index is the k-th in a stable ascending order: a stable sort gives the same pick.
// median propagates NaN (the first NaN along the dim, by position); nanmedian skips NaNs and gives
// NaN (index 0) only where a row is all NaN. The full reductions (no dim) share their gradient
// evenly among the elements equal to the result, NaNs included; the dim forms send it to the index.
// ref: aten/src/ATen/native/Sorting.cpp (median_with_indices_impl), derivatives.yaml (median).
import { rename } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { normDim } from "../shape.js";
import { Tensor, type ValuesIndices } from "../tensor.js";
import { binary, compare, div, scalarTensor, where } from "./elementwise.js";
import { gather } from "./indexing.js";
import { isnan } from "./masking.js";
import { amax, amin, sum } from "./reduce.js";
import { sort } from "./sorting.js";
import { reshape, squeeze } from "./views.js";

type Kind = "median" | "nanmedian";

function checkDtype(x: Tensor, kind: Kind): void {
  if (x.dtype === "bool" || x.dtype === "float16" || x.dtype === "bfloat16") {
    throw new TypeError(`"${kind}_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  }
}

/** Positions (keepdim shape, int64) in the stable ascending order along d that hold each median. */
function medianPositions(x: Tensor, d: number, kind: Kind): Tensor {
  const n = x.shape[d];
  const lower = (n - 1) >> 1;
  if (!isFloating(x.dtype)) return reshape(scalarTensor(lower, "int64"), x.shape.map(() => 1));
  // NaNs sort last, in their original order: a row's first NaN sits at n - (its NaN count).
  const nans = sum(isnan(x), d, true);
  if (kind === "median") return where(compare("gt", nans, 0), binary("sub", n, nans), lower);
  const valid = binary("sub", n, nans);
  return where(compare("gt", valid, 0), div(binary("sub", valid, 1), 2, { roundingMode: "floor" }), 0);
}

/** median(dim) / nanmedian(dim): values and indices, PyTorch's pick among ties and NaNs. */
export function medianDim(x: Tensor, dim: number, keepdim: boolean, kind: Kind): ValuesIndices {
  checkDtype(x, kind);
  const d = normDim(dim, x.ndim, kind);
  if (x.ndim === 0) return valuesIndices(rename(x.clone(), kind === "median" ? "MedianBackward1" : "NanmedianBackward1"), scalarTensor(0, "int64"));
  if (x.shape[d] === 0) throw new RangeError(`${kind}(): Expected reduction dim ${d} to have non-zero size.`);
  const indices = noGrad(() => {
    const order = sort(x.detach(), d, false, { stable: true }).indices;
    return gather(order, d, medianPositions(x.detach(), d, kind).expand(x.shape.map((s, i) => (i === d ? 1 : s))).contiguous());
  });
  const name = kind === "median" ? "MedianBackward1" : "NanmedianBackward1";
  const values = gather(x, d, indices);
  if (keepdim) return valuesIndices(rename(values, name), indices);
  return valuesIndices(rename(squeeze(values, d), name), squeeze(indices, d).contiguous());
}

/** median() / nanmedian() of all elements: a 0-d tensor; NaN for an empty float tensor. */
export function medianAll(x: Tensor, kind: Kind): Tensor {
  checkDtype(x, kind);
  const name = kind === "median" ? "MedianBackward0" : "NanmedianBackward0";
  if (x.numel() === 0) {
    if (!isFloating(x.dtype)) throw new RangeError(`${kind}() input tensor cannot be empty`);
    return scalarTensor(NaN, x.dtype);
  }
  const flat = reshape(x, [-1]);
  const v = noGrad(() => squeeze(gather(flat.detach(), 0, medianDim(flat.detach(), 0, true, kind).indices), 0));
  if (!isFloating(x.dtype)) return v;
  // The gradient, shared evenly among the elements equal to v (NaNs among NaNs), is the full max's
  // over those elements: the others are replaced by a value that can't tie with v.
  const m = v.item();
  const same = noGrad(() => (Number.isNaN(m) ? isnan(x) : compare("eq", x, v)));
  return m === -Infinity ? amin(where(same, x, Infinity), null, false, name) : amax(where(same, x, -Infinity), null, false, name);
}

function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}
