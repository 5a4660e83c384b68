// Shape methods: tensorSplit, hsplit / vsplit / dsplit, splitWithSizes, the in-place view ops
// squeeze_, unsqueeze_, t_, transpose_, swapaxes_, swapdims_, tril_ / triu_, asStrided,
// newEmptyStrided (ops/shape_extra.ts). Dims also bind as keywords (tensor_keywords.ts).
import { Tensor, type Keywords } from "../tensor.js";
import { rename } from "../autograd/node.js";
import * as se from "../ops/shape_extra.js";
import * as vw from "../ops/views.js";
import * as tri from "../ops/triangular.js";
import { inPlaceOf } from "../ops/inplace_of.js";
import type { TensorOptions } from "../ops/creation.js";

declare module "../tensor.js" {
  interface Tensor {
    /** Near-equal sections (an int) or cuts at indices (a list or int64 tensor) along dim. */
    tensorSplit(indicesOrSections: number | readonly number[] | Tensor | Keywords, dim?: number | Keywords): Tensor[];
    hsplit(sections: number | readonly number[]): Tensor[];
    vsplit(sections: number | readonly number[]): Tensor[];
    dsplit(sections: number | readonly number[]): Tensor[];
    splitWithSizes(splitSizes: readonly number[] | Keywords, dim?: number | Keywords): Tensor[];
    squeeze_(dim?: number | Keywords): this;
    unsqueeze_(dim: number | Keywords): this;
    t_(): this;
    transpose_(dim0: number | Keywords, dim1?: number | Keywords): this;
    swapaxes_(axis0: number | Keywords, axis1?: number | Keywords): this;
    swapdims_(dim0: number | Keywords, dim1?: number | Keywords): this;
    tril_(diagonal?: number | Keywords): this;
    triu_(diagonal?: number | Keywords): this;
    /** A view of this tensor's storage with the given size, stride and storage offset. */
    asStrided(size: readonly number[] | Keywords, stride?: readonly number[] | Keywords, storageOffset?: number | null | Keywords): Tensor;
    newEmptyStrided(size: readonly number[], stride: readonly number[], opts?: TensorOptions): Tensor;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- keyword-bound arguments arrive as plain values */
const proto = Tensor.prototype;
proto.tensorSplit = function (this: Tensor, s: any, dim: any = 0) { return se.tensorSplit(this, s, dim); };
proto.hsplit = function (this: Tensor, s: number | readonly number[]) { return se.hsplit(this, s); };
proto.vsplit = function (this: Tensor, s: number | readonly number[]) { return se.vsplit(this, s); };
proto.dsplit = function (this: Tensor, s: number | readonly number[]) { return se.dsplit(this, s); };
proto.splitWithSizes = function (this: Tensor, sizes: any, dim: any = 0) { return se.splitWithSizes(this, sizes, dim); };
proto.squeeze_ = function (this: Tensor, dim?: any) {
  return se.inPlaceView(this, "squeeze_", (x) => rename(vw.squeeze(x, dim), dim === undefined ? "SqueezeBackward2" : "SqueezeBackward3")) as any;
};
proto.unsqueeze_ = function (this: Tensor, dim: any) { return se.inPlaceView(this, "unsqueeze_", (x) => rename(vw.unsqueeze(x, dim), "UnsqueezeBackward1")) as any; };
proto.t_ = function (this: Tensor) {
  if (this.ndim > 2) throw new Error(`t_() expects a tensor with <= 2 dimensions, but self is ${this.ndim}D`);
  return se.inPlaceView(this, "t_", (x) => rename(vw.t(x), "TBackward1")) as any;
};
const transposeIn = (self: Tensor, fn: string, a: number, b: number) => se.inPlaceView(self, fn, (x) => rename(vw.transpose(x, a, b), "TransposeBackward1")) as any;
proto.transpose_ = function (this: Tensor, a: any, b: any) { return transposeIn(this, "transpose_", a, b); };
proto.swapaxes_ = function (this: Tensor, a: any, b: any) { return transposeIn(this, "swapaxes_", a, b); };
proto.swapdims_ = function (this: Tensor, a: any, b: any) { return transposeIn(this, "swapdims_", a, b); };
proto.tril_ = function (this: Tensor, diagonal: any = 0) { return inPlaceOf(this, "tril_", (x) => tri.tril(x, diagonal), [], { readsOld: false, name: "TrilBackward0" }); };
proto.triu_ = function (this: Tensor, diagonal: any = 0) { return inPlaceOf(this, "triu_", (x) => tri.triu(x, diagonal), [], { readsOld: false, name: "TriuBackward0" }); };
proto.asStrided = function (this: Tensor, size: any, stride: any, storageOffset?: any) { return se.asStrided(this, size, stride, storageOffset); };
proto.newEmptyStrided = function (this: Tensor, size: readonly number[], stride: readonly number[], opts?: TensorOptions) { return se.emptyStrided(size, stride, opts, this); };
