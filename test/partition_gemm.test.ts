// The GEMM's work split (native/gemm_partition.cc) as a pure function of shape and thread count,
// at thread counts this machine doesn't have: every element of C and every step of K in exactly
// one item, and balanced threads (items dealt round-robin, the busiest thread at most 1.35x the
// mean over the threads the work affords). The K split (make_k_split) adds items where C has too
// few tiles: its parts follow the shape only, so they are the same at every thread count. Shapes:
// the lecture's MLP (batch 64/256, 784-512-512-10) forward, dW and dX; ResNet-18's convolutions
// as im2col GEMMs; the LSTM's gate GEMMs; K = 4096 with a small C; and the resident-B path's
// split (X·Wᵀ with at most 32 rows of X, computed as Cᵀ: its items cut Cᵀ). The results'
// independence of the thread count is in test/gemm_k_split.test.ts and gemm_resident_b.test.ts.
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
  [64, 4096, 64], [32, 4096, 32], [16, 4096, 64],  // long K, small C
);
const MR = 8, NR = 32;  // the avx512 tile; the split's steps
const MIN_ITEM_FLOPS = 2e5;  // NOTE: gemm_partition.cc's kMinItemFlops; below it a thread isn't worth waking

type Items = number[][];
const partition = (m: number, k: number, n: number, threads: number, residentB = false): Items =>
  addon.gemmPartition(1, m, n, k, threads, MR, NR, residentB);

/** The distinct K ranges of the items, sorted. */
function kRanges(items: Items): [number, number][] {
  const keys = [...new Set(items.map((r) => `${r[6]},${r[7]}`))];
  return keys.map((s) => s.split(",").map(Number) as [number, number]).sort((a, b) => a[0] - b[0]);
}

/** Every step of K in one part and, within each part, every element of the rows x cols C in exactly
 *  one item; threads dealt items round-robin, the busiest at most 1.35x the mean over the threads
 *  the work affords. */
function expectCoveredAndBalanced(items: Items, rows: number, k: number, cols: number, threads: number): void {
  const parts = kRanges(items);
  expect(parts[0][0]).toBe(0);
  expect(parts[parts.length - 1][1]).toBe(k);
  parts.forEach(([k0, k1], p) => {
    expect(k1).toBeGreaterThan(k0);
    if (p > 0) expect(k0).toBe(parts[p - 1][1]);
  });
  for (const [k0] of parts) {
    const seen = new Uint8Array(rows * cols);
    for (const [b0, b1, i0, i1, j0, j1, pk0] of items) {
      if (pk0 !== k0) continue;
      expect(b1 - b0).toBe(1);
      expect(i1).toBeGreaterThan(i0);
      expect(j1).toBeGreaterThan(j0);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) seen[i * cols + j]++;
    }
    expect(seen.every((c) => c === 1)).toBe(true);
  }
  const used = Math.max(1, Math.min(threads, Math.floor((2 * rows * cols * k) / MIN_ITEM_FLOPS)));
  const load = new Array<number>(threads).fill(0);
  items.forEach(([, , i0, i1, j0, j1, k0, k1], t) => (load[t % threads] += (i1 - i0) * (j1 - j0) * (k1 - k0)));
  expect(Math.max(...load) / ((rows * cols * k) / used)).toBeLessThanOrEqual(1.35);
}

describe("gemm partition", () => {
  for (const [m, k, n] of SHAPES) {
    for (const threads of [4, 16, 64]) {
      it(`${m}x${k}x${n} on ${threads} threads`, () => expectCoveredAndBalanced(partition(m, k, n, threads), m, k, n, threads));
    }
  }

  // X·Wᵀ at batch 28-32: the lecture's layers, a Transformer's projections (d 256, ff 1024), an
  // LSTM's 4·hidden gates (hidden 256), a wide layer, K = 4096.
  for (const [m, k, n] of [[32, 784, 512], [32, 512, 512], [28, 256, 768], [32, 256, 1024], [32, 1024, 1024], [32, 2048, 2048], [32, 4096, 64]]) {
    for (const threads of [4, 16, 64]) {
      it(`resident B: ${m}x${k}x${n} on ${threads} threads, items over Cᵀ`, () => {
        const items = partition(m, k, n, threads, true);
        expectCoveredAndBalanced(items, n, k, m, threads);
        // Its K parts are the packed loops' for C, so the sums are theirs.
        expect(kRanges(items)).toEqual(kRanges(partition(m, k, n, threads)));
      });
    }
  }

  it("splits K only for a C with few tiles, into parts that follow the shape alone", () => {
    for (const [m, k, n] of SHAPES) {
      const counts = [1, 2, 4, 16, 64, 1024].map((t) => kRanges(partition(m, k, n, t)));
      for (const c of counts) expect(c).toEqual(counts[0]);
      const tiles = Math.ceil(m / MR) * Math.ceil(n / NR);
      if (tiles >= 64) expect(counts[0]).toEqual([[0, k]]);
    }
    expect(kRanges(partition(64, 4096, 64, 64)).length).toBeGreaterThan(1);
    // A short K is never split: each part would be shorter than a part is worth.
    expect(kRanges(partition(10, 200, 10, 64))).toEqual([[0, 200]]);
  });

  it("gives one thread one item per part of K (more would only repeat the packing)", () => {
    for (const [m, k, n] of [[256, 4096, 256], [1024, 4096, 1024], [512, 512, 512], [64, 4096, 64]]) {
      const items = partition(m, k, n, 1);
      expect(items.length).toBe(kRanges(items).length);
    }
  });

  it("splits batches first and keeps each in whole items", () => {
    for (const threads of [3, 4, 8, 16]) {
      const items = addon.gemmPartition(8, 64, 64, 64, threads, MR, NR, false);
      const seen = new Array<number>(8).fill(0);
      for (const [b0, b1, i0, i1, j0, j1] of items) {
        expect(b1 - b0).toBeGreaterThanOrEqual(1);
        // Batches enough for the threads: no batch is cut.
        if (threads <= 8) expect([i0, i1, j0, j1]).toEqual([0, 64, 0, 64]);
        for (let b = b0; b < b1; b++) seen[b] += ((i1 - i0) * (j1 - j0)) / (64 * 64);
      }
      expect(seen).toEqual(new Array(8).fill(1));
    }
  });

  it("gives the packed loops one item per thread where that is balanced (each item repacks A)", () => {
    // K = 4096 with C 256 x 256 and the 1024^3 / wide-MLP shapes: 2 threads, 2 items.
    for (const [m, k, n] of [[256, 4096, 256], [1024, 1024, 1024], [512, 784, 2048], [1000, 784, 512]]) {
      expect(partition(m, k, n, 2).length).toBe(2);
    }
    // 25 column steps over 16 threads can't be dealt evenly in 16 items: more items, as before.
    expect(partition(256, 512, 784, 16).length).toBeGreaterThan(16);
  });

  it("cuts the rows of a large A over a narrow C, so that A is packed once (ResNet-18's layer3 at batch 1)", () => {
    // By columns, 7 column steps can't be dealt evenly to 2 threads, and 14 items packed A 7 times.
    for (const threads of [2, 4]) {
      const items = partition(256, 2304, 196, threads);
      expect(items.length).toBe(threads);
      for (const [, , , , j0, j1] of items) expect([j0, j1]).toEqual([0, 196]);
    }
  });

  it("rejects bad arguments with a JS error", () => {
    expect(() => addon.gemmPartition(1, 0, 8, 8, 4, MR, NR, false)).toThrow(RangeError);
    expect(() => addon.gemmPartition(1, 8, 8, 8, 0, MR, NR, false)).toThrow(RangeError);
    expect(() => (addon.gemmPartition as (...a: unknown[]) => unknown)(1, 8, 8, 8, 4, MR, NR, 1)).toThrow(TypeError);
    expect(() => (addon.gemmPartition as (...a: unknown[]) => unknown)(1, 8, 8, 8, 4, MR)).toThrow();
  });
});
