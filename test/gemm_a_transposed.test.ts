// Aᵀ·B with A stored as [k, m] (a Linear's weight gradient dYᵀ·X): the GEMM reads A's contiguous
// columns in place while A fits in L2, and packs it when it is larger (native/gemm.cc, pack_a).
// The path changes, the sums must not: each product equals, bit for bit, the same product with A
// stored row-major, and gives the same bits at 1..7 threads, on every ISA. Sizes: A well inside
// any L2 (64 KB), A past any L2 (4.5 MB), with m and n off the tile sizes and k at and past one KC
// block (512).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { setIsa } from "../lib/backend/native.js";
import { lcgUniform } from "./helpers/lcg_data.js";
import { expectSameBitsAcrossThreads, nativeUnderTest } from "./helpers/native.js";

const under = nativeUnderTest();
const { info: info0, isas: ISAS } = under;

const CASES: [k: number, m: number, n: number][] = [
  [64, 250, 70], // 64 KB of A: read in place
  [512, 2200, 100], // 4.5 MB: packed
  [700, 1700, 45], // past one KC block: packed
  [300, 3900, 33], // 4.7 MB in one KC block: packed
];

const tensor = (shape: number[], seed: number) =>
  torch.tensor(Float32Array.from(lcgUniform(shape[0] * shape[1], seed))).reshape(shape);
const bits = (t: torch.Tensor) => new Uint32Array((t.contiguous().storage() as Float32Array).slice().buffer);

describe("Aᵀ·B with A stored [k, m]: in place or packed, the bits of row-major A", () => {
  it.each(CASES)("k=%i m=%i n=%i", (k, m, n) => {
    const prev = torch.backendInfo().name;
    torch.setBackend("native");
    try {
      const a = tensor([k, m], 1); // Aᵀ of the product
      const b = tensor([k, n], 2);
      for (const isa of ISAS) {
        setIsa(isa);
        const want = bits(torch.mm(a.t().contiguous(), b));
        const got = bits(torch.mm(a.t(), b));
        expect(got.length).toBe(m * n);
        expect(a.dtype).toBe("float32");
        let diff = -1;
        for (let i = 0; i < got.length && diff < 0; i++) if (got[i] !== want[i]) diff = i;
        expect(diff, `${isa}: first element that differs`).toBe(-1);
      }
      setIsa(info0.isa);
      expectSameBitsAcrossThreads(under, [1, 2, 3, 7], () => torch.mm(a.t(), b).storage() as Float32Array);
    } finally {
      torch.setBackend(prev);
    }
  });
});
