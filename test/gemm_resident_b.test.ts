// X·Wᵀ with a few rows of X (a Linear's forward at batch ~32), which the GEMM runs as Cᵀ = W·Xᵀ
// with W read in place and X packed (native/gemm.cc run_item_resident_b; AVX-512 only, up to 32
// rows, k >= 256). The path changes, the sums must not: every case equals, bit for bit, the same
// product with Wᵀ stored row-major (B read in place by the small-M path), is within the float32
// error bound of a float64 brute force, and gives the same bits at 1..7 threads, on every ISA.
// Edges: rows 28-32 (a partial last NR panel of Xᵀ), 33 rows (just past the path), 33 columns
// (the packed loops already swap: not this path, same checks), k across one and several KC blocks
// (512), K split into parts, n not a multiple of the 8-row strips, batches with shared and own W,
// accumulating into C.
import { describe, expect, it } from "vitest";
import { setIsa } from "../lib/backend/native.js";
import type { View } from "../lib/backend/types.js";
import { lcgUniform } from "./helpers/lcg_data.js";
import { expectSameBitsAcrossThreads, nativeUnderTest } from "./helpers/native.js";

const under = nativeUnderTest();
const { backend: N, info: info0, isas: ISAS } = under;

interface Case {
  batch: number;
  m: number;
  k: number;
  n: number;
  /** Every batch has its own W (else one W for all, b_bs = 0). */
  ownW: boolean;
  accumulate: boolean;
}

const CASES: Case[] = [
  { batch: 1, m: 32, k: 256, n: 768, ownW: false, accumulate: false },
  { batch: 1, m: 29, k: 300, n: 100, ownW: false, accumulate: false },
  { batch: 1, m: 28, k: 513, n: 257, ownW: false, accumulate: true },
  { batch: 1, m: 32, k: 1100, n: 33, ownW: false, accumulate: false },
  { batch: 1, m: 33, k: 256, n: 300, ownW: false, accumulate: false },
  { batch: 3, m: 30, k: 260, n: 45, ownW: true, accumulate: false },
  { batch: 2, m: 32, k: 700, n: 64, ownW: false, accumulate: true },
  // K split into parts (8 and 5: C has few tiles), each part's Cᵀ partial sums added in order.
  { batch: 1, m: 32, k: 4096, n: 64, ownW: false, accumulate: false },
  { batch: 1, m: 28, k: 2048, n: 64, ownW: false, accumulate: true },
];

const name = (c: Case) =>
  `${c.batch > 1 ? `${c.batch} x ` : ""}${c.m}x${c.k} @ [${c.n}x${c.k}]^T${c.batch > 1 ? (c.ownW ? ", own W" : ", shared W") : ""}${c.accumulate ? ", accumulating" : ""}`;

function operands(c: Case) {
  const seed = c.m * 31 + c.k * 7 + c.n;
  const wBatches = c.ownW ? c.batch : 1;
  const x = Float32Array.from(lcgUniform(c.batch * c.m * c.k, seed), (u) => u - 0.5);
  const w = Float32Array.from(lcgUniform(wBatches * c.n * c.k, seed + 1), (u) => u - 0.5);
  const c0 = Float32Array.from(lcgUniform(c.batch * c.m * c.n, seed + 2), (u) => u - 0.5);
  // Wᵀ stored row-major ([k, n] per batch), the same numbers.
  const wt = new Float32Array(w.length);
  for (let b = 0; b < wBatches; b++) {
    for (let j = 0; j < c.n; j++) for (let p = 0; p < c.k; p++) wt[b * c.n * c.k + p * c.n + j] = w[b * c.n * c.k + j * c.k + p];
  }
  const xv: View = { typedArray: x, offset: 0, shape: [c.batch, c.m, c.k], strides: [c.m * c.k, c.k, 1] };
  const wBs = c.ownW ? c.n * c.k : 0;
  const wv: View = { typedArray: w, offset: 0, shape: [c.batch, c.k, c.n], strides: [wBs, 1, c.k] };
  const wtv: View = { typedArray: wt, offset: 0, shape: [c.batch, c.k, c.n], strides: [wBs, c.n, 1] };
  const run = (b: View) => (): Float32Array => {
    const out: View = { typedArray: new Float32Array(c0), offset: 0, shape: [c.batch, c.m, c.n], strides: [c.m * c.n, c.n, 1] };
    N.matmul(xv, b, out, c.accumulate);
    return out.typedArray as Float32Array;
  };
  const X = (b: number, i: number, p: number) => x[b * c.m * c.k + i * c.k + p];
  const W = (b: number, j: number, p: number) => w[(c.ownW ? b : 0) * c.n * c.k + j * c.k + p];
  return { runT: run(wv), runRowMajor: run(wtv), X, W, c0 };
}

describe("gemm X·Wᵀ with few rows of X (W read in place)", () => {
  for (const c of CASES) {
    it(`${name(c)}: the same bits as with Wᵀ stored row-major, within the float32 bound of a float64 brute force, on every ISA`, () => {
      const { runT, runRowMajor, X, W, c0 } = operands(c);
      for (const isa of ISAS) {
        setIsa(isa);
        const got = runT();
        const want = runRowMajor();
        for (let e = 0; e < got.length; e++) {
          if (!Object.is(got[e], want[e])) expect.fail(`${isa}: element ${e} is ${got[e]}, row-major Wᵀ gives ${want[e]}`);
        }
        for (let b = 0; b < c.batch; b++) {
          for (let i = 0; i < c.m; i++) {
            for (let j = 0; j < c.n; j++) {
              const e = (b * c.m + i) * c.n + j;
              let ref = c.accumulate ? c0[e] : 0;
              let mag = Math.abs(ref);
              for (let p = 0; p < c.k; p++) {
                const t = X(b, i, p) * W(b, j, p);
                ref += t;
                mag += Math.abs(t);
              }
              if (!(Math.abs(got[e] - ref) <= (c.k + 3) * 2 ** -24 * mag)) expect.fail(`${isa} C[${b}][${i}][${j}] = ${got[e]}, want ${ref}`);
            }
          }
        }
      }
      setIsa(info0.isa);
    });

    it(`${name(c)}: bit-identical on 1, 2, 3, 4 and 7 threads, on every ISA`, () => {
      expectSameBitsAcrossThreads(under, [1, 2, 3, 4, 7], operands(c).runT);
    });
  }
});
