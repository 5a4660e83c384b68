// Tensor.cov / Tensor.corrcoef (ops/correlation.ts).
import { Tensor } from "../tensor.js";
import { cov, corrcoef, type CovOptions } from "../ops/correlation.js";

declare module "../tensor.js" {
  interface Tensor {
    /** The covariance of the rows over the columns: { correction, fweights, aweights }. */
    cov(opts?: CovOptions): Tensor;
    /** Pearson correlation coefficients of the rows. */
    corrcoef(): Tensor;
  }
}

Tensor.prototype.cov = function (this: Tensor, opts?: CovOptions) { return cov(this, opts); };
Tensor.prototype.corrcoef = function (this: Tensor) { return corrcoef(this); };
