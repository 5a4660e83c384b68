// The fast paths of a training step keep PyTorch's semantics, on every backend: the fused 2-D linear
// primitive (values, gradients and grad_fn names as matmul + add), gradients summed into an
// existing .grad in place (same tensor object, as PyTorch's AccumulateGrad), a first gradient kept
// without a copy only when nothing else can hold it, dead intermediate gradients recycled or
// overwritten without changing any result, and add_/sub_ with alpha rounding once.
// ref: PyTorch 1.13 torch/csrc/autograd/functions/accumulate_grad.h; torch.addmm.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { scratchStats } from "../lib/ops/scratch.js";
import { backends, useBackend } from "./helpers/backends.js";
import { seeded } from "./helpers/grad_cases.js";

const { nn } = torch;
const F = nn.functional;


function expectClose(got: Tensor, want: Tensor, tol = 1e-5): void {
  expect(got.shape).toEqual(want.shape);
  const g = got.contiguous().storage(), w = want.contiguous().storage();
  for (let i = 0; i < g.length; i++) {
    if (!(Math.abs(g[i] - w[i]) <= tol * (1 + Math.abs(w[i])))) throw new Error(`element ${i}: want ${w[i]} got ${g[i]}`);
  }
}


describe.each(backends())("training-step fast paths [%s]", (name) => {
  useBackend(name);
  beforeEach(() => torch.manualSeed(0)); // the default generator's seed is random per process

  it("2-D linear is one node (AddmmBackward0 / MmBackward0) with matmul + add's values and gradients", () => {
    const [x, w, b] = [seeded(1, 5, 7), seeded(2, 3, 7), seeded(3, 3)];
    const y = F.linear(x, w, b);
    expect(y.gradFn?.name).toBe("AddmmBackward0");
    expect(F.linear(x, w).gradFn?.name).toBe("MmBackward0");
    const [x2, w2, b2] = [x, w, b].map((t) => t.detach().clone().requiresGrad_(true));
    const ref = x2.matmul(w2.t()).add(b2);
    expectClose(y, ref);
    const g = torch.randn(5, 3);
    y.backward(g);
    ref.backward(g);
    expectClose(x.grad!, x2.grad!);
    expectClose(w.grad!, w2.grad!);
    expectClose(b.grad!, b2.grad!);
    expect(w.grad!.isContiguous()).toBe(true);
    // other ranks keep the composition; a 3-D input gives the same rows
    const x3 = x.detach().reshape(1, 5, 7);
    expectClose(F.linear(x3, w, b).reshape(5, 3), ref.detach());
    expect(() => F.linear(torch.randn(2, 6), w, b)).toThrow(/cannot be multiplied/);
  });

  it("a second backward sums into the same .grad tensor, in place, as PyTorch does", () => {
    const lin = new nn.Linear(4, 3);
    const x = torch.randn(6, 4);
    lin.forward(x).sum().backward();
    const gw = lin.weight.grad!, gb = lin.bias!.grad!;
    const first = gw.clone();
    lin.forward(x).sum().backward();
    expect(lin.weight.grad).toBe(gw);
    expect(lin.bias!.grad).toBe(gb);
    expectClose(gw, first.mul(2));
    // zero_ then backward: exactly one gradient's worth again
    gw.zero_();
    gb.zero_();
    lin.forward(x).sum().backward();
    expectClose(gw, first);
  });

  it("a first gradient never aliases the caller's gradient or another leaf's .grad", () => {
    const [a, b] = [seeded(4, 2, 3), seeded(5, 2, 3)];
    const G = torch.ones(2, 3);
    a.add(b).backward(G); // add's rule hands the same tensor to both inputs
    expect(a.grad!.typedArray).not.toBe(b.grad!.typedArray);
    expect(a.grad!.typedArray).not.toBe(G.typedArray);
    a.add(b).backward(G);
    expectClose(a.grad!, torch.full([2, 3], 2));
    expectClose(b.grad!, torch.full([2, 3], 2));
    expectClose(G, torch.ones(2, 3));
    // a matmul gradient that flows through add to two leaves is copied for each
    const [c, d, w] = [seeded(6, 2, 3), seeded(7, 2, 3), seeded(8, 4, 3)];
    F.linear(c.add(d), w).sum().backward();
    expect(c.grad!.typedArray).not.toBe(d.grad!.typedArray);
    F.linear(c.add(d), w).sum().backward();
    expectClose(c.grad!, w.detach().sum(0).expand(2, 3).mul(2));
    expectClose(d.grad!, c.grad!);
  });

  it("the same leaf as input and weight of one linear gets both gradients", () => {
    const a = seeded(9, 3, 3);
    const a2 = a.detach().clone().requiresGrad_(true);
    const g = torch.randn(3, 3);
    F.linear(a, a).backward(g);
    a2.matmul(a2.t()).backward(g);
    expectClose(a.grad!, a2.grad!);
    F.linear(a, a).backward(g); // now into an existing .grad
    a2.matmul(a2.t()).backward(g);
    expectClose(a.grad!, a2.grad!);
  });

  it("zeroGrad({ setToNone }) then backward: fresh, correct .grad tensors every step", () => {
    const model = new nn.Sequential(new nn.Linear(5, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    const x = torch.randn(3, 5);
    model.forward(x).sum().backward();
    const want = [...model.parameters()].map((p) => p.grad!.clone());
    const held = [...model.parameters()].map((p) => p.grad!);
    opt.zeroGrad({ setToNone: true });
    model.forward(x).sum().backward();
    [...model.parameters()].forEach((p, i) => {
      expect(p.grad).not.toBe(held[i]);
      expectClose(p.grad!, want[i]);
    });
  });

  it("recycled and in-place intermediate gradients give the same gradients as plain ops", () => {
    // h feeds relu twice and itself, so gradients are summed, passed through add and zeroed in place
    // Integers and halves: every forward value is exact and |h| >= 0.5, so both runs take the same
    // side of every relu kink. Big enough for the pool: h is [64, 96], 24 KB.
    torch.manualSeed(11);
    const ints = (...shape: number[]) => torch.randint(-2, 3, shape).float();
    const [x, w1, b1, w2] = [ints(64, 100), ints(96, 100), ints(96).add(0.5), torch.randn(8, 96).mul(0.01)];
    const run = (fused: boolean) => {
      const ps = [x, w1, b1, w2].map((t) => t.detach().clone().requiresGrad_(true));
      const [x_, w1_, b1_, w2_] = ps;
      const lin = (a: Tensor, w: Tensor, b?: Tensor) => (fused ? F.linear(a, w, b ?? null) : b ? a.matmul(w.t()).add(b) : a.matmul(w.t()));
      const relu = (t: Tensor) => (fused ? t.relu() : t.mul(t.gt(0).float()));
      for (let step = 0; step < 3; step++) {
        const h = lin(x_, w1_, b1_);
        const r = relu(h);
        const out = lin(relu(r.add(h)), w2_).add(lin(r, w2_).mul(0.5));
        out.logSoftmax(1).sum().backward();
      }
      return ps.map((t) => t.grad!);
    };
    const before = scratchStats().hits;
    const got = run(true);
    expect(scratchStats().hits).toBeGreaterThan(before);
    const want = run(false);
    got.forEach((g, i) => expectClose(g, want[i], 1e-4));
  });

  it("mul, div and pow gradients written into the engine's own gradient give the plain ops' bits", () => {
    // A hook on every intermediate makes each gradient one the engine does not own (a hook saw it),
    // so that run computes every product out of place; the other multiplies into owned gradients.
    // Covers both sides of a product needing gradients, a tensor divisor, and LayerNorm's dx (a
    // Function's own gradient) multiplied in place by the dropout-like mask after it.
    const run = (hooked: boolean) => {
      torch.manualSeed(5);
      const [a, b, d] = [torch.randn(32, 48), torch.randn(32, 48), torch.rand(32, 48).add(0.5)].map((t) => t.requiresGrad_(true));
      const mask = torch.rand(32, 48).gt(0.3).float().mul(1 / 0.7);
      const ln = new nn.LayerNorm(48);
      const see = <T extends Tensor>(t: T): T => (hooked && t.requiresGrad ? (t.registerHook(() => undefined), t) : t);
      const h = see(see(see(a.mul(b)).mul(mask)).div(d));
      const y = see(see(ln.forward(h)).mul(mask)).relu();
      see(see(y.pow(2)).mul(0.5)).sum().backward();
      return [a.grad!, b.grad!, d.grad!, ln.weight!.grad!, ln.bias!.grad!].map((t) => t.tolist());
    };
    expect(run(false)).toEqual(run(true));
  });

  it("the library's Functions (LSTM, GRU, convolution, pooling, BatchNorm) recycling their gradients give the hooked run's bits", () => {
    // Their backward marks what it allocates as the engine's and drops what it is given; with a hook
    // on every output the engine owns nothing, so nothing is recycled or overwritten in place.
    const run = (hooked: boolean) => {
      torch.manualSeed(9);
      const lstm = new nn.LSTM(24, 32, { numLayers: 2 });
      const gru = new nn.GRU(32, 16);
      const bn = new nn.BatchNorm2d(5);
      const conv = new nn.Conv2d(5, 5, 3, { padding: 1 });
      const x = torch.randn(7, 5, 24).requiresGrad_(true);
      const see = <T extends Tensor>(t: T): T => (hooked && t.requiresGrad ? (t.registerHook(() => undefined), t) : t);
      const [h] = lstm.forward(x) as [Tensor, unknown];
      const [y] = gru.forward(see(see(h).mul(h))) as [Tensor, unknown];
      const c = conv.forward(see(see(y).reshape(7, 5, 4, 4)));
      const p = F.maxPool2d(see(c), 2, { stride: 1 });
      const q = F.avgPool2d(see(p.relu()), 2, { stride: 1, padding: 1 });
      const r = bn.forward(see(q));
      see(r).pow(2).sum().backward();
      return [x, ...lstm.parameters(), ...gru.parameters(), ...conv.parameters(), ...bn.parameters()].map((t) => t.grad!.tolist());
    };
    expect(run(false)).toEqual(run(true));
  });

  it("a gradient a Function keeps is never written in place by the rules before it", () => {
    let kept: Tensor | null = null;
    class Keep extends torch.autograd.Function {
      static override forward(_ctx: unknown, x: Tensor): Tensor {
        return x.mul(1);
      }
      static override backward(_ctx: unknown, g: Tensor): Tensor {
        kept = g.mul(2); // also the input's gradient: the engine must not own it
        return kept;
      }
    }
    const x = torch.randn(40, 50).requiresGrad_(true);
    const scale = torch.rand(40, 50).add(1);
    (Keep.apply(x.mul(scale)) as Tensor).sum().backward();
    expect(kept!.tolist()).toEqual(torch.full([40, 50], 2).tolist());
    expect(x.grad!.tolist()).toEqual(scale.mul(2).tolist());
  });

  it("the caller's gradient passed to backward is never written", () => {
    const x = seeded(15, 4, 5);
    const G = torch.randn(4, 5);
    const G0 = G.clone();
    x.relu().backward(G);
    expectClose(G, G0, 0);
    const w = seeded(16, 3, 5);
    const G2 = torch.randn(4, 3);
    const G20 = G2.clone();
    F.linear(x, w).relu().backward(G2);
    expectClose(G2, G20, 0);
  });

  it("relu's gradient is 0 where the output is <= 0 and passes g elsewhere (also at NaN)", () => {
    const x = torch.tensor([-1, 0, 2, Number.NaN]).requiresGrad_(true);
    x.relu().backward(torch.tensor([5, 5, 5, 5]));
    expect(x.grad!.tolist()).toEqual([0, 0, 5, 5]);
  });

  it("add_ / sub_ with alpha round once (a fused multiply-add), with broadcasting", () => {
    const f = Math.fround;
    const a = 1 + 2 ** -23, b = 2 ** -24 * (1 - 2 ** -23); // a*b + c needs one rounding to be right
    const p = torch.tensor([1 + 2 ** -23, 1]);
    p.add_(torch.tensor([b]), { alpha: a });
    expect(p.tolist()).toEqual([1 + 2 ** -23, f(1 + f(a * f(b)))]);
    const q = torch.tensor([[1, 2], [3, 4]]);
    q.sub_(torch.tensor([1, 10]), { alpha: 0.5 });
    expect(q.tolist()).toEqual([[0.5, -3], [2.5, -1]]);
    q.add_(2, { alpha: 3 });
    expect(q.tolist()).toEqual([[6.5, 3], [8.5, 5]]);
    const r = torch.tensor([1, 2], { requiresGrad: true });
    expect(() => r.add_(torch.tensor([1, 1]), { alpha: 2 })).toThrow(/leaf Variable that requires grad/);
    expect(() => q.add_(torch.ones(3, 2), { alpha: 2 })).toThrow();
  });
});
