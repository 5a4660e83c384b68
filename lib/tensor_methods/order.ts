// Order statistics and related reductions as Tensor methods: cummax, cummin, logcumsumexp,
// kthvalue, mode, quantile, nanquantile, aminmax, histc, renorm / renorm_ (ops/order_stats.ts,
// ops/stats_extra.ts). Dims and keepdim also bind as keywords (tensor_keywords.ts).
import { Tensor, type Keywords, type ValuesIndices } from "../tensor.js";
import * as os from "../ops/order_stats.js";
import * as st from "../ops/stats_extra.js";
import { inPlaceOf } from "../ops/inplace_of.js";

declare module "../tensor.js" {
  interface Tensor {
    /** Running maximum along dim and the index where it was last reached. */
    cummax(dim: number | Keywords): ValuesIndices;
    cummin(dim: number | Keywords): ValuesIndices;
    logcumsumexp(dim: number | Keywords): Tensor;
    /** The k-th smallest (1-based) along dim (default -1), and its index. */
    kthvalue(k: number | Keywords, dim?: number | Keywords, keepdim?: boolean | Keywords): ValuesIndices;
    /** The most frequent value along dim (default -1; the smallest among ties), and its index. */
    mode(dim?: number | Keywords, keepdim?: boolean | Keywords): ValuesIndices;
    quantile(q: number | Tensor | Keywords, dim?: number | null | Keywords, keepdim?: boolean | Keywords, opts?: { interpolation?: st.Interpolation }): Tensor;
    nanquantile(q: number | Tensor | Keywords, dim?: number | null | Keywords, keepdim?: boolean | Keywords, opts?: { interpolation?: st.Interpolation }): Tensor;
    /** [min, max] (also .min / .max), over all elements or along opts.dim. */
    aminmax(opts?: os.AminmaxOptions): os.MinMax;
    histc(bins?: number | Keywords, min?: number | Keywords, max?: number | Keywords): Tensor;
    renorm(p: number | Keywords, dim?: number | Keywords, maxnorm?: number | Keywords): Tensor;
    renorm_(p: number | Keywords, dim?: number | Keywords, maxnorm?: number | Keywords): this;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- keyword-bound arguments arrive as plain values */
const proto = Tensor.prototype;
proto.cummax = function (this: Tensor, dim: any) { return os.cumExtreme(this, dim, "cummax"); };
proto.cummin = function (this: Tensor, dim: any) { return os.cumExtreme(this, dim, "cummin"); };
proto.logcumsumexp = function (this: Tensor, dim: any) { return st.logcumsumexp(this, dim); };
proto.kthvalue = function (this: Tensor, k: any, dim: any = -1, keepdim: any = false) { return os.kthvalue(this, k, dim, keepdim); };
proto.mode = function (this: Tensor, dim: any = -1, keepdim: any = false) { return os.mode(this, dim, keepdim); };
proto.quantile = function (this: Tensor, q: any, dim?: any, keepdim: any = false, opts: { interpolation?: st.Interpolation } = {}) {
  return st.quantile(this, q, { dim, keepdim, interpolation: opts.interpolation }, false);
};
proto.nanquantile = function (this: Tensor, q: any, dim?: any, keepdim: any = false, opts: { interpolation?: st.Interpolation } = {}) {
  return st.quantile(this, q, { dim, keepdim, interpolation: opts.interpolation }, true);
};
proto.aminmax = function (this: Tensor, opts?: os.AminmaxOptions) { return os.aminmax(this, opts); };
proto.histc = function (this: Tensor, bins?: any, min?: any, max?: any) { return st.histc(this, bins, min, max); };
proto.renorm = function (this: Tensor, p: any, dim: any, maxnorm: any) { return st.renorm(this, p, dim, maxnorm); };
proto.renorm_ = function (this: Tensor, p: any, dim: any, maxnorm: any) {
  return inPlaceOf(this, "renorm_", (x) => st.renorm(x, p, dim, maxnorm), [], { name: "RenormBackward0" });
};
