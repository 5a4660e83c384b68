// The GEMM's K split (make_k_split in native/gemm_partition.cc) in the native matmul: C with few
// tiles and a long K, through the packed path and the dot-product form, batched, computed as C^T
// (the parts then go into C by columns) and accumulating into C. Each is within the float32 error bound of a float64
// brute force (the split changes the order of the sum, not its bound) and bit-identical on 1..64
// threads, on every ISA this machine runs. The split itself (parts, items, balance):
// test/partition_gemm.test.ts.
import { describe, expect, it } from "vitest";
import { setIsa } from "../lib/backend/native.js";
import type { View } from "../lib/backend/types.js";
import { expectSameBitsAcrossThreads, nativeUnderTest } from "./helpers/native.js";

const under = nativeUnderTest();
const { backend: N, info: info0, isas: ISAS } = under;
const THREADS = [1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 32, 64];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

interface Case {
  name: string;
  batch: number;
  m: number;
  k: number;
  n: number;
  /** B stored [n, k] and read transposed (k-contiguous, as dX = dY W^T hands it). */
  bT: boolean;
  accumulate: boolean;
}

const CASES: Case[] = [
  { name: "64x4096x64 (packed path, A read in place)", batch: 1, m: 64, k: 4096, n: 64, bT: false, accumulate: false },
  { name: "16x4096x64, B transposed (dot form)", batch: 1, m: 16, k: 4096, n: 64, bT: true, accumulate: false },
  { name: "64x4096x8 (dot form on a transposed copy of B)", batch: 1, m: 64, k: 4096, n: 8, bT: false, accumulate: false },
  { name: "3 x 40x2000x24, batched", batch: 3, m: 40, k: 2000, n: 24, bT: false, accumulate: false },
  // NOTE: a tall narrow C is computed as C^T = B^T A^T, so the parts are added into C by columns.
  { name: "64x3000x20 (computed as C^T)", batch: 1, m: 64, k: 3000, n: 20, bT: false, accumulate: false },
  { name: "64x4096x64 accumulating into C", batch: 1, m: 64, k: 4096, n: 64, bT: false, accumulate: true },
];

function operands(c: Case) {
  const r = rng(c.m * 7 + c.k + c.n);
  const a = new Float32Array(c.batch * c.m * c.k).map(r);
  const b = new Float32Array(c.batch * c.k * c.n).map(r);
  const c0 = new Float32Array(c.batch * c.m * c.n).map(r);
  const av: View = { typedArray: a, offset: 0, shape: [c.batch, c.m, c.k], strides: [c.m * c.k, c.k, 1] };
  const bv: View = c.bT
    ? { typedArray: b, offset: 0, shape: [c.batch, c.k, c.n], strides: [c.k * c.n, 1, c.k] }
    : { typedArray: b, offset: 0, shape: [c.batch, c.k, c.n], strides: [c.k * c.n, c.n, 1] };
  const cStrides = [c.m * c.n, c.n, 1];
  // A[b][i][p], B[b][p][j] and C0[b][i][j] as plain functions of the stored arrays.
  const A = (bi: number, i: number, p: number) => a[bi * c.m * c.k + i * c.k + p];
  const B = (bi: number, p: number, j: number) => b[bi * c.k * c.n + p * (bv.strides[1] as number) + j * (bv.strides[2] as number)];
  const C0 = (bi: number, i: number, j: number) => c0[bi * c.m * c.n + i * cStrides[1] + j * cStrides[2]];
  const run = (): Float32Array => {
    const out: View = { typedArray: new Float32Array(c0), offset: 0, shape: [c.batch, c.m, c.n], strides: cStrides };
    N.matmul(av, bv, out, c.accumulate);
    return out.typedArray as Float32Array;
  };
  const at = (out: Float32Array, bi: number, i: number, j: number) => out[bi * c.m * c.n + i * cStrides[1] + j * cStrides[2]];
  return { A, B, C0, run, at };
}

describe("gemm K split", () => {
  for (const c of CASES) {
    it(`${c.name}: within the float32 error bound of a float64 brute force, on every ISA`, () => {
      const { A, B, C0, run, at } = operands(c);
      for (const isa of ISAS) {
        setIsa(isa);
        const out = run();
        for (let bi = 0; bi < c.batch; bi++) {
          for (let i = 0; i < c.m; i += 3) {
            for (let j = 0; j < c.n; j += 5) {
              let ref = c.accumulate ? C0(bi, i, j) : 0;
              let mag = Math.abs(ref);
              for (let p = 0; p < c.k; p++) {
                const t = A(bi, i, p) * B(bi, p, j);
                ref += t;
                mag += Math.abs(t);
              }
              const got = at(out, bi, i, j);
              if (!(Math.abs(got - ref) <= (c.k + 3) * 2 ** -24 * mag)) expect.fail(`${isa} C[${bi}][${i}][${j}] = ${got}, want ${ref}`);
            }
          }
        }
      }
      setIsa(info0.isa);
    });

    it(`${c.name}: bit-identical on 1..64 threads, on every ISA`, () => {
      const { run } = operands(c);
      expectSameBitsAcrossThreads(under, THREADS, run);
    });
  }
});
