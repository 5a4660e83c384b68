// torch.* forms of the order statistics: cummax, cummin, logcumsumexp, kthvalue, mode, quantile,
// nanquantile, aminmax, histc, renorm. Each forwards to its Tensor method, so PyTorch's keyword
// names bind there (torch.kthvalue(x, 2, { dim: 0, keepdim: true })).
import type { Tensor } from "./tensor.js";
import type { AminmaxOptions } from "./ops/order_stats.js";

export type { MinMax, AminmaxOptions } from "./ops/order_stats.js";
export type { Interpolation, QuantileOptions } from "./ops/stats_extra.js";

export const cummax = (x: Tensor, ...args: Parameters<Tensor["cummax"]>) => x.cummax(...args);
export const cummin = (x: Tensor, ...args: Parameters<Tensor["cummin"]>) => x.cummin(...args);
export const logcumsumexp = (x: Tensor, ...args: Parameters<Tensor["logcumsumexp"]>) => x.logcumsumexp(...args);
export const kthvalue = (x: Tensor, ...args: Parameters<Tensor["kthvalue"]>) => x.kthvalue(...args);
export const mode = (x: Tensor, ...args: Parameters<Tensor["mode"]>) => x.mode(...args);
export const quantile = (x: Tensor, ...args: Parameters<Tensor["quantile"]>) => x.quantile(...args);
export const nanquantile = (x: Tensor, ...args: Parameters<Tensor["nanquantile"]>) => x.nanquantile(...args);
export const aminmax = (x: Tensor, opts?: AminmaxOptions) => x.aminmax(opts);
export const histc = (x: Tensor, ...args: Parameters<Tensor["histc"]>) => x.histc(...args);
export const renorm = (x: Tensor, ...args: Parameters<Tensor["renorm"]>) => x.renorm(...args);
