// The random functions beyond rand / randn / randint / randperm: torch.normal's four forms,
// bernoulli / bernoulli_, poisson, binomial, random_, exponential_, geometric_, log_normal_, cauchy_,
// randint_like, and uniform_'s dtypes and checks. Properties only (no numbers from PyTorch): ranges,
// moments of many draws within 5 standard errors, exact identities with the uniform / normal streams
// the kernels are defined on (bernoulli is `u < p`, random_(0, n) is `word % n` as randint, normal
// is randn * std + mean), determinism per seed, generator independence, dtypes, gradients, errors.
// Bit-exactness against PyTorch is checked by hand with scripts/check_rng_torch.py --extras.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { crCos, crExp, crLog, crSin, crTan } from "../lib/ops/libm.js";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) * (b - m), 0) / (xs.length - 1);
};
/** |sample mean - mu| within 5 standard errors of a distribution with variance v. */
function expectMean(xs: number[], mu: number, v: number): void {
  expect(Math.abs(mean(xs) - mu)).toBeLessThan(5 * Math.sqrt(v / xs.length));
}
const seeded = <T>(seed: number, f: () => T): T => {
  torch.manualSeed(seed);
  return f();
};

describe.each(backends())("random extras [%s]", (name) => {
  useBackend(name);

  describe("torch.normal", () => {
    it("mean tensor, float std: N(0, std) in mean's kernel plus mean, mean's shape and dtype", () => {
      const m = torch.arange(40).mul(0.25).sub(3);
      const got = seeded(1, () => torch.normal(m, 0.5));
      const want = seeded(1, () => torch.randn([40]).mul(0.5).add(m));
      expect(got.shape).toEqual([40]);
      expect(got.dtype).toBe("float32");
      expect(vals(got)).toEqual(vals(want));
      const m64 = m.to("float64");
      const g64 = seeded(2, () => torch.normal(m64, 2));
      expect(g64.dtype).toBe("float64");
      expect(vals(g64)).toEqual(vals(seeded(2, () => torch.randn([40], { dtype: "float64" }).mul(2).add(m64))));
      expect(torch.normal(torch.zeros([2, 3])).shape).toEqual([2, 3]); // std defaults to 1
      expect(torch.normal(torch.zeros([0]), 1).shape).toEqual([0]);
      expect(torch.normal(torch.zeros([]), 1).shape).toEqual([]);
    });

    it("float mean, std tensor: N(0, 1) * std + mean in std's dtype; std 0 gives the mean", () => {
      const s = torch.arange(20).mul(0.125);
      const got = seeded(3, () => torch.normal(0.5, s));
      const want = seeded(3, () => torch.randn([20]).mul(s).add(0.5));
      expect(vals(got)).toEqual(vals(want));
      expect(vals(got)[0]).toBe(0.5);
      expect(torch.normal(1, torch.ones([3], { dtype: "float64" })).dtype).toBe("float64");
    });

    it("mean and std tensors: the broadcast shape in mean's dtype", () => {
      const m = torch.arange(5, { dtype: "float32" });
      const s = torch.tensor([[0.5], [2]], { dtype: "float64" });
      const got = seeded(4, () => torch.normal(m, s));
      expect(got.shape).toEqual([2, 5]);
      expect(got.dtype).toBe("float32");
      const n = seeded(4, () => torch.randn([2, 5]));
      const want = n.to("float64").mul(s).to("float32").add(m);
      expect(vals(got)).toEqual(vals(want));
    });

    it("float mean and std with a size: normal_ on a new tensor, any float dtype", () => {
      const got = seeded(5, () => torch.normal(1.5, 2, [30], { dtype: "float64" }));
      expect(got.dtype).toBe("float64");
      expect(vals(got)).toEqual(vals(seeded(5, () => torch.randn([30], { dtype: "float64" }).mul(2).add(1.5))));
      const big = seeded(6, () => vals(torch.normal(-2, 3, [20000])));
      expectMean(big, -2, 9);
      expect(Math.abs(variance(big) / 9 - 1)).toBeLessThan(5 * Math.sqrt(2 / big.length));
      expect(torch.normal(0, 1, [2], { requiresGrad: true }).requiresGrad).toBe(true);
      expect(torch.normal({ mean: 0, std: 1, size: [4] }).shape).toEqual([4]);
    });

    it("float16 / bfloat16: their own kernels (11 / 8-bit uniforms), normal draws on average", () => {
      for (const dtype of ["float16", "bfloat16"] as const) {
        const xs = seeded(7, () => vals(torch.randn([20000], { dtype }).to("float64")));
        expect(torch.randn([3], { dtype }).dtype).toBe(dtype);
        expectMean(xs, 0, 1);
        expect(Math.abs(variance(xs) - 1)).toBeLessThan(0.05);
        expect(vals(seeded(8, () => torch.normal(2, 0.5, [40], { dtype })))).toEqual(vals(seeded(8, () => torch.normal(2, 0.5, [40], { dtype }))));
        // under 16 elements: the double path's values, cast through float32
        const small = seeded(9, () => vals(torch.randn([7], { dtype }).to("float64")));
        expect(small).toEqual(seeded(9, () => vals(torch.randn([7], { dtype: "float64" }).to("float32").to(dtype).to("float64"))));
      }
    });

    it("normal_ on a strided tensor draws in memory order (the serial double path)", () => {
      for (const [r, c] of [[3, 4], [20, 30]]) {
        const base = torch.empty([r, c], { dtype: "float64" });
        seeded(10, () => base.t().normal_(0.5, 2));
        // the serial path: one double Box-Muller value per element, as under 16 contiguous elements
        const want = seeded(10, () => Array.from({ length: r * c }, () => torch.defaultGenerator.nextNormalDouble() * 2 + 0.5));
        expect(vals(base)).toEqual(want);
      }
    });

    it("draws from a given generator without touching the default one", () => {
      const g = new torch.Generator().manualSeed(9);
      torch.manualSeed(11);
      const a = torch.normal(torch.zeros([25]), 1, { generator: g });
      const afterDefault = vals(torch.rand([5]));
      expect(vals(seeded(11, () => torch.rand([5])))).toEqual(afterDefault);
      const b = torch.normal(torch.zeros([25]), 1, { generator: new torch.Generator().manualSeed(9) });
      expect(vals(a)).toEqual(vals(b));
      expect(vals(torch.normal(0, 1, [25], { generator: g }))).not.toEqual(vals(a));
    });

    it("has zero gradients, with PyTorch's node names", () => {
      const m = torch.zeros([3], { requiresGrad: true });
      const s = torch.ones([3], { requiresGrad: true });
      const a = torch.normal(m, 1);
      const b = torch.normal(0, s);
      const c = torch.normal(m, s);
      expect([a.gradFn?.name, b.gradFn?.name, c.gradFn?.name]).toEqual(["NormalBackward1", "NormalBackward2", "NormalBackward3"]);
      a.sum().add(b.sum()).add(c.sum()).backward();
      expect(vals(m.grad!)).toEqual([0, 0, 0]);
      expect(vals(s.grad!)).toEqual([0, 0, 0]);
      expect(torch.normal(0, 1, [2]).requiresGrad).toBe(false);
    });

    it("reports PyTorch's errors", () => {
      const z = torch.zeros([3]);
      expect(() => torch.normal(z, -1)).toThrow(/^normal expects std >= 0.0, but found std -1$/);
      expect(() => torch.normal(z, NaN)).toThrow(/but found std nan/);
      expect(() => torch.normal(0, 1 - 2, [2])).toThrow(/normal expects std >= 0.0/);
      expect(() => torch.normal(0, torch.tensor([1, -1]))).toThrow(/^normal expects all elements of std >= 0.0$/);
      expect(() => torch.normal(z, torch.tensor([NaN, 1, 1]))).toThrow(/all elements of std >= 0.0/);
      expect(() => torch.normal(torch.zeros([3], { dtype: "int64" }), 1)).toThrow(/"normal_kernel_cpu" not implemented for 'Long'/);
      expect(() => torch.normal(0, 1, [2], { dtype: "int32" })).toThrow(/"normal_kernel_cpu" not implemented for 'Int'/);
      expect(() => torch.normal(z, torch.ones([2]))).toThrow(/The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 0/);
      expect(() => torch.normal(0, 1)).toThrow(TypeError);
    });
  });

  describe("bernoulli", () => {
    it("is `u < p` per element: a 24-bit uniform for a float32 p, a 53-bit one for float64", () => {
      const p = torch.arange(50).remainder(11).div(10);
      const got = seeded(1, () => torch.bernoulli(p));
      const u = seeded(1, () => vals(torch.rand([50])));
      const pv = vals(p);
      expect(vals(got)).toEqual(u.map((x, i) => (x < pv[i] ? 1 : 0)));
      expect(got.dtype).toBe("float32");
      const p64 = p.to("float64");
      const g64 = seeded(2, () => torch.bernoulli(p64));
      const u64 = seeded(2, () => vals(torch.rand([50], { dtype: "float64" })));
      expect(vals(g64)).toEqual(u64.map((x, i) => (x < pv[i] ? 1 : 0)));
    });

    it("takes p 0 and 1 exactly, and matches p on average", () => {
      expect(vals(torch.bernoulli(torch.zeros([100])))).toEqual(new Array(100).fill(0));
      expect(vals(torch.bernoulli(torch.ones([100])))).toEqual(new Array(100).fill(1));
      const xs = seeded(3, () => vals(torch.bernoulli(torch.full([20000], 0.3))));
      expectMean(xs, 0.3, 0.21);
    });

    it("bernoulli_(float p) fills any dtype but float16 / bfloat16 from 53-bit uniforms", () => {
      for (const dtype of ["float32", "float64", "int64", "int32", "uint8", "bool"] as const) {
        const t = seeded(4, () => torch.empty([40], { dtype }).bernoulli_(0.4));
        const u = seeded(4, () => vals(torch.rand([40], { dtype: "float64" })));
        expect(t.dtype).toBe(dtype);
        expect(vals(t)).toEqual(u.map((x) => (x < 0.4 ? 1 : 0)));
      }
      const t = torch.zeros([10]);
      expect(t.bernoulli_()).toBe(t); // p = 0.5
      expect(vals(t).every((v) => v === 0 || v === 1)).toBe(true);
      expect(vals(torch.bernoulli(torch.zeros([5]), 1))).toEqual([1, 1, 1, 1, 1]);
      expect(torch.bernoulli(torch.zeros([5], { dtype: "int64" }), 0.5).dtype).toBe("int64");
    });

    it("bernoulli_(tensor p) broadcasts p to self; strided self is drawn in memory order", () => {
      const t = seeded(5, () => torch.zeros([2, 3], { dtype: "int64" }).bernoulli_(torch.tensor([0, 1, 0.5], { dtype: "float64" })));
      const v = vals(t);
      expect([v[0], v[1], v[3], v[4]]).toEqual([0, 1, 0, 1]);
      const base = torch.zeros([4, 6]);
      seeded(6, () => base.t().bernoulli_(0.5));
      const flat = seeded(6, () => torch.zeros([24]).bernoulli_(0.5));
      expect(vals(base)).toEqual(vals(flat));
    });

    it("has a zero gradient through torch.bernoulli(p) (BernoulliBackward0), none with a float p", () => {
      const p = torch.full([4], 0.5, { requiresGrad: true });
      const y = torch.bernoulli(p);
      expect(y.gradFn?.name).toBe("BernoulliBackward0");
      y.sum().backward();
      expect(vals(p.grad!)).toEqual([0, 0, 0, 0]);
      expect(torch.bernoulli(p, 0.3).requiresGrad).toBe(false);
      expect(p.bernoulli().gradFn?.name).toBe("BernoulliBackward0");
    });

    it("reports PyTorch's errors", () => {
      const inRange = /^Expected p_in >= 0 && p_in <= 1 to be true, but got false\./;
      expect(() => torch.bernoulli(torch.tensor([1.5]))).toThrow(inRange);
      expect(() => torch.zeros([3]).bernoulli_(torch.tensor([NaN, 0, 0]))).toThrow(inRange);
      expect(() => torch.zeros([3]).bernoulli_(-0.1)).toThrow(/^bernoulli_ expects p to be in \[0, 1\], but got p=-0.1$/);
      expect(() => torch.bernoulli(torch.zeros([1]), 1.5)).toThrow(/but got p=1.5/);
      expect(() => torch.zeros([3]).bernoulli_(NaN)).toThrow(/but got p=nan/);
      expect(() => torch.bernoulli(torch.tensor([1, 0], { dtype: "int64" }))).toThrow(/"bernoulli_tensor_cpu_p_" not implemented for 'Long'/);
      expect(() => torch.zeros([3], { dtype: "float16" }).bernoulli_(0.5)).toThrow(/"bernoulli_scalar_cpu_" not implemented for 'Half'/);
      expect(() => torch.zeros([3]).bernoulli_(torch.tensor([0.5, 0.2]))).toThrow(/The expanded size of the tensor \(3\) must match the existing size \(2\)/);
    });
  });

  describe("poisson / binomial", () => {
    it("poisson: non-negative integer counts with mean and variance lambda, in rates' dtype", () => {
      for (const lam of [0.5, 3, 10, 45]) {
        const xs = seeded(7, () => vals(torch.poisson(torch.full([20000], lam, { dtype: "float64" }))));
        expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
        expectMean(xs, lam, lam);
        expect(Math.abs(variance(xs) / lam - 1)).toBeLessThan(0.08);
      }
      expect(vals(torch.poisson(torch.zeros([5])))).toEqual([0, 0, 0, 0, 0]);
      // an infinite rate: the x86-64 int64 conversion of an infinite count, INT64_MIN, as PyTorch gives
      expect(vals(torch.poisson(torch.tensor([Infinity], { dtype: "float64" })))).toEqual([-(2 ** 63)]);
      expect(torch.poisson(torch.ones([2, 2], { dtype: "float64" })).dtype).toBe("float64");
      const r = torch.full([3], 2, { requiresGrad: true });
      const y = torch.poisson(r);
      expect(y.gradFn?.name).toBe("PoissonBackward0");
      y.sum().backward();
      expect(vals(r.grad!)).toEqual([0, 0, 0]);
    });

    it("poisson reports PyTorch's errors", () => {
      expect(() => torch.poisson(torch.tensor([1, -1]))).toThrow(/^invalid Poisson rate, expected rate to be non-negative$/);
      expect(() => torch.poisson(torch.tensor([NaN]))).toThrow(/invalid Poisson rate/);
      expect(() => torch.poisson(torch.tensor([1], { dtype: "int64" }))).toThrow(/"poisson_cpu" not implemented for 'Long'/);
    });

    it("binomial: integers in [0, count] with mean count * p (inversion, BTRS, p > 1/2)", () => {
      for (const [n, p] of [[10, 0.2], [100, 0.3], [50, 0.8], [7, 0.9], [1000, 0.5]]) {
        const xs = seeded(8, () => vals(torch.binomial(torch.full([8000], n), torch.full([8000], p))));
        expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
        expectMean(xs, n * p, n * p * (1 - p));
      }
      const edge = torch.binomial(torch.tensor([0, 5, 5, -3, 6]), torch.tensor([0.5, 0, 1, 0.5, 1]));
      expect(vals(edge)).toEqual([0, 0, 5, 0, 6]);
      expect(torch.binomial(torch.tensor([5, 4]), torch.tensor([0.5])).shape).toEqual([2]);
    });

    it("binomial: dtype checks and a derivative that is not implemented", () => {
      expect(() => torch.binomial(torch.tensor([5], { dtype: "int64" }), torch.tensor([0.5]))).toThrow(/^Found dtype Float but expected Long$/);
      const c = torch.tensor([5], { requiresGrad: true });
      const y = torch.binomial(c, torch.tensor([0.5]));
      expect(y.gradFn?.name).toBe("NotImplemented");
      expect(() => y.sum().backward()).toThrow(/the derivative for 'binomial' is not implemented\./);
    });
  });

  describe("random_", () => {
    it("random_(from, to) is `word % (to - from) + from`, as randint, in every dtype", () => {
      const want = seeded(1, () => vals(torch.randint(-5, 300, [60])));
      for (const dtype of ["float32", "float64", "int64", "int32", "int16"] as const) {
        const t = seeded(1, () => torch.empty([60], { dtype }).random_(-5, 300));
        expect(t.dtype).toBe(dtype);
        expect(vals(t)).toEqual(want);
      }
      const u8 = seeded(2, () => vals(torch.empty([500], { dtype: "uint8" }).random_(3, 200)));
      expect(u8.every((x) => x >= 3 && x < 200)).toBe(true);
      expect(vals(seeded(3, () => torch.empty([50]).random_(7)))).toEqual(seeded(3, () => vals(torch.randint(0, 7, [50]))));
      expect(vals(torch.empty([3]).random_({ to: 1 }))).toEqual([0, 0, 0]);
      expect(vals(torch.empty([3]).random_({ from: 4, to: 5 }))).toEqual([4, 4, 4]);
    });

    it("random_() covers [0, max] of integer dtypes, [0, 2^digits] of float ones, {0, 1} of bool", () => {
      const cases: [torch.DType, number][] = [["uint8", 255], ["int8", 127], ["int16", 32767], ["float16", 2048], ["bfloat16", 256]];
      for (const [dtype, hi] of cases) {
        const xs = seeded(4, () => vals(torch.empty([4000], { dtype }).random_().to("float64")));
        expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= hi)).toBe(true);
        expectMean(xs, hi / 2, ((hi + 1) ** 2 - 1) / 12);
      }
      const b = seeded(5, () => vals(torch.empty([2000], { dtype: "bool" }).random_()));
      expectMean(b, 0.5, 0.25);
      const f = seeded(6, () => vals(torch.empty([2000], { dtype: "float64" }).random_()));
      expect(f.every((x) => Number.isInteger(x) && x >= 0 && x <= 2 ** 53)).toBe(true);
      const i32 = seeded(7, () => vals(torch.empty([2000], { dtype: "int32" }).random_(5, null)));
      expect(i32.every((x) => x >= 5 && x <= 2 ** 31 - 1)).toBe(true);
      const wide = seeded(8, () => vals(torch.empty([2000], { dtype: "float64" }).random_(-(2 ** 40), 2 ** 41)));
      expect(wide.every((x) => Number.isInteger(x) && x >= -(2 ** 40) && x < 2 ** 41)).toBe(true);
      expect(Math.max(...wide)).toBeGreaterThan(2 ** 40);
      expect(torch.empty([0]).random_().shape).toEqual([0]);
    });

    it("reports PyTorch's errors", () => {
      expect(() => torch.zeros([3]).random_(5, 2)).toThrow(/^random_ expects 'from' to be less than 'to', but got from=5 >= to=2$/);
      expect(() => torch.zeros([3], { dtype: "uint8" }).random_(-1, 5)).toThrow(/^from is out of bounds for unsigned char$/);
      expect(() => torch.zeros([3], { dtype: "int8" }).random_(0, 1000)).toThrow(/^to - 1 is out of bounds for signed char$/);
      expect(() => torch.zeros([3], { dtype: "float16" }).random_(0, 2 ** 40)).toThrow(/to - 1 is out of bounds for c10::Half/);
      expect(() => torch.zeros([3], { dtype: "bool" }).random_(0, 3)).toThrow(/to - 1 is out of bounds for bool/);
      expect(() => torch.zeros([3], { dtype: "int32" }).random_(-(2 ** 63), null)).toThrow(/handles only int64, double, float and bfloat16/);
      expect(() => torch.zeros([3], { dtype: "float16" }).random_(-(2 ** 63), null)).toThrow(/"random_full_64_bits_range_kernel_cpu" not implemented for 'Half'/);
      expect(() => torch.zeros([3]).random_(0.5)).toThrow(TypeError);
      // torchlet's int64 holds integers exactly only to 2^53 - 1
      expect(() => torch.zeros([3], { dtype: "int64" }).random_()).toThrow(/outside the int64 range torchlet stores exactly/);
    });
  });

  describe("exponential_ / geometric_ / log_normal_ / cauchy_", () => {
    it("exponential_(lambd) is -log(1 - u) / lambd of 53-bit uniforms", () => {
      const got = seeded(1, () => vals(torch.empty([30], { dtype: "float64" }).exponential_(2)));
      const u = seeded(1, () => vals(torch.rand([30], { dtype: "float64" })));
      expect(got).toEqual(u.map((x) => (-1 / 2) * crLog(1 - x))); // libm.ts: correctly rounded, as glibc's log
      const xs = seeded(2, () => vals(torch.empty([20000]).exponential_(1.5)));
      expect(xs.every((x) => x >= 0)).toBe(true);
      expectMean(xs, 1 / 1.5, 1 / 2.25);
      expect(vals(torch.empty([3]).exponential_(0))).toEqual([Infinity, Infinity, Infinity]);
    });

    it("geometric_(p): integers from 1 with mean 1/p, in any dtype but bool", () => {
      const u = seeded(3, () => vals(torch.rand([30], { dtype: "float64" })));
      const got = seeded(3, () => vals(torch.empty([30], { dtype: "int64" }).geometric_(0.3)));
      expect(got).toEqual(u.map((x) => Math.ceil(Math.log(x) / Math.log(0.7))));
      const xs = seeded(4, () => vals(torch.empty([20000]).geometric_(0.25)));
      expect(xs.every((x) => Number.isInteger(x) && x >= 1)).toBe(true);
      expectMean(xs, 4, 0.75 / 0.0625);
    });

    it("log_normal_(mean, std): log of the draws is N(mean, std)", () => {
      const xs = seeded(5, () => vals(torch.empty([20000], { dtype: "float64" }).logNormal_(0.5, 0.8)));
      expect(xs.every((x) => x > 0)).toBe(true);
      const logs = xs.map(Math.log);
      expectMean(logs, 0.5, 0.64);
      expect(Math.abs(variance(logs) / 0.64 - 1)).toBeLessThan(5 * Math.sqrt(2 / logs.length));
      const d = seeded(6, () => vals(torch.empty([10]).logNormal_()));
      expect(d.every((x) => x > 0)).toBe(true); // mean 1, std 2 by default
    });

    it("cauchy_(median, sigma): quartiles at median -/+ sigma", () => {
      const xs = seeded(7, () => vals(torch.empty([20000], { dtype: "float64" }).cauchy_(1, 2))).sort((a, b) => a - b);
      const q = (f: number) => xs[Math.floor(f * xs.length)];
      // the sample p-quantile's standard error is sqrt(p(1-p)/n) / density there: ~0.022 * pi * sigma here
      expect(Math.abs(q(0.5) - 1)).toBeLessThan(0.25);
      expect(Math.abs(q(0.25) - -1)).toBeLessThan(0.3);
      expect(Math.abs(q(0.75) - 3)).toBeLessThan(0.3);
    });

    it("are deterministic per seed, take a generator, and keep the default generator's stream", () => {
      const fills: ((t: torch.Tensor, g?: { generator: torch.Generator }) => torch.Tensor)[] = [
        (t, g) => t.exponential_(1, g),
        (t, g) => t.geometric_(0.5, g),
        (t, g) => t.logNormal_(1, 2, g),
        (t, g) => t.cauchy_(0, 1, g),
        (t, g) => t.random_(0, 100, g),
        (t, g) => t.bernoulli_(0.5, g),
        (t, g) => t.uniform_(-1, 1, g),
      ];
      for (const fill of fills) {
        expect(vals(seeded(3, () => fill(torch.empty([20]))))).toEqual(vals(seeded(3, () => fill(torch.empty([20])))));
        torch.manualSeed(4);
        const a = fill(torch.empty([20]), { generator: new torch.Generator().manualSeed(8) });
        const next = vals(torch.rand([4]));
        expect(next).toEqual(seeded(4, () => vals(torch.rand([4]))));
        const b = fill(torch.empty([20]), { generator: new torch.Generator().manualSeed(8) });
        expect(vals(a)).toEqual(vals(b));
      }
    });

    it("report PyTorch's errors", () => {
      const z = torch.zeros([3]);
      expect(() => z.exponential_(-1)).toThrow(/^exponential_ expects lambda >= 0.0, but found lambda=-1$/);
      expect(() => z.exponential_(NaN)).toThrow(/found lambda=nan/);
      expect(() => z.geometric_(0)).toThrow(/^geometric_ expects p to be in \(0, 1\), but got p=0$/);
      expect(() => z.geometric_(1)).toThrow(/but got p=1/);
      expect(() => z.logNormal_(1, 0)).toThrow(/^log_normal_ expects std > 0.0, but found std=0$/);
      expect(() => z.logNormal_(1, -1e-7)).toThrow(/found std=-1e-07/);
      expect(() => torch.zeros([3], { dtype: "int64" }).exponential_()).toThrow(/"exponential_cpu" not implemented for 'Long'/);
      expect(() => torch.zeros([3], { dtype: "bool" }).geometric_(0.5)).toThrow(/"geometric_cpu" not implemented for 'Bool'/);
      expect(() => torch.zeros([3], { dtype: "int32" }).logNormal_()).toThrow(/"log_normal_cpu" not implemented for 'Int'/);
      expect(() => torch.zeros([3], { dtype: "int64" }).cauchy_()).toThrow(/"cauchy_cpu" not implemented for 'Long'/);
    });

    it("take keyword arguments", () => {
      const g = () => new torch.Generator().manualSeed(2);
      expect(vals(torch.empty([5]).exponential_({ lambd: 3, generator: g() }))).toEqual(vals(torch.empty([5]).exponential_(3, { generator: g() })));
      expect(vals(torch.empty([5]).logNormal_({ std: 0.5, generator: g() }))).toEqual(vals(torch.empty([5]).logNormal_(1, 0.5, g())));
      expect(vals(torch.empty([5]).cauchy_({ sigma: 3, generator: g() }))).toEqual(vals(torch.empty([5]).cauchy_(0, 3, g())));
      expect(vals(torch.empty([5]).geometric_({ p: 0.2, generator: g() }))).toEqual(vals(torch.empty([5]).geometric_(0.2, g())));
      expect(vals(torch.empty([5]).bernoulli_({ p: 0.2, generator: g() }))).toEqual(vals(torch.empty([5]).bernoulli_(0.2, g())));
      expect(vals(torch.bernoulli(torch.zeros([5]), { p: 0.2, generator: g() }))).toEqual(vals(torch.empty([5]).bernoulli_(0.2, g())));
      expect(vals(torch.empty([5]).uniform_({ from: 2, to: 3, generator: g() }))).toEqual(vals(torch.empty([5]).uniform_(2, 3, g())));
      expect(vals(torch.empty([20]).normal_({ std: 3, generator: g() }))).toEqual(vals(torch.empty([20]).normal_(0, 3, { generator: g() })));
      expect(() => torch.zeros([3], { dtype: "int64" }).normal_()).toThrow(/"normal_kernel_cpu" not implemented for 'Long'/);
    });
  });

  describe("randint_like and the generator keyword of rand / randn / randint / randperm", () => {
    it("randint_like: input's shape and dtype (or dtype), integers in [low, high)", () => {
      const x = torch.zeros([3, 4], { dtype: "float64" });
      const a = seeded(1, () => torch.randintLike(x, 10));
      expect(a.shape).toEqual([3, 4]);
      expect(a.dtype).toBe("float64");
      expect(vals(a)).toEqual(seeded(1, () => vals(torch.randint(0, 10, [12]))));
      const b = seeded(2, () => torch.randintLike(x, 3, 6, { dtype: "int64" }));
      expect(b.dtype).toBe("int64");
      expect(vals(b).every((v) => v >= 3 && v < 6)).toBe(true);
      expect(() => torch.randintLike(x, 5, 2)).toThrow(/random_ expects 'from' to be less than 'to', but got from=5 >= to=2/);
      expect(() => torch.randintLike(torch.zeros([2], { dtype: "int8" }), 2, 500)).toThrow(/to - 1 is out of bounds for signed char/);
    });

    it("randint takes ranges of 2^32 and more (a 64-bit word per draw)", () => {
      const xs = seeded(4, () => vals(torch.randint(-(2 ** 45), 2 ** 50, [3000])));
      expect(xs.every((x) => Number.isInteger(x) && x >= -(2 ** 45) && x < 2 ** 50)).toBe(true);
      expectMean(xs, (2 ** 50 - 2 ** 45) / 2, (2 ** 50 + 2 ** 45) ** 2 / 12);
      const w = seeded(5, () => vals(torch.randint(0, 2 ** 33, [4])));
      const want = seeded(5, () => {
        const g = torch.defaultGenerator;
        return Array.from({ length: 4 }, () => (g.nextUint32() & 1) * 2 ** 32 + g.nextUint32()); // the word mod 2^33
      });
      expect(w).toEqual(want);
    });

    it("randint with a dtype is random_ on that dtype: its bounds, its values", () => {
      expect(() => torch.randint(0, 1000, [3], { dtype: "uint8" })).toThrow(/^to - 1 is out of bounds for unsigned char$/);
      const f = seeded(6, () => torch.randint(0, 10, [20], { dtype: "float32" }));
      expect(f.dtype).toBe("float32");
      expect(vals(f)).toEqual(seeded(6, () => vals(torch.randint(0, 10, [20]))));
      expect(() => torch.randint(5, 2, [3], { dtype: "float32" })).toThrow(/random_ expects 'from' to be less than 'to', but got from=5 >= to=2/);
    });

    it("rand / randn / randint / randperm draw from { generator } alone", () => {
      const makers: ((g: torch.Generator) => torch.Tensor)[] = [
        (g) => torch.rand([7], { generator: g }),
        (g) => torch.randn([20], { generator: g }),
        (g) => torch.randint(0, 9, [7], { generator: g }),
        (g) => torch.randperm(9, { generator: g }),
        (g) => torch.rand([7], { generator: g, dtype: "float64" }),
      ];
      for (const make of makers) {
        torch.manualSeed(3);
        const a = vals(make(new torch.Generator().manualSeed(12)));
        expect(vals(torch.rand([3]))).toEqual(seeded(3, () => vals(torch.rand([3]))));
        expect(vals(make(new torch.Generator().manualSeed(12)))).toEqual(a);
      }
    });
  });

  describe("uniform_", () => {
    it("draws in every float dtype: float64 from 53-bit pairs, float16 / bfloat16 from 11 / 8 bits", () => {
      const d = seeded(1, () => vals(torch.empty([30], { dtype: "float64" }).uniform_(-2, 2)));
      const words = seeded(1, () => {
        const g = torch.defaultGenerator;
        return Array.from({ length: 30 }, () => ((g.nextUint32() & 0x1fffff) * 2 ** 32 + g.nextUint32()) / 2 ** 53);
      });
      expect(d).toEqual(words.map((u) => u * 4 - 2)); // u * 4 is exact: one rounding, fused or not
      const h = seeded(2, () => vals(torch.empty([500], { dtype: "float16" }).uniform_(0, 1).to("float64")));
      expect(h.every((x) => x >= 0 && x <= 1 && Number.isInteger(x * 2048))).toBe(true);
      const b = seeded(3, () => vals(torch.rand([500], { dtype: "bfloat16" }).to("float64")));
      expect(b.every((x) => x >= 0 && x <= 1 && Number.isInteger(x * 256))).toBe(true);
      expect(torch.randLike(torch.zeros([2], { dtype: "float64" })).dtype).toBe("float64");
      expect(vals(torch.empty([4], { dtype: "float64" }).uniform_(-1e300, 1e300)).every((x) => Math.abs(x) <= 1e300)).toBe(true);
    });

    it("checks its bounds as PyTorch does", () => {
      expect(() => torch.zeros([3]).uniform_(2, 1)).toThrow(/^uniform_ expects to return a \[from, to\) range, but found from=2 > to=1$/);
      expect(() => torch.zeros([3]).uniform_(0, Infinity)).toThrow(/^to is out of bounds for float$/);
      expect(() => torch.zeros([3], { dtype: "float16" }).uniform_(0, 1e5)).toThrow(/^to is out of bounds for c10::Half$/);
      expect(() => torch.zeros([3]).uniform_(-3e38, 3e38)).toThrow(
        /^uniform_ expects to-from <= std::numeric_limits<Float>::max\(\), but found to=3e\+38 and from=-3e\+38 which result in to-from to exceed the limit$/,
      );
      expect(() => torch.zeros([3], { dtype: "int64" }).uniform_()).toThrow(/"check_uniform_bounds" not implemented for 'Long'/);
      expect(() => torch.zeros([0]).uniform_(5, 1)).toThrow(/found from=5 > to=1/); // empty tensors are checked too
    });
  });
});

// libm.ts against references in 256-bit fixed point (BigInt): Taylor / atanh series summed exactly
// enough that one rounding of the sum (Number(bigint) rounds to nearest) is the correctly rounded value.
describe("libm.ts: correctly rounded log / exp / sin / cos / tan", () => {
  const P = 256n;
  const ONE = 1n << P;
  /** x (a double) as a fixed-point BigInt, exactly (|x| < 4, x a multiple of 2^-200 or so). */
  const fix = (x: number): bigint => {
    let m = x, e = 0;
    while (!Number.isInteger(m)) {
      m *= 2;
      e++;
    }
    return (BigInt(m) << P) / (1n << BigInt(e));
  };
  const toNum = (v: bigint): number => (v < 0n ? -Number(-v) : Number(v)) / 2 ** 256;
  const mul = (a: bigint, b: bigint) => (a * b) / ONE; // truncates toward 0: series terms reach 0n
  /** sum_n x^n / n! over n = start, start + step, ... with alternating signs when alt. */
  function series(x: bigint, start: number, step: number, alt: boolean): bigint {
    let term = ONE;
    for (let n = 1; n <= start; n++) term = mul(term, x) / BigInt(n);
    let sum = 0n, sign = 1n, n = start;
    while (term !== 0n) {
      sum += sign * term;
      for (let k = 0; k < step; k++) {
        n++;
        term = mul(term, x) / BigInt(n);
      }
      if (alt) sign = -sign;
    }
    return sum;
  }
  const expRef = (x: number) => toNum(series(fix(x), 0, 1, false));
  const sinRef = (x: number) => toNum(series(fix(x), 1, 2, true));
  const cosRef = (x: number) => toNum(series(fix(x), 0, 2, true));
  const tanRef = (x: number) => {
    const s = series(fix(x), 1, 2, true), c = series(fix(x), 0, 2, true);
    return toNum((s << P) / c);
  };
  /** log x = 2 atanh((x - 1) / (x + 1)) for x in [0.5, 2]. */
  const logRef = (x: number) => {
    const X = fix(x);
    const f = ((X - ONE) << P) / (X + ONE);
    const f2 = mul(f, f);
    let pow = f, sum = 0n;
    for (let k = 1n; pow !== 0n; k += 2n) {
      sum += pow / k;
      pow = mul(pow, f2);
    }
    return toNum(2n * sum);
  };
  // deterministic doubles with full 53-bit mantissas
  let s = 12345;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const hi = s >>> 5;
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (hi * 2 ** 26 + (s >>> 6)) / 2 ** 53;
  };
  const check = (f: (x: number) => number, ref: (x: number) => number, lo: number, hi: number) => {
    for (let i = 0; i < 400; i++) {
      const x = lo + next() * (hi - lo);
      expect(f(x), String(x)).toBe(ref(x));
    }
  };
  it("exp on [-1, 1]", () => check(crExp, expRef, -1, 1));
  it("log on [0.5, 2]", () => check(crLog, logRef, 0.5, 2));
  it("sin / cos on [-1, 2 pi], tan on [-1.5, 1.5] (the kernels take 2 pi u and pi (u - 1/2))", () => {
    check(crSin, sinRef, -1, 2 * Math.PI);
    check(crCos, cosRef, -1, 2 * Math.PI);
    check(crTan, tanRef, -1.5, 1.5);
  });
  it("keeps the special values", () => {
    expect(crLog(1)).toBe(0);
    expect(crLog(0)).toBe(-Infinity);
    expect(crLog(-1)).toBeNaN();
    expect(crExp(0)).toBe(1);
    expect(crExp(-1000)).toBe(0);
    expect(crExp(1000)).toBe(Infinity);
    expect(Object.is(crSin(-0), -0)).toBe(true);
    expect(crCos(0)).toBe(1);
  });
});
