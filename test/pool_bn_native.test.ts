// The max-pool, avg-pool and batch-norm kernels (native/pool2d*.cc, native/batch_norm.cc) against
// their JS twins (lib/backend/js/max_pool.ts, avg_pool.ts, batch_norm.ts), bit for bit, on every ISA this CPU runs and
// at 1, 2 and 3 threads, at awkward sizes (odd H/W, kernel > input with padding, stride > kernel,
// dilation, ceil mode, C = 1, N = 1, constant channels, a large mean offset), outputs poisoned with
// NaN first; the statistics against a two-pass reference in doubles; the nodes' gradients against
// the composition (float64) and gradcheck; the binding's rejection of bad input.
// ref: XNNPACK's microkernel testers (edges), llamafile's NaN-filled outputs.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { gradcheck, gradgradcheck } from "../lib/autograd/gradcheck.js";
import { jsBackend as J } from "../lib/backend/js.js";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import type { AvgPoolWindow, Backend, PoolWindow, View } from "../lib/backend/types.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";
import { contiguousView, lcgUniform } from "./helpers/lcg_data.js";
import { nativeUnderTest } from "./helpers/native.js";

const F = torch.nn.functional;
const { backend: N, info: info0, isas: ISAS } = nativeUnderTest();
const THREADS0 = info0.threads;
const CONFIGS = ISAS.flatMap((isa) => [1, 2, 3].map((threads) => ({ isa, threads })));

/** Deterministic pseudo-random floats in [-2, 2), with ties (values on a coarse grid). */
const data = (n: number, seed: number, grid = 0): Float32Array =>
  Float32Array.from(lcgUniform(n, seed), (u) => (grid > 0 ? (Math.floor(u * grid) / grid) * 4 - 2 : u * 4 - 2));

const view = contiguousView;

/** Runs `run` on the JS backend and on native in every config; every native result must equal JS's bits. */
function sameBits(what: string, run: (B: Backend) => (Float32Array | Float64Array)[]): void {
  const want = run(J);
  for (const { isa, threads } of CONFIGS) {
    setIsa(isa);
    setNumThreads(threads);
    const got = run(N);
    got.forEach((g, k) => {
      for (let i = 0; i < g.length; i++) {
        const w = want[k][i];
        if (!Object.is(g[i], w) && !(Number.isNaN(g[i]) && Number.isNaN(w))) {
          throw new Error(`${what}[native ${isa} x${threads}] output ${k} at ${i}: want ${w} got ${g[i]}`);
        }
      }
    });
  }
  setIsa(info0.isa);
  setNumThreads(THREADS0);
}

function outLen(size: number, k: number, p: number, s: number, d: number, ceil: boolean): number {
  let o = Math.floor((size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= size + p) o--;
  return o;
}

// [name, P, H, W, window, ceil]
const POOLS: [string, number, number, number, PoolWindow, boolean][] = [
  ["2x2 s2 (the CNN's), even", 64 * 4, 28, 28, { kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1 }, false],
  ["2x2 s2, odd, ceil mode", 33, 9, 7, { kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1 }, true],
  ["2x2 s2, odd, floor", 5, 9, 7, { kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1 }, false],
  ["k3 s1 p1 (overlapping windows)", 40, 13, 11, { kH: 3, kW: 3, sH: 1, sW: 1, pH: 1, pW: 1, dH: 1, dW: 1 }, false],
  ["kernel > input with padding", 7, 2, 3, { kH: 5, kW: 4, sH: 1, sW: 2, pH: 2, pW: 2, dH: 1, dW: 1 }, false],
  ["stride > kernel", 9, 11, 10, { kH: 2, kW: 3, sH: 4, sW: 5, pH: 1, pW: 0, dH: 1, dW: 1 }, false],
  ["dilation", 6, 12, 13, { kH: 3, kW: 2, sH: 2, sW: 1, pH: 1, pW: 1, dH: 2, dW: 3 }, false],
  ["dilation, ceil", 6, 12, 13, { kH: 3, kW: 3, sH: 3, sW: 2, pH: 1, pW: 1, dH: 2, dW: 2 }, true],
  ["1-D (H = 1), C = 1", 1, 1, 31, { kH: 1, kW: 3, sH: 1, sW: 2, pH: 0, pW: 1, dH: 1, dW: 1 }, true],
];

describe("maxPool2d kernels: native = JS, bit for bit, every ISA and 1/2/3 threads", () => {
  it.each(POOLS)("%s", (name, P, H, W, w, ceil) => {
    const oH = outLen(H, w.kH, w.pH, w.sH, w.dH, ceil), oW = outLen(W, w.kW, w.pW, w.sW, w.dW, ceil);
    for (const [variant, x] of [["random", data(P * H * W, 1)], ["ties", data(P * H * W, 2, 3)]] as const) {
      // NaNs and -Infs in a few places: NaN must win (the last one), -Inf must keep the first tap.
      const xs = Float32Array.from(x);
      if (variant === "ties") for (let i = 0; i < xs.length; i += 17) xs[i] = i % 34 === 0 ? NaN : -Infinity;
      sameBits(`maxPool2d ${name} ${variant}`, (B) => {
        const out = new Float32Array(P * oH * oW).fill(NaN), idx = new Float64Array(P * oH * oW).fill(NaN);
        B.maxPool2d(view(xs, [P, H, W]), w, view(out, [P, oH, oW]), view(idx, [P, oH, oW]));
        const g = data(P * oH * oW, 3);
        const gx = new Float32Array(P * H * W).fill(NaN);
        B.maxPool2dBackward(view(g, [P, oH, oW]), view(idx, [P, oH, oW]), view(gx, [P, H, W]));
        return [out, idx, gx];
      });
    }
  });

  it("the forward follows PyTorch's rule: first max in scan order, a NaN wins (the last one)", () => {
    const x = Float32Array.from([1, 3, 3, NaN, 2, NaN, 0, 3, -Infinity, -Infinity, -Infinity, -Infinity]);
    for (const B of [J, N]) {
      const out = new Float32Array(3), idx = new Float64Array(3);
      B.maxPool2d(view(x, [3, 2, 2]), { kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1 }, view(out, [3, 1, 1]), view(idx, [3, 1, 1]));
      expect([...idx]).toEqual([3, 1, 0]); // [1,3,3,NaN]: the NaN; [2,NaN,0,3]: a NaN beats the later 3
      expect(Number.isNaN(out[0]) && Number.isNaN(out[1])).toBe(true);
      expect(out[2]).toBe(-Infinity);
    }
  });

  it("the backward rejects an index outside the plane (native and JS)", () => {
    const g = new Float32Array(2), idx = Float64Array.from([0, 4]), gx = new Float32Array(8);
    for (const B of [J, N]) expect(() => B.maxPool2dBackward(view(g, [2, 1, 1]), view(idx, [2, 1, 1]), view(gx, [2, 2, 2]))).toThrow(RangeError);
  });

  it("the binding rejects windows that don't fit and non-contiguous planes", () => {
    const x = new Float32Array(16), out = new Float32Array(4), idx = new Float64Array(4);
    const big: PoolWindow = { kH: 2, kW: 2, sH: 8, sW: 8, pH: 0, pW: 0, dH: 1, dW: 1 };
    expect(() => N.maxPool2d(view(x, [1, 4, 4]), big, view(out, [1, 2, 2]), view(idx, [1, 2, 2]))).toThrow(RangeError);
    const strided: View = { typedArray: x, offset: 0, shape: [1, 2, 2], strides: [16, 8, 2] };
    expect(() => N.maxPool2d(strided, { ...big, sH: 2, sW: 2 }, view(out, [1, 1, 1]), view(idx, [1, 1, 1]))).toThrow(/contiguous/);
  });
});

// [name, P, H, W, window, ceil]
const AVGS: [string, number, number, number, AvgPoolWindow, boolean][] = [
  ["2x2 s2, even", 64 * 4, 28, 28, { kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, countIncludePad: true, divisorOverride: 0 }, false],
  ["k3 s2 p1, odd, ceil, include pad", 33, 9, 7, { kH: 3, kW: 3, sH: 2, sW: 2, pH: 1, pW: 1, countIncludePad: true, divisorOverride: 0 }, true],
  ["k3 s2 p1, odd, ceil, exclude pad", 33, 9, 7, { kH: 3, kW: 3, sH: 2, sW: 2, pH: 1, pW: 1, countIncludePad: false, divisorOverride: 0 }, true],
  ["kernel > input with padding, divisor override", 7, 2, 3, { kH: 5, kW: 4, sH: 1, sW: 2, pH: 2, pW: 2, countIncludePad: true, divisorOverride: -3 }, false],
  ["stride > kernel", 9, 11, 10, { kH: 2, kW: 3, sH: 4, sW: 5, pH: 1, pW: 0, countIncludePad: false, divisorOverride: 0 }, true],
  ["1-D (H = 1), C = 1", 1, 1, 31, { kH: 1, kW: 3, sH: 1, sW: 2, pH: 0, pW: 1, countIncludePad: true, divisorOverride: 0 }, true],
];

describe("avgPool2d kernels: native = JS, bit for bit, every ISA and 1/2/3 threads", () => {
  it.each(AVGS)("%s", (name, P, H, W, w, ceil) => {
    const oH = outLen(H, w.kH, w.pH, w.sH, 1, ceil), oW = outLen(W, w.kW, w.pW, w.sW, 1, ceil);
    const x = data(P * H * W, 8), g = data(P * oH * oW, 9);
    sameBits(`avgPool2d ${name}`, (B) => {
      const out = new Float32Array(P * oH * oW).fill(NaN);
      B.avgPool2d(view(x, [P, H, W]), w, view(out, [P, oH, oW]));
      const gx = new Float32Array(P * H * W).fill(NaN);
      B.avgPool2dBackward(view(g, [P, oH, oW]), w, view(gx, [P, H, W]));
      return [out, gx];
    });
  });

  it.each(backends())("F.avgPool2d [%s]: the node's gradient equals the composition's (createGraph replay)", (name) => {
    const prev = torch.backendInfo().name;
    torch.setBackend(name);
    try {
      torch.manualSeed(6);
      const x = torch.randn(2, 3, 9, 8).requiresGrad_(true);
      const f = (t: Tensor) => F.avgPool2d(t, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false });
      const y = f(x);
      expect(y.grad_fn?.name).toBe("AvgPool2DBackward0");
      const g = torch.randn(y.shape);
      const [direct] = torch.autograd.grad([y], [x], { gradOutputs: [g] });
      const [replayed] = torch.autograd.grad([f(x)], [x], { gradOutputs: [g], createGraph: true });
      close(vals(direct!), vals(replayed!), 1e-6);
    } finally {
      torch.setBackend(prev);
    }
  });
});

// [name, N, C, L, offset, constant channel]
const BNS: [string, number, number, number, number, boolean][] = [
  ["the CNN's first layer", 64, 32, 784, 0, false],
  ["odd L, C = 1", 5, 1, 13, 0, false],
  ["N = 1", 1, 6, 77, 0, false],
  ["L = 1 (BatchNorm1d on [N, C])", 37, 5, 1, 0, false],
  ["L < 8 lanes", 3, 4, 5, 0, false],
  ["large mean offset", 16, 3, 49, 1e4, false],
  ["constant channels", 4, 3, 9, 3, true],
];

function bnInput(n: number, C: number, L: number, offset: number, constant: boolean, seed: number): Float32Array {
  const x = data(n * C * L, seed).map((v) => v + offset);
  if (constant) x.fill(Math.fround(offset + 0.1));
  return x;
}

describe("batch-norm kernels: native = JS, bit for bit, every ISA and 1/2/3 threads", () => {
  it.each(BNS)("%s", (name, n, C, L, offset, constant) => {
    const x = bnInput(n, C, L, offset, constant, 5);
    const g = data(n * C * L, 6);
    const m32 = Float32Array.from({ length: C }, (_, c) => offset + c * 0.01);
    const s32 = Float32Array.from({ length: C }, (_, c) => 0.5 + c);
    const t32 = Float32Array.from({ length: C }, (_, c) => c - 1);
    const k32 = Float32Array.from({ length: C }, (_, c) => 0.25 * c);
    sameBits(`batchNorm ${name}`, (B) => {
      const mean = new Float64Array(C).fill(NaN), variance = new Float64Array(C).fill(NaN);
      B.batchNormStats(view(x, [n, C, L]), mean, variance);
      const y = new Float32Array(x.length).fill(NaN);
      B.batchNormApply(view(x, [n, C, L]), m32, s32, t32, view(y, [n, C, L]));
      const sumG = new Float64Array(C).fill(NaN), dot = new Float64Array(C).fill(NaN);
      B.batchNormBackwardReduce(view(x, [n, C, L]), view(g, [n, C, L]), mean, sumG, dot);
      const dx = new Float32Array(x.length).fill(NaN);
      B.batchNormBackwardInput(view(x, [n, C, L]), view(g, [n, C, L]), m32, t32, k32, s32, view(dx, [n, C, L]));
      return [mean, variance, y, sumG, dot, dx];
    });
  });

  it.each(BNS)("%s: statistics match a two-pass reference in doubles", (_name, n, C, L, offset, constant) => {
    const x = bnInput(n, C, L, offset, constant, 7);
    const mean = new Float64Array(C), variance = new Float64Array(C);
    N.batchNormStats(view(x, [n, C, L]), mean, variance);
    for (let c = 0; c < C; c++) {
      const xs: number[] = [];
      for (let b = 0; b < n; b++) for (let j = 0; j < L; j++) xs.push(x[(b * C + c) * L + j]);
      const m = xs.reduce((a, v) => a + v, 0) / xs.length;
      const v = xs.reduce((a, u) => a + (u - m) ** 2, 0) / xs.length;
      expect(Math.abs(mean[c] - m)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(m)));
      expect(Math.abs(variance[c] - v)).toBeLessThanOrEqual(1e-10 * (1 + v));
      if (constant) expect(variance[c]).toBe(0);
    }
  });

  it("the binding rejects per-channel vectors of the wrong length", () => {
    const x = new Float32Array(12);
    expect(() => N.batchNormStats(view(x, [2, 3, 2]), new Float64Array(2), new Float64Array(3))).toThrow(RangeError);
    expect(() => J.batchNormStats(view(x, [2, 3, 2]), new Float64Array(2), new Float64Array(3))).toThrow(RangeError);
  });
});

describe.each(backends())("F.maxPool2d / F.batchNorm nodes [%s]", (name) => {
  useBackend(name);

  it("maxPool2d: gradient, gradcheck and gradgradcheck (createGraph replays the gather)", () => {
    const n = 2 * 3 * 7 * 9;
    const x = torch.tensor(Array.from({ length: n }, (_, i) => ((i * 7919) % n) / 8 - 20)).reshape(2, 3, 7, 9).requiresGrad_(true);
    const [y, idx] = F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true }) as [Tensor, Tensor];
    expect(y.grad_fn?.name).toBe("MaxPool2DWithIndicesBackward0");
    const g = torch.randn(y.shape);
    y.backward(g);
    const want = torch.zeros(2, 3, 63).scatterAdd(2, idx.reshape(2, 3, -1), g.reshape(2, 3, -1)).reshape(2, 3, 7, 9);
    expect(vals(x.grad!)).toEqual(vals(want));
    const f = (t: Tensor) => F.maxPool2d(t, [2, 3], { stride: [1, 2], padding: 1, dilation: [2, 1], ceilMode: true }) as Tensor;
    const x2 = x.detach().requiresGrad_(true);
    expect(gradcheck(f, [x2])).toBe(true);
    expect(gradgradcheck(f, [x2])).toBe(true);
  });

  it("batchNorm train: y, running stats and gradients match the float64 composition", () => {
    torch.manualSeed(3);
    const x = torch.randn(6, 4, 5, 3).mul(3).add(100);
    const w = torch.randn(4), b = torch.randn(4);
    const rm = torch.zeros(4), rv = torch.ones(4), rm64 = torch.zeros(4).double(), rv64 = torch.ones(4).double();
    const [xa, wa, ba] = [x, w, b].map((t) => t.clone().requiresGrad_(true));
    const [xd, wd, bd] = [x, w, b].map((t) => t.double().requiresGrad_(true));
    const y = F.batchNorm(xa, rm, rv, wa, ba, true, 0.1, 1e-5);
    const yd = F.batchNorm(xd, rm64, rv64, wd, bd, true, 0.1, 1e-5);
    expect(y.grad_fn?.name).toBe("NativeBatchNormBackward0");
    close(vals(y), vals(yd), 1e-4);
    close(vals(rm), vals(rm64), 1e-6);
    close(vals(rv), vals(rv64), 1e-6);
    const g = torch.randn(y.shape);
    y.backward(g);
    yd.backward(g.double());
    close(vals(xa.grad!), vals(xd.grad!), 1e-3);
    close(vals(wa.grad!), vals(wd.grad!), 1e-4);
    close(vals(ba.grad!), vals(bd.grad!), 1e-5);
  });

  it("batchNorm eval: y and gradients match the float64 composition; gradcheck in float32", () => {
    torch.manualSeed(4);
    const x = torch.randn(3, 5, 7);
    const w = torch.randn(5), b = torch.randn(5), rm = torch.randn(5), rv = torch.rand(5).add(0.5);
    const [xa, wa, ba] = [x, w, b].map((t) => t.clone().requiresGrad_(true));
    const [xd, wd, bd] = [x, w, b].map((t) => t.double().requiresGrad_(true));
    const y = F.batchNorm(xa, rm, rv, wa, ba, false);
    const yd = F.batchNorm(xd, rm.double(), rv.double(), wd, bd, false);
    close(vals(y), vals(yd), 1e-5);
    const g = torch.randn(y.shape);
    y.backward(g);
    yd.backward(g.double());
    close(vals(xa.grad!), vals(xd.grad!), 1e-5);
    close(vals(wa.grad!), vals(wd.grad!), 1e-4);
    close(vals(ba.grad!), vals(bd.grad!), 1e-5);
    const [x1, w1, b1] = [x, w, b].map((t) => t.clone().requiresGrad_(true));
    expect(gradcheck((a, ww, bb) => F.batchNorm(a, rm, rv, ww, bb, false), [x1, w1, b1], { eps: 1e-2, rtol: 1e-2, atol: 1e-4 })).toBe(true);
  });

  it("batchNorm train: gradgradcheck (createGraph replays the composition), no weight or bias", () => {
    torch.manualSeed(5);
    const x = torch.randn(4, 3, 3).requiresGrad_(true);
    const w = torch.randn(3).requiresGrad_(true);
    const tol = { eps: 1e-2, rtol: 5e-2, atol: 1e-3 };
    expect(gradgradcheck((a, ww) => F.batchNorm(a, null, null, ww, null, true), [x, w], null, tol)).toBe(true);
    const y = F.batchNorm(x, null, null, null, null, true);
    y.mul(torch.randn(y.shape)).sum().backward();
    expect(x.grad!.shape).toEqual([4, 3, 3]);
  });
});
