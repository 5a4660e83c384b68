// The float emulation behind torch.randn / normal_ (PyTorch 1.13's normal_fill_AVX2: Cephes log256_ps
// and sincos256_ps in float32 with the FMAs GCC fuses) and linspace's SIMD runs, checked against
// properties that need no PyTorch: accuracy against Math.*, exact rounding of fmaf, the kernel's
// block structure, determinism and the statistics of the draws. The bit-for-bit comparison with
// PyTorch itself is scripts/check_rng_torch.py (a dev tool, not run here).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { fma64, fmaf, Generator, log256, normalBlock32, sincos256 } from "../lib/ops/random.js";

const fr = Math.fround;

/** The spacing of float32 values at |v|. */
function ulp32(v: number): number {
  const a = Math.max(Math.abs(v), 1.1754943508222875e-38);
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** a*b + c rounded once to float32 (round half even), exactly, with BigInt; a, b, c normal floats. */
function exactFmaf(a: number, b: number, c: number): number {
  const K = 150n;
  const big = (v: number, k: bigint) => BigInt(v * 2 ** Number(k)); // exact: v's last bit is >= 2^-149
  let x = big(a, K) * big(b, K) + big(c, 2n * K); // (a*b + c) * 2^300
  if (x === 0n) return 0;
  const neg = x < 0n;
  if (neg) x = -x;
  const bits = x.toString(2).length;
  const drop = BigInt(Math.max(bits - 24, 0));
  let m = x >> drop;
  const rest = x - (m << drop);
  const half = drop > 0n ? 1n << (drop - 1n) : 0n;
  if (drop > 0n && (rest > half || (rest === half && (m & 1n) === 1n))) m += 1n;
  const v = Number(m) * 2 ** (Number(drop) - 300);
  return neg ? -v : v;
}

/** Deterministic pseudo-random floats in [0, 1) from a Generator. */
function uniforms(n: number, seed: number): Float32Array {
  const g = new Generator(seed);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = g.nextFloat24();
  return d;
}

describe("float32 emulation of avx_mathfun", () => {
  it("log256 is within 2 float ulps of Math.log on (0, 1] and beyond", () => {
    const u = uniforms(20000, 1);
    for (let i = 0; i < u.length; i++) {
      for (const x of [fr(1 - u[i]), fr((1 - u[i]) * 1e-30), fr(1 + u[i] * 1000)]) {
        const y = log256(x);
        expect(Math.abs(y - Math.log(x)) <= 2 * ulp32(Math.log(x)) || Math.abs(y - Math.log(x)) < 1e-7).toBe(true);
        expect(fr(y)).toBe(y);
      }
    }
    expect(log256(1)).toBe(0);
    expect(log256(0)).toBeNaN();
    expect(log256(-1)).toBeNaN();
  });

  it("sincos256 is within 2^-23 of Math.sin / Math.cos on [-2pi, 2pi], and gives float32 values", () => {
    const u = uniforms(20000, 2);
    const out = new Float64Array(2);
    for (let i = 0; i < u.length; i++) {
      const x = fr(fr(2 * Math.PI) * (2 * u[i] - 1));
      sincos256(x, out);
      expect(Math.abs(out[0] - Math.sin(x))).toBeLessThanOrEqual(2 ** -23);
      expect(Math.abs(out[1] - Math.cos(x))).toBeLessThanOrEqual(2 ** -23);
      expect(fr(out[0])).toBe(out[0]);
      expect(fr(out[1])).toBe(out[1]);
    }
    sincos256(0, out);
    expect([out[0], out[1]]).toEqual([0, 1]);
  });
});

describe("fmaf / fma64", () => {
  it("round a*b + c once, also where rounding the double sum again would be wrong", () => {
    // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 (a float midpoint) plus 2^-60: once-rounded it goes up.
    const a = 1 + 2 ** -12;
    expect(fr(a * a + 2 ** -60)).toBe(1 + 2 ** -11); // the double rounding's wrong answer
    expect(fmaf(a, a, 2 ** -60)).toBe(1 + 2 ** -11 + 2 ** -23);
    expect(fmaf(a, a, -(2 ** -60))).toBe(1 + 2 ** -11);
    expect(fmaf(a, -a, 2 ** -60)).toBe(-(1 + 2 ** -11));
  });

  it("agrees with an exact BigInt fmaf on random and cancelling operands", () => {
    const u = uniforms(30000, 3);
    for (let i = 0; i + 3 <= u.length; i += 3) {
      const a = fr((u[i] - 0.5) * 8), b = fr((u[i + 1] - 0.5) * 8);
      for (const c of [fr(u[i + 2] - 0.5), fr(-a * b), fr(-a * b + u[i + 2] * 2 ** -20)]) {
        if (a === 0 || b === 0 || c === 0) continue;
        expect(fmaf(a, b, c)).toBe(exactFmaf(a, b, c));
      }
    }
  });

  it("fma64 keeps the product's low bits that a*b + c loses", () => {
    const a = 1 + 2 ** -30;
    // a*a = 1 + 2^-29 + 2^-60: the 2^-60 survives only fused.
    expect(fma64(a, a, -1)).toBe(2 ** -29 + 2 ** -60);
    expect(a * a - 1).toBe(2 ** -29);
    expect(fma64(3, 1, 0.5)).toBe(3.5);
  });
});

describe("normal_fill_AVX2's structure", () => {
  it("transforms pairs (j, j + 8) of a block of 16: changing one uniform changes only its pair", () => {
    const base = uniforms(16, 4);
    const ref = base.slice();
    normalBlock32(ref, 0, 0, 1);
    for (let i = 0; i < 16; i++) {
      const d = base.slice();
      d[i] = fr(d[i] * 0.5 + 0.25);
      normalBlock32(d, 0, 0, 1);
      for (let k = 0; k < 16; k++) {
        if (k % 8 === i % 8) continue;
        expect(d[k]).toBe(ref[k]);
      }
      expect(d[i % 8] !== ref[i % 8] || d[(i % 8) + 8] !== ref[(i % 8) + 8]).toBe(true);
    }
  });

  it("applies mean and std as one rounding of n*std + mean", () => {
    const base = uniforms(16, 5);
    const std1 = base.slice(), scaled = base.slice();
    normalBlock32(std1, 0, 0, 1);
    normalBlock32(scaled, 0, fr(0.3), fr(2.5));
    for (let k = 0; k < 16; k++) expect(scaled[k]).toBe(fmaf(std1[k], fr(2.5), fr(0.3)));
  });

  it("redoes the last 16 elements on fresh uniforms when the size isn't a multiple of 16", () => {
    const at = (n: number) => Array.from(torch.randn([n], { generator: new Generator(7) }).typedArray as Float32Array);
    const r16 = at(16), r17 = at(17), r32 = at(32), r48 = at(48);
    expect(r32.slice(0, 16)).toEqual(r16);
    expect(r48.slice(0, 32)).toEqual(r32);
    expect(r17[0]).toBe(r16[0]); // element 0 is outside the redone block
    expect(r17.slice(1, 16)).not.toEqual(r16.slice(1, 16));
  });

  it("is deterministic per seed and draws from the default generator", () => {
    torch.manualSeed(11);
    const a = torch.randn([1000]);
    torch.manualSeed(11);
    const b = torch.randn([1000]);
    expect(Array.from(a.typedArray as Float32Array)).toEqual(Array.from(b.typedArray as Float32Array));
    const c = torch.randn([1000]);
    expect(Array.from(c.typedArray as Float32Array)).not.toEqual(Array.from(a.typedArray as Float32Array));
  });

  it("gives standard normal statistics, and normal_(mean, std) shifts and scales them", () => {
    const g = new Generator(8);
    for (const dtype of ["float32", "float64"] as const) {
      const x = torch.randn([200000], { generator: g, dtype }).typedArray as Float32Array | Float64Array;
      let s = 0, s2 = 0;
      for (const v of x) { s += v; s2 += v * v; }
      const mean = s / x.length, std = Math.sqrt(s2 / x.length - mean * mean);
      expect(Math.abs(mean)).toBeLessThan(0.01);
      expect(Math.abs(std - 1)).toBeLessThan(0.01);
      const y = torch.empty([100000], { dtype }).normal_(-3, 0.5, g).typedArray as Float32Array | Float64Array;
      let t = 0;
      for (const v of y) t += v;
      expect(Math.abs(t / y.length + 3)).toBeLessThan(0.01);
    }
  });
});

describe("the double paths", () => {
  it("float64 randn of 16+ elements is its own double kernel, not float32 values widened", () => {
    const x = torch.randn([1000], { dtype: "float64", generator: new Generator(9) }).typedArray as Float64Array;
    let widened = 0;
    for (const v of x) if (fr(v) === v) widened++;
    expect(widened).toBeLessThan(5);
  });

  it("small tensors draw one double Box-Muller value each, the pair's second cached for the next", () => {
    const g = new Generator(10), h = new Generator(10);
    const pair = Array.from(torch.randn([2], { generator: g, dtype: "float64" }).typedArray as Float64Array);
    const one = (torch.randn([1], { generator: h, dtype: "float64" }).typedArray as Float64Array)[0];
    const two = (torch.randn([1], { generator: h, dtype: "float64" }).typedArray as Float64Array)[0];
    expect(pair).toEqual([one, two]);
  });

  it("a strided normal_ takes the serial path in memory order", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const g = new Generator(12), h = new Generator(12);
      const x = torch.empty([20, 30], { dtype }).t().normal_(0, 1, g); // memory order: x.t()'s row-major
      const mem: number[] = [];
      for (let i = 0; i < 600; i++) mem.push((torch.randn([1], { dtype, generator: h }).typedArray as Float32Array)[0]);
      expect(Array.from(x.t().contiguous().typedArray as Float32Array)).toEqual(mem);
    }
  });
});

describe("linspace's SIMD runs", () => {
  const cases: [number, number][] = [[-Math.PI, Math.PI], [0, 1], [5, -3], [-10, -2.5], [1e-3, 1e4]];
  const sizes = [2, 7, 8, 9, 15, 16, 17, 100, 2000, 10001];

  it("starts and ends exactly at start and end, is monotonic, and is within 2 ulps of the exact points", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const r = dtype === "float32" ? fr : (v: number) => v;
      const ulp = (v: number) => (dtype === "float32" ? ulp32(v) : 2 ** (Math.floor(Math.log2(Math.max(Math.abs(v), 1e-300))) - 52));
      for (const [a, b] of cases) {
        for (const n of sizes) {
          const d = torch.linspace(a, b, n, { dtype }).typedArray as Float32Array | Float64Array;
          expect(d.length).toBe(n);
          expect(d[0]).toBe(r(a));
          expect(d[n - 1]).toBe(r(b));
          const [s, e] = [r(a), r(b)];
          for (let i = 0; i < n; i++) {
            const exact = s + ((e - s) * i) / (n - 1);
            expect(Math.abs(d[i] - exact)).toBeLessThanOrEqual(2 * Math.max(ulp(exact), ulp(s), ulp(e)));
            if (i > 0) expect(b > a ? d[i] >= d[i - 1] : d[i] <= d[i - 1]).toBe(true);
          }
        }
      }
    }
  });

  it("fills runs of one vector from their first lane: lane j is base + step*j, rounded twice", () => {
    for (const [dtype, lanes] of [["float32", 8], ["float64", 4]] as const) {
      const r = dtype === "float32" ? fr : (v: number) => v;
      const n = 2000;
      const d = torch.linspace(-Math.PI, Math.PI, n, { dtype }).typedArray as Float32Array | Float64Array;
      const step = r(r(r(Math.PI) - r(-Math.PI)) / (n - 1));
      for (let idx = 0; idx + 2 * lanes <= n; idx += lanes) {
        for (let j = 1; j < lanes; j++) expect(d[idx + j]).toBe(r(d[idx] + r(step * j)));
      }
    }
  });

  it("gives start for one step and nothing for zero", () => {
    expect(Array.from(torch.linspace(0.1, 5, 1).typedArray)).toEqual([fr(0.1)]);
    expect(Array.from(torch.linspace(0.1, 5, 1, { dtype: "float64" }).typedArray)).toEqual([0.1]);
    expect(torch.linspace(0, 1, 0).numel()).toBe(0);
  });

  it("logspace's one point is base ** start with start unrounded", () => {
    expect((torch.logspace(0.1, 5, 1, { dtype: "float64" }).typedArray as Float64Array)[0]).toBe(10 ** 0.1);
  });
});
