// An operand the GEMM could read in place is read so only while its stored rows lie at most a page
// (4 KB) apart, and, for B re-read by more than two row tiles, start on cache lines unless this
// core's kernel runs as fast on straddling rows; otherwise it is packed (native/gemm.cc:
// kInPlaceMaxRowBytes, rows_on_lines, off_grid_rows_cheap). The path changes, the sums must not:
// the same values stored with different row strides give the same bits, on every ISA, and the same
// bits at 1..7 threads. B: a few rows of C with B's rows 2.4 KB, 2 KB (on the line grid) or 8 KB
// apart. A: a transposed A in one KC block that fits L2, its stored rows 2.4 KB or 6 KB apart.
// A read in place row by row goes in tiles of at most 8 rows (gemm.cc: kMaxInPlaceRows), below
// the AVX-512 tile's 14 of a packed A: the rows of a few-row product equal the same rows of a
// taller one (A packed), and X·Wᵀ at a small batch (W read in place) those of a larger batch.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { setIsa } from "../lib/backend/native.js";
import { lcgUniform } from "./helpers/lcg_data.js";
import { expectSameBitsAcrossThreads, nativeUnderTest } from "./helpers/native.js";

const under = nativeUnderTest();
const { addon, info: info0, isas: ISAS } = under;

const tensor = (shape: number[], seed: number) =>
  torch.tensor(Float32Array.from(lcgUniform(shape[0] * shape[1], seed))).reshape(shape);
const bits = (t: torch.Tensor) => new Uint32Array((t.contiguous().storage() as Float32Array).slice().buffer);

/** `wide` columns of which the first `cols` are used: the same values as a contiguous [rows, cols]. */
function strided(rows: number, cols: number, wide: number, seed: number): torch.Tensor {
  return tensor([rows, wide], seed).narrow(1, 0, cols);
}

function expectSameBits(got: Uint32Array, want: Uint32Array, what: string): void {
  expect(got.length).toBe(want.length);
  let diff = -1;
  for (let i = 0; i < got.length && diff < 0; i++) if (got[i] !== want[i]) diff = i;
  expect(diff, `${what}: first element that differs`).toBe(-1);
}

function onNative(body: () => void): void {
  const prev = torch.backendInfo().name;
  torch.setBackend("native");
  try {
    body();
  } finally {
    setIsa(info0.isa);
    torch.setBackend(prev);
  }
}

describe("GEMM operands read in place or packed by their row stride: the same bits", () => {
  it.each([
    [64, 288, 600, 2000], // conv2d's forward shape: B rows 2.4 KB apart or 8 KB (packed)
    [20, 300, 512, 2048], // 20 rows (two tiles): B rows 2 KB apart (in place) or 8 KB (packed)
    [37, 700, 900, 2048], // k past one KC block, rows a page apart or two
  ])("B: m=%i k=%i n=%i, stored %i wide", (m, k, n, wide) => {
    onNative(() => {
      const a = tensor([m, k], 1);
      const far = strided(k, n, wide, 2);
      const near = far.contiguous();
      for (const isa of ISAS) {
        setIsa(isa);
        expectSameBits(bits(torch.mm(a, far)), bits(torch.mm(a, near)), isa);
      }
      setIsa(info0.isa);
      expectSameBitsAcrossThreads(under, [1, 2, 3, 7], () => torch.mm(a, far).storage() as Float32Array);
    });
  });

  it.each([
    [64, 600, 70, 1500], // A = Xᵀ, 64 x 600 stored [64, 600]: rows 2.4 KB apart (in place) or 6 KB (packed)
    [200, 300, 45, 1100],
  ])("Aᵀ: k=%i m=%i n=%i, stored %i wide", (k, m, n, wide) => {
    onNative(() => {
      const far = strided(k, m, wide, 1); // Aᵀ of the product
      const near = far.contiguous();
      const b = tensor([k, n], 2);
      for (const isa of ISAS) {
        setIsa(isa);
        expectSameBits(bits(torch.mm(far.t(), b)), bits(torch.mm(near.t(), b)), isa);
        expectSameBits(bits(torch.mm(far.t(), b)), bits(torch.mm(far.t().contiguous(), b)), `${isa}, row-major A`);
      }
      setIsa(info0.isa);
      expectSameBitsAcrossThreads(under, [1, 2, 3, 7], () => torch.mm(far.t(), b).storage() as Float32Array);
    });
  });

  it.each([
    [100, 1024, 200], // A's rows a page apart, B's rows near
    [64, 2048, 96], // rows two pages apart, k in four KC blocks
    [30, 700, 70], // rows 2.8 KB apart: four 8-row tiles where the ISA's tile would take 14 + 16
  ])("A read in place: m=%i k=%i n=%i, the rows of a taller product", (m, k, n) => {
    onNative(() => {
      const tall = tensor([140, k], 1); // more than 128 rows: A packed
      const a = tall.narrow(0, 0, m);
      const b = tensor([k, n], 2);
      const bt = tensor([n, k], 3).t(); // a Linear's Wᵀ
      for (const isa of ISAS) {
        setIsa(isa);
        expectSameBits(bits(torch.mm(a, b)), bits(torch.mm(tall, b).narrow(0, 0, m)), isa);
        expectSameBits(bits(torch.mm(a, bt)), bits(torch.mm(tall, bt).narrow(0, 0, m)), `${isa}, B = Wᵀ`);
      }
      setIsa(info0.isa);
      expectSameBitsAcrossThreads(under, [1, 2, 3, 7], () => torch.mm(a, bt).storage() as Float32Array);
    });
  });

  it("X·Wᵀ at batch 20 (W read in place, 4.4 KB rows) equals the first rows at batch 40", () => {
    onNative(() => {
      const x40 = tensor([40, 1100], 1);
      const x = x40.narrow(0, 0, 20);
      const w = tensor([300, 1100], 2);
      for (const isa of ISAS) {
        setIsa(isa);
        expectSameBits(bits(torch.mm(x, w.t())), bits(torch.mm(x40, w.t()).narrow(0, 0, 20)), isa);
      }
      setIsa(info0.isa);
      expectSameBitsAcrossThreads(under, [1, 2, 3, 7], () => torch.mm(x, w.t()).storage() as Float32Array);
    });
  });

  it("the kernel's slowdown on line-straddling rows, which decides for B off the grid, is measured on every ISA", () => {
    try {
      for (const isa of ISAS) {
        setIsa(isa);
        const slowdown = addon.gemmOffGridSlowdown();
        // A ratio of two timings of the same work: near 1 on any core, and never 0, NaN or Infinity.
        expect(Number.isFinite(slowdown), `${isa}: ${slowdown}`).toBe(true);
        expect(slowdown).toBeGreaterThan(0.25);
        expect(slowdown).toBeLessThan(4);
      }
    } finally {
      setIsa(info0.isa);
    }
  });
});
