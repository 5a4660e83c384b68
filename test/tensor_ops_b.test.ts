// Tensor ops, part 2 (sorting, masking, scatter, sets, multinomial) beyond the conformance cases:
// gradients by gradcheck, edge cases (empty, 0-d, non-contiguous, negative dims), PyTorch's error
// messages, and seeded multinomial streams. Every test runs once per backend that loads here.
// ref: PyTorch 1.13: the numbers marked "PyTorch 1.13" were produced with python3-torch 1.13.1.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { leaf } from "./helpers/grad_cases.js";

const long = (xs: number[] | number[][]) => torch.tensor(xs as number[], { dtype: "int64" });

describe.each(backends())("tensor ops part 2 [%s]", (name) => {
  useBackend(name);

  describe("sort / argsort / msort / topk", () => {
    it("sorts along a dim with NaN as the largest value", () => {
      const x = torch.tensor([2, NaN, 1, NaN, -Infinity, 3]);
      const [v, i] = x.sort();
      expect(vals(v)).toEqual([-Infinity, 1, 2, 3, NaN, NaN]);
      expect(vals(i)).toEqual([4, 2, 0, 5, 1, 3]);
      const d = torch.sort(x, -1, true, { stable: true });
      expect(vals(d.values)).toEqual([NaN, NaN, 3, 2, 1, -Infinity]);
      expect(vals(d.indices)).toEqual([1, 3, 5, 0, 2, 4]);
      expect(d.indices.dtype).toBe("int64");
    });

    it("stable descending keeps ties in ascending index order", () => {
      const x = torch.tensor([2, 1, 2, 1, 0, 2]);
      expect(vals(x.sort({ descending: true, stable: true }).indices)).toEqual([0, 2, 5, 1, 3, 4]);
      expect(vals(torch.argsort(x, -1, true, { stable: true }))).toEqual([0, 2, 5, 1, 3, 4]);
    });

    it("works on non-contiguous views, negative dims, 0-d and empty tensors", () => {
      const x = torch.tensor([[3, 1, 2], [0, 5, 4]]).t(); // [3, 2], strided
      const [v, i] = x.sort(-2);
      expect(v.tolist()).toEqual([[1, 0], [2, 4], [3, 5]]);
      expect(i.tolist()).toEqual([[1, 0], [2, 2], [0, 1]]);
      const s = torch.tensor(5).sort();
      expect(s.values.shape).toEqual([]);
      expect(s.indices.item()).toBe(0);
      expect(torch.zeros(0, 3).sort(0).values.shape).toEqual([0, 3]);
      expect(vals(torch.msort(torch.tensor([[2, 1], [0, 3]])))).toEqual([0, 1, 2, 3]);
      expect(() => torch.tensor([1, 2]).sort(2)).toThrow(/Dimension out of range/);
    });

    it("topk picks the k largest or smallest, in order", () => {
      const x = torch.tensor([[1, 5, 3], [4, 0, 6]]);
      const [v, i] = x.topk(2);
      expect(v.tolist()).toEqual([[5, 3], [6, 4]]);
      expect(i.tolist()).toEqual([[1, 2], [2, 0]]);
      const s = torch.topk(x, 1, 0, false);
      expect(s.values.tolist()).toEqual([[1, 0, 3]]);
      expect(torch.topk(x, 0).values.shape).toEqual([2, 0]);
      expect(() => x.topk(4)).toThrow("selected index k out of range");
      expect(() => x.topk(-1)).toThrow("selected index k out of range");
    });

    it("ties come out in PyTorch 1.13 CPU's order (its std::sort / partial_sort / nth_element)", () => {
      // PyTorch 1.13: x = torch.tensor([float((i*7)%5) for i in range(20)]); x.sort(), x.topk(...)
      const x = torch.tensor(Array.from({ length: 20 }, (_, i) => (i * 7) % 5));
      expect(vals(x.sort().indices)).toEqual([0, 5, 15, 10, 18, 3, 13, 8, 1, 16, 11, 6, 9, 14, 4, 19, 12, 7, 17, 2]);
      expect(vals(x.sort(-1, true).indices)).toEqual([2, 17, 7, 12, 19, 4, 14, 9, 1, 16, 11, 6, 8, 13, 3, 18, 10, 15, 5, 0]);
      expect(vals(torch.tensor([1, 3, 3, 2, 3, 0]).topk(2).indices)).toEqual([2, 4]);
      expect(vals(torch.tensor([3, 1, 3, 2, 3, 0]).topk(3, -1, true, false).indices)).toEqual([2, 4, 0]);
      const y = torch.tensor(Array.from({ length: 200 }, (_, i) => (i * 7) % 5)); // k * 64 <= n: partial_sort
      expect(vals(y.topk(3).indices)).toEqual([12, 7, 2]);
      expect(vals(y.topk(3, -1, false).indices)).toEqual([10, 5, 0]);
    });

    it("gradients go to the picked elements", () => {
      const x = leaf([[0.3, -1.2, 2.5, 0.7], [1.1, 0.2, -0.4, 3.0]]);
      expect(torch.gradcheck((t) => t.sort(1, true).values, [x])).toBe(true);
      expect(torch.gradcheck((t) => t.topk(2, 0).values, [x])).toBe(true);
      expect(torch.gradcheck((t) => t.topk(3).values, [x])).toBe(true);
      expect(x.sort().values.gradFn?.name).toBe("SortBackward0");
      expect(x.topk(1).values.gradFn?.name).toBe("TopkBackward0");
    });
  });

  describe("all / any / isnan / nan_to_num", () => {
    it("all and any reduce fully or along a dim; NaN counts as true", () => {
      const x = torch.tensor([[1, 0], [NaN, 2]]);
      expect(x.all().item()).toBe(0);
      expect(x.any().dtype).toBe("bool");
      expect(x.all(1).tolist()).toEqual([false, true]);
      expect(torch.any(x, 0, true).tolist()).toEqual([[true, true]]);
      expect(torch.all(long([3, -1])).item()).toBe(1);
      expect(torch.zeros(0).all().item()).toBe(1);
      expect(torch.zeros(0).any().item()).toBe(0);
      expect(torch.zeros(0, 3).any(0).tolist()).toEqual([false, false, false]);
      expect(() => x.all(2)).toThrow(/Dimension out of range/);
    });

    it("isnan / isinf / isfinite / isposinf / isneginf", () => {
      const x = torch.tensor([NaN, Infinity, -Infinity, 0, -1.5]);
      expect(x.isnan().tolist()).toEqual([true, false, false, false, false]);
      expect(torch.isinf(x).tolist()).toEqual([false, true, true, false, false]);
      expect(torch.isfinite(x).tolist()).toEqual([false, false, false, true, true]);
      expect(torch.isposinf(x).tolist()).toEqual([false, true, false, false, false]);
      expect(torch.isneginf(x).tolist()).toEqual([false, false, true, false, false]);
      expect(torch.isfinite(long([1, 2])).tolist()).toEqual([true, true]);
      expect(torch.isnan(long([1, 2])).tolist()).toEqual([false, false]);
    });

    it("nan_to_num replaces with float32's extremes by default; the gradient is 0 where replaced", () => {
      const x = torch.tensor([NaN, Infinity, -Infinity, 1.5]).requiresGrad_();
      const y = torch.nanToNum(x);
      expect(vals(y)).toEqual([0, 3.4028234663852886e38, -3.4028234663852886e38, 1.5]);
      expect(vals(x.nanToNum(1, 2, 3))).toEqual([1, 2, 3, 1.5]);
      expect(vals(torch.nanToNum(x, 0, 1e39))[1]).toBe(Infinity); // stored as float32, as PyTorch
      y.sum().backward();
      expect(vals(x.grad!)).toEqual([0, 0, 0, 1]);
      expect(vals(torch.nanToNum(long([1, 2])))).toEqual([1, 2]);
    });
  });

  describe("masked ops", () => {
    it("maskedFill broadcasts the mask (and self), keeps self's dtype and checks its arguments", () => {
      const x = torch.zeros(1, 3);
      expect(x.maskedFill(torch.tensor([[true], [false]]), 2).tolist()).toEqual([[2, 2, 2], [0, 0, 0]]);
      expect(vals(long([1, 2, 3]).maskedFill(torch.tensor([true, false, true]), 7.9))).toEqual([7, 2, 7]);
      expect(() => x.maskedFill(long([1, 0, 1]), 1)).toThrow("masked_fill_ only supports boolean masks, but got mask with dtype Long");
      expect(() => x.maskedFill(torch.tensor([true, false, true]), torch.tensor([1, 2]))).toThrow(
        "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).",
      );
    });

    it("maskedFill's gradients: 0 for self where filled, the sum there for a 0-d value", () => {
      const mask = torch.tensor([[true, false, true], [false, false, true]]);
      const x = leaf([[0.5, -1, 2], [1.5, 0.3, -0.7]]);
      const v = leaf(2.5 as unknown as number[]);
      expect(torch.gradcheck((a, b) => torch.maskedFill(a, mask, b), [x, v])).toBe(true);
      const y = x.maskedFill(mask, v);
      expect(y.gradFn?.name).toBe("MaskedFillBackward0");
      y.mul(torch.tensor([[1, 2, 3], [4, 5, 6]])).sum().backward();
      expect(x.grad!.tolist()).toEqual([[0, 2, 0], [4, 5, 0]]);
      expect(v.grad!.item()).toBe(10);
    });

    it("maskedFill_ writes in place and refuses a leaf that requires grad", () => {
      const x = torch.tensor([1, 2, 3]);
      expect(x.maskedFill_(torch.tensor([false, true, false]), -Infinity)).toBe(x);
      expect(vals(x)).toEqual([1, -Infinity, 3]);
      expect(() => torch.zeros(3).maskedFill_(torch.ones(2, 3).bool(), 1)).toThrow(/doesn't match the broadcast shape/);
      expect(() => leaf([1, 2]).maskedFill_(torch.tensor([true, false]), 0)).toThrow(/leaf Variable that requires grad/);
    });

    it("maskedSelect flattens the broadcast selection; gradients scatter back", () => {
      const x = leaf([[1, 2, 3], [4, 5, 6]]);
      const m = torch.tensor([false, true, true]);
      expect(vals(torch.maskedSelect(x, m))).toEqual([2, 3, 5, 6]);
      expect(x.maskedSelect(torch.ones(2, 1, 3).bool()).shape).toEqual([12]);
      expect(torch.gradcheck((t) => t.maskedSelect(m), [x])).toBe(true);
      expect(x.maskedSelect(m).gradFn?.name).toBe("MaskedSelectBackward0");
    });

    it("maskedScatter fills the true positions from source in order", () => {
      const x = leaf([[1, 2, 3], [4, 5, 6]]);
      const src = leaf([10, 20, 30, 40, 50, 60, 70]);
      const m = torch.tensor([[true, false, true], [false, true, false]]);
      expect(x.maskedScatter(m, src).tolist()).toEqual([[10, 2, 20], [4, 30, 6]]);
      expect(torch.gradcheck((a, b) => a.maskedScatter(m, b), [x, src])).toBe(true);
    });
  });

  describe("scatter family", () => {
    it("scatter_add accumulates duplicates and is differentiable in self and src", () => {
      const self = leaf([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]);
      const idx = long([[0, 1], [0, 1], [2, 0]]);
      const src = leaf([[1, 2], [3, 4], [5, 6]]);
      const y = torch.scatterAdd(self, 0, idx, src);
      expect(vals(y)).toEqual(vals(torch.tensor([[4.1, 6.2], [0.3, 6.4], [5.5, 0.6]])));
      expect(y.gradFn?.name).toBe("ScatterAddBackward0");
      expect(torch.gradcheck((a, b) => a.scatterAdd(0, idx, b), [self, src])).toBe(true);
      // src larger than index: only the addressed part is read, and gets a gradient
      const big = leaf([[1, 2, 9], [3, 4, 9], [5, 6, 9], [9, 9, 9]]);
      expect(torch.gradcheck((b) => torch.scatterAdd(self, 0, idx, b), [big])).toBe(true);
    });

    it("scatter writes src or a value; its gradient masks self and gathers for src", () => {
      const self = leaf([[1, 2, 3, 4], [5, 6, 7, 8]]);
      const idx = long([[0, 2], [3, 1]]);
      const src = leaf([[10, 20], [30, 40]]);
      expect(torch.scatter(self, 1, idx, src).tolist()).toEqual([[10, 2, 20, 4], [5, 40, 7, 30]]);
      expect(self.scatter(-1, idx, 2.5).tolist()).toEqual([[2.5, 2, 2.5, 4], [5, 2.5, 7, 2.5]]);
      expect(torch.gradcheck((a, b) => a.scatter(1, idx, b), [self, src])).toBe(true);
      expect(torch.gradcheck((a) => a.scatter(1, idx, 0), [self])).toBe(true);
    });

    it("scatter with reduce= combines and, as in PyTorch 1.13, has no derivative", () => {
      const self = torch.ones(2, 3).requiresGrad_();
      const idx = long([[0, 0], [2, 1]]);
      const src = torch.tensor([[2, 3], [4, 5]]);
      const add = torch.scatter(self, 1, idx, src, { reduce: "add" });
      expect(add.tolist()).toEqual([[6, 1, 1], [1, 6, 5]]);
      expect(self.scatter(1, idx, src, { reduce: "multiply" }).tolist()).toEqual([[6, 1, 1], [1, 5, 4]]);
      expect(add.gradFn?.name).toBe("NotImplemented");
      expect(() => add.sum().backward()).toThrow("derivative for aten::scatter is not implemented");
      expect(() => self.scatter(1, idx, src, { reduce: "max" as "add" })).toThrow("reduce argument must be either add or multiply.");
    });

    it("checks indices and shapes with PyTorch's messages", () => {
      const x = torch.zeros(3, 2);
      expect(() => x.scatter(0, long([[5, 0]]), 1)).toThrow("index 5 is out of bounds for dimension 0 with size 3");
      expect(() => x.scatter(0, long([[-1, 0]]), 1)).toThrow("index -1 is out of bounds for dimension 0 with size 3");
      expect(() => x.scatterAdd(0, long([[1, 0]]), torch.ones(1, 1))).toThrow(
        "Expected index [1, 2] to be smaller than self [3, 2] apart from dimension 0 and to be smaller size than src [1, 1]",
      );
      expect(() => x.scatter(0, long([1, 0]), torch.ones(2))).toThrow("Index tensor must have the same number of dimensions as self tensor");
      expect(() => x.scatter(0, torch.tensor([[1, 0]]), torch.ones(1, 2))).toThrow("scatter(): Expected dtype int64 for index");
      expect(() => torch.zeros(3).scatter(0, long([0, 1]), long([1, 2]))).toThrow("scatter(): Expected self.dtype to be equal to src.dtype");
      expect(vals(torch.tensor(2).scatter(0, long(0 as unknown as number[]), torch.tensor(5)))).toEqual([5]);
    });

    it("scatter_reduce matches PyTorch 1.13's values and gradients, include_self or not", () => {
      // PyTorch 1.13: self.scatter_reduce(0, idx, src, reduce, include_self=...).backward(arange(1., 5.))
      // (a zero in self, a single zero in src, and ties with self excluded but still counted)
      const cases: [string, boolean, number[], number[], number[], number[], number[], number[]][] = [
        ["prod", true, [0, 0, 1, 1, 2], [2, 0, 3, 5], [3, 0, 4, 2, 0.5], [0, 0, 1.5, 5], [0, 16, 1.5, 4], [0, 6, 0, 0, 9]],
        ["prod", false, [0, 0, 1, 1, 2], [2, 0, 3, 5], [3, 0, 4, 2, 0.5], [0, 8, 0.5, 5], [0, 0, 0, 4], [0, 3, 4, 8, 3]],
        ["amax", false, [0, 0, 1, 2, 2], [3, 1, 2, 5], [3, 1, 4, 2, 2], [3, 4, 2, 5], [0, 0, 0, 4], [0.5, 0, 2, 1, 1]],
        ["amax", true, [0, 0, 1, 2, 2], [3, 1, 2, 5], [3, 1, 4, 2, 2], [3, 4, 2, 5], [0.5, 0, 1, 4], [0.5, 0, 2, 1, 1]],
        ["amin", true, [0, 0, 1, 2, 2], [3, 1, 2, 5], [3, 1, 4, 2, -2], [1, 1, -2, 5], [0, 2, 0, 4], [0, 1, 0, 0, 3]],
        ["mean", false, [0, 0, 1, 2, 2], [3, 1, 2, 5], [3, 1, 4, 2, -2], [2, 4, 0, 5], [0, 0, 0, 4], [0.5, 0.5, 2, 1.5, 1.5]],
      ];
      for (const [reduce, includeSelf, i, s, x, out, gs, gx] of cases) {
        const idx = long(i);
        const self = leaf(s);
        const src = leaf(x);
        const y = self.scatterReduce(0, idx, src, reduce as "sum", { includeSelf });
        expect(vals(y), `${reduce} ${includeSelf}`).toEqual(out);
        y.backward(torch.arange(1, 5).float());
        expect(vals(self.grad!), `${reduce} ${includeSelf} self`).toEqual(gs);
        expect(vals(src.grad!), `${reduce} ${includeSelf} src`).toEqual(gx);
      }
    });

    it("scatter_reduce gradients pass gradcheck away from ties", () => {
      const self = leaf([[0.5, -1.2, 2.0], [1.3, 0.4, -0.6]]);
      const src = leaf([[0.7, 1.9, -0.3], [2.2, -1.5, 0.9]]);
      const idx = long([[0, 2, 2], [1, 1, 0]]);
      for (const reduce of ["sum", "prod", "mean", "amax", "amin"] as const) {
        for (const includeSelf of [true, false]) {
          const f = (a: Tensor, b: Tensor) => torch.scatterReduce(a, 1, idx, b, reduce, { includeSelf });
          expect(torch.gradcheck(f, [self, src]), `${reduce} ${includeSelf}`).toBe(true);
        }
      }
      expect(() => self.scatterReduce(0, idx, src, "max" as "sum")).toThrow("reduce argument must be either sum, prod, mean, amax or amin.");
    });

    it("scatter_reduce mean on int64 divides with floor", () => {
      const ones = long([1, 1, 1]);
      expect(vals(ones.scatterReduce(0, long([0, 0]), long([2, 4]), "mean"))).toEqual([2, 1, 1]);
      expect(vals(ones.scatterReduce(0, long([0, 0]), long([2, 5]), "mean", { includeSelf: false }))).toEqual([3, 1, 1]);
    });

    it("index_add / index_copy / index_fill", () => {
      const x = leaf([[1, 2], [3, 4], [5, 6]]);
      const src = leaf([[10, 20], [30, 40]]);
      const i = long([2, 0]);
      expect(x.indexAdd(0, i, src, { alpha: 2 }).tolist()).toEqual([[61, 82], [3, 4], [25, 46]]);
      expect(torch.indexCopy(x, 0, i, src).tolist()).toEqual([[30, 40], [3, 4], [10, 20]]);
      expect(x.indexFill(1, long([1]), -1).tolist()).toEqual([[1, -1], [3, -1], [5, -1]]);
      expect(vals(long([1, 2]).indexAdd(0, long([0, 0]), long([1, 2]), { alpha: 2.5 }))).toEqual([7, 2]);
      expect(torch.gradcheck((a, b) => a.indexAdd(0, long([2, 2]), b, { alpha: 0.5 }), [x, src])).toBe(true);
      expect(torch.gradcheck((a, b) => a.indexCopy(0, i, b), [x, src])).toBe(true);
      const v = leaf(1.5 as unknown as number[]);
      expect(torch.gradcheck((a, b) => a.indexFill(0, long([1]), b), [x, v])).toBe(true);
      expect(() => x.indexAdd(0, long([5]), torch.ones(1, 2))).toThrow("index_add_(): index 5 is out of bounds for dimension 0 with size 3");
      expect(() => x.indexAdd(0, long([1]), torch.ones(2, 2))).toThrow(
        "index_add_(): Number of indices (1) should be equal to source.size(dim): (2), for dim: 0",
      );
    });

    it("reads non-contiguous self, index and src; an empty index writes nothing", () => {
      const self = leaf([[1, 2, 3], [4, 5, 6]]);
      const idx = long([[1, 0, 2], [0, 0, 1]]).t(); // [3, 2], strided
      const src = leaf([[10, 20, 30], [40, 50, 60]]);
      const y = torch.scatterAdd(self.t(), 0, idx, src.t()); // [3, 2] views of [2, 3] tensors
      expect(y.tolist()).toEqual([[21, 94], [12, 65], [33, 6]]);
      expect(torch.gradcheck((a, b) => a.t().scatterAdd(0, idx, b.t()), [self, src])).toBe(true);
      const empty = torch.zeros(0, 3, { dtype: "int64" });
      expect(torch.scatter(self, 0, empty, torch.zeros(0, 3)).tolist()).toEqual(self.tolist());
      expect(self.indexAdd(1, long([]), torch.zeros(2, 0)).tolist()).toEqual(self.tolist());
    });

    it("the in-place forms write into self", () => {
      const x = torch.zeros(3);
      x.scatter_(0, long([2]), 1).scatterAdd_(0, long([0, 0]), torch.tensor([1, 2])).indexAdd_(0, long([1]), torch.tensor([5]));
      expect(vals(x)).toEqual([3, 5, 1]);
      expect(vals(x.indexFill_(0, long([0]), 9))).toEqual([9, 5, 1]);
      expect(vals(x.indexCopy_(0, long([2]), torch.tensor([7])))).toEqual([9, 5, 7]);
      expect(vals(x.scatterReduce_(0, long([1, 1]), torch.tensor([2, 3]), "prod"))).toEqual([9, 30, 7]);
      expect(vals(x.maskedScatter_(torch.tensor([true, false, true]), torch.tensor([-1, -2])))).toEqual([-1, 30, -2]);
      const view = torch.zeros(2, 3).t(); // in place through a strided view
      view.scatter_(0, long([[2, 0]]), 1);
      expect(view.tolist()).toEqual([[0, 1], [0, 0], [1, 0]]);
    });

    it("gather and index_select still differentiate through scatter_add", () => {
      const x = leaf([[1, 2, 3], [4, 5, 6]]);
      expect(torch.gradcheck((t) => t.gather(1, long([[0, 0], [2, 1]])), [x])).toBe(true);
      expect(torch.gradcheck((t) => t.indexSelect(0, long([1, 1, 0])), [x])).toBe(true);
    });
  });

  describe("sets and counts", () => {
    it("nonzero / argwhere / where(cond)", () => {
      const x = torch.tensor([[0, 1.5, 0], [-2, 0, NaN]]);
      expect(torch.nonzero(x).tolist()).toEqual([[0, 1], [1, 0], [1, 2]]);
      expect(torch.argwhere(x).tolist()).toEqual([[0, 1], [1, 0], [1, 2]]);
      const [r, c] = x.nonzero({ asTuple: true });
      expect([vals(r), vals(c)]).toEqual([[0, 1, 1], [1, 0, 2]]);
      expect(torch.where(x.ne(0)).map(vals)).toEqual([[0, 1, 1], [1, 0, 2]]);
      expect(torch.tensor(3).nonzero().shape).toEqual([1, 0]);
      expect(torch.tensor(3).nonzero({ asTuple: true }).map(vals)).toEqual([[0]]);
      expect(torch.zeros(0, 2).nonzero().shape).toEqual([0, 2]);
    });

    it("unique: sorted values, inverse and counts; -0 and 0 are one value", () => {
      const [v, inv, cnt] = torch.unique(long([[2, 0], [2, 5]]), { returnInverse: true, returnCounts: true }) as Tensor[];
      expect(vals(v)).toEqual([0, 2, 5]);
      expect(inv.tolist()).toEqual([[1, 0], [1, 2]]);
      expect(vals(cnt)).toEqual([1, 2, 1]);
      const f = torch.unique(torch.tensor([0.5, -1, 0.5, -0, 0])) as Tensor;
      expect(vals(f)).toEqual([-1, -0, 0.5]); // the first zero in input order, as PyTorch keeps
      expect(vals((long([3, 1, 3]).unique(true, false, true) as Tensor[])[1])).toEqual([1, 2]);
      expect(vals(torch.unique(torch.tensor([NaN, 1, NaN])) as Tensor)).toEqual([1, NaN, NaN]);
      expect((torch.unique(torch.zeros(0)) as Tensor).shape).toEqual([0]);
    });

    it("unique(sorted=false) returns PyTorch 1.13 CPU's hash-set order", () => {
      // PyTorch 1.13: torch.unique(x, sorted=False, return_inverse=True, return_counts=True)
      expect(vals(torch.unique(long([3, 1, 2, 1, 5, 7, 2]), { sorted: false }) as Tensor)).toEqual([7, 5, 2, 1, 3]);
      const range = Array.from({ length: 16 }, (_, i) => i); // a rehash after 13 keys reverses the list
      expect(vals(torch.unique(long(range), false) as Tensor)).toEqual([15, 14, 13, ...range.slice(0, 13)]);
      expect(vals(torch.unique(long([14, ...new Array(16).fill(0), 1]), false) as Tensor)).toEqual([0, 1, 14]);
      expect(vals(torch.unique(long([-5, 300, -5, 2 ** 40, 7]), false) as Tensor)).toEqual([7, 2 ** 40, 300, -5]);
      const x = torch.tensor([0.5, -1, 2.25, 0.5, -0, 0, 3, -1, 7.5, 1e30, 2.25, -2, 0.125, 5, 6]);
      const [v, inv, cnt] = torch.unique(x, false, true, true) as Tensor[];
      expect(vals(v)).toEqual(vals(torch.tensor([6, 5, 1e30, 7.5, 3, -0, -2, -1, 0.125, 2.25, 0.5])));
      expect(vals(inv)).toEqual([10, 7, 9, 10, 5, 5, 4, 7, 3, 2, 9, 6, 8, 1, 0]);
      expect(vals(cnt)).toEqual([1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 2]);
      expect(vals(torch.unique(torch.tensor([true, false, true]), false) as Tensor)).toEqual([0, 1]);
    });

    it("unique along a dim: lexicographically sorted slices", () => {
      const x = long([[1, 2], [0, 1], [1, 2]]);
      const [v, inv, cnt] = torch.unique(x, { dim: 0, returnInverse: true, returnCounts: true }) as Tensor[];
      expect(v.tolist()).toEqual([[0, 1], [1, 2]]);
      expect(vals(inv)).toEqual([1, 0, 1]);
      expect(vals(cnt)).toEqual([1, 2]);
      expect((torch.unique(x, { dim: 1 }) as Tensor).tolist()).toEqual([[1, 2], [0, 1], [1, 2]]);
    });

    it("uniqueConsecutive collapses runs", () => {
      const [v, inv, cnt] = torch.uniqueConsecutive(long([1, 1, 2, 2, 3, 1, 1, 2]), { returnInverse: true, returnCounts: true }) as Tensor[];
      expect(vals(v)).toEqual([1, 2, 3, 1, 2]);
      expect(vals(inv)).toEqual([0, 0, 1, 1, 2, 3, 3, 4]);
      expect(vals(cnt)).toEqual([2, 2, 1, 2, 1]);
    });

    it("bincount counts, weights and minlength, with PyTorch's errors", () => {
      expect(vals(torch.bincount(long([1, 1, 3])))).toEqual([0, 2, 0, 1]);
      expect(vals(long([2, 0]).bincount(null, 5))).toEqual([1, 0, 1, 0, 0]);
      const w = torch.bincount(long([0, 2, 2]), torch.tensor([0.5, 1, 2]));
      expect(w.dtype).toBe("float32");
      expect(vals(w)).toEqual([0.5, 0, 3]);
      expect(torch.bincount(long([])).shape).toEqual([0]);
      expect(() => torch.bincount(long([-1, 2]))).toThrow("bincount only supports 1-d non-negative integral inputs.");
      expect(() => torch.bincount(torch.tensor([1, 2]))).toThrow(`"bincount_cpu" not implemented for 'Float'`);
      expect(() => torch.bincount(torch.tensor([true]))).toThrow(`"bincount_cpu" not implemented for 'Bool'`);
      expect(() => torch.bincount(long([1, 2]), torch.tensor([1]))).toThrow("weights should be 1-d and have the same length as input");
      expect(() => torch.bincount(long([1]), null, -1)).toThrow("minlength should be >= 0");
      const wg = torch.tensor([0.5, 1]).requiresGrad_();
      expect(() => torch.bincount(long([0, 1]), wg).sum().backward()).toThrow("derivative for aten::bincount is not implemented");
    });

    it("searchsorted and bucketize", () => {
      const seq = torch.tensor([1, 3, 5, 7, 9]);
      expect(vals(torch.searchsorted(seq, torch.tensor([3, 6, 9])))).toEqual([1, 3, 4]);
      expect(vals(torch.searchsorted(seq, torch.tensor([3, 6, 9]), { right: true }))).toEqual([2, 3, 5]);
      expect(vals(torch.searchsorted(torch.tensor([[1, 3, 5], [2, 4, 6]]), torch.tensor([[3], [3]])))).toEqual([1, 1]);
      expect(vals(torch.bucketize(torch.tensor([[0, 5], [10, 3]]), seq))).toEqual([0, 2, 5, 1]);
    });
  });

  describe("multinomial", () => {
    // PyTorch 1.13: g = torch.Generator().manual_seed(s); p = torch.rand(shape, generator=g);
    // g.manual_seed(s + 1); torch.multinomial(p, n, replacement, generator=g)
    const cases: [number, number[], number, boolean, number[]][] = [
      [0, [4], 2, false, [0, 1]],
      [0, [4], 6, true, [0, 0, 0, 0, 1, 0]],
      [42, [3, 10], 5, false, [7, 1, 2, 8, 6, 8, 2, 6, 7, 3, 8, 2, 7, 1, 3]],
      [42, [3, 10], 7, true, [5, 3, 1, 7, 9, 4, 1, 2, 3, 6, 7, 5, 0, 4, 8, 6, 3, 3, 0, 8, 5]],
      [7, [50], 1, false, [7]],
      [7, [50], 1, true, [38]],
      [123, [2, 6], 6, false, [5, 2, 0, 3, 1, 4, 3, 5, 2, 4, 1, 0]],
    ];
    it.each(cases)("seed %i, shape %j, %i samples, replacement %s: PyTorch's draws", (seed, shape, n, replacement, want) => {
      const g = new torch.Generator(seed);
      const p = torch.rand(shape, { generator: g });
      g.manualSeed(seed + 1);
      const out = torch.multinomial(p, n, replacement, { generator: g });
      expect(out.dtype).toBe("int64");
      expect(out.shape).toEqual(shape.length === 2 ? [shape[0], n] : [n]);
      expect(vals(out)).toEqual(want);
    });

    it("uses the default generator and checks its input as PyTorch does", () => {
      torch.manualSeed(0);
      expect(vals(torch.tensor([0.1, 0.2, 0.3, 0.4]).multinomial(2))).toEqual([2, 1]); // PyTorch 1.13
      expect(vals(torch.multinomial(torch.tensor([1, 0, 0]), 3))).toEqual([0, 1, 2]);
      expect(() => torch.multinomial(torch.tensor([0.1, 0.2]), 3)).toThrow("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
      expect(() => torch.multinomial(torch.tensor([0.1, -0.2]), 1)).toThrow("probability tensor contains either `inf`, `nan` or element < 0");
      expect(() => torch.multinomial(torch.tensor([0, 0]), 1, true)).toThrow("invalid multinomial distribution (sum of probabilities <= 0)");
      expect(() => torch.multinomial(torch.tensor([0.1, -0.2]), 2, true)).toThrow("invalid multinomial distribution (encountering probability entry < 0)");
      expect(() => torch.multinomial(torch.ones(2, 2, 2), 1)).toThrow("prob_dist must be 1 or 2 dim");
      expect(() => torch.multinomial(torch.ones(2), 0)).toThrow("cannot sample n_sample <= 0 samples");
      expect(() => torch.multinomial(long([1, 2]), 1)).toThrow("multinomial only supports floating-point dtypes for input, got: Long");
    });
  });
});
