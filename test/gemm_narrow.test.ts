// The native matmul on narrow shapes (the lecture MLP's last layer and its backward: a C only a few
// columns wide or an inner dimension of a few elements), with the operands given transposed as
// autograd hands them. A tall narrow C is computed as C^T = B^T A^T, whose tiles reach C by
// columns through the ISA's transposed store (native/gemm_avx512.cc transpose_avx512): every edge
// of it (C^T rows past 8, tiles not a whole number of 16 columns, accumulating into C) is checked
// element by element against a float64 brute force, within the float32 error bound of the sum,
// on every ISA, and bit-identical on 1, 2 and 3 threads.
import { describe, expect, it } from "vitest";
import { setIsa } from "../lib/backend/native.js";
import type { View } from "../lib/backend/types.js";
import { expectSameBitsAcrossThreads, nativeUnderTest } from "./helpers/native.js";

const under = nativeUnderTest();
const { backend: N, info: info0, isas: ISAS } = under;
const THREADS = [1, 2, 3];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

interface Case {
  m: number;
  k: number;
  n: number;
  /** A stored [k, m] and read transposed (X^T dY, the dW of a linear layer). */
  aT: boolean;
  /** B stored [n, k] and read transposed (dY W^T, the dX of a linear layer). */
  bT: boolean;
  accumulate: boolean;
}

const name = (c: Case) =>
  `${c.aT ? "[A]^T" : "A"} @ ${c.bT ? "[B]^T" : "B"} ${c.m}x${c.k}x${c.n}${c.accumulate ? " accumulating" : ""}`;

const CASES: Case[] = [
  // The lecture MLP's last layer (784-512-512-10 at batch 64): dW, dX and forward.
  { m: 512, k: 64, n: 10, aT: true, bT: false, accumulate: false },
  { m: 64, k: 10, n: 512, aT: false, bT: true, accumulate: false },
  { m: 64, k: 512, n: 10, aT: false, bT: false, accumulate: false },
];
// C^T of 1..17 rows (one and two 8-row blocks of the transposed store, full and partial), C of
// 37 and 100 rows (C^T tiles of 5 and 4 columns past the last 32 / 16), short and long k.
for (const n of [1, 3, 8, 9, 10, 16, 17]) {
  for (const m of [37, 100]) {
    CASES.push({ m, k: n === 10 ? 64 : 5 + n, n, aT: true, bT: false, accumulate: n % 2 === 1 });
  }
}
CASES.push({ m: 100, k: 20, n: 9, aT: true, bT: true, accumulate: true });
// More than 128 rows, k >= 256 and an eighth to a quarter of NR-wide lanes wasted (49 of 64 on
// AVX-512 and AVX2): computed as C^T (gemm.cc prefers_swap), as ResNet-18's layer4 at batch 1 is;
// k over one and two KC blocks.
CASES.push({ m: 200, k: 300, n: 49, aT: false, bT: false, accumulate: false });
CASES.push({ m: 160, k: 600, n: 49, aT: false, bT: true, accumulate: true });
CASES.push({ m: 70, k: 3, n: 12, aT: false, bT: false, accumulate: false });

function operands(c: Case) {
  const r = rng(c.m * 7 + c.k * 3 + c.n);
  const a = new Float32Array(c.m * c.k).map(r);
  const b = new Float32Array(c.k * c.n).map(r);
  const c0 = new Float32Array(c.m * c.n).map(r);
  const aStrides = c.aT ? [0, 1, c.m] : [0, c.k, 1];
  const bStrides = c.bT ? [0, 1, c.k] : [0, c.n, 1];
  const cStrides = [0, c.n, 1];
  const av: View = { typedArray: a, offset: 0, shape: [1, c.m, c.k], strides: aStrides };
  const bv: View = { typedArray: b, offset: 0, shape: [1, c.k, c.n], strides: bStrides };
  const A = (i: number, p: number) => a[i * aStrides[1] + p * aStrides[2]];
  const B = (p: number, j: number) => b[p * bStrides[1] + j * bStrides[2]];
  const at = (out: Float32Array, i: number, j: number) => out[i * cStrides[1] + j * cStrides[2]];
  const run = (): Float32Array => {
    const out: View = { typedArray: new Float32Array(c0), offset: 0, shape: [1, c.m, c.n], strides: cStrides };
    N.matmul(av, bv, out, c.accumulate);
    return out.typedArray as Float32Array;
  };
  return { A, B, C0: (i: number, j: number) => at(c0, i, j), run, at };
}

describe("gemm on narrow shapes", () => {
  for (const c of CASES) {
    it(`${name(c)}: within the float32 error bound of a float64 brute force, on every ISA`, () => {
      const { A, B, C0, run, at } = operands(c);
      for (const isa of ISAS) {
        setIsa(isa);
        const out = run();
        for (let i = 0; i < c.m; i++) {
          for (let j = 0; j < c.n; j++) {
            let ref = c.accumulate ? C0(i, j) : 0;
            let mag = Math.abs(ref);
            for (let p = 0; p < c.k; p++) {
              const t = A(i, p) * B(p, j);
              ref += t;
              mag += Math.abs(t);
            }
            const got = at(out, i, j);
            if (!(Math.abs(got - ref) <= (c.k + 3) * 2 ** -24 * mag)) expect.fail(`${isa} C[${i}][${j}] = ${got}, want ${ref}`);
          }
        }
      }
      setIsa(info0.isa);
    });

    it(`${name(c)}: bit-identical on 1, 2 and 3 threads, on every ISA`, () => {
      const { run } = operands(c);
      expectSameBitsAcrossThreads(under, THREADS, run);
    });
  }
});
