// torch.* forms of the products and distances: cross, kron, tensordot, cdist, dist, addr, addbmm
// (ops/products.ts, ops/distances.ts). torch.cross(a, b, { dim }) binds dim as PyTorch's keyword.
import type { Tensor } from "./tensor.js";
import type { BetaAlphaOptions } from "./ops/blas.js";
import * as pr from "./ops/products.js";
import * as ds from "./ops/distances.js";

export type { TensordotDims } from "./ops/products.js";
export type { CdistOptions } from "./ops/distances.js";

/** torch.cross(a, b, dim?) or (a, b, { dim }). */
export const cross = (a: Tensor, b: Tensor, dim?: number | null | { dim?: number | null }) =>
  pr.cross(a, b, dim !== null && typeof dim === "object" ? dim.dim : dim, false);
export const kron = (a: Tensor, b: Tensor) => pr.kron(a, b);
/** torch.tensordot(a, b, dims) or (a, b, { dims }). */
export const tensordot = (a: Tensor, b: Tensor, dims?: pr.TensordotDims | { dims?: pr.TensordotDims }) =>
  pr.tensordot(a, b, dims !== null && typeof dims === "object" && !Array.isArray(dims) && "dims" in dims ? dims.dims : (dims as pr.TensordotDims | undefined));
/** torch.cdist(x1, x2, p?) or (x1, x2, { p, computeMode }). */
export const cdist = (x1: Tensor, x2: Tensor, opts?: number | ds.CdistOptions) => ds.cdist(x1, x2, opts);
/** torch.dist(a, b, p?) or (a, b, { p }). */
export const dist = (a: Tensor, b: Tensor, p?: number | { p?: number }) => ds.dist(a, b, typeof p === "object" ? p.p : p);
export const addr = (input: Tensor, vec1: Tensor, vec2: Tensor, opts?: BetaAlphaOptions) => pr.addr(input, vec1, vec2, opts);
export const addbmm = (input: Tensor, batch1: Tensor, batch2: Tensor, opts?: BetaAlphaOptions) => pr.addbmm(input, batch1, batch2, opts);
