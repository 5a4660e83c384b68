// The ranking, embedding and likelihood losses (MarginRanking, HingeEmbedding, CosineEmbedding,
// SoftMargin, MultiLabelSoftMargin, TripletMargin, PoissonNLL, GaussianNLL): F.* forms and modules
// against double-precision loops over the elements written from PyTorch 1.13's formulas, every
// reduction, broadcasting, gradients by gradcheck on float64, PyTorch's error messages. Per backend.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { data, expectClose, f64, muteWarnings } from "./helpers/f64_values.js";

const { nn } = torch;
const F = nn.functional;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const reduce = (per: number[], r: string): number | number[] => (r === "none" ? per : r === "sum" ? sum(per) : sum(per) / per.length);

const leaf = (xs: number[], shape: number[]) => f64(xs, shape).requiresGrad_(true);
const REDUCTIONS = ["mean", "sum", "none"] as const;

describe.each(backends())("extra losses [%s]", (name) => {
  useBackend(name);
  muteWarnings();

  describe("MarginRankingLoss", () => {
    const x1 = data(6, 1), x2 = data(6, 2), y = [1, -1, 1, -1, 1, -1];
    const ref = (margin: number) => x1.map((a, i) => Math.max(0, -y[i] * (a - x2[i]) + margin));
    it("is max(0, −y·(x1 − x2) + margin) for every reduction", () => {
      for (const reduction of REDUCTIONS) {
        expectClose(F.marginRankingLoss(f64(x1), f64(x2), f64(y), { margin: 0.5, reduction }), reduce(ref(0.5), reduction));
        expectClose(new nn.MarginRankingLoss({ margin: 0.5, reduction })(f64(x1), f64(x2), f64(y)), reduce(ref(0.5), reduction));
      }
      expectClose(new nn.MarginRankingLoss()(f64(x1), f64(x2), f64(y)), reduce(ref(0), "mean"));
    });
    it("broadcasts inputs of the same rank", () => {
      const out = F.marginRankingLoss(f64(x1.slice(0, 3), [3, 1]), f64(x2.slice(0, 2), [1, 2]), f64([1, -1, 1], [3, 1]), { reduction: "none" });
      expect(out.shape).toEqual([3, 2]);
      const want = [0, 1, 2].flatMap((i) => [0, 1].map((j) => Math.max(0, -[1, -1, 1][i] * (x1[i] - x2[j]))));
      expectClose(out, want);
    });
    it("has gradients (gradcheck)", () => {
      expect(torch.gradcheck((a, b) => F.marginRankingLoss(a, b, f64(y), { margin: 0.1 }), [leaf(x1, [6]), leaf(x2, [6])])).toBe(true);
    });
    it("refuses inputs of different ranks with PyTorch's message", () => {
      expect(() => F.marginRankingLoss(f64(x1), f64(x2), f64(y, [6, 1]))).toThrow(
        "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([6]), input2: torch.Size([6]), target: torch.Size([6, 1]) ",
      );
      expect(() => F.marginRankingLoss(f64(x1), f64(x2), f64(y), { reduction: "avg" as never })).toThrow("avg is not a valid value for reduction");
    });
  });

  describe("HingeEmbeddingLoss", () => {
    const x = data(8, 3), y = [1, -1, 1, -1, 0, 2, -1, 1];
    // ATen's where-sum: both terms apply to a target that is neither 1 nor −1.
    const ref = (m: number) => x.map((v, i) => (y[i] !== 1 ? Math.max(0, m - v) : 0) + (y[i] !== -1 ? v : 0));
    it("is x for y = 1 and max(0, margin − x) for y = −1, for every reduction", () => {
      for (const reduction of REDUCTIONS) {
        expectClose(F.hingeEmbeddingLoss(f64(x), f64(y), { reduction }), reduce(ref(1), reduction));
        expectClose(new nn.HingeEmbeddingLoss(0.3, { reduction })(f64(x), f64(y)), reduce(ref(0.3), reduction));
      }
    });
    it("broadcasts target against input; gradcheck", () => {
      expect(F.hingeEmbeddingLoss(f64(x.slice(0, 3), [3, 1]), f64([1, -1, 1]), { reduction: "none" }).shape).toEqual([3, 3]);
      expect(torch.gradcheck((a) => F.hingeEmbeddingLoss(a, f64(y), { margin: 0.7, reduction: "sum" }), [leaf(x, [8])])).toBe(true);
    });
  });

  describe("SoftMarginLoss", () => {
    const x = data(6, 4), y = [1, -1, -1, 1, 1, -1];
    const ref = x.map((v, i) => Math.log1p(Math.exp(-y[i] * v)));
    it("is log(1 + exp(−y·x)) for every reduction", () => {
      for (const reduction of REDUCTIONS) {
        expectClose(F.softMarginLoss(f64(x, [2, 3]), f64(y, [2, 3]), { reduction }), reduce(ref, reduction));
        expectClose(new nn.SoftMarginLoss({ reduction })(f64(x, [2, 3]), f64(y, [2, 3])), reduce(ref, reduction));
      }
    });
    it("lets target broadcast to input but not enlarge it", () => {
      expect(F.softMarginLoss(f64(x, [2, 3]), f64([1, -1, 1]), { reduction: "none" }).shape).toEqual([2, 3]);
      expect(() => F.softMarginLoss(f64(x.slice(0, 3), [3, 1]), f64([1, -1, 1]))).toThrow("output with shape [3, 1] doesn't match the broadcast shape [3, 3]");
    });
    it("has gradients (gradcheck)", () => {
      expect(torch.gradcheck((a) => F.softMarginLoss(a, f64(y)), [leaf(x, [6])])).toBe(true);
    });
  });

  describe("MultiLabelSoftMarginLoss", () => {
    const x = data(8, 5), y = [1, 0, 1, 1, 0, 0, 1, 0], w = [0.5, 1, 2, 0.25];
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const ref = (weight: number[] | null) =>
      [0, 1].map((n) => sum([0, 1, 2, 3].map((c) => {
        const v = x[n * 4 + c], t = y[n * 4 + c];
        return -(t * Math.log(sig(v)) + (1 - t) * Math.log(sig(-v))) * (weight ? weight[c] : 1);
      })) / 4);
    it("averages the per-class logistic loss over classes, weighted, for every reduction", () => {
      for (const reduction of REDUCTIONS) {
        expectClose(F.multilabelSoftMarginLoss(f64(x, [2, 4]), f64(y, [2, 4]), { reduction }), reduce(ref(null), reduction));
        const m = new nn.MultiLabelSoftMarginLoss(f64(w), { reduction });
        expectClose(m(f64(x, [2, 4]), f64(y, [2, 4])), reduce(ref(w), reduction));
      }
    });
    it("keeps weight as a buffer; gradcheck", () => {
      expect(Object.keys(new nn.MultiLabelSoftMarginLoss(f64(w)).stateDict())).toEqual(["weight"]);
      expect(torch.gradcheck((a) => F.multilabelSoftMarginLoss(a, f64(y, [2, 4]), { weight: f64(w) }), [leaf(x, [2, 4])])).toBe(true);
    });
    it("reduces over the last dim of any rank; PyTorch's errors", () => {
      expect(F.multilabelSoftMarginLoss(f64(x, [2, 2, 2]), f64(y, [2, 2, 2]), { reduction: "none" }).shape).toEqual([2, 2]);
      expect(() => F.multilabelSoftMarginLoss(f64([1]).reshape([]), f64([1]).reshape([]))).toThrow("Dimension specified as -1 but tensor has no dimensions");
      expect(() => F.multilabelSoftMarginLoss(f64(x, [2, 4]), f64(y, [2, 4]), { reduction: "bad" as never })).toThrow("bad is not valid");
    });
  });

  describe("CosineEmbeddingLoss", () => {
    const a = data(12, 6), b = data(12, 7), y = [1, -1, 1, 0];
    const cosRow = (n: number) => {
      let dot = 0, m1 = 0, m2 = 0;
      for (let d = 0; d < 3; d++) {
        const [u, v] = [a[n * 3 + d], b[n * 3 + d]];
        dot += u * v; m1 += u * u; m2 += v * v;
      }
      return dot / Math.sqrt((m1 + 1e-12) * (m2 + 1e-12));
    };
    const ref = (margin: number) => y.map((t, n) => (t === 1 ? 1 - cosRow(n) : t === -1 ? Math.max(0, cosRow(n) - margin) : 0));
    it("is 1 − cos for y = 1 and max(0, cos − margin) for y = −1 (0 otherwise), for every reduction", () => {
      for (const reduction of REDUCTIONS) {
        expectClose(F.cosineEmbeddingLoss(f64(a, [4, 3]), f64(b, [4, 3]), f64(y), { margin: -0.2, reduction }), reduce(ref(-0.2), reduction));
        expectClose(new nn.CosineEmbeddingLoss({ reduction })(f64(a, [4, 3]), f64(b, [4, 3]), f64(y)), reduce(ref(0), reduction));
      }
    });
    it("takes one pair with a 0-d target; a zero vector gives cos 0; gradcheck", () => {
      expectClose(F.cosineEmbeddingLoss(f64(a.slice(0, 3)), f64(b.slice(0, 3)), f64([1]).reshape([])), 1 - cosRow(0));
      expectClose(F.cosineEmbeddingLoss(f64([0, 0, 0]), f64([1, 2, 3]), f64([1]).reshape([])), 1);
      expect(torch.gradcheck((p, q) => F.cosineEmbeddingLoss(p, q, f64(y), { margin: -0.5 }), [leaf(a, [4, 3]), leaf(b, [4, 3])])).toBe(true);
    });
    it("refuses mismatched ranks with PyTorch's messages", () => {
      expect(() => F.cosineEmbeddingLoss(f64(a, [4, 3]), f64(b, [4, 3]), f64(y, [2, 2]))).toThrow("0D or 1D target tensor expected, multi-target not supported");
      expect(() => F.cosineEmbeddingLoss(f64(a.slice(0, 3)), f64(b.slice(0, 3)), f64(y))).toThrow(
        "1D target tensor expects 2D input tensors, but found inputs with sizes [3] and [3].",
      );
      expect(() => F.cosineEmbeddingLoss(f64(a, [4, 3]), f64(b, [4, 3]), f64([1]).reshape([]))).toThrow(
        "0D target tensor expects 1D input tensors, but found inputs with sizes [4, 3] and [4, 3].",
      );
    });
  });

  describe("TripletMarginLoss", () => {
    const A = data(12, 8), P = data(12, 9), N = data(12, 10);
    const dist = (u: number[], v: number[], n: number, p: number, eps = 1e-6) => {
      const d = [0, 1, 2].map((k) => Math.abs(u[n * 3 + k] - v[n * 3 + k] + eps));
      return p === Infinity ? Math.max(...d) : sum(d.map((e) => e ** p)) ** (1 / p);
    };
    const ref = (margin: number, p: number, swap: boolean) =>
      [0, 1, 2, 3].map((n) => {
        let dn = dist(A, N, n, p);
        if (swap) dn = Math.min(dn, dist(P, N, n, p));
        return Math.max(0, margin + dist(A, P, n, p) - dn);
      });
    it("is max(0, margin + d(a, p) − d(a, n)) with eps-shifted p-norm distances, swap, every reduction", () => {
      const t = (xs: number[]) => f64(xs, [4, 3]);
      for (const reduction of REDUCTIONS) {
        expectClose(F.tripletMarginLoss(t(A), t(P), t(N), { reduction }), reduce(ref(1, 2, false), reduction));
        expectClose(new nn.TripletMarginLoss({ margin: 2, p: 1, swap: true, reduction })(t(A), t(P), t(N)), reduce(ref(2, 1, true), reduction));
        expectClose(F.tripletMarginLoss(t(A), t(P), t(N), 0.5, 3, { reduction }), reduce(ref(0.5, 3, false), reduction));
      }
    });
    it("broadcasts same-rank inputs; gradcheck", () => {
      expect(F.tripletMarginLoss(f64(A.slice(0, 6), [2, 3]), f64(P.slice(0, 3), [1, 3]), f64(N.slice(0, 6), [2, 3]), { reduction: "none" }).shape).toEqual([2]);
      expect(torch.gradcheck((a, p, n) => F.tripletMarginLoss(a, p, n, { margin: 3, swap: true }), [leaf(A, [4, 3]), leaf(P, [4, 3]), leaf(N, [4, 3])])).toBe(true);
    });
    it("refuses inputs of different ranks with PyTorch's message", () => {
      expect(() => F.tripletMarginLoss(f64(A, [4, 3]), f64(P, [4, 3]), f64(N.slice(0, 3)))).toThrow("All inputs should have same dimension but got 2D, 2D and 1D inputs.");
    });
  });

  describe("PoissonNLLLoss", () => {
    const x = data(6, 11), y = [0, 1, 2, 3, 5, 1.5];
    const stirling = (t: number) => (t > 1 ? t * Math.log(t) - t + 0.5 * Math.log(2 * Math.PI * t) : 0);
    it("is exp(x) − y·x (log input) or x − y·log(x + eps), plus Stirling's term with full", () => {
      for (const reduction of REDUCTIONS) {
        const logRef = x.map((v, i) => Math.exp(v) - y[i] * v);
        expectClose(F.poissonNllLoss(f64(x), f64(y), { reduction }), reduce(logRef, reduction));
        expectClose(new nn.PoissonNLLLoss({ full: true, reduction })(f64(x), f64(y)), reduce(logRef.map((l, i) => l + stirling(y[i])), reduction));
        const rate = x.map(Math.abs);
        const rateRef = rate.map((v, i) => v - y[i] * Math.log(v + 1e-8) + stirling(y[i]));
        expectClose(F.poissonNllLoss(f64(rate), f64(y), { logInput: false, full: true, reduction }), reduce(rateRef, reduction));
      }
    });
    it("has gradients (gradcheck); PyTorch's reduction error", () => {
      expect(torch.gradcheck((a) => F.poissonNllLoss(a, f64(y), { full: true }), [leaf(x, [6])])).toBe(true);
      expect(torch.gradcheck((a) => F.poissonNllLoss(a, f64(y), false, { reduction: "sum" }), [leaf(x.map((v) => Math.abs(v) + 0.5), [6])])).toBe(true);
      expect(() => F.poissonNllLoss(f64(x), f64(y), { reduction: "bad" as never })).toThrow("bad is not valid");
    });
  });

  describe("GaussianNLLLoss", () => {
    const x = data(6, 12), t = data(6, 13);
    const ref = (v: (i: number) => number, full: boolean, eps = 1e-6) =>
      x.map((m, i) => {
        const vi = Math.max(v(i), eps);
        return 0.5 * (Math.log(vi) + (m - t[i]) ** 2 / vi) + (full ? 0.5 * Math.log(2 * Math.PI) : 0);
      });
    const het = [0.5, 1e-9, 2, 3, 0.1, 1];
    it("is ½(log var + (x − t)²/var) with var clamped at eps, for every reduction", () => {
      for (const reduction of REDUCTIONS) {
        expectClose(F.gaussianNllLoss(f64(x, [2, 3]), f64(t, [2, 3]), f64(het, [2, 3]), { reduction }), reduce(ref((i) => het[i], false), reduction));
        expectClose(new nn.GaussianNLLLoss({ full: true, reduction })(f64(x, [2, 3]), f64(t, [2, 3]), f64(het, [2, 3])), reduce(ref((i) => het[i], true), reduction));
      }
    });
    it("takes one variance per row, as [N] or [N, 1]", () => {
      const rowVar = (i: number) => [0.5, 2][Math.floor(i / 3)];
      for (const v of [f64([0.5, 2]), f64([0.5, 2], [2, 1])]) {
        expectClose(F.gaussianNllLoss(f64(x, [2, 3]), f64(t, [2, 3]), v, { reduction: "none" }), ref(rowVar, false));
      }
    });
    it("passes the gradient through the clamp, as PyTorch's no_grad clamp does", () => {
      const v = leaf(het, [6]);
      F.gaussianNllLoss(f64(x), f64(t), v, { reduction: "sum" }).backward();
      // d/dv of ½(log v + d²/v) at the clamped value max(v, eps), for every element.
      const want = het.map((vi, i) => {
        const c = Math.max(vi, 1e-6);
        return 0.5 * (1 / c - (x[i] - t[i]) ** 2 / (c * c));
      });
      expectClose(v.grad!, want, 1e-10);
      expect(torch.gradcheck((m, vv) => F.gaussianNllLoss(m, f64(t), vv, { full: true }), [leaf(x, [6]), leaf([0.5, 0.7, 2, 3, 0.1, 1], [6])])).toBe(true);
    });
    it("PyTorch's errors; keyword-only module options", () => {
      expect(() => F.gaussianNllLoss(f64(x, [2, 3]), f64(t, [2, 3]), f64([1, 1, 1]))).toThrow("var is of incorrect size");
      expect(() => F.gaussianNllLoss(f64(x), f64(t), f64(het).neg())).toThrow("var has negative entry/entries");
      expect(() => F.gaussianNllLoss(f64(x), f64(t), f64(het), { reduction: "bad" as never })).toThrow("bad is not valid");
      expect(() => new (nn.GaussianNLLLoss as unknown as new (full: boolean) => unknown)(true)).toThrow("takes at most 0 positional argument(s)");
    });
  });

  it("modules print as PyTorch's (no extra repr) and keep their options", () => {
    for (const M of [nn.MarginRankingLoss, nn.HingeEmbeddingLoss, nn.CosineEmbeddingLoss, nn.SoftMarginLoss, nn.MultiLabelSoftMarginLoss, nn.TripletMarginLoss, nn.PoissonNLLLoss, nn.GaussianNLLLoss]) {
      expect(String(new M())).toBe(`${M.name}()`);
    }
    const t = new nn.TripletMarginLoss();
    expect([t.margin, t.p, t.eps, t.swap, t.reduction]).toEqual([1, 2, 1e-6, false, "mean"]);
    const p = new nn.PoissonNLLLoss();
    expect([p.logInput, p.full, p.eps]).toEqual([true, false, 1e-8]);
    const g = new nn.GaussianNLLLoss();
    expect([g.full, g.eps]).toEqual([false, 1e-6]);
    expect([new nn.MarginRankingLoss().margin, new nn.HingeEmbeddingLoss().margin, new nn.CosineEmbeddingLoss().margin]).toEqual([0, 1, 0]);
    expect(() => new nn.MarginRankingLoss({ size_average: false } as never)).toThrow(/unexpected keyword argument 'size_average'/);
  });

  it("float32 inputs give float32 losses close to the double reference", () => {
    const a = data(12, 14), b = data(12, 15);
    const got = F.tripletMarginLoss(torch.tensor(a).reshape([4, 3]), torch.tensor(b).reshape([4, 3]), torch.tensor(b.map((v) => -v)).reshape([4, 3]));
    const want = F.tripletMarginLoss(f64(a, [4, 3]), f64(b, [4, 3]), f64(b.map((v) => -v), [4, 3]));
    expect(got.dtype).toBe("float32");
    expectClose(got, vals(want), 1e-5, 1e-6);
  });
});
