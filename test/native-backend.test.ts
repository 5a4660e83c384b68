// The native backend against the JS backend (the oracle), op by op, on contiguous, offset,
// transposed, strided and broadcast (stride-0) views, outputs poisoned with NaN, on every ISA this
// CPU runs and on 1 and 2 threads; matmul at the microkernel's tile edges; bit-identical results
// across thread counts; the binding's rejection of bad input; env vars and worker_threads.
// ref: XNNPACK's gemm-microkernel-tester (tile edges), llamafile's NaN-filled outputs, tfjs's ALL_ENVS.

import { spawnSync } from "node:child_process";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAddon } from "../lib/backend/addon.js";
import { jsBackend as J } from "../lib/backend/js.js";
import { nativeInfo, setIsa, setNumThreads } from "../lib/backend/native.js";
import type { Backend, BinaryOp, Storage, UnaryOp, View } from "../lib/backend/types.js";
import { nativeUnderTest } from "./helpers/native.js";

const { backend: N, addon, info: info0, isas: ISAS } = nativeUnderTest();
const addonPath = loadAddon().path as string;
const CONFIGS = ISAS.flatMap((isa) => [1, 2].map((threads) => ({ isa, threads })));

// ---------------------------------------------------------------------------------------------
// Views

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, k = 1; d >= 0; k *= shape[d], d--) s[d] = k;
  return s;
}
/** Storage offsets of a view's elements, row-major. */
function offsets(v: View): Float64Array {
  const n = size(v.shape);
  const res = new Float64Array(n);
  const nd = v.shape.length;
  const idx = new Array<number>(nd).fill(0);
  let o = v.offset;
  for (let e = 0; e < n; e++) {
    res[e] = o;
    for (let d = nd - 1; d >= 0; d--) {
      o += v.strides[d];
      if (++idx[d] < v.shape[d]) break;
      o -= v.shape[d] * v.strides[d];
      idx[d] = 0;
    }
  }
  return res;
}
function read(v: View): Float64Array {
  const off = offsets(v);
  const res = new Float64Array(off.length);
  for (let i = 0; i < off.length; i++) res[i] = v.typedArray[off[i]];
  return res;
}
function indexOf(shape: readonly number[], flat: number): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `(${idx.join(",")})`;
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

type Gen = () => number;
const SPECIALS = [Number.NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 1, -1, 2, 88.5, -100];
/** Uniform in [-3, 3), with a special value one time in eight. */
function values(r: () => number, special = true): Gen {
  return () => (special && r() < 0.125 ? SPECIALS[Math.floor(r() * SPECIALS.length)] : r() * 6 - 3);
}

type Kind = "f32" | "i64" | "bool";
function alloc(kind: Kind, n: number): Storage {
  return kind === "f32" ? new Float32Array(n) : kind === "i64" ? new Float64Array(n) : new Uint8Array(n);
}

type Mode = "contig" | "offset" | "transposed" | "strided" | "broadcast";
const MODES: Mode[] = ["contig", "offset", "transposed", "strided", "broadcast"];

/**
 * A view of `shape` laid out as `mode`, its elements drawn from gen and everything else in the
 * storage NaN (so a kernel reading outside the view shows). broadcast: every other dim of size
 * > 1 has stride 0.
 */
function makeView(shape: number[], mode: Mode, gen: Gen, kind: Kind = "f32"): View {
  const nd = shape.length;
  let base: number[];
  let strides: number[];
  let offset = 0;
  let storageLen: number;
  if (mode === "transposed") {
    const rev = [...shape].reverse();
    const cs = contiguousStrides(rev);
    strides = shape.map((_, d) => cs[nd - 1 - d]);
    storageLen = size(shape);
  } else if (mode === "strided") {
    const big = [...shape];
    if (nd > 0) big[nd - 1] *= 2;
    const cs = contiguousStrides(big);
    strides = cs.map((s, d) => (d === nd - 1 ? 2 : s));
    storageLen = size(big);
  } else if (mode === "broadcast") {
    let k = 0;
    base = shape.map((s) => (s > 1 && k++ % 2 === 0 ? 1 : s));
    const cs = contiguousStrides(base);
    strides = cs.map((s, d) => (base[d] === 1 && shape[d] > 1 ? 0 : s));
    storageLen = size(base);
  } else {
    strides = contiguousStrides(shape);
    storageLen = size(shape);
    if (mode === "offset") offset = 3;
  }
  const data = alloc(kind, storageLen + offset + 2);
  data.fill(kind === "f32" ? Number.NaN : 77);
  const v: View = { typedArray: data, shape, strides, offset };
  for (const o of offsets(v)) data[o] = gen();
  return v;
}
/** An output poisoned with NaN (7 for int/bool; 77 in the storage around it), contiguous or transposed. */
function makeOut(shape: number[], kind: Kind, transposed = false): View {
  return makeView(shape, transposed ? "transposed" : "contig", () => (kind === "f32" ? Number.NaN : 7), kind);
}
/** Same layout, fresh storage, same contents. */
function clone(v: View): View {
  return { ...v, typedArray: v.typedArray.slice() };
}

// ---------------------------------------------------------------------------------------------
// Comparisons

interface Tol { rtol: number; atol: number }
const EXACT: Tol = { rtol: 0, atol: 0 };

/** Fails with `op[tag] shape at (i,j): want w got g`. +0 and -0 count as equal; NaN equals NaN. */
function expectClose(what: string, got: View, want: View, tol: Tol = EXACT): void {
  const g = read(got), w = read(want);
  expect(g.length).toBe(w.length);
  for (let i = 0; i < g.length; i++) {
    const a = g[i], b = w[i];
    const ok = Number.isNaN(b)
      ? Number.isNaN(a)
      : a === b || (Number.isFinite(b) && Math.abs(a - b) <= tol.atol + tol.rtol * Math.abs(b));
    if (!ok) throw new Error(`${what} shape=[${got.shape}] at ${indexOf(got.shape, i)}: want ${b} got ${a}`);
  }
}
/** The storage of out outside the view must be untouched (still its poison). */
function expectOutsideUntouched(what: string, out: View, poison: number): void {
  const inside = new Uint8Array(out.typedArray.length);
  for (const o of offsets(out)) inside[o] = 1;
  for (let o = 0; o < out.typedArray.length; o++) {
    if (inside[o]) continue;
    const v = out.typedArray[o];
    if (!(Number.isNaN(poison) ? Number.isNaN(v) : v === poison)) {
      throw new Error(`${what}: wrote storage element ${o} outside the output view (${v})`);
    }
  }
}
function bitsEqual(what: string, a: Storage, b: Storage): void {
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) {
      throw new Error(`${what}: element ${i} differs: ${a[i]} vs ${b[i]}`);
    }
  }
}

const SHAPES: number[][] = [[0], [], [1], [7], [16], [17], [33], [3, 5], [4, 1, 6], [2, 3, 4, 5], [5, 0, 3]];
const BIG_SHAPES: number[][] = [[300, 257], [70001]];

// Accuracy of the vectorized transcendental functions, measured against double libm (see
// native/elementwise_simd.h): within ~2.5 ulp; sin/cos/log1p/erf/pow use float libm (<= 1 ulp).
const UNARY_TOL: Partial<Record<UnaryOp, Tol>> = {
  exp: { rtol: 4e-7, atol: 1e-38 },
  log: { rtol: 4e-7, atol: 1e-38 },
  tanh: { rtol: 4e-7, atol: 1e-38 },
  sigmoid: { rtol: 4e-7, atol: 1e-38 },
  log1p: { rtol: 2.5e-7, atol: 1e-38 },
  erf: { rtol: 2.5e-7, atol: 1e-38 },
  sin: { rtol: 2.5e-7, atol: 1e-38 },
  cos: { rtol: 2.5e-7, atol: 1e-38 },
};
const UNARY_OPS: UnaryOp[] = [
  "neg", "exp", "log", "log1p", "sqrt", "abs", "sign", "relu", "sigmoid", "tanh", "erf", "sin", "cos",
  "floor", "ceil", "round", "trunc",
];
const ARITH_OPS: BinaryOp[] = ["add", "sub", "mul", "div", "pow", "maximum", "minimum"];
const COMPARE_OPS: BinaryOp[] = ["eq", "ne", "lt", "le", "gt", "ge"];

/** Runs `run` on native and JS backends with outputs of both layouts and compares. */
function both(what: string, shape: number[], kind: Kind, run: (B: Backend, out: View) => void, tol: Tol = EXACT): void {
  for (const transposed of [false, true]) {
    const outN = makeOut(shape, kind, transposed);
    const outJ = makeOut(shape, kind, false);
    run(N, outN);
    run(J, outJ);
    const w = `${what}${transposed ? " outT" : ""}`;
    expectClose(w, outN, outJ, tol);
    expectOutsideUntouched(w, outN, kind === "f32" ? Number.NaN : 77);
  }
}

// ---------------------------------------------------------------------------------------------
// Per ISA and thread count

// NOTE: generous timeouts: the JS oracle and the checks dominate, on a shared 2-core machine.
const SLOW = { timeout: 180_000 };

for (const { isa, threads } of CONFIGS) {
  const tag = `native ${isa} t=${threads}`;
  describe(tag, SLOW, () => {
    beforeAll(() => {
      setIsa(isa);
      setNumThreads(threads);
      expect(N.info()).toMatchObject({ name: "native", isa, threads });
    });

    it("unary ops", () => {
      const r = rng(1);
      for (const op of UNARY_OPS) {
        for (const shape of [...SHAPES, ...BIG_SHAPES]) {
          const modes = size(shape) > 1000 ? (["contig", "transposed"] as Mode[]) : MODES;
          for (const mode of modes) {
            const x = makeView(shape, mode, values(r));
            both(`${op}[${tag}] ${mode}`, shape, "f32", (B, out) => B.unary(op, x, out), UNARY_TOL[op]);
          }
        }
      }
    });

    it("unary in place (out is x)", () => {
      const r = rng(2);
      for (const op of ["exp", "relu", "tanh"] as UnaryOp[]) {
        const x = makeView([37], "contig", values(r));
        const want = makeOut([37], "f32");
        J.unary(op, x, want);
        N.unary(op, x, x);
        expectClose(`${op}[${tag}] in place`, x, want, UNARY_TOL[op]);
      }
    });

    it("clamp", () => {
      const r = rng(3);
      // NaN bounds are ignored, as in PyTorch 1.13 (torch.clamp(x, min=nan) == x)
      const bounds: [number, number][] = [[-1, 2], [0, Infinity], [-Infinity, 0.5], [2, -1], [-0.3, -0.3], [Number.NaN, 1], [-1, Number.NaN]];
      for (const [lo, hi] of bounds) {
        for (const shape of [...SHAPES, [300, 257]]) {
          for (const mode of MODES) {
            const x = makeView(shape, mode, values(r));
            both(`clamp(${lo},${hi})[${tag}] ${mode}`, shape, "f32", (B, out) => B.clamp(x, lo, hi, out));
          }
        }
      }
    });

    it("arithmetic and comparisons, all layout pairs", () => {
      const r = rng(4);
      for (const op of [...ARITH_OPS, ...COMPARE_OPS]) {
        const kind: Kind = COMPARE_OPS.includes(op) ? "bool" : "f32";
        // NOTE: pow's NaN exponent and +-1 bases are left out: Math.pow (JS) and powf (PyTorch,
        // native) disagree there; see the explicit pow test below.
        const gb = op === "pow" ? () => [0, 1, 2, 3, -1, 0.5, -2, 1.7][Math.floor(r() * 8)] : values(r);
        const ga = op === "pow" ? () => (r() < 0.1 ? Number.NaN : r() * 6 - 3) : values(r);
        for (const shape of [...SHAPES, ...BIG_SHAPES]) {
          const modes: Mode[] = size(shape) > 1000 ? ["contig", "broadcast"] : MODES;
          for (const ma of modes) {
            for (const mb of modes) {
              const a = makeView(shape, ma, ga);
              const b = makeView(shape, mb, gb);
              const tol = op === "pow" ? { rtol: 2.5e-7, atol: 1e-38 } : EXACT;
              both(`${op}[${tag}] ${ma}/${mb}`, shape, kind, (B, out) => B.binary(op, a, b, out), tol);
            }
          }
        }
      }
    });

    it("row broadcast (bias add) and column broadcast", () => {
      const r = rng(5);
      for (const [m, n] of [[64, 512], [3, 17], [5, 1], [1, 40], [129, 10]]) {
        const x = makeView([m, n], "contig", values(r));
        const bias = makeView([n], "contig", values(r));
        const row: View = { ...bias, shape: [m, n], strides: [0, 1] };
        const col0 = makeView([m], "contig", values(r));
        const col: View = { ...col0, shape: [m, n], strides: [1, 0] };
        for (const op of ["add", "sub", "mul", "div", "maximum"] as BinaryOp[]) {
          both(`${op}[${tag}] [${m},${n}]+row`, [m, n], "f32", (B, out) => B.binary(op, x, row, out));
          both(`${op}[${tag}] row+[${m},${n}]`, [m, n], "f32", (B, out) => B.binary(op, row, x, out));
          both(`${op}[${tag}] [${m},${n}]+col`, [m, n], "f32", (B, out) => B.binary(op, x, col, out));
          both(`${op}[${tag}] row+col`, [m, n], "f32", (B, out) => B.binary(op, row, col, out));
        }
      }
    });

    it("logical ops on bool", () => {
      const r = rng(6);
      for (const op of ["and", "or", "xor"] as BinaryOp[]) {
        for (const shape of SHAPES) {
          for (const mode of MODES) {
            const a = makeView(shape, mode, () => (r() < 0.5 ? 0 : r() < 0.5 ? 1 : 3), "bool");
            const b = makeView(shape, "broadcast", () => (r() < 0.5 ? 0 : 1), "bool");
            both(`${op}[${tag}] ${mode}`, shape, "bool", (B, out) => B.binary(op, a, b, out));
          }
        }
      }
    });

    it("where, fill and copy with every dtype", () => {
      const r = rng(7);
      const kinds: Kind[] = ["f32", "i64", "bool"];
      const gen = (k: Kind): Gen => (k === "f32" ? values(r) : k === "i64" ? () => Math.floor(r() * 20) - 10 : () => (r() < 0.5 ? 0 : 1));
      for (const shape of [...SHAPES, [300, 257]]) {
        for (const mode of MODES) {
          for (const k of kinds) {
            const c = makeView(shape, mode, () => (r() < 0.5 ? 0 : 1), "bool");
            const a = makeView(shape, "transposed", gen(k), k);
            const b = makeView(shape, mode, gen(k), k);
            both(`where ${k}[${tag}] ${mode}`, shape, k, (B, out) => B.where(c, a, b, out));
            for (const value of [0, 1, -2.5, Number.NaN]) {
              if (k === "i64" && !Number.isInteger(value)) continue;
              both(`fill ${k} ${value}[${tag}]`, shape, k, (B, out) => B.fill(out, value));
            }
            for (const to of kinds) {
              // float32 -> int64 of NaN/Inf throws in both backends; only finite values here.
              const x = makeView(shape, mode, k === "f32" && to === "i64" ? () => r() * 20 - 10 : gen(k), k);
              both(`copy ${k}->${to}[${tag}] ${mode}`, shape, to, (B, out) => B.copy(x, out));
            }
          }
        }
      }
    });

    it("reduce sum/max/min into keepdim layouts", () => {
      const r = rng(8);
      const cases: [number[], number[]][] = [
        [[7], [1]], [[1000], [1]], [[3, 5], [1, 5]], [[3, 5], [3, 1]], [[3, 5], [1, 1]],
        [[4, 1, 6], [4, 1, 1]], [[2, 3, 4, 5], [1, 3, 1, 5]], [[2, 3, 4, 5], [2, 1, 4, 1]],
        [[64, 512], [1, 512]], [[64, 512], [64, 1]], [[100000], [1]], [[3, 40000], [3, 1]],
        [[40000, 3], [1, 3]], [[2, 0, 3], [2, 1, 3]], [[5, 5], [5, 5]],
        // Row lengths around the sum kernel's 32- and 16-element steps.
        [[3, 63], [3, 1]], [[3, 64], [3, 1]], [[3, 97], [3, 1]], [[3, 129], [3, 1]],
        // Column mode in blocks of rows: several blocks, several column chunks, outer kept dims,
        // blocks that cut across two reduced dims.
        [[600, 300], [1, 300]], [[520, 1030], [1, 1030]], [[3, 600, 260], [3, 1, 260]],
        [[30, 20, 300], [1, 1, 300]],
      ];
      for (const op of ["sum", "max", "min"] as const) {
        for (const [shape, oshape] of cases) {
          if (op !== "sum" && size(shape) === 0) continue;
          const modes: Mode[] = size(shape) > 5000 ? ["contig", "transposed"] : MODES;
          for (const mode of modes) {
            const x = makeView(shape, mode, values(r, op !== "sum"));
            // NOTE: both sum in double, in different orders: allow the last float bit to differ.
            const tol = op === "sum" ? { rtol: 1.2e-7, atol: 1e-9 } : EXACT;
            both(`${op}[${tag}] ${mode} [${shape}]->[${oshape}]`, oshape, "f32", (B, out) => B.reduce(op, x, out), tol);
          }
        }
      }
    });

    it("argmax / argmin (first index, NaN wins)", () => {
      const r = rng(9);
      const ties = () => [0, 1, 1, 2, 2, -1][Math.floor(r() * 6)];
      for (const op of ["argmax", "argmin"] as const) {
        for (const shape of [[7], [3, 5], [4, 1, 6], [2, 3, 4, 5], [64, 10], [3000, 7]]) {
          for (let dim = 0; dim < shape.length; dim++) {
            for (const mode of MODES) {
              const gen = r() < 0.5 ? ties : values(r);
              const x = makeView(shape, mode, gen);
              const oshape = shape.map((s, d) => (d === dim ? 1 : s));
              both(`${op}[${tag}] ${mode} dim=${dim}`, oshape, "i64", (B, out) => B.argReduce(op, x, dim, out));
            }
          }
        }
      }
    });

    it("softmax and log-softmax over rows", () => {
      const r = rng(10);
      for (const log of [false, true]) {
        for (const shape of [[1], [10], [64, 10], [3, 257], [2, 3, 33], [5, 1000], [2, 5000], [0, 4]]) {
          const x = makeView(shape, "contig", () => r() * 20 - 10);
          const tol = log ? { rtol: 1e-6, atol: 1e-6 } : { rtol: 1e-6, atol: 1e-9 };
          const what = `${log ? "log_softmax" : "softmax"}[${tag}]`;
          // contiguous outputs only (the contract), so no transposed out here
          const outN = makeOut(shape, "f32"), outJ = makeOut(shape, "f32");
          N.softmax(x, outN, log);
          J.softmax(x, outJ, log);
          expectClose(what, outN, outJ, tol);
          const inplace = clone(x);
          N.softmax(inplace, inplace, log);
          expectClose(`${what} in place`, inplace, outJ, tol);
        }
        // special rows: -inf entries, a NaN, all -inf, +inf
        const rows = [[0, -Infinity, 1], [1, Number.NaN, 2], [-Infinity, -Infinity, -Infinity], [Infinity, 1, 2]];
        for (const row of rows) {
          const x = makeView([3], "contig", ((i) => () => row[i++])(0));
          const outN = makeOut([3], "f32"), outJ = makeOut([3], "f32");
          N.softmax(x, outN, log);
          J.softmax(x, outJ, log);
          expectClose(`softmax(log=${log})[${tag}] [${row}]`, outN, outJ, { rtol: 1e-6, atol: 1e-7 });
        }
      }
    });

    it("gather and scatterAdd", () => {
      const r = rng(11);
      for (const [xshape, ishape, dim] of [
        [[5], [7], 0], [[4, 6], [4, 3], 1], [[4, 6], [2, 6], 0], [[3, 4, 5], [3, 2, 5], 1],
        [[64, 10], [64, 1], 1], [[300, 257], [300, 257], 0], [[6, 4], [3, 2], 0],
      ] as [number[], number[], number][]) {
        for (const mode of MODES) {
          const x = makeView(xshape, mode, values(r));
          const index = makeView(ishape, mode === "broadcast" ? "broadcast" : "transposed", () => Math.floor(r() * xshape[dim]), "i64");
          both(`gather[${tag}] ${mode} dim=${dim}`, ishape, "f32", (B, out) => B.gather(x, dim, index, out));
          // scatterAdd reads out: start both from the same values
          const src = makeView(ishape, mode, values(r, false));
          const start = makeView(xshape, "transposed", values(r, false));
          const oN = clone(start), oJ = clone(start);
          N.scatterAdd(oN, dim, index, src);
          J.scatterAdd(oJ, dim, index, src);
          expectClose(`scatterAdd[${tag}] ${mode} dim=${dim}`, oN, oJ);
        }
      }
    });

    it("matmul at tile edges (MR 4/6/8, NR 8/16/32, KC 256/512, small-M 128, dot tiles), all layouts", () => {
      const r = rng(12);
      const shapes: [number, number, number][] = [];
      for (const m of [1, 3, 4, 5, 6, 7, 8, 9, 13, 17]) for (const n of [1, 7, 8, 9, 16, 17, 31, 32, 33]) shapes.push([m, n, (m * n) % 2 ? 1 : 17]);
      shapes.push([7, 17, 255], [7, 17, 256], [7, 17, 257], [9, 33, 513], [8, 32, 256], [1, 1, 0], [0, 5, 3], [3, 0, 4]);
      shapes.push([129, 33, 65], [145, 17, 257], [385, 40, 300], [200, 70, 513], [64, 512, 784], [64, 10, 512]);
      // KC is 512 on avx2/avx512; narrow C (min(m, n) <= 16) with k >= 32 takes the dot-product path
      shapes.push([9, 40, 511], [9, 40, 512], [130, 20, 513], [16, 64, 33], [17, 64, 31], [64, 9, 48], [5, 64, 47]);
      for (const [m, n, k] of shapes) {
        const layouts: [string, string][] = m * n * k > 2e5
          ? [["contig", "contig"], ["transposed", "contig"], ["contig", "transposed"]]
          : [["contig", "contig"], ["transposed", "contig"], ["contig", "transposed"], ["transposed", "transposed"], ["offset", "strided"], ["strided", "offset"]];
        for (const [la, lb] of layouts) {
          for (const batch of [1, 2]) {
            if (batch === 2 && m * n * k > 2e5) continue;
            // transposed: the [M,K] matrix stored as [K,M] (a^T through strides), per batch
            const mat = (rows: number, cols: number, layout: string): View => {
              if (layout === "transposed") {
                const v = makeView([batch, cols, rows], "contig", () => r() * 2 - 1);
                return { ...v, shape: [batch, rows, cols], strides: [v.strides[0], 1, rows] };
              }
              return makeView([batch, rows, cols], layout as Mode, () => r() * 2 - 1);
            };
            const a = mat(m, k, la);
            // batch stride 0 for b when batch is 2: one b shared by both batches
            const b0 = mat(k, n, lb);
            const b: View = batch === 2 ? { ...b0, strides: [0, b0.strides[1], b0.strides[2]] } : b0;
            const outN = makeOut([batch, m, n], "f32"), outJ = makeOut([batch, m, n], "f32");
            N.matmul(a, b, outN);
            J.matmul(a, b, outJ);
            // tolerance from the float32 accumulation bound: k * eps * sum_k |a||b|
            const absA: View = { ...a, typedArray: a.typedArray.map(Math.abs) as Float32Array };
            const absB: View = { ...b, typedArray: b.typedArray.map(Math.abs) as Float32Array };
            const mag = makeOut([batch, m, n], "f32");
            J.matmul(absA, absB, mag);
            const g = read(outN), w = read(outJ), s = read(mag);
            for (let i = 0; i < g.length; i++) {
              const tol = 1e-6 + (k + 2) * 1.2e-7 * s[i];
              if (!(Math.abs(g[i] - w[i]) <= tol)) {
                throw new Error(`matmul[${tag}] m=${m} n=${n} k=${k} batch=${batch} a=${la} b=${lb} at ${indexOf([batch, m, n], i)}: want ${w[i]} got ${g[i]}`);
              }
            }
          }
        }
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------

describe("native: fused updates (addScaled, adamStep) and matmul accumulate against JS", SLOW, () => {
  const ADAM = { beta1: 0.9, beta2: 0.999, negStepSize: -1e-3 / (1 - 0.9 ** 3), bc2Sqrt: Math.sqrt(1 - 0.999 ** 3), eps: 1e-8, decay: 1 };
  // An Adam state: m anything, v >= 0 (a running mean of squares), vmax >= 0.
  const adamViews = (shape: number[], modes: Mode[], r: () => number, amsgrad: boolean) => {
    const g = values(r);
    const pos = () => Math.abs(r() * 3 - 1.5);
    const vs = [
      makeView(shape, modes[0], values(r, false)),
      makeView(shape, modes[1], g),
      makeView(shape, modes[2], values(r, false)),
      makeView(shape, modes[3], pos),
    ];
    return { vs, vmax: amsgrad ? makeView(shape, modes[4], pos) : null };
  };
  afterAll(() => {
    setIsa(info0.isa);
    setNumThreads(info0.threads);
  });

  for (const { isa, threads } of CONFIGS) {
    const tag = `native ${isa} t=${threads}`;
    it(`addScaled: one rounding, every layout, in place [${tag}]`, () => {
      setIsa(isa);
      setNumThreads(threads);
      const r = rng(41);
      for (const shape of [...SHAPES, ...BIG_SHAPES]) {
        for (const ma of MODES) {
          for (const mb of MODES) {
            if (size(shape) > 1000 && ma !== "contig" && mb !== "contig") continue;
            const a = makeView(shape, ma, values(r));
            const b = makeView(shape, mb, values(r));
            for (const alpha of [-1e-3, 0.3, -2.5]) {
              both(`addScaled[${tag}] a=${ma} b=${mb} alpha=${alpha}`, shape, "f32", (B, out) => B.addScaled(a, b, alpha, out));
              // in place: out is a (SGD's p.add_(g, { alpha: -lr })); an output can't broadcast
              if (ma === "broadcast") continue;
              const aN = clone(a), aJ = clone(a);
              N.addScaled(aN, b, alpha, aN);
              J.addScaled(aJ, b, alpha, aJ);
              expectClose(`addScaled in place[${tag}] a=${ma} b=${mb}`, aN, aJ);
            }
          }
        }
      }
    });

    it(`adamStep: PyTorch's float32 order, every layout, amsgrad and decay [${tag}]`, () => {
      setIsa(isa);
      setNumThreads(threads);
      const r = rng(42);
      const layouts: Mode[][] = [
        ["contig", "contig", "contig", "contig", "contig"],
        ["transposed", "strided", "offset", "contig", "transposed"],
        ["strided", "contig", "transposed", "offset", "strided"],
      ];
      for (const shape of [[0], [1], [7], [16], [17], [33], [3, 5], [4, 1, 6], [300, 257]]) {
        for (const modes of layouts) {
          for (const amsgrad of [false, true]) {
            for (const decay of [1, 1 - 1e-3 * 0.01]) {
              const { vs, vmax } = adamViews(shape, modes, r, amsgrad);
              const vN = vs.map(clone), vJ = vs.map(clone);
              const xN = vmax && clone(vmax), xJ = vmax && clone(vmax);
              N.adamStep(vN[0], vN[1], vN[2], vN[3], xN, { ...ADAM, decay });
              J.adamStep(vJ[0], vJ[1], vJ[2], vJ[3], xJ, { ...ADAM, decay });
              const w = `adamStep[${tag}] [${modes}] amsgrad=${amsgrad} decay=${decay}`;
              ["p", "grad", "expAvg", "expAvgSq"].forEach((name, i) => expectClose(`${w} ${name}`, vN[i], vJ[i]));
              if (xN && xJ) expectClose(`${w} maxExpAvgSq`, xN, xJ);
            }
          }
        }
      }
    });

    it(`matmul accumulate: out += a b at tile edges [${tag}]`, () => {
      setIsa(isa);
      setNumThreads(threads);
      const r = rng(43);
      const shapes: [number, number, number][] = [[1, 1, 1], [5, 17, 3], [7, 33, 257], [13, 9, 0], [64, 512, 64], [512, 64, 64], [6, 16, 300]];
      for (const [m, n, k] of shapes) {
        for (const [la, lb] of [["contig", "contig"], ["transposed", "contig"], ["contig", "transposed"]]) {
          const mat = (rows: number, cols: number, layout: string): View => {
            if (layout === "transposed") {
              const v = makeView([1, cols, rows], "contig", () => r() * 2 - 1);
              return { ...v, shape: [1, rows, cols], strides: [0, 1, rows] };
            }
            return makeView([1, rows, cols], "contig", () => r() * 2 - 1);
          };
          const a = mat(m, k, la), b = mat(k, n, lb);
          const outN = makeView([1, m, n], "contig", () => r() * 4 - 2);
          const outJ = clone(outN);
          N.matmul(a, b, outN, true);
          J.matmul(a, b, outJ, true);
          const absA: View = { ...a, typedArray: a.typedArray.map(Math.abs) as Float32Array };
          const absB: View = { ...b, typedArray: b.typedArray.map(Math.abs) as Float32Array };
          const mag = makeOut([1, m, n], "f32");
          J.matmul(absA, absB, mag);
          const g = read(outN), w = read(outJ), s = read(mag), c0 = read(outJ);
          for (let i = 0; i < g.length; i++) {
            const tol = 1e-6 + (k + 3) * 1.2e-7 * (s[i] + Math.abs(c0[i]));
            if (!(Math.abs(g[i] - w[i]) <= tol)) {
              throw new Error(`matmul accumulate[${tag}] m=${m} n=${n} k=${k} a=${la} b=${lb} at ${indexOf([1, m, n], i)}: want ${w[i]} got ${g[i]}`);
            }
          }
          expectOutsideUntouched(`matmul accumulate[${tag}] m=${m} n=${n} k=${k}`, outN, Number.NaN);
        }
      }
    });
  }

  it("the binding checks addScaled and adamStep arguments", () => {
    const f32 = (n: number) => new Float32Array(n);
    const meta = (...xs: number[]) => Float64Array.from(xs);
    const v1 = (n: number) => [1, 0, n, 1];
    expect(() => addon.addScaled(meta(...v1(4), ...v1(4), ...v1(4)), f32(4), f32(4), f32(4), "2" as unknown as number)).toThrow(/alpha must be a number/);
    expect(() => addon.addScaled(meta(...v1(4), ...v1(3), ...v1(4)), f32(4), f32(3), f32(4), 2)).toThrow(/b has shape \[3\] but out has shape \[4\]/);
    expect(() => addon.addScaled(meta(...v1(4), ...v1(4), ...v1(4)), f32(4), new Float64Array(4) as unknown as Float32Array, f32(4), 2)).toThrow(TypeError);
    const m4 = meta(...v1(4), ...v1(4), ...v1(4), ...v1(4));
    const nums = [0.9, 0.999, -1e-3, 0.5, 1e-8, 1] as const;
    expect(() => addon.adamStep(m4, f32(4), f32(4), f32(4), f32(4), null, ...nums)).not.toThrow();
    expect(() => addon.adamStep(m4, f32(4), f32(4), f32(4), f32(4), f32(4), ...nums)).toThrow(/meta is too short/);
    expect(() => addon.adamStep(meta(...v1(4), ...v1(4), ...v1(5), ...v1(4)), f32(4), f32(4), f32(5), f32(4), null, ...nums)).toThrow(/expAvg has shape \[5\] but p has shape \[4\]/);
    expect(() => addon.adamStep(m4, f32(4), f32(4), f32(4), f32(3), null, ...nums)).toThrow(RangeError);
    expect(() => addon.adamStep(m4, f32(4), f32(4), f32(4), f32(4), [1] as unknown as Float32Array, ...nums)).toThrow(TypeError);
    expect(() => addon.adamStep(meta(1, 0, 4, 0, ...v1(4), ...v1(4), ...v1(4)), f32(4), f32(4), f32(4), f32(4), null, ...nums)).toThrow(/broadcast/);
    const bad = [...nums] as number[];
    bad[3] = "x" as unknown as number;
    expect(() => addon.adamStep(m4, f32(4), f32(4), f32(4), f32(4), null, ...(bad as [number, number, number, number, number, number]))).toThrow(/bc2Sqrt must be a number/);
  });
});

describe("native: results don't depend on the thread count", SLOW, () => {
  it("bit-identical on 1, 2 and 3 threads for every ISA", () => {
    const r = rng(20);
    const x = makeView([513, 777], "contig", values(r, false));
    const y = makeView([513, 777], "transposed", values(r, false));
    const a = makeView([1, 200, 513], "contig", () => r() * 2 - 1);
    const b = makeView([1, 513, 300], "contig", () => r() * 2 - 1);
    const big = makeView([3_000_001], "contig", values(r, false));
    const wide = makeView([700, 1030], "contig", values(r, false));
    const runs: Record<string, (out: () => View) => View> = {
      exp: (o) => { const v = o(); N.unary("exp", x, v); return v; },
      mulT: (o) => { const v = o(); N.binary("mul", x, y, v); return v; },
      softmax: (o) => { const v = o(); N.softmax(x, v, false); return v; },
      matmul: () => { const v = makeOut([1, 200, 300], "f32"); N.matmul(a, b, v); return v; },
      sumRows: () => { const v = makeOut([513, 1], "f32"); N.reduce("sum", x, v); return v; },
      sumCols: () => { const v = makeOut([1, 777], "f32"); N.reduce("sum", x, v); return v; },
      sumT: () => { const v = makeOut([1, 777], "f32"); N.reduce("sum", y, v); return v; },
      maxCols: () => { const v = makeOut([1, 777], "f32"); N.reduce("max", x, v); return v; },
      sumColsWide: () => { const v = makeOut([1, 1030], "f32"); N.reduce("sum", wide, v); return v; },
      sumAll: () => { const v = makeOut([1], "f32"); N.reduce("sum", big, v); return v; },
      maxAll: () => { const v = makeOut([1], "f32"); N.reduce("max", big, v); return v; },
    };
    for (const isa of ISAS) {
      setIsa(isa);
      for (const [name, run] of Object.entries(runs)) {
        const results = [1, 2, 3].map((t) => {
          setNumThreads(t);
          return run(() => makeOut([513, 777], "f32"));
        });
        bitsEqual(`${name}[native ${isa}] t=1 vs t=2`, results[0].typedArray, results[1].typedArray);
        bitsEqual(`${name}[native ${isa}] t=1 vs t=3`, results[0].typedArray, results[2].typedArray);
      }
    }
    setIsa(info0.isa);
    setNumThreads(info0.threads);
  });
});

describe("native: ISA-specific semantics", () => {
  it("pow follows PyTorch (C powf): pow(1, NaN) = 1, pow(-1, +-inf) = 1, pow(x, 2) = x*x", () => {
    for (const isa of ISAS) {
      setIsa(isa);
      const a = makeView([4], "contig", ((i) => () => [1, -1, -1, 1.1][i++])(0));
      const b = makeView([4], "contig", ((i) => () => [Number.NaN, Infinity, -Infinity, 2][i++])(0));
      const out = makeOut([4], "f32");
      N.binary("pow", a, b, out);
      expect(Array.from(read(out)), isa).toEqual([1, 1, 1, Math.fround(Math.fround(1.1) * Math.fround(1.1))]);
    }
    setIsa(info0.isa);
  });

  it("info reports the ISA and threads; setIsa / setNumThreads validate", () => {
    expect(info0.compiledIsas).toContain("scalar");
    expect(ISAS).toContain(info0.cpuIsa);
    expect(() => setIsa("sse9")).toThrow(RangeError);
    const missing = ["avx2", "avx512", "neon"].find((i) => !ISAS.includes(i));
    if (missing !== undefined) expect(() => setIsa(missing)).toThrow(/not supported/);
    expect(() => addon.setNumThreads(0)).toThrow(RangeError);
    expect(() => addon.setNumThreads(1.5)).toThrow(RangeError);
    expect(() => addon.setNumThreads("2" as unknown as number)).toThrow(TypeError);
    expect(() => setNumThreads(-1)).toThrow(RangeError);
    expect(nativeInfo()!.isa).toBe(info0.isa);
  });
});

// ---------------------------------------------------------------------------------------------

describe("native binding: bad input throws, never crashes", SLOW, () => {
  const f32 = (n: number) => new Float32Array(n);
  const meta = (...xs: number[]) => Float64Array.from(xs);
  const v1 = (n: number, off = 0, stride = 1) => [1, off, n, stride];

  it("wrong typed arrays, dtypes and argument counts", () => {
    const m = meta(...v1(4), ...v1(4));
    expect(() => addon.unary(1, m, new Int32Array(4) as unknown as Float32Array, f32(4))).toThrow(/x must be a Float32Array.*got Int32Array/);
    expect(() => addon.unary(1, m, new Float64Array(4) as unknown as Float32Array, f32(4))).toThrow(TypeError);
    expect(() => addon.unary(1, m, [1, 2, 3, 4] as unknown as Float32Array, f32(4))).toThrow(/got Array/);
    expect(() => addon.unary(1, m, f32(4), undefined as unknown as Float32Array)).toThrow(TypeError);
    expect(() => addon.unary(1, [1, 0, 4, 1, 1, 0, 4, 1] as unknown as Float64Array, f32(4), f32(4))).toThrow(/meta must be a Float64Array/);
    expect(() => addon.unary(1, new Float32Array(8) as unknown as Float64Array, f32(4), f32(4))).toThrow(/meta must be a Float64Array/);
    expect(() => (addon.unary as (...a: unknown[]) => void)(1, m, f32(4))).toThrow(/expected 4 arguments/);
    // NOTE: codes by name: the tables grow (binaryOps lists them in order)
    const eq = addon.binaryOps.indexOf("eq"), and = addon.binaryOps.indexOf("and");
    expect(() => addon.binary(eq, meta(...v1(2), ...v1(2), ...v1(2)), f32(2), f32(2), f32(2))).toThrow(/out must be a Uint8Array/);
    expect(() => addon.binary(and, meta(...v1(2), ...v1(2), ...v1(2)), f32(2), f32(2), new Uint8Array(2))).toThrow(/a must be a Uint8Array/);
    expect(() => addon.where(meta(...v1(2), ...v1(2), ...v1(2), ...v1(2)), new Uint8Array(2), f32(2), new Float64Array(2), f32(2))).toThrow(TypeError);
  });

  it("op codes, dims and flags are checked", () => {
    const m = meta(...v1(4), ...v1(4));
    for (const op of [-1, addon.unaryOps.length, 1.5, Number.NaN]) expect(() => addon.unary(op, m, f32(4), f32(4))).toThrow(RangeError);
    expect(() => addon.unary("exp" as unknown as number, m, f32(4), f32(4))).toThrow(TypeError);
    const am = meta(2, 0, 2, 3, 3, 1, 2, 0, 2, 1, 1, 1);
    expect(() => addon.argReduce(0, am, f32(6), new Float64Array(2), 2)).toThrow(/dim must be an integer in \[0, 1\]/);
    expect(() => addon.softmax(m, f32(4), f32(4), 1 as unknown as boolean)).toThrow(/log must be a boolean/);
  });

  it("views reaching outside their arrays", () => {
    const x = f32(10), out = f32(10);
    const bad: [string, number[]][] = [
      ["offset past the end", [1, 10, 1, 1]],
      ["shape too big", [1, 0, 11, 1]],
      ["stride too big", [1, 0, 4, 4]],
      ["offset + extent", [1, 5, 6, 1]],
      ["2-d extent", [2, 0, 3, 4, 4, 1]],
      ["huge stride", [2, 0, 2, 2, 2 ** 52, 1]],
    ];
    for (const [what, xm] of bad) {
      const nd = xm[0];
      const om = [nd, 0, ...xm.slice(2, 2 + nd), ...xm.slice(2, 2 + nd).map((_, d, s) => s.slice(d + 1).reduce((p, q) => p * q, 1))];
      expect(() => addon.unary(0, meta(...xm, ...om), x, out), what).toThrow(/outside its array/);
    }
    // the output is checked as well
    expect(() => addon.unary(0, meta(...v1(10), ...v1(10, 1)), x, out)).toThrow(/out with offset 1/);
    // a broadcast input may be huge but only touches its first element; the output can't be
    expect(() => addon.unary(0, meta(1, 0, 2 ** 40, 0, 1, 0, 2 ** 40, 1), x, out)).toThrow(/out .*outside its array/);
  });

  it("negative, fractional and non-finite metadata, too many dims, wrong meta length", () => {
    const x = f32(10), out = f32(10);
    const bad: [string, number[], RegExp][] = [
      ["negative stride", [1, 0, 4, -1, ...v1(4)], /strides\[0\] must be an integer in \[0/],
      ["negative size", [1, 0, -4, 1, ...v1(4)], /shape\[0\] must be an integer in \[0/],
      ["negative offset", [1, -1, 4, 1, ...v1(4)], /offset must be an integer/],
      ["fractional offset", [1, 0.5, 4, 1, ...v1(4)], /offset must be an integer/],
      ["NaN size", [1, 0, Number.NaN, 1, ...v1(4)], /shape\[0\]/],
      ["infinite stride", [1, 0, 4, Infinity, ...v1(4)], /strides\[0\]/],
      ["ndim 9", [9, 0, ...new Array(18).fill(1), ...v1(1)], /ndim must be an integer in \[0, 8\]/],
      ["too short", [1, 0, 4, 1, 1, 0, 4], /meta is too short/],
      ["too long", [...v1(4), ...v1(4), 0], /meta has 9 numbers but the views use 8/],
    ];
    for (const [what, m, re] of bad) {
      expect(() => addon.unary(0, meta(...m), x, out), what).toThrow(re);
      expect(() => addon.unary(0, meta(...m), x, out), what).toThrow(RangeError);
    }
  });

  it("detached buffers", () => {
    const x = f32(4);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    expect(x.length).toBe(0);
    expect(() => addon.unary(0, meta(...v1(4), ...v1(4)), x, f32(4))).toThrow(/detached/);
    // an empty view of a detached buffer touches nothing: allowed
    expect(() => addon.unary(0, meta(...v1(0), ...v1(0)), x, f32(0))).not.toThrow();
  });

  it("op-specific shape rules", () => {
    const m2 = (a: number[], b: number[]) => meta(...a, ...b);
    expect(() => addon.unary(0, m2([2, 0, 2, 2, 2, 1], v1(4)), f32(4), f32(4))).toThrow(/x has shape \[2,2\] but out has shape \[4\]/);
    expect(() => addon.unary(0, m2(v1(4), [1, 0, 4, 0]), f32(4), f32(4))).toThrow(/stride 0.*broadcast/);
    const huge = [2, 0, 2 ** 20, 2 ** 20, 1, 1];
    expect(() => addon.unary(0, m2(huge, huge), f32(2 ** 21), f32(2 ** 21))).toThrow(/elements overlap/);
    expect(() => addon.reduce(0, m2([2, 0, 2, 3, 3, 1], [2, 0, 2, 2, 2, 1]), f32(6), f32(4))).toThrow(/keepdim/);
    // matmul: [1,2,3] x [1,4,2] doesn't chain
    const mm = meta(3, 0, 1, 2, 3, 6, 3, 1, 3, 0, 1, 4, 2, 8, 2, 1, 3, 0, 1, 2, 2, 4, 2, 1);
    expect(() => addon.matmul(mm, f32(6), f32(8), f32(4))).toThrow(/shapes don't match/);
    const buf = f32(12);
    const ok = meta(3, 0, 1, 2, 2, 4, 2, 1, 3, 4, 1, 2, 2, 4, 2, 1, 3, 8, 1, 2, 2, 4, 2, 1);
    expect(() => addon.matmul(ok, buf, buf, buf)).not.toThrow();
    const overlap = meta(3, 0, 1, 2, 2, 4, 2, 1, 3, 4, 1, 2, 2, 4, 2, 1, 3, 2, 1, 2, 2, 4, 2, 1);
    expect(() => addon.matmul(overlap, buf, buf, buf)).toThrow(/out must not overlap a/);
    expect(() => addon.matmul(meta(3, 0, 1, 2, 2, 4, 2, 1, 3, 4, 1, 2, 2, 4, 2, 1, 3, 8, 1, 2, 2, 4, 1, 2), buf, buf, buf)).toThrow(/out must be contiguous/);
    expect(() => addon.softmax(meta(2, 0, 2, 2, 1, 2, 2, 0, 2, 2, 2, 1), f32(4), f32(4), false)).toThrow(/x must be contiguous/);
    // gather: index larger than x outside dim
    expect(() => addon.gather(meta(2, 0, 2, 2, 2, 1, 2, 0, 3, 1, 1, 1, 2, 0, 3, 1, 1, 1), f32(4), new Float64Array(3), f32(3), 1)).toThrow(/doesn't fit/);
  });

  it("bad indices throw RangeError and leave out untouched", () => {
    const x = Float32Array.from([1, 2, 3]);
    for (const bad of [3, -1, 0.5, Number.NaN, Infinity]) {
      const index = Float64Array.from([0, bad]);
      const out = Float32Array.from([9, 9]);
      expect(() => addon.gather(meta(...v1(3), ...v1(2), ...v1(2)), x, index, out, 0)).toThrow(RangeError);
      expect(Array.from(out)).toEqual([9, 9]);
      expect(() => N.gather({ typedArray: x, shape: [3], strides: [1], offset: 0 }, 0, { typedArray: index, shape: [2], strides: [1], offset: 0 }, { typedArray: out, shape: [2], strides: [1], offset: 0 })).toThrow(/gather\(\): index .* is out of bounds for dimension 0 with size 3 \(at index position \[1\]\)/);
      const o2 = Float32Array.from([5, 5, 5]);
      expect(() => addon.scatterAdd(meta(...v1(3), ...v1(2), ...v1(2)), o2, index, Float32Array.from([1, 1]), 0)).toThrow(RangeError);
      expect(Array.from(o2)).toEqual([5, 5, 5]);
    }
    expect(() => addon.reduce(1, meta(1, 0, 0, 1, 1, 0, 1, 1), f32(0), f32(1))).toThrow(/size 0/);
    expect(() => addon.argReduce(0, meta(2, 0, 2, 0, 1, 1, 2, 0, 2, 1, 1, 1), f32(0), new Float64Array(2), 1)).toThrow(RangeError);
  });

  it("random garbage: every call either works or throws a TypeError/RangeError", () => {
    const r = rng(30);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
    const nums = [0, 1, 2, 3, 7, -1, 0.5, 1e300, -0, Number.NaN, Infinity, 2 ** 53, 2 ** 31, 8, 9];
    const arrays = (): unknown => pick([f32(0), f32(1), f32(8), f32(64), new Float64Array(8), new Uint8Array(8), new Int8Array(8), [1, 2], null, 3, "x", {}]);
    const fns = ["fill", "copy", "unary", "clamp", "binary", "where", "reduce", "argReduce", "matmul", "softmax", "gather", "scatterAdd"] as const;
    for (let i = 0; i < 4000; i++) {
      const fn = pick([...fns]);
      const nd = pick([0, 1, 2, 3, 9]);
      const m: number[] = [];
      for (let v = 0; v < 4; v++) {
        m.push(r() < 0.1 ? pick(nums) : nd, r() < 0.8 ? Math.floor(r() * 4) : pick(nums));
        for (let d = 0; d < 2 * nd; d++) m.push(r() < 0.85 ? Math.floor(r() * 5) : pick(nums));
      }
      const len = r() < 0.5 ? m.length : Math.floor(r() * m.length);
      const args: unknown[] = [];
      const first = fn === "unary" || fn === "binary" || fn === "reduce" || fn === "argReduce" ? [Math.floor(r() * 3)] : [];
      args.push(...first, Float64Array.from(m.slice(0, len)));
      for (let k = 0; k < 5; k++) args.push(r() < 0.7 ? pick([f32(8), f32(64), new Float64Array(64), new Uint8Array(64)]) : arrays());
      if (r() < 0.5) args[args.length - 1] = pick(nums);
      const nargs = { fill: 3, copy: 3, unary: 4, clamp: 5, binary: 5, where: 5, reduce: 4, argReduce: 5, matmul: 4, softmax: 4, gather: 5, scatterAdd: 5 }[fn];
      const call = args.slice(0, r() < 0.95 ? nargs : nargs - 1);
      if (fn === "softmax" && r() < 0.9) call[3] = r() < 0.5;
      try {
        (addon[fn] as (...a: unknown[]) => void)(...call);
      } catch (e) {
        if (!(e instanceof TypeError || e instanceof RangeError)) throw new Error(`${fn}: unexpected ${String(e)}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("native addon: environments and processes", SLOW, () => {
  const node = (code: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["-e", code], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  const infoCode = `const a = require(${JSON.stringify(addonPath)}); console.log(JSON.stringify(a.info()));`;

  it("TORCHLET_ISA and TORCHLET_NUM_THREADS are read at load; bad values warn and fall back", () => {
    const scalar = node(infoCode, { TORCHLET_ISA: "scalar", TORCHLET_NUM_THREADS: "3" });
    expect(scalar.status, scalar.stderr).toBe(0);
    expect(JSON.parse(scalar.stdout)).toMatchObject({ isa: "scalar", threads: 3, warnings: [] });
    const bogus = node(infoCode, { TORCHLET_ISA: "sse9", TORCHLET_NUM_THREADS: "lots" });
    const bi = JSON.parse(bogus.stdout);
    expect(bi.isa).toBe(info0.cpuIsa);
    expect(bi.warnings.join("\n")).toMatch(/TORCHLET_ISA=sse9 is not one of/);
    expect(bi.warnings.join("\n")).toMatch(/TORCHLET_NUM_THREADS=lots is not an integer/);
    const missing = ["avx2", "avx512", "neon"].find((i) => !ISAS.includes(i))!;
    const mi = JSON.parse(node(infoCode, { TORCHLET_ISA: missing }).stdout);
    expect(mi.isa).toBe(info0.cpuIsa);
    expect(mi.warnings[0]).toMatch(/is not supported by this/);
  });

  it("malloc tuning is reported, can be turned off, and defers to GLIBC_TUNABLES", () => {
    const tuning = (env: Record<string, string>) => JSON.parse(node(infoCode, env).stdout).mallocTuning as string;
    // glibc builds tune (ASan builds and other C libraries report why not).
    expect(tuning({})).toMatch(/^glibc: mmap_threshold 32 MB|^off \(/);
    expect(tuning({ TORCHLET_MALLOC_TUNING: "0" })).toBe(tuning({}).startsWith("glibc") ? "off (TORCHLET_MALLOC_TUNING=0)" : tuning({}));
    const own = tuning({ GLIBC_TUNABLES: "glibc.malloc.trim_threshold=1048576" });
    expect(own).toBe(tuning({}).startsWith("glibc") ? "off (GLIBC_TUNABLES sets malloc)" : tuning({}));
  });

  it("adviseHugePages takes only an ArrayBuffer and leaves contents alone", () => {
    expect(() => addon.adviseHugePages(new Float32Array(4) as never)).toThrow(TypeError);
    expect(() => (addon.adviseHugePages as (...a: unknown[]) => void)()).toThrow(/expected 1 arguments/);
    const big = new Float32Array(9 << 20); // 36 MB: past the advice threshold
    big[123] = 7;
    addon.adviseHugePages(big.buffer);
    addon.adviseHugePages(new ArrayBuffer(16));
    expect(big[123]).toBe(7);
    expect(big[(9 << 20) - 1]).toBe(0);
  });

  it("a process with a busy 4-thread pool exits promptly", () => {
    const code = `const a = require(${JSON.stringify(addonPath)}); a.setNumThreads(4);
      const x = new Float32Array(1 << 20).fill(1), y = new Float32Array(1 << 20);
      const m = Float64Array.from([1, 0, 1 << 20, 1, 1, 0, 1 << 20, 1]);
      for (let i = 0; i < 20; i++) a.unary(1, m, x, y);
      console.log(y[12345]);`;
    const t0 = Date.now();
    const res = node(code);
    expect(res.status, res.stderr).toBe(0);
    expect(Number(res.stdout)).toBeCloseTo(Math.E, 5);
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it("loads in several worker_threads at once, each with its own pool and settings", async () => {
    const code = `
      const { parentPort, workerData } = require("node:worker_threads");
      const a = require(workerData.path);
      a.setNumThreads(workerData.threads);
      const n = 200000, x = new Float32Array(n), out = new Float32Array(1);
      for (let i = 0; i < n; i++) x[i] = (i % 1000) / 1000;
      a.reduce(0, Float64Array.from([1, 0, n, 1, 1, 0, 1, 1]), x, out);
      parentPort.postMessage({ threads: a.info().threads, sum: out[0] });`;
    const workers = [1, 2, 3, 2].map((threads) => new Worker(code, { eval: true, workerData: { path: addonPath, threads } }));
    const results = await Promise.all(workers.map((w) => new Promise<{ threads: number; sum: number }>((res, rej) => {
      w.once("message", res);
      w.once("error", rej);
    })));
    await Promise.all(workers.map((w) => w.terminate()));
    expect(results.map((r) => r.threads)).toEqual([1, 2, 3, 2]);
    // sum of (i % 1000)/1000 over 200000 = 200 * 499.5, exact in float32
    for (const r of results) expect(r.sum).toBe(99900);
    // the main thread's settings are untouched by the workers
    expect(nativeInfo()!.threads).toBe(info0.threads);
  });
});
