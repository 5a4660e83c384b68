// Predicate methods and small conveniences: isreal, isNonzero, isSameSize, hardshrink (as
// F.hardshrink), addmv_ (addmv in place), indexPut / indexPut_.
import { Tensor, type TensorOrScalar } from "../tensor.js";
import { indexPut, indexPut_, type Accumulate } from "../ops/index_put.js";
import * as pr from "../ops/predicates.js";
import { inPlaceOf } from "../ops/inplace_of.js";
import { hardshrink } from "../nn/functional_activation.js";
import type { BetaAlphaOptions } from "../ops/blas.js";

declare module "../tensor.js" {
  interface Tensor {
    /** True everywhere: torchlet's dtypes are all real. */
    isreal(): Tensor;
    /** The truth of a one-element tensor (PyTorch's error for an empty or larger one). */
    isNonzero(): boolean;
    /** Whether other has this tensor's shape. */
    isSameSize(other: Tensor): boolean;
    /** 0 where |x| <= lambd (default 0.5), else x. */
    hardshrink(lambd?: number | { lambd?: number }): Tensor;
    /** this[indices] = values (or += with accumulate: repeated positions add up); indices: one tensor per leading dim. */
    indexPut_(indices: readonly (Tensor | null)[], values: TensorOrScalar, accumulate?: Accumulate): this;
    /** A copy with [indices] = values (or += with accumulate). */
    indexPut(indices: readonly (Tensor | null)[], values: TensorOrScalar, accumulate?: Accumulate): Tensor;
    /** this = beta * this + alpha * (mat @ vec). */
    addmv_(mat: Tensor, vec: Tensor, opts?: BetaAlphaOptions): this;
  }
}

Tensor.prototype.isreal = function (this: Tensor) { return pr.isreal(this); };
Tensor.prototype.isNonzero = function (this: Tensor) { return pr.isNonzero(this); };
Tensor.prototype.isSameSize = function (this: Tensor, other: Tensor) { return pr.isSameSize(this, other); };
Tensor.prototype.hardshrink = function (this: Tensor, lambd?: number | { lambd?: number }) {
  pr.checkHardshrinkDType(this);
  return hardshrink(this, lambd);
};
Tensor.prototype.addmv_ = function <T extends Tensor>(this: T, mat: Tensor, vec: Tensor, opts?: BetaAlphaOptions) {
  return inPlaceOf(this, "addmv_", (x) => x.addmv(mat, vec, opts), [mat, vec]);
};
Tensor.prototype.indexPut_ = function <T extends Tensor>(this: T, indices: readonly (Tensor | null)[], values: TensorOrScalar, accumulate?: Accumulate) {
  return indexPut_(this, indices, values, accumulate);
};
Tensor.prototype.indexPut = function (this: Tensor, indices: readonly (Tensor | null)[], values: TensorOrScalar, accumulate?: Accumulate) {
  return indexPut(this, indices, values, accumulate);
};
