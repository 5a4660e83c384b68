// Products and distances: cross / linalg.cross, kron, tensordot, cdist, dist, addr, addbmm and the
// in-place addmm_ / addmv_ / baddbmm_ / addbmm_ / addr_. Expected values come from loops in double
// over each op's definition, never from PyTorch's output; gradients by gradcheck. Every test runs
// once per backend that loads here.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const f64 = (xs: number[], shape?: number[]) => {
  const t = torch.tensor(xs, { dtype: "float64" });
  return shape ? t.reshape(shape) : t;
};
const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const D = { dtype: "float64" as const, requiresGrad: true };
const close = (a: number[], b: number[], tol = 1e-9) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
};
/** Row-major strides of a shape. */
const stridesOf = (shape: readonly number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((p, s) => p * s, 1));

describe.each(backends())("products [%s]", (name) => {
  useBackend(name);

  describe("cross", () => {
    it("computes a x b along the first dim of size 3 by default, or dim, and broadcasts", () => {
      const a = torch.randn([4, 3], { dtype: "float64" }), b = torch.randn([4, 3], { dtype: "float64" });
      const A = vals(a), B = vals(b), want: number[] = [];
      for (let r = 0; r < 4; r++) {
        const [x0, x1, x2] = A.slice(3 * r, 3 * r + 3), [y0, y1, y2] = B.slice(3 * r, 3 * r + 3);
        want.push(x1 * y2 - x2 * y1, x2 * y0 - x0 * y2, x0 * y1 - x1 * y0);
      }
      close(vals(torch.cross(a, b)), want);
      close(vals(a.cross(b, 1)), want);
      close(vals(torch.linalg.cross(a, b)), want);
      close(vals(torch.cross(a.t(), b.t()).t()), want); // default dim: the first of size 3 (0 here)
      close(vals(a.t().cross(b.t(), { dim: 0 }).t()), want);
      // broadcasting: [1, 3] against [4, 3]
      const w = vals(torch.cross(a.index("0:1"), b));
      for (let r = 0; r < 4; r++) {
        const [x0, x1, x2] = A.slice(0, 3), [y0, y1, y2] = B.slice(3 * r, 3 * r + 3);
        close(w.slice(3 * r, 3 * r + 3), [x1 * y2 - x2 * y1, x2 * y0 - x0 * y2, x0 * y1 - x1 * y0]);
      }
      const i = torch.cross(long([1, 0, 0]), long([0, 1, 0]));
      expect([i.dtype, ...vals(i)]).toEqual(["int64", 0, 0, 1]);
      expect(torch.cross(torch.zeros(0, 3), torch.zeros(0, 3)).shape).toEqual([0, 3]);
      expect(torch.cross(torch.randn(3, 3, 2), torch.randn(3, 3, 2)).shape).toEqual([3, 3, 2]);
    });

    it("refuses what PyTorch refuses, with its messages", () => {
      expect(() => torch.cross(torch.ones(2, 4), torch.ones(2, 4))).toThrow("no dimension of size 3 in input");
      expect(() => torch.cross(torch.ones(2, 3), torch.ones(2, 3), 0)).toThrow("linalg.cross: inputs dimension 0 must have length 3. Got 2 and 2");
      expect(() => torch.linalg.cross(torch.ones(3, 2), torch.ones(3, 2))).toThrow("linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2");
      expect(() => torch.linalg.cross(torch.ones(2, 3), torch.ones(3))).toThrow("linalg.cross: inputs must have the same number of dimensions.");
      expect(() => torch.cross(torch.ones(2, 3), torch.ones(2, 3, { dtype: "float64" }))).toThrow("expected scalar type Float but found Double");
      expect(() => torch.cross(torch.tensor([true, false, true]), torch.tensor([true, true, true]))).toThrow(`"cross" not implemented for 'Bool'`);
      expect(() => torch.cross(torch.ones(2, 3), torch.ones(4, 3))).toThrow(/must match the size/);
      expect(() => torch.cross(torch.ones(3), torch.ones(3), -2)).toThrow("Dimension out of range (expected to be in range of [-1, 0], but got -2)");
    });

    it("has PyTorch's grad_fn and gradients", () => {
      const a = torch.randn([2, 3], D), b = torch.randn([2, 3], D);
      expect(torch.cross(a, b).gradFn?.name).toBe("LinalgCrossBackward0");
      expect(torch.gradcheck((x: torch.Tensor, y: torch.Tensor) => torch.cross(x, y), [a, b])).toBe(true);
      expect(torch.gradcheck((x: torch.Tensor, y: torch.Tensor) => torch.linalg.cross(x, y), [a, torch.randn([1, 3], D)])).toBe(true);
    });
  });

  describe("kron", () => {
    it("is the Kronecker product, ranks padded with leading 1s", () => {
      const a = torch.randn([2, 3], { dtype: "float64" }), b = torch.randn([3, 2], { dtype: "float64" });
      const A = vals(a), B = vals(b), want: number[] = new Array(36);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) for (let l = 0; l < 2; l++) {
        want[(i * 3 + k) * 6 + (j * 2 + l)] = A[i * 3 + j] * B[k * 2 + l];
      }
      const r = torch.kron(a, b);
      expect(r.shape).toEqual([6, 6]);
      close(vals(r), want);
      expect(torch.kron(torch.ones(2, 3), torch.ones(3)).shape).toEqual([2, 9]);
      expect(vals(torch.kron(long([1, 2]), torch.tensor([1, 10])))).toEqual([1, 10, 2, 20]);
      expect(torch.kron(long([1, 2]), long([3])).dtype).toBe("int64");
      expect(vals(a.kron(torch.tensor(2, { dtype: "float64" })))).toEqual(A.map((v) => 2 * v));
      const g = torch.randn([2, 2], D);
      expect(torch.kron(g, g).gradFn?.name).toBe("UnsafeViewBackward0");
      expect(torch.gradcheck((x: torch.Tensor, y: torch.Tensor) => torch.kron(x, y), [g, torch.randn([3], D)])).toBe(true);
    });
  });

  describe("tensordot", () => {
    /** sum over the contracted index pairs, by brute force. */
    function ref(a: torch.Tensor, b: torch.Tensor, da: number[], db: number[]): number[] {
      const A = vals(a), B = vals(b), sa = stridesOf(a.shape), sb = stridesOf(b.shape);
      const fa = a.shape.map((_, i) => i).filter((d) => !da.includes(d)), fb = b.shape.map((_, i) => i).filter((d) => !db.includes(d));
      const outShape: number[] = [...fa.map((d) => a.shape[d]), ...fb.map((d) => b.shape[d])];
      const kShape = da.map((d) => a.shape[d]);
      const out: number[] = [];
      const n = outShape.reduce((p, s) => p * s, 1), nk = kShape.reduce((p, s) => p * s, 1);
      for (let o = 0; o < n; o++) {
        const idx = stridesOf(outShape).map((s, i) => Math.floor(o / s) % outShape[i]);
        let acc = 0;
        for (let k = 0; k < nk; k++) {
          const kid = stridesOf(kShape).map((s, i) => Math.floor(k / s) % kShape[i]);
          let ia = 0, ib = 0;
          fa.forEach((d, i) => (ia += idx[i] * sa[d]));
          fb.forEach((d, i) => (ib += idx[fa.length + i] * sb[d]));
          da.forEach((d, i) => (ia += kid[i] * sa[d]));
          db.forEach((d, i) => (ib += kid[i] * sb[d]));
          acc += A[ia] * B[ib];
        }
        out.push(acc);
      }
      return out;
    }

    it("contracts the last n dims with the first n, or the listed pairs", () => {
      const a = torch.randn([2, 3, 4], { dtype: "float64" }), b = torch.randn([3, 4, 5], { dtype: "float64" });
      const r = torch.tensordot(a, b);
      expect(r.shape).toEqual([2, 5]);
      close(vals(r), ref(a, b, [1, 2], [0, 1]));
      expect(torch.tensordot(a, b, 0).shape).toEqual([2, 3, 4, 3, 4, 5]);
      close(vals(torch.tensordot(a, b, 0)), ref(a, b, [], []));
      const c = torch.randn([4, 3, 5], { dtype: "float64" });
      close(vals(torch.tensordot(a, c, [[1, 2], [1, 0]])), ref(a, c, [1, 2], [1, 0]));
      close(vals(torch.tensordot(a, c, { dims: [[-2], [1]] })), ref(a, c, [1], [1]));
      close(vals(torch.tensordot(a, c, [2, 0])), ref(a, c, [2], [0]));
      const ti = torch.tensordot(long([1, 2]), long([3, 4]), 1);
      expect([ti.dtype, ti.shape, ti.item()]).toEqual(["int64", [], 11]);
      // a size-1 contracted dim facing a larger one sums the other operand
      close(vals(torch.tensordot(torch.ones(2, 1, { dtype: "float64" }), f64([1, 2, 3, 4, 5, 6], [3, 2]), [[1], [0]])), [9, 12, 9, 12]);
    });

    it("checks its dims as PyTorch does, and differentiates", () => {
      const a = torch.ones(2, 3, 4), c = torch.ones(4, 3, 5);
      expect(() => torch.tensordot(a, c, -1)).toThrow("tensordot expects dims >= 0, but got dims=-1");
      expect(() => torch.tensordot(a, c, [[1], [0]])).toThrow("contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 in dim 0");
      expect(() => torch.tensordot(a, c, [[1, 2], [1]])).toThrow("both dimension lists should have same length");
      expect(() => torch.tensordot(torch.ones(2, 3), torch.ones(3, 2), 3)).toThrow("Dimension out of range (expected to be in range of [-2, 1], but got -3)");
      expect(() => torch.tensordot(torch.ones(2, 3), torch.ones(3, 2, { dtype: "float64" }), 1)).toThrow("expected scalar type Float but found Double");
      expect(torch.gradcheck((x: torch.Tensor, y: torch.Tensor) => torch.tensordot(x, y, [[0, 2], [2, 0]]), [torch.randn([2, 3, 4], D), torch.randn([4, 5, 2], D)])).toBe(true);
    });
  });

  describe("cdist / dist", () => {
    function pdist(x: number[], y: number[], p: number): number {
      const d = x.map((v, i) => Math.abs(v - y[i]));
      if (p === Infinity) return Math.max(...d);
      if (p === 0) return d.filter((v) => v !== 0).length;
      return d.reduce((s, v) => s + v ** p, 0) ** (1 / p);
    }

    it("gives the p-norm distance of every pair of rows, batch dims broadcast", () => {
      const x1 = torch.randn([2, 3, 4], { dtype: "float64" }), x2 = torch.randn([5, 4], { dtype: "float64" });
      const X1 = vals(x1), X2 = vals(x2);
      for (const p of [2, 1, 0, 3, 0.5, Infinity]) {
        const r = torch.cdist(x1, x2, { p });
        expect(r.shape).toEqual([2, 3, 5]);
        const want: number[] = [];
        for (let b = 0; b < 2; b++) for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) {
          want.push(pdist(X1.slice((b * 3 + i) * 4, (b * 3 + i + 1) * 4), X2.slice(j * 4, j * 4 + 4), p));
        }
        close(vals(r), want, 1e-9);
      }
      close(vals(torch.cdist(x1, x2, 1)), vals(torch.cdist(x1, x2, { p: 1, computeMode: "donot_use_mm_for_euclid_dist" })));
      // past 25 rows the 2-norm goes through PyTorch's matrix-product form: the same distances
      const big1 = torch.randn([30, 4], { dtype: "float64" }), big2 = torch.randn([27, 4], { dtype: "float64" });
      const B1 = vals(big1), B2 = vals(big2), wantBig: number[] = [];
      for (let i = 0; i < 30; i++) for (let j = 0; j < 27; j++) wantBig.push(pdist(B1.slice(i * 4, i * 4 + 4), B2.slice(j * 4, j * 4 + 4), 2));
      close(vals(torch.cdist(big1, big2)), wantBig, 1e-9);
      close(vals(torch.cdist(x1, x2, { computeMode: "use_mm_for_euclid_dist" })), vals(torch.cdist(x1, x2)), 1e-9);
      expect(torch.cdist(torch.randn(1, 2, 3), torch.randn(3, 4, 3)).shape).toEqual([3, 2, 4]);
      expect(vals(torch.cdist(torch.ones(2, 0), torch.ones(3, 0)))).toEqual([0, 0, 0, 0, 0, 0]);
      expect(torch.cdist(torch.ones(0, 2), torch.ones(3, 2)).shape).toEqual([0, 3]);
    });

    it("checks as PyTorch does, has a zero gradient at zero distance, and differentiates", () => {
      expect(() => torch.cdist(torch.ones(3, 2), torch.ones(4, 3))).toThrow("X1 and X2 must have the same number of columns. X1: 2 X2: 3");
      expect(() => torch.cdist(torch.ones(2), torch.ones(4, 2))).toThrow("cdist only supports at least 2D tensors, X1 got: 1D");
      expect(() => torch.cdist(torch.ones(3, 2), torch.ones(4, 2), -1)).toThrow("cdist only supports non-negative p values");
      expect(() => torch.cdist(long([1, 2]).reshape(1, 2), long([1, 2]).reshape(1, 2))).toThrow("cdist only supports floating-point dtypes, X1 got: Long");
      expect(() => torch.cdist(torch.ones(3, 2), torch.ones(4, 2), { computeMode: "x" })).toThrow("x is not a valid value for compute_mode");
      expect(() => torch.cdist(torch.ones(2, 3, 2), torch.ones(3, 4, 2))).toThrow(/must match the size/);
      const x = torch.ones([2, 3], D);
      const d = torch.cdist(x, x.detach());
      expect(d.gradFn?.name).toBe("CdistBackward0");
      d.sum().backward();
      expect(vals(x.grad!)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor) => torch.cdist(a, b), [torch.randn([3, 2], D), torch.randn([4, 2], D)])).toBe(true);
      expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor) => torch.cdist(a, b), [torch.randn([26, 2], D), torch.randn([3, 2], D)])).toBe(true);
      const y = torch.ones([2, 3], D);
      const dm = torch.cdist(y, y.detach(), { computeMode: "use_mm_for_euclid_dist" });
      expect(vals(dm)).toEqual([0, 0, 0, 0]);
      dm.sum().backward();
      expect(vals(y.grad!)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor) => torch.cdist(a, b, 1.5), [torch.randn([2, 3, 2], D), torch.randn([4, 2], D)])).toBe(true);
    });

    it("dist is the p-norm of the broadcast difference", () => {
      const a = torch.randn([3, 2], { dtype: "float64" }), b = torch.randn([2], { dtype: "float64" });
      const A = vals(a), B = vals(b);
      const diff = A.map((v, i) => v - B[i % 2]);
      for (const p of [2, 1, 0, 3, Infinity]) close([torch.dist(a, b, p).item()], [pdist(diff, diff.map(() => 0), p)]);
      close([a.dist(b, -Infinity).item()], [Math.min(...diff.map(Math.abs))]);
      close([torch.dist(a, b, { p: 1 }).item()], [pdist(diff, diff.map(() => 0), 1)]);
      expect(torch.dist(torch.ones(2), torch.ones(2, { dtype: "float64" })).dtype).toBe("float64");
      expect(() => torch.dist(long([1, 2]), long([1, 2]))).toThrow("norm(): input dtype should be either floating point or complex. Got Long instead.");
      const g = torch.randn([3, 2], D);
      expect(torch.dist(g, b).gradFn?.name).toBe("DistBackward0");
      expect(torch.gradcheck((x: torch.Tensor, y: torch.Tensor) => torch.dist(x, y, 3), [g, torch.randn([2], D)])).toBe(true);
    });
  });

  describe("addr / addbmm", () => {
    it("addr is beta * input + alpha * outer(vec1, vec2)", () => {
      const inp = torch.randn([2, 3], { dtype: "float64" }), v1 = torch.randn([2], { dtype: "float64" }), v2 = torch.randn([3], { dtype: "float64" });
      const I = vals(inp), V1 = vals(v1), V2 = vals(v2);
      const want = I.map((v, k) => 2 * v + 0.5 * V1[Math.floor(k / 3)] * V2[k % 3]);
      close(vals(torch.addr(inp, v1, v2, { beta: 2, alpha: 0.5 })), want);
      close(vals(inp.index(0).addr(v1, v2, { beta: 2, alpha: 0.5 })), I.map((_, k) => 2 * I[k % 3] + 0.5 * V1[Math.floor(k / 3)] * V2[k % 3]));
      expect(vals(torch.addr(long([1, 2]), long([1, 2]), long([1, 2]), { alpha: 2 }))).toEqual([3, 6, 5, 10]);
      expect(() => torch.addr(long([1, 2]), long([1, 2]), long([1, 2]), { alpha: 2.5 })).toThrow("For integral input tensors, argument alpha must not be a floating point number.");
      const bt = torch.addr(torch.tensor([[false, true]]), torch.tensor([true]), torch.tensor([false, false]));
      expect([bt.dtype, ...vals(bt)]).toEqual(["bool", 0, 1]);
      expect(vals(torch.addr(torch.tensor([[false, true]]), torch.tensor([true]), torch.tensor([true, false]), { beta: 0 }))).toEqual([1, 0]);
      expect(() => torch.addr(inp, v1.reshape(2, 1), v2)).toThrow("addr: Expected 1-D argument vec1, but got 2-D");
      expect(() => torch.addr(torch.ones(4, 3), torch.ones(2), torch.ones(3))).toThrow(
        "The expanded size of the tensor (2) must match the existing size (4) at non-singleton dimension 0.  Target sizes: [2, 3].  Tensor sizes: [4, 3]",
      );
      const r = torch.addr(torch.randn([2, 3], D), torch.randn([2], D), torch.randn([3], D));
      expect(r.gradFn?.name).toBe("AddrBackward0");
      expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) => torch.addr(a, b, c, { beta: 0.5, alpha: 3 }), [torch.randn([3], D), torch.randn([2], D), torch.randn([3], D)])).toBe(true);
    });

    it("addbmm sums the batch of products", () => {
      const inp = torch.randn([2, 3], { dtype: "float64" }), b1 = torch.randn([4, 2, 5], { dtype: "float64" }), b2 = torch.randn([4, 5, 3], { dtype: "float64" });
      const I = vals(inp), B1 = vals(b1), B2 = vals(b2), want: number[] = [];
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let b = 0; b < 4; b++) for (let k = 0; k < 5; k++) s += B1[b * 10 + i * 5 + k] * B2[b * 15 + k * 3 + j];
        want.push(0.5 * I[i * 3 + j] + 2 * s);
      }
      close(vals(torch.addbmm(inp, b1, b2, { beta: 0.5, alpha: 2 })), want);
      close(vals(inp.index(1).addbmm(b1, b2, { beta: 0.5, alpha: 2 })), want.map((v, k) => v - 0.5 * I[k] + 0.5 * I[3 + (k % 3)]));
      expect(vals(torch.addbmm(long([1]).reshape(1, 1), long([1]).reshape(1, 1, 1), long([2]).reshape(1, 1, 1)))).toEqual([3]);
      // integer products are exact; integral results take beta and alpha truncated, as PyTorch's kernels do
      const L = (...shape: number[]) => torch.ones(shape, { dtype: "int64" });
      expect(vals(torch.addbmm(L(2, 3), L(2, 2, 4), L(2, 4, 3), { alpha: 2.5 }))).toEqual([17, 17, 17, 17, 17, 17]);
      expect(vals(torch.addmm(L(2, 3), L(2, 4), L(4, 3), { alpha: 2 }))).toEqual([9, 9, 9, 9, 9, 9]);
      expect(vals(torch.addmv(L(2), L(2, 4), L(4), { alpha: 1.5 }))).toEqual([5, 5]);
      expect(vals(torch.baddbmm(L(1, 2, 3), L(1, 2, 4), L(1, 4, 3), { beta: 1.5 }))).toEqual([5, 5, 5, 5, 5, 5]);
      expect(vals(L(2, 3).addmm_(L(2, 4), L(4, 3)))).toEqual([5, 5, 5, 5, 5, 5]);
      expect(vals(torch.addbmm(torch.ones(2, 2), torch.ones(0, 2, 3), torch.ones(0, 3, 2)))).toEqual([1, 1, 1, 1]);
      expect(() => torch.addbmm(inp, torch.ones(2, 4), b2)).toThrow("batch1 must be a 3D tensor");
      expect(() => torch.addbmm(inp, torch.ones(5, 2, 4), torch.ones(4, 4, 3))).toThrow("batch1 and batch2 must have same number of batches, got 5 and 4");
      expect(() => torch.addbmm(inp, torch.ones(5, 2, 4), torch.ones(5, 3, 3))).toThrow("Incompatible matrix sizes for bmm (2x4 and 3x3)");
      const r = torch.addbmm(torch.randn([2, 3], D), torch.randn([4, 2, 5], D), torch.randn([4, 5, 3], D));
      expect(r.gradFn?.name).toBe("AddbmmBackward0");
      expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) => torch.addbmm(a, b, c, { alpha: 0.5 }), [torch.randn([3], D), torch.randn([2, 2, 4], D), torch.randn([2, 4, 3], D)])).toBe(true);
    });
  });

  describe("in-place products", () => {
    it("write the out-of-place result into self, which must keep its shape", () => {
      const m1 = torch.randn([2, 4], { dtype: "float64" }), m2 = torch.randn([4, 3], { dtype: "float64" });
      const x = torch.randn([2, 3], { dtype: "float64" });
      const want = vals(torch.addmm(x, m1, m2, { beta: 0.5, alpha: 2 }));
      expect(x.addmm_(m1, m2, { beta: 0.5, alpha: 2 })).toBe(x);
      close(vals(x), want);
      const v = torch.randn([2], { dtype: "float64" }), vec = torch.randn([4], { dtype: "float64" });
      const wv = vals(torch.addmv(v, m1, vec));
      close(vals(v.addmv_(m1, vec)), wv);
      const y = torch.randn([2, 2, 3], { dtype: "float64" }), b1 = torch.randn([2, 2, 4], { dtype: "float64" }), b2 = torch.randn([2, 4, 3], { dtype: "float64" });
      const wb = vals(torch.baddbmm(y, b1, b2));
      close(vals(y.baddbmm_(b1, b2)), wb);
      const z = torch.randn([2, 3], { dtype: "float64" });
      const wz = vals(torch.addbmm(z, b1, b2));
      close(vals(z.addbmm_(b1, b2)), wz);
      const w = torch.randn([2, 3], { dtype: "float64" }), u1 = torch.randn([2], { dtype: "float64" }), u2 = torch.randn([3], { dtype: "float64" });
      const ww = vals(torch.addr(w, u1, u2));
      close(vals(w.addr_(u1, u2)), ww);
      expect(() => torch.ones(2, 3).addmm_(torch.ones(1, 4), torch.ones(4, 3))).toThrow("Bad in-place call: input tensor size [2, 3] and output tensor size [1, 3] should match");
      expect(() => torch.ones(1).addmv_(torch.ones(2, 4), torch.ones(4))).toThrow("Bad in-place call: input tensor size [1] and output tensor size [2] should match");
      expect(() => torch.ones(3).addr_(torch.ones(2), torch.ones(3))).toThrow("2D tensor expected, got 1D tensor for input");
      expect(() => torch.ones([2, 3], { requiresGrad: true }).addmm_(torch.ones(2, 4), torch.ones(4, 3))).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
    });

    it("are recorded under autograd with the out-of-place gradients", () => {
      const a = torch.randn([2, 3], D), m1 = torch.randn([2, 4], D), m2 = torch.randn([4, 3], D);
      const h = a.mul(1);
      h.addmm_(m1, m2, { beta: 0.5 });
      expect(h.gradFn?.name).toBe("AddmmBackward0");
      h.sum().backward();
      const [ga, gm1] = [vals(a.grad!), vals(m1.grad!)];
      a.grad = null;
      m1.grad = null;
      torch.addmm(a.mul(1), m1, m2, { beta: 0.5 }).sum().backward();
      close(ga, vals(a.grad!));
      close(gm1, vals(m1.grad!));
    });
  });
  it("second derivatives of the compositions match finite differences (gradgradcheck)", () => {
    const cases: [(...t: torch.Tensor[]) => torch.Tensor, torch.Tensor[]][] = [
      [(a, b) => torch.cross(a, b), [torch.randn([2, 3], D), torch.randn([2, 3], D)]],
      [(a, b) => torch.cdist(a, b), [torch.randn([3, 2], D), torch.randn([2, 2], D)]],
      [(a, b) => torch.cdist(a, b, { computeMode: "use_mm_for_euclid_dist" }), [torch.randn([3, 2], D), torch.randn([2, 2], D)]],
      [(a, b) => torch.kron(a, b), [torch.randn([2], D), torch.randn([2, 2], D)]],
      [(a, b) => torch.tensordot(a, b, 1), [torch.randn([2, 3], D), torch.randn([3, 2], D)]],
      [(a) => torch.logcumsumexp(a, 0), [torch.randn([5], D)]],
      [(a) => torch.renorm(a, 2, 0, 0.5), [torch.randn([3, 2], D)]],
      [(a) => torch.cov(a), [torch.randn([2, 5], D)]],
      [(a) => torch.vander(a), [torch.randn([3], D)]],
    ];
    for (const [f, inputs] of cases) expect(torch.autograd.gradgradcheck(f as (...t: torch.Tensor[]) => torch.Tensor, inputs)).toBe(true);
  });
});
