// gradgradcheck over every gradient rule in lib/autograd/grads.ts (a rule without a case fails, so a
// new primitive's rule must be differentiable too: createGraph runs the rules with grad enabled),
// plus the composites a training step uses (mean, cross-entropy) and gradgradcheck's own behaviour.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { gradgradcheck, type GradcheckOptions } from "../lib/autograd/gradcheck.js";
import { backends, useBackend } from "./helpers/backends.js";
import { MATH_KERNEL_CASES, awayFromSteps, awayFromZero, eachGradRule, leaf, positive, seeded } from "./helpers/grad_cases.js";

interface Case {
  fn: (...xs: Tensor[]) => Tensor | Tensor[];
  inputs: () => Tensor[];
  /** NOTE: second derivatives by float32 central differences of first derivatives are noisier. */
  opts?: GradcheckOptions;
  /** The rule throws (PyTorch has no derivative): gradgradcheck must raise this message. */
  throws?: string;
}

// Products with the input keep second derivatives non-trivial for rules that are linear in x.

const CASES: Record<string, Case> = {
  ...MATH_KERNEL_CASES,
  neg: { fn: (x) => x.neg().mul(x), inputs: () => [seeded(1, 2, 3)] },
  exp: { fn: (x) => x.exp(), inputs: () => [seeded(2, 2, 3)] },
  log: { fn: (x) => x.log(), inputs: () => [positive()] },
  log1p: { fn: (x) => x.log1p(), inputs: () => [positive()] },
  sqrt: { fn: (x) => x.sqrt(), inputs: () => [positive()] },
  abs: { fn: (x) => x.abs().mul(x), inputs: () => [awayFromZero(2)] },
  sign: { fn: (x) => x.sign().mul(x), inputs: () => [awayFromZero(2)] },
  relu: { fn: (x) => x.relu().mul(x), inputs: () => [awayFromZero(2)] },
  sigmoid: { fn: (x) => x.sigmoid(), inputs: () => [seeded(3, 2, 3)] },
  tanh: { fn: (x) => x.tanh(), inputs: () => [seeded(4, 2, 3)] },
  erf: { fn: (x) => x.erf(), inputs: () => [seeded(5, 2, 3)] },
  sin: { fn: (x) => x.sin(), inputs: () => [seeded(6, 2, 3)] },
  cos: { fn: (x) => x.cos(), inputs: () => [seeded(7, 2, 3)] },
  floor: { fn: (x) => x.floor().mul(x), inputs: () => [awayFromSteps()] },
  ceil: { fn: (x) => x.ceil().mul(x), inputs: () => [awayFromSteps()] },
  round: { fn: (x) => x.round().mul(x), inputs: () => [awayFromSteps()] },
  trunc: { fn: (x) => x.trunc().mul(x), inputs: () => [awayFromSteps()] },
  clamp: { fn: (x) => x.clamp(-0.5, 0.5).mul(x), inputs: () => [awayFromZero(2)] },
  add: { fn: (a, b) => a.add(b, { alpha: 2 }).mul(a), inputs: () => [seeded(8, 2, 3), seeded(9, 3)] },
  sub: { fn: (a, b) => a.sub(b).mul(b), inputs: () => [seeded(10, 2, 3), seeded(11, 2, 1)] },
  mul: { fn: (a, b) => a.mul(b), inputs: () => [seeded(12, 2, 3), seeded(13, 1, 3)] },
  div: { fn: (a, b) => a.div(b), inputs: () => [seeded(14, 2, 3), positive()] },
  pow: { fn: (a, b) => a.pow(b).add(a.pow(3)), inputs: () => [positive(), seeded(15, 2, 3)] },
  maximum: { fn: (a, b) => torch.maximum(a, b).mul(a), inputs: () => [seeded(16, 2, 3), seeded(17, 2, 3)] },
  minimum: { fn: (a, b) => torch.minimum(a, b).mul(b), inputs: () => [seeded(18, 2, 3), seeded(19, 2, 3)] },
  where: {
    fn: (a, b) => torch.where(torch.tensor([[true, false, true], [false, false, true]]), a, b).mul(a),
    inputs: () => [seeded(20, 2, 3), seeded(21, 3)],
  },
  sum: { fn: (x) => x.sum(1).pow(2).add(x.mean()), inputs: () => [seeded(22, 2, 3)] },
  amax: { fn: (x) => x.amax(1).pow(2), inputs: () => [seeded(23, 2, 3)] },
  amin: { fn: (x) => x.amin(0).pow(2), inputs: () => [seeded(24, 2, 3)] },
  logsumexp: { fn: (x) => x.logsumexp(1), inputs: () => [seeded(38, 2, 3)] },
  matmul: { fn: (a, b) => a.matmul(b), inputs: () => [seeded(25, 2, 2, 3), seeded(26, 3, 2)] },
  linear: {
    fn: (x, w, b) => torch.nn.functional.linear(x, w, b).tanh(),
    inputs: () => [seeded(39, 4, 3), seeded(40, 2, 3), seeded(41, 2)],
    opts: { atol: 1e-4 },
  },
  softmax: { fn: (x) => x.softmax(1), inputs: () => [seeded(27, 2, 3)] },
  logSoftmax: { fn: (x) => x.logSoftmax(0), inputs: () => [seeded(28, 2, 3)] },
  gather: {
    fn: (x) => x.gather(1, torch.tensor([[0, 0], [2, 1]], { dtype: "int64" })).pow(2),
    inputs: () => [seeded(29, 2, 3)],
  },
  reshape: { fn: (x) => x.reshape(3, 2).pow(2), inputs: () => [seeded(30, 2, 3)] },
  permute: { fn: (x) => x.permute(1, 0).pow(2), inputs: () => [seeded(31, 2, 3)] },
  expand: { fn: (x) => x.expand(3, 2, 4).pow(2), inputs: () => [seeded(32, 2, 1)] },
  slice: { fn: (x) => x.index(":", "1:3:1").mul(x.index(":", "0:3:2")), inputs: () => [seeded(33, 2, 3)] },
  contiguous: { fn: (x) => x.t().contiguous().pow(2), inputs: () => [seeded(34, 2, 3)] },
  cast: { fn: (x) => x.to("float32").mul(x), inputs: () => [seeded(35, 2, 3)] },
  cat: { fn: (a, b) => torch.cat([a, b], 1).pow(2), inputs: () => [seeded(36, 2, 3), seeded(37, 2, 2)] },
  // the scatter family (lib/autograd/grads_scatter.ts); repeated indices on purpose
  scatterAdd: {
    fn: (x, src) => x.scatterAdd(1, torch.tensor([[0, 0], [2, 1], [3, 3]], { dtype: "int64" }), src).pow(2),
    inputs: () => [seeded(60, 3, 4), seeded(61, 3, 2)],
  },
  scatter: {
    fn: (x, src) => x.scatter(0, torch.tensor([[2, 0, 1]], { dtype: "int64" }), src).pow(2),
    inputs: () => [seeded(62, 3, 3), seeded(63, 2, 3)],
  },
  scatterReduce: {
    fn: (x, src) => {
      const idx = torch.tensor([1, 1, 0, 2, 1], { dtype: "int64" });
      return x.scatterReduce(0, idx, src, "prod").add(x.scatterReduce(0, idx, src, "amax", { includeSelf: false }).pow(2));
    },
    inputs: () => [seeded(64, 3), seeded(65, 5)],
  },
  notImplemented: {
    fn: (x, src) => x.scatter(0, torch.tensor([0, 0], { dtype: "int64" }), src, { reduce: "add" }),
    inputs: () => [seeded(66, 3), seeded(67, 2)],
    throws: "derivative for aten::scatter is not implemented",
  },
  // tensor ops, part 1
  diagonal: { fn: (x) => x.diagonal(1, 0, 2).pow(2), inputs: () => [seeded(68, 3, 2, 4)] },
  cumsum: { fn: (x) => x.cumsum(1).mul(x), inputs: () => [seeded(69, 3, 4)] },
  cumprod: { fn: (x) => x.cumprod(0), inputs: () => [seeded(70, 4, 3)] },
  prod: { fn: (x) => x.prod(1).add(x.prod()), inputs: () => [seeded(71, 3, 4)] },
  clampTensor: {
    fn: (x, lo, hi) => x.clamp(lo, hi).mul(x.add(lo).add(hi)),
    inputs: () => [seeded(72, 3, 4), leaf([-0.5, 0.1, -0.9, 0.3]), leaf([[0.6], [0.2], [1.5]])],
  },
  inv: { fn: (a) => torch.linalg.inv(a), inputs: () => [leaf([[2, 0.5, -0.3], [0.4, 1.5, 0.2], [-0.6, 0.1, 1.8]])] },
  det: { fn: (a) => torch.linalg.det(a), inputs: () => [seeded(73, 2, 3, 3)] },
  solve: {
    fn: (a, b) => torch.linalg.solve(a, b),
    inputs: () => [leaf([[2, 0.5, -0.3], [0.4, 1.5, 0.2], [-0.6, 0.1, 1.8]]), seeded(74, 2, 3, 2)],
  },
  svdvals: { fn: (a) => torch.linalg.svdvals(a), inputs: () => [seeded(75, 2, 3, 4)] },
};

describe.each(backends())("gradgradcheck [%s]", (name) => {
  useBackend(name);

  eachGradRule("gradgradcheck", CASES, (_, c) => {
    torch.manualSeed(100);
    if (c.throws) expect(() => gradgradcheck(c.fn, c.inputs(), null, c.opts)).toThrow(c.throws);
    else expect(gradgradcheck(c.fn, c.inputs(), null, c.opts)).toBe(true);
  });

  it("tensor ops, part 1: second derivatives with zeros, singular and non-wide matrices", () => {
    const zeros = () => leaf([[0.5, 0, 1.5, -2], [0, 1.2, 0, 0.7]]);
    expect(gradgradcheck((x) => x.cumprod(1), [zeros()])).toBe(true);
    expect(gradgradcheck((x) => x.prod(1), [zeros()])).toBe(true);
    expect(gradgradcheck((x) => x.prod(), [leaf([0.5, 0, 1.5, -2])])).toBe(true);
    expect(gradgradcheck((a) => torch.linalg.det(a), [leaf([[1, 2, 3], [2, 4, 6], [0.5, -1, 2]])])).toBe(true);
    expect(gradgradcheck((a) => torch.linalg.det(a), [torch.tensor([[[2]], [[0]]]).requiresGrad_(true)])).toBe(true);
    expect(gradgradcheck((a) => torch.linalg.svdvals(a), [seeded(80, 4, 3)])).toBe(true);
    expect(gradgradcheck((a) => torch.linalg.svdvals(a), [seeded(81, 3, 3)])).toBe(true);
    expect(gradgradcheck((x) => x.diagonal(-1, 1, 0).pow(2), [seeded(82, 3, 4)])).toBe(true);
    expect(gradgradcheck((a, b) => torch.linalg.solve(a, b), [leaf([[2, 0.5], [0.4, 1.5]]), seeded(83, 2)])).toBe(true);
  });

  it("tensor ops, part 1: third derivatives (gradgradcheck of a first gradient)", () => {
    // NOTE: the numerical passes evaluate fn under noGrad on plain tensors: there the first
    // gradient is taken on a fresh leaf (its value is all they need).
    const firstGrad = (f: (a: Tensor) => Tensor) => (a: Tensor) =>
      torch.enableGrad(() => {
        const x = a.requiresGrad ? a : a.detach().requiresGrad_(true);
        return torch.autograd.grad([f(x).pow(2).sum()], [x], { createGraph: a.requiresGrad })[0]!;
      });
    expect(gradgradcheck(firstGrad((a) => torch.linalg.svdvals(a)), [seeded(84, 3, 4)], null, { atol: 1e-3, rtol: 1e-2 })).toBe(true);
    expect(gradgradcheck(firstGrad((a) => torch.linalg.det(a)), [seeded(85, 3, 3)], null, { atol: 1e-3, rtol: 1e-2 })).toBe(true);
    expect(gradgradcheck(firstGrad((x) => x.cumprod(1)), [seeded(86, 2, 3)], null, { atol: 1e-3, rtol: 1e-2 })).toBe(true);
  });

  it("scatterReduce prod: two zeros in one place give a gradient that refuses a second derivative", () => {
    const x = leaf([1, 2, 3]);
    const src = leaf([0, 0, 2]);
    const y = x.scatterReduce(0, torch.tensor([0, 0, 1], { dtype: "int64" }), src, "prod");
    const [, gs] = torch.autograd.grad([y.sum()], [x, src], { createGraph: true });
    expect(gs!.tolist()).toEqual([0, 0, 2]);
    expect(() => torch.autograd.grad([gs!.sum()], [src])).toThrow(
      "scatter_reduce(): Double backward is unsupported for src when >1 zeros in src are scattered to the same position in self",
    );
  });

  it("composites: mean, softmax cross-entropy, an MLP layer", () => {
    torch.manualSeed(100);
    const target = torch.tensor([2, 0], { dtype: "int64" });
    expect(gradgradcheck((x) => x.mul(x).mean(), [seeded(50, 2, 3)])).toBe(true);
    expect(gradgradcheck((x) => torch.nn.functional.crossEntropy(x, target), [seeded(51, 2, 3)])).toBe(true);
    expect(gradgradcheck((x, w) => torch.nn.functional.linear(x, w).relu().mul(x.sum(1, true)), [seeded(52, 2, 3), seeded(53, 4, 3)], null, { atol: 1e-4 })).toBe(true);
  });

  it("catches a backward whose own gradient is wrong", () => {
    // A custom x³ whose backward is right (3x²g) but cut from the graph: its second derivative is 0.
    class CubeDetached extends torch.autograd.Function {
      static override forward(ctx: torch.autograd.FunctionCtx, x: Tensor) {
        ctx.saveForBackward(x);
        return x.pow(3);
      }
      static override backward(ctx: torch.autograd.FunctionCtx, g: Tensor) {
        const [x] = ctx.savedTensors;
        return g.mul(x!.detach().pow(2).mul(3));
      }
    }
    const x = leaf([0.5, 1.5]);
    expect(torch.autograd.gradcheck((t) => CubeDetached.apply(t), [x])).toBe(true);
    expect(gradgradcheck((t) => CubeDetached.apply(t), [x], null, { raiseException: false })).toBe(false);
    expect(() => gradgradcheck((t) => CubeDetached.apply(t), [x])).toThrow(/Jacobian mismatch/);
  });
});
