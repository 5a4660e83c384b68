// The implicit GEMM of conv2d's stride-1 forward (issue #14): Backend.matmulUnfolded, whose GEMM packs
// its B panels straight from the padded image (native/conv_pack.cc through the hook in gemm.cc),
// against the explicit path it replaces (the columns copied out of the image, then matmul), bit for
// bit, on every ISA this CPU runs at 1, 2, 3, 4 and 7 threads: both column layouts (the outputs
// themselves, the padded rows), odd sizes, W below the panel width, one channel, padding 0 to 2,
// dilation, uneven kernels, groups, several images (panels across images), K over one KC block, C
// tall enough to pack A, C narrow enough for the GEMM's other forms, float64, accumulate, a strided
// image; the JS backend within rounding; the binding's checks; the dispatch functions; then
// conv2d itself on the shapes that take the path: both backends against direct loops, and the
// native result the same at every thread count.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { jsBackend as J } from "../lib/backend/js.js";
import { allocStorage } from "../lib/dtype.js";
import { setIsa } from "../lib/backend/native.js";
import type { View } from "../lib/backend/types.js";
import { makeWindow } from "../lib/ops/columns.js";
import { implicitExactColumns, usesImplicitGemm } from "../lib/ops/conv_implicit.js";
import { usesPaddedForward, usesPaddedRows } from "../lib/ops/conv_padded_rows.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";
import { refConv, type StrideOneConv } from "./helpers/conv_ref.js";
import { nativeUnderTest } from "./helpers/native.js";

const { backend: NB, addon, info: info0, isas: ISAS } = nativeUnderTest();
const THREADS = [1, 2, 3, 4, 7];

interface Case {
  name: string;
  N: number; C: number; H: number; W: number; O: number; G?: number;
  k: [number, number]; pad: [number, number]; dil?: [number, number];
  /** "exact": a column per output; "padded": the padded-row layout (Wp columns per output row). */
  layout: "exact" | "padded";
  dtype?: "float32" | "float64";
  accumulate?: boolean;
  /** Elements between neighbouring pixels of a row (2: the packer's element-by-element path). */
  pixelStep?: number;
}

const CASES: Case[] = [
  { name: "3x3 pad 1, odd H and W, 64 rows of C (A read in place)", N: 2, C: 8, H: 9, W: 7, O: 64, k: [3, 3], pad: [1, 1], layout: "exact" },
  { name: "K over one KC block, 40 rows, padded rows", N: 3, C: 64, H: 5, W: 5, O: 40, k: [3, 3], pad: [1, 1], layout: "padded" },
  { name: "136 rows (A packed), K = 540", N: 2, C: 60, H: 6, W: 11, O: 136, k: [3, 3], pad: [1, 1], layout: "exact", accumulate: true },
  { name: "W below the panel width, one channel, no padding", N: 1, C: 1, H: 4, W: 3, O: 32, k: [3, 3], pad: [0, 0], layout: "padded" },
  { name: "one channel, exact columns, W = 3", N: 3, C: 1, H: 5, W: 3, O: 33, k: [3, 3], pad: [1, 1], layout: "exact" },
  { name: "padding 2 and dilation 2", N: 1, C: 3, H: 7, W: 9, O: 33, k: [3, 3], pad: [2, 2], dil: [2, 2], layout: "exact" },
  { name: "padding 2 and dilation 2, padded rows", N: 2, C: 3, H: 7, W: 9, O: 48, k: [3, 3], pad: [2, 2], dil: [2, 2], layout: "padded" },
  { name: "2x4 kernel, uneven padding", N: 2, C: 5, H: 6, W: 10, O: 32, k: [2, 4], pad: [1, 2], layout: "exact" },
  { name: "2 groups, accumulate", N: 2, C: 6, G: 2, H: 5, W: 6, O: 64, k: [3, 3], pad: [1, 1], layout: "exact", accumulate: true },
  { name: "8 rows of C (the GEMM's dot form: B built first)", N: 2, C: 4, H: 6, W: 6, O: 8, k: [3, 3], pad: [1, 1], layout: "padded" },
  { name: "3 rows of C", N: 1, C: 2, H: 9, W: 9, O: 3, k: [3, 3], pad: [1, 1], layout: "exact" },
  { name: "64 rows, 33 columns (the GEMM's C^T form: B built first)", N: 1, C: 6, H: 3, W: 11, O: 64, k: [3, 3], pad: [1, 1], layout: "exact" },
  { name: "many small images (panels across images)", N: 5, C: 2, H: 3, W: 3, O: 32, k: [3, 3], pad: [1, 1], layout: "padded" },
  { name: "many small images, exact columns", N: 7, C: 3, H: 2, W: 3, O: 40, k: [3, 3], pad: [1, 1], layout: "exact" },
  { name: "strided pixels (element by element)", N: 2, C: 3, H: 5, W: 13, O: 48, k: [3, 3], pad: [1, 1], layout: "exact", pixelStep: 2 },
  { name: "float64, A packed", N: 2, C: 20, H: 5, W: 7, O: 136, k: [3, 3], pad: [1, 1], layout: "exact", dtype: "float64", accumulate: true },
  // 32x32 outputs over K = 4608: few tiles for the work, so the GEMM splits K (gemm_partition.h)
  // and must build B first, as a part's packer can't see the part's first k.
  { name: "K split (512 channels into a 32x32 C)", N: 1, C: 512, H: 4, W: 8, O: 32, k: [3, 3], pad: [1, 1], layout: "exact" },
  { name: "K split, float64, accumulate", N: 1, C: 512, H: 4, W: 8, O: 32, k: [3, 3], pad: [1, 1], layout: "exact", dtype: "float64", accumulate: true },
  { name: "float64, padded rows", N: 1, C: 4, H: 6, W: 5, O: 32, k: [3, 3], pad: [1, 1], layout: "padded", dtype: "float64" },
];

const rand = (n: number, seed: number, dtype: "float32" | "float64") => {
  const a = allocStorage(dtype, n) as Float32Array | Float64Array;
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    a[i] = s / 2147483648 - 0.5;
  }
  return a;
};

/** The case's operands: weight a [G, Og, K], the padded image's column view b (7-D), out's start. */
function operands(c: Case) {
  const dtype = c.dtype ?? "float32";
  const G = c.G ?? 1, [kh, kw] = c.k, [dh, dw] = c.dil ?? [1, 1], step = c.pixelStep ?? 1;
  const OH = c.H + 2 * c.pad[0] - dh * (kh - 1), OW = c.W + 2 * c.pad[1] - dw * (kw - 1);
  const Hp = OH + dh * (kh - 1), Wp = OW + dw * (kw - 1);
  const plane = Hp * Wp * step, Cg = c.C / G, K = Cg * kh * kw, Og = c.O / G;
  const [rh, rw, rs] = c.layout === "exact" ? [OH, OW, Wp * step] : [1, OH * Wp, 0];
  const len = c.N * c.C * plane + (kw - 1) * dw * step;
  const b: View = { typedArray: rand(len, 7, dtype), offset: 0, shape: [G, Cg, kh, kw, c.N, rh, rw], strides: [Cg * plane, plane, dh * Wp * step, dw * step, c.C * plane, rs, step] };
  const a: View = { typedArray: rand(G * Og * K, 3, dtype), offset: 0, shape: [G, Og, K], strides: [Og * K, K, 1] };
  const n = c.N * rh * rw;
  const out0 = rand(G * Og * n, 11, dtype);
  return { a, b, out0, G, Og, K, n, dtype };
}

/** A copy that keeps the storage's dtype (a float64 one is tagged by allocStorage). */
function copyOf(x: Float32Array | Float64Array): Float32Array | Float64Array {
  const y = allocStorage(x instanceof Float64Array ? "float64" : "float32", x.length) as Float32Array | Float64Array;
  y.set(x);
  return y;
}
const outView = (data: Float32Array | Float64Array, G: number, Og: number, n: number): View => ({ typedArray: data, offset: 0, shape: [G, Og, n], strides: [Og * n, n, 1] });

/** The explicit path on backend B: the columns copied out of b, then matmul. */
function explicit(c: Case, B = NB): Float32Array | Float64Array {
  const { a, b, out0, G, Og, K, n } = operands(c);
  const cols = allocStorage(c.dtype ?? "float32", G * K * n);
  const [, , kh, kw, N, rh, rw] = b.shape;
  B.copy(b, { typedArray: cols, offset: 0, shape: b.shape, strides: [K * n, kh * kw * n, kw * n, n, rh * rw, rw, 1] });
  const out = copyOf(out0);
  B.matmul(a, { typedArray: cols, offset: 0, shape: [G, K, n], strides: [K * n, n, 1] }, outView(out, G, Og, n), c.accumulate ?? false);
  return out;
}

function implicit(c: Case, B = NB): Float32Array | Float64Array {
  const { a, b, out0, G, Og, n } = operands(c);
  const out = copyOf(out0);
  B.matmulUnfolded(a, b, outView(out, G, Og, n), c.accumulate ?? false);
  return out;
}

/** Bit patterns, so -0 and NaN payloads count too. */
const bits = (x: Float32Array | Float64Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.byteLength / 4));

describe("matmulUnfolded: the GEMM packing from the image = columns copied out + matmul", () => {
  for (const c of CASES) {
    it(`${c.name}: native, every ISA x ${THREADS.join("/")} threads, bit for bit`, () => {
      try {
        for (const isa of ISAS) {
          setIsa(isa);
          let first: number[] | null = null;
          for (const t of THREADS) {
            torch.setNumThreads(t);
            const got = bits(implicit(c));
            expect(got, `${isa}/${t}t`).toEqual(bits(explicit(c)));
            first ??= got;
            expect(got, `${isa}/${t}t against 1 thread`).toEqual(first);
          }
        }
      } finally {
        setIsa(info0.isa);
        torch.setNumThreads(info0.threads);
      }
    });
  }

  it("the JS backend computes the same products (within rounding), and is the explicit path itself", () => {
    for (const c of CASES) {
      const js = implicit(c, J);
      expect(bits(js), c.name).toEqual(bits(explicit(c, J)));
      close(Array.from(implicit(c)), Array.from(js), c.dtype === "float64" ? 1e-12 : 2e-5);
    }
  });

  it("the binding rejects operands that don't match", () => {
    const c = CASES[0];
    const { a, b, out0, G, Og, n } = operands(c);
    const meta = (...vs: View[]) => Float64Array.from(vs.flatMap((v) => [v.shape.length, v.offset, ...v.shape, ...v.strides]));
    const out = outView(copyOf(out0), G, Og, n);
    const call = (aa: View, bb: View, oo: View) => addon.matmulUnfolded(meta(aa, bb, oo), aa.typedArray as Float32Array, bb.typedArray as Float32Array, oo.typedArray as Float32Array, false);
    expect(() => call(a, b, out)).not.toThrow();
    expect(() => call(a, { ...b, shape: [1, 8, 3, 3, 2, 9, 7].slice(0, 6), strides: b.strides.slice(0, 6) }, out)).toThrow(RangeError);
    expect(() => call({ ...a, shape: [1, Og, 71] }, b, out)).toThrow(/shapes don't match/);
    expect(() => call(a, b, { ...out, shape: [1, Og, n - 1] })).toThrow(/shapes don't match/);
    // b reaching past its array: caught by the view checks, before any packing.
    const wide: View = { typedArray: new Float32Array(Og * (n / 2) * 3), offset: 0, shape: [1, Og, (n / 2) * 3], strides: [0, (n / 2) * 3, 1] };
    expect(() => call(a, { ...b, shape: [1, 8, 3, 3, 2, 9, 7] }, out)).not.toThrow();
    expect(() => call(a, { ...b, shape: [1, 8, 3, 3, 3, 9, 7] }, wide)).toThrow(/reach|bounds|past|outside/);
    expect(() => addon.matmulUnfolded(meta(a, b, out), a.typedArray as Float32Array, new Float64Array(b.typedArray.length), out.typedArray as Float32Array, false)).toThrow(TypeError);
    expect(() => J.matmulUnfolded(a, { ...b, shape: b.shape.slice(0, 6) }, out)).toThrow(RangeError);
  });
});

describe("the dispatch", () => {
  const win = (k: number, s: number, p: number, out: number) => makeWindow([k, k], [1, 1], [p, p], [s, s], [out, out]);

  it("usesImplicitGemm: enough rows of C and columns, else the stored columns", () => {
    expect(usesImplicitGemm(64, 8 * 56 * 56)).toBe(true);
    expect(usesImplicitGemm(32, 32)).toBe(true);
    expect(usesImplicitGemm(16, 8 * 56 * 56)).toBe(false);
    expect(usesImplicitGemm(512, 16)).toBe(false);
  });

  it("implicitExactColumns: where the padded rows' extra columns cost more than the runs", () => {
    expect(implicitExactColumns(512, 7, 9)).toBe(true); // ResNet-18 layer4
    expect(implicitExactColumns(256, 14, 16)).toBe(true); // layer3
    expect(implicitExactColumns(64, 14, 16)).toBe(false); // the CNN's conv2
    expect(implicitExactColumns(64, 56, 58)).toBe(false); // layer1
    expect(implicitExactColumns(4096, 56, 56)).toBe(false); // no padding: nothing to drop
  });

  it("usesPaddedForward: the padded-row shapes, and the implicit GEMM's on any stride-1 window", () => {
    expect(usesPaddedRows([8, 512, 7, 7], win(3, 1, 1, 7))).toBe(false);
    expect(usesPaddedForward([8, 512, 7, 7], win(3, 1, 1, 7), 512)).toBe(true);
    expect(usesPaddedForward([8, 512, 7, 7], win(3, 1, 1, 7), 16)).toBe(false);
    expect(usesPaddedForward([9, 32, 14, 14], win(3, 1, 1, 14), 16)).toBe(true); // padded rows alone
    expect(usesPaddedForward([8, 64, 56, 56], win(3, 2, 1, 28), 128)).toBe(false);
    expect(usesPaddedForward([8, 64, 56, 56], win(1, 1, 0, 56), 128)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// conv2d on the shapes that take the implicit path

interface ConvCase extends StrideOneConv { name: string; bias: boolean }
const CONVS: ConvCase[] = [
  { name: "exact columns (7x7, 64 outputs per group)", x: [3, 16, 7, 7], w: [136, 16, 3, 3], pad: 1, bias: true },
  { name: "padded rows (Og = 32)", x: [2, 5, 9, 11], w: [32, 5, 3, 3], pad: 1, bias: false },
  { name: "padding 0, dilation 2, groups 2", x: [2, 4, 10, 9], w: [64, 2, 3, 3], pad: 0, dil: 2, groups: 2, bias: true },
  { name: "padding 2, one channel, W = 2", x: [4, 1, 5, 2], w: [40, 1, 3, 3], pad: 2, bias: true },
];

describe("conv2d through the implicit GEMM", () => {
  it("the cases take it", () => {
    for (const c of CONVS) {
      const [, , H, W] = c.x, [O, , kh, kw] = c.w, d = c.dil ?? 1;
      const w = makeWindow([kh, kw], [d, d], [c.pad, c.pad], [1, 1], [H + 2 * c.pad - d * (kh - 1), W + 2 * c.pad - d * (kw - 1)]);
      expect(usesPaddedForward(c.x, w, O / (c.groups ?? 1)), c.name).toBe(true);
      expect(usesImplicitGemm(O / (c.groups ?? 1), c.x[0] * w.outH * w.outW), c.name).toBe(true);
    }
    expect(implicitExactColumns(136, 7, 9)).toBe(true);
    expect(implicitExactColumns(32, 11, 13)).toBe(false);
  });

  for (const name of backends()) {
    describe(name, () => {
      useBackend(name);
      for (const c of CONVS) {
        it(`${c.name}: = direct loops; the same bits at every thread count`, () => {
          torch.manualSeed(5);
          const x = torch.randn(...c.x), w = torch.randn(...c.w), b = c.bias ? torch.randn(c.w[0]) : null;
          const run = () => vals(torch.noGrad(() => torch.nn.functional.conv2d(x, w, b, 1, c.pad, c.dil ?? 1, c.groups ?? 1)));
          const ref = refConv(c, vals(x), vals(w), b ? vals(b) : null);
          try {
            let first: number[] | null = null;
            for (const t of THREADS) {
              torch.setNumThreads(t);
              const y = run();
              close(y, ref, 2e-5);
              first ??= y;
              expect(y, `${t} threads`).toEqual(first);
            }
          } finally {
            torch.setNumThreads(info0.threads);
          }
        });
      }
    });
  }
});
