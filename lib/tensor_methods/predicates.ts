// Predicate methods and small conveniences: isreal, isNonzero, isSameSize, hardshrink (as
// F.hardshrink). (addmv_ and indexPut/indexPut_ are in products.ts and index_extra.ts.)
import { Tensor } from "../tensor.js";
import * as pr from "../ops/predicates.js";
import { hardshrink } from "../nn/functional_activation.js";

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
  }
}

Tensor.prototype.isreal = function (this: Tensor) { return pr.isreal(this); };
Tensor.prototype.isNonzero = function (this: Tensor) { return pr.isNonzero(this); };
Tensor.prototype.isSameSize = function (this: Tensor, other: Tensor) { return pr.isSameSize(this, other); };
Tensor.prototype.hardshrink = function (this: Tensor, lambd?: number | { lambd?: number }) {
  pr.checkHardshrinkDType(this);
  return hardshrink(this, lambd);
};
