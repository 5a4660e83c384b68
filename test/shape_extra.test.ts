// Shape ops: tensor_split, hsplit / vsplit / dsplit, split_with_sizes, the in-place view ops
// (squeeze_, unsqueeze_, t_, transpose_, swapaxes_, swapdims_), tril_ / triu_, as_strided,
// new_empty_strided / empty_strided. Expected values come from the definitions (positions computed
// in the test), never from PyTorch's output. Every test runs once per backend that loads here.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const D = { dtype: "float64" as const, requiresGrad: true };
const ar = (...shape: number[]) => torch.arange(0, shape.reduce((p, s) => p * s, 1), { dtype: torch.float32 }).reshape(shape);
const shapes = (ts: torch.Tensor[]) => ts.map((t) => t.shape);

describe.each(backends())("shape extras [%s]", (name) => {
  useBackend(name);

  describe("tensorSplit / hsplit / vsplit / dsplit / splitWithSizes", () => {
    it("tensorSplit makes near-equal sections or cuts at indices", () => {
      const x = torch.arange(7);
      // sections: the first n % s pieces one longer
      for (const s of [1, 2, 3, 7, 9]) {
        const parts = torch.tensorSplit(x, s);
        const want = Array.from({ length: s }, (_, i) => Math.floor(7 / s) + (i < 7 % s ? 1 : 0));
        expect(parts.map((p) => p.shape[0])).toEqual(want);
        expect(parts.flatMap((p) => vals(p))).toEqual(vals(x));
      }
      expect(torch.tensorSplit(x, [1, 5]).map(vals)).toEqual([[0], [1, 2, 3, 4], [5, 6]]);
      expect(shapes(torch.tensorSplit(x, [5, 1]))).toEqual([[5], [0], [6]]);
      expect(shapes(torch.tensorSplit(x, [1, 9]))).toEqual([[1], [6], [0]]);
      expect(torch.tensorSplit(x, [-2]).map(vals)).toEqual([[0, 1, 2, 3, 4], [5, 6]]);
      expect(shapes(torch.tensorSplit(x, long([1, 4])))).toEqual([[1], [3], [3]]);
      expect(shapes(torch.tensorSplit(x, torch.tensor(3, { dtype: "int64" })))).toEqual([[3], [2], [2]]);
      expect(shapes(ar(2, 7).tensorSplit(3, { dim: 1 }))).toEqual([[2, 3], [2, 2], [2, 2]]);
      const v = torch.tensorSplit(ar(2, 7), 2, 1)[1];
      v.set([0, 0], 100);
      expect(vals(torch.tensorSplit(ar(2, 7), 2, 1)[1])[0]).toBe(4); // fresh tensor unchanged; pieces are views:
      const base = ar(2, 7);
      torch.tensorSplit(base, 2, 1)[1].set([0, 0], 100);
      expect(base.index(0, 4).item()).toBe(100);
      expect(() => torch.tensorSplit(x, 0)).toThrow("number of sections must be larger than 0, got 0");
      expect(() => torch.tensorSplit(torch.tensor(1), 2)).toThrow("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims");
      expect(() => torch.tensorSplit(x, long([1]).reshape(1, 1))).toThrow(
        "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with 2 dims",
      );
      expect(() => torch.tensorSplit(x, torch.tensor([1]))).toThrow("tensor_split expected tensor_indices_or_sections to have dtype of long, but got Float");
      const g = torch.randn([7], D);
      expect(torch.gradcheck((t: torch.Tensor) => torch.cat(torch.tensorSplit(t, 3).map((p, i) => p.mul(i + 1))), [g])).toBe(true);
    });

    it("hsplit / vsplit / dsplit split along dims 1 (0 for 1-D), 0 and 2", () => {
      expect(shapes(torch.hsplit(ar(3, 4), 2))).toEqual([[3, 2], [3, 2]]);
      expect(shapes(torch.hsplit(torch.arange(12), 3))).toEqual([[4], [4], [4]]);
      expect(shapes(torch.hsplit(ar(3, 4), [1, 2]))).toEqual([[3, 1], [3, 1], [3, 2]]);
      expect(shapes(torch.vsplit(ar(4, 3), 2))).toEqual([[2, 3], [2, 3]]);
      expect(shapes(torch.dsplit(ar(1, 3, 4), 2))).toEqual([[1, 3, 2], [1, 3, 2]]);
      expect(vals(ar(1, 3, 4).dsplit([3])[1])).toEqual([3, 7, 11]);
      expect(() => torch.hsplit(ar(3, 4), 3)).toThrow("torch.hsplit attempted to split along dimension 1, but the size of the dimension 4 is not divisible by the split_size 3!");
      expect(() => torch.hsplit(torch.tensor(1), 1)).toThrow("torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 dimensions!");
      expect(() => torch.vsplit(torch.arange(12), 2)).toThrow("torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with 1 dimensions!");
      expect(() => torch.vsplit(ar(4, 3), 3)).toThrow("torch.vsplit attempted to split along dimension 0, but the size of the dimension 4 is not divisible by the split_size 3!");
      expect(() => torch.dsplit(ar(3, 4), 2)).toThrow("torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with 2 dimensions!");
    });

    it("splitWithSizes takes exact sizes", () => {
      expect(torch.splitWithSizes(torch.arange(7), [3, 4]).map(vals)).toEqual([[0, 1, 2], [3, 4, 5, 6]]);
      expect(shapes(ar(2, 5).splitWithSizes([2, 3], { dim: 1 }))).toEqual([[2, 2], [2, 3]]);
      expect(() => torch.arange(7).splitWithSizes([3, 3])).toThrow(
        "split_with_sizes expects split_sizes to sum exactly to 7 (input tensor's size at dimension 0), but got split_sizes=[3, 3]",
      );
      expect(() => torch.arange(7).splitWithSizes([3, -1, 5])).toThrow("split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[3, -1, 5]");
      expect(torch.randn([7], D).splitWithSizes([3, 4])[0].gradFn?.name).toBe("SplitWithSizesBackward0");
    });
  });

  describe("in-place view ops", () => {
    it("change self's shape and strides over the same storage", () => {
      const x = ar(2, 3);
      expect(x.t_()).toBe(x);
      expect([x.shape, x.stride()]).toEqual([[3, 2], [1, 3]]);
      expect(vals(x)).toEqual([0, 3, 1, 4, 2, 5]);
      x.transpose_(0, 1);
      expect([x.shape, x.stride()]).toEqual([[2, 3], [3, 1]]);
      x.swapaxes_(0, -1);
      expect(x.shape).toEqual([3, 2]);
      x.swapdims_({ dim0: 1, dim1: 0 });
      expect(x.shape).toEqual([2, 3]);
      const y = torch.zeros(2, 1, 3, 1);
      y.squeeze_(1);
      expect(y.shape).toEqual([2, 3, 1]);
      y.squeeze_();
      expect(y.shape).toEqual([2, 3]);
      y.unsqueeze_(-1);
      expect([y.shape, y.stride()]).toEqual([[2, 3, 1], [3, 1, 1]]);
      y.unsqueeze_({ dim: 0 });
      expect(y.shape).toEqual([1, 2, 3, 1]);
      // a view stays a view of its base
      const base = ar(2, 3);
      const v = base.index(":", "0:2");
      v.t_();
      v.set([1, 0], 50);
      expect(base.index(0, 1).item()).toBe(50);
      const vec = torch.arange(3);
      expect(vec.t_().shape).toEqual([3]);
      expect(() => torch.zeros(2, 3, 4).t_()).toThrow("t_() expects a tensor with <= 2 dimensions, but self is 3D");
      expect(() => torch.zeros(2).unsqueeze_(3)).toThrow(/Dimension out of range/);
    });

    it("are refused on a leaf that requires grad and recorded on a non-leaf", () => {
      expect(() => torch.randn([2, 3], D).t_()).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
      torch.noGrad(() => {
        const leaf = torch.randn([2, 3], D);
        expect(leaf.t_().shape).toEqual([3, 2]);
      });
      const w = torch.randn([2, 3], D);
      const h = w.mul(2);
      h.t_();
      expect(h.gradFn?.name).toBe("TBackward1");
      h.mul(torch.tensor([[1], [2], [3]], { dtype: "float64" })).sum().backward();
      expect(vals(w.grad!)).toEqual([2, 4, 6, 2, 4, 6]);
      const s = torch.randn([2, 1], D).mul(1);
      s.squeeze_();
      expect(s.gradFn?.name).toBe("SqueezeBackward2");
      const u = torch.randn([2], D).mul(1);
      u.unsqueeze_(0);
      expect([u.gradFn?.name, u.shape]).toEqual(["UnsqueezeBackward1", [1, 2]]);
      const t = torch.randn([2, 3], D).mul(1);
      t.transpose_(0, 1);
      expect(t.gradFn?.name).toBe("TransposeBackward1");
    });

    it("tril_ / triu_ keep a triangle in place", () => {
      const x = ar(3, 3);
      expect(x.tril_()).toBe(x);
      expect(vals(x)).toEqual([0, 0, 0, 3, 4, 0, 6, 7, 8]);
      const y = ar(3, 3).triu_({ diagonal: 1 });
      expect(vals(y)).toEqual([0, 1, 2, 0, 0, 5, 0, 0, 0]);
      const h = torch.randn([3, 3], D).mul(1);
      h.triu_(-1);
      expect(h.gradFn?.name).toBe("TriuBackward0");
    });
  });

  describe("asStrided / newEmptyStrided", () => {
    it("asStrided views the storage with the given geometry", () => {
      const x = ar(12);
      const v = x.asStrided([2, 2], [1, 2]);
      // element (i, j) is storage[offset + i * 1 + j * 2]
      expect(vals(v)).toEqual([0, 2, 1, 3]);
      expect(vals(torch.asStrided(x, [2, 2], [1, 2], 3))).toEqual([3, 5, 4, 6]);
      expect(vals(x.index("2:").asStrided([2, 2], [1, 2]))).toEqual([2, 4, 3, 5]); // default offset: self's
      v.set([1, 1], 99);
      expect(x.index(3).item()).toBe(99);
      // sliding windows: size 3, step 2
      expect(vals(ar(7).asStrided([3, 3], [2, 1]))).toEqual([0, 1, 2, 2, 3, 4, 4, 5, 6]);
      expect(() => x.asStrided([2, 2], [1, 2], 11)).toThrow(
        "setStorage: sizes [2, 2], strides [1, 2], storage offset 11, and itemsize 4 requiring a storage size of 60 are out of bounds for storage of size 48",
      );
      expect(() => x.asStrided([2, 2], [1, -2])).toThrow("as_strided: Negative strides are not supported at the moment, got strides: [1, -2]");
      expect(() => x.asStrided([2, 2], [1])).toThrow("mismatch in length of strides and shape");
    });

    it("asStrided differentiates as the gather of the same elements", () => {
      const g = torch.randn([6], D);
      const w = torch.asStrided(g, [2, 3], [2, 1]);
      expect(w.gradFn?.name).toBe("AsStridedBackward0");
      w.sum().backward();
      expect(vals(g.grad!)).toEqual([1, 1, 2, 1, 1, 0]);
      const h = torch.randn([6], D).mul(1);
      const hv = h.asStrided([2, 2], [1, 2]);
      expect(hv._base === null ? "no base" : "view").toBe("view");
      expect(vals(hv)).toEqual([0, 2, 1, 3].map((k) => vals(h)[k]));
      expect(torch.gradcheck((t: torch.Tensor) => t.asStrided([2, 2], [1, 2], 1), [torch.randn([6], D)])).toBe(true);
    });

    it("newEmptyStrided / emptyStrided give the requested strides", () => {
      const x = torch.ones(2);
      const e = x.newEmptyStrided([2, 3], [1, 2]);
      expect([e.shape, e.stride(), e.dtype]).toEqual([[2, 3], [1, 2], "float32"]);
      expect(torch.zeros(1, { dtype: "float64" }).newEmptyStrided([2, 3], [1, 2]).dtype).toBe("float64");
      expect(x.newEmptyStrided([2, 3], [1, 2], { dtype: "int64" }).dtype).toBe("int64");
      expect(torch.emptyStrided([2, 3], [1, 2]).stride()).toEqual([1, 2]);
      expect(torch.emptyStrided([0, 3], [3, 1]).numel()).toBe(0);
      expect(() => x.newEmptyStrided([2, 3], [1])).toThrow("dimensionality of sizes (2) must match dimensionality of strides (1)");
    });
  });
});
