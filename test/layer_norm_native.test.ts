// The LayerNorm kernels (native/layer_norm*.cc) against their JS twin (lib/backend/js/layer_norm.ts),
// bit for bit, on every ISA this CPU runs and at 1, 2 and 3 threads, at awkward sizes (rows of 1,
// odd row lengths that leave lane tails, one long row, many rows over several column-sum blocks, a
// huge mean offset), weight/bias present or absent, outputs poisoned with NaN first; the statistics
// against a two-pass reference in doubles; F.layerNorm's node against the composed graph (float32)
// and a float64 brute force, with non-contiguous input and a 2-D normalizedShape; gradcheck and
// gradgradcheck in float64; the binding's rejection of bad input.
// ref: XNNPACK's microkernel testers (edges), llamafile's NaN-filled outputs.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { gradcheck, gradgradcheck } from "../lib/autograd/gradcheck.js";
import { jsBackend as J } from "../lib/backend/js.js";
import { layerNormBlockRows } from "../lib/backend/js/layer_norm.js";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import type { Backend, View } from "../lib/backend/types.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";
import { contiguousView, lcgUniform } from "./helpers/lcg_data.js";
import { nativeUnderTest } from "./helpers/native.js";

const F = torch.nn.functional;
const { backend: N, addon, info: info0, isas: ISAS } = nativeUnderTest();
const CONFIGS = ISAS.flatMap((isa) => [1, 2, 3].map((threads) => ({ isa, threads })));

/** Deterministic pseudo-random floats in [-2, 2) plus `offset`. */
const data = (n: number, seed: number, offset = 0): Float32Array =>
  Float32Array.from(lcgUniform(n, seed), (u) => u * 4 - 2 + offset);

const view = contiguousView;

/** Runs `run` on the JS backend and on native in every config; every native result must equal JS's bits. */
function sameBits(what: string, run: (B: Backend) => Float32Array[]): void {
  const want = run(J);
  // NOTE: the last two outputs (the one-gradient backward calls) must equal the full call's dx, dw.
  const same = (a: Float32Array, b: Float32Array) => a.every((v, i) => Object.is(v, b[i]));
  if (want.length === 8 && !(same(want[6], want[3]) && same(want[7], want[4]))) throw new Error(`${what}: a partial backward differs`);
  for (const { isa, threads } of CONFIGS) {
    setIsa(isa);
    setNumThreads(threads);
    const got = run(N);
    got.forEach((g, k) => {
      for (let i = 0; i < g.length; i++) {
        if (!Object.is(g[i], want[k][i])) throw new Error(`${what}[native ${isa} x${threads}] output ${k} at ${i}: want ${want[k][i]} got ${g[i]}`);
      }
    });
  }
  setIsa(info0.isa);
  setNumThreads(info0.threads);
}

// [name, M rows, D row length, offset]
const SHAPES: [string, number, number, number][] = [
  ["one row of one", 1, 1, 0],
  ["rows of 1 (D = 1)", 9, 1, 0],
  ["D < 8 lanes", 5, 7, 0],
  ["odd D (lane tail)", 17, 9, 0],
  ["D = 33, 130 rows", 130, 33, 0],
  ["one long row", 1, 1001, 0],
  ["the Transformer's [2048, 256] (32 column-sum blocks)", 2048, 256, 0],
  ["many short rows (several blocks of 3276)", 7000, 5, 0],
  ["huge mean offset", 40, 77, 1e4],
];

describe("LayerNorm kernels: native = JS, bit for bit, every ISA and 1/2/3 threads", () => {
  it("the column-sum blocks depend on the shape only, at most 64 of them", () => {
    expect(layerNormBlockRows(2048, 256)).toBe(64);
    expect(layerNormBlockRows(7000, 5)).toBe(3276);
    expect(layerNormBlockRows(1, 1e6)).toBe(1);
    expect(Math.ceil(100000 / layerNormBlockRows(100000, 4096))).toBeLessThanOrEqual(64);
  });

  describe.each(SHAPES)("%s", (name, M, D, offset) => {
    const x = data(M * D, 1 + D, offset);
    const g = data(M * D, 2 + D);
    const w = data(D, 3), b = data(D, 4);
    it.each([
      ["weight and bias", true, true],
      ["weight only", true, false],
      ["bias only", false, true],
      ["neither", false, false],
    ])("%s", (_what, hasW, hasB) => {
      sameBits(`layerNorm ${name}`, (B) => {
        const y = new Float32Array(M * D).fill(NaN), mean = new Float32Array(M).fill(NaN), rstd = new Float32Array(M).fill(NaN);
        B.layerNormForward(view(x, [M, D]), hasW ? view(w, [D]) : null, hasB ? view(b, [D]) : null, 1e-5, view(y, [M, D]), view(mean, [M]), view(rstd, [M]));
        const dx = new Float32Array(M * D).fill(NaN), dw = new Float32Array(D).fill(NaN), db = new Float32Array(D).fill(NaN);
        B.layerNormBackward(view(x, [M, D]), view(g, [M, D]), view(mean, [M]), view(rstd, [M]), hasW ? view(w, [D]) : null, view(dx, [M, D]), view(dw, [D]), view(db, [D]));
        // Only some gradients wanted: they must come out as above (compared by the last two outputs).
        const dw2 = new Float32Array(D).fill(NaN);
        B.layerNormBackward(view(x, [M, D]), view(g, [M, D]), view(mean, [M]), view(rstd, [M]), hasW ? view(w, [D]) : null, null, view(dw2, [D]), null);
        const dx2 = new Float32Array(M * D).fill(NaN);
        B.layerNormBackward(view(x, [M, D]), view(g, [M, D]), view(mean, [M]), view(rstd, [M]), hasW ? view(w, [D]) : null, view(dx2, [M, D]), null, null);
        return [y, mean, rstd, dx, dw, db, dx2, dw2];
      });
    });

    it("mean and rstd match a two-pass reference in doubles; y is normalized", () => {
      const y = new Float32Array(M * D), mean = new Float32Array(M), rstd = new Float32Array(M);
      N.layerNormForward(view(x, [M, D]), null, null, 1e-5, view(y, [M, D]), view(mean, [M]), view(rstd, [M]));
      for (let r = 0; r < M; r++) {
        const row = Array.from(x.subarray(r * D, (r + 1) * D));
        const m = row.reduce((a, v) => a + v, 0) / D;
        const v = row.reduce((a, u) => a + (u - m) ** 2, 0) / D;
        expect(Math.abs(mean[r] - m)).toBeLessThanOrEqual(2 ** -23 * Math.abs(m));
        expect(Math.abs(rstd[r] - 1 / Math.sqrt(v + 1e-5))).toBeLessThanOrEqual(2 ** -23 / Math.sqrt(v + 1e-5));
        if (D > 1) {
          const yr = Array.from(y.subarray(r * D, (r + 1) * D));
          const ym = yr.reduce((a, u) => a + u, 0) / D;
          // NOTE: with offset 1e4 the float32 input itself is rounded to 2^-10: y is still centred.
          expect(Math.abs(ym)).toBeLessThanOrEqual(offset > 0 ? 2e-3 : 1e-5);
        }
      }
    });
  });

  it("the binding rejects bad shapes, dtypes and aliasing outputs, as the JS twin does", () => {
    const x = new Float32Array(12), y = new Float32Array(12), m = new Float32Array(3), r = new Float32Array(3);
    for (const B of [N, J]) {
      expect(() => B.layerNormForward(view(x, [3, 4]), view(new Float32Array(3), [3]), null, 1e-5, view(y, [3, 4]), view(m, [3]), view(r, [3]))).toThrow(RangeError);
      expect(() => B.layerNormForward(view(x, [3, 4]), null, null, 1e-5, view(y, [3, 4]), view(m, [2]), view(r, [3]))).toThrow(RangeError);
      expect(() => B.layerNormForward(view(x, [12]), null, null, 1e-5, view(y, [12]), view(m, [3]), view(r, [3]))).toThrow(RangeError);
      expect(() => B.layerNormBackward(view(x, [3, 4]), view(y, [4, 3]), view(m, [3]), view(r, [3]), null, view(new Float32Array(12), [3, 4]), null, null)).toThrow(RangeError);
      // a non-contiguous x
      expect(() => B.layerNormForward({ typedArray: x, offset: 0, shape: [3, 4], strides: [1, 3] }, null, null, 1e-5, view(y, [3, 4]), view(m, [3]), view(r, [3]))).toThrow(RangeError);
    }
    // native only: outputs over inputs, a view past its array, the wrong array kind, a missing eps.
    expect(() => N.layerNormForward(view(x, [3, 4]), null, null, 1e-5, view(x, [3, 4]), view(m, [3]), view(r, [3]))).toThrow(/overlap/);
    expect(() => N.layerNormForward(view(x, [3, 4]), null, null, 1e-5, view(new Float32Array(11), [3, 4]), view(m, [3]), view(r, [3]))).toThrow(RangeError);
    expect(() => addon.layerNormForward(new Float64Array([2, 0, 3, 4, 4, 1, 2, 0, 3, 4, 4, 1, 1, 0, 3, 1, 1, 0, 3, 1]), new Float64Array(12) as never, null, null, y, m, r, 1e-5)).toThrow(TypeError);
    expect(() => (addon.layerNormForward as (...a: unknown[]) => void)(new Float64Array(0))).toThrow(TypeError);
  });
});

describe.each(backends())("F.layerNorm node [%s]", (name) => {
  useBackend(name);

  it("y and gradients match the composed graph (float32) and a float64 brute force; non-contiguous input, 2-D normalizedShape", () => {
    torch.manualSeed(7);
    // [5, 6, 3, 4] permuted: non-contiguous, normalized over the last two dims [3, 4].
    const base = torch.randn(5, 3, 6, 4).mul(2).add(3);
    const x = base.permute(0, 2, 1, 3);
    expect(x.isContiguous()).toBe(false);
    const w = torch.randn(3, 4), b = torch.randn(3, 4);
    const [xa, wa, ba] = [x, w, b].map((t) => t.detach().requiresGrad_(true));
    const y = F.layerNorm(xa, [3, 4], wa, ba);
    expect(y.grad_fn?.name).toBe("NativeLayerNormBackward0");
    const g = torch.randn(y.shape);
    y.backward(g);
    // The composition: the same graph under createGraph (the node replays it).
    const [xc, wc, bc] = [x, w, b].map((t) => t.detach().requiresGrad_(true));
    const [cx, cw, cb] = torch.autograd.grad([F.layerNorm(xc, [3, 4], wc, bc)], [xc, wc, bc], { gradOutputs: [g], createGraph: true });
    close(vals(xa.grad!), vals(cx!), 1e-5);
    close(vals(wa.grad!), vals(cw!), 1e-5);
    close(vals(ba.grad!), vals(cb!), 1e-5);
    // Brute force in doubles: y and the analytic gradients row by row.
    const X = vals(x), W = vals(w), Bv = vals(b), G = vals(g), D = 12, M = X.length / D;
    const wantY: number[] = [], wantDx: number[] = [], wantDw = new Array(D).fill(0), wantDb = new Array(D).fill(0);
    for (let r = 0; r < M; r++) {
      const row = X.slice(r * D, (r + 1) * D), gr = G.slice(r * D, (r + 1) * D);
      const m = row.reduce((a, v) => a + v, 0) / D;
      const rs = 1 / Math.sqrt(row.reduce((a, v) => a + (v - m) ** 2, 0) / D + 1e-5);
      const xh = row.map((v) => (v - m) * rs);
      const gw = gr.map((v, j) => v * W[j]);
      const k1 = gw.reduce((a, v) => a + v, 0) / D, k2 = gw.reduce((a, v, j) => a + v * xh[j], 0) / D;
      for (let j = 0; j < D; j++) {
        wantY.push(xh[j] * W[j] + Bv[j]);
        wantDx.push((gw[j] - k1 - xh[j] * k2) * rs);
        wantDw[j] += gr[j] * xh[j];
        wantDb[j] += gr[j];
      }
    }
    close(vals(y), wantY, 1e-5);
    close(vals(xa.grad!), wantDx, 1e-4);
    close(vals(wa.grad!), wantDw, 1e-4);
    close(vals(ba.grad!), wantDb, 1e-5);
  });

  // NOTE: mean is kept in float32 (as PyTorch's): y's error is its rounding, about 2^-24·|mean|·rstd,
  // here ~6e-4; what must not happen is the variance (or dx) losing all digits to cancellation.
  it("a huge mean offset keeps y and dx accurate (centred formulas)", () => {
    torch.manualSeed(8);
    const x = torch.randn(6, 64).add(1e4).requiresGrad_(true);
    const y = F.layerNorm(x, 64);
    const g = torch.randn(6, 64);
    y.backward(g);
    const xd = x.detach().double().requiresGrad_(true);
    const yd = F.layerNorm(xd, 64);
    yd.backward(g.double());
    close(vals(y), vals(yd), 2e-3);
    close(vals(x.grad!), vals(xd.grad!), 2e-3);
  });

  it("only the wanted gradients; no weight or bias; float64 runs the node too", () => {
    const x = torch.randn(4, 5);
    const w = torch.randn(5).requiresGrad_(true);
    const y = F.layerNorm(x, [5], w, null);
    y.sum().backward();
    expect(x.grad).toBeNull();
    expect(w.grad!.shape).toEqual([5]);
    const x64 = torch.randn(3, 5).double().requiresGrad_(true);
    const y64 = F.layerNorm(x64, 5);
    expect(y64.dtype).toBe("float64");
    expect(y64.grad_fn?.name).toBe("NativeLayerNormBackward0");
    y64.sum().backward();
    // d(sum y)/dx = 0 for a layer norm without weight (y sums to 0 per row).
    for (const v of vals(x64.grad!)) expect(Math.abs(v)).toBeLessThan(1e-12);
  });

  it("gradcheck and gradgradcheck in float64 (createGraph replays the composition)", () => {
    torch.manualSeed(9);
    const x = torch.randn(3, 2, 5).double().requiresGrad_(true);
    const w = torch.randn(2, 5).double().requiresGrad_(true), b = torch.randn(2, 5).double().requiresGrad_(true);
    const f = (a: Tensor, ww: Tensor, bb: Tensor) => F.layerNorm(a, [2, 5], ww, bb, 1e-3);
    expect(gradcheck(f, [x, w, b])).toBe(true);
    expect(gradgradcheck(f, [x, w, b])).toBe(true);
    expect(gradcheck((a: Tensor) => F.layerNorm(a, 5), [x])).toBe(true);
  });
});
