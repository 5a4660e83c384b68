// The activations of nn.functional and torch.nn beyond relu/sigmoid/tanh/gelu: values against their
// formulas, gradcheck away from the kinks, PyTorch's subgradient at the kinks, no NaN gradient
// from an overflowing branch, in-place forms, module reprs, errors, and channel-wise dropout.
// Every test runs once per backend that loads. ref: PyTorch 1.13 (reprs and messages read off it).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { gradcheck } from "../lib/autograd/gradcheck.js";
import { resetWarnings } from "../lib/nn/warnings.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";
import { leaf } from "./helpers/grad_cases.js";

const { nn } = torch;
const F = nn.functional;

/** Values away from every kink the activations below have (0, ±0.5, ±1, ±3, 6, ...). */
const SMOOTH = [-4.2, -2.6, -1.7, -0.8, -0.3, 0.2, 0.7, 1.4, 2.3, 3.6, 6.4];

/** d f / d x at each point of xs (the backward of sum). */
function grad(fn: (x: Tensor) => Tensor, xs: number[]): number[] {
  const x = leaf(xs);
  fn(x).sum().backward();
  return vals(x.grad!);
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const softplus = (v: number) => Math.log1p(Math.exp(v));
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** name -> [the function, its formula per element] (the formulas are PyTorch's documented ones). */
const FORMULAS: Record<string, [(x: Tensor) => Tensor, (v: number) => number]> = {
  leakyRelu: [(x) => F.leakyRelu(x, 0.2), (v) => (v > 0 ? v : 0.2 * v)],
  elu: [(x) => F.elu(x, { alpha: 0.7 }), (v) => (v > 0 ? v : 0.7 * Math.expm1(v))],
  selu: [(x) => F.selu(x), (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v))],
  celu: [(x) => F.celu(x, 1.5), (v) => Math.max(0, v) + Math.min(0, 1.5 * Math.expm1(v / 1.5))],
  silu: [(x) => F.silu(x), (v) => v * sigmoid(v)],
  mish: [(x) => F.mish(x), (v) => v * Math.tanh(softplus(v))],
  softplus: [(x) => F.softplus(x, { beta: 2, threshold: 5 }), (v) => (2 * v > 5 ? v : softplus(2 * v) / 2)],
  hardtanh: [(x) => F.hardtanh(x, -2, 3), (v) => Math.min(Math.max(v, -2), 3)],
  relu6: [(x) => F.relu6(x), (v) => Math.min(Math.max(v, 0), 6)],
  hardsigmoid: [(x) => F.hardsigmoid(x), (v) => Math.min(Math.max(v + 3, 0), 6) / 6],
  hardswish: [(x) => F.hardswish(x), (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6],
  logsigmoid: [(x) => F.logsigmoid(x), (v) => Math.log(sigmoid(v))],
  softsign: [(x) => F.softsign(x), (v) => v / (1 + Math.abs(v))],
  tanhshrink: [(x) => F.tanhshrink(x), (v) => v - Math.tanh(v)],
  threshold: [(x) => F.threshold(x, 0.5, -7), (v) => (v > 0.5 ? v : -7)],
  hardshrink: [(x) => F.hardshrink(x, 1), (v) => (Math.abs(v) > 1 ? v : 0)],
  softshrink: [(x) => F.softshrink(x, { lambd: 1 }), (v) => (v > 1 ? v - 1 : v < -1 ? v + 1 : 0)],
};

let warnSpy: ReturnType<typeof vi.spyOn>;
const warnings = () => warnSpy.mock.calls.map((c: unknown[]) => String(c[0]));

describe.each(backends())("activations [%s]", (name) => {
  useBackend(name);
  beforeEach(() => {
    resetWarnings();
    warnSpy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  });
  afterEach(() => warnSpy.mockRestore());

  describe.each(Object.keys(FORMULAS))("F.%s", (fname) => {
    const [fn, formula] = FORMULAS[fname];
    it("gives its formula's values", () => {
      close(vals(fn(torch.tensor(SMOOTH))), SMOOTH.map(formula));
    });
    it("passes gradcheck away from its kinks", () => {
      expect(gradcheck(fn, [leaf(SMOOTH)])).toBe(true);
    });
  });

  it("prelu and glu pass gradcheck in every input", () => {
    torch.manualSeed(0);
    const x = torch.randn(2, 3, 2).requiresGrad_(true);
    const w = torch.tensor([0.25, -0.5, 1.5]).requiresGrad_(true);
    expect(gradcheck((a, b) => F.prelu(a, b), [x, w])).toBe(true);
    expect(gradcheck((a) => F.glu(a, 1), [torch.randn(2, 4, 3).requiresGrad_(true)])).toBe(true);
    expect(gradcheck((a) => F.glu(a), [torch.randn(3, 6).requiresGrad_(true)])).toBe(true);
  });

  describe("subgradients at the kinks are PyTorch's", () => {
    it("the negative side's at 0 for leaky_relu, elu, selu, celu and prelu", () => {
      expect(grad((x) => F.leakyRelu(x), [0])).toEqual([Math.fround(0.01)]);
      expect(grad((x) => F.elu(x, 2), [0])).toEqual([2]);
      close(grad((x) => F.selu(x), [0]), [SELU_SCALE * SELU_ALPHA]);
      expect(grad((x) => F.celu(x, 0.5), [0])).toEqual([1]); // alpha · (1/alpha) · exp(0)
      const w = torch.tensor([0.3]).requiresGrad_(true);
      const x = leaf([0, 2]);
      F.prelu(x, w).sum().backward();
      expect(vals(x.grad!)).toEqual([Math.fround(0.3), 1]);
      expect(vals(w.grad!)).toEqual([0]);
    });
    it("none at or beyond the bounds of hardtanh, relu6 and hardsigmoid", () => {
      expect(grad((x) => F.hardtanh(x), [-1.5, -1, 0, 1, 1.5])).toEqual([0, 0, 1, 0, 0]);
      expect(grad((x) => F.relu6(x), [-1, 0, 3, 6, 7])).toEqual([0, 0, 1, 0, 0]);
      close(grad((x) => F.hardsigmoid(x), [-4, -3, 0, 3, 4]), [0, 0, 1 / 6, 0, 0]);
    });
    it("hardswish: 0 below −3, −1/2 at −3, x/3 + 1/2 up to 3, 1 above", () => {
      close(grad((x) => F.hardswish(x), [-4, -3, 0, 1.5, 4]), [0, -0.5, 0.5, 1, 1]);
    });
    it("none at the threshold of threshold, hardshrink and softshrink (compared in float32)", () => {
      expect(grad((x) => F.threshold(x, 0.1, 20), [0.1, 0.2])).toEqual([0, 1]);
      expect(vals(F.threshold(torch.tensor([0.1, 0.2]), 0.1, 20))).toEqual([20, Math.fround(0.2)]);
      expect(grad((x) => F.hardshrink(x, 0.3), [-0.3, 0.3, 0.31, -0.31])).toEqual([0, 0, 1, 1]);
      expect(grad((x) => F.softshrink(x, 0.3), [-0.3, 0.3, 0.31, -0.31])).toEqual([0, 0, 1, 1]);
    });
    it("logsigmoid has slope 1/2 at 0", () => {
      expect(grad((x) => F.logsigmoid(x), [0])).toEqual([0.5]);
    });
    it("softplus is linear only where beta·x > threshold", () => {
      // beta·x = 6 > 5: x itself and slope 1; beta·x = 4: the curve.
      const x = leaf([3, 2]);
      const y = F.softplus(x, 2, 5);
      y.sum().backward();
      close(vals(y), [3, softplus(4) / 2]);
      close(vals(x.grad!), [1, sigmoid(4)]);
    });
  });

  it("no NaN from a branch that overflows: large and tiny inputs keep finite values and gradients", () => {
    const xs = [-1000, -100, 100, 1000];
    for (const fn of [F.elu, F.selu, F.celu, F.mish, F.softplus, F.logsigmoid, F.silu, (x: Tensor) => F.gelu(x, "tanh")]) {
      const x = leaf(xs);
      const y = fn(x);
      y.sum().backward();
      for (const v of [...vals(y), ...vals(x.grad!)]) expect(Number.isFinite(v)).toBe(true);
    }
    expect(vals(F.mish(torch.tensor([1000])))).toEqual([1000]);
    expect(vals(F.logsigmoid(torch.tensor([-1000, 1000])))).toEqual([-1000, -0]);
  });

  it("NaN stays NaN", () => {
    const nan = torch.tensor([NaN]);
    for (const fn of [F.leakyRelu, F.elu, F.hardtanh, F.relu6, F.hardsigmoid, F.hardswish, F.logsigmoid, F.softplus, F.mish]) {
      expect(vals(fn(nan))[0]).toBeNaN();
    }
  });

  it("inplace writes into the input (recorded under autograd; a leaf that requires grad is refused, as PyTorch)", () => {
    const x = torch.tensor([-2, 3]);
    expect(F.leakyRelu(x, 0.5, true)).toBe(x);
    expect(vals(x)).toEqual([-1, 3]);
    const y = torch.tensor([-2, 8]);
    new nn.ReLU6(true).forward(y);
    expect(vals(y)).toEqual([0, 6]);
    const w = torch.tensor([-2, 3]);
    expect(F.hardtanh_(w)).toBe(w);
    expect(vals(w)).toEqual([-1, 1]);
    const z = leaf([-2, 3]);
    expect(() => F.elu(z, { inplace: true })).toThrow(/a leaf Variable that requires grad is being used in an in-place operation/);
    expect(vals(z)).toEqual([-2, 3]);
    const h = z.mul(1);
    const out = F.elu(h, { inplace: true });
    expect(out).toBe(h);
    expect(out.gradFn?.name).toBe("EluBackward1");
    expect(vals(h)[0]).toBeCloseTo(Math.exp(-2) - 1, 6);
  });

  it("modules print as PyTorch's", () => {
    const reprs: [torch.nn.Module, string][] = [
      [new nn.LeakyReLU(), "LeakyReLU(negative_slope=0.01)"],
      [new nn.LeakyReLU(0.2, true), "LeakyReLU(negative_slope=0.2, inplace=True)"],
      [new nn.ELU(), "ELU(alpha=1.0)"],
      [new nn.CELU({ alpha: 0.5 }), "CELU(alpha=0.5)"],
      [new nn.SELU(), "SELU()"],
      [new nn.SiLU(true), "SiLU(inplace=True)"],
      [new nn.Mish(), "Mish()"],
      [new nn.Softplus(), "Softplus(beta=1, threshold=20)"],
      [new nn.Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)"],
      [new nn.ReLU6(), "ReLU6()"],
      [new nn.ReLU6(true), "ReLU6(inplace=True)"],
      [new nn.Hardsigmoid(), "Hardsigmoid()"],
      [new nn.Hardswish(true), "Hardswish()"],
      [new nn.LogSigmoid(), "LogSigmoid()"],
      [new nn.Softsign(), "Softsign()"],
      [new nn.Tanhshrink(), "Tanhshrink()"],
      [new nn.Threshold(0.1, 20), "Threshold(threshold=0.1, value=20)"],
      [new nn.Hardshrink(), "Hardshrink(0.5)"],
      [new nn.Softshrink(0.3), "Softshrink(0.3)"],
      [new nn.PReLU(), "PReLU(num_parameters=1)"],
      [new nn.GLU(), "GLU(dim=-1)"],
      [new nn.Dropout2d(), "Dropout2d(p=0.5, inplace=False)"],
      [new nn.Dropout1d(0.2), "Dropout1d(p=0.2, inplace=False)"],
    ];
    for (const [m, want] of reprs) expect(m.toString()).toBe(want);
  });

  it("modules forward to their functional forms", () => {
    const x = torch.tensor(SMOOTH);
    const pairs: [torch.nn.Module, Tensor][] = [
      [new nn.LeakyReLU(0.2), F.leakyRelu(x, 0.2)],
      [new nn.ELU(0.5), F.elu(x, 0.5)],
      [new nn.CELU(2), F.celu(x, 2)],
      [new nn.Softplus(2, 1), F.softplus(x, 2, 1)],
      [new nn.Hardtanh(-0.5, 1.5), F.hardtanh(x, -0.5, 1.5)],
      [new nn.Threshold(0.1, 20), F.threshold(x, 0.1, 20)],
      [new nn.Hardshrink(0.3), F.hardshrink(x, 0.3)],
      [new nn.Softshrink(), F.softshrink(x)],
    ];
    for (const [m, want] of pairs) expect(vals(m.forward(x))).toEqual(vals(want));
  });

  it("PReLU has a learnable weight per channel, filled with init", () => {
    const m = new nn.PReLU({ numParameters: 3, init: 0.1 });
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([["weight", [3]]]);
    expect(vals(m.weight)).toEqual(Array(3).fill(Math.fround(0.1)));
    const x = torch.tensor([[[-1, 2], [-2, 1], [0.5, -4]]]);
    m.forward(x).sum().backward();
    expect(vals(m.weight.grad!)).toEqual([-1, -2, -4]);
  });

  describe("errors (PyTorch's wording)", () => {
    it("glu needs an even dim and a non-scalar", () => {
      expect(() => F.glu(torch.zeros(2, 5))).toThrow("Halving dimension must be even, but dimension 1 is size 5");
      expect(() => F.glu(torch.tensor(1))).toThrow("glu does not support scalars because halving size must be even");
    });
    it("prelu checks the weight against the channels", () => {
      expect(() => F.prelu(torch.zeros(2, 3), torch.zeros(2))).toThrow(
        "Mismatch of parameter numbers and input channel size. Found parameter numbers = 2 and channel size = 3.",
      );
      expect(() => F.prelu(torch.zeros(2, 3), torch.zeros(3, 1))).toThrow("prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = 2");
    });
    it("softshrink refuses a negative lambda; Hardtanh wants max_val > min_val", () => {
      expect(() => F.softshrink(torch.zeros(2), -1)).toThrow("lambda must be greater or equal to 0, but found to be -1.");
      expect(() => new nn.Hardtanh(2, 1)).toThrow(RangeError);
    });
    it("arguments are type-checked", () => {
      expect(() => F.leakyRelu(torch.zeros(2), "0.1" as any)).toThrow(TypeError);
      expect(() => F.elu([1, 2] as any)).toThrow("elu(): argument 'input' (position 1) must be Tensor, not list");
      expect(() => new nn.ELU({ alpah: 1 } as any)).toThrow("unexpected keyword argument 'alpah'");
    });
  });

  describe("channel-wise dropout", () => {
    it("dropout2d zeroes whole channels and scales the rest by 1/(1-p)", () => {
      torch.manualSeed(3);
      const x = torch.ones(8, 16, 3, 3);
      const y = F.dropout2d(x, 0.25);
      const v = vals(y);
      const scale = Math.fround(1 / 0.75);
      let dropped = 0;
      for (let ch = 0; ch < 8 * 16; ch++) {
        const plane = v.slice(ch * 9, ch * 9 + 9);
        expect(new Set(plane).size).toBe(1);
        expect([0, scale]).toContain(plane[0]);
        if (plane[0] === 0) dropped++;
      }
      expect(dropped).toBeGreaterThan(10);
      expect(dropped).toBeLessThan(60);
    });
    it("gradients follow the mask; eval and p = 0 are the identity; p = 1 zeroes everything", () => {
      torch.manualSeed(4);
      const x = torch.randn(4, 5, 6).requiresGrad_(true);
      const m = new nn.Dropout1d(0.5);
      const y = m.forward(x);
      y.sum().backward();
      const mask = vals(y).map((v, i) => (v === 0 ? 0 : v / vals(x)[i]));
      vals(x.grad!).forEach((g, i) => expect(g).toBeCloseTo(mask[i], 5));
      m.eval();
      expect(m.forward(x)).toBe(x);
      expect(F.dropout2d(x, 0)).toBe(x);
      expect(vals(F.dropout2d(torch.ones(2, 2, 2, 2), 1))).toEqual(Array(16).fill(0));
    });
    it("dropout1d takes (C, L) input too and refuses other ranks", () => {
      torch.manualSeed(5);
      const y = F.dropout1d(torch.ones(6, 4), 0.5);
      expect(y.shape).toEqual([6, 4]);
      expect(() => F.dropout1d(torch.ones(2, 2, 2, 2))).toThrow("dropout1d: Expected 2D or 3D input, but received a 4D input.");
    });
    it("dropout2d warns on 3-D input that it treats it as (N, C, L)", () => {
      F.dropout2d(torch.ones(2, 3, 4));
      expect(warnings()[0]).toMatch(/^dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout/);
    });
  });
});
