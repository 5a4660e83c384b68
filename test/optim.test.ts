// Tests of optim (SGD, Adam, AdamW, RMSprop, Adagrad) and optim.lrScheduler on every available
// backend. Expected values come from the update formulas evaluated here in double precision
// (small reference loops below), never from the conformance files; float32 results must agree
// within rtol 1e-5 / atol 1e-6. ref: torch/optim/*.py and lr_scheduler.py (PyTorch 1.13).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as torch from "../lib/index.js";
import { optim, Tensor } from "../lib/index.js";
import { backends } from "./helpers/backends.js";

const { lrScheduler } = optim;

const RTOL = 1e-5;
const ATOL = 1e-6;

/** Fails with where and what: `adam step 2 [1]: want 0.81 got NaN`. */
function expectClose(actual: Tensor, want: number[], what: string): void {
  const got = actual.contiguous().storage();
  expect(got.length, `${what}: length`).toBe(want.length);
  want.forEach((w, i) => {
    const ok = Math.abs(got[i] - w) <= ATOL + RTOL * Math.abs(w);
    if (!ok) expect.fail(`${what} [${i}]: want ${w} got ${got[i]}`);
  });
}

const leaf = (xs: number[]) => torch.tensor(xs).requiresGrad_();
const arr = (t: Tensor): number[] => Array.from(t.contiguous().storage());

// ---- double-precision references, one per optimizer (PyTorch's formulas, elementwise) ----

type Vec = number[];
const zipMap = (f: (...xs: number[]) => number, ...vs: Vec[]): Vec => vs[0].map((_, i) => f(...vs.map((v) => v[i])));

function refSGD(p: Vec, grads: Vec[], h: { lr: number; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean; maximize?: boolean }): Vec[] {
  const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = h;
  let buf: Vec | null = null;
  const out: Vec[] = [];
  for (const g0 of grads) {
    let d = zipMap((g, x) => (maximize ? -g : g) + weightDecay * x, g0, p);
    if (momentum !== 0) {
      buf = buf === null ? [...d] : zipMap((b, di) => momentum * b + (1 - dampening) * di, buf, d);
      d = nesterov ? zipMap((di, b) => di + momentum * b, d, buf) : buf;
    }
    p = zipMap((x, di) => x - lr * di, p, d);
    out.push(p);
  }
  return out;
}

function refAdam(p: Vec, grads: Vec[], h: { lr: number; betas?: [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean; maximize?: boolean; decoupled?: boolean }): Vec[] {
  const { lr, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false, maximize = false, decoupled = false } = h;
  const [b1, b2] = betas;
  let m = p.map(() => 0), v = p.map(() => 0), vmax = p.map(() => 0);
  const out: Vec[] = [];
  grads.forEach((g0, s) => {
    const t = s + 1;
    let g = g0.map((x) => (maximize ? -x : x));
    if (decoupled) p = p.map((x) => x * (1 - lr * weightDecay));
    else g = zipMap((gi, x) => gi + weightDecay * x, g, p);
    m = zipMap((mi, gi) => b1 * mi + (1 - b1) * gi, m, g);
    v = zipMap((vi, gi) => b2 * vi + (1 - b2) * gi * gi, v, g);
    vmax = zipMap(Math.max, vmax, v);
    const vv = amsgrad ? vmax : v;
    const mhat = m.map((mi) => mi / (1 - b1 ** t));
    const denom = vv.map((vi) => Math.sqrt(vi) / Math.sqrt(1 - b2 ** t) + eps);
    p = zipMap((x, mh, d) => x - (lr * mh) / d, p, mhat, denom);
    out.push(p);
  });
  return out;
}

function refRMSprop(p: Vec, grads: Vec[], h: { lr: number; alpha?: number; eps?: number; weightDecay?: number; momentum?: number; centered?: boolean }): Vec[] {
  const { lr, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false } = h;
  let sq = p.map(() => 0), ga = p.map(() => 0), buf = p.map(() => 0);
  const out: Vec[] = [];
  for (const g0 of grads) {
    const g = zipMap((gi, x) => gi + weightDecay * x, g0, p);
    sq = zipMap((s, gi) => alpha * s + (1 - alpha) * gi * gi, sq, g);
    ga = zipMap((a, gi) => alpha * a + (1 - alpha) * gi, ga, g);
    const avg = zipMap((s, a) => Math.sqrt(centered ? s - a * a : s) + eps, sq, ga);
    if (momentum > 0) {
      buf = zipMap((b, gi, a) => momentum * b + gi / a, buf, g, avg);
      p = zipMap((x, b) => x - lr * b, p, buf);
    } else {
      p = zipMap((x, gi, a) => x - (lr * gi) / a, p, g, avg);
    }
    out.push(p);
  }
  return out;
}

function refAdagrad(p: Vec, grads: Vec[], h: { lr: number; lrDecay?: number; eps?: number; weightDecay?: number; initialAccumulatorValue?: number }): Vec[] {
  const { lr, lrDecay = 0, eps = 1e-10, weightDecay = 0, initialAccumulatorValue = 0 } = h;
  let sum = p.map(() => initialAccumulatorValue);
  const out: Vec[] = [];
  grads.forEach((g0, s) => {
    const g = zipMap((gi, x) => gi + weightDecay * x, g0, p);
    const clr = lr / (1 + s * lrDecay);
    sum = zipMap((a, gi) => a + gi * gi, sum, g);
    p = zipMap((x, gi, a) => x - (clr * gi) / (Math.sqrt(a) + eps), p, g, sum);
    out.push(p);
  });
  return out;
}

/** Runs an optimizer over `grads` on one parameter and checks each step against `want`. */
function runSteps(make: (ps: Tensor[]) => optim.Optimizer, p0: Vec, grads: Vec[], want: Vec[], what: string): Tensor {
  const p = leaf(p0);
  const opt = make([p]);
  grads.forEach((g, s) => {
    p.grad = torch.tensor(g);
    opt.step();
    expectClose(p, want[s], `${what} step ${s + 1}`);
  });
  return p;
}

const P0 = [1.0, -2.0, 0.5, 3.0];
const GRADS = [
  [0.5, -0.25, 2.0, -1.0],
  [0.1, 0.3, -0.5, 0.05],
  [-0.4, 0.2, 1.5, 0.0],
];

describe.each(backends())("optim on the %s backend", (name) => {
  beforeAll(() => torch.setBackend(name));
  afterAll(() => torch.setBackend("js"));

  describe("SGD", () => {
    it("plain step is p - lr*g (checked by hand)", () => {
      const p = leaf([1, -2, 3]);
      const opt = new optim.SGD([p], { lr: 0.1 });
      p.grad = torch.tensor([0.5, 0.25, -1]);
      opt.step();
      expectClose(p, [0.95, -2.025, 3.1], "sgd");
      expect(p.requiresGrad).toBe(true);
      expect(p.isLeaf).toBe(true);
    });

    it("momentum: the first buffer is the gradient itself (no dampening), then m*buf + (1-d)*g", () => {
      const p = leaf([1, -2]);
      const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 });
      p.grad = torch.tensor([1, 2]);
      opt.step();
      expectClose(opt.state.get(p)!.momentumBuffer as Tensor, [1, 2], "buffer after step 1");
      expectClose(p, [0.9, -2.2], "p after step 1");
      p.grad = torch.tensor([3, -1]);
      opt.step();
      // buf = 0.9*[1,2] + 0.5*[3,-1] = [2.4, 1.3]
      expectClose(opt.state.get(p)!.momentumBuffer as Tensor, [2.4, 1.3], "buffer after step 2");
      expectClose(p, [0.9 - 0.24, -2.2 - 0.13], "p after step 2");
    });

    it.each([
      ["momentum", { lr: 0.1, momentum: 0.9 }],
      ["nesterov", { lr: 0.1, momentum: 0.8, nesterov: true }],
      ["weight decay before momentum", { lr: 0.05, momentum: 0.9, weightDecay: 0.1 }],
      ["maximize", { lr: 0.1, momentum: 0.5, maximize: true }],
      ["dampening", { lr: 0.05, momentum: 0.9, dampening: 0.5 }],
    ] as const)("%s matches the formula over 3 steps", (_label, h) => {
      runSteps((ps) => new optim.SGD(ps, { ...h }), P0, GRADS, refSGD(P0, GRADS, h), `sgd ${_label}`);
    });

    it("maximize ascends: p + lr*g", () => {
      const p = leaf([1]);
      const opt = new optim.SGD([p], { lr: 0.5, maximize: true });
      p.grad = torch.tensor([2]);
      opt.step();
      expectClose(p, [2], "maximize");
    });

    it("lr may be given positionally, PyTorch order", () => {
      const p = leaf([1]);
      const opt = new optim.SGD([p], 0.1, 0.9, { nesterov: true });
      expect(opt.paramGroups[0].lr).toBe(0.1);
      expect(opt.paramGroups[0].momentum).toBe(0.9);
      expect(opt.paramGroups[0].nesterov).toBe(true);
    });
  });

  describe("Adam", () => {
    it("first step moves each element by about lr (bias correction), checked by hand", () => {
      // step 1: m = 0.1 g, v = 0.001 g^2, mhat = g, vhat = g^2 -> p -= lr * g / (|g| + eps)
      const p = leaf([1, -1]);
      const opt = new optim.Adam([p], { lr: 0.1 });
      p.grad = torch.tensor([4, -0.5]);
      opt.step();
      expectClose(p, [1 - 0.1 * (4 / (4 + 1e-8)), -1 + 0.1 * (0.5 / (0.5 + 1e-8))], "adam step 1");
      const st = opt.state.get(p)!;
      expect(st.step).toBe(1);
      expectClose(st.expAvg as Tensor, [0.4, -0.05], "exp_avg");
      expectClose(st.expAvgSq as Tensor, [0.016, 0.00025], "exp_avg_sq");
    });

    it.each([
      ["defaults", { lr: 1e-3 }],
      ["betas", { lr: 0.1, betas: [0.8, 0.9] as [number, number] }],
      ["L2 weight decay", { lr: 0.01, weightDecay: 0.1 }],
      ["amsgrad", { lr: 0.05, amsgrad: true }],
      ["maximize and eps", { lr: 0.01, eps: 1e-3, maximize: true }],
    ] as const)("%s matches the formula over 3 steps", (_label, h) => {
      runSteps((ps) => new optim.Adam(ps, { ...h } as optim.AdamOptions), P0, GRADS, refAdam(P0, GRADS, h), `adam ${_label}`);
    });

    it("amsgrad divides by the running max of v, so a small gradient after a large one moves less", () => {
      const grads = [[10], [0.01], [0.01]];
      const want = refAdam([0], grads, { lr: 0.1, amsgrad: true });
      const plain = refAdam([0], grads, { lr: 0.1 });
      expect(Math.abs(want[2][0] - want[1][0])).toBeLessThan(Math.abs(plain[2][0] - plain[1][0]));
      const p = runSteps((ps) => new optim.Adam(ps, { lr: 0.1, amsgrad: true }), [0], grads, want, "amsgrad");
      expect(p.numel()).toBe(1);
    });

    it("eps is added after bias correction: tiny gradients give steps far below lr", () => {
      const g = [[1e-7]];
      const want = refAdam([0], g, { lr: 0.01 });
      // |step| = lr * 1e-7 / (1e-7 + 1e-8) = lr / 1.1
      expect(want[0][0]).toBeCloseTo(-0.01 / 1.1, 12);
      runSteps((ps) => new optim.Adam(ps, { lr: 0.01 }), [0], g, want, "adam tiny");
    });

    it("exposes PyTorch 1.13's complete defaults in paramGroups[0]", () => {
      const opt = new optim.Adam([leaf([1])]);
      const { params, ...h } = opt.paramGroups[0];
      expect(params.length).toBe(1);
      expect(h).toEqual({
        lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false,
        foreach: null, capturable: false, differentiable: false, fused: false,
      });
    });
  });

  describe("AdamW", () => {
    it("defaults to weightDecay 0.01, decoupled from the gradient", () => {
      const opt = new optim.AdamW([leaf([1])]);
      const { params: _p, ...h } = opt.paramGroups[0];
      expect(h).toEqual({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, foreach: null, maximize: false, capturable: false });
      // one step, by hand: p *= 1 - lr*wd, then the Adam step of about lr
      const p = leaf([2]);
      const o = new optim.AdamW([p], { lr: 0.1, weightDecay: 0.5 });
      p.grad = torch.tensor([3]);
      o.step();
      expectClose(p, [2 * (1 - 0.05) - 0.1 * (3 / (3 + 1e-8))], "adamw step 1");
    });

    it.each([
      ["default decay", { lr: 0.01, weightDecay: 0.01 }],
      ["weight decay 0.1", { lr: 0.01, weightDecay: 0.1 }],
      ["amsgrad", { lr: 0.05, amsgrad: true, weightDecay: 0.02 }],
      ["no decay", { lr: 0.1, weightDecay: 0, betas: [0.7, 0.95] as [number, number] }],
    ] as const)("%s matches the formula over 3 steps", (_label, h) => {
      runSteps((ps) => new optim.AdamW(ps, { ...h } as optim.AdamWOptions), P0, GRADS, refAdam(P0, GRADS, { ...h, decoupled: true }), `adamw ${_label}`);
    });

    it("differs from Adam with the same weightDecay (L2 vs decoupled)", () => {
      const a = refAdam(P0, GRADS, { lr: 0.01, weightDecay: 0.1 });
      const w = refAdam(P0, GRADS, { lr: 0.01, weightDecay: 0.1, decoupled: true });
      expect(Math.abs(a[2][0] - w[2][0])).toBeGreaterThan(1e-5);
    });
  });

  describe("RMSprop", () => {
    it("one default step by hand: eps outside the sqrt", () => {
      // v = 0.01 g^2 -> p -= 0.01 * g / (0.1|g| + 1e-8)
      const p = leaf([1, 1]);
      const opt = new optim.RMSprop([p]);
      p.grad = torch.tensor([2, -0.5]);
      opt.step();
      expectClose(p, [1 - (0.01 * 2) / (0.2 + 1e-8), 1 + (0.01 * 0.5) / (0.05 + 1e-8)], "rmsprop");
      expect(opt.state.get(p)!.step).toBe(1);
    });

    it.each([
      ["defaults", { lr: 0.01 }],
      ["alpha", { lr: 0.05, alpha: 0.9 }],
      ["momentum", { lr: 0.01, momentum: 0.9 }],
      ["centered", { lr: 0.01, centered: true }],
      ["centered with momentum", { lr: 0.01, centered: true, momentum: 0.5 }],
      ["weight decay", { lr: 0.02, weightDecay: 0.1 }],
    ] as const)("%s matches the formula over 3 steps", (_label, h) => {
      runSteps((ps) => new optim.RMSprop(ps, { ...h }), P0, GRADS, refRMSprop(P0, GRADS, h), `rmsprop ${_label}`);
    });

    it("keeps the state PyTorch keeps (squareAvg, momentumBuffer, gradAvg only when used)", () => {
      const p = leaf([1]);
      const q = leaf([1]);
      const a = new optim.RMSprop([p]);
      const b = new optim.RMSprop([q], { momentum: 0.5, centered: true });
      p.grad = torch.tensor([1]);
      q.grad = torch.tensor([1]);
      a.step();
      b.step();
      expect(Object.keys(a.state.get(p)!).sort()).toEqual(["squareAvg", "step"]);
      expect(Object.keys(b.state.get(q)!).sort()).toEqual(["gradAvg", "momentumBuffer", "squareAvg", "step"]);
    });
  });

  describe("Adagrad", () => {
    it("one step by hand: default eps 1e-10 and accumulator g^2", () => {
      const p = leaf([1]);
      const opt = new optim.Adagrad([p], { lr: 0.1 });
      expect(opt.paramGroups[0].eps).toBe(1e-10);
      p.grad = torch.tensor([0.5]);
      opt.step();
      expectClose(p, [1 - (0.1 * 0.5) / (0.5 + 1e-10)], "adagrad");
    });

    it.each([
      ["defaults", { lr: 0.01 }],
      ["lr decay", { lr: 0.1, lrDecay: 0.1 }],
      ["initial accumulator", { lr: 0.1, initialAccumulatorValue: 0.5 }],
      ["weight decay", { lr: 0.05, weightDecay: 0.2 }],
    ] as const)("%s matches the formula over 3 steps", (_label, h) => {
      runSteps((ps) => new optim.Adagrad(ps, { ...h }), P0, GRADS, refAdagrad(P0, GRADS, h), `adagrad ${_label}`);
    });

    it("creates its state at construction, like PyTorch", () => {
      const p = leaf([1, 2]);
      const opt = new optim.Adagrad([p], { initialAccumulatorValue: 0.25 });
      const sd = opt.stateDict();
      expect(sd.state[0].step).toBe(0);
      expectClose(sd.state[0].sum as Tensor, [0.25, 0.25], "sum");
    });
  });

  describe("all optimizers", () => {
    const makers: Array<[string, (ps: Tensor[]) => optim.Optimizer]> = [
      ["SGD", (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 })],
      ["Adam", (ps) => new optim.Adam(ps, { lr: 0.1 })],
      ["AdamW", (ps) => new optim.AdamW(ps, { lr: 0.1 })],
      ["RMSprop", (ps) => new optim.RMSprop(ps, { lr: 0.1, momentum: 0.5 })],
      ["Adagrad", (ps) => new optim.Adagrad(ps, { lr: 0.1 })],
    ];

    it.each(makers)("%s skips a parameter whose grad is null and leaves its state alone", (_n, make) => {
      const a = leaf([1, 2]);
      const b = leaf([3, 4]);
      const opt = make([a, b]);
      a.grad = torch.tensor([0.5, 0.5]);
      b.grad = torch.tensor([1, -1]);
      opt.step();
      const bAfter1 = arr(b);
      const stateB = Object.fromEntries(Object.entries(opt.state.get(b)!).map(([k, v]) => [k, v instanceof Tensor ? arr(v) : v]));
      b.grad = null;
      a.grad = torch.tensor([0.5, 0.5]);
      opt.step();
      expect(arr(b)).toEqual(bAfter1);
      const stateB2 = Object.fromEntries(Object.entries(opt.state.get(b)!).map(([k, v]) => [k, v instanceof Tensor ? arr(v) : v]));
      expect(stateB2).toEqual(stateB);
    });

    it.each(makers)("%s: stateDict round trip continues the same trajectory", (_n, make) => {
      const a = leaf([1, -2, 3]);
      const opt = make([a]);
      for (const g of [[0.1, 0.2, -0.3], [0.4, -0.1, 0.2]]) {
        a.grad = torch.tensor(g);
        opt.step();
      }
      const sd = opt.stateDict();
      expect(sd.paramGroups[0].params).toEqual([0]);
      // a second optimizer on a copy of the parameter, restored from the dict
      const b = leaf(arr(a));
      const opt2 = make([b]);
      opt2.loadStateDict(sd);
      // the loaded state holds copies: equal values, different tensors
      for (const [k, v] of Object.entries(sd.state[0])) {
        const mine = opt2.state.get(b)![k];
        if (v instanceof Tensor) {
          expect(mine).not.toBe(v);
          expect(arr(mine as Tensor)).toEqual(arr(v));
        } else expect(mine).toEqual(v);
      }
      const g = [0.3, 0.3, -0.3];
      a.grad = torch.tensor(g);
      b.grad = torch.tensor(g);
      opt.step();
      opt2.step();
      expect(arr(b)).toEqual(arr(a));
      expect(opt2.paramGroups[0].params[0]).toBe(b);
    });
  });

  describe("param groups", () => {
    it("each group uses its own lr; defaults fill the rest", () => {
      const a = leaf([1]);
      const b = leaf([1]);
      const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
      expect(opt.paramGroups[1].momentum).toBe(0.9);
      a.grad = torch.tensor([1]);
      b.grad = torch.tensor([1]);
      opt.step();
      expectClose(a, [0.9], "group 0");
      expectClose(b, [0.5], "group 1");
    });

    it("addParamGroup adds parameters later; a parameter can't be in two groups", () => {
      const a = leaf([1]);
      const b = leaf([2]);
      const opt = new optim.Adam([a], { lr: 0.1 });
      opt.addParamGroup({ params: [b], lr: 0.01 });
      expect(opt.paramGroups.length).toBe(2);
      expect(opt.paramGroups[1].betas).toEqual([0.9, 0.999]);
      expect(() => opt.addParamGroup({ params: [a] })).toThrow("some parameters appear in more than one parameter group");
    });

    it("accepts any iterable of tensors, e.g. a generator like model.parameters()", () => {
      const a = leaf([1]);
      const b = leaf([2]);
      const opt = new optim.Adam((function* () { yield a; yield b; })(), 0.1, [0.8, 0.9]);
      expect(opt.paramGroups[0].params).toEqual([a, b]);
      expect(opt.paramGroups[0].betas).toEqual([0.8, 0.9]);
    });

    it("SGD's lr is required in every group when no default is given", () => {
      const a = leaf([1]);
      expect(() => new optim.SGD([a])).toThrow("parameter group didn't specify a value of required optimization parameter lr");
      const opt = new optim.SGD([{ params: [a], lr: 0.2 }]);
      expect(opt.paramGroups[0].lr).toBe(0.2);
    });

    it("stateDict packs parameters as indices in group order", () => {
      const a = leaf([1]);
      const b = leaf([2]);
      const c = leaf([3]);
      const opt = new optim.SGD([{ params: [a, b] }, { params: [c], lr: 1 }], { lr: 0.1 });
      const sd = opt.stateDict();
      expect(sd.paramGroups.map((g) => g.params)).toEqual([[0, 1], [2]]);
      expect(sd.paramGroups[1].lr).toBe(1);
      expect(() => new optim.SGD([a, b, c], { lr: 0.1 }).loadStateDict(sd)).toThrow("loaded state dict has a different number of parameter groups");
    });
  });

  describe("zeroGrad and step", () => {
    it("zeroGrad zeroes grads in place (PyTorch 1.13); setToNone sets them to null", () => {
      const a = leaf([1, 2]);
      const opt = new optim.SGD([a], { lr: 0.1 });
      a.grad = torch.tensor([3, 4]);
      const g = a.grad;
      opt.zeroGrad();
      expect(a.grad).toBe(g);
      expect(arr(a.grad!)).toEqual([0, 0]);
      opt.zeroGrad({ setToNone: true });
      expect(a.grad).toBeNull();
    });

    it("step(closure) re-evaluates with grad enabled and returns the loss", () => {
      const w = leaf([2]);
      const opt = new optim.SGD([w], { lr: 0.25 });
      const loss = torch.noGrad(() =>
        opt.step(() => {
          opt.zeroGrad();
          const l = w.mul(w).sum(); // d/dw = 2w = 4
          l.backward();
          return l;
        }),
      );
      expect(loss!.item()).toBe(4);
      expectClose(w, [1], "after closure step");
    });

    it("updates a strided (transposed) parameter view in place", () => {
      const base = torch.tensor([[1, 2], [3, 4]]);
      const p = base.t().requiresGrad_();
      const opt = new optim.SGD([p], { lr: 1 });
      p.grad = torch.tensor([[0, 1], [0, 0]]); // grad for p[0][1], which is base[1][0]
      opt.step();
      expect(base.tolist()).toEqual([[1, 2], [2, 4]]);
    });

    it("trains a tiny least-squares problem with autograd end to end", () => {
      const w = leaf([0, 0]);
      const X = torch.tensor([[1, 0], [0, 1], [1, 1]]);
      const y = torch.tensor([1, 2, 3]); // y = X @ [1, 2]
      // the loss's Hessian (2/3) X^T X has eigenvalues 2 and 2/3: lr 0.3 contracts by 0.8 per step
      const opt = new optim.SGD([w], { lr: 0.3 });
      for (let i = 0; i < 100; i++) {
        opt.zeroGrad();
        const r = X.matmul(w).sub(y);
        r.mul(r).mean().backward();
        opt.step();
      }
      const [w0, w1] = arr(w);
      expect(Math.abs(w0 - 1) + Math.abs(w1 - 2), `w = [${w0}, ${w1}]`).toBeLessThan(1e-4);
    });
  });

  describe("errors", () => {
    const p = () => [leaf([1])];
    it.each([
      [() => new optim.SGD(p(), { lr: -1 }), "Invalid learning rate: -1"],
      [() => new optim.SGD(p(), { lr: 0.1, momentum: -0.5 }), "Invalid momentum value: -0.5"],
      [() => new optim.SGD(p(), { lr: 0.1, weightDecay: -1 }), "Invalid weight_decay value: -1"],
      [() => new optim.SGD(p(), { lr: 0.1, nesterov: true }), "Nesterov momentum requires a momentum and zero dampening"],
      [() => new optim.SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), "Nesterov momentum requires a momentum and zero dampening"],
      [() => new optim.Adam(p(), { betas: [1, 0.999] }), "Invalid beta parameter at index 0: 1"],
      [() => new optim.Adam(p(), { betas: [0.9, -0.1] }), "Invalid beta parameter at index 1: -0.1"],
      [() => new optim.Adam(p(), { eps: -1 }), "Invalid epsilon value: -1"],
      [() => new optim.AdamW(p(), { lr: -0.1 }), "Invalid learning rate: -0.1"],
      [() => new optim.RMSprop(p(), { alpha: -1 }), "Invalid alpha value: -1"],
      [() => new optim.Adagrad(p(), { lrDecay: -1 }), "Invalid lr_decay value: -1"],
      [() => new optim.Adagrad(p(), { initialAccumulatorValue: -1 }), "Invalid initial_accumulator_value value: -1"],
      [() => new optim.SGD([], { lr: 0.1 }), "optimizer got an empty parameter list"],
      [() => new optim.SGD(torch.tensor([1]) as never, { lr: 0.1 }), "should be an iterable of Tensors or dicts"],
      [() => new optim.SGD([1 as never], { lr: 0.1 }), "optimizer can only optimize Tensors"],
      [() => new optim.SGD([leaf([1]).mul(2)], { lr: 0.1 }), "can't optimize a non-leaf Tensor"],
      [() => new optim.SGD(p(), { lr: "0.1" as never }), "SGD: lr must be a number, got string"],
      [() => new optim.SGD(p(), { lr: 0.1, weight_decay: 0.1 } as never), 'did you mean "weightDecay"'],
      [() => new optim.Adam(p(), { betas: [0.9] as never }), "betas must be an array of 2 numbers"],
    ])("%#: throws a clear error", (f, msg) => {
      expect(f).toThrow(msg);
    });

    it("a gradient of the wrong shape is named at step()", () => {
      const a = leaf([1, 2]);
      const opt = new optim.Adam([a]);
      a.grad = torch.tensor([1, 2, 3]);
      expect(() => opt.step()).toThrow("parameter 0: .grad has shape [3] but the parameter has shape [2]");
    });
  });
});

describe("lr schedulers", () => {
  const sgd = (lr = 1, n = 1) => new optim.SGD(Array.from({ length: n }, () => leaf([1])), { lr });
  /** getLastLr() for epochs 0..n-1, stepping the optimizer first as PyTorch asks. */
  function lrs(s: { step(): void; getLastLr(): number[]; optimizer: optim.Optimizer }, n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      out.push(s.getLastLr()[0]);
      s.optimizer.step();
      s.step();
    }
    return out;
  }
  const near = (got: number[], want: number[]) => got.forEach((g, i) => expect(g, `epoch ${i}`).toBeCloseTo(want[i], 12));

  it("StepLR multiplies by gamma every stepSize epochs and records initialLr", () => {
    const s = new lrScheduler.StepLR(sgd(0.1), 3, { gamma: 0.5 });
    expect(s.optimizer.paramGroups[0].initialLr).toBe(0.1);
    near(lrs(s, 8), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]);
    expect(s.lastEpoch).toBe(8);
  });

  it("MultiStepLR decays at each milestone (a repeated milestone twice)", () => {
    const s = new lrScheduler.MultiStepLR(sgd(1), [4, 2, 4], { gamma: 0.1 });
    near(lrs(s, 6), [1, 1, 0.1, 0.1, 0.001, 0.001]);
  });

  it("ExponentialLR multiplies by gamma every epoch", () => {
    const s = new lrScheduler.ExponentialLR(sgd(2), 0.5);
    near(lrs(s, 4), [2, 1, 0.5, 0.25]);
  });

  it("CosineAnnealingLR follows eta_min + (base - eta_min)(1 + cos(pi t/T))/2, then climbs back", () => {
    const T = 4, base = 0.1, etaMin = 0.01;
    const s = new lrScheduler.CosineAnnealingLR(sgd(base), { TMax: T, etaMin });
    const want = Array.from({ length: 9 }, (_, t) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * t) / T))) / 2);
    near(lrs(s, 9), want);
  });

  it("LambdaLR sets base * lambda(epoch), one lambda per group", () => {
    const opt = new optim.SGD([{ params: [leaf([1])], lr: 1 }, { params: [leaf([1])], lr: 2 }], { lr: 1 });
    const s = new lrScheduler.LambdaLR(opt, [(e) => 0.5 ** e, (e) => 1 / (e + 1)]);
    opt.step();
    s.step();
    opt.step();
    s.step();
    near(s.getLastLr(), [0.25, 2 / 3]);
    expect(() => new lrScheduler.LambdaLR(opt, [(e: number) => e])).toThrow("Expected 2 lr_lambdas, but got 1");
  });

  it("warns when the scheduler steps before the optimizer", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const s = new lrScheduler.ExponentialLR(sgd(1), 0.9);
    s.step();
    expect(spy.mock.calls.some((c) => String(c[0]).includes("Detected call of `lr_scheduler.step()` before `optimizer.step()`"))).toBe(true);
    spy.mockRestore();
  });

  it("stateDict/loadStateDict resume a schedule", () => {
    const s = new lrScheduler.StepLR(sgd(1), 2);
    lrs(s, 3);
    const sd = s.stateDict();
    expect(sd.lastEpoch).toBe(3);
    expect(sd).not.toHaveProperty("optimizer");
    const opt2 = sgd(1);
    const s2 = new lrScheduler.StepLR(opt2, 2);
    s2.loadStateDict(sd);
    opt2.paramGroups[0].lr = s.optimizer.paramGroups[0].lr;
    expect(lrs(s2, 3).slice(1)).toEqual(lrs(s, 3).slice(1));
  });

  it("step(epoch) jumps with the closed form (deprecated, warns)", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const s = new lrScheduler.StepLR(sgd(1), 2, 0.5);
    s.optimizer.step();
    s.step(5);
    expect(s.getLastLr()[0]).toBeCloseTo(0.25, 15);
    spy.mockRestore();
  });

  describe("ReduceLROnPlateau", () => {
    it("reduces after more than `patience` epochs without improvement, then cools down", () => {
      const opt = sgd(1);
      const s = new lrScheduler.ReduceLROnPlateau(opt, { patience: 2, factor: 0.5, cooldown: 1 });
      const metrics = [10, 9, 9, 9, 9, 9, 9, 9, 9];
      const seen = metrics.map((m) => {
        s.step(m);
        return opt.paramGroups[0].lr as number;
      });
      // improvement at epochs 1-2; bad at 3,4,5 -> reduce at 5 (3 > 2); cooldown eats epoch 6's
      // bad epoch, then 7, 8, 9 are bad -> reduce at 9
      expect(seen).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
      expect(s.getLastLr()).toEqual([0.25]);
    });

    it("threshold: rel needs a relative improvement, abs an absolute one; max mode", () => {
      const rel = new lrScheduler.ReduceLROnPlateau(sgd(1), { threshold: 0.1, patience: 0 });
      rel.step(100);
      rel.step(95); // not < 100 * 0.9: bad -> reduce (patience 0)
      expect(rel.getLastLr()[0]).toBeCloseTo(0.1, 15);
      const abs = new lrScheduler.ReduceLROnPlateau(sgd(1), { threshold: 1, thresholdMode: "abs", patience: 0 });
      abs.step(100);
      abs.step(98.5); // < 100 - 1: better
      expect(abs.getLastLr()[0]).toBe(1);
      const mx = new lrScheduler.ReduceLROnPlateau(sgd(1), "max", { patience: 0 });
      mx.step(torch.tensor(1));
      mx.step(torch.tensor(2));
      expect(mx.getLastLr()[0]).toBe(1);
      mx.step(torch.tensor(1.5));
      expect(mx.getLastLr()[0]).toBeCloseTo(0.1, 15);
    });

    it("never goes below minLr, and ignores reductions smaller than eps", () => {
      const opt = new optim.SGD([{ params: [leaf([1])] }, { params: [leaf([1])] }], { lr: 1 });
      const s = new lrScheduler.ReduceLROnPlateau(opt, { patience: 0, minLr: [0.3, 0], factor: 0.5 });
      for (const m of [1, 1, 1, 1]) s.step(m);
      expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.3, 0.125]);
      const tiny = sgd(1e-9);
      const t = new lrScheduler.ReduceLROnPlateau(tiny, { patience: 0 });
      t.step(1);
      t.step(1);
      expect(tiny.paramGroups[0].lr).toBe(1e-9); // 1e-9 - 1e-10 < eps = 1e-8
    });

    it("rejects bad arguments as PyTorch does", () => {
      expect(() => new lrScheduler.ReduceLROnPlateau(sgd(1), { factor: 1 })).toThrow("Factor should be < 1.0.");
      expect(() => new lrScheduler.ReduceLROnPlateau(sgd(1), { mode: "up" as never })).toThrow("mode up is unknown!");
      expect(() => new lrScheduler.ReduceLROnPlateau(sgd(1), { thresholdMode: "x" as never })).toThrow("threshold mode x is unknown!");
      expect(() => new lrScheduler.ReduceLROnPlateau({} as never)).toThrow("is not an Optimizer");
    });
  });
});
