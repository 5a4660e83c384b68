// torch.autograd.grad / backward (several outputs and inputs, gradOutputs, allowUnused, retainGraph,
// createGraph), higher derivatives, and custom torch.autograd.Function, against PyTorch's results
// for the same programs (values worked out by hand in the comments).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import type { FunctionCtx } from "../lib/autograd/index.js";
import { backends, f32, useBackend, vals } from "./helpers/backends.js";
import { close as closeValues } from "./helpers/close.js";

const close = (t: Tensor | null, want: number[]) => {
  expect(t).not.toBeNull();
  closeValues(vals(t!), want);
};

class MyExp extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    const y = x.exp();
    ctx.saveForBackward(y);
    return y;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return g.mul(y!);
  }
}

/** Two outputs, a non-tensor argument: (x * k, x + y). */
class ScaleAndAdd extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor, k: number, y: Tensor): Tensor[] {
    ctx.k = k;
    ctx.flags = [...ctx.needsInputGrad];
    return [x.mul(k), x.add(y)];
  }
  static override backward(ctx: FunctionCtx, g1: Tensor, g2: Tensor): (Tensor | null)[] {
    return [g1.mul(ctx.k).add(g2), null, ctx.needsInputGrad[2] ? g2 : null];
  }
}

describe.each(backends())("torch.autograd.grad [%s]", (name) => {
  useBackend(name);

  it("several outputs and inputs, leaves' .grad untouched, non-leaf inputs", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const w = torch.tensor([3, 4], { requiresGrad: true });
    const h = x.mul(w);
    const [gx, gw, gh] = torch.autograd.grad([h.sum(), x.mul(x).sum()], [x, w, h]);
    expect(vals(gx!)).toEqual([5, 8]); // w + 2x
    expect(vals(gw!)).toEqual([1, 2]);
    expect(vals(gh!)).toEqual([1, 1]);
    expect([x.grad, w.grad]).toEqual([null, null]);
    expect(gx!.requiresGrad).toBe(false);
  });

  it("gradOutputs, retainGraph, and the freed-graph error", () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x);
    const g = torch.tensor([1, -1, 2]);
    expect(vals(torch.autograd.grad(y, x, { gradOutputs: g, retainGraph: true })[0]!)).toEqual([2, -4, 12]);
    expect(vals(torch.autograd.grad(y, x, { gradOutputs: [g] })[0]!)).toEqual([2, -4, 12]);
    expect(() => torch.autograd.grad(y, x, { gradOutputs: g })).toThrow(/Trying to backward through the graph a second time/);
  });

  it("errors as PyTorch words them", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const w = torch.tensor([1, 2], { requiresGrad: true });
    expect(() => torch.autograd.grad(x.mul(2).sum(), torch.ones(2))).toThrow("One of the differentiated Tensors does not require grad");
    expect(() => torch.autograd.grad(x.mul(2).sum(), [x, w])).toThrow(
      "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
    );
    expect(torch.autograd.grad(x.mul(2).sum(), [x, w], { allowUnused: true })[1]).toBeNull();
    expect(() => torch.autograd.grad(torch.ones(2), [x])).toThrow("element 0 of tensors does not require grad and does not have a grad_fn");
    expect(() => torch.autograd.grad(x.mul(2), [x])).toThrow("grad can be implicitly created only for scalar outputs");
  });

  it("captures before the input's hooks (PyTorch 1.13), runs only what leads to the inputs", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    x.registerHook((g) => g.mul(10));
    expect(vals(torch.autograd.grad(x.mul(2).sum(), x)[0]!)).toEqual([2, 2]);
    const a = torch.tensor([1, 2], { requiresGrad: true });
    const b = a.mul(3);
    let ran = false;
    a.registerHook(() => void (ran = true));
    expect(vals(torch.autograd.grad(b.mul(b).sum(), b)[0]!)).toEqual([6, 12]);
    expect(ran).toBe(false);
  });

  it("createGraph: second and third derivatives of x³ and of tanh", () => {
    const x = torch.tensor([0.5, -1, 2], { requiresGrad: true });
    const [g] = torch.autograd.grad(x.pow(3).sum(), x, { createGraph: true });
    expect(g!.requiresGrad).toBe(true);
    close(g, [0.75, 3, 12]);
    const [h] = torch.autograd.grad(g!.sum(), x, { createGraph: true });
    close(h, [3, -6, 12]);
    const [k] = torch.autograd.grad(h!.sum(), x);
    close(k, [6, 6, 6]);
    const t = torch.tensor([-0.5, 0, 0.5], { requiresGrad: true });
    const [gt] = torch.autograd.grad(t.tanh().sum(), t, { createGraph: true });
    const [ht] = torch.autograd.grad(gt!.sum(), t);
    const th = Math.tanh(0.5);
    close(ht, [2 * th * (1 - th * th), 0, -2 * th * (1 - th * th)]);
  });

  it("backward(createGraph) leaves a differentiable .grad; a Hessian-vector product", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const w = torch.tensor([3, 5]);
    x.mul(x).mul(w).sum().backward({ createGraph: true });
    const g = x.grad!;
    expect(g.requiresGrad).toBe(true);
    expect(vals(g)).toEqual([6, 20]);
    x.grad = null;
    g.sum().backward();
    expect(vals(x.grad!)).toEqual([6, 10]);
    // Hv for f = sum(x0² x1): H = [[2x1, 2x0], [2x0, 0]]
    const y = torch.tensor([1, 2], { requiresGrad: true });
    const f = y.index(0).pow(2).mul(y.index(1));
    const [gy] = torch.autograd.grad(f, y, { createGraph: true });
    const v = torch.tensor([1, -1]);
    const [hv] = torch.autograd.grad(gy!.mul(v).sum(), y);
    expect(vals(hv!)).toEqual(f32([4 - 2, 2]));
  });

  it("gradient penalty through a small MLP (createGraph through linear, relu, cross-entropy)", () => {
    torch.manualSeed(0);
    const model = new torch.nn.Sequential(new torch.nn.Linear(3, 5), new torch.nn.Tanh(), new torch.nn.Linear(5, 2));
    const X = torch.randn(4, 3).requiresGrad_(true);
    const loss = torch.nn.functional.crossEntropy(model.forward(X), torch.tensor([0, 1, 1, 0], { dtype: "int64" }));
    const [gX] = torch.autograd.grad(loss, X, { createGraph: true });
    const penalty = gX!.pow(2).sum();
    penalty.backward();
    for (const p of model.parameters()) expect(p.grad).not.toBeNull();
    // the same gradient with respect to one weight by central differences
    const w = model.parameters()[0];
    const f = () => {
      const l = torch.nn.functional.crossEntropy(model.forward(X), torch.tensor([0, 1, 1, 0], { dtype: "int64" }));
      return torch.autograd.grad(l, X, { createGraph: false })[0]!.pow(2).sum().item();
    };
    const eps = 1e-2;
    const orig = w.typedArray[0];
    w.typedArray[0] = orig + eps;
    const up = f();
    w.typedArray[0] = orig - eps;
    const down = f();
    w.typedArray[0] = orig;
    expect(Math.abs(w.grad!.typedArray[0] - (up - down) / (2 * eps))).toBeLessThan(2e-3 * (1 + Math.abs(w.grad!.typedArray[0])));
  });

  it("autograd.backward from several roots; backward({ inputs }) fills only those", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    torch.autograd.backward([x.mul(2).sum(), x.mul(x)], [null, torch.tensor([1, 1])]);
    expect(vals(x.grad!)).toEqual([4, 6]);
    const a = torch.tensor([1, 2], { requiresGrad: true });
    const w = torch.tensor([3, 4], { requiresGrad: true });
    const h = a.mul(w);
    h.mul(h).sum().backward({ inputs: [w, h] });
    expect(a.grad).toBeNull();
    expect(vals(w.grad!)).toEqual([6, 32]); // 2 a² w
    expect(vals(h.grad!)).toEqual([6, 16]); // 2h
    torch.autograd.backward(a.mul(w).sum(), null, { inputs: a });
    expect(vals(a.grad!)).toEqual([3, 4]);
  });
});

describe.each(backends())("torch.autograd.Function [%s]", (name) => {
  useBackend(name);

  it("forward/backward with saveForBackward, grad_fn name, savedTensors freed after backward", () => {
    const x = torch.tensor([0, 1], { requiresGrad: true });
    const y = MyExp.apply(x) as Tensor;
    expect(y.requiresGrad).toBe(true);
    expect(y.gradFn!.name).toBe("MyExpBackward");
    expect(String(y.gradFn)).toMatch(/^<MyExpBackward object at 0x/);
    y.sum().backward({ retainGraph: true });
    close(x.grad, [1, Math.E]);
    y.sum().backward();
    close(x.grad, [2, 2 * Math.E]);
    expect(() => y.sum().backward()).toThrow(/Trying to backward through the graph a second time/);
    expect(torch.noGrad(() => MyExp.apply(x) as Tensor).requiresGrad).toBe(false);
  });

  it("several outputs, a non-tensor argument, needsInputGrad, missing output gradients as zeros", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const c = torch.tensor([5, 6]);
    const [a, b] = ScaleAndAdd.apply(x, 3, c) as Tensor[];
    expect(a.outputNr).toBe(0);
    expect(b.outputNr).toBe(1);
    expect(a.gradFn).toBe(b.gradFn);
    a.sum().add(b.mul(2).sum()).backward();
    expect(vals(x.grad!)).toEqual([5, 5]);
    x.grad = null;
    const [a2] = ScaleAndAdd.apply(x, 3, c) as Tensor[];
    a2.sum().backward(); // b's gradient materialized as zeros
    expect(vals(x.grad!)).toEqual([3, 3]);
  });

  it("differentiable twice when backward uses differentiable ops", () => {
    const x = torch.tensor([0.5, 1], { requiresGrad: true });
    const [g] = torch.autograd.grad((MyExp.apply(x) as Tensor).sum(), x, { createGraph: true });
    const [h] = torch.autograd.grad(g!.sum(), x);
    close(h, [Math.exp(0.5), Math.E]);
  });

  it("markDirty: an input modified in place and returned takes the node as its history", () => {
    class AddOne extends torch.autograd.Function {
      static override forward(ctx: FunctionCtx, x: Tensor) {
        x.add_(1);
        ctx.markDirty(x);
        return x;
      }
      static override backward(_ctx: FunctionCtx, g: Tensor) {
        return g;
      }
    }
    const a = torch.tensor([1, 2], { requiresGrad: true });
    const b = a.mul(2);
    expect(AddOne.apply(b)).toBe(b);
    expect(vals(b)).toEqual([3, 5]);
    expect(b.gradFn!.name).toBe("AddOneBackward");
    b.mul(b).sum().backward();
    expect(vals(a.grad!)).toEqual([12, 20]); // d/da (2a + 1)² = 4(2a + 1)
    expect(() => AddOne.apply(a)).toThrow("a leaf Variable that requires grad has been used in an in-place operation.");
  });

  it("a wrong number of gradients is PyTorch's error", () => {
    class Bad extends torch.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor, y: Tensor) {
        return x.add(y);
      }
      static override backward(_ctx: FunctionCtx, g: Tensor) {
        return g;
      }
    }
    const x = torch.ones(2).requiresGrad_(true);
    expect(() => (Bad.apply(x, x) as Tensor).sum().backward()).toThrow("function BadBackward returned an incorrect number of gradients (expected 2, got 1)");
  });
});
