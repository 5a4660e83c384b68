// float32 sums where each output's elements are one contiguous run (a sum over the last dims, a sum
// of everything, a permuted view whose reduced dims still form one run): native/reduce.cc folds
// each 32 elements to 8 quads in float, (x[j] + x[j+16]) + (x[j+8] + x[j+24]), and sums those in
// double (Kernels::sum_quads); js/reduce.ts folds the same quads. Checked: native = JS bit for bit on
// every ISA at 1-3 threads, at run lengths around the 32- and 64-element steps and across the
// 16384-element blocks, on data whose cancellation makes a different grouping (or no quads) show;
// the layouts that are not one run keep the double sum; the error bound eps * sum|x| + 1 ulp, which a
// float accumulator misses.
import { afterEach, describe, expect, it } from "vitest";
import { jsBackend as J } from "../lib/backend/js.js";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import type { View } from "../lib/backend/types.js";
import { expectSameBits } from "./helpers/bits.js";
import { nativeUnderTest } from "./helpers/native.js";

const t0 = nativeUnderTest();
const N = t0.backend;

const contiguous = (shape: number[]) => shape.map((_, d) => shape.slice(d + 1).reduce((p, q) => p * q, 1));
const view = (data: Float32Array, shape: number[], strides = contiguous(shape), offset = 0): View => ({ typedArray: data, offset, shape, strides });
const numel = (shape: number[]) => shape.reduce((p, q) => p * q, 1);

// Values of mixed sign and size, so the sums cancel and every rounding of a quad shows in the result.
function cancelling(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 2 ** Math.floor(r() * 12 - 6));
}

function sumInto(B: typeof N, x: View, outShape: number[]): Float32Array {
  const out = new Float32Array(numel(outShape)).fill(Number.NaN);
  B.reduce("sum", x, view(out, outShape));
  return out;
}

// Each case: x's storage length, shape, strides, and the keepdim out shape.
interface Case { name: string; len: number; shape: number[]; strides?: number[]; out: number[] }
const RUN_LENGTHS = [1, 31, 32, 33, 63, 64, 65, 95, 96, 97, 1000, 1024];
const CASES: Case[] = [
  ...RUN_LENGTHS.map((n) => ({ name: `rows of ${n}`, len: 3 * n, shape: [3, n], out: [3, 1] })),
  { name: "everything, several 16384-blocks", len: 40000, shape: [40000], out: [1] },
  { name: "rows across 16384-blocks", len: 3 * 20011, shape: [3, 20011], out: [3, 1] },
  { name: "last two dims (one run of 70)", len: 4 * 70, shape: [4, 7, 10], out: [4, 1, 1] },
  // dims 0 and 2 kept, the reduced dims 1 and 3 swapped in memory: still one run of 6 * 9.
  { name: "permuted reduced dims", len: 5 * 54 * 2, shape: [5, 6, 2, 9], strides: [108, 1, 54, 6], out: [5, 1, 2, 1] },
  // a kept dim inside the storage of a row, read every other row: the runs are still contiguous.
  { name: "rows of a strided view", len: 8 * 100, shape: [4, 100], strides: [200, 1], out: [4, 1] },
];

describe("float32 sums of contiguous runs, in quads", () => {
  afterEach(() => {
    setIsa(t0.info.isa);
    setNumThreads(t0.info.threads);
  });

  for (const c of CASES) {
    it(`${c.name}: native = JS bit for bit on every ISA at 1-3 threads`, () => {
      const data = cancelling(c.len, c.len);
      const x = view(data, c.shape, c.strides);
      const want = sumInto(J, x, c.out);
      for (const isa of t0.isas) {
        setIsa(isa);
        for (const t of [1, 2, 3]) {
          setNumThreads(t);
          expectSameBits(sumInto(N, x, c.out), want, `${isa} ${t} threads`);
        }
      }
    });
  }

  it("the quads show: JS's quad sums differ from a double sum where runs hold 32 or more", () => {
    let differs = 0;
    for (const n of [64, 97, 1000, 1024]) {
      const data = cancelling(4000 * n, n);
      const got = sumInto(J, view(data, [4000, n]), [4000, 1]);
      for (let r = 0; r < 4000; r++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += data[r * n + j];
        if (got[r] !== Math.fround(s)) differs++;
      }
    }
    expect(differs).toBeGreaterThan(100);
  });

  it("layouts that are not one run per output keep the double sum, the same on both backends", () => {
    // Reduced dims that do not merge (rows of 10 with gaps), a strided reduced dim, column mode.
    const data = cancelling(64 * 96, 7);
    const layouts: [number[], number[], number[]][] = [[[4, 6, 10], [120, 20, 1], [4, 1, 1]], [[4, 50], [200, 2], [4, 1]], [[64, 96], [1, 64], [64, 1]]];
    for (const [shape, strides, out] of layouts) {
      const x = view(data, shape, strides);
      const want = sumInto(J, x, out);
      for (const isa of t0.isas) {
        setIsa(isa);
        const got = sumInto(N, x, out);
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `${isa} [${shape}] ${i}`).toBeLessThanOrEqual(Math.abs(want[i]) * 2 ** -23);
      }
    }
  });

  it("the error stays within eps * sum|x| + 1 ulp of the exact sum (a float accumulator's grows with n)", () => {
    const n = 1 << 20;
    for (const [name, data] of [
      ["positive", Float32Array.from({ length: n }, (_, i) => 1 + (i % 1000) * 1e-3)],
      ["cancelling", cancelling(n, 11)],
    ] as const) {
      // The exact sum: every float32 is an integer multiple of 2^-149.
      let exact = 0n, abs = 0;
      for (const v of data) {
        exact += BigInt(v * 2 ** 149);
        abs += Math.abs(v);
      }
      const e = Number(exact) / 2 ** 149;
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(e))) - 23);
      let floatAcc = 0;
      for (const v of data) floatAcc = Math.fround(floatAcc + v);
      for (const isa of t0.isas) {
        setIsa(isa);
        const got = sumInto(N, view(data, [n]), [1])[0];
        expect(Math.abs(got - e), `${name} ${isa}`).toBeLessThanOrEqual(abs * 2 ** -24 * 2 + ulp);
      }
      if (name === "positive") expect(Math.abs(floatAcc - e)).toBeGreaterThan(abs * 2 ** -24 * 2 + ulp);
    }
  });
});
