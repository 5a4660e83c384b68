// Creation and statistics helpers: tril_indices / triu_indices, combinations, cartesian_prod,
// block_diag, vander, cov, corrcoef, trapezoid / trapz / cumulative_trapezoid. Expected values come
// from the definitions (loops in double in the test), never from PyTorch's output; gradients by
// gradcheck. Every test runs once per backend that loads here.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const f64 = (xs: number[] | number[][]) => torch.tensor(xs, { dtype: "float64" });
const D = { dtype: "float64" as const, requiresGrad: true };
const close = (a: number[], b: number[], tol = 1e-9) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => {
    if (Number.isNaN(b[i])) expect(v).toBeNaN();
    else if (!Number.isFinite(b[i])) expect(v).toBe(b[i]);
    else expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
  });
};

describe.each(backends())("creation extras [%s]", (name) => {
  useBackend(name);

  it("trilIndices / triuIndices list a triangle's positions row by row", () => {
    for (const [r, c, off] of [[3, 3, 0], [4, 3, 1], [3, 4, -1], [0, 3, 0], [2, 5, 3]]) {
      const rows: number[] = [], cols: number[] = [], urows: number[] = [], ucols: number[] = [];
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) {
        if (j - i <= off) (rows.push(i), cols.push(j));
        if (j - i >= off) (urows.push(i), ucols.push(j));
      }
      const t = torch.trilIndices(r, c, off);
      expect([t.dtype, t.shape, ...vals(t)]).toEqual(["int64", [2, rows.length], ...rows, ...cols]);
      expect(vals(torch.triuIndices(r, c, { offset: off }))).toEqual([...urows, ...ucols]);
    }
    expect(torch.trilIndices(3, 3, 0, { dtype: "int32" }).dtype).toBe("int32");
    expect(() => torch.trilIndices(3, 3, 0, { dtype: "float32" })).toThrow(`"tril_indices" not implemented for 'Float'`);
    expect(() => torch.trilIndices(-1, 3)).toThrow("row must be non-negative, got-1");
    expect(() => torch.triuIndices(3, -3)).toThrow("col must be non-negative, got-3");
  });

  it("combinations enumerates r-subsets in order, with replacement when asked", () => {
    const x = long([1, 2, 3, 4]);
    const c2 = torch.combinations(x);
    expect([c2.shape, ...vals(c2)]).toEqual([[6, 2], 1, 2, 1, 3, 1, 4, 2, 3, 2, 4, 3, 4]);
    expect(torch.combinations(x, 3).shape).toEqual([4, 3]); // C(4, 3)
    const rep = torch.combinations(long([1, 2, 3]), 2, { withReplacement: true });
    expect(vals(rep)).toEqual([1, 1, 1, 2, 1, 3, 2, 2, 2, 3, 3, 3]);
    expect(torch.combinations(long([1, 2, 3]), { r: 3, withReplacement: true }).shape).toEqual([10, 3]); // C(5, 3)
    expect(torch.combinations(long([1, 2, 3]), 4).shape).toEqual([0, 4]);
    expect(torch.combinations(torch.tensor([1, 2]), 0).shape).toEqual([0]);
    expect(torch.combinations(torch.tensor([1, 2]), 1).shape).toEqual([2, 1]);
    expect(() => torch.combinations(x, -1)).toThrow("Expect a non-negative number, but got -1");
    expect(() => torch.combinations(torch.ones(2, 2))).toThrow("Expect a 1D vector, but got shape [2, 2]");
    expect(torch.gradcheck((t: torch.Tensor) => torch.combinations(t, 2, { withReplacement: true }), [torch.randn([3], D)])).toBe(true);
  });

  it("cartesianProd pairs every element of each input", () => {
    const p = torch.cartesianProd(long([1, 2]), long([3, 4, 5]));
    expect([p.shape, ...vals(p)]).toEqual([[6, 2], 1, 3, 1, 4, 1, 5, 2, 3, 2, 4, 2, 5]);
    expect(torch.cartesianProd([long([1, 2]), long([3]), long([4, 5])]).shape).toEqual([4, 3]);
    expect(vals(torch.cartesianProd(long([1, 2])))).toEqual([1, 2]);
    expect(() => torch.cartesianProd(long([1, 2]), torch.tensor([3, 4]))).toThrow("meshgrid expects all tensors to have the same dtype");
    expect(() => torch.cartesianProd(torch.ones(2, 2))).toThrow("Expect a 1D vector, but got shape [2, 2]");
    expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor) => torch.cartesianProd(a, b), [torch.randn([2], D), torch.randn([3], D)])).toBe(true);
  });

  it("blockDiag places each block on the diagonal, promoting dtypes", () => {
    const b = torch.blockDiag(torch.tensor([[1, 2]], { dtype: "int64" }), torch.tensor(3, { dtype: "int64" }), torch.tensor([4, 5]), torch.ones(2, 1, { dtype: "int32" }));
    expect([b.dtype, b.shape]).toEqual(["float32", [5, 6]]);
    const want = new Array(30).fill(0);
    [[0, 0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4], [2, 4, 5], [3, 5, 1], [4, 5, 1]].forEach(([r, c, v]) => (want[r * 6 + c] = v));
    expect(vals(b)).toEqual(want);
    expect(torch.blockDiag(long([1]), long([2])).dtype).toBe("int64");
    expect(torch.blockDiag().shape).toEqual([1, 0]);
    expect(torch.blockDiag(torch.zeros(0, 2), torch.ones(1, 1)).shape).toEqual([1, 3]);
    expect(() => torch.blockDiag(torch.ones(2, 2, 2))).toThrow("torch.block_diag: Input tensors must have 2 or fewer dimensions. Input 0 has 3 dimensions");
    const g = torch.blockDiag(torch.randn([2, 2], D), torch.randn([1], D));
    expect(g.gradFn?.name).toBe("BlockDiagBackward0");
    expect(torch.gradcheck((a: torch.Tensor, c: torch.Tensor) => torch.blockDiag(a, c), [torch.randn([2, 3], D), torch.randn([2], D)])).toBe(true);
  });

  it("vander has the powers of x as columns", () => {
    const x = [1.5, -2, 3];
    const v = torch.vander(f64(x));
    expect(vals(v)).toEqual(x.flatMap((a) => [a ** 2, a, 1]));
    expect(vals(torch.vander(f64(x), { N: 4, increasing: true }))).toEqual(x.flatMap((a) => [1, a, a ** 2, a ** 3]));
    expect(vals(torch.vander(f64(x), 1))).toEqual([1, 1, 1]);
    expect(torch.vander(long([1, 2]), 0).shape).toEqual([2, 0]);
    const i = torch.vander(torch.tensor([1, 2], { dtype: "int32" }));
    expect([i.dtype, ...vals(i)]).toEqual(["int64", 1, 1, 2, 1]);
    expect(torch.vander(torch.tensor([true, false])).dtype).toBe("int64");
    expect(() => torch.vander(long([1, 2]), -1)).toThrow("N must be non-negative.");
    expect(() => torch.vander(torch.ones(2, 2))).toThrow("x must be a one-dimensional tensor.");
    expect(torch.gradcheck((t: torch.Tensor) => torch.vander(t, 4), [torch.randn([3], D)])).toBe(true);
  });

  describe("cov / corrcoef", () => {
    /** The weighted covariance by its definition (numpy's). */
    function covRef(rows: number[][], fw: number[] | null, aw: number[] | null, correction: number): number[] {
      const n = rows[0].length;
      const w = Array.from({ length: n }, (_, k) => (fw ? fw[k] : 1) * (aw ? aw[k] : 1));
      const wsum = w.reduce((a, b) => a + b, 0);
      const avg = rows.map((r) => r.reduce((s, v, k) => s + v * w[k], 0) / wsum);
      const norm = aw ? wsum - (correction * w.reduce((s, v, k) => s + v * aw[k], 0)) / wsum : wsum - correction;
      const out: number[] = [];
      for (let i = 0; i < rows.length; i++) for (let j = 0; j < rows.length; j++) {
        out.push(rows[i].reduce((s, v, k) => s + (v - avg[i]) * (rows[j][k] - avg[j]) * w[k], 0) / norm);
      }
      return out;
    }

    it("cov follows the weighted definition", () => {
      const rows = [[0.5, 1, 2.5, 4], [2, 1, -1, 0.5], [3, 3, 1, 2]];
      const x = f64(rows);
      close(vals(torch.cov(x)), covRef(rows, null, null, 1));
      close(vals(x.cov({ correction: 0 })), covRef(rows, null, null, 0));
      const fw = [1, 2, 3, 1], aw = [0.5, 1, 2, 0.25];
      close(vals(torch.cov(x, { fweights: long(fw) })), covRef(rows, fw, null, 1));
      close(vals(torch.cov(x, { aweights: f64(aw) })), covRef(rows, null, aw, 1));
      close(vals(torch.cov(x, { fweights: long(fw), aweights: f64(aw), correction: 2 })), covRef(rows, fw, aw, 2));
      close([torch.cov(f64([1, 2, 4])).item()], covRef([[1, 2, 4]], null, null, 1));
      const ic = torch.cov(torch.tensor([[1, 2, 4]], { dtype: "int64" }));
      expect([ic.dtype, ic.shape]).toEqual(["float32", []]);
      close([ic.item()], covRef([[1, 2, 4]], null, null, 1), 1e-6);
      // no degrees of freedom left: divided by 0
      close(vals(torch.cov(torch.tensor([[0, 1, 2], [2, 1, 0]]), { correction: 3 })), [Infinity, -Infinity, -Infinity, Infinity]);
      const x2 = torch.ones(2, 3);
      expect(() => torch.cov(torch.ones(2, 2, 2))).toThrow("cov(): expected input to have two or fewer dimensions but got an input with 3 dimensions");
      expect(() => torch.cov(x2, { fweights: torch.tensor([1, 2, 3]) })).toThrow("cov(): expected fweights to have integral dtype but got fweights with Float dtype");
      expect(() => torch.cov(x2, { fweights: long([-1, 2, 3]) })).toThrow("cov(): fweights cannot be negative");
      expect(() => torch.cov(x2, { aweights: torch.tensor([-1, 2, 3]) })).toThrow("cov(): aweights cannot be negative");
      expect(() => torch.cov(x2, { fweights: long([1, 2]) })).toThrow("cov(): expected fweights to have the same numel as there are observations in the input but got 2 != 3");
      expect(() => torch.cov(x2, { aweights: long([1, 2, 3]) })).toThrow("cov(): expected aweights to have floating point dtype but got aweights with Long dtype");
      expect(torch.gradcheck((t: torch.Tensor, a: torch.Tensor) => torch.cov(t, { aweights: a.abs() }), [torch.randn([2, 4], D), torch.randn([4], D)])).toBe(true);
    });

    it("corrcoef normalises the covariance by the standard deviations", () => {
      const rows = [[0.5, 1, 2.5, 4], [2, 1, -1, 0.5], [3, 3, 1, 2]];
      const c = covRef(rows, null, null, 1);
      const want = c.map((v, k) => Math.min(1, Math.max(-1, v / Math.sqrt(c[Math.floor(k / 3) * 4]) / Math.sqrt(c[(k % 3) * 4]))));
      close(vals(torch.corrcoef(f64(rows))), want);
      close(vals(f64([[0, 1, 2], [2, 1, 0]]).corrcoef()), [1, -1, -1, 1]);
      expect(torch.corrcoef(torch.tensor([1, 2])).item()).toBe(1);
      close(vals(torch.corrcoef(torch.tensor([[1, 2, 3], [1, 1, 1]]))), [1, NaN, NaN, NaN]);
      expect(torch.corrcoef(long([1, 2, 3, 3, 1, 2]).reshape(2, 3)).dtype).toBe("float32");
      expect(torch.gradcheck((t: torch.Tensor) => torch.corrcoef(t), [torch.randn([3, 5], D)])).toBe(true);
    });
  });

  describe("trapezoid / cumulative_trapezoid", () => {
    it("integrate by the trapezoidal rule with sample points or a spacing", () => {
      const y = [1, 4, 9, 16], xs = [0, 1, 3, 6];
      const trap = (ys: number[], pts: number[]) => ys.slice(1).reduce((s, v, k) => s + ((pts[k + 1] - pts[k]) * (v + ys[k])) / 2, 0);
      close([torch.trapezoid(f64(y)).item()], [trap(y, [0, 1, 2, 3])]);
      close([torch.trapezoid(f64(y), { dx: 0.5 }).item()], [trap(y, [0, 0.5, 1, 1.5])]);
      close([torch.trapezoid(f64(y), f64(xs)).item()], [trap(y, xs)]);
      close([torch.trapz(f64(y), f64(xs)).item()], [trap(y, xs)]);
      close([torch.trapezoid(f64(y), { x: f64(xs) }).item()], [trap(y, xs)]);
      const m = f64([[0, 1, 2], [3, 4, 5]]);
      close(vals(torch.trapezoid(m, { dim: 0 })), [1.5, 2.5, 3.5]);
      close(vals(torch.trapezoid(m, f64([1, 3, 4]))), [trap([0, 1, 2], [1, 3, 4]), trap([3, 4, 5], [1, 3, 4])]);
      close(vals(torch.trapezoid(m, f64([[1, 3, 4], [0, 1, 2]]))), [trap([0, 1, 2], [1, 3, 4]), trap([3, 4, 5], [0, 1, 2])]);
      const ti = torch.trapezoid(long([1, 2, 3]));
      expect([ti.dtype, ti.item()]).toEqual(["float32", 4]);
      expect(torch.trapezoid(long([1, 2, 3]), { dx: 2 }).item()).toBe(8);
      expect(torch.trapezoid(long([1, 2, 3]), long([1, 2, 4])).item()).toBe(6.5);
      expect(torch.trapezoid(torch.zeros(0)).item()).toBe(0);
      expect(vals(torch.trapezoid(torch.zeros(2, 0), { dim: 1 }))).toEqual([0, 0]);
      expect(torch.trapezoid(torch.ones(1)).item()).toBe(0);
      expect(() => torch.trapezoid(f64(y), f64([0, 1]))).toThrow("trapezoid: There must be one `x` value for each sample point");
      expect(() => torch.trapezoid(torch.tensor(1))).toThrow("Dimension specified as -1 but tensor has no dimensions");
      expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor) => torch.trapezoid(a, b), [torch.randn([5], D), torch.randn([5], D)])).toBe(true);
      expect(torch.gradcheck((a: torch.Tensor) => torch.trapezoid(a, { dx: 0.3, dim: 0 }), [torch.randn([4, 2], D)])).toBe(true);
    });

    it("cumulativeTrapezoid gives the running integral", () => {
      const y = [1, 4, 9, 16], xs = [0, 1, 3, 6];
      const run = (ys: number[], pts: number[]) => {
        let s = 0;
        return ys.slice(1).map((v, k) => (s += ((pts[k + 1] - pts[k]) * (v + ys[k])) / 2));
      };
      close(vals(torch.cumulativeTrapezoid(f64(y))), run(y, [0, 1, 2, 3]));
      close(vals(torch.cumulativeTrapezoid(f64(y), f64(xs))), run(y, xs));
      close(vals(torch.cumulativeTrapezoid(f64(y), { dx: 2 })), run(y, [0, 2, 4, 6]));
      const c = torch.cumulativeTrapezoid(f64([[0, 1, 2], [3, 4, 5]]), { dim: 0 });
      expect(c.shape).toEqual([1, 3]);
      close(vals(c), [1.5, 2.5, 3.5]);
      expect(torch.cumulativeTrapezoid(torch.zeros(0)).shape).toEqual([0]);
      const ci = torch.cumulativeTrapezoid(long([1, 2, 3]));
      expect([ci.dtype, ...vals(ci)]).toEqual(["float32", 1.5, 4]);
      expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor) => torch.cumulativeTrapezoid(a, b), [torch.randn([5], D), torch.randn([5], D)])).toBe(true);
    });
  });
});
