// Version counters (PyTorch's `_version`): one per storage, shared by views and detach(), bumped by
// every in-place write, and checked at backward against the versions a node recorded for the
// tensors its rule reads: an in-place change to one of them raises PyTorch's error instead of
// giving a stale gradient, and a change to a tensor no rule reads is allowed, as in PyTorch.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { DEFAULT_NAMES } from "../lib/autograd/ops.js";
import { SAVES } from "../lib/autograd/saves.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const HINT = "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).";

describe.each(backends())("version counters [%s]", (name) => {
  useBackend(name);

  it("every in-place write bumps the version, shared by views and detach()", () => {
    const t = torch.zeros(2, 3);
    expect(t._version).toBe(0);
    t.add_(1);
    t.mul_(2).sub_(1).div_(3);
    expect(t._version).toBe(4);
    const v = t.index(0);
    const d = t.detach();
    v.fill_(5);
    expect([t._version, v._version, d._version]).toEqual([5, 5, 5]);
    d.zero_();
    d.copy_(torch.ones(2, 3));
    d.clamp_(0, 0.5);
    expect(t._version).toBe(8);
    torch.add(torch.ones(2, 3), 1, { out: t });
    expect(t._version).toBe(9);
    t.uniform_();
    expect(t._version).toBe(10);
    expect(torch.zeros(3)._version).toBe(0);
    expect(t.add(1)._version).toBe(0); // out of place: a new storage
  });

  it("each in-place write bumps the version exactly once, as PyTorch's do", () => {
    // The ops computed out of place and stored back (and x[idx] = v) are one write, not a check plus a copy.
    const i = torch.tensor([0, 2], { dtype: "int64" });
    const row = torch.tensor([[0, 1, 2]], { dtype: "int64" });
    const writes: Record<string, (t: Tensor) => unknown> = {
      scatter_: (t) => t.scatter_(0, row, torch.ones(1, 3)),
      scatterAdd_: (t) => t.scatterAdd_(0, row, torch.ones(1, 3)),
      scatterReduce_: (t) => t.scatterReduce_(0, row, torch.ones(1, 3), "amax"),
      indexAdd_: (t) => t.indexAdd_(0, i, torch.ones(2, 3)),
      indexCopy_: (t) => t.indexCopy_(0, i, torch.ones(2, 3)),
      indexFill_: (t) => t.indexFill_(0, i, 3),
      maskedFill_: (t) => t.maskedFill_(torch.ones(4, 3).gt(0), 1),
      maskedScatter_: (t) => t.maskedScatter_(torch.ones(4, 3).gt(0), torch.ones(12)),
      uniform_: (t) => t.uniform_(),
      normal_: (t) => t.normal_(),
      "set (basic index)": (t) => t.set([0], 5),
      "set (tensor index)": (t) => t.set([i], 5),
      "set (through a view)": (t) => t.index(1).set([":"], torch.ones(3)),
    };
    const bumps = Object.fromEntries(
      Object.entries(writes).map(([op, write]) => {
        const t = torch.zeros(4, 3);
        write(t);
        return [op, t._version];
      }),
    );
    expect(bumps).toEqual(Object.fromEntries(Object.keys(writes).map((op) => [op, 1])));
  });

  it("an optimizer step bumps the parameters' versions", () => {
    const p = torch.ones(3).requiresGrad_(true);
    p.mul(2).sum().backward();
    for (const opt of [new torch.optim.SGD([p], { lr: 0.1 }), new torch.optim.Adam([p])]) {
      const before = p._version;
      opt.step();
      expect(p._version).toBeGreaterThan(before);
    }
  });

  it("a saved output changed in place: PyTorch's error naming the node", () => {
    const x = torch.tensor([0.5, -1, 2], { requiresGrad: true });
    const y = x.exp();
    torch.noGrad(() => y.add_(1));
    expect(() => y.sum().backward()).toThrow(
      `one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. ${HINT}`,
    );
    const z = torch.randn(2, 3).requiresGrad_(true).exp();
    z.detach().zero_(); // through a detached alias: the same storage
    expect(() => z.sum().backward()).toThrow("[torch.FloatTensor [2, 3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead.");
  });

  it("a saved plain input, a saved view's base, a parameter changed under noGrad", () => {
    const x = torch.randn(3).requiresGrad_(true);
    const w = torch.randn(4);
    const z = x.mul(w.index("0:3"));
    w.add_(1); // w does not require grad: allowed with grad on, but MulBackward0 read its view
    expect(() => z.sum().backward()).toThrow(`[torch.FloatTensor [3]] is at version 1; expected version 0 instead. ${HINT}`);

    const lin = new torch.nn.Linear(3, 2);
    const h = torch.randn(4, 3).requiresGrad_(true);
    const y = lin.forward(h);
    torch.noGrad(() => lin.weight.add_(1));
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation: \[torch.FloatTensor \[2, 3\]\] is at version \d+; expected version \d+ instead/);
  });

  it("a non-leaf saved by the next op names its own grad_fn", () => {
    const x = torch.randn(2, 3).requiresGrad_(true);
    const y = x.mul(2);
    const z = y.mul(y);
    torch.noGrad(() => y.index(0).add_(1));
    expect(() => z.sum().backward()).toThrow("[torch.FloatTensor [2, 3]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead.");
  });

  it("no error where the rule reads nothing changed (add, views, sum), as in PyTorch", () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const y = x.add(1).reshape(3, 1).sum();
    torch.noGrad(() => x.add_(1));
    y.backward();
    expect(vals(x.grad!)).toEqual([1, 1, 1]);
    // mul with a constant operand reads only the constant: the leaf itself may change
    const a = torch.tensor([1, 2, 3], { requiresGrad: true });
    const b = a.mul(torch.tensor([4, 5, 6]));
    torch.noGrad(() => a.mul_(10));
    b.sum().backward();
    expect(vals(a.grad!)).toEqual([4, 5, 6]);
  });

  it("the training loop (forward, backward, step, zeroGrad) raises nothing", () => {
    torch.manualSeed(0);
    const model = new torch.nn.Sequential(new torch.nn.Linear(4, 8), new torch.nn.ReLU(), new torch.nn.Linear(8, 3));
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const X = torch.randn(16, 4);
    const y = torch.randint(0, 3, [16]);
    for (let i = 0; i < 3; i++) {
      const loss = torch.nn.functional.crossEntropy(model.forward(X), y);
      loss.backward();
      opt.step();
      opt.zeroGrad();
    }
  });

  it("every primitive says which tensors its rule reads", () => {
    expect(Object.keys(DEFAULT_NAMES).filter((op) => !(op in SAVES))).toEqual([]);
  });

  it("a Function's saved tensors are checked when backward reads them", () => {
    class Square extends torch.autograd.Function {
      static override forward(ctx: torch.autograd.FunctionCtx, x: Tensor) {
        ctx.saveForBackward(x);
        return x.mul(x);
      }
      static override backward(ctx: torch.autograd.FunctionCtx, g: Tensor) {
        const [x] = ctx.savedTensors;
        return g.mul(x!).mul(2);
      }
    }
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = Square.apply(x.mul(1)) as Tensor;
    const x2 = x.mul(1);
    const y2 = Square.apply(x2) as Tensor;
    torch.noGrad(() => x2.add_(1));
    expect(() => y2.sum().backward()).toThrow("which is output 0 of MulBackward0, is at version 1; expected version 0 instead.");
    y.sum().backward();
    expect(vals(x.grad!)).toEqual([2, 4]);
  });
});
