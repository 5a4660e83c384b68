// Pooling: F.maxPool1d/2d, avgPool1d/2d, the adaptive pools and their modules. Values against a
// reference computed here in doubles straight from PyTorch's definitions (awkward sizes: odd inputs,
// padding, ceil-mode windows that overhang, stride > kernel, dilation, 1x1 outputs), argmax indices
// (first max in scan order, NaN wins), gradcheck and gradgradcheck, unbatched inputs, reprs and
// PyTorch's error messages. Every test runs once per backend that loads.
// ref: PyTorch 1.13 (messages and reprs read off it).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { gradcheck, gradgradcheck } from "../lib/autograd/gradcheck.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";
import { recycle } from "../lib/ops/scratch.js";

const { nn } = torch;
const F = nn.functional;

/** Distinct values (no ties), so max pooling is differentiable everywhere for gradcheck. */
function distinct(shape: number[], seed = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = Array.from({ length: n }, (_, i) => ((i + seed) * 7919) % n);
  return torch.tensor(perm.map((v) => (v - n / 2) / 4)).reshape(shape);
}

interface Cfg { k: [number, number]; s: [number, number]; p: [number, number]; d: [number, number]; ceil: boolean }

function outLen(size: number, k: number, p: number, s: number, d: number, ceil: boolean): number {
  let o = Math.floor((size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= size + p) o--;
  return o;
}

/** Reference pools over one [H, W] plane, in doubles. */
function refPool(plane: number[][], c: Cfg, mode: "max" | "avg", includePad = true, divisorOverride: number | null = null): { v: number[]; i: number[] } {
  const H = plane.length, W = plane[0].length;
  const oH = outLen(H, c.k[0], c.p[0], c.s[0], c.d[0], c.ceil), oW = outLen(W, c.k[1], c.p[1], c.s[1], c.d[1], c.ceil);
  const v: number[] = [], idx: number[] = [];
  for (let i = 0; i < oH; i++) for (let j = 0; j < oW; j++) {
    let best = -Infinity, bi = -1, sum = 0, count = 0;
    for (let a = 0; a < c.k[0]; a++) for (let b = 0; b < c.k[1]; b++) {
      const h = i * c.s[0] - c.p[0] + a * c.d[0], w = j * c.s[1] - c.p[1] + b * c.d[1];
      if (h < 0 || h >= H || w < 0 || w >= W) continue;
      const x = plane[h][w];
      if (bi < 0) bi = h * W + w;
      if (x > best || Number.isNaN(x)) { best = x; bi = h * W + w; }
      sum += x; count++;
    }
    const h0 = i * c.s[0] - c.p[0], w0 = j * c.s[1] - c.p[1];
    const padded = (Math.min(h0 + c.k[0], H + c.p[0]) - h0) * (Math.min(w0 + c.k[1], W + c.p[1]) - w0);
    v.push(mode === "max" ? best : sum / (divisorOverride ?? (includePad ? padded : count)));
    idx.push(bi);
  }
  return { v, i: idx };
}

const planes = (x: Tensor): number[][][] => {
  const [H, W] = x.shape.slice(-2);
  const flat = vals(x);
  const out: number[][][] = [];
  for (let p = 0; p < flat.length / (H * W); p++) out.push(Array.from({ length: H }, (_, h) => flat.slice(p * H * W + h * W, p * H * W + (h + 1) * W)));
  return out;
};

const CASES: [string, number[], Cfg][] = [
  ["odd input, k3 s2 p1", [2, 3, 7, 5], { k: [3, 3], s: [2, 2], p: [1, 1], d: [1, 1], ceil: false }],
  ["ceil mode, overhanging windows", [1, 2, 6, 7], { k: [3, 2], s: [2, 2], p: [1, 1], d: [1, 1], ceil: true }],
  ["ceil mode window that would start in the padding is dropped", [1, 1, 5, 5], { k: [2, 2], s: [2, 2], p: [1, 1], d: [1, 1], ceil: true }],
  ["stride > kernel", [1, 2, 9, 8], { k: [2, 3], s: [4, 3], p: [0, 1], d: [1, 1], ceil: false }],
  ["1x1 output", [2, 1, 3, 3], { k: [3, 3], s: [3, 3], p: [0, 0], d: [1, 1], ceil: false }],
  ["1x1 kernel", [1, 2, 3, 4], { k: [1, 1], s: [1, 2], p: [0, 0], d: [1, 1], ceil: true }],
];
const DIL_CASES: [string, number[], Cfg][] = [
  ["dilation", [1, 2, 8, 9], { k: [3, 2], s: [1, 2], p: [1, 1], d: [2, 3], ceil: false }],
  ["dilation + ceil", [1, 1, 7, 6], { k: [2, 2], s: [2, 2], p: [1, 0], d: [2, 2], ceil: true }],
];

describe.each(backends())("pooling [%s]", (name) => {
  useBackend(name);

  describe("maxPool2d", () => {
    it.each([...CASES, ...DIL_CASES])("%s: values and indices match the reference", (_, shape, c) => {
      const x = torch.randn(shape);
      const [y, idx] = F.maxPool2d(x, c.k, c.s, c.p, c.d, c.ceil, true) as [Tensor, Tensor];
      const ref = planes(x).map((pl) => refPool(pl, c, "max"));
      expect(y.shape.slice(0, 2)).toEqual(shape.slice(0, 2));
      close(vals(y), ref.flatMap((r) => r.v), 0);
      expect(idx.dtype).toBe("int64");
      expect(vals(idx)).toEqual(ref.flatMap((r) => r.i));
    });

    it.each([...CASES, ...DIL_CASES])("%s: gradcheck and gradgradcheck", (_, shape, c) => {
      const x = distinct(shape).requiresGrad_(true);
      const f = (t: Tensor) => F.maxPool2d(t, { kernelSize: c.k, stride: c.s, padding: c.p, dilation: c.d, ceilMode: c.ceil }) as Tensor;
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
    });

    it("max- and avg-pool gradients are right in a recycled storage (the kernels zero it first)", () => {
      // A dead storage of the gradient's size, full of NaN, is what the scratch pool hands out next.
      for (const pool of ["max", "avg"] as const) {
        const x = distinct([1, 4, 32, 32]).requiresGrad_(true);
        const y = pool === "max" ? F.maxPool2d(x, 2) : F.avgPool2d(x, 2);
        recycle(new Float32Array(4 * 32 * 32).fill(NaN));
        y.sum().backward();
        const g = vals(x.grad!);
        if (pool === "max") {
          expect(g.every((v) => v === 0 || v === 1)).toBe(true);
          expect(g.reduce((a, b) => a + b, 0)).toBe(4 * 16 * 16);
        } else {
          expect(g.every((v) => v === 0.25)).toBe(true);
        }
      }
    });

    it("ties pick the first max in scan order; overlapping windows accumulate the gradient", () => {
      const x = torch.tensor([[[[1, 1, 1], [1, 2, 1], [1, 1, 1]]]]).requiresGrad_(true);
      const [y, idx] = F.maxPool2d(x, 2, 1, 0, 1, false, true) as [Tensor, Tensor];
      expect(vals(idx)).toEqual([4, 4, 4, 4]);
      y.sum().backward();
      expect(vals(x.grad!)).toEqual([0, 0, 0, 0, 4, 0, 0, 0, 0]);
      const [, idx2] = F.maxPool2d(torch.zeros(1, 1, 2, 4), 2, { returnIndices: true }) as [Tensor, Tensor];
      expect(vals(idx2)).toEqual([0, 2]);
    });

    it("NaN propagates, and the last NaN of the window is the index (as PyTorch's kernel)", () => {
      const x = torch.tensor([[[[1, NaN, 3, NaN, 2]]]]);
      const [y, idx] = F.maxPool2d(x, [1, 5], { returnIndices: true }) as [Tensor, Tensor];
      expect(vals(y)[0]).toBeNaN();
      expect(vals(idx)).toEqual([3]);
    });

    it("all -inf windows point at their first in-bounds element", () => {
      const x = torch.full([1, 1, 4, 4], -Infinity);
      const [, idx] = F.maxPool2d(x, 2, { padding: 1, returnIndices: true }) as [Tensor, Tensor];
      expect(vals(idx)).toEqual([0, 1, 3, 4, 5, 7, 12, 13, 15]);
    });

    it("unbatched (C, H, W) input gives (C, oH, oW)", () => {
      const x = torch.randn([2, 5, 4]);
      const y = F.maxPool2d(x, 2) as Tensor;
      expect(y.shape).toEqual([2, 2, 2]);
      close(vals(y), vals(F.maxPool2d(x.unsqueeze(0), 2) as Tensor), 0);
    });

    it("empty batch gives an empty batch", () => {
      expect((F.maxPool2d(torch.zeros(0, 1, 4, 4), 2) as Tensor).shape).toEqual([0, 1, 2, 2]);
    });

    it("errors use PyTorch's words", () => {
      const x = torch.zeros(1, 1, 4, 4);
      expect(() => F.maxPool2d(x, 2, { padding: 2 })).toThrow("pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
      expect(() => F.maxPool2d(torch.zeros(1, 1, 2, 2), 3)).toThrow("Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small");
      expect(() => F.maxPool2d(torch.zeros(2, 2), 2)).toThrow("non-empty 3D or 4D (batch mode) tensor expected for input");
      expect(() => F.maxPool2d(torch.zeros(1, 0, 2, 2), 2)).toThrow("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 0, 2, 2]");
      expect(() => F.maxPool2d(x, 2, { stride: 0 })).toThrow("stride should not be zero");
      expect(() => F.maxPool2d(x, 2, { dilation: 0 })).toThrow("dilation should be greater than zero, but got dilationH: 0 dilationW: 0");
      expect(() => F.maxPool2d(x, 2, { padding: -1 })).toThrow("pad must be non-negative, but got pad: -1");
      expect(() => F.maxPool2d(x, [2, 2, 2])).toThrow("max_pool2d: kernel_size must either be a single int, or a tuple of two ints");
      expect(() => F.maxPool2d(torch.zeros([1, 1, 4, 4], { dtype: "int64" }), 2)).toThrow(`"max_pool2d" not implemented for 'Long'`);
    });
  });

  describe("maxPool1d", () => {
    it("matches maxPool2d on a height-1 input, with indices", () => {
      const x = torch.randn([2, 3, 11]);
      const [y, idx] = F.maxPool1d(x, 3, 2, 1, 2, true, true) as [Tensor, Tensor];
      const [y2, idx2] = F.maxPool2d(x.unsqueeze(2), [1, 3], [1, 2], [0, 1], [1, 2], true, true) as [Tensor, Tensor];
      expect(y.shape).toEqual([2, 3, y2.shape[3]]);
      close(vals(y), vals(y2), 0);
      expect(vals(idx)).toEqual(vals(idx2));
    });

    it("unbatched (C, L), gradcheck", () => {
      const x = distinct([3, 7]).requiresGrad_(true);
      expect((F.maxPool1d(x, 2, { stride: 1 }) as Tensor).shape).toEqual([3, 6]);
      expect(gradcheck((t) => F.maxPool1d(t, 3, { stride: 2, padding: 1 }) as Tensor, [x])).toBe(true);
    });

    it("errors use PyTorch's words", () => {
      const x = torch.zeros(1, 1, 4);
      expect(() => F.maxPool1d(x, 2, { padding: 2 })).toThrow("max_pool1d() padding should be at most half of kernel size, but got padding=2 and kernel_size=2");
      expect(() => F.maxPool1d(x, 2, { padding: 2, returnIndices: true })).toThrow("pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
      expect(() => F.maxPool1d(x, 0)).toThrow("max_pool1d() kernel_size must be greater than zero, but got 0");
      expect(() => F.maxPool1d(x, 2, { dilation: 0 })).toThrow("max_pool1d() dilation must be greater than zero, but got 0");
      expect(() => F.maxPool1d(torch.zeros(4), 2)).toThrow("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[4]");
      expect(() => F.maxPool1d(torch.zeros(1, 1, 2), 3)).toThrow("Given input size: (1x1x2). Calculated output size: (1x1x0). Output size is too small");
      expect(() => F.maxPool1d(x, [2, 2])).toThrow("max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got size 2");
    });
  });

  describe("avgPool2d", () => {
    const modes: [string, boolean, number | null][] = [["count_include_pad", true, null], ["exclude pad", false, null], ["divisor_override", true, 3]];
    it.each(CASES.flatMap(([n, s, c]) => modes.map(([m, inc, dv]) => [`${n}, ${m}`, s, c, inc, dv] as const)))("%s: values match the reference", (_, shape, c, inc, dv) => {
      const x = torch.randn(shape);
      const y = F.avgPool2d(x, c.k, c.s, c.p, c.ceil, inc, dv);
      const ref = planes(x).flatMap((pl) => refPool(pl, c, "avg", inc, dv).v);
      close(vals(y), ref);
    });

    it.each(CASES)("%s: gradcheck and gradgradcheck (exclude pad)", (_, shape, c) => {
      const x = torch.randn(shape).requiresGrad_(true);
      const f = (t: Tensor) => F.avgPool2d(t, c.k, { stride: c.s, padding: c.p, ceilMode: c.ceil, countIncludePad: false });
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
    });

    it("the gradient is the upstream spread by the divisor", () => {
      const x = torch.zeros(1, 1, 2, 2).requiresGrad_(true);
      F.avgPool2d(x, 2, { padding: 1 }).sum().backward();
      expect(vals(x.grad!)).toEqual([0.25, 0.25, 0.25, 0.25]);
    });

    it("unbatched input and errors", () => {
      expect(F.avgPool2d(torch.randn([2, 4, 4]), 2, 1).shape).toEqual([2, 3, 3]);
      expect(() => F.avgPool2d(torch.zeros(1, 1, 4, 4), 2, { padding: 2 })).toThrow("pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
      expect(() => F.avgPool2d(torch.zeros(1, 1, 4, 4), 2, { divisorOverride: 0 })).toThrow("divisor must be not zero");
      expect(() => F.avgPool2d(torch.zeros(1, 1, 4), 2)).toThrow("Given input size: (1x1x4). Calculated output size: (1x0x2). Output size is too small");
    });
  });

  describe("avgPool1d", () => {
    it("matches avgPool2d on a height-1 input; unbatched; errors", () => {
      const x = torch.randn([2, 3, 9]);
      const y = F.avgPool1d(x, 3, 2, 1, true, false);
      close(vals(y), vals(F.avgPool2d(x.unsqueeze(2), [1, 3], [1, 2], [0, 1], true, false)));
      expect(F.avgPool1d(torch.randn([3, 6]), 2).shape).toEqual([3, 3]);
      expect(() => F.avgPool1d(torch.zeros(4), 2)).toThrow("Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)");
      expect(() => F.avgPool1d(torch.zeros(1, 1, 4), [2, 2])).toThrow("avg_pool1d() argument 'kernel_size' should contain one int (got 2)");
    });
  });

  describe("adaptive pools", () => {
    /** Window i of out over size: [floor(i*size/out), ceil((i+1)*size/out)). */
    const win = (i: number, size: number, out: number) => [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)];

    it.each([[5, 7, 2, 3], [4, 4, 4, 4], [3, 5, 1, 1], [2, 3, 3, 4], [7, 3, 3, 2]])("%i x %i -> %i x %i: avg and max match the reference", (H, W, oH, oW) => {
      const x = torch.randn([2, 2, H, W]);
      const avg = F.adaptiveAvgPool2d(x, [oH, oW]);
      const [mx, idx] = F.adaptiveMaxPool2d(x, [oH, oW], true) as [Tensor, Tensor];
      const wantAvg: number[] = [], wantMax: number[] = [], wantIdx: number[] = [];
      for (const pl of planes(x)) {
        for (let i = 0; i < oH; i++) for (let j = 0; j < oW; j++) {
          const [h0, h1] = win(i, H, oH), [w0, w1] = win(j, W, oW);
          let s = 0, best = -Infinity, bi = -1;
          for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) {
            s += pl[h][w];
            if (pl[h][w] > best) { best = pl[h][w]; bi = h * W + w; }
          }
          wantAvg.push(s / ((h1 - h0) * (w1 - w0))); wantMax.push(best); wantIdx.push(bi);
        }
      }
      close(vals(avg), wantAvg);
      close(vals(mx), wantMax, 0);
      expect(vals(idx)).toEqual(wantIdx);
    });

    it("null keeps that size; an int means a square; 1-D forms; unbatched", () => {
      expect(F.adaptiveAvgPool2d(torch.randn([1, 2, 3, 5]), [null, 2]).shape).toEqual([1, 2, 3, 2]);
      expect(F.adaptiveAvgPool2d(torch.randn([2, 4, 6]), 3).shape).toEqual([2, 3, 3]);
      expect(F.adaptiveAvgPool1d(torch.randn([2, 7]), 3).shape).toEqual([2, 3]);
      const [y, idx] = F.adaptiveMaxPool1d(torch.tensor([[[1, 3, 3, 2, 0, 0, -1]]]), 3, true) as [Tensor, Tensor];
      expect(vals(y)).toEqual([3, 3, 0]);
      expect(vals(idx)).toEqual([1, 2, 4]);
    });

    it("gradcheck and gradgradcheck", () => {
      const x = distinct([1, 2, 5, 7]).requiresGrad_(true);
      for (const f of [(t: Tensor) => F.adaptiveAvgPool2d(t, [2, 3]), (t: Tensor) => F.adaptiveMaxPool2d(t, [3, 2]) as Tensor, (t: Tensor) => F.adaptiveAvgPool2d(t, [6, 9])]) {
        expect(gradcheck(f, [x])).toBe(true);
        expect(gradgradcheck(f, [x])).toBe(true);
      }
    });

    it("errors use PyTorch's words", () => {
      expect(() => F.adaptiveAvgPool2d(torch.zeros(4), 2)).toThrow("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [4]");
      expect(() => F.adaptiveMaxPool2d(torch.zeros(4), 2)).toThrow("adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [4]");
      expect(() => F.adaptiveAvgPool2d(torch.zeros(1, 0, 4), 2)).toThrow("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 0, 4] with dimension 1 being empty");
      expect(() => F.adaptiveAvgPool2d(torch.zeros(1, 1, 4, 4), [2, 2, 2])).toThrow("adaptive_avg_pool2d: output_size must be 2");
      expect(() => F.adaptiveAvgPool1d(torch.zeros(1, 1, 4), [2, 2])).toThrow("adaptive_avg_pool1d() argument 'output_size' should contain one int (got 2)");
      expect(() => F.adaptiveAvgPool1d(torch.zeros(4), 2)).toThrow("Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_avg_pool1d)");
    });
  });

  describe("maxUnpool", () => {
    it("puts each value back at its index; outputSize; unbatched; 1-D", () => {
      const x = torch.arange(16).float().reshape(1, 1, 4, 4);
      const [y, idx] = F.maxPool2d(x, 2, { returnIndices: true }) as [Tensor, Tensor];
      const u = F.maxUnpool2d(y, idx, 2);
      expect(u.shape).toEqual([1, 1, 4, 4]);
      expect(vals(u)).toEqual([0, 0, 0, 0, 0, 5, 0, 7, 0, 0, 0, 0, 0, 13, 0, 15]);
      expect(vals(F.maxUnpool2d(y, idx, 2, { outputSize: [1, 1, 5, 5] }))).toEqual([0, 0, 0, 0, 0, 5, 0, 7, 0, 0, 0, 0, 0, 13, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(vals(F.maxUnpool2d(y.squeeze(0), idx.squeeze(0), 2))).toEqual(vals(u));
      const [y1, i1] = F.maxPool1d(torch.tensor([[[1, 4, 2, 3, 0, 5]]]), 2, { returnIndices: true }) as [Tensor, Tensor];
      expect(vals(F.maxUnpool1d(y1, i1, 2))).toEqual([0, 4, 0, 3, 0, 5]);
      expect(String(new nn.MaxUnpool2d(2))).toBe("MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))");
      expect(String(new nn.MaxUnpool1d(3, 2))).toBe("MaxUnpool1d(kernel_size=(3,), stride=(2,), padding=(0,))");
      expect(vals(new nn.MaxUnpool2d(2).forward(y, idx))).toEqual(vals(u));
    });

    it("gradient gathers the upstream at the indices (gradcheck, gradgradcheck)", () => {
      const [y, idx] = F.maxPool2d(distinct([1, 2, 4, 5]), 2, { returnIndices: true }) as [Tensor, Tensor];
      const f = (t: Tensor) => F.maxUnpool2d(t, idx, 2, { outputSize: [4, 5] });
      expect(gradcheck(f, [y.detach().requiresGrad_(true)])).toBe(true);
      expect(gradgradcheck(f, [y.detach().requiresGrad_(true)])).toBe(true);
    });

    it("errors use PyTorch's words", () => {
      const [y, idx] = F.maxPool2d(torch.randn([1, 1, 4, 4]), 2, { returnIndices: true }) as [Tensor, Tensor];
      expect(() => F.maxUnpool2d(y, idx, 2, { outputSize: [7, 5] })).toThrow('invalid output_size "[7, 5]" (dim 0 must be between 2 and 6)');
      expect(() => F.maxUnpool2d(y, idx.add(20), 2)).toThrow("Found an invalid max index: ");
      expect(() => F.maxUnpool2d(y, idx.float(), 2)).toThrow("elements in indices should be type int64 but got: Float");
      expect(() => F.maxUnpool2d(y.reshape(2, 2), idx.reshape(2, 2), 2)).toThrow("Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with 2 dimensions.");
    });
  });

  describe("modules", () => {
    it("reprs as PyTorch prints them", () => {
      expect(String(new nn.MaxPool2d(2))).toBe("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
      expect(String(new nn.MaxPool1d(3, 2))).toBe("MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)");
      expect(String(new nn.MaxPool2d([2, 3], { dilation: [1, 2] }))).toBe("MaxPool2d(kernel_size=(2, 3), stride=(2, 3), padding=0, dilation=(1, 2), ceil_mode=False)");
      expect(String(new nn.AvgPool2d([2, 3]))).toBe("AvgPool2d(kernel_size=(2, 3), stride=(2, 3), padding=0)");
      expect(String(new nn.AvgPool1d(2))).toBe("AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))");
      expect(String(new nn.AdaptiveAvgPool2d([null, 2]))).toBe("AdaptiveAvgPool2d(output_size=(None, 2))");
      expect(String(new nn.AdaptiveMaxPool2d(2))).toBe("AdaptiveMaxPool2d(output_size=2)");
      expect(String(new nn.AdaptiveAvgPool1d(3))).toBe("AdaptiveAvgPool1d(output_size=3)");
    });

    it("forward calls the functional form (return_indices gives [values, indices])", () => {
      const x = torch.randn([1, 2, 6, 5]);
      close(vals(new nn.MaxPool2d(3, { stride: 2, padding: 1 }).forward(x) as Tensor), vals(F.maxPool2d(x, 3, 2, 1) as Tensor), 0);
      const [, idx] = new nn.MaxPool2d(2, { returnIndices: true }).forward(x) as [Tensor, Tensor];
      expect(idx.dtype).toBe("int64");
      close(vals(new nn.AvgPool2d(2, { ceilMode: true, divisorOverride: 1 }).forward(x)), vals(F.avgPool2d(x, 2, { ceilMode: true, divisorOverride: 1 })));
      close(vals(new nn.AvgPool1d(2).forward(x.reshape(2, 30))), vals(F.avgPool1d(x.reshape(2, 30), 2)));
      close(vals(new nn.AdaptiveAvgPool2d(1).forward(x)), vals(x.mean([2, 3], true)));
      close(vals(new nn.AdaptiveMaxPool2d(1).forward(x) as Tensor), vals(x.amax([2, 3], true)), 0);
      expect((new nn.AdaptiveMaxPool1d(2, true).forward(x.reshape(2, 30)) as Tensor[])[1].shape).toEqual([2, 2]);
      expect(new nn.AdaptiveAvgPool1d(3).forward(x.reshape(2, 30)).shape).toEqual([2, 3]);
    });
  });
});
