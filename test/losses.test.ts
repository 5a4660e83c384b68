// The losses (nn.functional forms and modules) against plain double-precision JS references of
// PyTorch 1.13's formulas: every reduction, weights, ignoreIndex, label smoothing, probability and
// unbatched/K-dim targets, the edge cases (all ignored, clamped logs, huge logits), gradients by
// gradcheck, the lecture's values, warnings and PyTorch's error messages. Runs per backend.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { resetWarnings } from "../lib/nn/warnings.js";
import { backends, vals, useBackend } from "./helpers/backends.js";

const { nn } = torch;
const F = nn.functional;


const rows = (t: Tensor): number[][] => t.detach().tolist();
const long = (xs: number | number[] | number[][]) => torch.tensor(xs, { dtype: "int64" });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Float32 results vs double references: relative 1e-5 plus a small absolute floor. */
function expectClose(got: Tensor | number, want: number | number[], rtol = 1e-5, atol = 1e-6): void {
  const g = typeof got === "number" ? [got] : vals(got);
  const w = typeof want === "number" ? [want] : want;
  expect(g.length).toBe(w.length);
  g.forEach((v, i) => {
    if (Number.isNaN(w[i])) expect(v).toBeNaN();
    else expect(Math.abs(v - w[i]), `element ${i}: got ${v}, want ${w[i]}`).toBeLessThanOrEqual(atol + rtol * Math.abs(w[i]));
  });
}

function logSoftmaxRef(r: number[]): number[] {
  const m = Math.max(...r);
  const lse = m + Math.log(sum(r.map((v) => Math.exp(v - m))));
  return r.map((v) => v - lse);
}

/** Cross entropy with class indices, straight from the formula (PyTorch 1.13 denominators). */
function ceIndexRef(x: number[][], y: number[], o: { weight?: number[]; ignoreIndex?: number; ls?: number; reduction?: string } = {}) {
  const C = x[0].length;
  const w = o.weight ?? new Array(C).fill(1);
  const ls = o.ls ?? 0;
  const ign = o.ignoreIndex ?? -100;
  const per: number[] = [];
  let denom = 0;
  x.forEach((r, i) => {
    if (y[i] === ign) return per.push(0);
    const lp = logSoftmaxRef(r);
    const nll = -w[y[i]] * lp[y[i]];
    const smooth = -sum(lp.map((v, c) => w[c] * v));
    denom += w[y[i]];
    per.push((1 - ls) * nll + (ls / C) * smooth);
  });
  const red = o.reduction ?? "mean";
  return red === "none" ? per : red === "sum" ? sum(per) : sum(per) / denom;
}

let warnSpy: ReturnType<typeof vi.spyOn>;
const warnings = () => warnSpy.mock.calls.map((c: unknown[]) => String(c[0]));

describe.each(backends())("losses [%s]", (name) => {
  useBackend(name);
  beforeEach(() => {
    resetWarnings();
    warnSpy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  });
  afterEach(() => warnSpy.mockRestore());

  const logits = () => {
    torch.manualSeed(11);
    return torch.randn(5, 4).requiresGrad_(true);
  };
  const y = long([3, 0, 2, 2, 1]);

  describe("CrossEntropyLoss with class indices", () => {
    it("matches the formula for every reduction", () => {
      const x = logits();
      for (const reduction of ["mean", "sum", "none"] as const) {
        expectClose(F.crossEntropy(x, y, { reduction }), ceIndexRef(rows(x), vals(y), { reduction }));
        expectClose(new nn.CrossEntropyLoss({ reduction }).forward(x, y), ceIndexRef(rows(x), vals(y), { reduction }));
      }
      expect(F.crossEntropy(x, y).shape).toEqual([]);
      expect(F.crossEntropy(x, y, { reduction: "none" }).shape).toEqual([5]);
      expect(String(F.crossEntropy(x, y))).toContain("grad_fn=<NllLossBackward0>");
    });

    it("weighted mean divides by the summed weight of the targets; ignored rows count nowhere", () => {
      const x = logits();
      const weight = [0.5, 2, 1, 3];
      const wt = torch.tensor(weight);
      expectClose(new nn.CrossEntropyLoss(wt).forward(x, y), ceIndexRef(rows(x), vals(y), { weight }));
      expectClose(F.crossEntropy(x, y, { weight: wt, reduction: "none" }), ceIndexRef(rows(x), vals(y), { weight, reduction: "none" }));
      const yi = long([3, -100, 2, -100, 1]);
      expectClose(F.crossEntropy(x, yi), ceIndexRef(rows(x), vals(yi)));
      const y2 = long([3, 2, 2, 0, 1]);
      expectClose(F.crossEntropy(x, y2, { weight: wt, ignoreIndex: 2 }), ceIndexRef(rows(x), vals(y2), { weight, ignoreIndex: 2 }));
    });

    it("label smoothing mixes in the uniform term with the same denominator", () => {
      const x = logits();
      const weight = [0.5, 2, 1, 3];
      const yi = long([3, 1, 2, -100, 1]);
      for (const ls of [0.1, 0.35]) {
        expectClose(F.crossEntropy(x, yi, { labelSmoothing: ls }), ceIndexRef(rows(x), vals(yi), { ls }));
        expectClose(
          new nn.CrossEntropyLoss({ weight: torch.tensor(weight), labelSmoothing: ls }).forward(x, yi),
          ceIndexRef(rows(x), vals(yi), { weight, ls }),
        );
        expectClose(F.crossEntropy(x, yi, { labelSmoothing: ls, reduction: "sum" }), ceIndexRef(rows(x), vals(yi), { ls, reduction: "sum" }));
      }
    });

    it("all targets ignored: the mean is NaN and the gradient is zero", () => {
      const x = logits();
      const loss = F.crossEntropy(x, long([1, 1, 1, 1, 1]), { ignoreIndex: 1 });
      expect(loss.item()).toBeNaN();
      loss.backward();
      expect(vals(x.grad!).every((v) => v === 0)).toBe(true);
    });

    it("is stable for huge logits, handles unbatched and K-dimensional input", () => {
      const big = torch.tensor([[1000, 0, -1000], [-500, 500, 0]]);
      expectClose(F.crossEntropy(big, long([0, 0]), { reduction: "none" }), [0, 1000], 1e-6);
      const v = torch.tensor([0.1, -0.4, 2.0, 0.3]);
      expectClose(F.crossEntropy(v, long(2)), ceIndexRef([vals(v)], [2]));
      expect(F.crossEntropy(v, long(2), { reduction: "none" }).shape).toEqual([]);
      torch.manualSeed(3);
      const k = torch.randn(2, 3, 4); // [N, C, d1]
      const tk = long([[0, 2, 1, 1], [2, 2, 0, 1]]);
      const perPos = rows(k.permute(0, 2, 1).reshape(8, 3));
      expectClose(F.crossEntropy(k, tk, { reduction: "none" }), ceIndexRef(perPos, vals(tk), { reduction: "none" }));
      expect(F.crossEntropy(k, tk, { reduction: "none" }).shape).toEqual([2, 4]);
      expectClose(F.crossEntropy(k, tk), ceIndexRef(perPos, vals(tk)));
    });

    it("gradients agree with finite differences", () => {
      const x = logits();
      const wt = torch.tensor([0.5, 2, 1, 3]);
      expect(torch.gradcheck((t) => F.crossEntropy(t, y, { weight: wt, labelSmoothing: 0.2 }), [x])).toBe(true);
      expect(torch.gradcheck((t) => F.crossEntropy(t, long([3, -100, 2, 0, 1]), { reduction: "none" }), [x])).toBe(true);
    });
  });

  describe("CrossEntropyLoss with class probabilities", () => {
    const ref = (x: number[][], t: number[][], w: number[] | null, ls: number) =>
      x.map((r, i) => {
        const lp = logSoftmaxRef(r);
        const C = r.length;
        return -sum(lp.map((v, c) => (w ? w[c] : 1) * (t[i][c] * (1 - ls) + ls / C) * v));
      });

    it("a float target of the input's shape is a distribution; weighted mean still divides by N", () => {
      const x = logits();
      torch.manualSeed(4);
      const t = torch.rand(5, 4).softmax(1);
      const w = [0.5, 2, 1, 3];
      expectClose(F.crossEntropy(x, t, { reduction: "none" }), ref(rows(x), rows(t), null, 0));
      expectClose(F.crossEntropy(x, t), sum(ref(rows(x), rows(t), null, 0)) / 5);
      expectClose(F.crossEntropy(x, t, { weight: torch.tensor(w) }), sum(ref(rows(x), rows(t), w, 0)) / 5);
      expectClose(F.crossEntropy(x, t, { labelSmoothing: 0.1, reduction: "sum" }), sum(ref(rows(x), rows(t), null, 0.1)));
      expect(torch.gradcheck((a) => F.crossEntropy(a, t, { weight: torch.tensor(w) }), [x])).toBe(true);
    });

    it("the lecture's demo: softmax output vs a one-hot float target (log_softmax applied again)", () => {
      const p = torch.tensor([0.1, 0.2, 0.6, 0.1]);
      const target = torch.tensor([0, 0, 1, 0]);
      expectClose(new nn.CrossEntropyLoss().forward(p, target), -logSoftmaxRef(vals(p))[2]);
      expect(new nn.CrossEntropyLoss().forward(p, target).shape).toEqual([]);
      expectClose(F.crossEntropy(p, long(2)), -logSoftmaxRef(vals(p))[2]);
    });
  });

  describe("NLLLoss", () => {
    it("takes log-probabilities as given (no log_softmax)", () => {
      const x = torch.tensor([[-0.5, -1.5, -3], [-2, -0.1, -4]]);
      const t = long([2, 1]);
      expectClose(F.nllLoss(x, t), (3 + 0.1) / 2);
      expectClose(new nn.NLLLoss({ reduction: "none" }).forward(x, t), [3, 0.1]);
      expectClose(new nn.NLLLoss(torch.tensor([1, 1, 4])).forward(x, t), (4 * 3 + 0.1) / 5);
      expectClose(F.nllLoss(x, long([-100, 1]), { reduction: "sum" }), 0.1);
      expectClose(F.nllLoss(torch.tensor([5, -2, 7]), long(1)), 2);
    });
  });

  describe("MultiMarginLoss", () => {
    const ref = (x: number[][], t: number[], p: number, margin: number, w?: number[]) =>
      x.map((r, i) => sum(r.map((v, c) => (c === t[i] ? 0 : Math.max(0, margin - r[t[i]] + v) ** p * (w ? w[t[i]] : 1)))) / r.length);

    it("the lecture's values: 0.32499998807907104 and 0.0", () => {
      const loss = new nn.MultiMarginLoss();
      expect(loss.forward(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), long([3])).item()).toBe(0.32499998807907104);
      expect(loss.forward(torch.tensor([[0.1, 0.2, 0.4, 2.5]]), long([3])).item()).toBe(0);
    });

    it("divides by C, supports p = 2, margin, weight and every reduction", () => {
      const x = logits();
      const t = vals(y);
      expectClose(F.multiMarginLoss(x, y), sum(ref(rows(x), t, 1, 1)) / 5);
      expectClose(F.multiMarginLoss(x, y, { p: 2, margin: 0.5, reduction: "none" }), ref(rows(x), t, 2, 0.5));
      const w = [0.5, 2, 1, 3];
      expectClose(new nn.MultiMarginLoss({ weight: torch.tensor(w), reduction: "sum" }).forward(x, y), sum(ref(rows(x), t, 1, 1, w)));
      expectClose(F.multiMarginLoss(torch.tensor([0.3, 1, -0.2]), long(1)), sum(ref([[0.3, 1, -0.2]], [1], 1, 1)));
      expect(F.multiMarginLoss(torch.tensor([0.3, 1, -0.2]), long(1), { reduction: "none" }).shape).toEqual([]);
      expect(F.multiMarginLoss(torch.tensor([0.3, 1, -0.2]), long([1]), { reduction: "none" }).shape).toEqual([1]);
      expect(torch.gradcheck((a) => F.multiMarginLoss(a, y, { p: 2, weight: torch.tensor(w) }), [x])).toBe(true);
    });
  });

  describe("KLDivLoss", () => {
    const input = () => torch.tensor([[-1.2, -0.4, -2.3], [-0.7, -1.9, -0.9]]).requiresGrad_(true);
    const target = torch.tensor([[0.2, 0.5, 0.3], [0, 0.6, 0.4]]);
    const point = (x: number[], t: number[]) => x.map((v, i) => (t[i] === 0 ? 0 : t[i] * (Math.log(t[i]) - v)));

    it("'mean' (the default) divides by the element count and warns once, as PyTorch 1.13", () => {
      const x = input();
      const kl = new nn.KLDivLoss();
      expectClose(kl.forward(x, target), sum(point(vals(x), vals(target))) / 6);
      kl.forward(x, target);
      expect(warnings()).toEqual([
        "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.",
      ]);
    });

    it("'batchmean', 'sum', 'none' (0 where target is 0) and logTarget", () => {
      const x = input();
      const pw = point(vals(x), vals(target));
      expectClose(F.klDiv(x, target, { reduction: "batchmean" }), sum(pw) / 2);
      expectClose(F.klDiv(x, target, { reduction: "sum" }), sum(pw));
      expectClose(new nn.KLDivLoss({ reduction: "none" }).forward(x, target), pw);
      const lt = target.add(0.1).log();
      const logPw = vals(x).map((v, i) => Math.exp(vals(lt)[i]) * (vals(lt)[i] - v));
      expectClose(new nn.KLDivLoss({ reduction: "batchmean", logTarget: true }).forward(x, lt), sum(logPw) / 2);
      expect(warnings()).toEqual([]);
      expect(torch.gradcheck((a) => F.klDiv(a, target, { reduction: "batchmean" }), [x])).toBe(true);
    });
  });

  describe("regression losses", () => {
    const pair = () => {
      torch.manualSeed(21);
      return [torch.randn(3, 4).requiresGrad_(true), torch.randn(3, 4)];
    };
    const diffs = (a: Tensor, b: Tensor) => vals(a).map((v, i) => v - vals(b)[i]);

    it("MSELoss and L1Loss", () => {
      const [a, b] = pair();
      const d = diffs(a, b);
      expectClose(new nn.MSELoss().forward(a, b), sum(d.map((v) => v * v)) / 12);
      expectClose(F.mseLoss(a, b, { reduction: "sum" }), sum(d.map((v) => v * v)));
      expectClose(new nn.L1Loss({ reduction: "none" }).forward(a, b), d.map(Math.abs));
      expectClose(F.l1Loss(a, b), sum(d.map(Math.abs)) / 12);
      expect(torch.gradcheck((t) => F.mseLoss(t, b), [a])).toBe(true);
      expect(torch.gradcheck((t) => F.l1Loss(t, b, { reduction: "sum" }), [a])).toBe(true);
    });

    it("the gradient of |x − y| is 0 where x == y", () => {
      const x = torch.tensor([1, 2, 3], { requiresGrad: true });
      F.l1Loss(x, torch.tensor([1, 0, 5]), { reduction: "sum" }).backward();
      expect(vals(x.grad!)).toEqual([0, 1, -1]);
    });

    it("SmoothL1Loss (beta) and HuberLoss (delta) switch at the boundary; beta = 0 is L1", () => {
      const x = torch.tensor([0, 0.5, 1, 1.5, -3, 2]);
      const t = torch.zeros(6);
      const smooth = (d: number, beta: number) => (Math.abs(d) < beta ? (0.5 * d * d) / beta : Math.abs(d) - 0.5 * beta);
      const huber = (d: number, delta: number) => (Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta));
      expectClose(F.smoothL1Loss(x, t, { reduction: "none" }), vals(x).map((d) => smooth(d, 1)));
      expectClose(new nn.SmoothL1Loss({ beta: 0.5, reduction: "sum" }).forward(x, t), sum(vals(x).map((d) => smooth(d, 0.5))));
      expectClose(F.smoothL1Loss(x, t, { beta: 0, reduction: "none" }), vals(x).map(Math.abs));
      expectClose(new nn.HuberLoss({ reduction: "none" }).forward(x, t), vals(x).map((d) => huber(d, 1)));
      expectClose(new nn.HuberLoss("sum", 2).forward(x, t), sum(vals(x).map((d) => huber(d, 2))));
      const xg = torch.tensor([0.3, -0.8, 1, 2.5, -4], { requiresGrad: true });
      F.huberLoss(xg, torch.zeros(5), { reduction: "sum", delta: 1 }).backward();
      expectClose(xg.grad!, [0.3, -0.8, 1, 1, -1]);
      const [a, b] = pair();
      expect(torch.gradcheck((v) => F.smoothL1Loss(v, b, { beta: 0.7 }), [a])).toBe(true);
      expect(torch.gradcheck((v) => F.huberLoss(v, b, { delta: 0.6 }), [a])).toBe(true);
    });

    it("warns about broadcasting when the target's shape differs", () => {
      const loss = F.mseLoss(torch.ones(3, 5), torch.zeros(5));
      expect(loss.item()).toBe(1);
      expect(warnings()).toEqual([
        "Using a target size (torch.Size([5])) that is different to the input size (torch.Size([3, 5])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
      ]);
      expect(() => F.l1Loss(torch.ones(3, 5), torch.ones(4, 5))).toThrow("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0");
    });
  });

  describe("binary cross entropy", () => {
    const bceRef = (p: number, t: number, w = 1) => -w * (t * Math.max(Math.log(p), -100) + (1 - t) * Math.max(Math.log(1 - p), -100));

    it("BCELoss: formula, weight broadcast, and log clamped at −100", () => {
      const p = torch.tensor([[0.2, 0.9, 0.5], [0.7, 0.05, 0.999]]);
      const t = torch.tensor([[0, 1, 1], [0.3, 0, 1]]);
      const ref = vals(p).map((v, i) => bceRef(v, vals(t)[i]));
      expectClose(new nn.BCELoss({ reduction: "none" }).forward(p, t), ref);
      expectClose(F.binaryCrossEntropy(p, t), sum(ref) / 6);
      const w = [1, 2, 0.5];
      expectClose(new nn.BCELoss(torch.tensor(w), { reduction: "sum" }).forward(p, t), sum(vals(p).map((v, i) => bceRef(v, vals(t)[i], w[i % 3]))));
      expectClose(F.binaryCrossEntropy(torch.tensor([0, 1, 0]), torch.tensor([1, 0, 0]), { reduction: "none" }), [100, 100, 0]);
    });

    it("BCELoss's gradient is PyTorch's w·(x − y)/max(x(1 − x), 1e-12), finite at 0 and 1", () => {
      const x = torch.tensor([0, 0.25, 1], { requiresGrad: true });
      F.binaryCrossEntropy(x, torch.tensor([1, 1, 0]), { reduction: "sum" }).backward();
      const eps = Math.fround(1e-12);
      expect(vals(x.grad!)).toEqual([Math.fround(-1 / eps), Math.fround(-0.75 / Math.fround(0.75 * 0.25)), Math.fround(1 / eps)]);
      const p = torch.tensor([[0.2, 0.9], [0.6, 0.35]], { requiresGrad: true });
      const tt = torch.tensor([[0, 1], [0.3, 1]]);
      expect(torch.gradcheck((v) => F.binaryCrossEntropy(v, tt, { weight: torch.tensor([2, 0.5]) }), [p], { eps: 1e-3 })).toBe(true);
    });

    it("BCEWithLogitsLoss is stable for huge logits; posWeight scales only the positive term", () => {
      const ref = (x: number, t: number, pw = 1, w = 1) => {
        const softplusNeg = Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x))); // log(1 + e^−x)
        return w * ((1 - t) * x + (1 + (pw - 1) * t) * softplusNeg);
      };
      const x = torch.tensor([[100, -100, 0.3], [-2, 40, -0.7]]);
      const t = torch.tensor([[1, 1, 0], [0.2, 0, 1]]);
      expectClose(F.binaryCrossEntropyWithLogits(x, t, { reduction: "none" }), vals(x).map((v, i) => ref(v, vals(t)[i])));
      const pw = [3, 0.5, 2];
      const w = [1, 2];
      const loss = new nn.BCEWithLogitsLoss({ posWeight: torch.tensor(pw), weight: torch.tensor([[1], [2]]), reduction: "none" });
      expectClose(loss.forward(x, t), vals(x).map((v, i) => ref(v, vals(t)[i], pw[i % 3], w[Math.floor(i / 3)])));
      expect(Object.keys(loss.stateDict())).toEqual(["weight", "pos_weight"]);
      const xs = torch.tensor([[1.2, -0.4, 0.3], [-2, 0.8, -0.7]], { requiresGrad: true });
      expect(torch.gradcheck((v) => F.binaryCrossEntropyWithLogits(v, t, { posWeight: torch.tensor(pw) }), [xs])).toBe(true);
      const big = torch.tensor([100, -100], { requiresGrad: true });
      F.binaryCrossEntropyWithLogits(big, torch.tensor([0, 1]), { reduction: "sum" }).backward();
      expectClose(big.grad!, [1, -1]);
    });
  });

  describe("arguments and errors", () => {
    it("validates reduction and maps the deprecated sizeAverage/reduce with PyTorch's warning", () => {
      expect(() => new nn.MSELoss({ reduction: "avg" as never })).toThrow("avg is not a valid value for reduction");
      expect(() => F.crossEntropy(logits(), y, { reduction: "batchmean" as never })).toThrow("batchmean is not a valid value for reduction");
      expect(new nn.L1Loss({ sizeAverage: false }).reduction).toBe("sum");
      expect(warnings()).toEqual(["size_average and reduce args will be deprecated, please use reduction='sum' instead."]);
      expect(new nn.CrossEntropyLoss(null, null, 3).ignoreIndex).toBe(3);
      expect(() => new nn.CrossEntropyLoss({ ignore_index: 3 } as never)).toThrow(/unexpected keyword argument 'ignore_index' \(options use camelCase: "ignoreIndex"\)/);
    });

    it("reports bad targets in PyTorch's words", () => {
      const x = torch.randn(3, 5);
      expect(() => F.crossEntropy(x, long([0, 1, 12]))).toThrow("Target 12 is out of bounds.");
      expect(() => F.crossEntropy(x, long([0, 1, -3]))).toThrow("Target -3 is out of bounds.");
      expect(() => F.crossEntropy(x, torch.zeros(3))).toThrow("expected scalar type Long but found Float");
      expect(() => F.nllLoss(x, torch.zeros(3))).toThrow("expected scalar type Long but found Float");
      expect(() => F.crossEntropy(x, long([0, 1, 2, 3]))).toThrow("Expected input batch_size (3) to match target batch_size (4).");
      expect(() => F.crossEntropy(x, torch.zeros(3, 5, { dtype: "int64" }))).toThrow("Expected floating point type for target with class probabilities, got Long");
      expect(() => F.crossEntropy(x, torch.zeros(3, 4))).toThrow("0D or 1D target tensor expected, multi-target not supported");
      expect(() => F.crossEntropy(x, long([0, 1, 2]), { weight: torch.ones(4) })).toThrow(
        "weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [4]",
      );
      expect(() => F.crossEntropy(x, long([0, 1, 2]), { labelSmoothing: 1.5 })).toThrow("label_smoothing must be between 0.0 and 1.0. Got: 1.5");
      expect(() => F.crossEntropy(torch.randn(2, 3, 4), torch.zeros(2, 5, { dtype: "int64" }))).toThrow("Expected target size [2, 4], got [2, 5]");
      expect(() => F.crossEntropy(torch.randn(2, 3), torch.rand(2, 3), { ignoreIndex: 1 })).toThrow("ignore_index is not supported for floating point target");
      expect(() => F.multiMarginLoss(x, long([0, 1, 7]))).toThrow("target out of range");
      expect(() => F.multiMarginLoss(x, long([0, 1]))).toThrow("inconsistent target size, got: [2]");
      expect(() => new nn.MultiMarginLoss({ p: 3 as never })).toThrow("only p == 1 and p == 2 supported");
      expect(() => F.smoothL1Loss(x, x, { beta: -1 })).toThrow("smooth_l1_loss does not support negative values for beta.");
      expect(() => F.huberLoss(x, x, { delta: 0 })).toThrow("huber_loss does not support non-positive values for delta.");
      expect(() => F.binaryCrossEntropy(torch.rand(3), torch.rand(4))).toThrow(
        "Using a target size (torch.Size([4])) that is different to the input size (torch.Size([3])) is deprecated. Please ensure they have the same size.",
      );
      expect(() => F.binaryCrossEntropy(torch.tensor([1.5]), torch.tensor([1]))).toThrow("all elements of input should be between 0 and 1");
      expect(() => F.binaryCrossEntropyWithLogits(torch.rand(3), torch.rand(4))).toThrow("Target size (torch.Size([4])) must be the same as input size (torch.Size([3]))");
      expect(() => F.mseLoss(long([1, 2]), long([1, 2]))).toThrow(`"mse_cpu" not implemented for 'Long'`);
      expect(() => F.crossEntropy([1, 2] as never, y)).toThrow("cross_entropy(): argument 'input' (position 1) must be Tensor, not list");
    });
  });
});
