// Order statistics and related reductions: cummax / cummin, logcumsumexp, kthvalue, mode, quantile /
// nanquantile, aminmax, histc, renorm. Expected values come from each op's definition (loops in
// double in the test, PyTorch's documented tie rules), never from PyTorch's output; gradients by
// gradcheck. Every test runs once per backend that loads here.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const f64 = (xs: number[]) => torch.tensor(xs, { dtype: "float64" });
const D = { dtype: "float64" as const, requiresGrad: true };
const close = (a: number[], b: number[], tol = 1e-9) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => {
    if (Number.isNaN(b[i])) expect(v).toBeNaN();
    else if (!Number.isFinite(b[i])) expect(v).toBe(b[i]);
    else expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
  });
};

/** Linear-interpolated quantile of the sorted finite values (numpy's "linear" definition). */
function quantileRef(xs: number[], q: number, how: string): number {
  const s = [...xs].sort((a, b) => a - b);
  const rank = q * (s.length - 1);
  const lo = Math.floor(rank), hi = Math.ceil(rank);
  if (how === "lower") return s[lo];
  if (how === "higher") return s[hi];
  if (how === "nearest") {
    const f = Math.floor(rank), r = rank - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(rank);
    return s[r];
  }
  const w = how === "midpoint" ? 0.5 : rank - lo;
  return s[lo] + w * (s[hi] - s[lo]);
}

describe.each(backends())("order statistics [%s]", (name) => {
  useBackend(name);

  describe("cummax / cummin", () => {
    it("keep the running extreme and the last index that reached it; NaN takes over", () => {
      const xs = [1, 3, 3, 2, 3, NaN, 1, 5];
      const [v, i] = torch.cummax(torch.tensor(xs), 0);
      // by definition: a value >= the running max (or a NaN) takes over
      let best = -Infinity, at = -1;
      const wv: number[] = [], wi: number[] = [];
      xs.forEach((x, k) => {
        if (Number.isNaN(x) || (!Number.isNaN(best) && x >= best)) [best, at] = [x, k];
        wv.push(best);
        wi.push(at);
      });
      close(vals(v), wv);
      expect(vals(i)).toEqual(wi);
      expect(wi).toEqual([0, 1, 2, 2, 4, 5, 5, 5]);
      const m = torch.cummin(long([3, 1, 1, 2, 1]), 0);
      expect([m.values.dtype, ...vals(m.values)]).toEqual(["int64", 3, 1, 1, 1, 1]);
      expect(vals(m.indices)).toEqual([0, 1, 2, 2, 4]);
      expect(vals(torch.tensor([1, NaN, NaN, 2]).cummax(0).indices)).toEqual([0, 1, 2, 2]);
      const b = torch.cummax(torch.tensor([true, false, true]), 0);
      expect([b.values.dtype, ...vals(b.values), ...vals(b.indices)]).toEqual(["bool", 1, 1, 1, 0, 0, 2]);
      const two = torch.tensor([[1, 5], [4, 2], [3, 6]]);
      expect(vals(two.cummax({ dim: 0 }).values)).toEqual([1, 5, 4, 5, 4, 6]);
      expect(vals(two.cummin(-1).indices)).toEqual([0, 0, 0, 1, 0, 0]);
      const z = torch.cummax(torch.tensor(5), 0);
      expect([z.values.shape, z.values.item(), z.indices.item()]).toEqual([[], 5, 0]);
      expect(torch.cummin(torch.zeros(0, 2), 0).indices.shape).toEqual([0, 2]);
      expect(() => torch.cummax(torch.ones(2), 1)).toThrow("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
      expect(() => torch.cummax(torch.ones(2, { dtype: "float16" }), 0)).toThrow(`"cummax_cpu" not implemented for 'Half'`);
      const bf = torch.cummin(torch.tensor([3, 1, 2], { dtype: "bfloat16" }), 0);
      expect([bf.values.dtype, ...vals(bf.values.float()), ...vals(bf.indices)]).toEqual(["bfloat16", 3, 1, 1, 0, 1, 1]);
    });

    it("send the gradient to the recorded indices", () => {
      const x = torch.randn([3, 4], D);
      expect(torch.cummax(x, 1).values.gradFn?.name).toBe("CummaxBackward0");
      expect(torch.cummin(x, 1).values.gradFn?.name).toBe("CumminBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.cummax(t, 1).values, [x])).toBe(true);
      expect(torch.gradcheck((t: torch.Tensor) => torch.cummin(t, 0).values, [x])).toBe(true);
    });
  });

  describe("logcumsumexp", () => {
    it("is log(cumsum(exp(x))), without underflow for values far below the maximum", () => {
      for (const n of [1, 5, 64, 65, 300]) {
        const x = torch.randn([2, n], { dtype: "float64" }).mul(30);
        const X = vals(x), want: number[] = [];
        for (let r = 0; r < 2; r++) {
          let acc = -Infinity;
          for (let i = 0; i < n; i++) {
            const v = X[r * n + i], m = Math.max(acc, v);
            acc = m + Math.log(Math.exp(acc - m) + Math.exp(v - m));
            want.push(acc);
          }
        }
        close(vals(torch.logcumsumexp(x, 1)), want, 1e-10);
        close(vals(x.t().logcumsumexp({ dim: 0 }).t()), want, 1e-10);
      }
      close(vals(torch.tensor([-1000, 0]).logcumsumexp(0)), [-1000, 0]);
      close(vals(torch.logcumsumexp(torch.tensor([-Infinity, -Infinity, 0, Infinity, 1]), 0)), [-Infinity, -Infinity, 0, Infinity, Infinity]);
      close(vals(torch.logcumsumexp(torch.tensor([1, NaN, 2]), 0)), [1, NaN, NaN]);
      expect(torch.logcumsumexp(torch.tensor(2), 0).item()).toBe(2);
      expect(torch.logcumsumexp(torch.zeros(0, 3), 0).shape).toEqual([0, 3]);
      expect(() => torch.logcumsumexp(long([1, 2]), 0)).toThrow(`"logcumsumexp_out_cpu" not implemented for 'Long'`);
      expect(() => torch.logcumsumexp(torch.ones(2, { dtype: "float16" }), 0)).toThrow(`"logcumsumexp_out_cpu" not implemented for 'Half'`);
    });

    it("differentiates", () => {
      const x = torch.randn([2, 70], D);
      expect(torch.logcumsumexp(x, 1).gradFn?.name).toBe("LogcumsumexpBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.logcumsumexp(t, 1), [x])).toBe(true);
      expect(torch.gradcheck((t: torch.Tensor) => torch.logcumsumexp(t, 0), [torch.randn([5, 2], D)])).toBe(true);
    });
  });

  describe("kthvalue / mode", () => {
    it("kthvalue gives the k-th smallest and an index holding it", () => {
      const x = torch.randn([4, 7], { dtype: "float64" });
      const X = vals(x);
      for (const k of [1, 4, 7]) {
        const [v, i] = x.kthvalue(k, 1);
        const I = vals(i);
        for (let r = 0; r < 4; r++) {
          const row = X.slice(r * 7, r * 7 + 7);
          expect(vals(v)[r]).toBe([...row].sort((a, b) => a - b)[k - 1]);
          expect(row[I[r]]).toBe(vals(v)[r]);
        }
      }
      // ties: an index holding the value; NaN counts as the largest
      const [tv, ti] = torch.kthvalue(torch.tensor([3, 1, 2, 1, 5]), 2);
      expect(tv.item()).toBe(1);
      expect([1, 3]).toContain(ti.item());
      expect(torch.kthvalue(torch.tensor([3, NaN, 2, 1, 5]), 5).values.item()).toBeNaN();
      expect(torch.kthvalue(torch.tensor([3, NaN, 2, 1, 5]), 4).values.item()).toBe(5);
      const kd = torch.kthvalue(torch.randn(2, 3), 2, { dim: 0, keepdim: true });
      expect([kd.values.shape, kd.indices.shape, kd.indices.dtype]).toEqual([[1, 3], [1, 3], "int64"]);
      expect(torch.kthvalue(long([3, 1, 2]), 1).values.item()).toBe(1);
      expect(torch.kthvalue(torch.tensor(3), 1).values.item()).toBe(3);
      expect(torch.kthvalue(torch.zeros(0, 3), 1, 1).values.shape).toEqual([0]);
      expect(() => torch.kthvalue(torch.tensor([3, 1, 2]), 4)).toThrow("kthvalue(): selected number k out of range for dimension 0");
      expect(() => torch.kthvalue(torch.tensor([3, 1, 2]), 0)).toThrow("kthvalue(): selected number k out of range for dimension 0");
      expect(() => torch.kthvalue(torch.tensor([true, false]), 1)).toThrow(`"kthvalue_cpu" not implemented for 'Bool'`);
      expect(() => torch.kthvalue(torch.zeros(0, 3), 1, 0)).toThrow("kthvalue(): Expected reduction dim 0 to have non-zero size.");
      const g = torch.randn([3, 5], D);
      expect(g.kthvalue(2).values.gradFn?.name).toBe("KthvalueBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => t.kthvalue(3, 1).values, [g])).toBe(true);
    });

    it("mode gives the most frequent value, the smallest among ties, at its last position", () => {
      // for small rows the sort keeps equal values in order, so the index is the value's last position
      const rows = [[1, 2, 2, 3, 3, 1, 2, 3], [3, 1, 1, 3], [2, 1, 1, 2, 5, 5], [7]];
      for (const row of rows) {
        const counts = new Map<number, number>();
        row.forEach((v) => counts.set(v, (counts.get(v) ?? 0) + 1));
        const most = Math.max(...counts.values());
        const value = Math.min(...[...counts].filter(([, c]) => c === most).map(([v]) => v));
        const [v, i] = torch.mode(long(row));
        expect([v.item(), i.item()]).toEqual([value, row.lastIndexOf(value)]);
      }
      const m = torch.tensor([[1, 2, 2], [4, 4, 3]]).mode({ dim: 1, keepdim: true });
      expect([m.values.shape, ...vals(m.values), ...vals(m.indices)]).toEqual([[2, 1], 2, 4, 2, 1]);
      expect(vals(torch.mode(torch.tensor([true, false, false])).values)).toEqual([0]);
      expect(torch.mode(torch.tensor(4)).values.item()).toBe(4);
      expect(torch.mode(torch.zeros(0, 3), 1).values.shape).toEqual([0]);
      expect(() => torch.mode(torch.zeros(0, 3), 0)).toThrow("mode(): Expected reduction dim 0 to have non-zero size.");
      const g = torch.randn([3, 4], D);
      expect(torch.mode(g, 0).values.gradFn?.name).toBe("ModeBackward0");
      g.mode(1).values.sum().backward();
      expect(vals(g.grad!.sum(1))).toEqual([1, 1, 1]);
    });
  });

  describe("quantile / nanquantile", () => {
    it("interpolate between the sorted values by each mode", () => {
      const x = torch.randn([3, 6], { dtype: "float64" });
      const X = vals(x);
      const qs = [0, 0.1, 0.25, 0.5, 0.7, 1];
      for (const how of ["linear", "lower", "higher", "midpoint", "nearest"] as const) {
        const r = torch.quantile(x, f64(qs), { dim: 1, interpolation: how });
        expect(r.shape).toEqual([6, 3]);
        const want: number[] = [];
        for (const q of qs) for (let row = 0; row < 3; row++) want.push(quantileRef(X.slice(row * 6, row * 6 + 6), q, how));
        close(vals(r), want);
      }
      close([torch.quantile(x, 0.3).item()], [quantileRef(X, 0.3, "linear")]);
      expect(torch.quantile(x, 0.3, { keepdim: true }).shape).toEqual([1, 1]);
      expect(torch.quantile(x, f64([0.2, 0.4]), 0, true).shape).toEqual([2, 1, 6]);
      expect(x.quantile(0.5, -1).shape).toEqual([3]);
      expect(x.quantile(f64([0.5]).reshape([]), 1).shape).toEqual([3]);
      // nearest rounds half to even: ranks 0.5, 1.5 -> 0, 2
      expect(vals(torch.quantile(torch.tensor([0, 1, 2, 3, 4]), torch.tensor([0.125, 0.375]), { interpolation: "nearest" }))).toEqual([0, 2]);
      expect(torch.quantile(torch.tensor(3), 0.5).item()).toBe(3);
    });

    it("quantile propagates NaN, nanquantile skips it", () => {
      const x = torch.tensor([[1, 5, 2, 8], [3, NaN, 0, 1]]);
      close(vals(torch.quantile(x, 0.4, 1)), [quantileRef([1, 5, 2, 8], 0.4, "linear"), NaN], 1e-6);
      close(vals(torch.nanquantile(x, 0.4, 1)), [quantileRef([1, 5, 2, 8], 0.4, "linear"), quantileRef([3, 0, 1], 0.4, "linear")], 1e-6);
      expect(torch.nanquantile(torch.tensor([NaN, NaN]), 0.5).item()).toBeNaN();
      expect(torch.quantile(x, 0.5).item()).toBeNaN();
    });

    it("checks its arguments as PyTorch does, and differentiates", () => {
      const x = torch.ones(2, 3);
      expect(() => torch.quantile(x, 1.5)).toThrow("quantile() q must be in the range [0, 1] but got 1.5");
      expect(() => torch.quantile(x, torch.tensor([1.5]))).toThrow("quantile() q values must be in the range [0, 1]");
      expect(() => torch.quantile(x, f64([0.5]))).toThrow("quantile() q tensor must be same dtype as the input tensor");
      expect(() => torch.quantile(x, torch.tensor([[0.5]]))).toThrow("quantile() q must be a scalar or 1D tensor");
      expect(() => torch.quantile(long([1, 2]), 0.5)).toThrow("quantile() input tensor must be either float or double dtype");
      expect(() => torch.quantile(torch.zeros(0), 0.5)).toThrow("quantile() input tensor must be non-empty");
      expect(() => torch.quantile(x, 0.5, { interpolation: "foo" as "linear" })).toThrow("quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got foo");
      expect(() => torch.quantile(x, 0.5, 2)).toThrow("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
      expect(torch.gradcheck((t: torch.Tensor) => torch.quantile(t, f64([0.3, 0.8]), 1), [torch.randn([3, 5], D)])).toBe(true);
      expect(torch.gradcheck((t: torch.Tensor) => torch.nanquantile(t, 0.45, { interpolation: "midpoint" }), [torch.randn([6], D)])).toBe(true);
    });
  });

  describe("aminmax / histc / renorm", () => {
    it("aminmax gives min and max together", () => {
      const r = torch.aminmax(torch.tensor([[1, 5], [3, -2]]));
      expect([r.min.item(), r.max.item(), r[0].item(), r[1].item()]).toEqual([-2, 5, -2, 5]);
      const k = torch.tensor([[1, 5], [3, -2]]).aminmax({ dim: 0, keepdim: true });
      expect([k.min.shape, ...vals(k.min), ...vals(k.max)]).toEqual([[1, 2], 1, -2, 3, 5]);
      expect(torch.aminmax(torch.tensor([1, NaN])).max.item()).toBeNaN();
      expect(torch.aminmax(torch.tensor([true, false])).max.dtype).toBe("bool");
      expect(torch.aminmax(torch.zeros(0, 3), { dim: 1 }).min.shape).toEqual([0]);
      expect(() => torch.aminmax(torch.zeros(0, 3))).toThrow("aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.");
      expect(() => torch.aminmax(torch.zeros(0, 3), { dim: 0 })).toThrow("aminmax: Expected reduction dim 0 to have non-zero size.");
      const g = torch.aminmax(torch.randn([3], D)).min;
      expect(() => g.backward()).toThrow("derivative for aten::aminmax is not implemented");
    });

    it("histc counts equal-width bins", () => {
      const data = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3);
      const x = f64(data);
      const [lo, hi] = [Math.min(...data), Math.max(...data)];
      const want = new Array(7).fill(0);
      for (const v of data) want[Math.min(Math.floor(((v - lo) * 7) / (hi - lo)), 6)]++;
      expect(vals(torch.histc(x, 7))).toEqual(want);
      expect(vals(torch.histc(torch.tensor([1, 2, 1]), { bins: 4, min: 0, max: 3 }))).toEqual([0, 2, 1, 0]);
      expect(vals(torch.histc(torch.tensor([1, 2, 1, 3, -1, 4]), 3, 0, 3))).toEqual([0, 2, 2]); // 3 is in the last bin; -1, 4 out
      expect(vals(torch.histc(torch.tensor([2, 2]), 4))).toEqual([0, 0, 2, 0]); // range [1, 3]
      expect(vals(torch.histc(torch.tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 3, 0, 10))).toEqual([4, 3, 4]);
      expect(vals(torch.histc(torch.zeros(0), 2))).toEqual([0, 0]);
      expect(torch.histc(x, 3).dtype).toBe("float64");
      expect(torch.histc(torch.randn([5], { requiresGrad: true }), 3).requiresGrad).toBe(false);
      expect(() => torch.histc(long([1, 2]), 4)).toThrow(`"histogram_cpu" not implemented for 'Long'`);
      expect(() => torch.histc(torch.tensor([1, 2]), 0)).toThrow("torch.histogram(): bins must be > 0, but got 0 for dimension 0");
      expect(() => torch.histc(torch.tensor([1, 2]), 4, 3, 1)).toThrow("torch.histc: max must be larger than min");
      expect(() => torch.histc(torch.tensor([1, Infinity]), 2)).toThrow("torch.histc: range of [1, inf] is not finite");
    });

    it("renorm rescales the slices whose norm exceeds maxnorm", () => {
      const x = torch.randn([3, 4], { dtype: "float64" });
      const X = vals(x);
      for (const [p, dim, maxnorm] of [[2, 0, 1], [1, 1, 0.8], [3, 0, 100]] as const) {
        const want = [...X];
        const slices = dim === 0 ? [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => r * 4 + c)) : [0, 1, 2, 3].map((c) => [0, 1, 2].map((r) => r * 4 + c));
        for (const idx of slices) {
          const norm = idx.reduce((s, k) => s + Math.abs(X[k]) ** p, 0) ** (1 / p);
          if (norm > maxnorm) for (const k of idx) want[k] = X[k] * (maxnorm / (norm + 1e-7));
        }
        close(vals(torch.renorm(x, p, dim, maxnorm)), want);
        const y = x.clone();
        expect(y.renorm_(p, dim, maxnorm)).toBe(y);
        close(vals(y), want);
      }
      expect(() => torch.renorm(torch.ones(1, 2), -1, 0, 3)).toThrow("renorm: non-positive-norm not supported");
      expect(() => torch.renorm(torch.ones(1, 2), 2, 0, -3)).toThrow("renorm: expected maxnorm to be >= 0 but got -3");
      expect(() => torch.renorm(torch.ones(2), 2, 0, 1)).toThrow("renorm: input needs at least 2 dimensions, got 1 dimensions");
      const g = torch.randn([3, 2], D);
      expect(torch.renorm(g, 1, 1, 0.5).gradFn?.name).toBe("RenormBackward0");
      expect(torch.gradcheck((t: torch.Tensor) => torch.renorm(t, 2, 0, 0.7), [g])).toBe(true);
    });
  });
});
