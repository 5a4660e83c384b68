// The convolution's kernels and node: native im2col/col2im against their JS twins (the oracle) at
// awkward windows (odd sizes, kernel larger than the input with padding, stride > kernel, dilation,
// uneven padding, 1x1), on strided and permuted views with NaN-poisoned outputs, on every ISA this
// CPU runs at 1, 2 and 3 threads, bit for bit; the binding's rejection of bad windows; then the
// ConvolutionBackward0 node (lib/ops/conv2d.ts) against direct loops in doubles on both backends
// (groups = channels, 1x1, uneven 'same' padding, conv1d), bit-identical across thread counts, and
// its double backward. ref: PyTorch 1.13 slow_conv2d / im2col semantics.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { gradgradcheck } from "../lib/autograd/gradcheck.js";
import { jsBackend as J } from "../lib/backend/js.js";
import { setIsa } from "../lib/backend/native.js";
import type { ConvGeometry, View } from "../lib/backend/types.js";
import { imagesPerChunk } from "../lib/ops/conv_chunks.js";
import { usesPaddedRows } from "../lib/ops/conv_padded_rows.js";
import { makeWindow } from "../lib/ops/columns.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";
import { nativeUnderTest } from "./helpers/native.js";

const { backend: NB, addon, info: info0, isas: ISAS } = nativeUnderTest();
const threads0 = info0.threads;

/** Runs fn on every ISA and at 1, 2 and 3 threads, restoring the defaults after. */
function eachConfig(fn: (cfg: string) => void): void {
  try {
    for (const isa of ISAS) {
      setIsa(isa);
      for (const t of [1, 2, 3]) {
        torch.setNumThreads(t);
        fn(`${isa}/${t}t`);
      }
    }
  } finally {
    setIsa(info0.isa);
    torch.setNumThreads(threads0);
  }
}

// ---------------------------------------------------------------------------------------------
// Kernels

interface KCase {
  name: string;
  x: [number, number, number, number];
  g: ConvGeometry;
  /** Bottom/right padding (defaults to top/left). */
  padBR?: [number, number];
}

const g = (kh: number, kw: number, p: [number, number], s: [number, number], d: [number, number]): ConvGeometry => ({
  kh, kw, padTop: p[0], padLeft: p[1], strideH: s[0], strideW: s[1], dilationH: d[0], dilationW: d[1],
});

const KCASES: KCase[] = [
  { name: "odd sizes 3x3", x: [2, 3, 7, 5], g: g(3, 3, [0, 0], [1, 1], [1, 1]) },
  { name: "kernel larger than input, padded", x: [1, 2, 2, 3], g: g(5, 4, [2, 2], [1, 1], [1, 1]) },
  { name: "stride > kernel", x: [2, 2, 9, 11], g: g(2, 3, [1, 0], [4, 5], [1, 1]) },
  { name: "dilation", x: [1, 3, 8, 9], g: g(3, 2, [2, 1], [1, 2], [2, 3]) },
  { name: "uneven padding ('same', even kernel)", x: [2, 2, 5, 6], g: g(4, 2, [1, 0], [1, 1], [1, 1]), padBR: [2, 1] },
  { name: "1x1", x: [3, 4, 3, 5], g: g(1, 1, [0, 0], [1, 1], [1, 1]) },
  { name: "many planes (several chunks)", x: [4, 12, 16, 15], g: g(3, 3, [1, 1], [1, 1], [1, 1]) },
  // NOTE: stride 1 with the output as wide as the input: im2col copies each shifted plane at once.
  { name: "'same' kernel larger than the input", x: [1, 2, 2, 3], g: g(5, 5, [2, 2], [1, 1], [1, 1]) },
  { name: "'same' 5x3 on a tall narrow plane", x: [2, 3, 9, 4], g: g(5, 3, [2, 1], [1, 1], [1, 1]) },
  { name: "wide padding, stride 2", x: [2, 3, 6, 7], g: g(3, 3, [3, 4], [2, 2], [1, 1]) },
  // NOTE: one RGB image, a 7x7/2 stem: im2col's tasks are its 147 column rows (6 chunks), not 3 planes.
  { name: "one 3-channel image, 7x7 stride 2 (row tasks)", x: [1, 3, 66, 67], g: g(7, 7, [3, 3], [2, 2], [1, 1]) },
];

function outSize(c: KCase): [number, number] {
  const [, , H, W] = c.x;
  const [pb, pr] = c.padBR ?? [c.g.padTop, c.g.padLeft];
  return [
    Math.floor((H + c.g.padTop + pb - c.g.dilationH * (c.g.kh - 1) - 1) / c.g.strideH) + 1,
    Math.floor((W + c.g.padLeft + pr - c.g.dilationW * (c.g.kw - 1) - 1) / c.g.strideW) + 1,
  ];
}

const contiguous = (shape: number[]): number[] => {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, acc = 1; d >= 0; d--) (s[d] = acc), (acc *= shape[d]);
  return s;
};
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const data = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + seed) * (1 + (i % 3)));

/** x as a strided view: the image sits in a larger array, W stride 2 and an offset. */
function stridedImage(shape: [number, number, number, number]): View {
  const [N, C, H, W] = shape;
  const strides = [C * H * W * 2 + 3, H * W * 2 + 1, W * 2, 2];
  const len = 5 + (N - 1) * strides[0] + (C - 1) * strides[1] + (H - 1) * strides[2] + (W - 1) * strides[3] + 1;
  return { typedArray: data(len, 1), offset: 5, shape, strides };
}

/** The column layouts: batch-major [N, CK, OH, OW] contiguous, channel-major (a permuted view). */
function colsView(layout: "batch" | "channel", N: number, CK: number, OH: number, OW: number): View {
  const L = OH * OW;
  const strides = layout === "batch" ? [CK * L, L, OW, 1] : [L, N * L, OW, 1];
  return { typedArray: new Float32Array(N * CK * L).fill(NaN), offset: 0, shape: [N, CK, OH, OW], strides };
}

/** im2col straight from its definition (doubles; the values are float32 already). */
function im2colRef(x: View, c: ConvGeometry, OH: number, OW: number): number[] {
  const [N, C, H, W] = x.shape;
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let ch = 0; ch < C; ch++) for (let i = 0; i < c.kh; i++) for (let j = 0; j < c.kw; j++) {
    for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
      const y = oy * c.strideH - c.padTop + i * c.dilationH;
      const xx = ox * c.strideW - c.padLeft + j * c.dilationW;
      const inside = y >= 0 && y < H && xx >= 0 && xx < W;
      out.push(inside ? x.typedArray[x.offset + n * x.strides[0] + ch * x.strides[1] + y * x.strides[2] + xx * x.strides[3]] : 0);
    }
  }
  return out;
}

/** A view's elements in row-major order. */
function read(v: View): number[] {
  const out: number[] = [];
  const idx = new Array<number>(v.shape.length).fill(0);
  const n = size(v.shape);
  for (let k = 0; k < n; k++) {
    let at = v.offset;
    for (let d = 0; d < idx.length; d++) at += idx[d] * v.strides[d];
    out.push(v.typedArray[at]);
    for (let d = idx.length - 1; d >= 0 && ++idx[d] === v.shape[d]; d--) idx[d] = 0;
  }
  return out;
}

function expectSameBits(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${what} at ${i}: want ${want[i]} got ${got[i]}`);
  }
}

describe("im2col / col2im kernels", () => {
  for (const c of KCASES) {
    it(`im2col: ${c.name}, both layouts, contiguous and strided x`, () => {
      const [N, C, H, W] = c.x;
      const [OH, OW] = outSize(c);
      const CK = C * c.g.kh * c.g.kw;
      for (const x of [{ typedArray: data(size(c.x), 2), offset: 0, shape: c.x, strides: contiguous(c.x) }, stridedImage(c.x)] as View[]) {
        const want = im2colRef(x, c.g, OH, OW);
        for (const layout of ["batch", "channel"] as const) {
          const js = colsView(layout, N, CK, OH, OW);
          J.im2col(x, js, c.g);
          expectSameBits(read(js), want, `js im2col ${layout}`);
          eachConfig((cfg) => {
            const nat = colsView(layout, N, CK, OH, OW);
            NB.im2col(x, nat, c.g);
            expectSameBits(read(nat), want, `native im2col ${layout} ${cfg} (${N}x${C}x${H}x${W})`);
          });
        }
      }
    });

    it(`col2im: ${c.name}, the adjoint of im2col, native = js bit for bit`, () => {
      const [N, C, H, W] = c.x;
      const [OH, OW] = outSize(c);
      const CK = C * c.g.kh * c.g.kw;
      for (const layout of ["batch", "channel"] as const) {
        const cols = colsView(layout, N, CK, OH, OW);
        cols.typedArray.set(data(cols.typedArray.length, 3));
        const fresh = (): View => ({ typedArray: new Float32Array(size(c.x) * 2).fill(NaN), offset: 1, shape: c.x, strides: contiguous(c.x).map((s, d) => (d === 3 ? 2 : s * 2)) });
        const js = fresh();
        J.col2im(cols, js, c.g);
        const want = read(js);
        // <im2col(x), cols> = <x, col2im(cols)>: col2im is im2col's adjoint.
        const x = { typedArray: data(size(c.x), 4), offset: 0, shape: c.x, strides: contiguous(c.x) };
        const colVals = read(cols);
        const lhs = im2colRef(x, c.g, OH, OW).reduce((s, v, i) => s + v * colVals[i], 0);
        const rhs = read(x).reduce((s, v, i) => s + v * want[i], 0);
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * (1 + Math.abs(lhs)));
        eachConfig((cfg) => {
          const nat = fresh();
          NB.col2im(cols, nat, c.g);
          expectSameBits(read(nat), want, `native col2im ${layout} ${cfg} (${N}x${C}x${H}x${W})`);
        });
      }
    });
  }

  it("the binding rejects windows that don't match the views", () => {
    const x: View = { typedArray: new Float32Array(2 * 3 * 4 * 4), offset: 0, shape: [2, 3, 4, 4], strides: [48, 16, 4, 1] };
    const cols: View = { typedArray: new Float32Array(2 * 27 * 4), offset: 0, shape: [2, 27, 2, 2], strides: [108, 4, 2, 1] };
    const meta = (...vs: View[]) => Float64Array.from(vs.flatMap((v) => [v.shape.length, v.offset, ...v.shape, ...v.strides]));
    expect(() => addon.im2col(meta(x, cols), x.typedArray as Float32Array, cols.typedArray as Float32Array, 3, 3, 0, 0, 1, 1, 1, 1)).not.toThrow();
    expect(() => addon.im2col(meta(x, cols), x.typedArray as Float32Array, cols.typedArray as Float32Array, 2, 3, 0, 0, 1, 1, 1, 1)).toThrow(RangeError);
    expect(() => addon.im2col(meta(x, cols), x.typedArray as Float32Array, cols.typedArray as Float32Array, 3, 3, 0, 0, 0, 1, 1, 1)).toThrow(/strideH/);
    expect(() => addon.im2col(meta(x, cols), x.typedArray as Float32Array, cols.typedArray as Float32Array, 3, 3, -1, 0, 1, 1, 1, 1)).toThrow(/padTop/);
    expect(() => addon.col2im(meta(cols, x), cols.typedArray as Float32Array, cols.typedArray as Float32Array, 3, 3, 0, 0, 1, 1, 1, 1)).toThrow();
    expect(() => addon.im2col(meta(x, cols), x.typedArray as Float32Array, x.typedArray as Float32Array, 3, 3, 0, 0, 1, 1, 1, 1)).toThrow();
    expect(() => J.im2col(x, { ...cols, shape: [2, 26, 2, 2] }, g(3, 3, [0, 0], [1, 1], [1, 1]))).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// The convolution node

interface CCase {
  name: string;
  x: number[];
  w: number[];
  bias: boolean;
  o: { stride?: number | number[]; padding?: number | number[] | "same"; dilation?: number | number[]; groups?: number };
}

const CCASES: CCase[] = [
  { name: "3x3 padded (the CNN's)", x: [3, 4, 9, 9], w: [5, 4, 3, 3], bias: true, o: { padding: 1 } },
  { name: "odd sizes, stride > kernel", x: [2, 3, 7, 10], w: [4, 3, 2, 3], bias: true, o: { stride: [3, 4], padding: [1, 0] } },
  { name: "kernel larger than input, padded", x: [2, 2, 2, 3], w: [3, 2, 5, 4], bias: false, o: { padding: 2 } },
  { name: "dilation, groups 2", x: [2, 4, 8, 9], w: [6, 2, 3, 2], bias: true, o: { dilation: [2, 3], padding: [2, 1], groups: 2 } },
  { name: "depthwise (groups = channels)", x: [2, 5, 6, 7], w: [10, 1, 3, 3], bias: true, o: { padding: 1, stride: 2, groups: 5 } },
  { name: "1x1 (no im2col)", x: [3, 6, 4, 5], w: [7, 6, 1, 1], bias: true, o: {} },
  { name: "1x1 no bias, strided", x: [2, 6, 5, 5], w: [3, 6, 1, 1], bias: false, o: { stride: 2 } },
  { name: "'same', even kernel (uneven padding)", x: [2, 3, 5, 6], w: [2, 3, 4, 2], bias: true, o: { padding: "same" } },
  // NOTE: chunks of 5 and 4 images (imagesPerChunk), on the padded-row forward (usesPaddedRows).
  { name: "several chunks of images", x: [9, 32, 14, 14], w: [8, 32, 3, 3], bias: true, o: { padding: 1 } },
  // NOTE: chunks of 5, 5 and 3 images, on the im2col forward (dilation leaves too many unused padded columns).
  { name: "several chunks, dilated", x: [13, 40, 18, 18], w: [4, 40, 3, 3], bias: true, o: { dilation: 2 } },
];

const pairOf = (v: number | number[] | undefined, dflt: number): [number, number] => (v === undefined ? [dflt, dflt] : typeof v === "number" ? [v, v] : [v[0], v[1]]);

/** conv2d and its gradients for an upstream gy, by direct loops in doubles. */
function refConv(xv: number[], xs: number[], wv: number[], ws: number[], bv: number[] | null, c: CCase, gyAt: (i: number) => number) {
  const [N, C, H, W] = xs;
  const [O, Cg, KH, KW] = ws;
  const G = c.o.groups ?? 1;
  const [sh, sw] = pairOf(c.o.stride, 1);
  const [dh, dw] = pairOf(c.o.dilation, 1);
  let pt: number, pl: number, pb: number, pr: number;
  if (c.o.padding === "same") {
    const th = dh * (KH - 1), tw = dw * (KW - 1);
    [pt, pl] = [Math.floor(th / 2), Math.floor(tw / 2)];
    [pb, pr] = [th - pt, tw - pl];
  } else {
    [pt, pl] = pairOf(c.o.padding, 0);
    [pb, pr] = [pt, pl];
  }
  const OH = Math.floor((H + pt + pb - dh * (KH - 1) - 1) / sh) + 1;
  const OW = Math.floor((W + pl + pr - dw * (KW - 1) - 1) / sw) + 1;
  const Og = O / G;
  const y = new Array<number>(N * O * OH * OW).fill(0);
  const dx = new Array<number>(xv.length).fill(0);
  const dwv = new Array<number>(wv.length).fill(0);
  const db = new Array<number>(O).fill(0);
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    const yi = ((n * O + o) * OH + oy) * OW + ox;
    const gy = gyAt(yi);
    let s = bv ? bv[o] : 0;
    db[o] += gy;
    const gi = Math.floor(o / Og);
    for (let c2 = 0; c2 < Cg; c2++) for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
      const iy = oy * sh - pt + i * dh;
      const ix = ox * sw - pl + j * dw;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      const xi = ((n * C + gi * Cg + c2) * H + iy) * W + ix;
      const wi = ((o * Cg + c2) * KH + i) * KW + j;
      s += xv[xi] * wv[wi];
      dx[xi] += gy * wv[wi];
      dwv[wi] += gy * xv[xi];
    }
    y[yi] = s;
  }
  return { shape: [N, O, OH, OW], y, dx, dw: dwv, db };
}

function seq(shape: number[], seed: number, dtype: "float32" | "float64"): Tensor {
  const n = size(shape);
  return torch.tensor(Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + seed) + 0.1 * (i % 5)), { dtype }).reshape(...shape);
}

/** Forward and backward of F.conv2d for a case; returns every result as numbers. */
function runConv(c: CCase, dtype: "float32" | "float64") {
  const x = seq(c.x, 0.7, dtype).requiresGrad_();
  const w = seq(c.w, 0.3, dtype).mul(0.5).detach().requiresGrad_();
  const b = c.bias ? seq([c.w[0]], 0.1, dtype).detach().requiresGrad_() : null;
  const y = torch.nn.functional.conv2d(x, w, b, c.o);
  const gy = seq(y.shape as number[], 0.9, dtype);
  y.backward(gy);
  return { x, w, b, y, gy, out: [...vals(y), ...vals(x.grad!), ...vals(w.grad!), ...(b ? vals(b.grad!) : [])] };
}

describe("conv2d as one node", () => {
  it("the chunk cases span several chunks of images", () => {
    expect(imagesPerChunk(9, 32 * 9 * 14 * 16, 14 * 16)).toBe(5);
    expect(imagesPerChunk(13, 40 * 9 * 14 * 14, 14 * 14)).toBe(5);
    expect(imagesPerChunk(3, 1, 1)).toBe(3);
    // Few outputs per image: more images per chunk than 1 MB of columns holds, for a wide GEMM.
    expect(imagesPerChunk(8, 512 * 9 * 7 * 7, 7 * 7)).toBe(8);
  });

  it("the forward takes the padded-row layout only for stride 1 and few unused columns", () => {
    const win = (k: number, s: number, d: number, p: number, out: number) => makeWindow([k, k], [d, d], [p, p], [s, s], [out, out]);
    expect(usesPaddedRows([9, 32, 14, 14], win(3, 1, 1, 1, 14))).toBe(true);
    expect(usesPaddedRows([13, 40, 18, 18], win(3, 1, 2, 0, 14))).toBe(false);
    expect(usesPaddedRows([8, 512, 7, 7], win(3, 1, 1, 1, 7))).toBe(false);
    expect(usesPaddedRows([8, 64, 56, 56], win(3, 2, 1, 1, 28))).toBe(false);
    expect(usesPaddedRows([8, 64, 56, 56], win(1, 1, 1, 0, 56))).toBe(false);
  });

  for (const name of backends()) {
    describe(name, () => {
      useBackend(name);
      for (const c of CCASES) {
        for (const dtype of ["float32", "float64"] as const) {
          it(`${c.name} (${dtype}): output and gradients = direct loops`, () => {
            const r = runConv(c, dtype);
            expect(r.y.gradFn?.name).toBe("ConvolutionBackward0");
            const gyv = vals(r.gy);
            const ref = refConv(vals(r.x), c.x, vals(r.w), c.w, r.b ? vals(r.b) : null, c, (i) => gyv[i]);
            expect(r.y.shape).toEqual(ref.shape);
            const tol = dtype === "float64" ? 1e-12 : 1e-5;
            close(vals(r.y), ref.y, tol);
            close(vals(r.x.grad!), ref.dx, tol);
            close(vals(r.w.grad!), ref.dw, tol);
            if (r.b) close(vals(r.b.grad!), ref.db, tol);
          });
        }
      }

      it("conv1d runs through the node", () => {
        const x = seq([2, 3, 11], 0.2, "float32").requiresGrad_();
        const w = seq([4, 3, 3], 0.4, "float32").requiresGrad_();
        const y = torch.nn.functional.conv1d(x, w, null, { stride: 2, padding: 1 });
        expect(y.shape).toEqual([2, 4, 6]);
        y.sum().backward();
        const x4 = x.detach().unsqueeze(2), w4 = w.detach().unsqueeze(2);
        const ref = refConv(vals(x4), [2, 3, 1, 11], vals(w4), [4, 3, 1, 3], null, { name: "", x: [], w: [], bias: false, o: { stride: [1, 2], padding: [0, 1] } }, () => 1);
        close(vals(y), ref.y, 1e-5);
        close(vals(x.grad!), ref.dx, 1e-5);
        close(vals(w.grad!), ref.dw, 1e-5);
      });

      it("double backward through the node (gradgradcheck): 1x1 with bias, depthwise strided", () => {
        const GC = { eps: 1e-2, rtol: 1e-2, atol: 1e-3 };
        const rg = (t: Tensor) => t.detach().requiresGrad_();
        const F = torch.nn.functional;
        expect(gradgradcheck((a, ww, bb) => F.conv2d(a, ww, bb), [rg(seq([2, 3, 2, 3], 0.1, "float32")), rg(seq([2, 3, 1, 1], 0.2, "float32")), rg(seq([2], 0.3, "float32"))], null, GC)).toBe(true);
        expect(gradgradcheck((a, ww) => F.conv2d(a, ww, null, { stride: 2, padding: 1, groups: 2 }), [rg(seq([1, 2, 4, 3], 0.4, "float32")), rg(seq([4, 1, 2, 2], 0.5, "float32").mul(0.5))], null, GC)).toBe(true);
      });
    });
  }

  describe("conv_transpose2d through the node (conv2d's adjoint)", () => {
    const TCASES = [
      { name: "stride 2, padding 1, output_padding 1", x: [2, 3, 3, 4], w: [3, 2, 3, 3], o: { stride: 2, padding: 1, outputPadding: 1 }, groups: 1 },
      { name: "groups 2, dilation 2", x: [2, 4, 4, 3], w: [4, 3, 2, 3], o: { dilation: 2, groups: 2 }, groups: 2 },
      { name: "1x1", x: [3, 5, 2, 3], w: [5, 4, 1, 1], o: {}, groups: 1 },
      { name: "several chunks of images", x: [5, 4, 16, 16], w: [4, 40, 3, 3], o: {}, groups: 1 },
    ];
    for (const name of backends()) {
      describe(name, () => {
        useBackend(name);
        for (const t of TCASES) {
          for (const dtype of ["float32", "float64"] as const) {
            it(`${t.name} (${dtype}) = conv2d's input gradient; its gradients = conv2d and conv2d's weight gradient`, () => {
              const x = seq(t.x, 0.2, dtype).requiresGrad_();
              const w = seq(t.w, 0.6, dtype).mul(0.5).detach().requiresGrad_();
              const O = t.w[1] * t.groups;
              const b = seq([O], 0.8, dtype).detach().requiresGrad_();
              const y = torch.nn.functional.convTranspose2d(x, w, b, t.o);
              expect(y.gradFn?.name).toBe("ConvolutionBackward0");
              const g = seq(y.shape as number[], 0.5, dtype);
              y.backward(g);
              const o = t.o as { stride?: number; padding?: number; dilation?: number };
              // The conv2d that convTranspose2d is the adjoint of: image y -> x.
              const c: CCase = { name: "", x: y.shape as number[], w: t.w, bias: false, o: { stride: o.stride, padding: o.padding, dilation: o.dilation, groups: t.groups } };
              const xv = vals(x), gv = vals(g), bv = vals(b);
              const adj = refConv(new Array(size(y.shape)).fill(0), y.shape as number[], vals(w), t.w, null, c, (i) => xv[i]);
              const per = size(y.shape.slice(2));
              const tol = dtype === "float64" ? 1e-12 : 1e-5;
              close(vals(y), adj.dx.map((v, i) => v + bv[Math.floor(i / per) % O]), tol);
              const fwd = refConv(gv, y.shape as number[], vals(w), t.w, null, c, (i) => xv[i]);
              close(vals(x.grad!), fwd.y.slice(0, size(t.x)), tol);
              close(vals(w.grad!), fwd.dw, tol);
              close(vals(b.grad!), Array.from({ length: O }, (_, k) => gv.reduce((s2, v, i) => s2 + (Math.floor(i / per) % O === k ? v : 0), 0)), tol);
            });
          }
        }
        it("double backward (gradgradcheck)", () => {
          const GC = { eps: 1e-2, rtol: 1e-2, atol: 1e-3 };
          const rg = (t: Tensor) => t.detach().requiresGrad_();
          expect(gradgradcheck((a, ww, bb) => torch.nn.functional.convTranspose2d(a, ww, bb, { stride: 2, padding: 1, outputPadding: 1 }), [rg(seq([1, 2, 2, 2], 0.1, "float32")), rg(seq([2, 2, 2, 3], 0.2, "float32").mul(0.5)), rg(seq([2], 0.3, "float32"))], null, GC)).toBe(true);
        });
      });
    }
  });

  it("native: forward and gradients are bit-identical at 1, 2 and 3 threads on every ISA", () => {
    const prev = torch.backendInfo().name;
    torch.setBackend("native");
    try {
      for (const c of [CCASES[0], CCASES[4], CCASES[5], CCASES[8]]) {
        // NOTE: one reference per ISA: the GEMM's rounding may differ between ISAs, never between thread counts.
        const want = new Map<string, number[]>();
        eachConfig((cfg) => {
          const isa = cfg.split("/")[0];
          const got = runConv(c, "float32").out;
          if (!want.has(isa)) want.set(isa, got);
          expectSameBits(got, want.get(isa)!, `${c.name} ${cfg}`);
        });
      }
    } finally {
      torch.setBackend(prev);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// conv2d's weight GEMMs with conv's own split (native/conv_gemm.h, backend.convMatmul)

/** Cases whose weight GEMMs cut into several items, differently at each thread count: more than
 *  128 output channels (row blocks forced), batch 1, 1x1, depthwise, awkward sizes. */
const SPLIT_CASES: CCase[] = [
  { name: "batch 1, 200 channels, 3x3 padded (padded-row forward)", x: [1, 24, 12, 12], w: [200, 24, 3, 3], bias: true, o: { padding: 1 } },
  { name: "batch 1, 137 channels, 3x3 stride 2, odd sizes (im2col forward)", x: [1, 20, 15, 13], w: [137, 20, 3, 3], bias: false, o: { padding: 1, stride: 2 } },
  { name: "batch 1, 1x1, 300 channels (pointwise forward)", x: [1, 40, 9, 11], w: [300, 40, 1, 1], bias: true, o: {} },
  { name: "batch 2, depthwise 48 channels", x: [2, 48, 10, 9], w: [48, 1, 3, 3], bias: true, o: { padding: 1, groups: 48 } },
  { name: "batch 3, groups 2, 7x7 output", x: [3, 64, 7, 7], w: [160, 32, 3, 3], bias: false, o: { padding: 1, groups: 2 } },
];
const SPLIT_THREADS = [1, 2, 3, 4, 7, 16];

/** The items of conv_matmul's split as blocks of C, with their checks' helpers. */
function splitOf(batch: number, m: number, n: number, k: number, threads: number) {
  const items = addon.convGemmSplit(batch, m, n, k, threads).map(([b, i0, i1, j0, j1]) => ({ b, i0, i1, j0, j1, work: (i1 - i0) * (j1 - j0) }));
  return items;
}

/** The time the last of `threads` threads finishes when each claims the next item as it gets free. */
function makespan(work: number[], threads: number): number {
  const free = new Array<number>(threads).fill(0);
  for (const w of work) {
    const t = free.indexOf(Math.min(...free));
    free[t] += w;
  }
  return Math.max(...free);
}

describe("conv2d's weight GEMM split (conv_gemm.h)", () => {
  // [what, batch, m, n, k]: ResNet-18's forward GEMMs at batch 1 (n = outputs, or padded rows for
  // stride-1 3x3), its batch-8 chunks, input-gradient GEMMs (m = Cin*9), and the CNN's.
  const SHAPES: [string, number, number, number, number][] = [
    ["r18 stem b1", 1, 64, 12544, 147], ["r18 layer1 b1", 1, 64, 3248, 576], ["r18 layer2.0.conv1 b1", 1, 128, 784, 576],
    ["r18 layer2 b1", 1, 128, 840, 1152], ["r18 layer3 b1", 1, 256, 224, 2304], ["r18 layer3.0.conv1 b1", 1, 256, 196, 1152],
    ["r18 layer4 b1", 1, 512, 63, 4608], ["r18 layer4.0.conv1 b1", 1, 512, 49, 2304], ["r18 layer4 downsample b1", 1, 512, 49, 256],
    ["r18 layer4 b8", 1, 512, 392, 4608], ["r18 layer4 input grad b8", 1, 4608, 392, 512], ["r18 layer1 input grad chunk", 1, 576, 3136, 64],
    ["cnn conv2 forward", 1, 64, 64 * 14 * 16, 288], ["cnn conv2 input grad", 1, 288, 5 * 196, 64], ["depthwise, 32 groups", 32, 1, 3136, 9],
  ];

  it("items tile C once, in blocks of at most 128 rows, > 16 rows and >= 32 columns unless whole", () => {
    for (const [what, batch, m, n, k] of SHAPES) {
      for (const t of [1, 2, 4, 16, 64]) {
        const items = splitOf(batch, m, n, k, t);
        const seen = new Set<string>();
        let area = 0;
        for (const it of items) {
          const key = `${it.b}:${it.i0}:${it.j0}`;
          expect(seen.has(key), `${what} ${t}T: ${key} twice`).toBe(false);
          seen.add(key);
          area += it.work;
          expect(it.i1 - it.i0, `${what} ${t}T rows`).toBeLessThanOrEqual(128);
          if (it.i1 - it.i0 !== m) expect(it.i1 - it.i0, `${what} ${t}T rows`).toBeGreaterThan(16);
          if (it.j1 - it.j0 !== n) expect(it.j1 - it.j0, `${what} ${t}T columns`).toBeGreaterThanOrEqual(32);
        }
        // Blocks are a grid: the distinct row and column ranges each partition their dimension.
        for (const [lo, hi, len] of [["i0", "i1", m], ["j0", "j1", n]] as const) {
          const ranges = [...new Set(items.map((it) => `${it[lo]}-${it[hi]}`))].map((r) => r.split("-").map(Number)).sort((a, b) => a[0] - b[0]);
          expect(ranges[0][0], `${what} ${t}T`).toBe(0);
          for (let i = 1; i < ranges.length; i++) expect(ranges[i][0], `${what} ${t}T`).toBe(ranges[i - 1][1]);
          expect(ranges[ranges.length - 1][1], `${what} ${t}T`).toBe(len);
        }
        expect(area, `${what} ${t}T`).toBe(batch * m * n);
      }
    }
  });

  it("every thread gets balanced work at 4, 16 and 64 threads where the shape can be cut that fine", () => {
    for (const [what, batch, m, n, k] of SHAPES) {
      for (const t of [4, 16, 64]) {
        const items = splitOf(batch, m, n, k, t);
        const work = items.map((it) => it.work);
        const total = batch * m * n;
        // The finest split the rules allow: row blocks of 3 units of 8 rows, column blocks of 32.
        const finest = batch * Math.max(1, Math.floor(Math.floor(m / 8) / 3)) * Math.max(1, Math.floor(n / 32));
        if (finest >= t && 2 * batch * m * n * k >= t * 4e5) {
          // NOTE: at most 1.7x the mean: with one item per thread, the block that holds the remainder
          // of n (< 32 columns, kept with it so that blocks stay aligned to the microkernel's 32) is
          // up to twice a one-unit block.
          expect(makespan(work, t), `${what} ${t}T makespan`).toBeLessThanOrEqual(1.7 * (total / t));
        } else {
          // Too small or too narrow to cut further: as many items as the rules allow, or as pay.
          expect(items.length, `${what} ${t}T items`).toBeGreaterThanOrEqual(Math.min(finest, t, Math.floor((2 * batch * m * n * k) / 2e5)));
        }
      }
    }
    // The deep layers at batch 1: no item packs A (<= 128 rows), and 2 threads get equal shares.
    for (const [m, n, k] of [[512, 63, 4608], [256, 224, 2304]]) {
      const work = splitOf(1, m, n, k, 2).map((it) => it.work);
      expect(makespan(work, 2)).toBe((m * n) / 2);
    }
  });

  it("the split depends on the thread count (so the bit-identity tests below compare different splits)", () => {
    const [b, m, n, k] = [1, 200, 12 * 14, 24 * 9]; // the first SPLIT_CASES forward GEMM
    const shapes = SPLIT_THREADS.map((t) => JSON.stringify(splitOf(b, m, n, k, t)));
    expect(new Set(shapes).size).toBeGreaterThanOrEqual(3);
  });

  it("conv's split is taken only where it re-reads less than the GEMM's own packing (convGemmPays)", () => {
    for (const t of [1, 2, 4, 16, 64]) {
      // Up to 128 rows the GEMM reads A in place itself.
      expect(addon.convGemmPays(1, 128, 840, 1152, t)).toBe(false);
      expect(addon.convGemmPays(1, 64, 12544, 147, t)).toBe(false);
      // ResNet-18's layer3/layer4 forward at batch 1: a narrow C, where the GEMM's items each pack A.
      // At 1 thread the GEMM runs one item, which packs A once: nothing left for conv's split to save.
      for (const [m, n, k] of [[256, 224, 2304], [256, 196, 1152], [512, 63, 4608], [512, 49, 2304], [512, 49, 256]]) {
        expect(addon.convGemmPays(1, m, n, k, t), `${m}x${n}x${k} ${t}T`).toBe(t > 1);
      }
    }
    // layer3's forward chunk at batch 8 (4 images): wide enough that the GEMM's packing pays off.
    expect(addon.convGemmPays(1, 256, 4 * 224, 2304, 1)).toBe(false);
    expect(addon.convGemmPays(1, 256, 4 * 224, 2304, 2)).toBe(false);
    // The bit-identity cases below mix both choices across thread counts (their input-gradient GEMMs).
    const choices = SPLIT_THREADS.map((t) => addon.convGemmPays(1, 216, 144, 200, t));
    expect(new Set(choices).size).toBe(2);
  });

  it("convGemmSplit and convMatmul reject bad arguments with JS errors", () => {
    expect(() => addon.convGemmSplit(0, 8, 8, 8, 1)).toThrow(RangeError);
    expect(() => addon.convGemmSplit(1, 8, 8, 8, 1.5)).toThrow(RangeError);
    expect(() => addon.convGemmPays(1, 8, -1, 8, 1)).toThrow(RangeError);
    expect(() => (addon.convGemmSplit as (...a: unknown[]) => unknown)(1, 8, 8, 8)).toThrow();
    const a = new Float32Array(6), bb = new Float32Array(6), out = new Float32Array(4);
    const v = (data: Float32Array, shape: number[]): View => ({ typedArray: data, offset: 0, shape, strides: [shape[1] * shape[2], shape[2], 1] });
    expect(() => NB.convMatmul(v(a, [1, 2, 3]), v(bb, [1, 2, 3]), v(out, [1, 2, 2]))).toThrow(RangeError);
    expect(() => NB.convMatmul(v(a, [1, 2, 3]), v(bb, [1, 3, 2]), v(a, [1, 2, 2]))).toThrow();
  });

  for (const name of backends()) {
    describe(name, () => {
      useBackend(name);
      for (const c of SPLIT_CASES) {
        it(`${c.name}: output and gradients = direct loops`, () => {
          const r = runConv(c, "float32");
          const gyv = vals(r.gy);
          const ref = refConv(vals(r.x), c.x, vals(r.w), c.w, r.b ? vals(r.b) : null, c, (i) => gyv[i]);
          // NOTE: sums of up to 288 float32 products (a few of them cancelling): 5e-5, not 1e-5.
          close(vals(r.y), ref.y, 5e-5);
          close(vals(r.x.grad!), ref.dx, 5e-5);
          close(vals(r.w.grad!), ref.dw, 5e-5);
        });
      }
    });
  }

  it(`native: forward and gradients are bit-identical at ${SPLIT_THREADS.join(", ")} threads on every ISA, and conv_transpose2d's too`, () => {
    const prev = torch.backendInfo().name;
    torch.setBackend("native");
    try {
      for (const c of SPLIT_CASES) {
        const want = new Map<string, number[]>();
        for (const isa of ISAS) {
          setIsa(isa);
          for (const t of SPLIT_THREADS) {
            torch.setNumThreads(t);
            const got = runConv(c, "float32").out;
            // conv_transpose2d: its forward is conv2d's input gradient (the Wᵀ x dY GEMM).
            const xt = seq([c.x[0], c.w[0], 5, 6], 0.3, "float32");
            const wt = seq(c.w, 0.6, "float32");
            const yt = torch.nn.functional.convTranspose2d(xt, wt, null, { groups: c.o.groups ?? 1 });
            got.push(...vals(yt));
            if (!want.has(isa)) want.set(isa, got);
            expectSameBits(got, want.get(isa)!, `${c.name} ${isa}/${t}t`);
          }
        }
      }
    } finally {
      setIsa(info0.isa);
      torch.setNumThreads(threads0);
      torch.setBackend(prev);
    }
  });
});
