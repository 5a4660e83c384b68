// PyTorch's `x.data`: a tensor sharing x's storage, outside autograd (weight init through
// `m.weight.data`, hand-written updates through `p.data`), and `x.data = y` re-pointing x at y's
// storage while x stays the same Parameter. The typed array is `x.typedArray`.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";

describe.each(backends())("Tensor.data [%s]", (name) => {
  useBackend(name);

  it("shares the storage, requires no grad and has no history", () => {
    const w = torch.ones(2, 3, { requiresGrad: true });
    const y = w.mul(2);
    for (const d of [w.data, y.data]) {
      expect(d).toBeInstanceOf(torch.Tensor);
      expect(d.requiresGrad).toBe(false);
      expect(d.gradFn).toBe(null);
      expect(d.shape).toEqual([2, 3]);
    }
    expect(w.data.typedArray).toBe(w.typedArray);
    w.data.mul_(3); // no "leaf variable requires grad" error: .data is outside autograd
    expect(w.tolist()).toEqual([[3, 3, 3], [3, 3, 3]]);
    expect(w.requiresGrad).toBe(true);
  });

  it("initializes weights as PyTorch programs do (nn.init on m.weight.data, .data.fill_)", () => {
    const conv = new torch.nn.Conv2d(3, 4, 3);
    torch.manualSeed(0);
    torch.nn.init.normal_(conv.weight.data, 0.0, 0.02);
    torch.manualSeed(0);
    const expected = torch.empty(4, 3, 3, 3).normal_(0, 0.02);
    expect(conv.weight.equal(expected)).toBe(true);
    conv.bias!.data.fill_(0);
    expect(conv.bias!.tolist()).toEqual([0, 0, 0, 0]);
    expect(conv.weight.requiresGrad).toBe(true);
  });

  it("a hand-written SGD step through p.data equals optim.SGD's", () => {
    torch.manualSeed(1);
    const a = new torch.nn.Linear(3, 2);
    const b = torch.deepcopy(a);
    const x = torch.randn(5, 3);
    for (const m of [a, b]) m.forward(x).pow(2).sum().backward();
    for (const p of a.parameters()) p.data.add_(p.grad!, { alpha: -0.1 }); // SGD's param.add_(d_p, alpha=-lr)
    new torch.optim.SGD(b.parameters(), { lr: 0.1 }).step();
    const pa = [...a.parameters()], pb = [...b.parameters()];
    pa.forEach((p, i) => expect(p.equal(pb[i])).toBe(true));
  });

  it("x.data = y re-points x at y's storage, shape and dtype; x keeps being the parameter", () => {
    const lin = new torch.nn.Linear(2, 2);
    const w = lin.weight;
    const y = torch.arange(6, { dtype: "float64" }).reshape(3, 2);
    w.data = y;
    expect(lin.weight).toBe(w);
    expect(w.shape).toEqual([3, 2]);
    expect(w.dtype).toBe("float64");
    expect(w.requiresGrad).toBe(true);
    y.set([0, 0], 7);
    expect(w.index(0, 0).item()).toBe(7); // shared, not copied
    const t = torch.zeros(4);
    t.data = torch.ones(4).index("1:3");
    expect(t.tolist()).toEqual([1, 1]);
    expect(() => { (t as any).data = [1, 2]; }).toThrow(/data must be a Tensor/);
  });
});
