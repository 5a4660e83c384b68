// Tensor hooks, retainGrad, grad_fn introspection (nextFunctions, printing, hooks on the node),
// detach_() in the middle of a graph, and Module.registerFullBackwardHook, checked against what
// PyTorch 1.13 does in the same programs.
import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

describe.each(backends())("tensor hooks and retainGrad [%s]", (name) => {
  useBackend(name);

  it("a leaf hook sees the summed gradient once and its result goes into .grad", () => {
    const a = torch.tensor([1, 2, 3], { requiresGrad: true });
    const seen: number[][] = [];
    const h = a.registerHook((g) => {
      seen.push(vals(g));
      return g.mul(10);
    });
    a.mul(2).add(a.mul(3)).sum().backward();
    expect(seen).toEqual([[5, 5, 5]]);
    expect(vals(a.grad!)).toEqual([50, 50, 50]);
    h.remove();
    a.grad = null;
    a.mul(2).sum().backward();
    expect(vals(a.grad!)).toEqual([2, 2, 2]);
  });

  it("a non-leaf hook changes what flows further back; returning nothing keeps the gradient", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x);
    let calls = 0;
    y.registerHook(() => void calls++);
    y.registerHook((g) => g.add(1));
    y.sum().backward();
    expect(calls).toBe(1);
    expect(vals(x.grad!)).toEqual([4, 8]); // (1 + 1) * 2x
  });

  it("hook errors: no grad, a hook that changes the size", () => {
    expect(() => torch.zeros(2).registerHook((g) => g)).toThrow("cannot register a hook on a tensor that doesn't require gradient");
    const a = torch.ones(2).requiresGrad_(true);
    a.registerHook(function resize() {
      return torch.zeros(3);
    });
    expect(() => a.mul(2).sum().backward()).toThrow("hook 'resize' has changed the size of value");
  });

  it("a hook that keeps its gradient keeps valid values (the engine does not recycle what it saw)", () => {
    const x = torch.randn(64, 128).requiresGrad_(true);
    const kept: Tensor[] = [];
    const y = x.mul(2).relu();
    y.registerHook((g) => void kept.push(g));
    const z = y.mul(3).relu();
    z.registerHook((g) => void kept.push(g));
    z.sum().backward();
    const copy = kept.map((t) => vals(t));
    x.mul(5).relu().mul(7).relu().sum().backward(); // would reuse recycled storages
    expect(kept.map((t) => vals(t))).toEqual(copy);
  });

  it("retainGrad keeps a non-leaf's gradient, summed over passes, after the hooks registered before it", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expect(y.retainsGrad).toBe(false);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    expect(x.retainsGrad).toBe(false);
    x.retainGrad(); // a leaf: no-op
    y.sum().backward({ retainGraph: true });
    y.sum().backward();
    expect(vals(y.grad!)).toEqual([2, 2]);
    // PyTorch 1.13 runs retain_grad and tensor hooks in registration order
    const a = torch.tensor([1, 2], { requiresGrad: true });
    const before = a.mul(2);
    before.registerHook((g) => g.mul(10));
    before.retainGrad();
    before.sum().backward();
    expect(vals(before.grad!)).toEqual([10, 10]);
    const b = a.mul(2);
    b.retainGrad();
    b.registerHook((g) => g.mul(10));
    b.sum().backward();
    expect(vals(b.grad!)).toEqual([1, 1]);
    expect(() => torch.zeros(2).retainGrad()).toThrow("can't retain_grad on Tensor that has requires_grad=False");
  });

  it("nextFunctions and printing follow PyTorch", () => {
    const a = torch.tensor([1, 2], { requiresGrad: true });
    const b = a.mul(3);
    const z = b.mul(b);
    const [[acc, nr], [none, nr2]] = b.gradFn!.nextFunctions;
    expect(nr).toBe(0);
    expect(nr2).toBe(0);
    expect(none).toBeNull();
    expect(acc).toBeInstanceOf(torch.autograd.AccumulateGrad);
    expect((acc as torch.autograd.AccumulateGrad).variable).toBe(a);
    expect(a.mul(2).gradFn!.nextFunctions[0][0]).toBe(acc); // one AccumulateGrad per leaf
    expect(z.gradFn!.nextFunctions.map(([f]) => f)).toEqual([b.gradFn, b.gradFn]);
    expect(String(z.gradFn)).toMatch(/^<MulBackward0 object at 0x[0-9a-f]+>$/);
    expect(inspect(acc)).toMatch(/^<AccumulateGrad object at 0x[0-9a-f]+>$/);
    expect(String(a.add(1).sum().gradFn)).toMatch(/^<SumBackward0 object at/);
    expect(String(b.gradFn)).not.toBe(String(z.gradFn));
  });

  it("grad_fn hooks: a prehook and a hook on the node", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    const seen: number[][] = [];
    y.gradFn!.registerPrehook((gouts) => void seen.push(vals(gouts[0]!)));
    y.gradFn!.registerHook((gins, gouts) => {
      seen.push(vals(gins[0]!), vals(gouts[0]!));
      return [gins[0]!.mul(2), null];
    });
    y.sum().backward();
    expect(seen).toEqual([[1, 1], [3, 3], [1, 1]]);
    expect(vals(x.grad!)).toEqual([6, 6]);
  });

  it("detach_() in the middle of a graph: the recorded graph still reaches the inputs", () => {
    const a = torch.tensor([1, 2, 3], { requiresGrad: true });
    const b = a.mul(2);
    const c = b.mul(3);
    expect(b.detach_()).toBe(b);
    expect([b.requiresGrad, b.isLeaf, b.gradFn]).toEqual([false, true, null]);
    c.sum().backward();
    expect(vals(a.grad!)).toEqual([6, 6, 6]);
  });

  it("a hook on a weight applies on every step, also once .grad exists (no in-place shortcut past it)", () => {
    torch.manualSeed(0);
    const lin = new torch.nn.Linear(3, 2);
    const x = torch.randn(4, 3);
    lin.forward(x).sum().backward();
    const plain = vals(lin.weight.grad!);
    lin.zeroGrad();
    lin.weight.registerHook((g) => g.mul(3));
    lin.forward(x).sum().backward();
    lin.forward(x).sum().backward();
    expect(vals(lin.weight.grad!)).toEqual(plain.map((v) => Math.fround(Math.fround(v * 3) * 2)));
  });

  it("post-accumulate-grad hooks run on every pass for every parameter, after .grad holds the pass's sum", () => {
    // The class: any leaf whose gradient could be written in place by a rule (Linear's weight and
    // bias once .grad exists) must still pass through its AccumulateGrad, where the hook runs.
    torch.manualSeed(0);
    const net = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.Tanh(), new torch.nn.Linear(4, 2));
    const x = torch.randn(5, 3);
    const seen = new Map<Tensor, number[][]>();
    const handles = net.parameters().map((p) =>
      p.registerPostAccumulateGradHook((leaf) => {
        expect(leaf).toBe(p);
        seen.set(p, [...(seen.get(p) ?? []), vals(p.grad!)]);
      }),
    );
    for (let pass = 0; pass < 3; pass++) net.forward(x).sum().backward();
    for (const p of net.parameters()) {
      const grads = seen.get(p)!;
      expect(grads.length).toBe(3);
      // Each hook saw the running sum: pass k's .grad is k+1 times the first (same input each time).
      grads.forEach((g, k) => g.forEach((v, i) => expect(v).toBeCloseTo((k + 1) * grads[0][i], 5)));
    }
    handles.forEach((h) => h.remove());
    net.forward(x).sum().backward();
    expect(seen.get(net.parameters()[0])!.length).toBe(3);
    expect(() => torch.ones(2).registerPostAccumulateGradHook(() => {})).toThrow("doesn't require gradient");
    const y = torch.ones(2, { requiresGrad: true }).mul(2);
    expect(() => y.registerPostAccumulateGradHook(() => {})).toThrow("non-leaf");
  });

  it("a leaf switched off after the forward pass takes no gradient", () => {
    const a = torch.tensor([1, 2], { requiresGrad: true });
    const w = torch.tensor([3, 4], { requiresGrad: true });
    const y = a.mul(w).sum();
    a.requiresGrad_(false);
    y.backward();
    expect(a.grad).toBeNull();
    expect(vals(w.grad!)).toEqual([1, 2]);
  });
});

describe.each(backends())("Module.registerFullBackwardHook [%s]", (name) => {
  useBackend(name);

  it("gives gradInput and gradOutput, and a returned gradInput replaces it", () => {
    torch.manualSeed(0);
    const lin = new torch.nn.Linear(3, 2);
    const rec: [(Tensor | null)[], (Tensor | null)[]][] = [];
    const h = lin.registerFullBackwardHook((m, gi, go) => {
      expect(m).toBe(lin);
      rec.push([gi, go]);
      return gi[0] ? [gi[0].mul(2)] : null;
    });
    const x = torch.randn(4, 3).requiresGrad_(true);
    const y = lin.forward(x).tanh();
    y.sum().backward();
    expect(rec.length).toBe(1);
    const [[gi], [go]] = rec[0];
    expect(gi!.shape).toEqual([4, 3]);
    expect(go!.shape).toEqual([4, 2]);
    const t = y.detach();
    expect(vals(go!)).toEqual(vals(t.mul(t).neg().add(1)));
    expect(vals(x.grad!)).toEqual(vals(gi!.mul(2)));
    // gradients of the parameters are not affected by the hook
    const wGrad = vals(lin.weight.grad!);
    lin.zeroGrad();
    h.remove();
    lin.forward(x).tanh().sum().backward();
    expect(vals(lin.weight.grad!)).toEqual(wGrad);
    expect(rec.length).toBe(1);
    expect(lin.namedParameters().map(([n]) => n)).toEqual(["weight", "bias"]);
  });

  it("inputs that do not require grad: gradInput is [null]", () => {
    const lin = new torch.nn.Linear(3, 2);
    let got: (Tensor | null)[] | null = null;
    let gotOut: (Tensor | null)[] | null = null;
    lin.registerFullBackwardHook((_m, gi, go) => {
      got = gi;
      gotOut = go;
    });
    lin.forward(torch.randn(4, 3)).sum().backward();
    expect(got).toEqual([null]);
    expect(gotOut![0]!.shape).toEqual([4, 2]);
    expect(lin.weight.grad).not.toBeNull();
  });
});
