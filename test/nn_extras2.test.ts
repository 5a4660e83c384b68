// nn extras (2): the torch.* forms of nn functions (torch.dropout, torch.batch_norm, torch.kl_div
// with ATen's int reduction, ...), alpha / feature-alpha dropout and dropout3d, rrelu, channel
// shuffle and pdist, with their modules. Expected values come from the definitions: the dropout
// masks are re-drawn with the same seed through F.dropout (the same bernoulli stream), rrelu's
// slopes through torch.rand in float64 (the same double uniforms), distances by loops in double.
import { describe, expect, it, vi } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const F = torch.nn.functional;
const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const ALPHA = 1.7580993408473766;
const close = (got: number[], want: number[], tol = 1e-5) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]))));
};

describe.each(backends())("nn extras 2 [%s]", (name) => {
  useBackend(name);

  describe("alpha dropout, feature alpha dropout, dropout3d", () => {
    it("alpha dropout: kept a·x + α'·a·p, dropped −α'·a·(1−p), with F.dropout's draws", () => {
      const p = 0.3;
      const x = torch.randn(50);
      torch.manualSeed(7);
      const keep = vals(F.dropout(torch.ones(50), p, true)).map((v) => v !== 0);
      torch.manualSeed(7);
      const y = F.alphaDropout(x, p, true);
      const a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
      close(vals(y), vals(x).map((v, i) => (keep[i] ? a * v + ALPHA * a * p : -ALPHA * a * (1 - p))));
      expect(keep.some((k) => !k) && keep.some((k) => k)).toBe(true);
      expect(torch.alphaDropout(x, p, false)).toBe(x);
      expect(F.alphaDropout(x)).toBe(x); // training defaults to false
      expect(vals(F.alphaDropout(x, 1, true)).map(Math.abs)).toEqual(Array(50).fill(0));
      expect(() => F.alphaDropout(x, 1.5, true)).toThrow(/dropout probability has to be between 0 and 1, but got 1.5/);
    });

    it("feature alpha dropout draws per (sample, channel); float64 and gradients follow the mask", () => {
      const p = 0.5;
      const x = torch.randn([3, 4, 5], { dtype: "float64", requiresGrad: true });
      torch.manualSeed(3);
      const keep = vals(F.dropout(torch.ones(3, 4), p, true)).map((v) => v !== 0);
      torch.manualSeed(3);
      const y = F.featureAlphaDropout(x, p, true);
      expect(y.dtype).toBe("float64");
      const a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
      close(vals(y), vals(x).map((v, i) => (keep[Math.floor(i / 5)] ? a * v + ALPHA * a * p : -ALPHA * a * (1 - p))), 1e-12);
      y.sum().backward();
      expect(vals(x.grad!)).toEqual(vals(x).map((_, i) => (keep[Math.floor(i / 5)] ? a : 0)));
      expect(() => F.featureAlphaDropout(torch.ones(3), 0.5, true)).toThrow(/Feature dropout requires at least 2 dimensions in the input/);
    });

    it("dropout3d zeroes whole (N, C) volumes, takes an unbatched (C, D, H, W) and warns on other ranks", () => {
      torch.manualSeed(11);
      const keep = vals(F.dropout(torch.ones(2, 6), 0.5, true));
      torch.manualSeed(11);
      const y = F.dropout3d(torch.ones(2, 6, 2, 1, 2), 0.5, true);
      expect(vals(y)).toEqual(keep.flatMap((k) => Array(4).fill(k)));
      torch.manualSeed(11);
      const u = F.dropout3d(torch.ones(6, 1, 1, 2), 0.5, true);
      expect(u.shape).toEqual([6, 1, 1, 2]);
      expect(vals(u)).toEqual(keep.slice(0, 6).flatMap((k) => [k, k]));
      const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
      const rank = name === "js" ? 3 : 2; // each message is shown once per process
      F.dropout3d(torch.ones(...Array(rank).fill(2)), 0.5, false);
      expect(String(spy.mock.calls[0]?.[0])).toMatch(new RegExp(`dropout3d: Received a ${rank}-D input to dropout3d`));
      spy.mockRestore();
      const x = torch.ones(6, 1, 1, 2);
      torch.manualSeed(11);
      expect(F.dropout3d(x, 0.5, true, true)).toBe(x);
      expect(vals(x)).toEqual(vals(u));
    });

    it("modules: repr, eval identity, AlphaDropout ignores inplace as PyTorch", () => {
      expect(String(new torch.nn.AlphaDropout(0.2))).toBe("AlphaDropout(p=0.2, inplace=False)");
      expect(String(new torch.nn.FeatureAlphaDropout())).toBe("FeatureAlphaDropout(p=0.5, inplace=False)");
      expect(String(new torch.nn.Dropout3d(0.1, true))).toBe("Dropout3d(p=0.1, inplace=True)");
      const m = new torch.nn.AlphaDropout(0.5, true);
      const x = torch.ones(10);
      const y = m(x);
      expect(y).not.toBe(x);
      expect(vals(x)).toEqual(Array(10).fill(1));
      m.eval();
      expect(m(x)).toBe(x);
    });

    it("torch.* dropout forms: (input, p, train) required; the in-place ones write into x", () => {
      torch.manualSeed(5);
      const a = F.dropout(torch.ones(20), 0.4, true);
      torch.manualSeed(5);
      expect(vals(torch.dropout(torch.ones(20), 0.4, true))).toEqual(vals(a));
      const x = torch.ones(20);
      torch.manualSeed(5);
      expect(torch.dropout_(x, 0.4, true)).toBe(x);
      expect(vals(x)).toEqual(vals(a));
      expect(() => (torch.dropout as any)(torch.ones(2), 0.5)).toThrow(/missing required argument 'train'/);
      torch.manualSeed(5);
      const f = torch.featureDropout(torch.ones(2, 10, 3), 0.4, true);
      expect(vals(f)).toEqual(vals(a).flatMap((k) => [k, k, k]));
      const leaf = torch.ones([3], { requiresGrad: true });
      expect(() => torch.alphaDropout_(leaf, 0.5, true)).toThrow(/a leaf Variable that requires grad/);
    });
  });

  describe("rrelu", () => {
    it("training: one double uniform(lower, upper) per element <= 0, in order; gradient = the slope", () => {
      const x = torch.tensor([-1, 2, 0, -3, 5, -0.5], { dtype: "float64", requiresGrad: true });
      torch.manualSeed(1);
      const u = [0, 1, 2, 3].map(() => torch.defaultGenerator.nextDouble53()); // PyTorch's random64 doubles
      torch.manualSeed(1);
      const y = F.rrelu(x, 0.1, 0.3, true);
      const slopes = [0.1 + 0.2 * u[0], 1, 0.1 + 0.2 * u[1], 0.1 + 0.2 * u[2], 1, 0.1 + 0.2 * u[3]];
      close(vals(y), vals(x).map((v, i) => v * slopes[i]), 1e-15);
      expect(y.gradFn?.name).toBe("RreluWithNoiseBackward0");
      y.sum().backward();
      close(vals(x.grad!), slopes, 1e-15);
      torch.manualSeed(1);
      expect(vals(torch.rrelu(x.detach().float(), 0.1, 0.3, true))).toEqual(vals(x.detach().float()).map((v, i) => Math.fround(v * Math.fround(slopes[i]))));
    });

    it("eval: the fixed slope (lower + upper) / 2, also at 0 for the gradient; errors", () => {
      const x = torch.tensor([-2, 0, 3], { requiresGrad: true });
      const y = F.rrelu(x.mul(1));
      close(vals(y), [-2 * (1 / 8 + 1 / 3) / 2, 0, 3]);
      y.sum().backward();
      close(vals(x.grad!), [(1 / 8 + 1 / 3) / 2, (1 / 8 + 1 / 3) / 2, 1]);
      expect(() => F.rrelu(torch.ones(2), 0.3, 0.1)).toThrow(/Lower bound should be less than or equal to the upper bound/);
      expect(() => F.rrelu(long([1, 2]), 0.1, 0.3, true)).toThrow(/"rrelu_with_noise_out_cpu" not implemented for 'Long'/);
      const z = torch.tensor([-4, 1]);
      expect(F.rrelu_(z)).toBe(z);
      close(vals(z), [-4 * (1 / 8 + 1 / 3) / 2, 1]);
    });

    it("nn.RReLU: repr, training draws, eval fixed", () => {
      expect(String(new torch.nn.RReLU())).toBe("RReLU(lower=0.125, upper=0.3333333333333333)");
      expect(String(new torch.nn.RReLU(0.1, 0.3, true))).toBe("RReLU(lower=0.1, upper=0.3, inplace=True)");
      const m = new torch.nn.RReLU(0.2, 0.2);
      close(vals(m(torch.tensor([-1, 1]))), [-0.2, 1]);
      const g = new torch.Generator().manualSeed(4);
      const u = [g.nextDouble53()];
      g.manualSeed(4);
      close(vals(torch.rrelu(torch.tensor([-1], { dtype: "float64" }), 0, 1, true, g)), [-u[0]], 1e-15);
    });
  });

  describe("channel shuffle", () => {
    it("out[:, j·g + i] = in[:, i·(C/g) + j]; module; errors", () => {
      const x = torch.randn(2, 6, 3);
      const y = F.channelShuffle(x, 2);
      const xv = vals(x);
      const want: number[] = [];
      for (let n = 0; n < 2; n++) for (let c = 0; c < 6; c++) {
        const src = (c % 2) * 3 + Math.floor(c / 2);
        for (let l = 0; l < 3; l++) want.push(xv[(n * 6 + src) * 3 + l]);
      }
      expect(vals(y)).toEqual(want);
      expect(vals(torch.channelShuffle(x, 2))).toEqual(want);
      expect(vals(new torch.nn.ChannelShuffle(2)(x))).toEqual(want);
      expect(String(new torch.nn.ChannelShuffle(3))).toBe("ChannelShuffle(groups=3)");
      expect(() => F.channelShuffle(torch.ones(1, 4, 2), 3)).toThrow(/Number of channels must be divisible by groups. Got 4 channels and 3 groups./);
      expect(() => F.channelShuffle(torch.ones(1, 4, 2), 0)).toThrow(/Number of groups to divide channels in must be positive. Value of groups:0/);
      expect(() => F.channelShuffle(torch.ones(1, 4), 2)).toThrow(/channel_shuffle expects input with > 2 dims, but got input with sizes \[1, 4\]/);
      expect(F.channelShuffle(torch.ones(0, 4, 2), 2).shape).toEqual([0, 4, 2]);
      const w = torch.randn([1, 4, 2], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((t: torch.Tensor) => F.channelShuffle(t, 2), [w])).toBe(true);
    });
  });

  describe("pdist", () => {
    const ref = (rows: number[][], p: number) => {
      const out: number[] = [];
      for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) {
        const d = rows[i].map((v, k) => Math.abs(v - rows[j][k]));
        if (p === 0) out.push(d.filter((v) => v !== 0).length);
        else if (p === Infinity) out.push(Math.max(...d));
        else out.push(d.reduce((s, v) => s + v ** p, 0) ** (1 / p));
      }
      return out;
    };

    it("matches the pairwise p-norms (i < j, row-major) for p = 0, 1, 1.5, 2, 3, inf", () => {
      const x = torch.randn([5, 3], { dtype: "float64" });
      const rows = x.tolist() as number[][];
      for (const p of [0, 1, 1.5, 2, 3, Infinity]) close(vals(torch.pdist(x, p)), ref(rows, p), 1e-12);
      expect(F.pdist(torch.ones(1, 2)).shape).toEqual([0]);
      expect(F.pdist(torch.ones(0, 2)).shape).toEqual([0]);
    });

    it("gradients: gradcheck, and 0 at a zero distance or a zero difference for p < 1 (PdistBackward0)", () => {
      const x = torch.randn([4, 3], { dtype: "float64", requiresGrad: true });
      for (const p of [1.5, 2, 3]) expect(torch.gradcheck((t: torch.Tensor) => torch.pdist(t, p), [x])).toBe(true);
      const y = torch.tensor([[0, 0], [0, 4], [1, 4], [0, 0]], { dtype: "float64", requiresGrad: true });
      const d = torch.pdist(y, 0.5);
      expect(d.gradFn?.name).toBe("PdistBackward0");
      d.sum().backward();
      expect(vals(y.grad!).every(Number.isFinite)).toBe(true);
      // diff = (-1, 0): dist = (|-1|^0.5 + 0)^2 = 1, d dist/d diff0 = 2·1·0.5·1^-0.5·sign = -1; diff1 = 0 gets 0
      const z = torch.tensor([[0, 4], [1, 4]], { dtype: "float64", requiresGrad: true });
      torch.pdist(z, 0.5).sum().backward();
      expect(vals(z.grad!)).toEqual([-1, 0, 1, 0]);
      const inf = torch.tensor([[0, 0], [2, -2]], { requiresGrad: true });
      torch.pdist(inf, Infinity).sum().backward();
      expect(vals(inf.grad!)).toEqual([-1, 1, 1, -1]); // both components tie: each gets its sign
    });

    it("errors as PyTorch", () => {
      expect(() => torch.pdist(torch.ones(3))).toThrow(/pdist only supports 2D tensors, got: 1D/);
      expect(() => torch.pdist(torch.ones(3, 2), -1)).toThrow(/pdist only supports non-negative p values/);
      expect(() => torch.pdist(long([1, 2]).reshape([1, 2]))).toThrow(/pdist only supports floating-point dtypes/);
    });
  });

  describe("torch.* forms of nn functions", () => {
    it("norms take every argument in ATen's order and agree with F.*", () => {
      const x = torch.randn(4, 3, 5);
      const w = torch.randn(3), b = torch.randn(3);
      const rm = torch.zeros(3), rv = torch.ones(3);
      expect(vals(torch.batchNorm(x, w, b, rm, rv, false, 0.1, 1e-5, true))).toEqual(vals(F.batchNorm(x, rm, rv, w, b, false, 0.1, 1e-5)));
      expect(vals(torch.instanceNorm(x, w, b, null, null, true, 0.1, 1e-5, false))).toEqual(vals(F.instanceNorm(x, null, null, w, b, true, 0.1, 1e-5)));
      expect(vals(torch.layerNorm(x, [5]))).toEqual(vals(F.layerNorm(x, [5])));
      expect(vals(torch.groupNorm(x, 3, w, b))).toEqual(vals(F.groupNorm(x, 3, w, b)));
      expect(() => (torch.batchNorm as any)(x, w, b, rm, rv, false, 0.1, 1e-5)).toThrow(/missing required argument 'cudnnEnabled'/);
    });

    it("pools: stride () means the kernel; with_indices and adaptive_max_pool1d give pairs", () => {
      const x = torch.randn(2, 3, 8);
      expect(vals(torch.maxPool1d(x, 2))).toEqual(vals(F.maxPool1d(x, 2)));
      expect(vals(torch.maxPool1d(x, 3, [], 1))).toEqual(vals(F.maxPool1d(x, 3, null, 1) as torch.Tensor));
      const [v, i] = torch.maxPool1dWithIndices(x, 2);
      const [fv, fi] = F.maxPool1d(x, 2, { returnIndices: true }) as [torch.Tensor, torch.Tensor];
      expect([vals(v), vals(i)]).toEqual([vals(fv), vals(fi)]);
      expect(vals(torch.avgPool1d(x, 2, 1, 0, false, true))).toEqual(vals(F.avgPool1d(x, 2, 1)));
      expect(vals(torch.adaptiveAvgPool1d(x, 3))).toEqual(vals(F.adaptiveAvgPool1d(x, 3)));
      const [av, ai] = torch.adaptiveMaxPool1d(x, 3);
      expect(av.shape).toEqual([2, 3, 3]);
      expect(ai.dtype).toBe("int64");
      expect(vals(torch.maxPool2d(torch.ones(1, 4, 4), 2))).toEqual([1, 1, 1, 1]);
    });

    it("losses take ATen's int reduction (0 none, 1 mean, 2 sum) and refuse strings", () => {
      const a = torch.randn(3, 4), t = torch.rand(3, 4);
      const none = F.klDiv(a, t, { reduction: "none" });
      expect(vals(torch.klDiv(a, t, 0))).toEqual(vals(none));
      expect(torch.klDiv(a, t).item()).toBeCloseTo(none.mean().item(), 6);
      expect(torch.klDiv(a, t, 2).item()).toBeCloseTo(none.sum().item(), 5);
      expect(vals(torch.klDiv(a, t.log(), 0, { logTarget: true }))).toEqual(vals(F.klDiv(a, t.log(), { reduction: "none", logTarget: true })));
      expect(() => torch.klDiv(a, t, "mean" as any)).toThrow(/kl_div\(\): argument 'reduction' \(position 3\) must be int, not str/);
      const y = torch.tensor([1, -1, 1]);
      expect(vals(torch.hingeEmbeddingLoss(a, t.sign(), 1, 0))).toEqual(vals(F.hingeEmbeddingLoss(a, t.sign(), { reduction: "none" })));
      expect(() => torch.hingeEmbeddingLoss(a, t, 1, "sum" as any)).toThrow(/argument 'reduction' \(position 4\) must be int, not str/);
      expect(vals(torch.binaryCrossEntropyWithLogits(a, t, null, null, 0))).toEqual(vals(F.binaryCrossEntropyWithLogits(a, t, { reduction: "none" })));
      expect(torch.marginRankingLoss(a.index(0), a.index(1), t.index(0).sign(), 0.1, 2).item()).toBeCloseTo(
        F.marginRankingLoss(a.index(0), a.index(1), t.index(0).sign(), { margin: 0.1, reduction: "sum" }).item(), 6);
      expect(vals(torch.cosineEmbeddingLoss(a, t, y, 0, 0))).toEqual(vals(F.cosineEmbeddingLoss(a, t, y, { reduction: "none" })));
      expect(torch.poissonNllLoss(a, t, true, false, 1e-8, 1).item()).toBeCloseTo(F.poissonNllLoss(a, t).item(), 6);
      expect(vals(torch.tripletMarginLoss(a, t, a.flip([0]), 1, 2, 1e-6, false, 0))).toEqual(vals(F.tripletMarginLoss(a, t, a.flip([0]), { reduction: "none" })));
    });

    it("embedding puts the weight first (negative padding_idx = none); activations, padding, shuffles", () => {
      const w = torch.randn(5, 2);
      const idx = long([4, 0, 2]);
      expect(vals(torch.embedding(w, idx))).toEqual(vals(F.embedding(idx, w)));
      const wg = torch.randn([5, 2], { requiresGrad: true });
      torch.embedding(wg, idx, 0).sum().backward();
      expect(vals(wg.grad!)).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
      const x = torch.tensor([-2, -0.5, 0.25, 3]);
      expect(vals(torch.selu(x))).toEqual(vals(F.selu(x)));
      expect(vals(torch.celu(x, 2))).toEqual(vals(F.celu(x, 2)));
      expect(vals(torch.threshold(x, 0.3, 20))).toEqual([20, 20, 20, 3]);
      expect(vals(torch.hardshrink(x)).map((v) => v + 0)).toEqual([-2, 0, 0, 3]);
      const z = x.clone();
      expect(torch.threshold_(z, 0, -1)).toBe(z);
      expect(vals(z)).toEqual([-1, -1, 0.25, 3]);
      const r = x.clone();
      expect(torch.relu_(r)).toBe(r);
      expect(vals(r)).toEqual([0, 0, 0.25, 3]);
      expect(vals(torch.prelu(x, torch.tensor([0.5])))).toEqual([-1, -0.25, 0.25, 3]);
      expect(vals(torch.constantPadNd(torch.ones(1, 2), [1, 2], 3))).toEqual([3, 1, 1, 3, 3]);
      expect(torch.pixelShuffle(torch.ones(1, 4, 2, 2), 2).shape).toEqual([1, 1, 4, 4]);
      expect(vals(torch.nativeChannelShuffle(torch.arange(0, 4).reshape([1, 4, 1]), 2))).toEqual([0, 2, 1, 3]);
      expect(torch.cosineSimilarity(torch.ones(2, 3), torch.ones(2, 3)).shape).toEqual([2]);
      expect(torch.pairwiseDistance(torch.ones(2, 3), torch.zeros(2, 3), 2, 0, true).shape).toEqual([2, 1]);
    });
  });

  describe("3-D pooling", () => {
    const X = [2, 2, 4, 5, 6];
    const at = (v: number[], c: number, d: number, h: number, w: number) => v[((c * X[2] + d) * X[3] + h) * X[4] + w];
    /** Reference window loop in double: taps (d, h, w) of each output, padding skipped. */
    function windows(k: number[], s: number[], p: number[], dl: number[], ceil: boolean) {
      const outs = [2, 3, 4].map((i, j) => {
        let o = Math.floor((X[i] + 2 * p[j] - dl[j] * (k[j] - 1) - 1 + (ceil ? s[j] - 1 : 0)) / s[j]) + 1;
        if (ceil && (o - 1) * s[j] >= X[i] + p[j]) o--;
        return o;
      });
      const res: { taps: number[][]; all: number }[] = [];
      for (let a = 0; a < outs[0]; a++) for (let b = 0; b < outs[1]; b++) for (let c = 0; c < outs[2]; c++) {
        const taps: number[][] = [];
        let all = 0;
        for (let i = 0; i < k[0]; i++) for (let j = 0; j < k[1]; j++) for (let l = 0; l < k[2]; l++) {
          const t = [a * s[0] - p[0] + i * dl[0], b * s[1] - p[1] + j * dl[1], c * s[2] - p[2] + l * dl[2]];
          all++;
          if (t.every((v, q) => v >= 0 && v < X[q + 2])) taps.push(t);
        }
        res.push({ taps, all });
      }
      return { outs, res };
    }

    it("maxPool3d: values and flat (D·H·W) indices of each window's maximum, with padding, dilation, ceil mode", () => {
      const x = torch.randn(X, { dtype: "float64" });
      const v = vals(x);
      const k = [2, 3, 2], s = [1, 2, 2], p = [1, 1, 0], dl = [1, 1, 2];
      const { outs, res } = windows(k, s, p, dl, true);
      const [y, idx] = F.maxPool3d(x, k, s, p, dl, true, true) as [torch.Tensor, torch.Tensor];
      expect(y.shape).toEqual([2, 2, ...outs]);
      const wantV: number[] = [], wantI: number[] = [];
      for (let n = 0; n < 4; n++) for (const { taps } of res) {
        let best = -Infinity, bi = -1;
        for (const [d, h, w] of taps) if (at(v, n, d, h, w) > best) (best = at(v, n, d, h, w)), (bi = (d * X[3] + h) * X[4] + w);
        wantV.push(best);
        wantI.push(bi);
      }
      expect(vals(y)).toEqual(wantV);
      expect(vals(idx)).toEqual(wantI);
      expect((F.maxPool3d(x.requiresGrad_(), 2) as torch.Tensor).gradFn?.name).toBe("MaxPool3DWithIndicesBackward0");
      expect(vals(torch.maxPool3d(x, k, s, p, dl, true))).toEqual(wantV);
      const [, i2] = F.maxPool3dWithIndices(x.index(0), 2);
      expect(i2.shape).toEqual([2, 2, 2, 3]);
      const g = torch.randn([1, 2, 3, 4, 4], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((t: torch.Tensor) => F.maxPool3d(t, 2, 1, 1) as torch.Tensor, [g])).toBe(true);
    });

    it("avgPool3d: sum over the window / the divisor (padding counted or not, divisorOverride)", () => {
      const x = torch.randn(X, { dtype: "float64" });
      const v = vals(x);
      const k = [3, 2, 3];
      const { outs, res } = windows(k, [2, 2, 2], [1, 1, 1], [1, 1, 1], true);
      // count_include_pad: each axis' window cut at the padded input's end (ceil mode can overhang it)
      const padded: number[] = [];
      for (let a = 0; a < outs[0]; a++) for (let b = 0; b < outs[1]; b++) for (let c = 0; c < outs[2]; c++) {
        padded.push([a, b, c].reduce((acc, o, i) => acc * (Math.min(o * 2 - 1 + k[i], X[i + 2] + 1) - (o * 2 - 1)), 1));
      }
      for (const [include, override] of [[true, null], [false, null], [true, 5]] as const) {
        const want: number[] = [];
        for (let n = 0; n < 4; n++) res.forEach(({ taps }, r) => {
          const sum = taps.reduce((acc, [d, h, w]) => acc + at(v, n, d, h, w), 0);
          want.push(sum / (override ?? (include ? padded[r] : taps.length)));
        });
        close(vals(F.avgPool3d(x, k, 2, 1, true, include, override)), want, 1e-12);
      }
      const g = torch.randn([1, 1, 3, 3, 4], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((t: torch.Tensor) => F.avgPool3d(t, 2, 1, 1, false, false), [g])).toBe(true);
      const ones = vals(F.avgPool3d(torch.ones(1, 1, 2, 2, 2), 2, 1, 1));
      expect([ones[0], ones[13]]).toEqual([1 / 8, 1]); // a corner window holds 1 input of 8, the centre all 8
    });

    it("adaptive 3-D pools: windows [floor(i·I/O), ceil((i+1)·I/O)) per axis; null keeps a size", () => {
      const x = torch.randn(X, { dtype: "float64" });
      const v = vals(x);
      const O = [3, 5, 4];
      const rng = (i: number, I: number, o: number) => [Math.floor((i * I) / o), Math.ceil(((i + 1) * I) / o)];
      const avg: number[] = [], mx: number[] = [], mi: number[] = [];
      for (let n = 0; n < 4; n++) for (let a = 0; a < O[0]; a++) for (let b = 0; b < O[1]; b++) for (let c = 0; c < O[2]; c++) {
        const [d0, d1] = rng(a, 4, O[0]), [h0, h1] = rng(b, 5, O[1]), [w0, w1] = rng(c, 6, O[2]);
        let sum = 0, cnt = 0, best = -Infinity, bi = -1;
        for (let d = d0; d < d1; d++) for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) {
          const e = at(v, n, d, h, w);
          sum += e;
          cnt++;
          if (e > best) (best = e), (bi = (d * 5 + h) * 6 + w);
        }
        avg.push(sum / cnt);
        mx.push(best);
        mi.push(bi);
      }
      close(vals(F.adaptiveAvgPool3d(x, [3, null, 4])), avg, 1e-12);
      const [y, i] = F.adaptiveMaxPool3d(x, [3, 5, 4], true) as [torch.Tensor, torch.Tensor];
      expect(vals(y)).toEqual(mx);
      expect(vals(i)).toEqual(mi);
      expect(vals(new torch.nn.AdaptiveAvgPool3d([3, 5, 4])(x))).toEqual(vals(F.adaptiveAvgPool3d(x, [3, 5, 4])));
      const g = torch.randn([1, 2, 3, 3, 4], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((t: torch.Tensor) => F.adaptiveAvgPool3d(t, 2), [g])).toBe(true);
    });

    it("errors as PyTorch", () => {
      const x = torch.randn(1, 2, 4, 4, 4);
      expect(() => F.maxPool3d(torch.ones(2, 4, 4), 2)).toThrow(/non-empty 4D or 5D \(batch mode\) tensor expected for input/);
      expect(() => F.maxPool3d(x, 3, 1, 2)).toThrow(/pad should be at most half of kernel size, but got pad=2 and kernel_size=3/);
      expect(() => F.maxPool3d(x, 5)).toThrow(/Given input size: \(2x4x4x4\). Calculated output size: \(2x0x0x0\). Output size is too small/);
      expect(() => F.avgPool3d(x, 5)).toThrow(/input image \(T: 4 H: 4 W: 4\) smaller than kernel size \(kT: 5 kH: 5 kW: 5\)/);
      expect(() => F.avgPool3d(x, 2, 2, 0, false, true, 0)).toThrow(/divisor must be not zero/);
      expect(() => F.adaptiveAvgPool3d(torch.ones(2, 4), 2)).toThrow(/adaptive_avg_pool3d\(\): Expected 4D or 5D tensor, but got \[2, 4\]/);
      expect(() => F.adaptiveMaxPool3d(torch.ones(2, 4), 2)).toThrow(/adaptive_max_pool3d\(\): Expected 4D or 5D tensor, but got: \[2, 4\]/);
      expect(() => F.maxPool3d(long([1]).reshape([1, 1, 1, 1]), 1)).toThrow(/"max_pool3d_with_indices_cpu" not implemented for 'Long'/);
    });
  });

  describe("local response norm, LP pooling", () => {
    it("localResponseNorm: x / (k + alpha/size · Σ x² over channels c - size//2 .. c + (size-1)//2)^beta", () => {
      const x = torch.randn([2, 5, 3, 2], { dtype: "float64" });
      const v = vals(x);
      for (const size of [2, 3]) {
        const want: number[] = [];
        for (let n = 0; n < 2; n++) for (let c = 0; c < 5; c++) for (let l = 0; l < 6; l++) {
          let ss = 0;
          for (let j = c - Math.floor(size / 2); j <= c + Math.floor((size - 1) / 2); j++) if (j >= 0 && j < 5) ss += v[(n * 5 + j) * 6 + l] ** 2;
          want.push(v[(n * 5 + c) * 6 + l] / (2 + (0.1 * ss) / size) ** 0.6);
        }
        close(vals(F.localResponseNorm(x, size, 0.1, 0.6, 2)), want, 1e-12);
        close(vals(new torch.nn.LocalResponseNorm(size, 0.1, 0.6, 2)(x)), want, 1e-12);
      }
      const x3 = torch.randn([2, 4, 3], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((t: torch.Tensor) => F.localResponseNorm(t, 3), [x3])).toBe(true);
      expect(() => F.localResponseNorm(torch.ones(2, 3), 2)).toThrow(/Expected 3D or higher dimensionality/);
      expect(String(new torch.nn.LocalResponseNorm(2))).toBe("LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)");
    });

    it("lpPool1d/2d: (Σ x^p over each window)^(1/p), float32 and float64; modules print stride None", () => {
      for (const dtype of ["float32", "float64"] as const) {
        const x = torch.rand([2, 3, 7], { dtype });
        const v = vals(x);
        const want: number[] = [];
        for (let r = 0; r < 6; r++) for (let o = 0; o < 3; o++) {
          let ss = 0;
          for (let i = 0; i < 3; i++) ss += v[r * 7 + o * 2 + i] ** 2;
          want.push(Math.sqrt(ss));
        }
        close(vals(F.lpPool1d(x, 2, 3, 2)), want, 1e-5);
        const y = torch.rand([1, 2, 4, 4], { dtype });
        const yv = vals(y);
        const w2: number[] = [];
        for (let c = 0; c < 2; c++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
          let s3 = 0;
          for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s3 += yv[c * 16 + (2 * a + i) * 4 + 2 * b + j] ** 3;
          w2.push(s3 ** (1 / 3));
        }
        close(vals(new torch.nn.LPPool2d(3, 2)(y)), w2, 1e-5);
      }
      expect(String(new torch.nn.LPPool2d(2, 3))).toBe("LPPool2d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)");
      expect(String(new torch.nn.LPPool1d(2.5, 3, 2))).toBe("LPPool1d(norm_type=2.5, kernel_size=3, stride=2, ceil_mode=False)");
    });
  });

  describe("Conv3d, ConvTranspose1d, InstanceNorm3d, 3-D padding", () => {
    it("conv3d matches the definition (stride, padding, dilation, groups, bias) and gradchecks", () => {
      const x = torch.randn([1, 4, 4, 5, 4], { dtype: "float64" });
      const w = torch.randn([4, 2, 2, 3, 2], { dtype: "float64" });
      const b = torch.randn([4], { dtype: "float64" });
      const [s, p, dl, g] = [[2, 1, 1], [1, 1, 0], [1, 1, 2], 2];
      const y = F.conv3d(x, w, b, s, p, dl, g);
      const xv = vals(x), wv = vals(w), bv = vals(b);
      const In = [4, 5, 4], K = [2, 3, 2];
      const outs = In.map((n, i) => Math.floor((n + 2 * p[i] - dl[i] * (K[i] - 1) - 1) / s[i]) + 1);
      expect(y.shape).toEqual([1, 4, ...outs]);
      const want: number[] = [];
      for (let o = 0; o < 4; o++) for (let a = 0; a < outs[0]; a++) for (let bb = 0; bb < outs[1]; bb++) for (let c = 0; c < outs[2]; c++) {
        let acc = bv[o];
        const grp = Math.floor(o / 2);
        for (let ci = 0; ci < 2; ci++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let l = 0; l < 2; l++) {
          const [d, h, ww] = [a * s[0] - p[0] + i * dl[0], bb * s[1] - p[1] + j * dl[1], c * s[2] - p[2] + l * dl[2]];
          if (d < 0 || d >= 4 || h < 0 || h >= 5 || ww < 0 || ww >= 4) continue;
          acc += xv[(((grp * 2 + ci) * 4 + d) * 5 + h) * 4 + ww] * wv[(((o * 2 + ci) * 2 + i) * 3 + j) * 2 + l];
        }
        want.push(acc);
      }
      close(vals(y), want, 1e-12);
      expect(F.conv3d(x.index(0), w, b, s, p, dl, g).shape).toEqual([4, ...outs]);
      expect(F.conv3d(x, torch.randn([3, 4, 2, 2, 3], { dtype: "float64" }), null, 1, "same").shape).toEqual([1, 3, 4, 5, 4]);
      const xs = torch.randn([1, 2, 3, 3, 3], { dtype: "float64", requiresGrad: true });
      const ws = torch.randn([2, 2, 2, 1, 2], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((t: torch.Tensor, u: torch.Tensor) => F.conv3d(t, u, null, [2, 1, 1], 1), [xs, ws])).toBe(true);
      expect(() => F.conv3d(torch.ones(2, 4, 4), torch.ones(1, 1, 1, 1, 1))).toThrow(/Expected 4D \(unbatched\) or 5D \(batched\) input to conv3d, but got input of size: \[2, 4, 4\]/);
      expect(() => F.conv3d(torch.ones(1, 2, 4, 4, 4), torch.ones(1, 2, 5, 1, 1))).toThrow(/Calculated padded input size per channel: \(4 x 4 x 4\). Kernel size: \(5 x 1 x 1\)/);
    });

    it("nn.Conv3d: shapes, init bound 1/sqrt(fan_in), repr, padding modes", () => {
      const c = new torch.nn.Conv3d(2, 4, [3, 2, 1], { stride: 2 });
      expect(c.weight.shape).toEqual([4, 2, 3, 2, 1]);
      const bound = 1 / Math.sqrt(2 * 3 * 2);
      expect(vals(c.weight).every((e) => Math.abs(e) <= bound)).toBe(true);
      expect(vals(c.bias!).every((e) => Math.abs(e) <= bound)).toBe(true);
      expect(String(c)).toBe("Conv3d(2, 4, kernel_size=(3, 2, 1), stride=(2, 2, 2))");
      expect(c(torch.randn(1, 2, 5, 5, 5)).shape).toEqual([1, 4, 2, 2, 3]);
      const r = new torch.nn.Conv3d(1, 1, 3, { padding: 1, paddingMode: "replicate", bias: false });
      expect(r(torch.randn(1, 1, 3, 3, 3)).shape).toEqual([1, 1, 3, 3, 3]);
    });

    it("conv_transpose1d is conv1d's adjoint: <convT(x, w), y> = <x, conv1d(y, w)>; module with output_size", () => {
      const x = torch.randn([2, 4, 5], { dtype: "float64" });
      const w = torch.randn([4, 3, 3], { dtype: "float64" }); // [in, out/groups, k], groups 2 -> out 6
      const yT = F.convTranspose1d(x, w, null, 2, 1, 0, 2, 2);
      const y = torch.randn(yT.shape, { dtype: "float64" });
      const lhs = yT.mul(y).sum().item();
      const rhs = x.mul(F.conv1d(y, w, null, 2, 1, 2, 2)).sum().item();
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10);
      expect(yT.shape).toEqual([2, 6, (5 - 1) * 2 - 2 + 2 * 2 + 1]);
      const b = torch.randn([6], { dtype: "float64" });
      close(vals(F.convTranspose1d(x, w, b, 2, 1, 0, 2, 2)), vals(yT.add(b.reshape([6, 1]))), 1e-12);
      const t = new torch.nn.ConvTranspose1d(2, 4, 3, { stride: 2 });
      expect(String(t)).toBe("ConvTranspose1d(2, 4, kernel_size=(3,), stride=(2,))");
      expect(t.weight.shape).toEqual([2, 4, 3]);
      expect(t(torch.randn(1, 2, 5), [12]).shape).toEqual([1, 4, 12]);
      expect(t(torch.randn(2, 5)).shape).toEqual([4, 11]);
      const xs = torch.randn([1, 2, 3], { dtype: "float64", requiresGrad: true });
      const ws = torch.randn([2, 2, 2], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((u: torch.Tensor, v: torch.Tensor) => torch.convTranspose1d(u, v, null, 2), [xs, ws])).toBe(true);
      expect(() => F.convTranspose1d(torch.ones(2, 4, 4, 4), torch.ones(1, 1, 1))).toThrow(/Expected 2D \(unbatched\) or 3D \(batched\) input to conv_transpose1d/);
    });

    it("InstanceNorm3d normalizes each (N, C) volume; Reflection/ReplicationPad3d pad the last three dims", () => {
      const x = torch.randn([2, 3, 2, 3, 4], { dtype: "float64" });
      const m = new torch.nn.InstanceNorm3d(3);
      expect(String(m)).toBe("InstanceNorm3d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)");
      const y = m(x);
      const per = x.reshape([6, 24]);
      const want = per.sub(per.mean(1, true)).div(per.var(1, { correction: 0, keepdim: true }).add(1e-5).sqrt());
      close(vals(y), vals(want), 1e-10);
      close(vals(m(x.index(0))), vals(want).slice(0, 72), 1e-10);
      expect(() => m(torch.ones(2, 3, 4))).toThrow(/expected 4D or 5D input \(got 3D input\)/);
      const p = torch.arange(0, 8, { dtype: torch.float32 }).reshape([1, 2, 2, 2]);
      const rp = new torch.nn.ReplicationPad3d([1, 0, 0, 0, 0, 1])(p);
      expect(rp.shape).toEqual([1, 3, 2, 3]);
      expect(vals(rp)).toEqual([0, 0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 4, 4, 5, 6, 6, 7]);
      const fp = new torch.nn.ReflectionPad3d([1, 0, 0, 0, 1, 0])(p);
      expect(vals(fp)).toEqual([5, 4, 5, 7, 6, 7, 1, 0, 1, 3, 2, 3, 5, 4, 5, 7, 6, 7]);
      expect(String(new torch.nn.ReflectionPad3d(1))).toBe("ReflectionPad3d((1, 1, 1, 1, 1, 1))");
    });
  });

  describe("affine_grid, grid_sample, gumbel_softmax", () => {
    const lin = (n: number, align: boolean) => Array.from({ length: n }, (_, i) => (n === 1 ? 0 : (-1 + (2 * i) / (n - 1)) * (align ? 1 : (n - 1) / n)));

    it("affineGrid: theta · (x_w, y_h, 1) over the normalized base grid, both alignments; 3-D too", () => {
      const theta = torch.randn([2, 2, 3], { dtype: "float64" });
      const th = theta.tolist() as number[][][];
      for (const align of [true, false]) {
        const g = F.affineGrid(theta, [2, 1, 3, 4], align);
        expect(g.shape).toEqual([2, 3, 4, 2]);
        const [xs, ys] = [lin(4, align), lin(3, align)];
        const want: number[] = [];
        for (let n = 0; n < 2; n++) for (let h = 0; h < 3; h++) for (let w = 0; w < 4; w++) {
          for (let r = 0; r < 2; r++) want.push(th[n][r][0] * xs[w] + th[n][r][1] * ys[h] + th[n][r][2]);
        }
        close(vals(g), want, 1e-12);
      }
      const t3 = torch.randn([1, 3, 4], { dtype: "float64" });
      const g3 = F.affineGrid(t3, [1, 1, 2, 3, 4], false);
      expect(g3.shape).toEqual([1, 2, 3, 4, 3]);
      const t = t3.tolist() as number[][][];
      const [xs, ys, zs] = [lin(4, false), lin(3, false), lin(2, false)];
      close(vals(g3.index(0, 1, 2, 3)), [0, 1, 2].map((r) => t[0][r][0] * xs[3] + t[0][r][1] * ys[2] + t[0][r][2] * zs[1] + t[0][r][3]), 1e-12);
      const tg = torch.randn([1, 2, 3], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((u: torch.Tensor) => F.affineGrid(u, [1, 1, 2, 3], false), [tg])).toBe(true);
      expect(() => F.affineGrid(torch.ones(1, 3, 3), [1, 1, 2, 2], false)).toThrow(/Expected a batch of 2D affine matrices of shape Nx2x3 for size \[1, 1, 2, 2\]. Got torch.Size\(\[1, 3, 3\]\)./);
      expect(() => F.affineGrid(torch.ones(1, 2, 3), [1, 1, 2], false)).toThrow(/affine_grid only supports 4D and 5D sizes/);
      expect(() => F.affineGrid(long([1, 2, 3, 4, 5, 6]).reshape([1, 2, 3]), [1, 1, 2, 2], false)).toThrow(/Expected theta to have floating point type, but got torch.int64/);
    });

    it("gridSample bilinear/nearest with zeros/border padding matches a reference loop; identity grid returns the input", () => {
      const x = torch.randn([2, 3, 4, 5], { dtype: "float64" });
      const xv = vals(x);
      const eye = torch.tensor([[[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 0]]], { dtype: "float64" });
      for (const align of [true, false]) {
        const id = F.affineGrid(eye, [2, 3, 4, 5], align);
        close(vals(F.gridSample(x, id, "bilinear", "zeros", align)), xv, 1e-12);
        expect(vals(F.gridSample(x, id, "nearest", "zeros", align))).toEqual(xv);
      }
      const grid = torch.rand([2, 3, 2, 2], { dtype: "float64" }).mul(2.6).sub(1.3);
      const gv = vals(grid);
      for (const [mode, padding, align] of [["bilinear", "zeros", false], ["bilinear", "border", true], ["nearest", "zeros", true], ["bilinear", "zeros", true]] as const) {
        const at = (n: number, c: number, h: number, w: number) => {
          if (padding === "border") (h = Math.min(Math.max(h, 0), 3)), (w = Math.min(Math.max(w, 0), 4));
          return h < 0 || h > 3 || w < 0 || w > 4 ? 0 : xv[((n * 3 + c) * 4 + h) * 5 + w];
        };
        const src = (v: number, size: number) => {
          const u = align ? ((v + 1) / 2) * (size - 1) : ((v + 1) * size - 1) / 2;
          return padding === "border" ? Math.min(Math.max(u, 0), size - 1) : u;
        };
        const want: number[] = [];
        for (let n = 0; n < 2; n++) for (let c = 0; c < 3; c++) for (let p = 0; p < 6; p++) {
          const ix = src(gv[(n * 6 + p) * 2], 5), iy = src(gv[(n * 6 + p) * 2 + 1], 4);
          if (mode === "nearest") {
            const rnd = (v: number) => { const f = Math.floor(v); const d = v - f; return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f; };
            want.push(at(n, c, rnd(iy), rnd(ix)));
          } else {
            const [x0, y0] = [Math.floor(ix), Math.floor(iy)];
            const [fx, fy] = [ix - x0, iy - y0];
            want.push(at(n, c, y0, x0) * (1 - fx) * (1 - fy) + at(n, c, y0, x0 + 1) * fx * (1 - fy) + at(n, c, y0 + 1, x0) * (1 - fx) * fy + at(n, c, y0 + 1, x0 + 1) * fx * fy);
          }
        }
        close(vals(F.gridSample(x, grid, mode, padding, align)), want, 1e-12);
      }
    });

    it("gridSample gradients (input and grid) gradcheck for every padding mode; 5-D trilinear; errors", () => {
      for (const padding of ["zeros", "border", "reflection"] as const) {
        const xs = torch.randn([1, 2, 3, 4], { dtype: "float64", requiresGrad: true });
        const gs = torch.rand([1, 2, 3, 2], { dtype: "float64" }).mul(2.4).sub(1.2).requiresGrad_();
        expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor) => F.gridSample(a, b, "bilinear", padding, false), [xs, gs])).toBe(true);
      }
      const g5 = torch.rand([1, 2, 2, 2, 3], { dtype: "float64" }).mul(2).sub(1).requiresGrad_();
      const x5 = torch.randn([1, 2, 3, 3, 4], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((a: torch.Tensor, b: torch.Tensor) => F.gridSample(a, b, "bilinear", "zeros", true), [x5, g5])).toBe(true);
      const eye3 = torch.tensor([[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]], { dtype: "float64" });
      close(vals(F.gridSample(x5.detach(), F.affineGrid(eye3, [1, 2, 3, 3, 4], true), "bilinear", "zeros", true)), vals(x5), 1e-12);
      const gn = torch.zeros([1, 1, 1, 2], { requiresGrad: true });
      F.gridSample(torch.ones(1, 1, 2, 2), gn, "nearest", "zeros", false).sum().backward();
      expect(vals(gn.grad!)).toEqual([0, 0]);
      const x = torch.ones(1, 1, 2, 2);
      expect(() => F.gridSample(x, torch.zeros(1, 1, 1, 2), "linear" as any)).toThrow(/expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: 'linear'/);
      expect(() => F.gridSample(x, torch.zeros(1, 1, 1, 2), "bilinear", "wrap" as any)).toThrow(/expected padding_mode to be 'zeros', 'border', or 'reflection', but got: 'wrap'/);
      expect(() => F.gridSample(x, torch.zeros([1, 1, 1, 2], { dtype: "float64" }), "bilinear", "zeros", false)).toThrow(/expected input and grid to have same dtype, but input has Float and grid has Double/);
      expect(() => F.gridSample(x, torch.zeros(1, 1, 1, 3), "bilinear", "zeros", false)).toThrow(/expected grid to have size 2 in last dimension/);
      expect(() => F.gridSample(x, torch.zeros(2, 1, 1, 2), "bilinear", "zeros", false)).toThrow(/expected grid and input to have same batch size/);
      expect(F.gridSample(torch.ones(0, 2, 4, 4), torch.ones(0, 3, 3, 2), "bilinear", "zeros", false).shape).toEqual([0, 2, 3, 3]);
    });

    it("gumbelSoftmax: softmax((logits − log E) / tau), E = −log(1 − u) per element from the generator; hard is one-hot with the soft gradient", () => {
      const logits = torch.randn([3, 5], { dtype: "float64" });
      const lv = vals(logits);
      torch.manualSeed(9);
      const u = lv.map(() => torch.defaultGenerator.nextDouble53());
      const z = lv.map((l, i) => (l - Math.log(-Math.log(1 - u[i]))) / 0.5);
      const want: number[] = [];
      for (let r = 0; r < 3; r++) {
        const row = z.slice(r * 5, r * 5 + 5);
        const m = Math.max(...row);
        const e = row.map((v) => Math.exp(v - m));
        const s = e.reduce((a, b) => a + b, 0);
        want.push(...e.map((v) => v / s));
      }
      torch.manualSeed(9);
      close(vals(F.gumbelSoftmax(logits, 0.5)), want, 1e-12);
      const lg = logits.clone().requiresGrad_();
      torch.manualSeed(9);
      const hard = F.gumbelSoftmax(lg, 0.5, true);
      const hv = vals(hard);
      for (let r = 0; r < 3; r++) {
        const row = want.slice(r * 5, r * 5 + 5);
        const k = row.indexOf(Math.max(...row));
        close(hv.slice(r * 5, r * 5 + 5), row.map((_, j) => (j === k ? 1 : 0)), 1e-12);
      }
      const wts = torch.randn([3, 5], { dtype: "float64" });
      hard.mul(wts).sum().backward();
      const ls = logits.clone().requiresGrad_();
      torch.manualSeed(9);
      F.gumbelSoftmax(ls, 0.5).mul(wts).sum().backward();
      close(vals(lg.grad!), vals(ls.grad!), 1e-12);
      torch.manualSeed(9);
      expect(F.gumbelSoftmax(logits.float(), { tau: 0.5, dim: 0 }).sum(0).sub(1).abs().max().item()).toBeLessThan(1e-6);
    });
  });

  describe("embedding_bag", () => {
    const idxs = [1, 2, 4, 5, 4, 3, 2, 9];
    const offs = [0, 4, 4, 6];

    it("sum / mean / max of each bag (offsets; an empty bag gives zeros; padding_idx skipped and not counted)", () => {
      const w = torch.randn([10, 3], { dtype: "float64" });
      const rows = w.tolist() as number[][];
      for (const mode of ["sum", "mean", "max"] as const) for (const pad of [null, 2]) {
        const want: number[] = [];
        for (let b = 0; b < 4; b++) {
          const members = idxs.slice(offs[b], b + 1 < 4 ? offs[b + 1] : idxs.length).filter((i) => i !== pad);
          for (let d = 0; d < 3; d++) {
            const col = members.map((i) => rows[i][d]);
            if (col.length === 0) want.push(0);
            else if (mode === "max") want.push(Math.max(...col));
            else want.push(col.reduce((a, c) => a + c, 0) / (mode === "mean" ? col.length : 1));
          }
        }
        close(vals(F.embeddingBag(long(idxs), w, long(offs), { mode, paddingIdx: pad })), want, 1e-12);
      }
      // a 2-D input: each row a bag
      const two = F.embeddingBag(long([1, 2, 3, 4, 5, 6]).reshape([2, 3]), w, null, { mode: "sum" });
      close(vals(two), [0, 1, 2].map((d) => rows[1][d] + rows[2][d] + rows[3][d]).concat([0, 1, 2].map((d) => rows[4][d] + rows[5][d] + rows[6][d])), 1e-12);
    });

    it("gradients: gradcheck (sum, mean, per_sample_weights with include_last_offset); max sends each column to its argmax row", () => {
      const w = torch.randn([10, 3], { dtype: "float64", requiresGrad: true });
      for (const mode of ["sum", "mean"] as const) {
        expect(torch.gradcheck((t: torch.Tensor) => F.embeddingBag(long(idxs), t, long(offs), { mode, paddingIdx: 2 }), [w])).toBe(true);
      }
      const ps = torch.randn([8], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((t: torch.Tensor, q: torch.Tensor) => F.embeddingBag(long(idxs), t, long(offs), { mode: "sum", perSampleWeights: q, includeLastOffset: true }), [w, ps])).toBe(true);
      expect(F.embeddingBag(long(idxs), w, long(offs), { includeLastOffset: true }).shape).toEqual([3, 3]);
      const wm = torch.tensor([[0, 5], [3, 1], [2, 2]], { dtype: "float64", requiresGrad: true });
      const y = F.embeddingBag(long([0, 1, 2]), wm, long([0]), { mode: "max" });
      expect(y.gradFn?.name).toBe("EmbeddingBagBackward0");
      y.sum().backward();
      expect(vals(wm.grad!)).toEqual([0, 1, 1, 0, 0, 0]);
    });

    it("nn.EmbeddingBag: N(0,1) init with the padding row zeroed, forward(input, offsets, perSampleWeights), repr", () => {
      const m = new torch.nn.EmbeddingBag(10, 3, { mode: "sum", paddingIdx: 0 });
      expect(vals(m.weight.index(0))).toEqual([0, 0, 0]);
      expect(String(m)).toBe("EmbeddingBag(10, 3, mode=sum, padding_idx=0)");
      expect(String(new torch.nn.EmbeddingBag(10, 3))).toBe("EmbeddingBag(10, 3, mode=mean)");
      expect(String(new torch.nn.EmbeddingBag(10, 3, { maxNorm: 1 }))).toBe("EmbeddingBag(10, 3, max_norm=1.0, mode=mean)");
      const y = m(long(idxs), long(offs), torch.ones(8));
      close(vals(y), vals(F.embeddingBag(long(idxs), m.weight, long(offs), { mode: "sum", paddingIdx: 0 })), 1e-6);
    });

    it("errors as PyTorch", () => {
      const w = torch.randn(10, 3);
      expect(() => F.embeddingBag(long([1, 2]), w)).toThrow(/offsets has to be a 1D Tensor but got None/);
      expect(() => F.embeddingBag(long([1, 2]).reshape([1, 2]), w, long([0]))).toThrow(/if input is 2D, then offsets has to be None/);
      expect(() => F.embeddingBag(long([1, 2]), w, long([1]))).toThrow(/offsets\[0\] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got 1/);
      expect(() => F.embeddingBag(long([1, 2]), w, long([0, 3]))).toThrow(/offsets\[-1\] can not be greater than input's length 2 but got offsets\[-1\] of 3/);
      expect(() => F.embeddingBag(long([1, 2]), w, long([0]), { perSampleWeights: torch.ones(2) })).toThrow(/per_sample_weights is only supported for mode='sum' \(got mode='mean'\)/);
      expect(() => F.embeddingBag(long([1, 2]), w, long([0]), { mode: "sum", perSampleWeights: torch.ones(3) })).toThrow(/If per_sample_weights \(torch.Size\(\[3\]\)\) is not None, then it must have the same shape as the input \(torch.Size\(\[2\]\)\)/);
      expect(() => F.embeddingBag(long([1, 2]), w, long([0]), { mode: "foo" as any })).toThrow(/mode has to be one of sum, mean or max/);
      expect(() => F.embeddingBag(torch.tensor([1, 2]), w, long([0]))).toThrow(/scalar types: Long, Int; but got torch.FloatTensor instead \(while checking arguments for embedding_bag\)/);
      expect(() => F.embeddingBag(long([1]).reshape([1, 1, 1]), w)).toThrow(/input has to be 1D or 2D Tensor, but got Tensor of dimension 3/);
    });
  });

  describe("multilabel margin, triplet with distance, CTC", () => {
    it("multilabelMarginLoss: Σ_j∈targets Σ_i∉targets max(0, 1 − (x_j − x_i)) / C, targets ending at -1", () => {
      const x = torch.randn([3, 5], { dtype: "float64", requiresGrad: true });
      const t = long([3, 0, -1, 1, 2, 0, 0, 4, -1, 4, 1, 2, 3, 4, 0]).reshape([3, 5]);
      const xv = vals(x), tv = vals(t);
      const want: number[] = [];
      for (let n = 0; n < 3; n++) {
        const tg: number[] = [];
        for (let j = 0; j < 5 && tv[n * 5 + j] >= 0; j++) tg.push(tv[n * 5 + j]);
        let s = 0;
        for (const j of tg) for (let i = 0; i < 5; i++) if (!tg.includes(i)) s += Math.max(0, 1 - (xv[n * 5 + j] - xv[n * 5 + i]));
        want.push(s / 5);
      }
      close(vals(F.multilabelMarginLoss(x, t, { reduction: "none" })), want, 1e-12);
      close([F.multilabelMarginLoss(x, t).item()], [want.reduce((a, b) => a + b) / 3], 1e-12);
      expect(F.multilabelMarginLoss(x, t).gradFn?.name).toBe("MeanBackward0");
      expect(torch.gradcheck((u: torch.Tensor) => F.multilabelMarginLoss(u, t, { reduction: "sum" }), [x])).toBe(true);
      expect(F.multilabelMarginLoss(x.index(0), t.index(0), { reduction: "none" }).shape).toEqual([]);
      expect(vals(new torch.nn.MultiLabelMarginLoss({ reduction: "none" })(x, t))).toEqual(vals(F.multilabelMarginLoss(x, t, { reduction: "none" })));
      expect(() => F.multilabelMarginLoss(x, long([0, 5, -1, 0, 0]).reshape([1, 5]).expand(3, 5))).toThrow(/argument #2 'target' is out of range/);
      expect(() => F.multilabelMarginLoss(x, long([0, 1, 1, 2, 0, 1]).reshape([3, 2]))).toThrow(/inconsistent size \[3, 2\] for argument #2 'target'/);
    });

    it("tripletMarginWithDistanceLoss: max(0, margin + d(a, p) − d(a, n)), any distance, swap; the module's default is a PairwiseDistance child", () => {
      const a = torch.randn([4, 3], { dtype: "float64" }), p = torch.randn([4, 3], { dtype: "float64" }), n = torch.randn([4, 3], { dtype: "float64" });
      const l1 = (u: torch.Tensor, v: torch.Tensor) => u.sub(v).abs().sum(-1);
      const [av, pv, nv] = [a, p, n].map((t) => t.tolist() as number[][]);
      const d1 = (u: number[], v: number[]) => u.reduce((s, e, i) => s + Math.abs(e - v[i]), 0);
      const want = av.map((r, i) => Math.max(0, 2 + d1(r, pv[i]) - Math.min(d1(r, nv[i]), d1(pv[i], nv[i]))));
      close(vals(F.tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: l1, margin: 2, swap: true, reduction: "none" })), want, 1e-12);
      close([F.tripletMarginWithDistanceLoss(a, p, n).item()], [F.tripletMarginLoss(a, p, n).item()], 1e-12);
      const m = new torch.nn.TripletMarginWithDistanceLoss();
      expect(String(m)).toBe("TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)");
      close([m(a, p, n).item()], [F.tripletMarginLoss(a, p, n).item()], 1e-12);
      close(vals(new torch.nn.TripletMarginWithDistanceLoss({ distanceFunction: l1, margin: 2, swap: true, reduction: "none" })(a, p, n)), want, 1e-12);
    });

    /** −log Σ over all alignments (paths of length T collapsing to the target) of Π p: brute force by dynamic programming in double. */
    function ctcRef(lp: number[][], target: number[], blank: number): number {
      const ext: number[] = [blank];
      for (const l of target) ext.push(l, blank);
      let alpha = ext.map((_, s) => (s === 0 ? Math.exp(lp[0][blank]) : s === 1 && target.length > 0 ? Math.exp(lp[0][ext[1]]) : 0));
      for (let t = 1; t < lp.length; t++) {
        alpha = ext.map((l, s) => {
          let a = alpha[s] + (s > 0 ? alpha[s - 1] : 0);
          if (s > 1 && l !== blank && l !== ext[s - 2]) a += alpha[s - 2];
          return a * Math.exp(lp[t][l]);
        });
      }
      const L = ext.length;
      return -Math.log(alpha[L - 1] + (L > 1 ? alpha[L - 2] : 0));
    }

    it("ctcLoss equals −log p(target) of the alignment DP, per sample (padded or concatenated targets, input lengths, blank)", () => {
      const T = 9, N = 3, C = 5;
      const lp = torch.randn([T, N, C], { dtype: "float64" }).logSoftmax(2);
      const lpv = lp.tolist() as number[][][];
      const targets = [[1, 2, 2, 3], [4, 1], [3, 3, 3]];
      const inLen = [9, 7, 8];
      const want = targets.map((tg, n) => ctcRef(lpv.slice(0, inLen[n]).map((row) => row[n]), tg, 0));
      const padded = long(targets.flatMap((tg) => [...tg, 0, 0, 0, 0].slice(0, 4))).reshape([3, 4]);
      close(vals(F.ctcLoss(lp, padded, inLen, [4, 2, 3], 0, "none")), want, 1e-10);
      close(vals(F.ctcLoss(lp, long(targets.flat()), long(inLen), long([4, 2, 3]), { reduction: "none" })), want, 1e-10);
      close([F.ctcLoss(lp, padded, inLen, [4, 2, 3]).item()], [(want[0] / 4 + want[1] / 2 + want[2] / 3) / 3], 1e-10);
      close([F.ctcLoss(lp, padded, inLen, [4, 2, 3], 0, "sum").item()], [want[0] + want[1] + want[2]], 1e-10);
      const b4 = targets.map((tg, n) => ctcRef(lpv.map((row) => row[n]), tg.map((l) => l - 1), 4));
      close(vals(F.ctcLoss(lp, long(targets.flat().map((l) => l - 1)), [9, 9, 9], [4, 2, 3], 4, "none")), b4, 1e-10);
      close(vals(F.ctcLoss(lp.select(1, 1), long([4, 1]), 7, 2, 0, "none")), [want[1]], 1e-10);
      close(vals(new torch.nn.CTCLoss({ reduction: "none" })(lp, padded, inLen, [4, 2, 3])), want, 1e-10);
    });

    it("ctcLoss: infeasible targets are inf (0 with zeroInfinity); gradients gradcheck through log_softmax and follow PyTorch's for log_probs", () => {
      const lp = torch.randn([6, 2, 4], { dtype: "float64" }).logSoftmax(2);
      const tg = long([1, 1, 1, 2, 3, 0]).reshape([2, 3]);
      // "1 1 1" needs 5 frames (a blank between repeats): 4 cannot hold it, 5 can
      expect(vals(F.ctcLoss(lp, tg, [4, 6], [3, 2], 0, "none"))[0]).toBe(Infinity);
      expect(Number.isFinite(vals(F.ctcLoss(lp, tg, [5, 6], [3, 2], 0, "none"))[0])).toBe(true);
      expect(vals(F.ctcLoss(lp, tg, [4, 6], [3, 2], { reduction: "none", zeroInfinity: true }))[0]).toBe(0);
      const logits = torch.randn([6, 2, 4], { dtype: "float64", requiresGrad: true });
      expect(torch.gradcheck((u: torch.Tensor) => F.ctcLoss(u.logSoftmax(2), tg, [6, 6], [3, 2]), [logits])).toBe(true);
      // For a leaf log_probs PyTorch's backward returns exp(log_probs) + ∂loss/∂log_probs, whose sum over classes is 1 − 1 = 0 per frame
      const leaf = lp.detach().clone().requiresGrad_();
      F.ctcLoss(leaf, tg, [6, 6], [3, 2], 0, "sum").backward();
      const g = leaf.grad!.sum(2);
      expect(vals(g).every((v) => Math.abs(v) < 1e-10)).toBe(true);
      expect(F.ctcLoss(leaf, tg, [6, 6], [3, 2], 0, "none").gradFn?.name).toBe("CtcLossBackward0");
      expect(() => F.ctcLoss(lp, tg, [7, 6], [3, 2])).toThrow(/Expected input_lengths to have value at most 6, but got value 7/);
      expect(() => F.ctcLoss(lp, tg, [6, 6], [4, 2])).toThrow(/Expected tensor to have size at least 4 at dimension 1, but got size 3 for argument #2 'targets'/);
      expect(() => F.ctcLoss(lp, tg, [6, 6], [3, 2], 7)).toThrow(/blank must be in label range/);
      expect(() => F.ctcLoss(lp, tg, [6, 6, 6], [3, 2])).toThrow(/input_lengths must be of size batch_size/);
    });
  });

  describe("lazy modules", () => {
    it("LazyLinear/LazyConv2d/LazyBatchNorm2d infer their input size, initialise as the eager modules built then, and become them", () => {
      const x = torch.randn(2, 3, 4, 4);
      const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
      torch.manualSeed(3);
      const lazy = new torch.nn.Sequential(new torch.nn.LazyConv2d(4, 3, { padding: 1 }), new torch.nn.LazyBatchNorm2d(), new torch.nn.Flatten(), new torch.nn.LazyLinear(5));
      spy.mockRestore();
      expect(String(lazy)).toContain("(0): LazyConv2d(0, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))");
      expect(String(lazy)).toContain("(3): LazyLinear(in_features=0, out_features=5, bias=True)");
      expect(String((lazy as any)[3].weight)).toBe("<UninitializedParameter>");
      expect((lazy as any)[3].hasUninitializedParams()).toBe(true);
      const y = lazy(x);
      // The eager model, built with the generator in the same state: its draws come in the same order.
      torch.manualSeed(3);
      const eager = new torch.nn.Sequential(new torch.nn.Conv2d(3, 4, 3, { padding: 1 }), new torch.nn.BatchNorm2d(4), new torch.nn.Flatten(), new torch.nn.Linear(64, 5));
      expect(vals(y)).toEqual(vals(eager(x))); // (both in training: the running stats move alike)
      const sd = eager.stateDict();
      for (const [k, v] of Object.entries(lazy.stateDict())) expect([k, vals(v)]).toEqual([k, vals(sd[k])]);
      expect(String(lazy)).toBe(String(eager));
      expect((lazy as any)[3]).toBeInstanceOf(torch.nn.Linear);
      expect((lazy as any)[0].weight.shape).toEqual([4, 3, 3, 3]);
    });

    it("LazyConv1d/3d and LazyBatchNorm1d: unbatched inputs, groups, affine=false", () => {
      const c1 = new torch.nn.LazyConv1d(6, 2, { groups: 2, bias: false });
      expect(c1(torch.randn(4, 7)).shape).toEqual([6, 6]);
      expect(c1.weight.shape).toEqual([6, 2, 2]);
      expect(c1.bias).toBe(null);
      const c3 = new torch.nn.LazyConv3d(2, 1);
      expect(c3(torch.randn(1, 3, 2, 2, 2)).shape).toEqual([1, 2, 2, 2, 2]);
      const bad = new torch.nn.LazyConv2d(4, 1, { groups: 2 });
      expect(() => bad(torch.randn(1, 3, 2, 2))).toThrow(/in_channels must be divisible by groups/);
      const bn = new torch.nn.LazyBatchNorm1d({ affine: false });
      const z = bn(torch.randn(5, 3));
      expect(z.shape).toEqual([5, 3]);
      expect(bn.weight).toBe(null);
      expect(String(bn)).toBe("BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=True)");
      expect(vals(bn.running_var!).every((v) => v !== 1)).toBe(true);
    });

    it("loadStateDict into a lazy model takes the checkpoint's shapes (no forward needed first)", () => {
      const eager = new torch.nn.Sequential(new torch.nn.Conv2d(3, 4, 3), new torch.nn.BatchNorm2d(4), new torch.nn.Flatten(), new torch.nn.Linear(16, 5));
      const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
      const lazy = new torch.nn.Sequential(new torch.nn.LazyConv2d(4, 3), new torch.nn.LazyBatchNorm2d(), new torch.nn.Flatten(), new torch.nn.LazyLinear(5));
      spy.mockRestore();
      lazy.loadStateDict(eager.stateDict());
      expect(String(lazy)).toBe(String(eager));
      eager.eval();
      lazy.eval();
      const x = torch.randn(2, 3, 4, 4);
      expect(vals(lazy(x))).toEqual(vals(eager(x)));
    });

    it("torch.ctcLoss takes ATen's int reduction", () => {
      const lp = torch.randn([6, 2, 4], { dtype: "float64" }).logSoftmax(2);
      const tg = long([1, 2, 1, 3]).reshape([2, 2]);
      expect(vals(torch.ctcLoss(lp, tg, [6, 6], [2, 2], 0, 0))).toEqual(vals(F.ctcLoss(lp, tg, [6, 6], [2, 2], 0, "none")));
      expect(torch.ctcLoss(lp, tg, [6, 6], [2, 2]).item()).toBe(F.ctcLoss(lp, tg, [6, 6], [2, 2]).item());
    });
  });

  describe("inplace=true activations write into x and are recorded", () => {
    type Act = [string, (t: torch.Tensor, inplace: boolean) => torch.Tensor, string];
    const acts: Act[] = [
      ["leaky_relu", (t, i) => F.leakyRelu(t, 0.1, i), "LeakyReluBackward1"],
      ["elu", (t, i) => F.elu(t, 0.7, i), "EluBackward1"],
      ["selu", (t, i) => F.selu(t, i), "EluBackward1"],
      ["celu", (t, i) => F.celu(t, 1.3, i), "CeluBackward1"],
      ["hardtanh", (t, i) => F.hardtanh(t, -0.5, 0.5, i), "HardtanhBackward0"],
      ["relu6", (t, i) => F.relu6(t, i), "HardtanhBackward0"],
      ["threshold", (t, i) => F.threshold(t, 0.2, -3, i), "ThresholdBackward1"],
      ["silu", (t, i) => F.silu(t, i), "SiluBackward0"],
      ["mish", (t, i) => F.mish(t, i), "MishBackward0"],
      ["hardsigmoid", (t, i) => F.hardsigmoid(t, i), "HardsigmoidBackward0"],
      ["hardswish", (t, i) => F.hardswish(t, i), "HardswishBackward0"],
      ["rrelu", (t, i) => F.rrelu(t, 0.1, 0.3, false, i), "RreluWithNoiseBackward1"],
    ];

    it.each(acts)("%s: same values and gradients as out of place, x itself returned, PyTorch's grad_fn", (_n, act, gradFn) => {
      const w = torch.randn([7], { dtype: "float64" }).mul(4).requiresGrad_();
      const up = torch.randn([7], { dtype: "float64" });
      const ref = act(w.mul(2), false);
      ref.mul(up).sum().backward();
      const want = vals(w.grad!);
      w.grad = null;
      const h = w.mul(2);
      const out = act(h, true);
      expect(out).toBe(h);
      expect(vals(h)).toEqual(vals(ref));
      expect(out.gradFn?.name).toBe(gradFn);
      h.mul(up).sum().backward();
      expect(vals(w.grad!)).toEqual(want);
      expect(() => act(torch.randn([3], { requiresGrad: true }), true)).toThrow(/a leaf Variable that requires grad is being used in an in-place operation/);
      const plain = torch.tensor([-1, 0.5, 2]);
      expect(act(plain, true)).toBe(plain);
      expect(vals(plain)).toEqual(vals(act(torch.tensor([-1, 0.5, 2]), false)));
    });

    it("a write into a view rewrites its base (CopySlices); dropout's in-place form is recorded as MulBackward0", () => {
      const w = torch.randn([2, 3], { requiresGrad: true });
      const h = w.mul(1);
      F.leakyRelu(h.index(0), 0.2, true);
      h.sum().backward();
      const wv = vals(w);
      expect(vals(w.grad!)).toEqual(wv.map((v, i) => (i < 3 ? (v > 0 ? 1 : Math.fround(0.2)) : 1)));
      const x = torch.ones([50], { requiresGrad: true });
      const y = x.mul(1);
      torch.manualSeed(2);
      expect(F.dropout(y, 0.5, true, true)).toBe(y);
      expect(y.gradFn?.name).toBe("MulBackward0");
      y.sum().backward();
      expect(vals(x.grad!)).toEqual(vals(y));
      const m = new torch.nn.LeakyReLU(0.1, true);
      const z = torch.randn([4], { requiresGrad: true }).mul(1);
      expect(m(z)).toBe(z);
    });
  });

  describe("AdaptiveLogSoftmaxWithLoss, torch.gridSampler", () => {
    it("output is each target's log-probability under logProb's full distribution; loss the mean NLL; shapes, keys, errors", () => {
      const m = new torch.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4, 10], 2);
      expect(m.cutoffs).toEqual([4, 10, 20]);
      expect(Object.keys(m.stateDict())).toEqual(["head.weight", "tail.0.0.weight", "tail.0.1.weight", "tail.1.0.weight", "tail.1.1.weight"]);
      expect(m.head.weight.shape).toEqual([6, 8]);
      expect((m.tail as any)[1][0].weight.shape).toEqual([2, 8]);
      const x = torch.randn([5, 8], { requiresGrad: true });
      const t = long([1, 5, 12, 19, 3]);
      const { output, loss } = m(x, t);
      const full = m.logProb(x);
      // the full distribution sums to 1 per row
      close(vals(full.exp().sum(1)), [1, 1, 1, 1, 1], 1e-5);
      close(vals(output), vals(full.gather(1, t.unsqueeze(1)).squeeze(1)), 1e-5);
      close([loss.item()], [-vals(output).reduce((a, b) => a + b) / 5], 1e-5);
      loss.backward();
      expect(x.grad!.shape).toEqual([5, 8]);
      expect(vals(m.predict(x))).toEqual(vals(full.argmax(1)));
      const [o1] = m(x.index(2), t.index(2));
      expect(o1.shape).toEqual([]);
      expect(() => m(x, long([1, 2, 3, 4, 20]))).toThrow(/Target values should be in \[0, 19\], but values in range \[1, 20\] were found./);
      expect(() => new torch.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [10, 4])).toThrow(/cutoffs should be a sequence of unique, positive integers sorted in an increasing order/);
    });

    it("torch.gridSampler / affineGridGenerator take ATen's enums and required align_corners", () => {
      const x = torch.randn([1, 2, 3, 4], { dtype: "float64" });
      const theta = torch.tensor([[[0.9, 0.1, 0.05], [-0.1, 1.1, 0]]], { dtype: "float64" });
      const g = torch.affineGridGenerator(theta, [1, 2, 3, 4], false);
      expect(vals(g)).toEqual(vals(F.affineGrid(theta, [1, 2, 3, 4], false)));
      expect(vals(torch.gridSampler(x, g, 1, 2, false))).toEqual(vals(F.gridSample(x, g, "nearest", "reflection", false)));
    });
  });
});
