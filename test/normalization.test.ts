// Normalization: BatchNorm (train/eval, running statistics, momentum null, affine, track_running_stats),
// InstanceNorm, LayerNorm, GroupNorm and F.normalize: values against formulas computed here in
// doubles, gradcheck, buffers in namedBuffers/stateDict/loadStateDict under PyTorch's keys, reprs
// and PyTorch's error messages. Every test runs once per backend that loads.
// ref: PyTorch 1.13 (reprs and messages read off it).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { gradcheck } from "../lib/autograd/gradcheck.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";

const { nn } = torch;
const F = nn.functional;

/** Per-channel mean and biased variance of an [N, C] array, in doubles. */
function channelStats(rows: number[][]): { mean: number[]; variance: number[] } {
  const n = rows.length;
  const mean = rows[0].map((_, c) => rows.reduce((s, r) => s + r[c], 0) / n);
  const variance = rows[0].map((_, c) => rows.reduce((s, r) => s + (r[c] - mean[c]) ** 2, 0) / n);
  return { mean, variance };
}

const X = [[1, -2, 0.5], [3, 0, -1.5], [-0.5, 4, 2], [2, 1, 1]];

describe.each(backends())("normalization [%s]", (name) => {
  useBackend(name);

  describe("BatchNorm", () => {
    it("train: batch statistics (biased) normalize; running stats move by momentum toward the mean and the unbiased variance", () => {
      const bn = new nn.BatchNorm1d(3, { momentum: 0.3 });
      const y = bn.forward(torch.tensor(X));
      const { mean, variance } = channelStats(X);
      close(vals(y), X.flatMap((r) => r.map((v, c) => (v - mean[c]) / Math.sqrt(variance[c] + 1e-5))));
      close(vals(bn.running_mean!), mean.map((m) => 0.3 * m));
      close(vals(bn.running_var!), variance.map((v) => 0.3 * ((v * 4) / 3) + 0.7));
      expect(bn.num_batches_tracked!.dtype).toBe("int64");
      expect(bn.numBatchesTracked!.item()).toBe(1);
      bn.forward(torch.tensor(X));
      expect(bn.num_batches_tracked!.item()).toBe(2);
    });

    it("eval: the running statistics normalize, and nothing moves", () => {
      const bn = new nn.BatchNorm1d(3);
      torch.noGrad(() => {
        bn.running_mean!.copy_(torch.tensor([1, 2, 3]));
        bn.running_var!.copy_(torch.tensor([4, 1, 0.25]));
        bn.weight!.copy_(torch.tensor([2, 1, 1]));
        bn.bias!.copy_(torch.tensor([0, 0.5, 0]));
      });
      bn.eval();
      const y = bn.forward(torch.tensor([[3, 2, 3.5]]));
      close(vals(y), [(2 * 2) / Math.sqrt(4 + 1e-5), 0.5, 0.5 / Math.sqrt(0.25 + 1e-5)]);
      expect(vals(bn.running_mean!)).toEqual([1, 2, 3]);
      expect(bn.num_batches_tracked!.item()).toBe(0);
      bn.train();
      expect(bn.training).toBe(true);
    });

    it("momentum null keeps a cumulative average of the batch statistics", () => {
      const bn = new nn.BatchNorm1d(3, { momentum: null });
      const A = X.slice(0, 2), B = X.slice(2);
      bn.forward(torch.tensor(A));
      bn.forward(torch.tensor(B));
      const [sa, sb] = [channelStats(A), channelStats(B)];
      close(vals(bn.running_mean!), sa.mean.map((m, c) => (m + sb.mean[c]) / 2));
      close(vals(bn.running_var!), sa.variance.map((v, c) => (2 * v + 2 * sb.variance[c]) / 2));
    });

    it("track_running_stats false: batch statistics in eval too, no buffers", () => {
      const bn = new nn.BatchNorm1d(3, { trackRunningStats: false }).eval();
      const { mean, variance } = channelStats(X);
      close(vals(bn.forward(torch.tensor(X))), X.flatMap((r) => r.map((v, c) => (v - mean[c]) / Math.sqrt(variance[c] + 1e-5))));
      expect(bn.namedBuffers()).toEqual([]);
      expect(bn.running_mean).toBe(null);
      expect(Object.keys(bn.stateDict())).toEqual(["weight", "bias"]);
    });

    it("BatchNorm2d normalizes over N, H and W per channel, stably for a large offset", () => {
      const bn = new nn.BatchNorm2d(2, { affine: false });
      const data = Array.from({ length: 2 * 2 * 2 * 2 }, (_, i) => 10000 + (i % 2) + (i >= 8 ? 0.5 : 0) + (Math.floor(i / 4) % 2 ? 100 : 0));
      const x = torch.tensor(data).reshape(2, 2, 2, 2);
      const y = vals(bn.forward(x));
      for (let c = 0; c < 2; c++) {
        const idx = [0, 1, 2, 3, 8, 9, 10, 11].map((i) => i + 4 * c);
        const xs = idx.map((i) => Math.fround(data[i]));
        const m = xs.reduce((a, b) => a + b) / 8;
        const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / 8;
        close(idx.map((i) => y[i]), xs.map((xi) => (xi - m) / Math.sqrt(v + 1e-5)), 1e-4);
      }
      expect(bn.namedParameters()).toEqual([]);
    });

    it("F.batchNorm passes gradcheck in input, weight and bias (train) and in input (eval)", () => {
      torch.manualSeed(0);
      const x = torch.randn(4, 3, 2).requiresGrad_(true);
      const w = torch.randn(3).requiresGrad_(true);
      const b = torch.randn(3).requiresGrad_(true);
      expect(gradcheck((a, ww, bb) => F.batchNorm(a, null, null, ww, bb, true), [x, w, b], { eps: 1e-2, rtol: 1e-2, atol: 1e-4 })).toBe(true);
      const rm = torch.randn(3), rv = torch.rand(3).add(0.5);
      expect(gradcheck((a) => F.batchNorm(a, rm, rv, { training: false }), [x])).toBe(true);
    });

    it("buffers: namedBuffers, stateDict keys in PyTorch's order, and a loadStateDict round trip", () => {
      const model = new nn.Sequential(new nn.Linear(3, 3), new nn.BatchNorm1d(3));
      model.forward(torch.tensor(X));
      expect(model.namedBuffers().map(([n, b]) => [n, b.dtype, b.shape])).toEqual([
        ["1.running_mean", "float32", [3]],
        ["1.running_var", "float32", [3]],
        ["1.num_batches_tracked", "int64", []],
      ]);
      expect(model.buffers()).toHaveLength(3);
      const sd = model.stateDict();
      expect(Object.keys(sd)).toEqual(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"]);
      const copy = new nn.Sequential(new nn.Linear(3, 3), new nn.BatchNorm1d(3));
      expect(copy.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const bn = copy.at(1) as InstanceType<typeof nn.BatchNorm1d>;
      expect(vals(bn.running_mean!)).toEqual(vals(sd["1.running_mean"]));
      expect(vals(bn.running_var!)).toEqual(vals(sd["1.running_var"]));
      expect(bn.num_batches_tracked!.item()).toBe(1);
      const missing = { ...sd };
      delete missing["1.running_var"];
      expect(() => copy.loadStateDict(missing)).toThrow('Missing key(s) in state_dict: "1.running_var"');
    });

    it("reset: weight ones, bias zeros, running mean 0, running var 1", () => {
      const bn = new nn.BatchNorm2d(2);
      expect(vals(bn.weight!)).toEqual([1, 1]);
      expect(vals(bn.bias!)).toEqual([0, 0]);
      bn.forward(torch.randn(2, 2, 2, 2));
      bn.resetParameters();
      expect(vals(bn.running_mean!)).toEqual([0, 0]);
      expect(vals(bn.running_var!)).toEqual([1, 1]);
      expect(bn.num_batches_tracked!.item()).toBe(0);
    });

    it("errors", () => {
      expect(() => new nn.BatchNorm1d(3).forward(torch.zeros(2, 3, 4, 5))).toThrow("expected 2D or 3D input (got 4D input)");
      expect(() => new nn.BatchNorm2d(3).forward(torch.zeros(2, 3, 4))).toThrow("expected 4D input (got 3D input)");
      expect(() => new nn.BatchNorm1d(3).forward(torch.zeros(1, 3))).toThrow(
        "Expected more than 1 value per channel when training, got input size torch.Size([1, 3])",
      );
      expect(() => new nn.BatchNorm1d(3).eval().forward(torch.zeros(1, 3))).not.toThrow();
      expect(() => F.batchNorm(torch.zeros(2, 3), torch.zeros(2), torch.ones(2))).toThrow("running_mean should contain 3 elements not 2");
    });
  });

  describe("InstanceNorm", () => {
    it("normalizes each (sample, channel) plane; an unbatched input works", () => {
      const m = new nn.InstanceNorm1d(2);
      const rows = [[1, 2, 4, 7], [0, -1, 3, 3]];
      const want = rows.flatMap((r) => {
        const mean = r.reduce((a, b) => a + b) / 4;
        const v = r.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
        return r.map((x) => (x - mean) / Math.sqrt(v + 1e-5));
      });
      close(vals(m.forward(torch.tensor(rows))), want);
      close(vals(m.forward(torch.tensor([rows]))), want);
      expect(m.namedParameters()).toEqual([]);
      expect(m.namedBuffers()).toEqual([]);
    });

    it("track_running_stats: running stats move with the batch average, num_batches_tracked stays 0; eval uses them", () => {
      const m = new nn.InstanceNorm1d(1, { trackRunningStats: true, momentum: 0.5 });
      m.forward(torch.tensor([[[0, 2]], [[4, 8]]]));
      // per-instance means 1 and 6, unbiased variances 2 and 8
      close(vals(m.running_mean!), [0.5 * 3.5]);
      close(vals(m.running_var!), [0.5 * 5 + 0.5]);
      expect(m.num_batches_tracked!.item()).toBe(0);
      m.eval();
      close(vals(m.forward(torch.tensor([[[1.75, 3]]]))), [0, 1.25 / Math.sqrt(3 + 1e-5)]);
    });

    it("F.instanceNorm passes gradcheck; errors", () => {
      torch.manualSeed(1);
      const x = torch.randn(2, 3, 4).requiresGrad_(true);
      const w = torch.randn(3).requiresGrad_(true);
      expect(gradcheck((a, ww) => F.instanceNorm(a, { weight: ww }), [x, w], { eps: 1e-2, rtol: 1e-2, atol: 1e-4 })).toBe(true);
      expect(() => new nn.InstanceNorm2d(3).forward(torch.zeros(2, 3))).toThrow("expected 3D or 4D input (got 2D input)");
      expect(() => F.instanceNorm(torch.zeros(2, 3, 1))).toThrow("Expected more than 1 spatial element when training, got input size torch.Size([2, 3, 1])");
    });
  });

  describe("LayerNorm and GroupNorm", () => {
    it("LayerNorm normalizes the trailing dims, with elementwise weight and bias of that shape", () => {
      const m = new nn.LayerNorm([2, 2]);
      expect(m.weight!.shape).toEqual([2, 2]);
      torch.noGrad(() => m.bias!.fill_(1));
      const y = m.forward(torch.tensor([[[1, 2], [3, 4]]]));
      const s = Math.sqrt(1.25 + 1e-5);
      close(vals(y), [-1.5 / s + 1, -0.5 / s + 1, 0.5 / s + 1, 1.5 / s + 1]);
      expect(new nn.LayerNorm(4, { elementwiseAffine: false }).namedParameters()).toEqual([]);
    });

    it("GroupNorm normalizes groups of channels per sample, then weight and bias per channel", () => {
      const m = new nn.GroupNorm(2, 4);
      torch.noGrad(() => m.weight!.copy_(torch.tensor([1, 2, 1, 1])));
      const y = vals(m.forward(torch.tensor([[1, 3, 10, 20]])));
      close(y, [-1 / Math.sqrt(1 + 1e-5), 2 / Math.sqrt(1 + 1e-5), -5 / Math.sqrt(25 + 1e-5), 5 / Math.sqrt(25 + 1e-5)]);
    });

    it("layerNorm and groupNorm pass gradcheck", () => {
      torch.manualSeed(2);
      const x = torch.randn(2, 3, 4).requiresGrad_(true);
      const w = torch.randn(3, 4).requiresGrad_(true);
      const b = torch.randn(3, 4).requiresGrad_(true);
      const tol = { eps: 1e-2, rtol: 1e-2, atol: 1e-4 };
      expect(gradcheck((a, ww, bb) => F.layerNorm(a, [3, 4], ww, bb), [x, w, b], tol)).toBe(true);
      const gw = torch.randn(4).requiresGrad_(true);
      const x4 = torch.randn(2, 4, 3).requiresGrad_(true);
      expect(gradcheck((a, ww) => F.groupNorm(a, 2, ww), [x4, gw], tol)).toBe(true);
    });

    it("errors", () => {
      expect(() => F.layerNorm(torch.zeros(2, 3), [4])).toThrow("Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]");
      expect(() => F.layerNorm(torch.zeros(2, 3), [3], torch.zeros(2))).toThrow(
        "Expected weight to be of same shape as normalized_shape, but got weight of shape [2] and normalized_shape = [3]",
      );
      expect(() => new nn.GroupNorm(2, 5)).toThrow("num_channels must be divisible by num_groups");
      expect(() => F.groupNorm(torch.zeros(2, 5, 3), 2)).toThrow(
        "Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 5, 3] and num_groups=2",
      );
    });
  });

  describe("F.normalize", () => {
    it("divides by max(‖x‖_p, eps) along dim; a zero row stays zero with a zero gradient", () => {
      const x = torch.tensor([[3, 4], [0, 0]]).requiresGrad_(true);
      const y = F.normalize(x);
      close(vals(y), [0.6, 0.8, 0, 0]);
      y.mul(torch.tensor([[1, 2], [3, 4]])).sum().backward();
      for (const g of vals(x.grad!)) expect(Number.isFinite(g)).toBe(true);
      expect(vals(x.grad!).slice(2)).toEqual([3e12, 4e12].map(Math.fround));
      close(vals(F.normalize(torch.tensor([[1, -3], [2, 2]]), { p: 1, dim: 0 })), [1 / 3, -3 / 5, 2 / 3, 2 / 5]);
      close(vals(F.normalize(torch.tensor([1, -4, 2]), Infinity, 0)), [0.25, -1, 0.5]);
    });

    it("passes gradcheck for p = 2, 1, 3 and inf", () => {
      torch.manualSeed(3);
      const x = torch.randn(3, 4).requiresGrad_(true);
      for (const p of [2, 1, 3, Infinity]) expect(gradcheck((a) => F.normalize(a, { p }), [x], { eps: 1e-3, rtol: 1e-2, atol: 1e-4 })).toBe(true);
    });
  });

  it("modules print as PyTorch's", () => {
    const reprs: [torch.nn.Module, string][] = [
      [new nn.BatchNorm1d(3), "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"],
      [new nn.BatchNorm2d(3, { momentum: null }), "BatchNorm2d(3, eps=1e-05, momentum=None, affine=True, track_running_stats=True)"],
      [new nn.InstanceNorm2d(3, { affine: true }), "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=False)"],
      [new nn.LayerNorm(4), "LayerNorm((4,), eps=1e-05, elementwise_affine=True)"],
      [new nn.LayerNorm([3, 4]), "LayerNorm((3, 4), eps=1e-05, elementwise_affine=True)"],
      [new nn.GroupNorm(2, 4), "GroupNorm(2, 4, eps=1e-05, affine=True)"],
    ];
    for (const [m, want] of reprs) expect(m.toString()).toBe(want);
  });
});
