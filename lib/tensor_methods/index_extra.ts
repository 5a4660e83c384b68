// Flat-index and scatter-into-view ops as Tensor methods: take, takeAlongDim, put / put_,
// indexPut / indexPut_, selectScatter, sliceScatter, diagonalScatter, fillDiagonal_, diagEmbed,
// diagflat, sumToSize, narrowCopy, rot90 (ops/index_extra.ts). Arguments also bind as keywords.
import { Tensor, sizeArgs, type Keywords, type SizeArgs } from "../tensor.js";
import * as ie from "../ops/index_extra.js";
import { inPlaceOf } from "../ops/inplace_of.js";

declare module "../tensor.js" {
  interface Tensor {
    /** Elements at flat (row-major) indices, in the index's shape. */
    take(index: Tensor): Tensor;
    /** gather along dim with broadcasting; no dim: over the flattened tensor. */
    takeAlongDim(indices: Tensor | Keywords, dim?: number | null | Keywords): Tensor;
    put(index: Tensor | Keywords, source?: Tensor | Keywords, accumulate?: boolean | Keywords): Tensor;
    put_(index: Tensor | Keywords, source?: Tensor | Keywords, accumulate?: boolean | Keywords): this;
    /** x[indices] = values (accumulate: +=), indices a tuple of index tensors (null: a whole dim). */
    indexPut(indices: readonly (Tensor | null)[] | Keywords, values?: Tensor | Keywords, accumulate?: boolean | Keywords): Tensor;
    indexPut_(indices: readonly (Tensor | null)[] | Keywords, values?: Tensor | Keywords, accumulate?: boolean | Keywords): this;
    selectScatter(src: Tensor | Keywords, dim?: number | Keywords, index?: number | Keywords): Tensor;
    sliceScatter(src: Tensor | Keywords, dim?: number | Keywords, start?: number | null | Keywords, end?: number | null | Keywords, step?: number | Keywords): Tensor;
    diagonalScatter(src: Tensor | Keywords, offset?: number | Keywords, dim1?: number | Keywords, dim2?: number | Keywords): Tensor;
    fillDiagonal_(fillValue: number | boolean | Keywords, wrap?: boolean | Keywords): this;
    diagEmbed(offset?: number | Keywords, dim1?: number | Keywords, dim2?: number | Keywords): Tensor;
    diagflat(offset?: number | Keywords): Tensor;
    /** Sums down to a size that broadcasts to this tensor's shape: sumToSize(1, 3) or ([1, 3]). */
    sumToSize(...size: SizeArgs): Tensor;
    narrowCopy(dim: number | Keywords, start?: number | Keywords, length?: number | Keywords): Tensor;
    rot90(k?: number | Keywords, dims?: readonly number[] | Keywords): Tensor;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- keyword-bound arguments arrive as plain values */
const proto = Tensor.prototype;
proto.take = function (this: Tensor, index: Tensor) { return ie.take(this, index); };
proto.takeAlongDim = function (this: Tensor, indices: any, dim?: any) { return ie.takeAlongDim(this, indices, dim); };
proto.put = function (this: Tensor, index: any, source: any, accumulate: any = false) { return ie.put(this, index, source, accumulate); };
proto.put_ = function (this: Tensor, index: any, source: any, accumulate: any = false) {
  return inPlaceOf(this, "put_", (x) => ie.put(x, index, source, accumulate), [index, source], { readsOld: false, name: "PutBackward0", overlap: "any" });
};
proto.indexPut = function (this: Tensor, indices: any, values: any, accumulate: any = false) { return ie.indexPut(this, indices, values, accumulate); };
proto.indexPut_ = function (this: Tensor, indices: any, values: any, accumulate: any = false) {
  return inPlaceOf(this, "index_put_", (x) => ie.indexPut(x, indices, values, accumulate), [values, ...indices], { readsOld: false, name: "IndexPutBackward0", overlap: "any" });
};
proto.selectScatter = function (this: Tensor, src: any, dim: any, index: any) { return ie.selectScatter(this, src, dim, index); };
proto.sliceScatter = function (this: Tensor, src: any, dim: any = 0, start: any = null, end: any = null, step: any = 1) {
  return ie.sliceScatter(this, src, dim, start, end, step);
};
proto.diagonalScatter = function (this: Tensor, src: any, offset: any = 0, dim1: any = 0, dim2: any = 1) { return ie.diagonalScatter(this, src, offset, dim1, dim2); };
proto.fillDiagonal_ = function (this: Tensor, fillValue: any, wrap: any = false) {
  return inPlaceOf(this, "fill_diagonal_", (x) => ie.filledDiagonal(x, fillValue, wrap), [], { readsOld: false });
};
proto.diagEmbed = function (this: Tensor, offset: any = 0, dim1: any = -2, dim2: any = -1) { return ie.diagEmbed(this, offset, dim1, dim2); };
proto.diagflat = function (this: Tensor, offset: any = 0) { return ie.diagflat(this, offset); };
proto.sumToSize = function (this: Tensor, ...size: SizeArgs) { return ie.sumToSize(this, sizeArgs(size)); };
proto.narrowCopy = function (this: Tensor, dim: any, start: any, length: any) { return ie.narrowCopy(this, dim, start, length); };
proto.rot90 = function (this: Tensor, k: any = 1, dims: any = [0, 1]) { return ie.rot90(this, k, dims); };
