// The torch.* conveniences added for line-by-line translations: isclose/allclose, dot/vdot/mv/inner,
// median/nanmedian, nansum/nanmean/count_nonzero, var_mean/std_mean, diff, Tensor.unfold, the
// stacking helpers, meshgrid, broadcast_*, select, stride and friends. Expected values are worked
// out from each op's definition (loops in double), never copied from PyTorch's output; gradients by
// gradcheck. Every test runs once per backend that loads here.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const f64 = (xs: number[]) => torch.tensor(xs, { dtype: "float64" });

/** The lower median's index by PyTorch's rule: the k-th of the (value, index) pairs in ascending order. */
function medianIndex(row: number[]): number {
  const nan = row.findIndex(Number.isNaN);
  if (nan >= 0) return nan;
  const order = row.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return order[(row.length - 1) >> 1][1];
}

describe.each(backends())("tensor extras [%s]", (name) => {
  useBackend(name);

  describe("isclose / allclose", () => {
    it("follows |a - b| <= atol + rtol * |b|, with equal infinities close and NaN only with equalNan", () => {
      const a = torch.tensor([1, 2, NaN, Infinity, -Infinity, 1e-9, 100]);
      const b = torch.tensor([1, 2.0001, NaN, Infinity, Infinity, 0, 100.0009]);
      expect(vals(torch.isclose(a, b))).toEqual([1, 0, 0, 1, 0, 1, 1]);
      expect(vals(torch.isclose(a, b, { equalNan: true }))).toEqual([1, 0, 1, 1, 0, 1, 1]);
      expect(vals(a.isclose(b, { rtol: 0, atol: 0 }))).toEqual([1, 0, 0, 1, 0, 0, 0]);
      expect(vals(a.isclose(b, { rtol: 1e-3 }))).toEqual([1, 1, 0, 1, 0, 1, 1]);
      expect(torch.allclose(a, b)).toBe(false);
      expect(torch.allclose(torch.ones(3), torch.ones(3).add(1e-7))).toBe(true);
    });

    it("broadcasts, takes integer and bool tensors, and refuses mixed dtypes and negative tolerances", () => {
      expect(torch.isclose(torch.ones(2, 3), torch.ones(3)).shape).toEqual([2, 3]);
      expect(vals(torch.isclose(long([1, 2, 10]), long([1, 3, 12]), { rtol: 0.4 }))).toEqual([1, 1, 1]);
      expect(vals(torch.isclose(long([1, 2, 10]), long([1, 3, 15]), { rtol: 0.2 }))).toEqual([1, 0, 0]);
      expect(vals(torch.isclose(torch.tensor([true, false]), torch.tensor([true, true])))).toEqual([1, 0]);
      expect(() => torch.isclose(torch.ones(2), torch.ones(2, { dtype: "float64" }))).toThrow("Float did not match Double");
      expect(() => torch.isclose(torch.ones(2), torch.ones(2), { rtol: -1 })).toThrow("rtol must be greater than or equal to zero, but got -1");
      expect(() => torch.isclose(torch.ones(2), torch.ones(2), { atol: -1 })).toThrow("atol must be greater than or equal to zero, but got -1");
      expect(() => torch.isclose(torch.ones(2, 3), torch.ones(2))).toThrow("must match the size");
    });
  });

  describe("dot / vdot / mv / inner", () => {
    it("multiplies and sums, integers exactly, with PyTorch's checks", () => {
      expect(torch.dot(torch.tensor([1.5, 2]), torch.tensor([3, 4])).item()).toBe(12.5);
      const d = torch.dot(long([1, 2]), long([3, 4]));
      expect([d.dtype, d.item()]).toEqual(["int64", 11]);
      expect(torch.vdot(torch.tensor([1, 2]), torch.tensor([3, 4])).item()).toBe(11);
      expect(() => torch.dot(torch.ones(3), torch.ones(4))).toThrow("inconsistent tensor size, expected tensor [3] and src [4]");
      expect(() => torch.dot(torch.ones(3, 1), torch.ones(3, 1))).toThrow("1D tensors expected, but got 2D and 2D tensors");
      expect(() => torch.vdot(torch.ones(3), torch.ones(3, { dtype: "float64" }))).toThrow("dot : expected both vectors to have same dtype, but found Float and Double");
      const m = torch.arange(6).reshape(2, 3);
      expect(vals(torch.mv(m.float(), torch.tensor([1, 10, 100])))).toEqual([210, 543]);
      expect(vals(torch.mv(m, long([1, 10, 100])))).toEqual([210, 543]);
      expect(() => torch.mv(torch.ones(2, 3), torch.ones(4))).toThrow("size mismatch, got 2, 2x3,4");
      expect(() => torch.mv(torch.ones(3), torch.ones(3))).toThrow("vector + matrix @ vector expected, got 1, 1, 1");
    });

    it("inner sums over the last dims of both", () => {
      const a = torch.arange(6).reshape(2, 3).float();
      const b = torch.arange(12).reshape(2, 2, 3).float();
      const r = torch.inner(a, b);
      expect(r.shape).toEqual([2, 2, 2]);
      const av = vals(a) as number[], bv = vals(b) as number[];
      const want: number[] = [];
      for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) want.push([0, 1, 2].reduce((s, k) => s + av[i * 3 + k] * bv[j * 3 + k], 0));
      expect(vals(r)).toEqual(want);
      expect(vals(torch.inner(torch.tensor(2), torch.tensor([1, 2])))).toEqual([2, 4]);
      expect(() => torch.inner(torch.ones(2, 3), torch.ones(4))).toThrow("inner() the last dimension must match on both input tensors but got shapes [2, 3] and [4]");
    });

    it("gradients match finite differences", () => {
      const opts = { dtype: "float64" as const, requiresGrad: true };
      expect(torch.gradcheck((x: torch.Tensor, y: torch.Tensor) => torch.dot(x, y), [torch.randn([5], opts), torch.randn([5], opts)])).toBe(true);
      expect(torch.gradcheck((m: torch.Tensor, v: torch.Tensor) => torch.mv(m, v), [torch.randn([3, 4], opts), torch.randn([4], opts)])).toBe(true);
      expect(torch.gradcheck((x: torch.Tensor, y: torch.Tensor) => torch.inner(x, y), [torch.randn([2, 3], opts), torch.randn([4, 3], opts)])).toBe(true);
    });
  });

  describe("median / nanmedian", () => {
    it("picks the lower median's index by PyTorch's (value, index) order among ties", () => {
      const rows = [[5, 1, 1, 1, 5], [1, 1, 1], [2, 1, 2, 1], [3, 3, 1, 1, 2, 2], new Array(20).fill(0), [4, 7, 1, 9, 2, 2, 8]];
      for (const row of rows) {
        const { values, indices } = torch.tensor([row]).median(1);
        expect(vals(indices)).toEqual([medianIndex(row)]);
        expect(vals(values)).toEqual([row[medianIndex(row)]]);
      }
      const x = torch.tensor([[3, 1, 2, 5], [4, 4, 1, 0]]);
      expect(x.median().item()).toBe(2); // sorted 0 1 1 2 3 4 4 5: the 4th
      const byCol = torch.median(x, 0, true);
      expect(byCol.values.shape).toEqual([1, 4]);
      expect(vals(byCol.indices)).toEqual([0, 0, 1, 1]);
    });

    it("median propagates the first NaN; nanmedian skips NaNs", () => {
      const x = torch.tensor([[1, NaN, 2, NaN], [NaN, NaN, NaN, NaN], [4, 3, NaN, 1]]);
      const m = x.median(1);
      expect(vals(m.values).every(Number.isNaN)).toBe(true);
      expect(vals(m.indices)).toEqual([1, 0, 2]);
      const n = x.nanmedian(1);
      expect(vals(n.values).map((v) => (Number.isNaN(v) ? "nan" : v))).toEqual([1, "nan", 3]);
      expect(vals(n.indices)).toEqual([0, 0, 1]);
      expect(Number.isNaN(torch.tensor([1, NaN, 2]).median().item())).toBe(true);
      expect(torch.tensor([1, NaN, 2]).nanmedian().item()).toBe(1);
    });

    it("keeps integer dtypes, handles 0-d and empty tensors, refuses bools and empty dims", () => {
      const m = long([4, 1, 3, 2]).median();
      expect([m.dtype, m.item()]).toEqual(["int64", 2]);
      const s = torch.tensor(5).median(0);
      expect([s.values.item(), s.indices.item()]).toEqual([5, 0]);
      expect(Number.isNaN(torch.tensor([]).median().item())).toBe(true);
      expect(torch.ones(2, 0).median(0).values.shape).toEqual([0]);
      expect(() => torch.ones(0, 2).median(0)).toThrow("median(): Expected reduction dim 0 to have non-zero size.");
      expect(() => torch.tensor([true]).median()).toThrow(`"median_cpu" not implemented for 'Bool'`);
    });

    it("shares the full median's gradient among ties (NaNs too) and sends the dim form's to its index", () => {
      const a = torch.tensor([1, 1, 3], { requiresGrad: true });
      const m = a.median();
      m.backward();
      expect(String(m.grad_fn)).toContain("MedianBackward0");
      expect(vals(a.grad!)).toEqual([0.5, 0.5, 0]);
      const b = torch.tensor([1, NaN, 3, NaN], { requiresGrad: true });
      b.median().backward();
      expect(vals(b.grad!)).toEqual([0, 0.5, 0, 0.5]);
      const c = torch.tensor([[3, 1, 2]], { requiresGrad: true });
      const md = c.median(1);
      md.values.sum().backward();
      expect(String(md.values.grad_fn)).toContain("MedianBackward1");
      expect(vals(c.grad!)).toEqual([0, 0, 1]);
      const opts = { dtype: "float64" as const, requiresGrad: true };
      expect(torch.gradcheck((x: torch.Tensor) => x.nanmedian(1).values, [torch.randn([3, 5], opts)])).toBe(true);
    });

    it("full max()/min() share their gradient among NaNs when the result is NaN", () => {
      const x = torch.tensor([1, NaN, 3, NaN], { requiresGrad: true });
      x.max().backward();
      expect(vals(x.grad!)).toEqual([0, 0.5, 0, 0.5]);
    });
  });

  describe("NaN-aware and counting reductions", () => {
    it("nansum / nanmean skip NaNs; count_nonzero counts", () => {
      const x = torch.tensor([[1, 2], [NaN, 3], [NaN, NaN]]);
      expect(vals(torch.nansum(x, 1))).toEqual([3, 3, 0]);
      expect(vals(torch.nanmean(x, 1)).map((v) => (Number.isNaN(v) ? "nan" : v))).toEqual([1.5, 3, "nan"]);
      expect(torch.nanmean(x).item()).toBe(2);
      expect(torch.nansum(x, null, false, { dtype: "float64" }).dtype).toBe("float64");
      expect(torch.nansum(long([1, 2])).dtype).toBe("int64");
      expect(() => torch.nanmean(long([1, 2]))).toThrow("nanmean(): expected input to have floating point dtype but got Long");
      expect(vals(torch.countNonzero(torch.tensor([[0, 1, 2], [0, 0, 3]]), 1))).toEqual([2, 1]);
      expect(torch.countNonzero(torch.tensor([[0, 1, 2], [0, 0, 3]]), [0, 1]).item()).toBe(3);
      const g = torch.tensor([1, NaN, 2], { requiresGrad: true });
      torch.nansum(g).backward();
      expect(vals(g.grad!)).toEqual([1, 0, 1]);
    });

    it("var_mean / std_mean give the spread and the mean over the same dims", () => {
      const x = torch.tensor([[1, 2, 3, 4], [2, 4, 6, 8]]);
      const [v, m] = torch.varMean(x, 1, false, true);
      expect(v.shape).toEqual([2, 1]);
      expect(vals(m)).toEqual([2.5, 5]);
      expect(vals(v)).toEqual([1.25, 5]);
      const [s, m2] = torch.stdMean(x, 1);
      expect(vals(s)).toEqual(vals(x.std(1)));
      expect(vals(m2)).toEqual([2.5, 5]);
    });
  });

  describe("diff / unfold", () => {
    it("diff takes n-th differences along a dim, with prepend/append and bools", () => {
      expect(vals(torch.diff(torch.tensor([1, 3, 6, 10])))).toEqual([2, 3, 4]);
      const x = torch.tensor([[3, 1, 2, 5], [4, 4, 1, 0]]);
      expect(vals(torch.diff(x, { n: 2, dim: 1 }))).toEqual([3, 2, -3, 2]);
      expect(vals(torch.diff(x, { dim: 0 }))).toEqual([1, 3, -1, -5]);
      expect(vals(torch.diff(x, { prepend: torch.zeros(2, 1) }))).toEqual([3, -2, 1, 3, 4, 0, -3, -1]);
      expect(vals(torch.diff(torch.ones(3), { n: 5 }))).toEqual([]);
      expect(vals(torch.diff(torch.tensor([true, false, false])))).toEqual([1, 0]);
      expect(() => torch.diff(torch.tensor(1))).toThrow("diff expects input to be at least one-dimensional");
      expect(() => torch.diff(torch.ones(3, 2), { prepend: torch.ones(2) })).toThrow("diff expects prepend or append to be the same dimension as input");
      expect(() => torch.diff(torch.ones(3, 2), { dim: 0, prepend: torch.ones(1, 3) })).toThrow("input.size(1) = 2, but got tensor.size(1) = 3");
    });

    it("unfold gathers windows of size every step as a new last dim", () => {
      const x = torch.arange(14).reshape(2, 7).float();
      const u = x.unfold(1, 3, 2);
      expect(u.shape).toEqual([2, 3, 3]);
      const want: number[] = [];
      for (let r = 0; r < 2; r++) for (let w = 0; w < 3; w++) for (let j = 0; j < 3; j++) want.push(r * 7 + w * 2 + j);
      expect(vals(u)).toEqual(want);
      expect(x.unfold(0, 1, 1).shape).toEqual([2, 7, 1]);
      expect(torch.ones(2, 5).unfold(1, 0, 2).shape).toEqual([2, 3, 0]);
      expect(vals(torch.tensor(2).unfold(0, 1, 1))).toEqual([2]);
      expect(() => torch.ones(3).unfold(0, 4, 1)).toThrow("maximum size for tensor at dimension 0 is 3 but size is 4");
      expect(() => torch.ones(3).unfold(0, 2, 0)).toThrow("step is 0 but must be > 0");
      const g = torch.arange(5, { dtype: "float64" }).requiresGrad_();
      g.unfold(0, 3, 1).sum().backward();
      expect(vals(g.grad!)).toEqual([1, 2, 3, 2, 1]); // how many windows hold each element
      expect(torch.gradcheck((t: torch.Tensor) => t.unfold(1, 2, 3), [torch.randn([3, 8], { dtype: "float64", requiresGrad: true })])).toBe(true);
    });
  });

  describe("stacking, meshgrid and broadcasting helpers", () => {
    it("hstack / vstack / dstack / column_stack / atleast_nd shape their inputs as PyTorch", () => {
      expect(vals(torch.hstack([torch.ones(2), torch.zeros(3)]))).toEqual([1, 1, 0, 0, 0]);
      expect(torch.hstack([torch.ones(2, 1), torch.zeros(2, 2)]).shape).toEqual([2, 3]);
      expect(torch.vstack([torch.ones(2), torch.zeros(2)]).shape).toEqual([2, 2]);
      expect(torch.rowStack([torch.ones(2)]).shape).toEqual([1, 2]);
      expect(torch.dstack([torch.ones(2), torch.ones(2)]).shape).toEqual([1, 2, 2]);
      expect(vals(torch.columnStack([torch.ones(2), torch.zeros(2, 2)]))).toEqual([1, 0, 0, 1, 0, 0]);
      expect(torch.atleast1d(torch.tensor(1)).shape).toEqual([1]);
      expect(torch.atleast2d(torch.ones(3)).shape).toEqual([1, 3]);
      expect(torch.atleast3d(torch.ones(2)).shape).toEqual([1, 2, 1]);
      expect(torch.atleast3d(torch.ones(2, 3)).shape).toEqual([2, 3, 1]);
      expect(torch.atleast1d(torch.tensor(1), torch.ones(2)).map((t) => t.shape)).toEqual([[1], [2]]);
      for (const f of [torch.hstack, torch.vstack, torch.dstack]) expect(() => f([])).toThrow("expects a non-empty TensorList");
    });

    it("meshgrid indexes 'ij' and 'xy' and checks its inputs", () => {
      const [a, b] = torch.meshgrid(torch.arange(2), torch.arange(3), { indexing: "ij" });
      expect(vals(a)).toEqual([0, 0, 0, 1, 1, 1]);
      expect(vals(b)).toEqual([0, 1, 2, 0, 1, 2]);
      const [x, y, z] = torch.meshgrid([torch.arange(2), torch.arange(3), torch.arange(4)], { indexing: "xy" });
      expect([x.shape, y.shape, z.shape]).toEqual([[3, 2, 4], [3, 2, 4], [3, 2, 4]]);
      expect(vals(x.index(":", ":", 0))).toEqual([0, 1, 0, 1, 0, 1]);
      expect(vals(y.index(":", ":", 0))).toEqual([0, 0, 1, 1, 2, 2]);
      expect(() => torch.meshgrid([torch.ones(2, 2)], { indexing: "ij" })).toThrow("Expected 0D or 1D tensor");
      expect(() => torch.meshgrid([torch.arange(2), torch.ones(2)], { indexing: "ij" })).toThrow("meshgrid expects all tensors to have the same dtype");
      expect(() => torch.meshgrid([torch.ones(2)], { indexing: "foo" as "ij" })).toThrow(`indexing must be one of "xy" or "ij", but received: foo`);
      expect(() => torch.meshgrid([], { indexing: "ij" })).toThrow("meshgrid expects a non-empty TensorList");
    });

    it("broadcast_to / broadcast_tensors / broadcast_shapes", () => {
      expect(torch.broadcastTo(torch.ones(3), [2, 3]).shape).toEqual([2, 3]);
      expect(torch.ones(3).broadcastTo(2, 3).shape).toEqual([2, 3]);
      expect(torch.broadcastShapes([2, 1], [1, 3], [4, 1, 1])).toEqual([4, 2, 3]);
      expect(torch.broadcastShapes(3, [2, 1])).toEqual([2, 3]);
      expect(() => torch.broadcastShapes([2], [3])).toThrow("Shape mismatch: objects cannot be broadcast to a single shape");
      const [p, q] = torch.broadcastTensors(torch.ones(2, 1), f64([1, 2, 3]));
      expect([p.shape, q.shape, q.dtype]).toEqual([[2, 3], [2, 3], "float64"]);
    });
  });

  describe("views and layout queries", () => {
    it("select, swapaxes, ravel, viewAs/reshapeAs/typeAs and stride queries", () => {
      const x = torch.arange(8).reshape(2, 4);
      expect(vals(x.select(1, -1))).toEqual([3, 7]);
      expect(() => x.select(1, 5)).toThrow("select(): index 5 out of range for tensor of size [2, 4] at dimension 1");
      expect(() => torch.tensor(1).select(0, 0)).toThrow("select() cannot be applied to a 0-dim tensor.");
      expect(torch.swapaxes(x, 0, 1).shape).toEqual([4, 2]);
      expect(vals(x.t().ravel())).toEqual([0, 4, 1, 5, 2, 6, 3, 7]);
      expect(x.viewAs(torch.ones(8)).shape).toEqual([8]);
      expect(() => x.viewAs(torch.ones(7))).toThrow("shape '[7]' is invalid for input of size 8");
      expect(x.typeAs(torch.ones(1)).dtype).toBe("float32");
      expect(x.stride()).toEqual([4, 1]);
      expect(x.t().stride(0)).toBe(1);
      expect(x.index(1).storageOffset()).toBe(4);
      expect([x.elementSize(), torch.ones(1).elementSize(), x.nelement(), x.ndimension()]).toEqual([8, 4, 8, 2]);
      expect([x.isFloatingPoint(), torch.ones(1).isFloatingPoint(), x.isSigned(), torch.ones(1, { dtype: "uint8" }).isSigned()]).toEqual([false, true, true, false]);
      expect(torch.asTensor(x)).toBe(x);
      expect(torch.asTensor(x, { dtype: "float64" }).dtype).toBe("float64");
      expect(torch.asTensor([1, 2]).shape).toEqual([2]);
      const c = torch.clone(x);
      expect(c).not.toBe(x);
      expect(vals(c)).toEqual(vals(x));
    });
  });
});
