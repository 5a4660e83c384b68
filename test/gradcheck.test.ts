// gradcheck over every gradient rule in lib/autograd/grads.ts (a rule without an entry in CASES fails,
// so a new primitive can't be forgotten), each case also checked to really record its op; plus
// gradcheck's own behaviour (catches a wrong gradient, names the element) and the lecture's
// difference quotient (2x² at x = 1: 6.0 over [1, 2], about 4.0 over a tiny interval).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { GRADS } from "../lib/autograd/grads.js";
import { Node } from "../lib/autograd/node.js";
import { differenceQuotient, gradcheck } from "../lib/autograd/gradcheck.js";
import { backends, useBackend } from "./helpers/backends.js";
import { MATH_KERNEL_CASES, awayFromSteps, awayFromZero, eachGradRule, leaf, positive, seeded } from "./helpers/grad_cases.js";

interface Case {
  fn: (...xs: Tensor[]) => Tensor;
  inputs: () => Tensor[];
  /** For a rule that stands for a missing derivative: the error backward must throw. */
  throws?: string;
}

/** One gradcheck per rule. Inputs stay away from each op's kinks and ties. */

const CASES: Record<string, Case> = {
  ...MATH_KERNEL_CASES,
  neg: { fn: (x) => x.neg(), inputs: () => [seeded(1, 3, 4)] },
  exp: { fn: (x) => x.exp(), inputs: () => [seeded(2, 3, 4)] },
  log: { fn: (x) => x.log(), inputs: () => [positive()] },
  log1p: { fn: (x) => x.log1p(), inputs: () => [positive()] },
  sqrt: { fn: (x) => x.sqrt(), inputs: () => [positive()] },
  abs: { fn: (x) => x.abs(), inputs: () => [awayFromZero()] },
  sign: { fn: (x) => x.sign(), inputs: () => [awayFromZero()] },
  relu: { fn: (x) => x.relu(), inputs: () => [awayFromZero()] },
  sigmoid: { fn: (x) => x.sigmoid(), inputs: () => [seeded(3, 3, 4)] },
  tanh: { fn: (x) => x.tanh(), inputs: () => [seeded(4, 3, 4)] },
  erf: { fn: (x) => x.erf(), inputs: () => [seeded(5, 3, 4)] },
  sin: { fn: (x) => x.sin(), inputs: () => [seeded(6, 3, 4)] },
  cos: { fn: (x) => x.cos(), inputs: () => [seeded(7, 3, 4)] },
  floor: { fn: (x) => x.floor(), inputs: () => [awayFromSteps()] },
  ceil: { fn: (x) => x.ceil(), inputs: () => [awayFromSteps()] },
  round: { fn: (x) => x.round(), inputs: () => [awayFromSteps()] },
  trunc: { fn: (x) => x.trunc(), inputs: () => [awayFromSteps()] },
  clamp: { fn: (x) => x.clamp(-0.5, 0.5), inputs: () => [awayFromZero()] },
  add: { fn: (a, b) => a.add(b, { alpha: 2 }), inputs: () => [seeded(8, 3, 4), seeded(9, 4)] },
  sub: { fn: (a, b) => a.sub(b), inputs: () => [seeded(10, 2, 3), seeded(11, 2, 1)] },
  mul: { fn: (a, b) => a.mul(b), inputs: () => [seeded(12, 3, 4), seeded(13, 1, 4)] },
  div: { fn: (a, b) => a.div(b), inputs: () => [seeded(14, 2, 3), positive()] },
  pow: { fn: (a, b) => a.pow(b).add(a.pow(3)), inputs: () => [positive(), seeded(15, 2, 3)] },
  maximum: { fn: (a, b) => torch.maximum(a, b), inputs: () => [seeded(16, 3, 4), seeded(17, 3, 4)] },
  minimum: { fn: (a, b) => torch.minimum(a, b), inputs: () => [seeded(18, 3, 4), seeded(19, 3, 4)] },
  where: {
    fn: (a, b) => torch.where(torch.tensor([[true, false, true], [false, false, true]]), a, b),
    inputs: () => [seeded(20, 2, 3), seeded(21, 3)],
  },
  sum: { fn: (x) => x.sum(1).add(x.sum()), inputs: () => [seeded(22, 3, 4)] },
  amax: { fn: (x) => x.amax(1), inputs: () => [seeded(23, 3, 4)] },
  amin: { fn: (x) => x.amin(0), inputs: () => [seeded(24, 3, 4)] },
  logsumexp: { fn: (x) => x.logsumexp(1).add(x.logsumexp([0, 1])), inputs: () => [seeded(38, 3, 4)] },
  matmul: { fn: (a, b) => a.matmul(b), inputs: () => [seeded(25, 2, 3, 4), seeded(26, 4, 2)] },
  // with a bias (AddmmBackward0) and without (MmBackward0), both the one linear primitive
  linear: {
    fn: (x, w, b) => torch.nn.functional.linear(x, w, b).add(torch.nn.functional.linear(x, w).mul(2)),
    inputs: () => [seeded(39, 4, 3), seeded(40, 2, 3), seeded(41, 2)],
  },
  softmax: { fn: (x) => x.softmax(1), inputs: () => [seeded(27, 3, 4)] },
  logSoftmax: { fn: (x) => x.logSoftmax(0), inputs: () => [seeded(28, 3, 4)] },
  gather: {
    fn: (x) => x.gather(1, torch.tensor([[0, 0], [2, 1], [3, 3]], { dtype: "int64" })),
    inputs: () => [seeded(29, 3, 4)],
  },
  reshape: { fn: (x) => x.reshape(4, 3).mul(torch.arange(3).float()), inputs: () => [seeded(30, 3, 4)] },
  permute: { fn: (x) => x.permute(2, 0, 1).mul(torch.arange(3).float()), inputs: () => [seeded(31, 2, 3, 2)] },
  expand: { fn: (x) => x.expand(3, 2, 4).mul(torch.arange(4).float()), inputs: () => [seeded(32, 2, 1)] },
  slice: { fn: (x) => x.index(":", "1:4:2"), inputs: () => [seeded(33, 3, 5)] },
  contiguous: { fn: (x) => x.t().contiguous(), inputs: () => [seeded(34, 3, 4)] },
  // NOTE: float32 is the only floating dtype, so a recorded cast always goes float32 -> float32,
  // which cast() skips; the rule is exercised directly below ("the cast rule"), not here.
  cast: { fn: (x) => x.to("float32").mul(x), inputs: () => [seeded(35, 2, 3)] },
  cat: { fn: (a, b) => torch.cat([a, b], 1), inputs: () => [seeded(36, 2, 3), seeded(37, 2, 2)] },
  // the scatter family (lib/autograd/grads_scatter.ts); repeated indices on purpose
  scatterAdd: {
    fn: (x, src) => x.scatterAdd(1, torch.tensor([[0, 0], [2, 1], [3, 3]], { dtype: "int64" }), src),
    inputs: () => [seeded(42, 3, 4), seeded(43, 3, 2)],
  },
  scatter: {
    fn: (x, src) => x.scatter(0, torch.tensor([[2, 0, 1]], { dtype: "int64" }), src),
    inputs: () => [seeded(44, 3, 3), seeded(45, 2, 3)],
  },
  scatterReduce: {
    fn: (x, src) => {
      const idx = torch.tensor([1, 1, 0, 2, 1], { dtype: "int64" });
      return x.scatterReduce(0, idx, src, "prod").add(x.scatterReduce(0, idx, src, "amax", { includeSelf: false }));
    },
    inputs: () => [seeded(46, 3), seeded(47, 5)],
  },
  notImplemented: {
    fn: (x, src) => x.scatter(0, torch.tensor([0, 0], { dtype: "int64" }), src, { reduce: "add" }),
    inputs: () => [seeded(48, 3), seeded(49, 2)],
    throws: "derivative for aten::scatter is not implemented",
  },
  // tensor ops, part 1
  diagonal: { fn: (x) => x.diagonal(1, 0, 2), inputs: () => [seeded(42, 3, 2, 4)] },
  cumsum: { fn: (x) => x.cumsum(1), inputs: () => [seeded(43, 3, 4)] },
  cumprod: { fn: (x) => x.cumprod(0), inputs: () => [seeded(44, 4, 3)] },
  prod: { fn: (x) => x.prod(1).add(x.prod()), inputs: () => [seeded(45, 3, 4)] },
  clampTensor: {
    fn: (x, lo, hi) => x.clamp(lo, hi),
    inputs: () => [seeded(46, 3, 4), leaf([-0.5, 0.1, -0.9, 0.3]), leaf([[0.6], [0.2], [1.5]])],
  },
  inv: { fn: (a) => torch.linalg.inv(a), inputs: () => [leaf([[2, 0.5, -0.3], [0.4, 1.5, 0.2], [-0.6, 0.1, 1.8]])] },
  det: { fn: (a) => torch.linalg.det(a), inputs: () => [seeded(47, 2, 3, 3)] },
  solve: {
    fn: (a, b) => torch.linalg.solve(a, b),
    inputs: () => [leaf([[2, 0.5, -0.3], [0.4, 1.5, 0.2], [-0.6, 0.1, 1.8]]), seeded(48, 2, 3, 2)],
  },
  svdvals: { fn: (a) => torch.linalg.svdvals(a), inputs: () => [seeded(49, 2, 3, 4)] },
};

/** Primitive ops recorded in the graph behind t. */
function recordedOps(t: Tensor): Set<string> {
  const ops = new Set<string>();
  const stack: Node[] = t.gradFn ? [t.gradFn] : [];
  const seen = new Set<Node>();
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    ops.add(n.op);
    for (const i of n.inputs ?? []) if (i.gradFn) stack.push(i.gradFn);
  }
  return ops;
}

describe.each(backends())("gradcheck [%s]", (name) => {
  useBackend(name);

  eachGradRule("gradcheck", CASES, (op, c) => {
    const inputs = c.inputs();
    if (op !== "cast") expect([...recordedOps(c.fn(...inputs))]).toContain(op);
    if (c.throws) expect(() => gradcheck(c.fn, inputs)).toThrow(c.throws);
    else expect(gradcheck(c.fn, inputs)).toBe(true);
  });

  it("the cast rule passes float gradients and stops at integer inputs", () => {
    const g = torch.tensor([1, 2]);
    const node = (from: string) => new Node("cast", "ToCopyBackward0", [torch.zeros(2)], torch.zeros(2), { from });
    expect(GRADS.cast(g, node("float32"))[0]).toBe(g);
    expect(GRADS.cast(g, node("int64"))[0]).toBeNull();
    const x = torch.tensor([1.5, 2.5], { requiresGrad: true });
    expect(x.long().float().requiresGrad).toBe(false);
  });

  it("catches a wrong gradient and names the input and element", () => {
    // x·x with the gradient of the product cut off: autograd says 1 + 0, the truth is 2x + 1.
    const wrong = (x: Tensor) => x.mul(x).detach().add(x);
    const x = torch.tensor([[0.5, 1.5]], { requiresGrad: true });
    expect(() => gradcheck(wrong, [x])).toThrow(/Jacobian mismatch for output 0 element \[0, 0\] with respect to input 0 element \[0, 0\]/);
    expect(gradcheck(wrong, [x], { raiseException: false })).toBe(false);
  });

  it("checks only inputs that require grad and leaves the caller's tensors alone", () => {
    const a = torch.tensor([1, 2, 3], { requiresGrad: true });
    const b = torch.tensor([4, 5, 6]);
    expect(gradcheck((x, y) => x.mul(y).sum(), [a, b])).toBe(true);
    expect(a.grad).toBeNull();
    expect(Array.from(a.storage())).toEqual([1, 2, 3]);
    expect(() => gradcheck((x) => x.sum(), [b])).toThrow(/at least one input tensor to require gradient/);
  });

  it("handles several outputs, losses and modules", () => {
    const x = torch.tensor([[0.2, -1.1, 0.7], [1.3, 0.4, -0.5]], { requiresGrad: true });
    expect(gradcheck((t) => [t.exp(), t.softmax(1)], [x])).toBe(true);
    const target = torch.tensor([2, 0], { dtype: "int64" });
    expect(gradcheck((t) => torch.nn.functional.crossEntropy(t, target, { labelSmoothing: 0.1 }), [x])).toBe(true);
    torch.manualSeed(0);
    const lin = new torch.nn.Linear(3, 2);
    expect(gradcheck((t, w, b) => torch.nn.functional.linear(t, w, b).tanh(), [x, lin.weight, lin.bias!])).toBe(true);
  });

  it("the lecture's difference quotient of 2x² at x = 1", () => {
    const f = (x: Tensor) => x.pow(2).mul(2);
    const one = torch.tensor(1);
    expect(differenceQuotient(f, one, 1).item()).toBe(6);
    expect(differenceQuotient(f, one, 1e-3).item()).toBeCloseTo(4.002, 2);
    expect(differenceQuotient(f, one, 1e-4).item()).toBeCloseTo(4, 2);
    const x = torch.tensor(1, { requiresGrad: true });
    f(x).backward();
    expect(x.grad!.item()).toBe(4);
    expect(gradcheck(f, [x])).toBe(true);
  });
});
