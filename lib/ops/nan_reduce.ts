// Reductions that skip NaNs or count: torch.nansum, torch.nanmean, torch.count_nonzero. Compositions
// of where and sum, so nansum's gradient is 1 where the input wasn't NaN and 0 where it was (as
// PyTorch's), and nanmean's is that divided by the count, with PyTorch's grad_fn names.
// ref: aten/src/ATen/native/ReduceOps.cpp (nansum, nanmean, count_nonzero), PyTorch 1.13.
import { rename } from "../autograd/node.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import type { DType } from "../backend/types.js";
import { Tensor } from "../tensor.js";
import { binary, cast, compare, where } from "./elementwise.js";
import { isnan } from "./masking.js";
import { sum, type Dims } from "./reduce.js";

export interface NanReduceOptions {
  dtype?: DType;
}

/** Sum over dims (all by default) treating NaN as zero; integer inputs are summed as they are. */
export function nansum(x: Tensor, dim?: Dims, keepdim = false, opts: NanReduceOptions = {}): Tensor {
  const src = opts.dtype !== undefined && opts.dtype !== x.dtype ? cast(x, opts.dtype) : x;
  if (!isFloating(src.dtype)) return sum(src, dim, keepdim);
  return rename(sum(where(isnan(src), 0, src), dim, keepdim), "NansumBackward0");
}

/** Mean over the elements that aren't NaN (NaN where there are none). */
export function nanmean(x: Tensor, dim?: Dims, keepdim = false, opts: NanReduceOptions = {}): Tensor {
  const dtype = opts.dtype ?? x.dtype;
  if (!isFloating(dtype)) throw new TypeError(`nanmean(): expected input to have floating point dtype but got ${scalarTypeName(dtype)}`);
  const src = dtype !== x.dtype ? cast(x, dtype) : x;
  const count = sum(compare("eq", src.detach(), src.detach()), dim, keepdim); // NaN != NaN
  return binary("div", nansum(src, dim, keepdim), count);
}

/** How many elements are not zero, over dims (all by default): an int64 tensor. */
export function countNonzero(x: Tensor, dim?: Dims): Tensor {
  return sum(compare("ne", x.detach(), 0), dim, false);
}
