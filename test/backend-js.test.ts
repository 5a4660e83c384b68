// Tests of the pure-JS backend (lib/backend/js.ts), primitive by primitive, on small inputs whose
// answers can be checked by hand: strided, broadcast and offset views, NaN/Inf/-0, index errors.
// Outputs start as NaN (or 7) so an element a kernel forgets to write can't pass.
// ref: PyTorch 1.13 semantics, as described in lib/backend/types.ts.

import { describe, expect, it } from "vitest";
import { jsBackend as B } from "../lib/backend/js.js";
import type { Storage, View } from "../lib/backend/types.js";

const NaN_ = Number.NaN;
const Inf = Number.POSITIVE_INFINITY;

function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, k = 1; d >= 0; k *= shape[d], d--) s[d] = k;
  return s;
}
function view(data: Storage, shape: number[], st = strides(shape), offset = 0): View {
  return { typedArray: data, shape, strides: st, offset };
}
const f32 = (xs: number[], shape = [xs.length], st?: number[], off?: number) => view(Float32Array.from(xs), shape, st, off);
const i64 = (xs: number[], shape = [xs.length], st?: number[], off?: number) => view(Float64Array.from(xs), shape, st, off);
const bool = (xs: number[], shape = [xs.length], st?: number[], off?: number) => view(Uint8Array.from(xs), shape, st, off);
/** A fresh contiguous output, pre-filled with a poison value. */
const outF = (shape: number[]) => view(new Float32Array(size(shape)).fill(NaN_), shape);
const outI = (shape: number[]) => view(new Float64Array(size(shape)).fill(7), shape);
const outB = (shape: number[]) => view(new Uint8Array(size(shape)).fill(7), shape);
function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
/** The elements of a view in row-major order. */
function read(v: View): number[] {
  const res: number[] = [];
  const idx = new Array<number>(v.shape.length).fill(0);
  const n = size(v.shape as number[]);
  for (let e = 0; e < n; e++) {
    let o = v.offset;
    for (let d = 0; d < idx.length; d++) o += idx[d] * v.strides[d];
    res.push(v.typedArray[o]);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < v.shape[d]) break;
      idx[d] = 0;
    }
  }
  return res;
}
/** toEqual, but distinguishing -0 from 0 and matching NaN. */
function same(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (!Object.is(g, want[i])) throw new Error(`at ${i}: want ${want[i]} got ${g} (all: [${got}])`);
  });
}
const fr = Math.fround;

describe("views and iteration", () => {
  it("copy walks a permuted, offset 3-d view in row-major order", () => {
    // base is 2x3x4 contiguous at offset 5; permute to [4,2,3]
    const base = new Float32Array(5 + 24).map((_, i) => i - 5);
    const x = view(base, [4, 2, 3], [1, 12, 4], 5);
    const out = outF([4, 2, 3]);
    B.copy(x, out);
    const want: number[] = [];
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) want.push(i * 12 + j * 4 + k);
    same(read(out), want);
  });
  it("walks a reversed-dims 3-d view whose odometer carries across two outer dims", () => {
    // base is 2x3x4 contiguous at offset 2; x is its permute(2, 1, 0): shape [4,3,2]
    const base = new Float32Array(2 + 24).map((_, i) => i - 2);
    const x = view(base, [4, 3, 2], [1, 4, 12], 2);
    const want: number[] = [];
    for (let k = 0; k < 4; k++) for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) want.push(i * 12 + j * 4 + k);
    const out = outF([4, 3, 2]);
    B.unary("neg", x, out);
    same(read(out), want.map((v) => -v));
    // the same through a strided out (every other element of a 48-long buffer)
    const data = new Float32Array(48).fill(NaN_);
    B.binary("add", x, f32([100], [4, 3, 2], [0, 0, 0]), view(data, [4, 3, 2], [12, 4, 2]));
    same(read(view(data, [4, 3, 2], [12, 4, 2])), want.map((v) => v + 100));
    // sum over the middle dim of the same view: out[k, 0, i] = sum_j x[k, j, i]
    const s = outF([4, 1, 2]);
    B.reduce("sum", x, s);
    const ws: number[] = [];
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) ws.push(3 * (i * 12 + k) + 12);
    same(read(s), ws);
  });
  it("copy broadcasts stride-0 dims and handles 0-d and empty views", () => {
    const out = outF([2, 3]);
    B.copy(f32([1, 2, 3], [2, 3], [0, 1]), out);
    same(read(out), [1, 2, 3, 1, 2, 3]);
    const o0 = outF([]);
    B.copy(f32([9, 4], [], [], 1), o0);
    same(read(o0), [4]);
    B.copy(f32([], [0, 3]), outF([0, 3])); // nothing to do, no throw
  });
  it("writes only the elements of a strided out", () => {
    const data = new Float32Array(6).fill(-1);
    B.fill(view(data, [2], [3], 1), 5);
    same(Array.from(data), [-1, 5, -1, -1, 5, -1]);
  });
  it("rejects a view that reaches past its storage", () => {
    expect(() => B.copy(f32([1, 2, 3], [2, 2]), outF([2, 2]))).toThrow(RangeError);
    expect(() => B.fill(f32([1, 2], [2], [1], 1), 0)).toThrow(/storage of length 2/);
    expect(() => B.binary("add", f32([1, 2]), f32([1, 2, 3], [3]), outF([2]))).toThrow(/shape \[3\], expected \[2\]/);
  });
});

describe("fill and copy", () => {
  it("fill converts the value to the out dtype", () => {
    const i = outI([3]);
    B.fill(i, -2.7);
    same(read(i), [-2, -2, -2]);
    B.fill(i, -0.5);
    same(read(i), [0, 0, 0]); // no -0 in int64
    const b = outB([2]);
    B.fill(b, NaN_);
    same(read(b), [1, 1]);
    const f = outF([2]);
    B.fill(f, 0.1);
    same(read(f), [fr(0.1), fr(0.1)]);
  });
  it("float32 -> int64 truncates toward zero and throws on NaN/Inf", () => {
    const out = outI([5]);
    B.copy(f32([2.9, -2.9, -0.7, -0, 1e6]), out);
    same(read(out), [2, -2, 0, 0, 1e6]);
    expect(() => B.copy(f32([1, NaN_]), outI([2]))).toThrow(/value cannot be converted to type int64_t without overflow \(got NaN\)/);
    expect(() => B.copy(f32([-Inf]), outI([1]))).toThrow(RangeError);
  });
  it("anything -> bool is x != 0; bool -> number is 0/1; int64 -> float32 rounds", () => {
    const b = outB([5]);
    B.copy(f32([NaN_, 0, -0, 0.5, -Inf]), b);
    same(read(b), [1, 0, 0, 1, 1]);
    B.copy(i64([0, -3, 0, 1, 2]), b);
    same(read(b), [0, 1, 0, 1, 1]);
    const f = outF([3]);
    B.copy(bool([1, 0, 1]), f);
    same(read(f), [1, 0, 1]);
    B.copy(i64([16777217, -3, 2 ** 40 + 1]), f);
    same(read(f), [16777216, -3, 2 ** 40]);
  });
});

describe("unary", () => {
  const run = (op: Parameters<typeof B.unary>[0], xs: number[]) => {
    const out = outF([xs.length]);
    B.unary(op, f32(xs), out);
    return read(out);
  };
  it("computes each op, rounded to float32", () => {
    same(run("neg", [1, -2, 0]), [-1, 2, -0]);
    same(run("exp", [0, 1, -Inf, Inf]), [1, fr(Math.E), 0, Inf]);
    same(run("log", [1, 0, -1]), [0, -Inf, NaN_]);
    same(run("log1p", [0, -1, 1e-10]), [0, -Inf, fr(1e-10)]);
    same(run("sqrt", [4, -0, -1]), [2, -0, NaN_]);
    same(run("abs", [-3, -0, NaN_]), [3, 0, NaN_]);
    same(run("tanh", [0, Inf, -Inf]), [0, 1, -1]);
    same(run("sin", [0, -0]), [0, -0]);
    same(run("cos", [0]), [1]);
    same(run("floor", [-0.5, 1.5, -0]), [-1, 1, -0]);
    same(run("ceil", [-0.5, 1.2]), [-0, 2]);
    same(run("trunc", [-1.7, 1.7, -0.2]), [-1, 1, -0]);
  });
  it("round is half-to-even and keeps the sign of zero", () => {
    same(run("round", [-2.5, -1.5, -0.5, -0.3, 0.5, 1.5, 2.5, 0.49999997, 3.7, 2 ** 24 + 2]),
      [-2, -2, -0, -0, 0, 2, 2, 0, 4, 2 ** 24 + 2]);
  });
  it("sign, relu and sigmoid edge cases follow PyTorch", () => {
    same(run("sign", [-2, -0, 0, 3, NaN_]), [-1, 0, 0, 1, 0]); // torch 1.13: sign(nan) = 0
    same(run("relu", [-1, -0, 0, 2, NaN_]), [0, -0, 0, 2, NaN_]);
    same(run("sigmoid", [0, -1000, 1000, -Inf, Inf, NaN_]), [0.5, 0, 1, 0, 1, NaN_]);
    same(run("sigmoid", [2, -2]), [fr(1 / (1 + Math.exp(-2))), fr(1 / (1 + Math.exp(2)))]);
  });
  it("erf matches known values to float32", () => {
    // erf at float32-exact points (values as in Abramowitz & Stegun table 7.1, more digits)
    const xs = [0, -0, 0.125, 0.25, 0.5, 1, 1.5, 2, 3, -1, 3.5, 4, 10, -Inf, NaN_, 2 ** -70];
    const want = [0, -0, 0.1403162048013338, 0.2763263901682369, 0.5204998778130465, 0.8427007929497149,
      0.9661051464753108, 0.9953222650189527, 0.9999779095030014, -0.8427007929497149, 0.9999992569016276,
      1, 1, -1, NaN_, (2 / Math.sqrt(Math.PI)) * 2 ** -70];
    same(run("erf", xs), want.map(fr));
    // odd symmetry and monotonicity on a grid
    const pos = Array.from({ length: 401 }, (_, i) => fr(i * 0.01));
    const e = run("erf", pos);
    same(run("erf", pos.map((x) => -x)), e.map((v) => -v));
    for (let i = 1; i < pos.length; i++) expect(e[i]).toBeGreaterThanOrEqual(e[i - 1]);
  });
  it("int64 neg/abs/sign stay integers without -0; other ops refuse int64", () => {
    const out = outI([3]);
    B.unary("neg", i64([0, 3, -4]), out);
    same(read(out), [0, -3, 4]);
    B.unary("abs", i64([0, 3, -4]), out);
    same(read(out), [0, 3, 4]);
    B.unary("sign", i64([0, 3, -4]), out);
    same(read(out), [0, 1, -1]);
    expect(() => B.unary("exp", i64([1]), outI([1]))).toThrow(/not defined on int64/);
    expect(() => B.unary("neg", f32([1]), outI([1]))).toThrow(TypeError);
  });
  it("works on a transposed input and in place", () => {
    const out = outF([2, 2]);
    B.unary("neg", f32([1, 2, 3, 4], [2, 2], [1, 2]), out);
    same(read(out), [-1, -3, -2, -4]);
    B.unary("sqrt", out, out);
    same(read(out), [NaN_, NaN_, NaN_, NaN_]);
  });
});

describe("clamp", () => {
  it("is min(max(x, lo), hi) with NaN kept and lo > hi giving hi", () => {
    const out = outF([6]);
    B.clamp(f32([-3, 0.5, 3, NaN_, -0, -Inf]), -1, 1, out);
    same(read(out), [-1, 0.5, 1, NaN_, -0, -1]);
    B.clamp(f32([-3, 0.5, 3, NaN_, 0, 5]), 2, 1, out);
    same(read(out), [1, 1, 1, NaN_, 1, 1]);
    B.clamp(f32([-0, 0, 5, -5, 1, 2]), 0, Inf, out);
    same(read(out), [-0, 0, 5, 0, 1, 2]); // a value equal to the bound is kept
  });
  it("clamps int64 with integer bounds only", () => {
    const out = outI([3]);
    B.clamp(i64([1, 5, 9]), 2, 7, out);
    same(read(out), [2, 5, 7]);
    expect(() => B.clamp(i64([1]), 0.5, Inf, outI([1]))).toThrow(/integer/);
  });
});

describe("binary", () => {
  const arith = (op: Parameters<typeof B.binary>[0], a: number[], b: number[]) => {
    const out = outF([a.length]);
    B.binary(op, f32(a), f32(b), out);
    return read(out);
  };
  it("float32 arithmetic rounds each result to float32", () => {
    same(arith("add", [0.1, -0, 1e30], [0.2, -0, 1e30]), [fr(fr(0.1) + fr(0.2)), -0, fr(2e30)]);
    same(arith("sub", [1, Inf], [3, Inf]), [-2, NaN_]);
    same(arith("mul", [3, -0, Inf], [0.5, 1, 0]), [1.5, -0, NaN_]);
    same(arith("div", [1, 1, -1, 0], [3, 0, 0, 0]), [fr(1 / 3), Inf, -Inf, NaN_]);
  });
  it("pow follows PyTorch's special cases", () => {
    same(arith("pow", [0, -2, -2, 0, 2, 4, NaN_], [0, 0.5, 3, -1, -1, 0.5, 0]), [1, NaN_, -8, Inf, 0.5, 2, 1]);
  });
  it("maximum/minimum propagate NaN", () => {
    same(arith("maximum", [1, NaN_, 3, -Inf], [2, 1, NaN_, -Inf]), [2, NaN_, NaN_, -Inf]);
    same(arith("minimum", [1, NaN_, 3, 5], [2, 1, NaN_, -Inf]), [1, NaN_, NaN_, -Inf]);
  });
  it("broadcasts a row and a column through stride-0 views", () => {
    const out = outF([2, 3]);
    B.binary("sub", f32([10, 20], [2, 3], [1, 0]), f32([1, 2, 3], [2, 3], [0, 1]), out);
    same(read(out), [9, 8, 7, 19, 18, 17]);
    // in place on a non-contiguous out (columns 1..2 of a 2x3 buffer)
    const data = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const o = view(data, [2, 2], [3, 1], 1);
    B.binary("mul", o, f32([10], [2, 2], [0, 0]), o);
    same(Array.from(data), [1, 20, 30, 4, 50, 60]);
  });
  it("int64 arithmetic stays exact integers and refuses div", () => {
    const out = outI([4]);
    B.binary("mul", i64([0, 2, -3, 2 ** 26]), i64([-3, -1, 4, 2 ** 26]), out);
    same(read(out), [0, -2, -12, 2 ** 52]);
    B.binary("pow", i64([2, 0, -3, 5]), i64([10, 0, 3, 1]), out);
    same(read(out), [1024, 1, -27, 5]);
    B.binary("maximum", i64([2, 0, -3, 5]), i64([10, 0, 3, 1]), out);
    same(read(out), [10, 0, 3, 5]);
    expect(() => B.binary("div", i64([1]), i64([2]), outI([1]))).toThrow(/not defined on int64/);
    expect(() => B.binary("add", i64([1]), f32([2]), outI([1]))).toThrow(TypeError);
  });
  it("comparisons give 0/1 and NaN compares false except ne", () => {
    const a = f32([1, 2, NaN_, -0, Inf]), b = f32([2, 2, NaN_, 0, Inf]);
    const want: Record<string, number[]> = {
      eq: [0, 1, 0, 1, 1], ne: [1, 0, 1, 0, 0], lt: [1, 0, 0, 0, 0],
      le: [1, 1, 0, 1, 1], gt: [0, 0, 0, 0, 0], ge: [0, 1, 0, 1, 1],
    };
    for (const op of ["eq", "ne", "lt", "le", "gt", "ge"] as const) {
      const out = outB([5]);
      B.binary(op, a, b, out);
      same(read(out), want[op]);
    }
    const out = outB([2]);
    B.binary("lt", i64([3, -1]), i64([3, 0]), out);
    same(read(out), [0, 1]);
    expect(() => B.binary("eq", f32([1]), f32([1]), outF([1]))).toThrow(/out is float32, expected bool/);
  });
  it("logical ops on bool", () => {
    const a = bool([0, 0, 1, 1]), b = bool([0, 1, 0, 1]);
    for (const [op, want] of [["and", [0, 0, 0, 1]], ["or", [0, 1, 1, 1]], ["xor", [0, 1, 1, 0]]] as const) {
      const out = outB([4]);
      B.binary(op, a, b, out);
      same(read(out), [...want]);
    }
    expect(() => B.binary("and", f32([1]), f32([1]), outB([1]))).toThrow(TypeError);
  });
});

describe("where", () => {
  it("selects per element, with a broadcast condition", () => {
    const out = outF([2, 2]);
    B.where(bool([1, 0], [2, 2], [0, 1]), f32([1, 2, 3, 4], [2, 2]), f32([NaN_], [2, 2], [0, 0]), out);
    same(read(out), [1, NaN_, 3, NaN_]);
    const oi = outI([3]);
    B.where(bool([0, 1, 0]), i64([1, 2, 3]), i64([-1, -2, -3]), oi);
    same(read(oi), [-1, 2, -3]);
    expect(() => B.where(f32([1]), f32([1]), f32([1]), outF([1]))).toThrow(/cond is float32/);
  });
});

describe("reduce", () => {
  const x23 = () => f32([1, 2, 3, 4, 5, 6], [2, 3]);
  it("sums over any set of dims into the keepdim layout", () => {
    let out = outF([1, 3]);
    B.reduce("sum", x23(), out);
    same(read(out), [5, 7, 9]);
    out = outF([2, 1]);
    B.reduce("sum", x23(), out);
    same(read(out), [6, 15]);
    out = outF([1, 1]);
    B.reduce("sum", x23(), out);
    same(read(out), [21]);
    out = outF([2, 3]); // nothing reduced: a copy
    B.reduce("sum", x23(), out);
    same(read(out), [1, 2, 3, 4, 5, 6]);
  });
  it("sums a transposed, offset view", () => {
    const x = f32([0, 1, 2, 3, 4, 5, 6], [3, 2], [1, 3], 1); // [[1,4],[2,5],[3,6]]
    const out = outF([3, 1]);
    B.reduce("sum", x, out);
    same(read(out), [5, 7, 9]);
  });
  it("accumulates float32 sums in double", () => {
    // 2^24 + 1 + 1 + ... : in float32 each +1 would be lost
    const xs = [2 ** 24, ...new Array(16).fill(1)];
    const out = outF([1]);
    B.reduce("sum", f32(xs), out);
    same(read(out), [2 ** 24 + 16]);
  });
  it("sums int64 exactly and bool into int64; -0 sums to +0; empty sums are 0", () => {
    const oi = outI([1]);
    B.reduce("sum", i64([2 ** 50, 1, -3]), oi);
    same(read(oi), [2 ** 50 - 2]);
    B.reduce("sum", bool([1, 0, 1, 1]), oi);
    same(read(oi), [3]);
    const of = outF([1]);
    B.reduce("sum", f32([-0, -0]), of);
    same(read(of), [0]);
    const oe = outF([1, 2]);
    B.reduce("sum", f32([], [0, 2]), oe);
    same(read(oe), [0, 0]);
  });
  it("max/min propagate NaN and keep the first of equal values", () => {
    const out = outF([2, 1]);
    B.reduce("max", f32([1, NaN_, 2, -Inf, -Inf, -Inf], [2, 3]), out);
    same(read(out), [NaN_, -Inf]);
    B.reduce("min", f32([3, 1, 2, 5, NaN_, -1], [2, 3]), out);
    same(read(out), [1, NaN_]);
    B.reduce("max", f32([-0, 0, 0, -0], [2, 2]), out);
    same(read(out), [-0, 0]);
    const oc = outF([1, 2]);
    B.reduce("max", f32([1, 8, 3, 4], [2, 2]), oc);
    same(read(oc), [3, 8]);
    const oi = outI([1]);
    B.reduce("min", i64([4, -7, 2]), oi);
    same(read(oi), [-7]);
  });
  it("max/min of an empty dim throw; bad shapes throw", () => {
    expect(() => B.reduce("max", f32([], [0, 2]), outF([1, 2]))).toThrow(RangeError);
    B.reduce("max", f32([], [2, 0]), outF([2, 0])); // empty output: nothing to do
    expect(() => B.reduce("sum", x23(), outF([2, 2]))).toThrow(/keepdim/);
    expect(() => B.reduce("sum", x23(), outF([3]))).toThrow(/keepdim/);
  });
});

describe("argReduce", () => {
  it("gives the first index of the extreme along a dim", () => {
    const x = f32([3, 3, 1, 1, 0, 5, 5, 0], [2, 4]);
    let out = outI([2, 1]);
    B.argReduce("argmax", x, 1, out);
    same(read(out), [0, 1]);
    B.argReduce("argmin", x, 1, out);
    same(read(out), [2, 0]);
    out = outI([1, 4]);
    B.argReduce("argmax", x, 0, out);
    same(read(out), [0, 1, 1, 0]);
  });
  it("counts NaN as the extreme, first NaN wins", () => {
    const out = outI([1]);
    B.argReduce("argmax", f32([1, NaN_, NaN_, Inf]), 0, out);
    same(read(out), [1]);
    B.argReduce("argmin", f32([1, -Inf, NaN_]), 0, out);
    same(read(out), [2]);
    B.argReduce("argmax", f32([NaN_, 1]), 0, out);
    same(read(out), [0]);
  });
  it("works on a transposed view and rejects bad input", () => {
    const out = outI([1, 2]);
    B.argReduce("argmax", f32([1, 9, 5, 2], [2, 2], [1, 2]), 0, out); // [[1,5],[9,2]]
    same(read(out), [1, 0]);
    expect(() => B.argReduce("argmax", f32([], [0]), 0, outI([1]))).toThrow(RangeError);
    expect(() => B.argReduce("argmax", f32([1, 2]), 1, outI([1]))).toThrow(/dim 1/);
    expect(() => B.argReduce("argmax", f32([1, 2]), 0, outF([1]))).toThrow(TypeError);
  });
});

describe("matmul", () => {
  /** Reference: out[b,i,j] = fround(sum_k in double), written plainly. */
  function ref(a: View, b: View): number[] {
    const [Bn, M, K] = a.shape, N = b.shape[2];
    const res: number[] = [];
    const at = (v: View, i: number, j: number, k: number) => v.typedArray[v.offset + i * v.strides[0] + j * v.strides[1] + k * v.strides[2]];
    for (let p = 0; p < Bn; p++) for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += at(a, p, i, k) * at(b, p, k, j);
      res.push(fr(s));
    }
    return res;
  }
  it("multiplies small matrices", () => {
    const out = outF([1, 2, 2]);
    B.matmul(f32([1, 2, 3, 4, 5, 6], [1, 2, 3]), f32([7, 8, 9, 10, 11, 12], [1, 3, 2]), out);
    same(read(out), [58, 64, 139, 154]);
  });
  it("reads transposes, offsets and a stride-0 batch, and K = 0 gives zeros", () => {
    // a^T where a is stored [3,2]; b^T stored [2,3]; b shared by both batches
    const a = f32([0, 1, 4, 2, 5, 3, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3], [6, 1, 2], 1);
    const b = f32([7, 9, 11, 8, 10, 12], [2, 3, 2], [0, 1, 3]);
    const out = outF([2, 2, 2]);
    B.matmul(a, b, out);
    same(read(out), [58, 64, 139, 154, ...ref(a, b).slice(4)]);
    const z = outF([1, 2, 3]);
    B.matmul(f32([], [1, 2, 0]), f32([], [1, 0, 3]), z);
    same(read(z), [0, 0, 0, 0, 0, 0]);
  });
  it("propagates Inf and NaN (Inf * 0 is NaN)", () => {
    const out = outF([1, 1, 2]);
    B.matmul(f32([Inf, 1], [1, 1, 2]), f32([0, 1, 1, 1], [1, 2, 2]), out);
    same(read(out), [NaN_, Inf]);
  });
  it("matches the double-accumulation reference on random odd shapes, same bits on every path", () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const [Bn, M, K, N] = [2, 7, 33, 13];
    const a = f32(Array.from({ length: Bn * M * K }, rnd), [Bn, M, K]);
    const bData = Array.from({ length: Bn * K * N }, rnd);
    const b = f32(bData, [Bn, K, N]);
    const want = ref(a, b);
    const out = outF([Bn, M, N]);
    B.matmul(a, b, out);
    same(read(out), want);
    // the same b stored transposed ([B,N,K] contiguous) takes the dot-product path
    const bt = new Float32Array(Bn * K * N);
    for (let p = 0; p < Bn; p++) for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) bt[p * N * K + j * K + k] = bData[p * K * N + k * N + j];
    const out2 = outF([Bn, M, N]);
    B.matmul(a, view(bt, [Bn, K, N], [N * K, 1, K]), out2);
    same(read(out2), want);
  });
  it("rejects mismatched shapes and non-float32", () => {
    expect(() => B.matmul(f32([1, 2], [1, 1, 2]), f32([1, 2], [1, 1, 2]), outF([1, 1, 2]))).toThrow(/do not match/);
    expect(() => B.matmul(i64([1], [1, 1, 1]), f32([1], [1, 1, 1]), outF([1, 1, 1]))).toThrow(TypeError);
    expect(() => B.matmul(f32([1], [1, 1]), f32([1], [1, 1]), outF([1, 1]))).toThrow(/3-D/);
  });
});

describe("softmax", () => {
  it("normalizes each row of the last dim, stably", () => {
    const out = outF([2, 3]);
    B.softmax(f32([1, 2, 3, 1000, 1001, 1002], [2, 3]), out, false);
    const e = [Math.exp(-2), Math.exp(-1), 1], s = e[0] + e[1] + e[2];
    const want = e.map((v) => fr(v / s));
    same(read(out), [...want, ...want]);
    B.softmax(f32([1, 2, 3, 1000, 1001, 1002], [2, 3]), out, true);
    const lw = [-2, -1, 0].map((v) => fr(v - Math.log(s)));
    same(read(out), [...lw, ...lw]);
  });
  it("handles -Inf, +Inf and NaN as PyTorch", () => {
    const out = outF([4, 2]);
    const x = f32([-Inf, 0, -Inf, -Inf, 1, Inf, NaN_, 1], [4, 2]);
    B.softmax(x, out, false);
    same(read(out), [0, 1, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_]);
    B.softmax(x, out, true);
    same(read(out), [-Inf, 0, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_]);
  });
  it("works in place, at an offset, on a 0-d tensor; rejects strided views", () => {
    const data = Float32Array.from([9, 0, 0]);
    const v = view(data, [2], [1], 1);
    B.softmax(v, v, false);
    same(Array.from(data), [9, 0.5, 0.5]);
    const o0 = outF([]);
    B.softmax(f32([3], []), o0, true);
    same(read(o0), [0]);
    expect(() => B.softmax(f32([1, 2, 3, 4], [2, 2], [1, 2]), outF([2, 2]), false)).toThrow(/contiguous/);
  });
});

describe("gather and scatterAdd", () => {
  it("gathers along dim 1 and dim 0", () => {
    const x = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    let out = outF([2, 2]);
    B.gather(x, 1, i64([2, 0, 1, 1], [2, 2]), out);
    same(read(out), [3, 1, 5, 5]);
    out = outF([1, 3]);
    B.gather(x, 0, i64([1, 0, 1], [1, 3]), out);
    same(read(out), [4, 2, 6]);
    // transposed x, broadcast index column
    out = outF([3, 2]);
    B.gather(f32([1, 2, 3, 4, 5, 6], [3, 2], [1, 3]), 1, i64([1], [3, 2], [0, 0]), out);
    same(read(out), [4, 4, 5, 5, 6, 6]);
  });
  it("throws a RangeError naming a bad index and writes nothing", () => {
    const x = f32(new Array(64).fill(1), [64, 1]);
    const out = outF([2, 1]);
    expect(() => B.gather(x, 0, i64([3, 70], [2, 1]), out)).toThrow(
      "gather(): index 70 is out of bounds for dimension 0 with size 64",
    );
    same(read(out), [NaN_, NaN_]);
    expect(() => B.gather(x, 0, i64([-1], [1, 1]), outF([1, 1]))).toThrow(/index -1 is out of bounds/);
    expect(() => B.gather(x, 2, i64([0], [1, 1]), outF([1, 1]))).toThrow(/dim 2/);
    expect(() => B.gather(x, 0, i64([0, 0], [1, 2]), outF([1, 2]))).toThrow(/larger/);
  });
  it("scatterAdd accumulates repeated indices into out", () => {
    const data = Float32Array.from([0, 0, 0, 10, 10, 10]);
    const out = view(data, [2, 3]);
    B.scatterAdd(out, 1, i64([0, 0, 2, 1, 1, 1], [2, 3]), f32([1, 2, 3, 4, 5, 6], [2, 3]));
    same(Array.from(data), [3, 0, 3, 10, 25, 10]);
    const oi = view(new Float64Array(3), [3]);
    B.scatterAdd(oi, 0, i64([2, 2, 0]), i64([1, 2, 3]));
    same(read(oi), [3, 0, 3]);
  });
  it("scatterAdd rejects a bad index before writing", () => {
    const data = Float32Array.from([1, 1, 1]);
    expect(() => B.scatterAdd(view(data, [3]), 0, i64([0, 3]), f32([5, 5]))).toThrow(
      "scatter_add(): index 3 is out of bounds for dimension 0 with size 3",
    );
    same(Array.from(data), [1, 1, 1]);
    expect(() => B.scatterAdd(view(data, [3]), 0, i64([0, 1]), f32([5]))).toThrow(RangeError);
  });
});

describe("info", () => {
  it("names the backend", () => {
    expect(B.info()).toEqual({ name: "js", isa: "js", threads: 1 });
  });
});

describe("fused updates: addScaled, adamStep, matmul accumulate", () => {
  const F32 = new Float32Array(1);
  const U32 = new Uint32Array(F32.buffer);
  /** The float32 next to x (a float32) toward +Infinity (dir 1) or -Infinity (dir -1). */
  function nextFloat(x: number, dir: 1 | -1): number {
    if (x === 0) return dir * 2 ** -149;
    F32[0] = x;
    U32[0] += (x > 0) === (dir > 0) ? 1 : -1;
    return F32[0];
  }
  const big = (x: number) => BigInt(x * 2 ** 300); // exact: every float32 and product of two is a multiple of 2^-298
  const abs = (x: bigint) => (x < 0n ? -x : x);
  /** True when r is the float32 nearest to a*b + c (ties to even), checked in exact integers. */
  function isCorrectFma(a: number, b: number, c: number, r: number): boolean {
    const exact = big(a * b) + big(c);
    const d = abs(exact - big(r));
    for (const n of [nextFloat(r, 1), nextFloat(r, -1)]) {
      const dn = abs(exact - big(n));
      if (dn < d) return false;
      if (dn === d) {
        F32[0] = r;
        if (U32[0] & 1) return false; // a tie must go to the even neighbour
      }
    }
    return true;
  }

  it("fmaf rounds a*b + c once, where rounding the double sum to float32 would be wrong", async () => {
    const { fmaf } = await import("../lib/backend/js/scalar.js");
    // exact sum just below the halfway point of 1+2^-23 and 1+2^-22; the double sum lands on it
    const a = 1 + 2 ** -23, b = 2 ** -24 * (1 - 2 ** -23), c = 1 + 2 ** -23;
    expect(Math.fround(a * b + c)).toBe(1 + 2 ** -22);
    expect(fmaf(a, b, c)).toBe(1 + 2 ** -23);
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let naiveWrong = 0;
    for (let i = 0; i < 20000; i++) {
      // c anywhere; a*b close to half an ulp of c, with low bits that need more than a double
      const cc = Math.fround((rnd() * 4 - 2) * 2 ** Math.floor(rnd() * 20 - 10));
      if (cc === 0) continue;
      const half = (Math.abs(nextFloat(cc, 1) - cc)) / 2;
      const aa = Math.fround(half * (1 + Math.floor(rnd() * 8) * 2 ** -23)) * (rnd() < 0.5 ? -1 : 1);
      const bb = Math.fround(1 + (Math.floor(rnd() * 16) - 8) * 2 ** -24);
      const r = fmaf(aa, bb, cc);
      if (!isCorrectFma(aa, bb, cc, r)) throw new Error(`fmaf(${aa}, ${bb}, ${cc}) = ${r} is not correctly rounded`);
      if (!isCorrectFma(aa, bb, cc, Math.fround(aa * bb + cc))) naiveWrong++;
      // and plain random operands
      const [x, y, z] = [rnd() * 6 - 3, rnd() * 6 - 3, rnd() * 6 - 3].map(Math.fround);
      if (!isCorrectFma(x, y, z, fmaf(x, y, z))) throw new Error(`fmaf(${x}, ${y}, ${z}) is not correctly rounded`);
    }
    expect(naiveWrong).toBeGreaterThan(0); // the cases above do reach the double-rounding trap
    expect(fmaf(Inf, 0, 1)).toBeNaN();
    expect(fmaf(3e38, 2, 0)).toBe(Inf);
    expect(Object.is(fmaf(-0, 1, -0), -0)).toBe(true);
  });

  it("addScaled: out = a + alpha*b with b broadcast, in place", () => {
    const out = outF([2, 3]);
    B.addScaled(f32([1, 2, 3, 4, 5, 6], [2, 3]), f32([10, 20, 30], [2, 3], [0, 1]), -0.5, out);
    same(read(out), [-4, -8, -12, -1, -5, -9]);
    const p = f32([1, 2, 3]);
    B.addScaled(p, f32([1, 1, 1]), 0.1, p);
    same(read(p), [1, 2, 3].map((x) => Math.fround(x + Math.fround(0.1))));
    expect(() => B.addScaled(f32([1, 2]), f32([1, 2, 3]), 1, outF([2]))).toThrow(/b has shape \[3\], expected \[2\]/);
  });

  it("adamStep follows PyTorch's float32 operation order, with amsgrad and decoupled decay", async () => {
    const { fmaf } = await import("../lib/backend/js/scalar.js");
    const f = Math.fround;
    const h = { beta1: 0.9, beta2: 0.999, negStepSize: -0.01 / (1 - 0.9 ** 2), bc2Sqrt: Math.sqrt(1 - 0.999 ** 2), eps: 1e-8, decay: 0.999 };
    const [p0, g0, m0, v0, x0] = [
      [0.5, -1.25, 2, 0.003], [0.1, -2, 0, 7], [0.01, 0.2, -0.3, 0], [0.001, 0.5, 0.2, 0], [0.002, 0.1, 0.3, 0],
    ].map((xs) => xs.map(f));
    for (const amsgrad of [false, true]) {
      // p (strided), grad, expAvg, expAvgSq, maxExpAvgSq
      const p = f32([p0[0], 9, p0[1], 9, p0[2], 9, p0[3]], [4], [2]);
      const [g, m, v, x] = [f32(g0), f32(m0), f32(v0), f32(x0)];
      B.adamStep(p, g, m, v, amsgrad ? x : null, h);
      for (let i = 0; i < 4; i++) {
        const mi = fmaf(g0[i], f(1 - h.beta1), f(m0[i] * f(h.beta1)));
        const vi = f(f(v0[i] * f(h.beta2)) + f(f(f(1 - h.beta2) * g0[i]) * g0[i]));
        const wi = amsgrad ? Math.max(x0[i], vi) : vi;
        const d = f(f(f(Math.sqrt(wi)) / f(h.bc2Sqrt)) + f(h.eps));
        const pi = f(f(p0[i] * f(h.decay)) + f(f(f(h.negStepSize) * mi) / d));
        expect([read(p)[i], read(m)[i], read(v)[i]]).toEqual([pi, mi, vi]);
        expect(read(x)[i]).toBe(amsgrad ? wi : x0[i]);
        expect(read(g)[i]).toBe(g0[i]);
      }
      expect(p.typedArray[1]).toBe(9); // between the strided elements
    }
    expect(() => B.adamStep(f32([1, 2]), f32([1]), f32([1, 2]), f32([1, 2]), null, h)).toThrow(/grad has shape \[1\], expected \[2\]/);
  });

  it("matmul with accumulate adds the product to out, rounding once", () => {
    const out = f32([1, 2, 3, 4], [1, 2, 2]);
    B.matmul(f32([1, 2, 3, 4, 5, 6], [1, 2, 3]), f32([7, 8, 9, 10, 11, 12], [1, 3, 2]), out, true);
    same(read(out), [59, 66, 142, 158]);
    const z = f32([5, 6], [1, 1, 2]);
    B.matmul(f32([], [1, 1, 0]), f32([], [1, 0, 2]), z, true); // K = 0: out unchanged
    same(read(z), [5, 6]);
  });
});
