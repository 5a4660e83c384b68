// Products and distances as Tensor methods: cross, kron, addr, addbmm, dist, and the in-place
// BLAS-style products addmm_, addmv_, baddbmm_, addbmm_, addr_ (implementations in ops/products.ts
// and ops/distances.ts).
import { Tensor } from "../tensor.js";
import type { BetaAlphaOptions } from "../ops/blas.js";
import * as pr from "../ops/products.js";
import { dist } from "../ops/distances.js";

declare module "../tensor.js" {
  interface Tensor {
    /** torch.cross: dim null/undefined takes the first dim of size 3 (PyTorch 1.13's default). */
    cross(other: Tensor, dim?: number | null | { dim?: number | null }): Tensor;
    /** The Kronecker product. */
    kron(other: Tensor): Tensor;
    /** beta * this + alpha * outer(vec1, vec2). */
    addr(vec1: Tensor, vec2: Tensor, opts?: BetaAlphaOptions): Tensor;
    addr_(vec1: Tensor, vec2: Tensor, opts?: BetaAlphaOptions): this;
    /** beta * this + alpha * sum over the batch of batch1[b] @ batch2[b]. */
    addbmm(batch1: Tensor, batch2: Tensor, opts?: BetaAlphaOptions): Tensor;
    addbmm_(batch1: Tensor, batch2: Tensor, opts?: BetaAlphaOptions): this;
    addmm_(mat1: Tensor, mat2: Tensor, opts?: BetaAlphaOptions): this;
    addmv_(mat: Tensor, vec: Tensor, opts?: BetaAlphaOptions): this;
    baddbmm_(batch1: Tensor, batch2: Tensor, opts?: BetaAlphaOptions): this;
    /** The p-norm of this - other. */
    dist(other: Tensor, p?: number | { p?: number }): Tensor;
  }
}

Tensor.prototype.cross = function (this: Tensor, other: Tensor, dim?: number | null | { dim?: number | null }) {
  return pr.cross(this, other, dim !== null && typeof dim === "object" ? dim.dim : dim, false);
};
Tensor.prototype.kron = function (this: Tensor, other: Tensor) { return pr.kron(this, other); };
Tensor.prototype.addr = function (this: Tensor, v1: Tensor, v2: Tensor, opts?: BetaAlphaOptions) { return pr.addr(this, v1, v2, opts); };
Tensor.prototype.addr_ = function (this: Tensor, v1: Tensor, v2: Tensor, opts?: BetaAlphaOptions) { pr.addr_(this, v1, v2, opts); return this; };
Tensor.prototype.addbmm = function (this: Tensor, b1: Tensor, b2: Tensor, opts?: BetaAlphaOptions) { return pr.addbmm(this, b1, b2, opts); };
Tensor.prototype.addbmm_ = function (this: Tensor, b1: Tensor, b2: Tensor, opts?: BetaAlphaOptions) { pr.addbmm_(this, b1, b2, opts); return this; };
Tensor.prototype.addmm_ = function (this: Tensor, m1: Tensor, m2: Tensor, opts?: BetaAlphaOptions) { pr.addmm_(this, m1, m2, opts); return this; };
Tensor.prototype.addmv_ = function (this: Tensor, m: Tensor, v: Tensor, opts?: BetaAlphaOptions) { pr.addmv_(this, m, v, opts); return this; };
Tensor.prototype.baddbmm_ = function (this: Tensor, b1: Tensor, b2: Tensor, opts?: BetaAlphaOptions) { pr.baddbmm_(this, b1, b2, opts); return this; };
Tensor.prototype.dist = function (this: Tensor, other: Tensor, p?: number | { p?: number }) { return dist(this, other, typeof p === "object" ? p.p : p); };
