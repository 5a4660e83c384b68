// Flat-index and scatter-into-view ops: take, take_along_dim, put / put_, index_put / index_put_,
// select_scatter, slice_scatter, diagonal_scatter, fill_diagonal_, diag_embed, diagflat,
// sum_to_size, narrow_copy, rot90. Expected values come from each op's definition (loops over
// positions in the test), never from PyTorch's output; gradients by gradcheck. Every test runs once
// per backend that loads here.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const long = (xs: number[] | number[][]) => torch.tensor(xs, { dtype: "int64" });
const D = { dtype: "float64" as const, requiresGrad: true };
const ar = (...shape: number[]) => torch.arange(0, shape.reduce((p, s) => p * s, 1), { dtype: torch.float32 }).reshape(shape);

describe.each(backends())("index extras [%s]", (name) => {
  useBackend(name);

  describe("take / takeAlongDim", () => {
    it("take reads flat positions, negative from the end", () => {
      const x = ar(2, 3); // element at flat k is k
      const t = torch.take(x, long([0, -1, 4]).reshape(3, 1));
      expect([t.shape, ...vals(t)]).toEqual([[3, 1], 0, 5, 4]);
      expect(x.t().take(long([1, 2])).tolist()).toEqual([3, 1]); // the transposed tensor's own row-major order
      expect(() => torch.take(x, long([6]))).toThrow("out of range: tried to access index 6 on a tensor of 6 elements.");
      expect(() => torch.take(x, long([-7]))).toThrow("out of range: tried to access index -7 on a tensor of 6 elements.");
      expect(() => torch.take(x, torch.tensor([1]))).toThrow("take(): Expected a long tensor for index, but got Float");
      expect(() => torch.take(torch.zeros(0), long([0]))).toThrow("take(): tried to take from an empty tensor");
      const g = torch.randn([2, 3], D);
      expect(torch.take(g, long([0, 1])).gradFn?.name).toBe("TakeBackward0");
      expect(torch.gradcheck((a: torch.Tensor) => torch.take(a, long([0, 5, 5, -2])), [g])).toBe(true);
    });

    it("takeAlongDim gathers along dim with broadcasting, or over the flat tensor", () => {
      const x = ar(2, 3);
      expect(vals(torch.takeAlongDim(x, long([[0], [2]]), 1))).toEqual([0, 5]);
      expect(vals(torch.takeAlongDim(x, long([5, 0])))).toEqual([5, 0]);
      const b = torch.takeAlongDim(x, long([[1]]), { dim: 0 });
      expect([b.shape, ...vals(b)]).toEqual([[1, 3], 3, 4, 5]);
      // sorting indices pick the sorted values, as documented
      const r = torch.randn(3, 4);
      expect(vals(torch.takeAlongDim(r, r.argsort(1), 1))).toEqual(vals(r.sort(1).values));
      expect(() => torch.takeAlongDim(x, long([1]).reshape(1, 1, 1), 0)).toThrow(
        "torch.take_along_dim(): input and indices should have the same number of dimensions, but got 2 dimensions for input, and 3 dimensions for indices",
      );
      expect(() => torch.takeAlongDim(x, torch.tensor([[1]]), 0)).toThrow("torch.take_along_dim(): dtype of indices should be Long but got Float");
      expect(torch.gradcheck((a: torch.Tensor) => torch.takeAlongDim(a, long([[1], [0]]), 1), [torch.randn([2, 3], D)])).toBe(true);
    });
  });

  describe("put / indexPut", () => {
    it("put writes (or adds) source at flat positions", () => {
      const x = ar(2, 3);
      expect(vals(x.clone().put_(long([0, -1]), torch.tensor([9, 8])))).toEqual([9, 1, 2, 3, 4, 8]);
      expect(vals(x.clone().put_(long([0, 0]), torch.tensor([9, 8]), true))).toEqual([17, 1, 2, 3, 4, 5]);
      expect(vals(torch.put(x, long([1]), torch.tensor([7]), { accumulate: true }))).toEqual([0, 8, 2, 3, 4, 5]);
      expect(vals(x)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(() => x.clone().put_(long([0, 0]), torch.tensor([9]), true)).toThrow(
        "put_(): Expected source and index to have the same number of elements, but got source.numel() = 1, index.numel() = 2",
      );
      expect(() => x.clone().put_(long([0, 7]), torch.tensor([9, 8]))).toThrow("out of range: tried to access index 7 on a tensor of 6 elements.");
      expect(() => x.clone().put_(long([0, 1]), torch.tensor([9, 8], { dtype: "float64" }))).toThrow(
        "put_(): self and source expected to have the same dtype, but got self.dtype = Float and source.dtype = Double",
      );
      expect(torch.put(torch.randn([2, 3], D), long([0, 1]), torch.randn([2], D)).gradFn?.name).toBe("PutBackward0");
      expect(torch.gradcheck((a: torch.Tensor, s: torch.Tensor) => torch.put(a, long([0, 4, 0]), s, true), [torch.randn([2, 3], D), torch.randn([3], D)])).toBe(true);
    });

    it("indexPut assigns at advanced indices, adding duplicates with accumulate", () => {
      const x = ar(2, 3);
      expect(vals(x.indexPut([long([0, 1]), long([1, 2])], torch.tensor(5)))).toEqual([0, 5, 2, 3, 4, 5]);
      expect(vals(x.indexPut([long([0, 0])], torch.tensor([1, 1, 1]), true))).toEqual([2, 3, 4, 3, 4, 5]);
      const mask = torch.tensor([[true, false, true], [false, false, true]]);
      expect(vals(x.indexPut([mask], torch.tensor(-1)))).toEqual([-1, 1, -1, 3, 4, -1]);
      expect(vals(x.indexPut([null, long([2, 2])], torch.tensor([10, 20]).reshape(1, 2), true))).toEqual([0, 1, 32, 3, 4, 35]);
      // accumulate == a loop of += over the (broadcast) index pairs
      const rows = [1, 0, 1, 1], cols = [2, 2, 2, 0], v = [1, 2, 3, 4];
      const want = vals(x);
      rows.forEach((r, k) => (want[r * 3 + cols[k]] += v[k]));
      expect(vals(torch.indexPut(x, [long(rows), long(cols)], torch.tensor(v), true))).toEqual(want);
      const y = x.clone();
      expect(y.indexPut_([long([1])], torch.tensor(0))).toBe(y);
      expect(vals(y)).toEqual([0, 1, 2, 0, 0, 0]);
      expect(() => x.indexPut([long([0, 1]), long([1, 2])], torch.tensor([5, 6, 7]))).toThrow(
        "shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2]",
      );
      expect(() => x.indexPut([long([0])], torch.tensor(5, { dtype: "float64" }))).toThrow(
        "Index put requires the source and destination dtypes match, got Float for the destination and Double for the source.",
      );
      expect(() => x.indexPut([long([3])], torch.tensor(5))).toThrow("index 3 is out of bounds for dimension 0 with size 2");
      expect(() => x.indexPut([torch.tensor([0])], torch.tensor(5))).toThrow("tensors used as indices must be long, byte or bool tensors");
      const g = torch.indexPut(torch.randn([2, 3], D), [long([0, 1])], torch.randn([3], D));
      expect(g.gradFn?.name).toBe("IndexPutBackward0");
      expect(torch.gradcheck((a: torch.Tensor, s: torch.Tensor) => torch.indexPut(a, [long([0, 0])], s, true), [torch.randn([2, 3], D), torch.randn([3], D)])).toBe(true);
      expect(torch.gradcheck((a: torch.Tensor, s: torch.Tensor) => torch.indexPut(a, [long([1, 0]), long([2, 2])], s), [torch.randn([2, 3], D), torch.randn([2], D)])).toBe(true);
    });
  });

  describe("select / slice / diagonal scatter", () => {
    it("replace the view's elements and keep the rest", () => {
      const x = ar(2, 3);
      expect(vals(torch.selectScatter(x, torch.tensor([9, 8, 7]), 0, 1))).toEqual([0, 1, 2, 9, 8, 7]);
      expect(vals(x.selectScatter(torch.tensor([9, 8]), { dim: 1, index: -1 }))).toEqual([0, 1, 9, 3, 4, 8]);
      expect(vals(torch.selectScatter(x, torch.tensor([9, 8, 7], { dtype: "float64" }), 0, 0))).toEqual([9, 8, 7, 3, 4, 5]);
      expect(() => torch.selectScatter(x, torch.tensor([9, 8]), 0, 1)).toThrow("expected src to have a size equal to the slice of self. src size = [2], slice size = [3]");
      expect(() => torch.selectScatter(x, torch.tensor([9, 8, 7]), 0, 2)).toThrow(/index 2 out of range/);
      const z = torch.zeros(4, 3);
      expect(vals(torch.sliceScatter(z, torch.ones(2, 3), 0, 1, null, 2))).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
      expect(vals(torch.sliceScatter(z, torch.ones(4, 1), { dim: 1, start: -1 })).filter((_, k) => k % 3 === 2)).toEqual([1, 1, 1, 1]);
      expect(() => torch.sliceScatter(z, torch.ones(4, 2), 1, 0)).toThrow("expected src to have a size equal to the slice of self. src size = [4, 2], slice size = [4, 3]");
      const dz = torch.diagonalScatter(torch.zeros(3, 3), torch.tensor([1, 2]), 1);
      expect(vals(dz)).toEqual([0, 1, 0, 0, 0, 2, 0, 0, 0]);
      expect(vals(torch.diagonalScatter(torch.zeros(3, 3), torch.tensor([1, 2]), -1))).toEqual([0, 0, 0, 1, 0, 0, 0, 2, 0]);
      const d3 = torch.diagonalScatter(torch.zeros(2, 3, 3), torch.ones(3, 2), 0, 0, 1);
      expect(vals(d3.diagonal(0, 0, 1))).toEqual([1, 1, 1, 1, 1, 1]);
      expect(vals(d3.sum())).toEqual([6]);
      expect(() => torch.diagonalScatter(torch.zeros(3, 3), torch.ones(3), 1)).toThrow("expected src to have a size equal to the slice of self. src size = [3], slice size = [2]");
      const a = torch.randn([2, 3], D);
      expect(torch.selectScatter(a, torch.randn([2], D), 1, 0).gradFn?.name).toBe("SelectScatterBackward0");
      expect(torch.gradcheck((t: torch.Tensor, s: torch.Tensor) => torch.selectScatter(t, s, 1, -1), [a, torch.randn([2], D)])).toBe(true);
      expect(torch.gradcheck((t: torch.Tensor, s: torch.Tensor) => torch.sliceScatter(t, s, 0, 0, 4, 2), [torch.randn([4, 3], D), torch.randn([2, 3], D)])).toBe(true);
      expect(torch.gradcheck((t: torch.Tensor, s: torch.Tensor) => torch.diagonalScatter(t, s, -1), [torch.randn([3, 3], D), torch.randn([2], D)])).toBe(true);
    });

    it("fillDiagonal_ fills the main diagonal, restarting below a tall matrix's with wrap", () => {
      const z = torch.zeros(3, 4);
      expect(z.fillDiagonal_(5)).toBe(z);
      expect(vals(z)).toEqual([5, 0, 0, 0, 0, 5, 0, 0, 0, 0, 5, 0]);
      const tall = (wrap: boolean) => {
        const m = torch.zeros(7, 3).fillDiagonal_(5, wrap);
        return [0, 1, 2, 3, 4, 5, 6].map((r) => vals(m.index(r)).findIndex((v) => v === 5));
      };
      expect(tall(false)).toEqual([0, 1, 2, -1, -1, -1, -1]);
      expect(tall(true)).toEqual([0, 1, 2, -1, 0, 1, 2]); // every ncols + 1 rows
      const cube = torch.zeros(3, 3, 3).fillDiagonal_(2, { wrap: false });
      expect(vals(cube.sum())).toEqual([6]);
      expect([cube.index(1, 1, 1).item(), cube.index(2, 2, 2).item(), cube.index(0, 1, 1).item()]).toEqual([2, 2, 0]);
      expect(() => torch.zeros(3, 3, 2).fillDiagonal_(5)).toThrow("all dimensions of input must be of equal length");
      expect(() => torch.zeros(3).fillDiagonal_(5)).toThrow("dimensions must larger than 1");
      const h = torch.randn([3, 3], D).mul(1);
      h.fillDiagonal_(0);
      h.sum().backward();
    });
  });

  describe("diagEmbed / diagflat / sumToSize / narrowCopy / rot90", () => {
    it("diagEmbed puts the last dim on a diagonal of dims dim1, dim2", () => {
      const x = torch.tensor([[1, 2], [3, 4]]);
      const e = torch.diagEmbed(x);
      expect([e.shape, ...vals(e)]).toEqual([[2, 2, 2], 1, 0, 0, 2, 3, 0, 0, 4]);
      expect(vals(torch.diagEmbed(torch.tensor([1, 2]), 1))).toEqual([0, 1, 0, 0, 0, 2, 0, 0, 0]);
      const o = torch.diagEmbed(torch.tensor([[1, 2]]), -1, 0, 2);
      expect(o.shape).toEqual([3, 1, 3]);
      expect(vals(o.diagonal(-1, 0, 2))).toEqual([1, 2]); // the definition: diagonal(offset, dim1, dim2) gives x back
      const r = torch.randn(2, 3, 4);
      expect(vals(torch.diagEmbed(r, 2, 1, 0).diagonal(2, 1, 0))).toEqual(vals(r));
      expect(() => torch.diagEmbed(x, 0, 0, 0)).toThrow("diagonal dimensions cannot be identical 0, 0");
      expect(torch.diagEmbed(long([1, 2])).dtype).toBe("int64");
      expect(torch.diagEmbed(torch.randn([2, 2], D)).gradFn?.name).toBe("DiagEmbedBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.diagEmbed(t, -1, 0, 2), [torch.randn([2, 3], D)])).toBe(true);
    });

    it("diagflat flattens onto a diagonal", () => {
      const d = torch.diagflat(torch.tensor([[1, 2], [3, 4]]));
      expect([d.shape, ...vals(d.diagonal())]).toEqual([[4, 4], 1, 2, 3, 4]);
      expect(vals(d.sum())).toEqual([10]);
      expect(vals(torch.diagflat(long([1, 2]), -1))).toEqual([0, 0, 0, 1, 0, 0, 0, 2, 0]);
      expect(torch.diagflat(torch.tensor(3)).shape).toEqual([1, 1]);
      expect(torch.gradcheck((t: torch.Tensor) => torch.diagflat(t, 1), [torch.randn([2, 2], D)])).toBe(true);
    });

    it("sumToSize sums over the broadcast dims", () => {
      const x = torch.randn([2, 3], { dtype: "float64" });
      const X = vals(x);
      const cols = [0, 1, 2].map((c) => X[c] + X[3 + c]);
      expect(vals(x.sumToSize(1, 3))).toEqual(cols);
      expect(vals(x.sumToSize(3))).toEqual(cols);
      expect(x.sumToSize([2, 1]).shape).toEqual([2, 1]);
      expect(vals(x.sumToSize(2, 3))).toEqual(X);
      expect(() => x.sumToSize(2)).toThrow("size {[2]} is not expandable to size {[2, 3]}.");
      expect(() => x.sumToSize(1, 1, 3)).toThrow("size {[1, 1, 3]} is not expandable to size {[2, 3]}.");
      expect(torch.gradcheck((t: torch.Tensor) => t.sumToSize(1, 3), [torch.randn([2, 3], D)])).toBe(true);
    });

    it("narrowCopy copies narrow's elements", () => {
      const x = ar(2, 3);
      const c = torch.narrowCopy(x, 1, 1, 2);
      expect([c.shape, ...vals(c)]).toEqual([[2, 2], 1, 2, 4, 5]);
      c.set([0, 0], 99);
      expect(x.index(0, 1).item()).toBe(1);
      expect(vals(x.narrowCopy(1, -1, 1))).toEqual([2, 5]);
      expect(() => torch.narrowCopy(x, 1, 2, 2)).toThrow("start (2) + length (2) exceeds dimension size (3).");
      const g = torch.randn([2, 3], D).narrowCopy(0, 0, 1);
      expect(g.gradFn?.name).toBe("NotImplemented");
    });

    it("rot90 turns k quarter turns from dims[0] toward dims[1]", () => {
      const x = ar(2, 3);
      // one turn: out[i][j] = x[j][n - 1 - i]
      const one = torch.rot90(x);
      const want: number[] = [];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) want.push(vals(x)[j * 3 + (2 - i)]);
      expect([one.shape, ...vals(one)]).toEqual([[3, 2], ...want]);
      expect(vals(torch.rot90(x, 2))).toEqual([5, 4, 3, 2, 1, 0]);
      expect(vals(torch.rot90(x, -1))).toEqual(vals(torch.rot90(x, 3)));
      expect(vals(torch.rot90(x, 5, [1, 0]))).toEqual(vals(torch.rot90(x, -1)));
      expect(vals(torch.rot90(torch.rot90(x), 1, { dims: [1, 0] }))).toEqual(vals(x));
      expect(vals(x.rot90(4))).toEqual(vals(x));
      expect(() => torch.rot90(x, 1, [0])).toThrow("expected total rotation dims == 2, but got dims = 1");
      expect(() => torch.rot90(x, 1, [0, 0])).toThrow("expected rotation dims to be different, but got dim0 = 0 and dim1 = 0");
      expect(() => torch.rot90(torch.ones(3), 1)).toThrow("expected total dims >= 2, but got total dims = 1");
      expect(torch.rot90(torch.randn([2, 3], D), 1).gradFn?.name).toBe("Rot90Backward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.rot90(t, 3, [1, 2]), [torch.randn([2, 3, 2], D)])).toBe(true);
    });
  });
});
