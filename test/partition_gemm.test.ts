// The GEMM's work split (native/gemm_partition.cc) as a pure function of shape and thread count,
// at thread counts this machine doesn't have: every element of C in exactly one item, and, where
// the work pays for an item per thread, balanced threads (items dealt round-robin, the worst thread
// at most 1.35x the mean). Shapes: the lecture's MLP (batch 64/256, 784-512-512-10) forward, dW and
// dX; ResNet-18's convolutions as im2col GEMMs; the LSTM's gate GEMMs.
import { describe, expect, it } from "vitest";
import { nativeUnderTest } from "./helpers/native.js";

const { addon } = nativeUnderTest();

// [m, k, n] of C = A (m x k) B (k x n).
const SHAPES: [number, number, number][] = [];
for (const b of [64, 256]) {
  SHAPES.push([b, 784, 512], [b, 512, 512], [b, 512, 10]);  // forward
  SHAPES.push([784, b, 512], [512, b, 512], [512, b, 10]);  // dW = X^T dY
  SHAPES.push([b, 512, 784], [b, 512, 512], [b, 10, 512]);  // dX = dY W^T
}
SHAPES.push(
  [64, 147, 12544], [64, 576, 3136], [128, 576, 784], [128, 1152, 784],  // ResNet-18: Cout, Cin*kh*kw, H*W
  [256, 1152, 196], [256, 2304, 196], [512, 2304, 49], [512, 4608, 49],
  [20, 200, 800], [700, 200, 800],  // LSTM: batch or batch*steps, hidden, 4*hidden
);
const MR = 8, NR = 32;  // the avx512 tile; the split's steps
const MIN_ITEM_FLOPS = 2e5;  // NOTE: gemm_partition.cc's kMinItemFlops; below it a thread isn't worth waking

describe("gemm partition", () => {
  for (const [m, k, n] of SHAPES) {
    for (const threads of [4, 16, 64]) {
      it(`${m}x${k}x${n} on ${threads} threads`, () => {
        const items = addon.gemmPartition(1, m, n, k, threads, MR, NR);
        const seen = new Uint8Array(m * n);
        const load = new Array<number>(threads).fill(0);
        items.forEach(([b0, b1, i0, i1, j0, j1], t) => {
          expect(b1 - b0).toBe(1);
          expect(i1).toBeGreaterThan(i0);
          expect(j1).toBeGreaterThan(j0);
          for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) seen[i * n + j]++;
          load[t % threads] += (i1 - i0) * (j1 - j0);
        });
        expect(seen.every((c) => c === 1)).toBe(true);
        if ((2 * m * n * k) / MIN_ITEM_FLOPS >= threads && items.length >= threads) {
          const mean = (m * n) / threads;
          expect(Math.max(...load) / mean).toBeLessThanOrEqual(1.35);
        }
      });
    }
  }

  it("splits batches first and keeps each in whole items", () => {
    const items = addon.gemmPartition(8, 64, 64, 64, 4, MR, NR);
    for (const [b0, b1] of items) expect(b1 - b0).toBeGreaterThanOrEqual(1);
    expect(new Set(items.map(([b0]) => b0)).size).toBe(8);
  });

  it("rejects bad arguments with a JS error", () => {
    expect(() => addon.gemmPartition(1, 0, 8, 8, 4, MR, NR)).toThrow(RangeError);
    expect(() => addon.gemmPartition(1, 8, 8, 8, 0, MR, NR)).toThrow(RangeError);
    expect(() => (addon.gemmPartition as (...a: unknown[]) => unknown)(1, 8, 8, 8, 4, MR)).toThrow();
  });
});
