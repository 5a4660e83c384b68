// The native backend's float64 kernels against the JS backend (the oracle), op by op, on
// contiguous, offset, transposed, strided and broadcast (stride-0) views, outputs poisoned with
// NaN, on every ISA this CPU runs and on 1 and 2 threads; matmul at the microkernels' tile edges;
// bit-identical results on 1, 2 and 3 threads; softmax rows; a float64 MLP through gradcheck on
// the native backend.
// Exact ops (+ - * / sqrt, roundings, comparisons, clamp, max/min, where, copies) must give the JS
// bits; libm functions, sums (8 lanes) and matmul (FMA) are held to ulp-sized tolerances.

import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { allocStorage } from "../lib/dtype.js";
import { jsBackend as J } from "../lib/backend/js.js";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import type { BinaryOp, ReduceOp, Storage, UnaryOp, View } from "../lib/backend/types.js";
import { gradcheck } from "../lib/autograd/gradcheck.js";
import { nativeUnderTest } from "./helpers/native.js";

const { backend: N, addon, info: info0, isas: ISAS } = nativeUnderTest();
const threads0 = info0.threads;

// ---------------------------------------------------------------------------------------------
// Views and values

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, k = 1; d >= 0; k *= shape[d], d--) s[d] = k;
  return s;
}
/** mulberry32: a small seeded generator, so every failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const f64 = (n: number): Float64Array => allocStorage("float64", n) as Float64Array;

/** Storage offsets of a view's elements, row-major. */
function offsets(v: View): number[] {
  const res: number[] = [];
  const nd = v.shape.length;
  const idx = new Array<number>(nd).fill(0);
  let o = v.offset;
  for (let e = 0; e < size(v.shape); e++) {
    res.push(o);
    for (let d = nd - 1; d >= 0; d--) {
      o += v.strides[d];
      if (++idx[d] < v.shape[d]) break;
      o -= v.shape[d] * v.strides[d];
      idx[d] = 0;
    }
  }
  return res;
}
const read = (v: View): number[] => offsets(v).map((o) => v.typedArray[o]);

type Layout = "contiguous" | "offset" | "transposed" | "strided";
/** A float64 view of `shape` laid out as `layout`, filled with gen(); the rest of the storage NaN. */
function makeView(shape: number[], layout: Layout, gen: () => number): View {
  const nd = shape.length;
  let strides = contiguousStrides(shape), offset = 0, len = size(shape);
  if (layout === "offset") {
    offset = 3;
    len += 3;
  } else if (layout === "transposed" && nd >= 2) {
    const t = [...shape];
    [t[nd - 2], t[nd - 1]] = [t[nd - 1], t[nd - 2]];
    const ts = contiguousStrides(t);
    strides = [...ts];
    [strides[nd - 2], strides[nd - 1]] = [ts[nd - 1], ts[nd - 2]];
  } else if (layout === "strided") {
    strides = contiguousStrides(shape).map((s) => 2 * s);
    offset = 1;
    len = 2 * size(shape) + 1;
  }
  const data = f64(Math.max(len, 1)).fill(NaN);
  const v: View = { typedArray: data, offset, shape, strides };
  for (const o of offsets(v)) data[o] = gen();
  return v;
}
/** A contiguous float64 (or `kind`) output poisoned with NaN, so an unwritten element can't pass. */
function outView(shape: number[], kind: "f64" | "bool" = "f64"): View {
  const data: Storage = kind === "f64" ? f64(size(shape)).fill(NaN) : new Uint8Array(size(shape)).fill(7);
  return { typedArray: data, offset: 0, shape, strides: contiguousStrides(shape) };
}
/** A view broadcast to `shape` from a smaller one: stride 0 where `keep[d]` is false. */
function broadcastView(shape: number[], keep: boolean[], gen: () => number): View {
  const small = shape.map((s, d) => (keep[d] ? s : 1));
  const v = makeView(small, "contiguous", gen);
  return { ...v, shape, strides: v.strides.map((s, d) => (keep[d] ? s : 0)) };
}

function ulp(x: number): number {
  const a = Math.abs(x);
  if (!Number.isFinite(a)) return 0;
  return a < 2 ** -1022 ? 2 ** -1074 : 2 ** (Math.floor(Math.log2(a)) - 52);
}
/** want vs got, element by element: bitwise (NaN equals NaN) or within `ulps` ulp (plus `abs`). */
function compare(what: string, shape: readonly number[], want: number[], got: number[], ulps = 0, abs = 0): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i], g = got[i];
    if (Object.is(w, g) || (w !== w && g !== g)) continue;
    const tol = ulps * Math.max(ulp(w), ulp(g)) + abs;
    if ((ulps > 0 || abs > 0) && Math.abs(w - g) <= tol) continue;
    expect.fail(`${what} at flat ${i} of [${shape}]: want ${w} got ${g} (${(Math.abs(w - g) / Math.max(ulp(w), 2 ** -1074)).toFixed(1)} ulp)`);
  }
}

// ---------------------------------------------------------------------------------------------
// Op by op, on every ISA and 1/2 threads

const EXACT_UNARY: UnaryOp[] = ["neg", "abs", "sqrt", "sign", "relu", "floor", "ceil", "round", "trunc"];
// NOTE: glibc's libm against V8's fdlibm ports (Math.*): both within 1 ulp of the true value, so at
// most 2 ulp apart. JS's erf is its own series (scalar.ts), written for float32 results: within
// 1e-14 of glibc's erf for |x| < 4 (10 ulp near 1), checked as an absolute difference.
const LIBM_UNARY: [UnaryOp, number, number][] = [
  ["exp", 2, 0], ["log", 2, 0], ["log1p", 2, 0], ["tanh", 4, 0], ["sigmoid", 3, 0], ["sin", 2, 0], ["cos", 2, 0], ["erf", 0, 1e-14],
];
const EXACT_BINARY: BinaryOp[] = ["add", "sub", "mul", "div", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge"];
const LAYOUTS: Layout[] = ["contiguous", "offset", "transposed", "strided"];
const SHAPES = [[1], [7], [3, 37], [5, 4, 33], [130, 260]];

/** Values with the special cases mixed in: zeros of both signs, halves, infinities, NaN. */
function gen(r: () => number, positive = false): () => number {
  const specials = [0, -0, 0.5, -0.5, 1.5, 2.5, Infinity, -Infinity, NaN, 1, -1, 1e-310];
  return () => {
    const u = r();
    const v = u < 0.08 ? specials[Math.floor(r() * specials.length)] : (r() - 0.5) * 8;
    return positive ? Math.abs(v) : v;
  };
}

for (const isa of ISAS) {
  for (const threads of [1, 2]) {
    const tag = `native ${isa} t=${threads}`;
    describe(`float64 ${tag}`, () => {
      const setup = (): void => {
        setIsa(isa);
        setNumThreads(threads);
      };

      it("unary: exact ops bit for bit, libm ops within a few ulp, every layout", () => {
        setup();
        const r = rng(1);
        for (const shape of SHAPES) {
          for (const layout of LAYOUTS) {
            const x = makeView(shape, layout, gen(r));
            for (const op of EXACT_UNARY) {
              const a = outView(shape), b = outView(shape);
              J.unary(op, x, a);
              N.unary(op, x, b);
              compare(`${op}[${tag}] ${layout}`, shape, read(a), read(b));
            }
            for (const [op, ulps, abs] of LIBM_UNARY) {
              const a = outView(shape), b = outView(shape);
              J.unary(op, x, a);
              N.unary(op, x, b);
              compare(`${op}[${tag}] ${layout}`, shape, read(a), read(b), ulps, abs);
            }
          }
        }
      });

      it("clamp, in place and strided; out may alias x", () => {
        setup();
        const r = rng(2);
        for (const shape of SHAPES) {
          for (const layout of LAYOUTS) {
            const x = makeView(shape, layout, gen(r));
            for (const [lo, hi] of [[-1, 1], [2, -2], [-Infinity, 0.5], [NaN, 1]]) {
              const a = outView(shape), b = outView(shape);
              J.clamp(x, lo, hi, a);
              N.clamp(x, lo, hi, b);
              compare(`clamp(${lo},${hi})[${tag}] ${layout}`, shape, read(a), read(b));
            }
          }
        }
        const x = makeView([100], "contiguous", gen(r));
        const want = outView([100]);
        J.unary("sqrt", x, want);
        N.unary("sqrt", x, x); // in place
        compare(`sqrt in place[${tag}]`, [100], read(want), read(x));
      });

      it("binary: arithmetic and comparisons bit for bit, pow within 2 ulp, every layout and broadcast", () => {
        setup();
        const r = rng(3);
        // NOTE: the largest shape is left out here (14 ops x 14 layouts): [5,4,33] crosses every run boundary already.
        for (const shape of SHAPES.slice(0, -1)) {
          const nd = shape.length;
          const pairs: [string, View, View][] = LAYOUTS.map((l) => [l, makeView(shape, l, gen(r)), makeView(shape, "contiguous", gen(r))]);
          pairs.push(["row broadcast", makeView(shape, "transposed", gen(r)), broadcastView(shape, shape.map((_, d) => d === nd - 1), gen(r))]);
          pairs.push(["column broadcast", broadcastView(shape, shape.map((_, d) => d !== nd - 1), gen(r)), makeView(shape, "strided", gen(r))]);
          pairs.push(["scalar", broadcastView(shape, shape.map(() => false), gen(r)), makeView(shape, "offset", gen(r))]);
          for (const [name, a, b] of pairs) {
            for (const op of [...EXACT_BINARY, "pow" as const]) {
              const bool = ["eq", "ne", "lt", "le", "gt", "ge"].includes(op);
              const want = outView(shape, bool ? "bool" : "f64"), got = outView(shape, bool ? "bool" : "f64");
              J.binary(op, a, b, want);
              N.binary(op, a, b, got);
              compare(`${op}[${tag}] ${name}`, shape, read(want), read(got), op === "pow" ? 2 : 0);
              J.binary(op, b, a, want);
              N.binary(op, b, a, got);
              compare(`${op}[${tag}] ${name} swapped`, shape, read(want), read(got), op === "pow" ? 2 : 0);
            }
          }
        }
      });

      it("reduce: sum within rounding of sum |x| (exact on integers), max/min exact, argmax/argmin exact", () => {
        setup();
        const r = rng(4);
        const cases: [number[], boolean[]][] = [
          [[1000], [true]],
          [[40000], [true]], // several 16384-element blocks
          [[7, 33], [false, true]],
          [[7, 33], [true, false]], // column mode
          [[7, 33], [true, true]],
          [[4, 5, 300], [true, false, true]],
          [[3, 20000], [false, true]],
          [[300, 3], [true, false]],
        ];
        for (const [shape, reduced] of cases) {
          for (const layout of LAYOUTS) {
            for (const integers of [false, true]) {
              const x = makeView(shape, layout, integers ? () => Math.floor(r() * 200) - 100 : () => (r() - 0.5) * 10);
              const oshape = shape.map((s, d) => (reduced[d] ? 1 : s));
              for (const op of ["sum", "max", "min"] as ReduceOp[]) {
                const want = outView(oshape), got = outView(oshape);
                J.reduce(op, x, want);
                N.reduce(op, x, got);
                const absSum = size(shape) * 5; // a bound on sum |x|
                const tol = op === "sum" && !integers ? absSum * 2 ** -50 : 0;
                compare(`${op}[${tag}] ${layout} [${shape}] over ${reduced}`, oshape, read(want), read(got), 0, tol);
              }
            }
            const x = makeView(shape, layout, () => Math.floor(r() * 9));
            for (let dim = 0; dim < shape.length; dim++) {
              const oshape = shape.map((s, d) => (d === dim ? 1 : s));
              for (const op of ["argmax", "argmin"] as const) {
                const want: View = { typedArray: new Float64Array(size(oshape)).fill(-1), offset: 0, shape: oshape, strides: contiguousStrides(oshape) };
                const got: View = { ...want, typedArray: new Float64Array(size(oshape)).fill(-1) };
                J.argReduce(op, x, dim, want);
                N.argReduce(op, x, dim, got);
                compare(`${op}[${tag}] ${layout} dim ${dim}`, oshape, read(want), read(got));
              }
            }
          }
        }
        // NaN propagates through sum, max and min; an empty sum is 0.
        const x = makeView([50], "contiguous", () => 1);
        x.typedArray[17] = NaN;
        for (const op of ["sum", "max", "min"] as ReduceOp[]) {
          const got = outView([1]);
          N.reduce(op, x, got);
          expect(Number.isNaN(got.typedArray[0]), op).toBe(true);
        }
        const empty = makeView([0, 3], "contiguous", () => 1), z = outView([1, 3]);
        N.reduce("sum", empty, z);
        expect(Array.from(z.typedArray)).toEqual([0, 0, 0]);
      });

      it("matmul at tile edges, transposed and batch-broadcast operands, accumulate", () => {
        setup();
        const r = rng(5);
        const dims = [1, 3, 6, 7, 8, 9, 16, 17];
        const shapes: [number, number, number, number][] = [];
        for (const m of dims) for (const n of dims) shapes.push([1, m, n, (m * 7 + n) % 5 === 0 ? 257 : 13]);
        shapes.push([2, 33, 70, 300], [3, 150, 40, 20], [1, 200, 130, 520]);
        for (const [B, M, Nn, K] of shapes) {
          for (const [la, lb] of [["contiguous", "contiguous"], ["transposed", "contiguous"], ["contiguous", "transposed"], ["strided", "offset"]] as [Layout, Layout][]) {
            const a = makeView([B, M, K], la, () => r() - 0.5);
            const b = makeView([B, K, Nn], lb, () => r() - 0.5);
            for (const accumulate of [false, true]) {
              const want = outView([B, M, Nn]), got = outView([B, M, Nn]);
              if (accumulate) for (let i = 0; i < want.typedArray.length; i++) want.typedArray[i] = got.typedArray[i] = i % 3;
              J.matmul(a, b, want, accumulate);
              N.matmul(a, b, got, accumulate);
              // each product < 1/4, so the rounding errors of either sum stay below K * 2^-53 * (K / 4 + 2)
              compare(`matmul[${tag}] ${la}x${lb} m=${M} n=${Nn} k=${K} acc=${accumulate}`, [B, M, Nn], read(want), read(got), 0, K * (K / 4 + 2) * 2 ** -52);
            }
          }
        }
        // a batch stride of 0 on b (one weight for every batch)
        const a = makeView([3, 9, 11], "contiguous", () => r() - 0.5);
        const w = makeView([1, 11, 10], "transposed", () => r() - 0.5);
        const b: View = { ...w, shape: [3, 11, 10], strides: [0, w.strides[1], w.strides[2]] };
        const want = outView([3, 9, 10]), got = outView([3, 9, 10]);
        J.matmul(a, b, want);
        N.matmul(a, b, got);
        compare(`matmul[${tag}] batch broadcast`, [3, 9, 10], read(want), read(got), 0, 1e-14);
      });

      it("softmax and log-softmax rows (in place too) within a few ulp; -inf rows and NaN as the JS backend", () => {
        setup();
        const r = rng(9);
        for (const shape of [[1], [5, 37], [3, 1], [2, 300], [70, 9]]) {
          for (const log of [false, true]) {
            const x = makeView(shape, "contiguous", () => (r() - 0.5) * 20);
            x.typedArray[0] = -Infinity;
            if (shape[0] > 2) x.typedArray[x.typedArray.length - 1] = NaN;
            if (shape.length === 2 && shape[0] > 1) for (let j = 0; j < shape[1]; j++) x.typedArray[shape[1] + j] = -Infinity;
            const want = outView(shape), got = outView(shape);
            J.softmax(x, want, log);
            N.softmax(x, got, log);
            compare(`${log ? "log_softmax" : "softmax"}[${tag}] [${shape}]`, shape, read(want), read(got), 4, log ? 1e-14 : 0);
            N.softmax(x, x, log); // in place
            compare(`${log ? "log_softmax" : "softmax"}[${tag}] [${shape}] in place`, shape, read(got), read(x));
          }
        }
      });

      it("fill, where and copies (float64 <-> float64, float32, bool, int64) bit for bit", () => {
        setup();
        const r = rng(6);
        for (const layout of LAYOUTS) {
          const shape = [9, 31];
          const x = makeView(shape, layout, gen(r));
          const a = outView(shape), b = outView(shape);
          J.fill(a, Math.PI);
          N.fill(b, Math.PI);
          compare(`fill[${tag}]`, shape, read(a), read(b));
          const cond: View = { typedArray: Uint8Array.from({ length: size(shape) }, () => (r() < 0.5 ? 1 : 0)), offset: 0, shape, strides: contiguousStrides(shape) };
          const y = makeView(shape, "contiguous", gen(r));
          J.where(cond, x, y, a);
          N.where(cond, x, y, b);
          compare(`where[${tag}] ${layout}`, shape, read(a), read(b));
          J.copy(x, a);
          N.copy(x, b);
          compare(`copy f64->f64[${tag}] ${layout}`, shape, read(a), read(b));
          const fa: View = { typedArray: new Float32Array(size(shape)), offset: 0, shape, strides: contiguousStrides(shape) };
          const fb: View = { ...fa, typedArray: new Float32Array(size(shape)) };
          J.copy(x, fa);
          N.copy(x, fb);
          compare(`copy f64->f32[${tag}] ${layout}`, shape, read(fa), read(fb));
          // float32 -> float64 widens exactly (the addon's copyToF64), contiguous and transposed.
          for (const src of [fa, { ...fa, shape: [shape[1], shape[0]], strides: [1, shape[1]] }]) {
            const wa = outView([...src.shape]), wb = outView([...src.shape]);
            J.copy(src, wa);
            N.copy(src, wb);
            compare(`copy f32->f64[${tag}] ${layout} [${src.strides}]`, src.shape, read(wa), read(wb));
          }
          const ba = outView(shape, "bool"), bb = outView(shape, "bool");
          J.copy(x, ba);
          N.copy(x, bb);
          compare(`copy f64->bool[${tag}] ${layout}`, shape, read(ba), read(bb));
          J.copy(ba, a);
          N.copy(ba, b);
          compare(`copy bool->f64[${tag}]`, shape, read(a), read(b));
          const ints: View = { typedArray: Float64Array.from({ length: size(shape) }, () => Math.floor(r() * 1e6) - 5e5), offset: 0, shape, strides: contiguousStrides(shape) };
          J.copy(ints, a);
          N.copy(ints, b);
          compare(`copy int64->f64[${tag}]`, shape, read(a), read(b));
        }
      });
    });
  }
}

describe("float64 on the native backend", () => {
  it("the addon takes float64 views itself (not a JS fallback) and checks them", () => {
    const meta = (...xs: number[]): Float64Array => Float64Array.from(xs);
    const x = f64(4);
    x.set([1, 4, 9, -1]);
    const out = f64(4);
    addon.unary(addon.unaryOps.indexOf("sqrt"), meta(1, 0, 4, 1, 1, 0, 4, 1), x, out);
    expect(Array.from(out)).toEqual([1, 2, 3, NaN]);
    // float64 in, float32 out: rejected with the dtypes named
    expect(() => addon.unary(0, meta(1, 0, 4, 1, 1, 0, 4, 1), x, new Float32Array(4))).toThrow(/out must be a Float64Array \(float64\), got Float32Array/);
    expect(() => addon.matmul(meta(3, 0, 1, 2, 2, 4, 2, 1, 3, 0, 1, 2, 2, 4, 2, 1, 3, 0, 1, 2, 2, 4, 2, 1), x, x, new Float32Array(4))).toThrow(TypeError);
    expect(() => addon.binary(0, meta(1, 0, 5, 1, 1, 0, 4, 1, 1, 0, 4, 1), x, x, f64(4))).toThrow(RangeError);
    // float32 -> float64: widened, not truncated as copy() would (it reads a Float64Array as int64).
    const src = Float32Array.from([1.5, -2.75, NaN, 3.4e38]);
    addon.copyToF64(meta(1, 0, 4, 1, 1, 0, 4, 1), src, out);
    expect(Array.from(out)).toEqual(Array.from(src));
    expect(() => addon.copyToF64(meta(1, 0, 4, 1, 1, 0, 4, 1), x as any, out)).toThrow(/copyToF64: x must be a Float32Array .*got Float64Array/);
    expect(() => addon.copyToF64(meta(1, 0, 4, 1, 1, 0, 5, 1), src, out)).toThrow(RangeError);
  });

  it("bit-identical on 1, 2 and 3 threads for every ISA", () => {
    const r = rng(7);
    const big = makeView([300, 700], "contiguous", () => r() - 0.5);
    const bigT = makeView([700, 300], "transposed", () => r() - 0.5);
    const a = makeView([1, 257, 300], "contiguous", () => r() - 0.5);
    const b = makeView([1, 300, 190], "transposed", () => r() - 0.5);
    const den = makeView([700, 300], "strided", () => r() + 0.5);
    const runs: [string, () => View][] = [
      ["matmul", () => { const o = outView([1, 257, 190]); N.matmul(a, b, o); return o; }],
      ["sum all", () => { const o = outView([1, 1]); N.reduce("sum", big, o); return o; }],
      ["sum rows", () => { const o = outView([300, 1]); N.reduce("sum", big, o); return o; }],
      ["sum columns", () => { const o = outView([1, 700]); N.reduce("sum", big, o); return o; }],
      ["max columns", () => { const o = outView([1, 300]); N.reduce("max", bigT, o); return o; }],
      ["exp", () => { const o = outView([300, 700]); N.unary("exp", big, o); return o; }],
      ["tanh transposed", () => { const o = outView([700, 300]); N.unary("tanh", bigT, o); return o; }],
      ["div", () => { const o = outView([700, 300]); N.binary("div", bigT, den, o); return o; }],
    ];
    for (const isa of ISAS) {
      setIsa(isa);
      for (const [name, run] of runs) {
        const results = [1, 2, 3].map((t) => {
          setNumThreads(t);
          return Array.from(run().typedArray as Float64Array);
        });
        compare(`${name}[native ${isa}] t=1 vs t=2`, [results[0].length], results[0], results[1]);
        compare(`${name}[native ${isa}] t=1 vs t=3`, [results[0].length], results[0], results[2]);
      }
    }
    setIsa(info0.isa);
    setNumThreads(threads0);
  });

  it("the elementwise kernels and sums give the same bits on every ISA", () => {
    const r = rng(8);
    const x = makeView([1000], "contiguous", gen(r));
    const y = makeView([1000], "strided", gen(r));
    const z = makeView([1003], "contiguous", () => r());
    const results = ISAS.map((isa) => {
      setIsa(isa);
      const outs: number[] = [];
      for (const op of [...EXACT_UNARY, ...LIBM_UNARY.map(([o]) => o)]) {
        const o = outView([1000]);
        N.unary(op, x, o);
        outs.push(...read(o));
      }
      for (const op of ["add", "sub", "mul", "div", "pow", "maximum"] as BinaryOp[]) {
        const o = outView([1000]);
        N.binary(op, x, y, o);
        outs.push(...read(o));
      }
      const s = outView([1]);
      N.reduce("sum", z, s);
      outs.push(s.typedArray[0]);
      return outs;
    });
    for (let i = 1; i < ISAS.length; i++) compare(`${ISAS[i]} vs ${ISAS[0]}`, [results[0].length], results[0], results[i]);
    setIsa(info0.isa);
  });

  it("gradcheck: a float64 MLP (linear, tanh, sigmoid, relu, log-softmax, max, mean) on the native backend", () => {
    const prev = torch.backendInfo().name;
    torch.setBackend("native");
    try {
      torch.manualSeed(0);
      const x = torch.randn(5, 7).double();
      const w1 = torch.randn(6, 7).double().requiresGrad_(), b1 = torch.randn(6).double().requiresGrad_();
      const w2 = torch.randn(3, 6).double().requiresGrad_(), b2 = torch.randn(3).double().requiresGrad_();
      const F = torch.nn.functional;
      const mlp = (w1_: torch.Tensor, b1_: torch.Tensor, w2_: torch.Tensor, b2_: torch.Tensor): torch.Tensor => {
        const h = F.linear(x, w1_, b1_).tanh();
        const z = F.linear(h, w2_, b2_);
        return z.sigmoid().mul(z.relu()).sum(1).div(z.exp().sum(1).log()).add(z.logSoftmax(1).max(1).values).mean();
      };
      expect(gradcheck(mlp, [w1, b1, w2, b2])).toBe(true);
      // and the same loss, forward and gradient, as the JS backend's to the last few ulp
      const run = (): number[] => {
        for (const p of [w1, b1, w2, b2]) p.grad = null;
        const loss = mlp(w1, b1, w2, b2);
        loss.backward();
        return [loss.item(), ...[w1, b1, w2, b2].flatMap((p) => Array.from(p.grad!.contiguous().storage() as Float64Array))];
      };
      const native = run();
      torch.setBackend("js");
      const js = run();
      compare("MLP loss and gradients, native vs js", [native.length], js, native, 0, 1e-13);
    } finally {
      torch.setBackend(prev);
    }
  });
});
