// The native backend runs tiny contiguous float32 elementwise ops in JS (lib/backend/tiny.ts): the
// result must be the addon's bit for bit on every ISA, special values included, and every view the
// JS loop can't take (strided, broadcast, other dtypes, past its array, larger) must go to the
// addon, whose results and errors are unchanged.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { setIsa } from "../lib/backend/native.js";
import { TINY_NUMEL, tinyBinary, tinyCopy, tinyFill, tinyUnary, tinyWhere } from "../lib/backend/tiny.js";
import type { View } from "../lib/backend/types.js";
import { nativeUnderTest } from "./helpers/native.js";

const t = nativeUnderTest();
const N = TINY_NUMEL + 44; // more than the JS path takes: the addon computes it
const view = (data: Float32Array, n = data.length, offset = 0): View => ({ typedArray: data, offset, shape: [n], strides: [1] });

const NANS = [0x7fc00000, 0xffc00000, 0x7fc12345, 0xffa00001];

/** Float32 values with every class of special: ±0, ±Inf, subnormals, the extremes, random values
 *  of every exponent, and with `nans` NaNs with payloads and signs (else NaN bits become 1.0). */
function specials(seed: number, nans: boolean): Float32Array {
  const bits = new Uint32Array(N);
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const fixed = [0x00000000, 0x80000000, 0x7f800000, 0xff800000, ...NANS, 0x00000001, 0x807fffff, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x3f800000];
  for (let i = 0; i < N; i++) {
    bits[i] = i < fixed.length * 3 ? fixed[(i * 7 + seed) % fixed.length] : next();
    if (!nans && (bits[i] & 0x7fffffff) > 0x7f800000) bits[i] = 0x3f800000;
  }
  return new Float32Array(bits.buffer);
}

const u32 = (f: Float32Array) => Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));

describe("tiny float32 elementwise ops in JS", () => {
  it("gives the addon's bits for add, sub, mul, div, relu and neg on every ISA, specials but NaN included", () => {
    for (let seed = 0; seed < 6; seed++) {
      // NOTE: NaNs go to the addon (tiny.ts); next test. inf - inf and the like are left out here.
      const a = specials(seed, false), b = specials(seed + 100, false);
      for (const isa of t.isas) {
        setIsa(isa);
        for (const op of ["add", "sub", "mul", "div"] as const) {
          const want = new Float32Array(N);
          t.backend.binary(op, view(a), view(b), view(want)); // N elements: the addon
          const got = new Float32Array(N);
          for (let i = 0; i < N; i += TINY_NUMEL) {
            const n = Math.min(TINY_NUMEL, N - i);
            // a chunk with a new NaN (inf - inf, 0 * inf, 0 / 0) goes to the addon
            if (!tinyBinary(op, view(a, n, i), view(b, n, i), view(got, n, i))) t.backend.binary(op, view(a, n, i), view(b, n, i), view(got, n, i));
          }
          expect(u32(got), `${op} ${isa} seed ${seed}`).toEqual(u32(want));
        }
        for (const op of ["relu", "neg"] as const) {
          const want = new Float32Array(N);
          t.backend.unary(op, view(a), view(want));
          const got = new Float32Array(N);
          for (let i = 0; i < N; i += TINY_NUMEL) {
            const n = Math.min(TINY_NUMEL, N - i);
            expect(tinyUnary(op, view(a, n, i), view(got, n, i))).toBe(true);
          }
          expect(u32(got), `${op} ${isa} seed ${seed}`).toEqual(u32(want));
        }
      }
      setIsa(t.info.isa);
    }
  });

  it("gives the addon's bits with scalar (broadcast) operands, for comparisons (NaN too) and where", () => {
    const meta = (...vs: View[]) => new Float64Array(vs.flatMap((v) => [v.shape.length, v.offset, ...v.shape, ...v.strides]));
    const shape = [4, 8];
    const full = (data: View["typedArray"], offset = 0): View => ({ typedArray: data, shape, strides: [8, 1], offset });
    const scalar = (data: View["typedArray"], offset = 0): View => ({ typedArray: data, shape, strides: [0, 0], offset });
    const a = specials(3, false), b = specials(4, false), withNaN = specials(5, true);
    const bin = t.addon.binaryOps;
    for (let k = 0; k < 40; k++) {
      // operand kinds: both full, a scalar, b scalar (at varying offsets)
      const kind = k % 3;
      const va = kind === 1 ? scalar(a, k) : full(a, k);
      const vb = kind === 2 ? scalar(b, 2 * k) : full(b, 2 * k);
      for (const op of ["add", "sub", "mul", "div"] as const) {
        const got = new Float32Array(32), want = new Float32Array(32);
        t.addon.binary(bin.indexOf(op), meta(va, vb, full(want)), a, b, want);
        if (!tinyBinary(op, va, vb, full(got))) t.addon.binary(bin.indexOf(op), meta(va, vb, full(got)), a, b, got);
        expect(u32(got), `${op} ${k}`).toEqual(u32(want));
      }
      const vn = kind === 1 ? scalar(withNaN, k) : full(withNaN, k);
      for (const op of ["eq", "ne", "lt", "le", "gt", "ge"] as const) {
        const got = new Uint8Array(32), want = new Uint8Array(32);
        t.addon.binary(bin.indexOf(op), meta(vn, vb, full(want)), withNaN, b, want);
        expect(tinyBinary(op, vn, vb, full(got))).toBe(true);
        expect(Array.from(got), `${op} ${k}`).toEqual(Array.from(want));
      }
      const cond = Uint8Array.from({ length: 80 }, (_, i) => (i * 7 + k) % 3 === 0 ? 1 : 0);
      const vc = kind === 0 ? scalar(cond, k) : full(cond, k);
      const got = new Float32Array(32), want = new Float32Array(32);
      t.addon.where(meta(vc, va, vb, full(want)), cond, a, b, want);
      expect(tinyWhere(vc, va, vb, full(got))).toBe(true);
      expect(u32(got), `where ${k}`).toEqual(u32(want));
    }
    // a NaN picked by where goes to the addon; one not picked doesn't matter
    const x = new Float32Array(32).fill(1), y = new Float32Array(32).fill(2);
    x[3] = NaN;
    const c = new Uint8Array(32);
    expect(tinyWhere(full(c), full(x), full(y), full(new Float32Array(32)))).toBe(true);
    c[3] = 1;
    expect(tinyWhere(full(c), full(x), full(y), full(new Float32Array(32)))).toBe(false);
    // other layouts stay with the addon: a row broadcast, a strided cond
    expect(tinyBinary("add", { typedArray: a, shape, strides: [0, 1], offset: 0 }, full(b), full(new Float32Array(32)))).toBe(false);
    expect(tinyWhere({ typedArray: c, shape, strides: [1, 4], offset: 0 }, full(x), full(y), full(new Float32Array(32)))).toBe(false);
  });

  it("copies strided and broadcast float32 views with the addon's bits, and leaves NaNs and bad views to it", () => {
    const src = specials(7, false);
    const meta = (...vs: View[]) => new Float64Array(vs.flatMap((v) => [v.shape.length, v.offset, ...v.shape, ...v.strides]));
    let s = 5;
    const rnd = (k: number) => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % k;
    for (let trial = 0; trial < 200; trial++) {
      const nd = 1 + rnd(4);
      const shape = Array.from({ length: nd }, () => 1 + rnd(5));
      const strides = shape.map(() => rnd(3) === 0 ? 0 : 1 + rnd(6));
      const offset = rnd(20);
      const x: View = { typedArray: src, shape, strides, offset };
      const n = shape.reduce((p, q) => p * q, 1);
      const last = offset + shape.reduce((p, q, d) => p + (q - 1) * strides[d], 0);
      const out = (data: Float32Array): View => ({ typedArray: data, shape, strides: shape.map((_, d) => shape.slice(d + 1).reduce((p, q) => p * q, 1)), offset: 0 });
      const got = new Float32Array(n), want = new Float32Array(n);
      const taken = tinyCopy(x, out(got));
      expect(taken, `${shape} ${strides} +${offset}`).toBe(n <= TINY_NUMEL && last < src.length);
      if (!taken) continue;
      t.addon.copy(meta(x, out(want)), src, want);
      expect(u32(got)).toEqual(u32(want));
    }
    const x = new Float32Array(8).fill(1);
    x[5] = NaN;
    expect(tinyCopy(view(x), view(new Float32Array(8)))).toBe(false);
    expect(tinyCopy(view(new Float32Array(4), 8), view(new Float32Array(8)))).toBe(false); // past its array
    expect(tinyCopy(view(new Float32Array(8)), { typedArray: new Float32Array(16), shape: [8], strides: [2], offset: 0 })).toBe(false); // strided out
    expect(tinyCopy(view(new Float32Array(0)), view(new Float32Array(0)))).toBe(false); // empty: the addon's
    expect(tinyCopy({ typedArray: new Float64Array(8), shape: [8], strides: [1], offset: 0 }, view(new Float32Array(8)))).toBe(false);
  });

  it("fills contiguous float32 views with the addon's bits, and leaves NaN and other views to it", () => {
    const values = [0, -0, 1, -1.5, 1 / 3, Math.PI, 1e-40, -1e-45, 3.4028235677973366e38, 3.5e38, -1e300, Infinity, -Infinity, 2 ** -149, 16777217];
    const meta = (v: View) => new Float64Array([v.shape.length, v.offset, ...v.shape, ...v.strides]);
    for (const value of values) {
      const got = new Float32Array(40).fill(7), want = new Float32Array(40).fill(7);
      const v = (data: Float32Array): View => ({ typedArray: data, shape: [4, 8], strides: [8, 1], offset: 3 });
      expect(tinyFill(v(got), value)).toBe(true);
      t.addon.fill(meta(v(want)), want, value);
      expect(u32(got), String(value)).toEqual(u32(want));
    }
    expect(tinyFill(view(new Float32Array(8)), NaN)).toBe(false);
    expect(tinyFill({ typedArray: new Float32Array(16), shape: [8], strides: [2], offset: 0 }, 1)).toBe(false);
    expect(tinyFill({ typedArray: new Float32Array(16), shape: [8, 2], strides: [0, 1], offset: 0 }, 1)).toBe(false);
    expect(tinyFill(view(new Float32Array(4), 8), 1)).toBe(false); // past its array
    expect(tinyFill({ typedArray: new Float64Array(8), shape: [8], strides: [1], offset: 0 }, 1)).toBe(false);
  });

  it("leaves NaNs to the addon, operands and in-place targets unchanged, and the addon's bits in the end", () => {
    const f32 = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0];
    for (const nan of NANS) {
      const x = new Float32Array(16).fill(2);
      x[11] = f32(nan);
      const y = new Float32Array(16).fill(3);
      const o = new Float32Array(16);
      expect(tinyBinary("add", view(x), view(y), view(o))).toBe(false);
      expect(tinyBinary("mul", view(y), view(x), view(o))).toBe(false);
      expect(tinyUnary("relu", view(x), view(o))).toBe(false);
      const x0 = u32(x);
      expect(tinyBinary("add", view(x), view(y), view(x))).toBe(false); // in place: x untouched
      expect(tinyUnary("neg", view(x), view(x))).toBe(false);
      expect(u32(x)).toEqual(x0);
      expect(tinyBinary("sub", view(y), view(y), view(o))).toBe(true);
      expect(Array.from(o)).toEqual(new Array(16).fill(0));
      // through the backend: the addon's bits, in place too
      for (const op of ["add", "sub", "mul", "div"] as const) {
        const want = new Float32Array(16), got = new Float32Array(16);
        t.addon.binary(t.addon.binaryOps.indexOf(op), new Float64Array([1, 0, 16, 1, 1, 0, 16, 1, 1, 0, 16, 1]), y, x, want);
        t.backend.binary(op, view(y), view(x), view(got));
        expect(u32(got)).toEqual(u32(want));
        const inPlace = y.slice();
        t.backend.binary(op, view(inPlace), view(x), view(inPlace));
        expect(u32(inPlace)).toEqual(u32(want));
      }
      const want = new Float32Array(16);
      t.addon.unary(t.addon.unaryOps.indexOf("relu"), new Float64Array([1, 0, 16, 1, 1, 0, 16, 1]), x, want);
      const xr = x.map((v, i) => (i < 11 ? -v : v));
      t.backend.unary("relu", view(xr), view(xr)); // stops at the NaN halfway, then the addon
      expect(u32(xr)).toEqual(u32(want.map((v, i) => (i < 11 ? 0 : v))));
    }
    const inf = new Float32Array(16).fill(Infinity);
    expect(tinyBinary("sub", view(inf), view(inf), view(new Float32Array(16)))).toBe(false); // a new NaN
  });

  it("takes only contiguous float32 views of one shape, inside their arrays, up to TINY_NUMEL elements", () => {
    const f = new Float32Array(64).fill(1);
    const o = new Float32Array(64);
    const v = (data: View["typedArray"], shape: number[], strides: number[], offset = 0): View => ({ typedArray: data, shape, strides, offset });
    expect(tinyBinary("add", v(f, [8, 8], [8, 1]), v(f, [8, 8], [8, 1]), v(o, [8, 8], [8, 1]))).toBe(true);
    expect(tinyBinary("add", v(f, [8, 1, 8], [8, 99, 1]), v(f, [8, 1, 8], [8, 1, 1]), v(o, [8, 1, 8], [8, 8, 1]))).toBe(true);
    expect(tinyBinary("add", v(f, [8, 8], [1, 8]), v(f, [8, 8], [8, 1]), v(o, [8, 8], [8, 1]))).toBe(false); // transposed
    expect(tinyBinary("add", v(f, [8, 8], [0, 1]), v(f, [8, 8], [8, 1]), v(o, [8, 8], [8, 1]))).toBe(false); // broadcast
    expect(tinyBinary("add", v(f, [8, 8], [8, 1]), v(f, [8, 8], [8, 1]), v(o, [8, 8], [0, 1]))).toBe(false); // broadcast out
    expect(tinyBinary("add", v(f, [64], [1]), v(f, [8, 8], [8, 1]), v(o, [8, 8], [8, 1]))).toBe(false); // other shape
    expect(tinyBinary("add", v(f, [8, 8], [8, 1], 1), v(f, [8, 8], [8, 1]), v(o, [8, 8], [8, 1]))).toBe(false); // past the end
    expect(tinyBinary("add", v(f, [8, 8], [8, 1]), v(f, [8, 8], [8, 1]), v(f, [4, 8], [8, 1], 1))).toBe(false); // shape differs
    expect(tinyBinary("pow", v(f, [8, 8], [8, 1]), v(f, [8, 8], [8, 1]), v(o, [8, 8], [8, 1]))).toBe(false); // not bit-exact in JS
    const d = new Float64Array(64);
    expect(tinyBinary("add", v(d, [64], [1]), v(d, [64], [1]), v(d, [64], [1]))).toBe(false);
    const big = new Float32Array(TINY_NUMEL + 1);
    expect(tinyUnary("relu", v(big, [TINY_NUMEL + 1], [1]), v(big, [TINY_NUMEL + 1], [1]))).toBe(false);
    expect(tinyUnary("relu", v(big, [TINY_NUMEL], [1]), v(big, [TINY_NUMEL], [1]))).toBe(true); // in place
    expect(tinyUnary("exp", v(f, [64], [1]), v(o, [64], [1]))).toBe(false);
    expect(tinyUnary("relu", v(f, [8, 8], [1, 8]), v(o, [8, 8], [8, 1]))).toBe(false); // a strided x
  });

  it("leaves the addon's errors for views it can't take", () => {
    const T = torch.Tensor;
    torch.setBackend("native");
    expect(() => new T(new Float32Array(2), [2], [1], 0).add(new T(new Float32Array(1), [2], [1], 0))).toThrow(/reaches element 1/);
    const x = torch.randn(4);
    structuredClone(x.typedArray.buffer, { transfer: [x.typedArray.buffer as ArrayBuffer] });
    expect(() => x.relu()).toThrow(/detached/);
    const small = torch.randn(2, 3);
    expect(() => torch.add(small, small, { out: small.expand(2, 3).t().contiguous().t() })).not.toThrow();
  });
});

describe("public ops on small float32 tensors (the JS path) against the same ops on large ones (the addon)", () => {
  const bitsOf = (x: torch.Tensor) => {
    const c = x.contiguous();
    const d = c.typedArray;
    return d instanceof Float32Array ? u32(d.subarray(c.offset, c.offset + c.numel())) : Array.from(d.subarray(c.offset, c.offset + c.numel()));
  };
  /** A [rows, 70] tensor of specials (NaNs too), more than TINY_NUMEL elements, whose first
   *  `rows` x `cols` block is the small one. */
  const pair = (seed: number, rows: number, cols: number) => {
    const data = new Float32Array(3 * N);
    for (let k = 0; k < 3; k++) data.set(specials(seed + 1000 * k, true), k * N);
    const big = torch.Tensor.fromStorage(data.slice(0, rows * 70), [rows, 70]);
    return { big, small: big.index([torch.slice(), torch.slice(0, cols)]).contiguous() };
  };

  it("gives the same bits for arithmetic, comparisons, relu, neg, where, copies and fills, in place too", () => {
    torch.setBackend("native");
    for (let trial = 0; trial < 40; trial++) {
      const rows = 2 + (trial % 5), cols = 3 + ((trial * 7) % 18); // at most 6 x 20 = 120 elements
      const { big: A, small: a } = pair(trial, rows, cols);
      const { big: B, small: b } = pair(trial + 50, rows, cols);
      const part = (x: torch.Tensor) => x.index([torch.slice(), torch.slice(0, cols)]);
      const cases: [string, (x: torch.Tensor, y: torch.Tensor) => torch.Tensor][] = [
        ["add", (x, y) => x.add(y)], ["sub", (x, y) => x.sub(y)], ["mul", (x, y) => x.mul(y)], ["div", (x, y) => x.div(y)],
        ["add scalar", (x) => x.add(0.1)], ["mul scalar", (x) => x.mul(-3)],
        ["le", (x, y) => x.le(y)], ["ne", (x, y) => x.ne(y)], ["gt scalar", (x) => x.gt(0)],
        ["relu", (x) => x.relu()], ["neg", (x) => x.neg()],
        ["where", (x, y) => torch.where(x.gt(y), x, y)], ["where scalar", (x, y) => torch.where(x.le(0), 0, y)],
        ["transpose copy", (x) => x.t().contiguous().t()], ["clone", (x) => x.clone()],
        ["add_", (x, y) => x.clone().add_(y)], ["mul_ scalar", (x) => x.clone().mul_(2)], ["zero_", (x) => x.clone().zero_()],
        ["fill_", (x) => x.clone().fill_(1 / 3)], ["maskedFill_", (x, y) => x.clone().maskedFill_(y.lt(0), 0.5)],
      ];
      for (const [name, f] of cases) expect(bitsOf(f(a, b)), `${name} [${rows}, ${cols}]`).toEqual(bitsOf(part(f(A, B))));
    }
  });

  it("keeps the errors of the general path", () => {
    torch.setBackend("native");
    const a = torch.randn(3, 4), b = torch.randn(4, 3);
    expect(() => a.add(b)).toThrow(/must match the size of tensor b/);
    expect(() => torch.add(a, a, { out: torch.empty(4, 3) })).toThrow(/torchlet does not resize out= tensors/);
    expect(() => a.expand(2, 3, 4).add_(1)).toThrow(/more than one element of the written-to tensor/);
    expect(() => a.index(torch.slice(1)).add_(a.index(torch.slice(0, 2)))).toThrow(/single memory location/);
    const w = torch.randn(3, 4, { requiresGrad: true });
    expect(() => w.add_(1)).toThrow(/leaf Variable that requires grad/);
    expect(() => torch.add(w, 1, { out: torch.empty(3, 4) })).toThrow(/don't support automatic differentiation/);
  });
});
