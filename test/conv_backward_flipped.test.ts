// conv2d's stride-1 input gradient as a forward convolution of gy with the flipped weight (issue #14,
// lib/ops/conv_flipped.ts) against the col2im path it replaces: the dispatch and the window it
// builds, the flipped weight, then on both backends, each path forced in turn, dx against float64
// direct loops (the paths sum in different orders, so they agree within rounding only), each path
// bit for bit the same at 1/2/3/4 threads, the flipped path bit for bit F.conv2d of gy with the
// flipped weight (so it is really taken), conv_transpose2d at stride 1, gradcheck in float64, and
// the PyTorch conformance cases of conv.json with the flipped path forced wherever it is possible.
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { makeWindow } from "../lib/ops/columns.js";
import { type InputGradPath, flippedWeight, flippedWindow, forceInputGradPath, usesFlippedInputGrad } from "../lib/ops/conv_flipped.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";
import { VENDORED_CASES } from "./conformance/case_dir.js";
import { availableBackends, formatOutcome, loadCaseFiles, runConformance } from "./conformance/runner.js";

const F = torch.nn.functional;
const PATHS: InputGradPath[] = ["flipped", "columns"];

interface Case {
  name: string;
  N: number; C: number; H: number; W: number; O: number; G?: number;
  k: [number, number];
  /** Symmetric padding, or "same" (an even kernel puts the extra row/column at the bottom/right). */
  pad: [number, number] | "same";
  dil?: [number, number];
  dtype?: "float32" | "float64";
}

const CASES: Case[] = [
  { name: "odd sizes, padding 1 (im2col forward)", N: 2, C: 3, H: 9, W: 7, O: 5, k: [3, 3], pad: [1, 1] },
  { name: "padding 0", N: 2, C: 2, H: 6, W: 8, O: 4, k: [3, 3], pad: [0, 0] },
  { name: "'same', even kernel (uneven padding)", N: 2, C: 3, H: 5, W: 7, O: 4, k: [4, 2], pad: "same" },
  { name: "'same', dilation 2", N: 1, C: 2, H: 7, W: 9, O: 3, k: [3, 3], pad: "same", dil: [2, 2] },
  { name: "dilation 2, padding 1", N: 2, C: 3, H: 8, W: 9, O: 4, k: [3, 3], pad: [1, 1], dil: [2, 2] },
  { name: "2 groups", N: 2, C: 4, H: 6, W: 7, O: 6, G: 2, k: [3, 3], pad: [1, 1] },
  { name: "depthwise", N: 2, C: 4, H: 5, W: 6, O: 4, G: 4, k: [3, 3], pad: [1, 1] },
  { name: "depthwise, multiplier 2", N: 1, C: 3, H: 6, W: 5, O: 6, G: 3, k: [3, 3], pad: [1, 1] },
  { name: "kernel larger than the image, padding 2", N: 2, C: 2, H: 2, W: 3, O: 3, k: [5, 5], pad: [2, 2] },
  { name: "batch 1, wide image (padded-row forward)", N: 1, C: 3, H: 4, W: 20, O: 5, k: [3, 3], pad: [1, 1] },
  { name: "32 input channels (implicit-GEMM forward)", N: 1, C: 32, H: 4, W: 29, O: 16, k: [3, 3], pad: [1, 1] },
  { name: "32 channels per group, 2 groups, 1x3 kernel", N: 2, C: 64, H: 3, W: 13, O: 8, G: 2, k: [1, 3], pad: [0, 1] },
  { name: "float64, groups, dilation", N: 2, C: 4, H: 6, W: 9, O: 6, G: 2, k: [2, 3], pad: [1, 2], dil: [2, 1], dtype: "float64" },
];

/** Deterministic values in [-0.5, 0.5). */
function data(n: number, seed: number): number[] {
  const a: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    a.push(s / 2147483648 - 0.5);
  }
  return a;
}

function geometry(c: Case) {
  const G = c.G ?? 1, [kh, kw] = c.k, [dh, dw] = c.dil ?? [1, 1];
  const [top, left] = c.pad === "same" ? [Math.floor((dh * (kh - 1)) / 2), Math.floor((dw * (kw - 1)) / 2)] : c.pad;
  const [bottom, right] = c.pad === "same" ? [dh * (kh - 1) - top, dw * (kw - 1) - left] : c.pad;
  const OH = c.H + top + bottom - dh * (kh - 1), OW = c.W + left + right - dw * (kw - 1);
  return { G, kh, kw, dh, dw, top, left, OH, OW, Cg: c.C / G, Og: c.O / G };
}

/** dx[n, c, y, x] = sum over the outputs (o, oy, ox) reading it through tap (i, j), in doubles;
 *  gy is [N, O, OH, OW] (by default the conv's own output size). */
function directInputGrad(c: Case, gy: number[], w: number[], OH = geometry(c).OH, OW = geometry(c).OW): number[] {
  const { G, kh, kw, dh, dw, top, left, Cg, Og } = geometry(c);
  const dx = new Array<number>(c.N * c.C * c.H * c.W).fill(0);
  for (let n = 0; n < c.N; n++)
    for (let o = 0; o < c.O; o++) {
      const g = Math.floor(o / Og);
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const v = gy[((n * c.O + o) * OH + oy) * OW + ox];
          for (let cl = 0; cl < Cg; cl++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const y = oy - top + i * dh, x = ox - left + j * dw;
                if (y < 0 || y >= c.H || x < 0 || x >= c.W) continue;
                dx[((n * c.C + g * Cg + cl) * c.H + y) * c.W + x] += v * w[((o * Cg + cl) * kh + i) * kw + j];
              }
        }
    }
  return dx;
}

function operands(c: Case) {
  const { OH, OW, Cg } = geometry(c);
  const dtype = c.dtype ?? "float32";
  const xd = data(c.N * c.C * c.H * c.W, 5), wd = data(c.O * Cg * c.k[0] * c.k[1], 7), gd = data(c.N * c.O * OH * OW, 9);
  const x = torch.tensor(xd, { dtype }).reshape(c.N, c.C, c.H, c.W);
  const w = torch.tensor(wd, { dtype }).reshape(c.O, Cg, c.k[0], c.k[1]);
  const gy = torch.tensor(gd, { dtype }).reshape(c.N, c.O, OH, OW);
  return { x, w, gy, wd: vals(w), gd: vals(gy) };
}

const conv = (c: Case, x: Tensor, w: Tensor) => F.conv2d(x, w, null, { padding: c.pad, dilation: c.dil ?? 1, groups: c.G ?? 1 });

/** dx of the case by autograd (no graph: the backend's backward), on the path forced. */
function inputGrad(c: Case, path: InputGradPath): Tensor {
  const { x, w, gy } = operands(c);
  x.requiresGrad = true;
  w.requiresGrad = true;
  forceInputGradPath(path);
  // Both gradients: dx alone and dx with dW take different branches of the backward.
  const [dx, dw] = torch.autograd.grad(conv(c, x, w), [x, w], { gradOutputs: gy }) as Tensor[];
  expect(dw.shape).toEqual(w.shape);
  const [dxOnly] = torch.autograd.grad(conv(c, x, w.detach()), [x], { gradOutputs: gy }) as Tensor[];
  expect(vals(dxOnly)).toEqual(vals(dx));
  return dx;
}

/** Bit patterns of a tensor's values (float32 ones rounded back to float32 first). */
const bits = (t: Tensor): string[] => vals(t).map((v) => (t.dtype === "float32" ? Math.fround(v) : v).toString());

afterEach(() => forceInputGradPath(null));

describe("the flipped input gradient's window, weight and dispatch", () => {
  const w3 = (pad: number, out: number, dil = 1, stride = 1) => makeWindow([3, 3], [dil, dil], [pad, pad], [stride, stride], [out, out]);

  it("the window: stride 1, padding d*(k-1) - padding, the image's size out", () => {
    expect(flippedWindow(14, 14, w3(1, 14))).toEqual(makeWindow([3, 3], [1, 1], [1, 1], [1, 1], [14, 14]));
    expect(flippedWindow(10, 10, w3(0, 8))).toEqual(makeWindow([3, 3], [1, 1], [2, 2], [1, 1], [10, 10]));
    expect(flippedWindow(10, 10, w3(1, 8, 2))?.padTop).toBe(3);
  });

  it("no window where it would need a negative padding, or at stride 2", () => {
    expect(flippedWindow(10, 10, w3(3, 14))).toBeNull(); // padding 3 > k-1
    expect(flippedWindow(10, 10, w3(1, 5, 1, 2))).toBeNull();
    // Bottom/right: outputs 1..OH past an image taller than they reach (conv_transpose2d's output_padding).
    expect(flippedWindow(11, 10, w3(1, 10))).not.toBeNull();
  });

  it("the dispatch: a pure function of the shape, and forcing only chooses among possible shapes", () => {
    const wide = w3(1, 56), narrow = w3(1, 7);
    expect(usesFlippedInputGrad([8, 64, 56, 56], [64, 64, 3, 3], wide)).toBe(true);
    expect(usesFlippedInputGrad([8, 128, 28, 28], [128, 128, 3, 3], w3(1, 28))).toBe(true);
    // 256 outputs per group: not taken; the same in 2 groups of 128: taken.
    expect(usesFlippedInputGrad([8, 256, 14, 14], [256, 256, 3, 3], w3(1, 14))).toBe(false);
    expect(usesFlippedInputGrad([8, 256, 14, 14], [256, 128, 3, 3], w3(1, 14))).toBe(true);
    // Too few pixels to pay for the flip; too few input channels per group (the CNN's conv1, depthwise).
    expect(usesFlippedInputGrad([4, 64, 7, 7], [64, 64, 3, 3], narrow)).toBe(false);
    expect(usesFlippedInputGrad([8, 512, 7, 7], [512, 512, 3, 3], narrow)).toBe(false);
    expect(usesFlippedInputGrad([64, 1, 28, 28], [32, 1, 3, 3], w3(1, 28))).toBe(false);
    expect(usesFlippedInputGrad([64, 32, 14, 14], [64, 32, 3, 3], w3(1, 14))).toBe(false);
    expect(usesFlippedInputGrad([8, 64, 56, 56], [64, 1, 3, 3], wide)).toBe(false);
    expect(usesFlippedInputGrad([8, 64, 56, 56], [64, 64, 1, 1], makeWindow([1, 1], [1, 1], [0, 0], [1, 1], [56, 56]))).toBe(false);
    forceInputGradPath("flipped");
    expect(usesFlippedInputGrad([8, 512, 7, 7], [512, 512, 3, 3], narrow)).toBe(true);
    expect(usesFlippedInputGrad([8, 64, 10, 10], [64, 64, 3, 3], w3(3, 14))).toBe(false);
    forceInputGradPath("columns");
    expect(usesFlippedInputGrad([8, 64, 56, 56], [64, 64, 3, 3], wide)).toBe(false);
  });

  it("the flipped weight: w'[g*Cg + c, o, i, j] = w[g*Og + o, c, kh-1-i, kw-1-j]", () => {
    const [G, Og, Cg, kh, kw] = [2, 3, 2, 2, 3];
    const w = torch.tensor(data(G * Og * Cg * kh * kw, 3)).reshape(G * Og, Cg, kh, kw);
    const want = w.reshape(G, Og, Cg, kh, kw).transpose(1, 2).flip([3, 4]).reshape(G * Cg, Og, kh, kw);
    const got = flippedWeight(w.contiguous(), G);
    expect(got.shape).toEqual([G * Cg, Og, kh, kw]);
    expect(vals(got)).toEqual(vals(want));
  });
});

for (const name of backends()) {
  describe(`conv2d's input gradient on both paths (${name})`, () => {
    useBackend(name);
    for (const c of CASES) {
      it(`${c.name}: each path against direct loops; flipped = F.conv2d with the flipped weight, bit for bit`, () => {
        const { wd, gd, w, gy } = operands(c);
        const want = directInputGrad(c, gd, wd);
        const tol = c.dtype === "float64" ? 1e-12 : 2e-5;
        const got = Object.fromEntries(PATHS.map((p) => [p, inputGrad(c, p)]));
        for (const p of PATHS) close(vals(got[p]), want, tol);
        // The flipped path is really the forward conv of gy (symmetric padding only: F.conv2d's own).
        if (c.pad !== "same") {
          const { G, kh, kw, dh, dw, Cg, Og } = geometry(c);
          const wf = w.reshape(G, Og, Cg, kh, kw).transpose(1, 2).flip([3, 4]).reshape(G * Cg, Og, kh, kw);
          const pad = [dh * (kh - 1) - c.pad[0], dw * (kw - 1) - c.pad[1]];
          const fwd = torch.noGrad(() => F.conv2d(gy, wf, null, { padding: pad, dilation: c.dil ?? 1, groups: G }));
          expect(bits(got.flipped)).toEqual(bits(fwd));
        }
      });
    }

    it("conv_transpose2d at stride 1 (dilation 2, output padding 1: a row and column no input reaches) on both paths", () => {
      // conv2d's geometry on the [8, 9] image, whose window gives [6, 7]: the [5, 6] input reaches one row and column less.
      const c: Case = { name: "t", N: 2, C: 4, H: 8, W: 9, O: 6, G: 2, k: [3, 3], pad: [1, 1], dil: [2, 2] };
      const { w, wd } = operands(c);
      const yd = data(2 * 6 * 5 * 6, 13);
      const want = directInputGrad(c, yd, wd, 5, 6);
      for (const p of PATHS) {
        forceInputGradPath(p);
        const y = torch.tensor(yd).reshape(2, 6, 5, 6);
        const out = torch.noGrad(() => F.convTranspose2d(y, w, null, { padding: 1, dilation: 2, outputPadding: 1, groups: 2 }));
        expect(out.shape).toEqual([2, 4, 8, 9]);
        close(vals(out), want, 2e-5);
      }
    });

    it("gradcheck in float64 on the flipped path: groups, dilation, uneven padding", () => {
      forceInputGradPath("flipped");
      const x = torch.tensor(data(2 * 4 * 5 * 6, 1), { dtype: "float64" }).reshape(2, 4, 5, 6).requiresGrad_();
      const w = torch.tensor(data(6 * 2 * 2 * 3, 2), { dtype: "float64" }).reshape(6, 2, 2, 3).requiresGrad_();
      expect(torch.gradcheck((a: Tensor, b: Tensor) => F.conv2d(a, b, null, { padding: "same", dilation: [1, 2], groups: 2 }), [x, w])).toBe(true);
    });
  });
}

describe("each path gives the same bits at 1, 2, 3 and 4 threads (native)", () => {
  useBackend("native");
  for (const c of CASES) {
    it(c.name, () => {
      const t0 = torch.getNumThreads();
      try {
        for (const p of PATHS) {
          let first: string[] | null = null;
          for (const t of [1, 2, 3, 4]) {
            torch.setNumThreads(t);
            const got = bits(inputGrad(c, p));
            first ??= got;
            expect(got, `${p} at ${t} threads`).toEqual(first);
          }
        }
      } finally {
        torch.setNumThreads(t0);
      }
    });
  }
});

describe("PyTorch conformance (conv.json) with the flipped path forced", () => {
  const files = loadCaseFiles(VENDORED_CASES).filter((f) => f.file === "conv.json");
  it("finds conv.json", () => expect(files.length).toBe(1));
  for (const backend of availableBackends()) {
    it(backend, () => {
      forceInputGradPath("flipped");
      const s = runConformance(files, [backend]);
      const failures = s.outcomes.filter((o) => o.status === "fail").map(formatOutcome);
      expect(failures, failures.join("\n")).toEqual([]);
      expect(s.passed).toBeGreaterThan(0);
    }, 120_000);
  }
});
