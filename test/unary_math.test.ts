// The elementwise math functions added after sin/erf/log1p: tan ... erfinv (kernels in both
// backends), their aliases, and the compositions (frac, sgn, deg2rad, logit, xlogy, ...). Each
// kernel against a double reference (Math.*, computed here) within 2 float32 ulp, on sizes that hit
// every vector tail, non-contiguous views, special values (0, -0, +-inf, NaN, domain ends), float64,
// in place and out=; gradients by gradcheck in float64; grad_fn names and errors as PyTorch's.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { gradcheck } from "../lib/autograd/gradcheck.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

type Ref = (x: number) => number;
/** Each kernel: its double reference (null: checked otherwise, below) and a generator of in-domain values. */
const UNARY: Record<string, { ref: Ref | null; lo: number; hi: number; edges: number[] }> = {
  tan: { ref: Math.tan, lo: -1.5, hi: 1.5, edges: [1.5707963705062866, -1.5707963705062866, 100] },
  asin: { ref: Math.asin, lo: -1, hi: 1, edges: [1, -1, 2, -1.0000001] },
  acos: { ref: Math.acos, lo: -1, hi: 1, edges: [1, -1, 2] },
  atan: { ref: Math.atan, lo: -20, hi: 20, edges: [1e30] },
  sinh: { ref: Math.sinh, lo: -10, hi: 10, edges: [1e-6, -3e-7, 1e-30, 89, 90, -90] },
  cosh: { ref: Math.cosh, lo: -10, hi: 10, edges: [89, 90, -90] },
  asinh: { ref: Math.asinh, lo: -50, hi: 50, edges: [1e-6, 1e30, -1e30] },
  acosh: { ref: Math.acosh, lo: 1, hi: 50, edges: [1, 0.999, 1e30] },
  atanh: { ref: Math.atanh, lo: -1, hi: 1, edges: [1, -1, 1.5, 1e-6, 0.9999999] },
  expm1: { ref: Math.expm1, lo: -10, hi: 10, edges: [1e-7, -1e-7, 1e-30, 88, 89, -100] },
  exp2: { ref: (x) => 2 ** x, lo: -30, hi: 30, edges: [127, 128, -149, -150, 0.5] },
  log2: { ref: Math.log2, lo: 0, hi: 1000, edges: [1, 2, 1024, 1e-45, -1, 3e38] },
  log10: { ref: Math.log10, lo: 0, hi: 1000, edges: [1, 10, 1000, 1e-45, -1, 3e38] },
  erfc: { ref: null, lo: -4, hi: 10, edges: [0.5, -0.5, 9.5, 10.5, -10, 27] },
  erfinv: { ref: null, lo: -1, hi: 1, edges: [1, -1, 2, 0.5, 0.9999999, -0.9999999, 1e-30, 5e-8] },
};
const SPECIALS = [0, -0, Infinity, -Infinity, NaN];
const SIZES = [1, 7, 17, 1003];

/** float32 ulp of v (the spacing at |v|). */
function ulp32(v: number): number {
  const a = Math.abs(v);
  if (!Number.isFinite(a)) return 0;
  return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}
function ulp64(v: number): number {
  const a = Math.abs(v);
  if (!Number.isFinite(a)) return 0;
  return a < 2 ** -1022 ? 2 ** -1074 : 2 ** (Math.floor(Math.log2(a)) - 52);
}

/** got vs want: the same special value (NaN, +-inf, +-0 with its sign), or within `ulps` ulp. */
function expectNear(what: string, got: number[], want: number[], ulps: number, ulp = ulp32): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Object.is(g, w) || (g !== g && w !== w)) continue;
    const ok = w !== 0 && Number.isFinite(w) && Math.abs(g - w) <= ulps * Math.max(ulp(w), ulp(g));
    if (!ok) expect.fail(`${what} at ${i}: got ${g}, want ${w}`);
  }
}

/** Seeded uniform values in [lo, hi), with edges and specials mixed in. */
function inputs(n: number, lo: number, hi: number, edges: number[], seed: number): number[] {
  let s = seed >>> 0;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const extra = [...SPECIALS, ...edges];
  return Array.from({ length: n }, (_, i) => (i < extra.length && n > 20 ? extra[i] : lo + (hi - lo) * r()));
}

const call = (x: Tensor, op: string): Tensor => (x as unknown as Record<string, () => Tensor>)[op]();

describe.each(backends())("elementwise math [%s]", (name) => {
  useBackend(name);

  describe("unary kernels against a double reference", () => {
    for (const [op, c] of Object.entries(UNARY)) {
      it(`${op}: float32 within 2 ulp at sizes ${SIZES.join("/")}, specials, a transposed view`, () => {
        for (const n of SIZES) {
          const xs = inputs(n, c.lo, c.hi, c.edges, n + op.length).map(Math.fround);
          const y = call(torch.tensor(xs), op);
          expect(y.dtype).toBe("float32");
          if (c.ref) expectNear(`${op} n=${n}`, vals(y), xs.map((x) => Math.fround(c.ref!(x))), 2);
        }
        const specials = call(torch.tensor([...SPECIALS, ...c.edges]), op);
        if (c.ref) expectNear(`${op} specials`, vals(specials), [...SPECIALS, ...c.edges].map((x) => Math.fround(c.ref!(Math.fround(x)))), 2);
        // a non-contiguous view (the transpose of a 37 x 29 block) equals the contiguous result
        const base = torch.tensor(inputs(37 * 29, c.lo, c.hi, [], 7)).reshape([37, 29]);
        expect(vals(call(base.t(), op))).toEqual(vals(call(base.t().contiguous(), op)));
      });

      it(`${op}: float64 within 4 ulp of the reference; int64 computes in float32`, () => {
        const xs = inputs(200, c.lo, c.hi, c.edges, 3);
        const y = call(torch.tensor(xs, { dtype: "float64" }), op);
        expect(y.dtype).toBe("float64");
        if (c.ref) expectNear(`${op} f64`, vals(y), xs.map(c.ref), 4, ulp64);
        const ints = torch.tensor([1, 2, -3], { dtype: "int64" });
        const yi = call(ints, op);
        expect(yi.dtype).toBe("float32");
        expect(vals(yi)).toEqual(vals(call(torch.tensor([1, 2, -3]), op)));
      });

      it(`${op}: in place and out= give the same values; in place on int64 refused as PyTorch`, () => {
        const xs = inputs(17, c.lo, c.hi, c.edges, 5);
        const want = vals(call(torch.tensor(xs), op));
        const t = torch.tensor(xs);
        expect(call(t, `${op}_`)).toBe(t);
        expect(vals(t)).toEqual(want);
        const out = torch.empty([17]);
        const fn = (torch as unknown as Record<string, (x: Tensor, o: { out: Tensor }) => Tensor>)[op];
        expect(fn(torch.tensor(xs), { out })).toBe(out);
        expect(vals(out)).toEqual(want);
        expect(() => call(torch.tensor([1, 2], { dtype: "int64" }), `${op}_`)).toThrow("result type Float can't be cast to the desired output type Long");
      });
    }

    // NOTE: glibc's erfcf (the native float32 path, as PyTorch's) is within 2 ulp, not 1, in the tail
    it("erfc: 1 - erf near 0, float32 = the float64 result rounded (within 2 ulp), tiny tails keep relative accuracy", () => {
      const xs = inputs(1003, -4, 10, UNARY.erfc.edges, 11).map(Math.fround);
      const f32 = vals(torch.erfc(torch.tensor(xs)));
      const f64 = vals(torch.erfc(torch.tensor(xs, { dtype: "float64" })));
      expectNear("erfc f32 vs f64", f32, f64.map(Math.fround), 2);
      const small = [0.1, -0.3, 0.45, 0];
      const e = vals(torch.erf(torch.tensor(small, { dtype: "float64" })));
      expectNear("erfc = 1 - erf", vals(torch.erfc(torch.tensor(small, { dtype: "float64" }))), e.map((v) => 1 - v), 8, ulp64);
      // erfc(x) ~ e^-x^2 / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4)) for large x: relative, not absolute
      const x = 9, approx = (Math.exp(-x * x) / (x * Math.sqrt(Math.PI))) * (1 - 1 / (2 * x * x) + 3 / (4 * x ** 4) - 15 / (8 * x ** 6));
      expect(Math.abs(vals(torch.erfc(torch.tensor([x], { dtype: "float64" })))[0] / approx - 1)).toBeLessThan(1e-5);
      expect(vals(torch.erfc(torch.tensor([-Infinity, Infinity, NaN, 30])))).toEqual([2, 0, NaN, 0]);
    });

    it("erfinv: erf(erfinv(y)) = y in float64, float32 = the float64 result rounded, +-1 -> +-inf, |y| > 1 -> NaN, -0 kept", () => {
      const ys = inputs(1003, -1, 1, UNARY.erfinv.edges, 13);
      const x64 = torch.erfinv(torch.tensor(ys, { dtype: "float64" }));
      const inner = ys.map((y, i) => (Math.abs(y) <= 0.9 ? i : -1)).filter((i) => i >= 0);
      const back = vals(torch.erf(x64));
      for (const i of inner) expect(Math.abs(back[i] - ys[i]), `y=${ys[i]}`).toBeLessThan(1e-14);
      const yf = ys.map(Math.fround);
      expectNear("erfinv f32 vs f64", vals(torch.erfinv(torch.tensor(yf))), vals(torch.erfinv(torch.tensor(yf, { dtype: "float64" }))).map(Math.fround), 1);
      const got = vals(torch.erfinv(torch.tensor([1, -1, 0, -0, 2, -1.5, NaN])));
      expect(got.map((v) => (Object.is(v, -0) ? "-0" : v))).toEqual([Infinity, -Infinity, 0, "-0", NaN, NaN, NaN]);
      // near 1 the tail is solved on erfc: 1 - 2^-24 still gives a finite, increasing value
      const tail = vals(torch.erfinv(torch.tensor([0.99999, 1 - 2 ** -24], { dtype: "float64" })));
      expect(tail[1]).toBeGreaterThan(tail[0]);
      expect(Number.isFinite(tail[1])).toBe(true);
    });

    it("sinh, expm1 and log2 of tiny values keep their digits (no cancellation)", () => {
      const tiny = [1e-6, -2e-7, 3e-10, 1e-20].map(Math.fround);
      expectNear("sinh", vals(torch.sinh(torch.tensor(tiny))), tiny.map((x) => Math.fround(Math.sinh(x))), 1);
      expectNear("expm1", vals(torch.expm1(torch.tensor(tiny))), tiny.map((x) => Math.fround(Math.expm1(x))), 1);
      expectNear("asinh", vals(torch.asinh(torch.tensor(tiny))), tiny.map((x) => Math.fround(Math.asinh(x))), 1);
      expect(vals(torch.log2(torch.tensor([0, -0, 8, 0.125])))).toEqual([-Infinity, -Infinity, 3, -3]);
      expect(vals(torch.log10(torch.tensor([1000, 1e-3]))).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([3, -3]);
    });
  });

  describe("aliases and compositions", () => {
    const x = () => torch.tensor([-2.5, -0.3, 0, 0.4, 1.7, 3]);
    it("arc* / absolute / negative / fix are their ops", () => {
      const u = torch.tensor([-0.9, -0.2, 0, 0.5]);
      for (const [a, b] of [["arcsin", "asin"], ["arccos", "acos"], ["arctan", "atan"], ["arcsinh", "asinh"], ["arctanh", "atanh"]]) {
        expect(vals(call(u, a))).toEqual(vals(call(u, b)));
        expect(vals((torch as unknown as Record<string, (t: Tensor) => Tensor>)[a](u))).toEqual(vals(call(u, b)));
      }
      expect(vals(torch.tensor([1, 2, 5]).arccosh())).toEqual(vals(torch.tensor([1, 2, 5]).acosh()));
      expect(vals(x().absolute())).toEqual(vals(x().abs()));
      expect(vals(x().negative())).toEqual(vals(x().neg()));
      expect(vals(x().fix())).toEqual(vals(x().trunc()));
      expect(vals(torch.fix(x()))).toEqual(vals(x().trunc()));
      const t = x();
      t.fix_();
      expect(vals(t)).toEqual(vals(x().trunc()));
    });

    it("frac = x - trunc(x) (exact), keeps the sign, inf -> NaN; refused on integers", () => {
      const xs = [-2.5, -0.3, 0, 1.75, 3, Infinity, NaN, 1e10 + 0.5];
      expect(vals(torch.tensor(xs, { dtype: "float64" }).frac())).toEqual(xs.map((v) => v - Math.trunc(v)));
      expect(() => torch.tensor([1], { dtype: "int64" }).frac()).toThrow(`"frac_cpu" not implemented for 'Long'`);
      const t = torch.tensor([1.25, -3.5]);
      t.frac_();
      expect(vals(t)).toEqual([0.25, -0.5]);
    });

    it("sgn = sign for real tensors; deg2rad / rad2deg multiply by the constants rounded to float32", () => {
      expect(vals(torch.sgn(torch.tensor([-3, 0, -0, 2, NaN])))).toEqual([-1, 0, 0, 1, 0]);
      const d = [0, 90, -180, 45.5];
      expect(vals(torch.deg2rad(torch.tensor(d)))).toEqual(d.map((v) => Math.fround(v * Math.fround(Math.PI / 180))));
      expect(vals(torch.rad2deg(torch.tensor([Math.PI], { dtype: "float64" })))).toEqual([Math.PI * (180 / Math.PI)]);
      expect(torch.deg2rad(torch.tensor([90], { dtype: "int64" })).dtype).toBe("float32");
    });

    it("logit: log(x / (1 - x)), eps clamps to [eps, 1 - eps]", () => {
      const p = [0, 0.25, 0.5, 1, 2];
      expect(vals(torch.logit(torch.tensor(p, { dtype: "float64" })))).toEqual(p.map((v) => Math.log(v / (1 - v))));
      expect(vals(torch.logit(torch.tensor([0, 1, 0.5], { dtype: "float64" }), 0.1))).toEqual([Math.log(0.1 / 0.9), Math.log(0.9 / (1 - 0.9)), 0]);
    });

    it("lerp: scalar and tensor weights, weight 1 gives end exactly; addcmul / addcdiv with value", () => {
      const s = torch.tensor([0, 1, -2, 10]), e = torch.tensor([1, 3, 2, 10.3]);
      expect(vals(s.lerp(e, 1))).toEqual(vals(e));
      expect(vals(s.lerp(e, 0))).toEqual(vals(s));
      expect(vals(torch.lerp(s, e, 0.25))).toEqual([0.25, 1.5, -1, Math.fround(10 + 0.25 * Math.fround(Math.fround(10.3) - 10))]);
      const w = torch.tensor([0, 0.5, 1, 0.25]);
      expect(vals(s.lerp(e, w))).toEqual([0, 2, 2, vals(torch.lerp(s, e, 0.25))[3]]);
      expect(() => torch.lerp(torch.tensor([1], { dtype: "int64" }), torch.tensor([2], { dtype: "int64" }), 0.5)).toThrow(`"lerp_kernel_scalar" not implemented for 'Long'`);
      const a = torch.tensor([1, 2]), b = torch.tensor([3, 4]), c = torch.tensor([2, 8]);
      expect(vals(torch.addcmul(a, b, c, { value: 0.5 }))).toEqual([4, 18]);
      expect(vals(torch.addcdiv(a, b, c, { value: 2 }))).toEqual([4, 3]);
      expect(vals(torch.addcmul(a, b, c))).toEqual([7, 34]);
      const ai = torch.tensor([1, 2], { dtype: "int64" });
      expect(() => torch.addcdiv(ai, ai, ai)).toThrow("Integer division with addcdiv is no longer supported");
      const t = a.clone();
      t.addcmul_(b, c, { value: 2 });
      expect(vals(t)).toEqual([13, 66]);
      const out = torch.empty([2]);
      torch.addcdiv(a, b, c, { value: 1, out });
      expect(vals(out)).toEqual([2.5, 2.5]);
    });

    it("clampMin / clampMax, scalar and tensor bounds, in place", () => {
      const t = torch.tensor([-1, 0.5, 2, NaN]);
      expect(vals(t.clampMin(0))).toEqual([0, 0.5, 2, NaN]);
      expect(vals(t.clampMax(1))).toEqual([-1, 0.5, 1, NaN]);
      expect(vals(torch.clampMin(t, torch.tensor([0, 1, 1, 0])))).toEqual([0, 1, 2, NaN]);
      const u = t.clone();
      u.clampMax_(0);
      expect(vals(u)).toEqual([-1, 0, 0, NaN]);
    });

    it("nanToNum with PyTorch's keywords, in place and out=", () => {
      const t = torch.tensor([NaN, Infinity, -Infinity, 1]);
      expect(vals(torch.nanToNum(t, { nan: 5, posinf: 7, neginf: -7 }))).toEqual([5, 7, -7, 1]);
      const out = torch.empty([4]);
      torch.nanToNum(t, { nan: 1, out });
      expect(vals(out)).toEqual([1, 3.4028234663852886e38, -3.4028234663852886e38, 1]);
      const u = t.clone();
      u.nanToNum_({ posinf: 2 });
      expect(vals(u)).toEqual([0, 2, -3.4028234663852886e38, 1]);
    });

    it("floatPower computes in float64; its in-place form needs a float64 base", () => {
      const r = torch.floatPower(torch.tensor([2, 3], { dtype: "int64" }), 2);
      expect(r.dtype).toBe("float64");
      expect(vals(r)).toEqual([4, 9]);
      expect(() => torch.tensor([2]).floatPower_(2)).toThrow("the base given to float_power_ has dtype Float but the operation's result requires dtype Double");
    });
  });

  describe("binary kernels", () => {
    const A = [0, -0, 1.5, -2.25, 7, -1e-20, Infinity, -Infinity, NaN, 3e38, 0.5];
    const B = [-0, 0, 2, 0.5, -3, 1e-20, Infinity, 2, 1, -3e38, -Infinity];
    const refs: Record<string, (a: number, b: number) => number> = {
      atan2: Math.atan2,
      hypot: Math.hypot,
      fmod: (a, b) => a % b,
      copysign: (a, b) => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a)),
      logaddexp: (a, b) => (a === b && !Number.isFinite(a) ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)))),
      logaddexp2: (a, b) => (a === b && !Number.isFinite(a) ? a : Math.max(a, b) + Math.log2(1 + 2 ** -Math.abs(a - b))),
    };
    for (const [op, ref] of Object.entries(refs)) {
      it(`${op}: float32 and float64 against the double reference, broadcasting, out=`, () => {
        const a = A.map(Math.fround), b = B.map(Math.fround);
        const fn = (torch as unknown as Record<string, (x: Tensor, y: Tensor, o?: { out: Tensor }) => Tensor>)[op];
        expectNear(`${op} f32`, vals(fn(torch.tensor(a), torch.tensor(b))), a.map((v, i) => Math.fround(ref(v, b[i]))), 2);
        expectNear(`${op} f64`, vals(fn(torch.tensor(A, { dtype: "float64" }), torch.tensor(B, { dtype: "float64" }))), A.map((v, i) => ref(v, B[i])), 2, ulp64);
        // [3, 1] with [1, 1003]: every tail, a stride-0 operand on each side
        const xs = inputs(3, -5, 5, [], 1), ys = inputs(1003, -5, 5, [], 2).map((v) => (v === 0 ? 1 : v));
        const r = fn(torch.tensor(xs).reshape([3, 1]), torch.tensor(ys).reshape([1, 1003]));
        expect(r.shape).toEqual([3, 1003]);
        const want = xs.flatMap((x) => ys.map((y) => Math.fround(ref(Math.fround(x), Math.fround(y)))));
        expectNear(`${op} broadcast`, vals(r), want, 2);
        const out = torch.empty([11]);
        expect(fn(torch.tensor(a), torch.tensor(b), { out })).toBe(out);
        expectNear(`${op} out=`, vals(out), a.map((v, i) => Math.fround(ref(v, b[i]))), 2);
        // float32 with float64 promotes
        expect(fn(torch.tensor([1]), torch.tensor([2], { dtype: "float64" })).dtype).toBe("float64");
      });
    }

    it("fmod is C's (sign of the dividend), unlike remainder; integers stay integers, / 0 refused", () => {
      expect(vals(torch.fmod(torch.tensor([-3, 3, -4, 5.5]), 2))).toEqual([-1, 1, -0, 1.5]);
      expect(vals(torch.remainder(torch.tensor([-3]), 2))).toEqual([1]);
      const i = torch.tensor([-7, 7, -4], { dtype: "int64" });
      const r = torch.fmod(i, 3);
      expect(r.dtype).toBe("int64");
      expect(vals(r).map((v) => Object.is(v, -0))).toEqual([false, false, false]);
      expect(vals(r)).toEqual([-1, 1, -1]);
      expect(vals(torch.fmod(torch.tensor([-4], { dtype: "int64" }), 2)).map((v) => Object.is(v, -0))).toEqual([false]);
      expect(() => torch.fmod(i, 0)).toThrow("ZeroDivisionError");
      expect(() => torch.fmod(i, torch.tensor([1, 0, 2], { dtype: "int64" }))).toThrow("ZeroDivisionError");
      const t = torch.tensor([5.5, -5.5]);
      t.fmod_(2);
      expect(vals(t)).toEqual([1.5, -1.5]);
    });

    it("atan2 and copysign promote integers to float32; hypot / logaddexp refuse them; xlogy", () => {
      const i = torch.tensor([1, -1], { dtype: "int64" });
      expect(torch.atan2(i, i).dtype).toBe("float32");
      expect(torch.arctan2(i, i).dtype).toBe("float32");
      expect(vals(i.copysign(-1))).toEqual([-1, -1]);
      expect(() => torch.hypot(i, i)).toThrow(`"hypot_cpu" not implemented for 'Long'`);
      expect(() => torch.logaddexp(i, i)).toThrow(`"logaddexp_cpu" not implemented for 'Long'`);
      expect(() => torch.atan2(torch.tensor([1]), 2 as unknown as Tensor)).toThrow("atan2(): argument 'other' (position 2) must be Tensor, not number");
      expect(() => i.clone().atan2_(i)).toThrow("result type Float can't be cast to the desired output type Long");
      expect(vals(torch.xlogy(torch.tensor([0, 0, 2, 3]), torch.tensor([0, NaN, 3, 0])))).toEqual([0, NaN, Math.fround(2 * Math.log(3)), -Infinity]);
      expect(vals(torch.xlogy(2, torch.tensor([1, Math.E], { dtype: "float64" })))).toEqual([0, 2]);
      expect(torch.xlogy(torch.tensor([1, 2], { dtype: "int64" }), 3).dtype).toBe("float32");
    });
  });

  describe("autograd", () => {
    const d = (xs: number[]) => torch.tensor(xs, { dtype: "float64" }).requiresGrad_(true);
    const unit = () => d([0.3, -0.55, 0.7, 0.05]);
    const cases: Record<string, [(...x: Tensor[]) => Tensor, () => Tensor[], string]> = {
      tan: [(x) => x.tan(), () => [unit()], "TanBackward0"],
      asin: [(x) => x.asin(), () => [unit()], "AsinBackward0"],
      acos: [(x) => x.acos(), () => [unit()], "AcosBackward0"],
      atan: [(x) => x.atan(), () => [d([-3, 0.2, 1.1])], "AtanBackward0"],
      sinh: [(x) => x.sinh(), () => [d([-3, 0.2, 1.1])], "SinhBackward0"],
      cosh: [(x) => x.cosh(), () => [d([-3, 0.2, 1.1])], "CoshBackward0"],
      asinh: [(x) => x.asinh(), () => [d([-3, 0.2, 1.1])], "AsinhBackward0"],
      acosh: [(x) => x.acosh(), () => [d([1.2, 2, 7])], "AcoshBackward0"],
      atanh: [(x) => x.atanh(), () => [unit()], "AtanhBackward0"],
      expm1: [(x) => x.expm1(), () => [d([-3, 0.2, 1.1])], "Expm1Backward0"],
      exp2: [(x) => x.exp2(), () => [d([-3, 0.2, 1.1])], "Exp2Backward0"],
      log2: [(x) => x.log2(), () => [d([0.3, 2, 9])], "Log2Backward0"],
      log10: [(x) => x.log10(), () => [d([0.3, 2, 9])], "Log10Backward0"],
      erfc: [(x) => x.erfc(), () => [d([-1.5, 0.2, 2.1])], "ErfcBackward0"],
      erfinv: [(x) => x.erfinv(), () => [d([-0.95, 0.2, 0.7])], "ErfinvBackward0"],
      frac: [(x) => x.frac(), () => [d([-1.3, 0.2, 2.6])], "FracBackward0"],
      sgn: [(x) => x.sgn(), () => [d([-1.3, 0.2])], "SgnBackward0"],
      deg2rad: [(x) => x.deg2rad(), () => [d([-1.3, 0.2])], "Deg2RadBackward0"],
      rad2deg: [(x) => x.rad2deg(), () => [d([-1.3, 0.2])], "Rad2DegBackward0"],
      logit: [(x) => x.logit(), () => [unit().abs()], "LogitBackward0"],
      logitEps: [(x) => x.logit(0.1), () => [d([0.05, 0.5, 0.97])], "LogitBackward0"],
      xlogy: [(x, y) => x.xlogy(y), () => [d([0.5, 2, -1]), d([0.3, 2, 4])], "XlogyBackward0"],
      xlogyScalar: [(x) => torch.xlogy(x, 3), () => [d([0.5, 2])], "XlogyBackward2"],
      atan2: [(a, b) => a.atan2(b), () => [d([0.5, -2, 1]), d([-0.3, 2, 4])], "Atan2Backward0"],
      hypot: [(a, b) => a.hypot(b), () => [d([0.5, -2, 1]), d([-0.3, 2, 4])], "HypotBackward0"],
      logaddexp: [(a, b) => a.logaddexp(b), () => [d([0.5, -2, 1]), d([-0.3, 2, 4])], "LogaddexpBackward0"],
      logaddexp2: [(a, b) => a.logaddexp2(b), () => [d([0.5, -2, 1]), d([-0.3, 2, 4])], "Logaddexp2Backward0"],
      copysign: [(a, b) => a.copysign(b), () => [d([0.5, -2, 1]), d([-0.3, 2, 4])], "CopysignBackward0"],
      copysignScalar: [(a) => a.copysign(-1), () => [d([0.5, -2])], "CopysignBackward1"],
      fmod: [(a, b) => a.fmod(b), () => [d([2.3, -1.7, 5.2]), d([0.9, 1.1, -1.6])], "FmodBackward1"],
      fmodScalar: [(a) => a.fmod(1.5), () => [d([2.3, -1.7])], "FmodBackward0"],
      // broadcasting: the gradient of the [3, 1] side is summed over the other's columns
      atan2Broadcast: [(a, b) => a.atan2(b), () => [d([0.5, -2, 1]).reshape([3, 1]), d([-0.3, 2])], "Atan2Backward0"],
      lerp: [(a, b) => a.lerp(b, 0.3), () => [d([0.5, -2]), d([1, 4])], "LerpBackward0"],
      lerpTensor: [(a, b, w) => a.lerp(b, w), () => [d([0.5, -2]), d([1, 4]), d([0.2, 0.8])], "LerpBackward1"],
      addcmul: [(a, b, c) => a.addcmul(b, c, { value: 0.5 }), () => [d([0.5, -2]), d([1, 4]), d([0.2, 0.8])], "AddcmulBackward0"],
      addcdiv: [(a, b, c) => a.addcdiv(b, c, { value: 0.5 }), () => [d([0.5, -2]), d([1, 4]), d([0.2, 0.8])], "AddcdivBackward0"],
      clampMin: [(a) => a.clampMin(0), () => [d([0.5, -2])], "ClampMinBackward0"],
      clampMaxTensor: [(a, b) => a.clampMax(b), () => [d([0.5, -2]), d([0, 1])], "ClampMaxBackward1"],
      floatPower: [(a) => a.floatPower(3), () => [d([0.5, -2])], "PowBackward0"],
    };
    for (const [what, [fn, make, gradFn]] of Object.entries(cases)) {
      it(`${what}: gradcheck in float64, grad_fn ${gradFn}`, () => {
        const xs = make();
        expect(fn(...xs).gradFn?.name).toBe(gradFn);
        expect(gradcheck(fn, xs)).toBe(true);
      });
    }
  });
});

// The two backends compute these kernels independently (glibc's float functions vs V8's double
// ones rounded; erfc: glibc vs our continued fraction): on every ISA the addon has, they agree.
describe("native and JS agree on the new kernels on every ISA", () => {
  const names = backends();
  it.runIf(names.includes("native"))("unary and binary kernels, float32 and float64, 1003 elements", async () => {
    const { setIsa } = await import("../lib/backend/native.js");
    const { nativeUnderTest } = await import("./helpers/native.js");
    const { isas, info } = nativeUnderTest();
    const run = (b: "js" | "native", f: () => Tensor) => {
      torch.setBackend(b);
      return vals(f());
    };
    const prev = torch.backendInfo().name;
    try {
      for (const isa of isas) {
        setIsa(isa);
        for (const [op, c] of Object.entries(UNARY)) {
          for (const dtype of ["float32", "float64"] as const) {
            const xs = inputs(1003, c.lo, c.hi, c.edges, 21);
            const f = () => call(torch.tensor(xs, { dtype }), op);
            const [n, j] = [run("native", f), run("js", f)];
            expectNear(`${op} ${dtype} ${isa}`, n, j, dtype === "float32" ? 2 : op === "erfc" || op === "erfinv" ? 64 : 2, dtype === "float32" ? ulp32 : ulp64);
          }
        }
        for (const op of ["atan2", "hypot", "fmod", "copysign", "logaddexp", "logaddexp2"]) {
          const xs = inputs(1003, -50, 50, [], 31), ys = inputs(1003, -50, 50, [], 32);
          const fn = (torch as unknown as Record<string, (x: Tensor, y: Tensor) => Tensor>)[op];
          const f = () => fn(torch.tensor(xs), torch.tensor(ys));
          expectNear(`${op} ${isa}`, run("native", f), run("js", f), 2);
        }
      }
      setIsa(info.isa);
    } finally {
      torch.setBackend(prev);
    }
  });
});
