// The GEMM's cache blocks (native/gemm_blocking.cc) as a pure function of cache sizes and the
// microkernel tile, on several chips' caches; and the native matmul on a problem that crosses
// every MC, KC and NC boundary of this machine's blocking: correct (within the float32 error bound
// of a float64 brute force) and bit-identical on 1..64 threads.
import { describe, expect, it } from "vitest";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import type { View } from "../lib/backend/types.js";
import { nativeUnderTest } from "./helpers/native.js";

const { backend: N, addon, info: info0, isas: ISAS } = nativeUnderTest();
const K = 1 << 10;
const M = 1 << 20;

// L1d, L2 per core, L3 share per core: Zen 2, Zen 5, Skylake-SP, an arm64 big core, a tiny core.
const CHIPS = {
  zen2: [32 * K, 512 * K, 4 * M],
  zen5: [48 * K, 1 * M, 4 * M],
  skx: [32 * K, 1 * M, 1408 * K],
  arm64: [128 * K, 4 * M, 4 * M],
  tiny: [16 * K, 64 * K, 64 * K],
} as const;
// mr, nr, kc, element bytes of each ISA table (gemm_<isa>.cc).
const TILES = {
  avx512f32: [14, 32, 512, 4],
  avx2f32: [6, 16, 512, 4],
  avx512f64: [8, 16, 256, 8],
  avx2f64: [6, 8, 256, 8],
  scalar: [4, 8, 256, 4],
} as const;

describe("gemm blocking from the caches", () => {
  for (const [chip, [l1d, l2, l3]] of Object.entries(CHIPS)) {
    for (const [tile, [mr, nr, kc, elem]] of Object.entries(TILES)) {
      it(`${chip} ${tile}: MC x KC in half of L2, KC x NC in half of L3, whole tiles, KC kept`, () => {
        const b = addon.gemmBlocking(l1d, l2, l3, mr, nr, kc, elem);
        expect(b.kc).toBe(kc);  // KC fixes the rounding: never taken from the caches
        expect(b.mc % mr).toBe(0);
        expect(b.nc % nr).toBe(0);
        expect(b.mc).toBeGreaterThanOrEqual(mr);
        expect(b.nc).toBeGreaterThanOrEqual(nr);
        // Fits (unless one tile alone is too big) and is the largest that fits.
        if (b.mc > mr) expect(b.mc * kc * elem).toBeLessThanOrEqual(l2 / 2);
        expect((b.mc + mr) * kc * elem).toBeGreaterThan(l2 / 2);
        if (b.nc > nr) expect(b.nc * kc * elem).toBeLessThanOrEqual(l3 / 2);
        expect((b.nc + nr) * kc * elem).toBeGreaterThan(l3 / 2);
      });
    }
  }

  it("grows with the caches and never shrinks below one tile", () => {
    const small = addon.gemmBlocking(32 * K, 256 * K, 1 * M, 8, 32, 512, 4);
    const big = addon.gemmBlocking(32 * K, 2 * M, 32 * M, 8, 32, 512, 4);
    expect(big.mc).toBeGreaterThan(small.mc);
    expect(big.nc).toBeGreaterThan(small.nc);
    expect(addon.gemmBlocking(1, 2, 2, 8, 32, 512, 4)).toEqual({ mc: 8, kc: 512, nc: 32 });
  });

  it("rejects bad arguments with a JS error", () => {
    expect(() => addon.gemmBlocking(0, 2, 2, 8, 32, 512, 4)).toThrow(RangeError);
    expect(() => addon.gemmBlocking(1, 2, 2, 8, 32, 512, 1.5)).toThrow(RangeError);
    expect(() => (addon.gemmBlocking as (...a: unknown[]) => unknown)(1, 2, 2, 8, 32, 512)).toThrow();
    expect(() => (addon.gemmBlocking as (...a: unknown[]) => unknown)("1", 2, 2, 8, 32, 512, 4)).toThrow(TypeError);
  });
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function matrix(b: number, rows: number, cols: number, r: () => number | null): View {
  const data = new Float32Array(b * rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = r() ?? Number.NaN;
  return { typedArray: data, offset: 0, shape: [b, rows, cols], strides: [rows * cols, cols, 1] };
}

describe("native matmul across this machine's cache blocks", () => {
  const caches = addon.info().caches;
  // Larger than one MC (rows), one KC (depth) and one NC (columns) block of the avx512 table.
  const blocks = addon.gemmBlocking(caches.l1d, caches.l2, caches.l3, 8, 32, 512, 4);
  const m = blocks.mc + 45;
  const k = 2 * blocks.kc + 37;
  const n = Math.min(blocks.nc + 77, 3000);
  const r = rng(16);
  const a = matrix(1, m, k, r);
  const bT = matrix(1, n, k, r);  // B stored transposed: the packed path's strided B
  const b: View = { ...bT, shape: [1, k, n], strides: [n * k, 1, k] };

  it(`${m}x${k}x${n}: within the float32 error bound of a float64 brute force, on every ISA`, () => {
    const ad = a.typedArray as Float32Array, bd = bT.typedArray as Float32Array;
    for (const isa of ISAS) {
      setIsa(isa);
      const out = matrix(1, m, n, () => null);
      N.matmul(a, b, out);
      const od = out.typedArray as Float32Array;
      for (let i = 0; i < m; i += 7) {
        for (let j = 0; j < n; j += 5) {
          let ref = 0, mag = 0;
          for (let p = 0; p < k; p++) {
            const t = ad[i * k + p] * bd[j * k + p];
            ref += t;
            mag += Math.abs(t);
          }
          const err = Math.abs(od[i * n + j] - ref);
          if (!(err <= (k + 2) * 2 ** -24 * mag)) expect.fail(`${isa} C[${i}][${j}] = ${od[i * n + j]}, want ${ref}`);
        }
      }
    }
    setIsa(info0.isa);
  });

  it("bit-identical on 1..64 threads (the pool may run more threads than cores)", () => {
    for (const isa of ISAS.filter((i) => i !== "scalar")) {
      setIsa(isa);
      let first: Float32Array | null = null;
      for (const t of [1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 32, 64]) {
        setNumThreads(t);
        const out = matrix(1, m, n, () => null);
        N.matmul(a, b, out);
        const bits = new Uint32Array((out.typedArray as Float32Array).buffer);
        if (first === null) first = new Float32Array(out.typedArray as Float32Array);
        const want = new Uint32Array(first.buffer);
        for (let i = 0; i < bits.length; i++) {
          if (bits[i] !== want[i]) expect.fail(`${isa} t=${t}: element ${i} differs from t=1`);
        }
      }
    }
    setIsa(info0.isa);
    setNumThreads(info0.threads);
  });
});
