// Tests of optim.Adamax, NAdam, RAdam, Adadelta, Rprop, ASGD (and LBFGS below) on every backend.
// Expected values come from each update formula evaluated here in plain JS doubles (reference
// loops below) on a small float64 problem, never from PyTorch's output.
// ref: torch/optim/*.py _single_tensor_* (PyTorch 1.13).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { optim, Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

type Vec = number[];
const f32 = Math.fround;
const zipMap = (f: (...xs: number[]) => number, ...vs: Vec[]): Vec => vs[0].map((_, i) => f(...vs.map((v) => v[i])));

// The problem: f(p) = sum_i a_i (p_i - b_i)^2, gradient 2 a (p - b).
const A = [1, 3, 0.5];
const B = [0.5, -1, 2];
const P0 = [1.5, -2, -0.5];
const gradOf = (p: Vec): Vec => zipMap((x, a, b) => 2 * a * (x - b), p, A, B);

function lossOf(p: Tensor): Tensor {
  const a = torch.tensor(A, { dtype: p.dtype }), b = torch.tensor(B, { dtype: p.dtype });
  return a.mul(p.sub(b).pow(2)).sum();
}

/** `steps` steps of `make([p])` on the problem; the trajectory of p. */
function run(make: (params: Tensor[]) => optim.Optimizer, steps: number, dtype: "float64" | "float32" = "float64"): { traj: Vec[]; p: Tensor; opt: optim.Optimizer } {
  const p = torch.tensor(P0, { dtype }).requiresGrad_();
  const opt = make([p]);
  const traj: Vec[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    lossOf(p).backward();
    opt.step();
    traj.push(vals(p));
  }
  return { traj, p, opt };
}

function expectTraj(got: Vec[], want: Vec[], tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, s) =>
    row.forEach((x, i) => {
      if (!(Math.abs(x - want[s][i]) <= tol * (1 + Math.abs(want[s][i])))) expect.fail(`step ${s + 1} [${i}]: want ${want[s][i]} got ${x}`);
    }),
  );
}

// ---- reference loops (double) ----
interface Common { lr: number; weightDecay?: number; maximize?: boolean }
function grad0(p: Vec, h: Common): Vec {
  const g = gradOf(p).map((x) => (h.maximize ? -x : x));
  return zipMap((gi, x) => gi + (h.weightDecay ?? 0) * x, g, p);
}

function refAdamax(p: Vec, steps: number, h: Common & { betas?: number[]; eps?: number }): Vec[] {
  const [b1, b2] = h.betas ?? [0.9, 0.999], eps = h.eps ?? 1e-8;
  let m = p.map(() => 0), u = p.map(() => 0);
  const out: Vec[] = [];
  for (let t = 1; t <= steps; t++) {
    const g = grad0(p, h);
    m = zipMap((mi, gi) => b1 * mi + (1 - b1) * gi, m, g);
    u = zipMap((ui, gi) => Math.max(b2 * ui, Math.abs(gi) + eps), u, g);
    const clr = h.lr / (1 - b1 ** t);
    p = zipMap((x, mi, ui) => x - (clr * mi) / ui, p, m, u);
    out.push(p);
  }
  return out;
}

function refNAdam(p: Vec, steps: number, h: Common & { betas?: number[]; eps?: number; momentumDecay?: number }): Vec[] {
  const [b1, b2] = h.betas ?? [0.9, 0.999], eps = h.eps ?? 1e-8, md = h.momentumDecay ?? 4e-3;
  let m = p.map(() => 0), v = p.map(() => 0), muProd = 1;
  const out: Vec[] = [];
  for (let t = 1; t <= steps; t++) {
    const g = grad0(p, h);
    const mu = b1 * (1 - 0.5 * 0.96 ** (t * md)), muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * md));
    muProd = f32(muProd * f32(mu)); // PyTorch's mu_product is a float32 tensor
    const muProdNext = f32(f32(muProd * f32(mu)) * f32(muNext));
    m = zipMap((mi, gi) => b1 * mi + (1 - b1) * gi, m, g);
    v = zipMap((vi, gi) => b2 * vi + (1 - b2) * gi * gi, v, g);
    const bc2 = 1 - b2 ** t;
    p = zipMap((x, gi, mi, vi) => {
      const d = Math.sqrt(vi / bc2) + eps;
      return x - (h.lr * (1 - mu)) / (1 - muProd) * gi / d - (h.lr * muNext) / (1 - muProdNext) * mi / d;
    }, p, g, m, v);
    out.push(p);
  }
  return out;
}

function refRAdam(p: Vec, steps: number, h: Common & { betas?: number[]; eps?: number }): Vec[] {
  const [b1, b2] = h.betas ?? [0.9, 0.999], eps = h.eps ?? 1e-8;
  let m = p.map(() => 0), v = p.map(() => 0);
  const out: Vec[] = [];
  const rhoInf = 2 / (1 - b2) - 1;
  for (let t = 1; t <= steps; t++) {
    const g = grad0(p, h);
    m = zipMap((mi, gi) => b1 * mi + (1 - b1) * gi, m, g);
    v = zipMap((vi, gi) => b2 * vi + (1 - b2) * gi * gi, v, g);
    const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
    const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
    p = zipMap((x, mi, vi) => {
      const mhat = mi / bc1;
      if (rhoT <= 5) return x - h.lr * mhat;
      const r = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      return x - h.lr * mhat * r * Math.sqrt(bc2) / (Math.sqrt(vi) + eps);
    }, p, m, v);
    out.push(p);
  }
  return out;
}

function refAdadelta(p: Vec, steps: number, h: Common & { rho?: number; eps?: number }): Vec[] {
  const rho = h.rho ?? 0.9, eps = h.eps ?? 1e-6;
  let v = p.map(() => 0), acc = p.map(() => 0);
  const out: Vec[] = [];
  for (let t = 1; t <= steps; t++) {
    const g = grad0(p, h);
    v = zipMap((vi, gi) => rho * vi + (1 - rho) * gi * gi, v, g);
    const delta = zipMap((ai, vi, gi) => (Math.sqrt(ai + eps) / Math.sqrt(vi + eps)) * gi, acc, v, g);
    acc = zipMap((ai, di) => rho * ai + (1 - rho) * di * di, acc, delta);
    p = zipMap((x, di) => x - h.lr * di, p, delta);
    out.push(p);
  }
  return out;
}

function refRprop(p: Vec, steps: number, h: Common & { etas?: number[]; stepSizes?: number[] }): Vec[] {
  const [em, ep] = h.etas ?? [0.5, 1.2], [smin, smax] = h.stepSizes ?? [1e-6, 50];
  let prev = p.map(() => 0), ss = p.map(() => h.lr);
  const out: Vec[] = [];
  for (let t = 1; t <= steps; t++) {
    const g = grad0(p, h);
    const gs = [...g];
    ss = ss.map((s, i) => {
      const prod = g[i] * prev[i];
      if (prod > 0) return Math.min(s * ep, smax);
      if (prod < 0) {
        gs[i] = 0;
        return Math.max(s * em, smin);
      }
      return Math.min(Math.max(s, smin), smax);
    });
    p = zipMap((x, gi, si) => x - Math.sign(gi) * si, p, gs, ss);
    prev = gs;
    out.push(p);
  }
  return out;
}

function refASGD(p: Vec, steps: number, h: Common & { lambd?: number; alpha?: number; t0?: number }): { traj: Vec[]; ax: Vec } {
  const lambd = h.lambd ?? 1e-4, alpha = h.alpha ?? 0.75, t0 = h.t0 ?? 1e6;
  let eta = f32(h.lr), mu = 1, ax = p.map(() => 0);
  const traj: Vec[] = [];
  for (let t = 1; t <= steps; t++) {
    const g = grad0(p, h);
    p = zipMap((x, gi) => x * (1 - lambd * eta) - eta * gi, p, g);
    ax = mu === 1 ? [...p] : zipMap((a, x) => a + mu * (x - a), ax, p);
    eta = f32(h.lr / (1 + lambd * h.lr * t) ** alpha); // PyTorch's eta and mu are float32 tensors
    mu = f32(1 / Math.max(1, t - t0));
    traj.push(p);
  }
  return { traj, ax };
}

describe.each(backends())("optim extras (%s backend)", (name) => {
  useBackend(name);

  describe("Adamax", () => {
    it("follows the update formula (defaults, then betas/eps/weightDecay, maximize)", () => {
      expectTraj(run((ps) => new optim.Adamax(ps), 5).traj, refAdamax(P0, 5, { lr: 2e-3 }));
      const h = { lr: 0.1, betas: [0.8, 0.9] as [number, number], eps: 1e-3, weightDecay: 0.1 };
      expectTraj(run((ps) => new optim.Adamax(ps, h), 6).traj, refAdamax(P0, 6, h));
      expectTraj(run((ps) => new optim.Adamax(ps, 0.05, [0.9, 0.99], 1e-8, 0, null, { maximize: true }), 4).traj, refAdamax(P0, 4, { lr: 0.05, betas: [0.9, 0.99], maximize: true }));
    });
    it("rejects bad arguments with PyTorch's messages", () => {
      const p = [torch.zeros([2]).requiresGrad_()];
      expect(() => new optim.Adamax(p, -1)).toThrow(/^Invalid learning rate: -1$/);
      expect(() => new optim.Adamax(p, { eps: -1 })).toThrow(/Invalid epsilon value: -1/);
      expect(() => new optim.Adamax(p, { betas: [1, 0.9] })).toThrow(/Invalid beta parameter at index 0: 1/);
      expect(() => new optim.Adamax(p, { betas: [0.9, -0.5] })).toThrow(/Invalid beta parameter at index 1: -0.5/);
      expect(() => new optim.Adamax(p, { weightDecay: -0.1 })).toThrow(/Invalid weight_decay value: -0.1/);
    });
  });

  describe("NAdam", () => {
    it("follows the update formula (defaults, momentumDecay, weightDecay)", () => {
      expectTraj(run((ps) => new optim.NAdam(ps), 5).traj, refNAdam(P0, 5, { lr: 2e-3 }));
      const h = { lr: 0.05, betas: [0.85, 0.95] as [number, number], eps: 1e-6, weightDecay: 0.2, momentumDecay: 0.1 };
      expectTraj(run((ps) => new optim.NAdam(ps, h), 6).traj, refNAdam(P0, 6, h));
    });
    it("rejects bad arguments; has no maximize (as in PyTorch 1.13)", () => {
      const p = [torch.zeros([2]).requiresGrad_()];
      expect(() => new optim.NAdam(p, { momentumDecay: -1 })).toThrow(/Invalid momentum_decay value: -1/);
      expect(() => new optim.NAdam(p, { betas: [0.9, 1] })).toThrow(/Invalid beta parameter at index 1: 1/);
      expect(() => new optim.NAdam(p, { maximize: true } as never)).toThrow(/unknown option "maximize"/);
    });
  });

  describe("RAdam", () => {
    it("follows the update formula through the rho_t <= 5 warm-up and after it", () => {
      // beta2 = 0.9: rho_inf = 19, rho_t > 5 from step 5 on
      const h = { lr: 0.05, betas: [0.8, 0.9] as [number, number], weightDecay: 0.05 };
      expectTraj(run((ps) => new optim.RAdam(ps, h), 8).traj, refRAdam(P0, 8, h));
      expectTraj(run((ps) => new optim.RAdam(ps), 7).traj, refRAdam(P0, 7, { lr: 1e-3 }));
    });
    it("rejects bad arguments", () => {
      const p = [torch.zeros([2]).requiresGrad_()];
      expect(() => new optim.RAdam(p, { lr: -0.5 })).toThrow(/Invalid learning rate: -0.5/);
      expect(() => new optim.RAdam(p, { maximize: true } as never)).toThrow(/unknown option "maximize"/);
    });
  });

  describe("Adadelta", () => {
    it("follows the update formula (lr 1.0 default, rho, eps, weightDecay, maximize)", () => {
      expectTraj(run((ps) => new optim.Adadelta(ps), 5).traj, refAdadelta(P0, 5, { lr: 1 }));
      const h = { lr: 0.5, rho: 0.8, eps: 1e-4, weightDecay: 0.3 };
      expectTraj(run((ps) => new optim.Adadelta(ps, h), 6).traj, refAdadelta(P0, 6, h));
      expectTraj(run((ps) => new optim.Adadelta(ps, { maximize: true }), 3).traj, refAdadelta(P0, 3, { lr: 1, maximize: true }));
      expect(new optim.Adadelta([torch.zeros([1]).requiresGrad_()]).defaults.lr).toBe(1);
    });
    it("rejects bad arguments", () => {
      const p = [torch.zeros([2]).requiresGrad_()];
      expect(() => new optim.Adadelta(p, { rho: 1.5 })).toThrow(/Invalid rho value: 1.5/);
      expect(() => new optim.Adadelta(p, 1, 0.9, -1)).toThrow(/Invalid epsilon value: -1/);
      expect(() => new optim.Adadelta(p, { weightDecay: -1 })).toThrow(/Invalid weight_decay value: -1/);
    });
  });

  describe("Rprop", () => {
    it("grows, shrinks and clamps step sizes; a sign flip zeroes that element's move", () => {
      const h = { lr: 0.6, etas: [0.4, 1.5] as [number, number], stepSizes: [0.01, 1] as [number, number] };
      const want = refRprop(P0, 10, h);
      expectTraj(run((ps) => new optim.Rprop(ps, h), 10).traj, want);
      // the run must see flips and the clamp, or it tests little
      expect(want.some((p, s) => s > 0 && p.some((x, i) => x === want[s - 1][i]))).toBe(true);
      expectTraj(run((ps) => new optim.Rprop(ps), 6).traj, refRprop(P0, 6, { lr: 0.01 }));
      expectTraj(run((ps) => new optim.Rprop(ps, 0.1, [0.5, 1.2], [1e-6, 50], null, true), 4).traj, refRprop(P0, 4, { lr: 0.1, maximize: true }));
    });
    it("rejects bad etas", () => {
      const p = [torch.zeros([2]).requiresGrad_()];
      expect(() => new optim.Rprop(p, { etas: [1.5, 1.2] })).toThrow(/^Invalid eta values: 1.5, 1.2$/);
      expect(() => new optim.Rprop(p, { etas: [0.5, 1] })).toThrow(/Invalid eta values: 0.5, 1/);
      expect(() => new optim.Rprop(p, -1)).toThrow(/Invalid learning rate: -1/);
      expect(() => new optim.Rprop(p, { weightDecay: 0.1 } as never)).toThrow(/unknown option "weightDecay"/);
    });
  });

  describe("ASGD", () => {
    it("follows the update formula and keeps the average ax (after t0)", () => {
      const h = { lr: 0.05, lambd: 0.01, alpha: 0.5, t0: 3, weightDecay: 0.1 };
      const { traj, p, opt } = run((ps) => new optim.ASGD(ps, h), 8);
      const want = refASGD(P0, 8, h);
      expectTraj(traj, want.traj);
      expectTraj([vals(opt.state.get(p)!.ax as Tensor)], [want.ax]);
      expect(opt.state.get(p)!.mu).toBe(f32(1 / 5));
      const d = refASGD(P0, 5, { lr: 0.01 });
      const r = run((ps) => new optim.ASGD(ps), 5);
      expectTraj(r.traj, d.traj);
      expectTraj([vals(r.opt.state.get(r.p)!.ax as Tensor)], [d.ax]);
      expectTraj(run((ps) => new optim.ASGD(ps, { lr: 0.02, maximize: true }), 3).traj, refASGD(P0, 3, { lr: 0.02, maximize: true }).traj);
    });
    it("rejects bad arguments", () => {
      const p = [torch.zeros([2]).requiresGrad_()];
      expect(() => new optim.ASGD(p, -0.1)).toThrow(/Invalid learning rate: -0.1/);
      expect(() => new optim.ASGD(p, { weightDecay: -2 })).toThrow(/Invalid weight_decay value: -2/);
    });
  });

  const makers: Array<[string, (ps: Tensor[]) => optim.Optimizer]> = [
    ["Adamax", (ps) => new optim.Adamax(ps, { lr: 0.1, weightDecay: 0.01 })],
    ["NAdam", (ps) => new optim.NAdam(ps, { lr: 0.1 })],
    ["RAdam", (ps) => new optim.RAdam(ps, { lr: 0.1, betas: [0.9, 0.9] })],
    ["Adadelta", (ps) => new optim.Adadelta(ps, { lr: 0.7 })],
    ["Rprop", (ps) => new optim.Rprop(ps, { lr: 0.3 })],
    ["ASGD", (ps) => new optim.ASGD(ps, { lr: 0.05, t0: 2 })],
  ];

  it("prints PyTorch's repr (snake_case names, Python number formats, float defaults as floats)", () => {
    const p = [torch.zeros([2]).requiresGrad_()];
    expect(String(new optim.Rprop(p))).toBe(
      "Rprop (\nParameter Group 0\n    etas: (0.5, 1.2)\n    foreach: None\n    lr: 0.01\n    maximize: False\n    step_sizes: (1e-06, 50)\n)",
    );
    expect(String(new optim.Adadelta(p))).toContain("\n    lr: 1.0\n    maximize: False\n    rho: 0.9\n    weight_decay: 0\n");
    expect(String(new optim.Adadelta(p, { lr: 2 }))).toContain("\n    lr: 2\n");
    expect(String(new optim.ASGD(p))).toContain("\n    t0: 1000000.0\n");
    expect(String(new optim.NAdam(p))).toContain("\n    momentum_decay: 0.004\n");
    expect(String(new optim.LBFGS(p))).toContain("\n    line_search_fn: None\n    lr: 1\n    max_eval: 25\n");
  });

  it.each(makers)("%s: a strided (transposed) parameter steps like a contiguous one", (_n, make) => {
    const base = torch.tensor([[1.5, -2, 0.25], [0.5, 3, -1]], { dtype: "float64" });
    const pc = base.t().contiguous().requiresGrad_();
    const pt = base.clone().t().detach().requiresGrad_(); // shape [3, 2], strides [1, 3]
    expect(pt.isContiguous()).toBe(false);
    const oc = make([pc]), ot = make([pt]);
    for (let s = 0; s < 4; s++) {
      for (const [o, p] of [[oc, pc], [ot, pt]] as const) {
        o.zeroGrad();
        p.pow(3).sum().add(p.sum()).backward();
        o.step();
      }
      expect(vals(pt)).toEqual(vals(pc));
    }
  });

  it.each(makers)("%s: stateDict round trip continues the same trajectory; float32 follows float64", (_n, make) => {
    const a = run(make, 3);
    const sd = a.opt.stateDict();
    const json = JSON.stringify(Object.keys(sd.state[0]).sort());
    const q = a.p.detach().clone().requiresGrad_();
    const b = make([q]);
    b.loadStateDict(sd);
    expect(JSON.stringify(Object.keys(b.stateDict().state[0]).sort())).toBe(json);
    for (let s = 0; s < 4; s++) {
      for (const [opt, p] of [[a.opt, a.p], [b, q]] as const) {
        opt.zeroGrad();
        lossOf(p).backward();
        opt.step();
      }
      expect(vals(q)).toEqual(vals(a.p));
    }
    // float32: the same trajectory within float32 rounding
    const d = run(make, 5).traj, f = run(make, 5, "float32").traj;
    expectTraj(f, d, 1e-4);
  });
});

// ---- LBFGS ----

/** Fixed-step L-BFGS (no line search) on f(x) = 1/2 x'Mx - c'x, as in torch/optim/lbfgs.py, in doubles. */
function refLBFGS(x: Vec, M: number[][], c: Vec, h: { lr: number; maxIter: number; historySize: number }): { x: Vec; evals: number } {
  const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
  const gradAt = (v: Vec) => M.map((row, i) => dot(row, v) - c[i]);
  let g = gradAt(x), evals = 1;
  let d: Vec = [], t = 0, prevG: Vec = [];
  const dirs: Vec[] = [], stps: Vec[] = [], ro: number[] = [];
  let hDiag = 1;
  for (let it = 1; it <= h.maxIter; it++) {
    if (it === 1) d = g.map((v) => -v);
    else {
      const y = zipMap((a, b) => a - b, g, prevG), s = d.map((v) => v * t);
      const ys = dot(y, s);
      if (ys > 1e-10) {
        if (dirs.length === h.historySize) { dirs.shift(); stps.shift(); ro.shift(); }
        dirs.push(y); stps.push(s); ro.push(1 / ys);
        hDiag = ys / dot(y, y);
      }
      const q = g.map((v) => -v), al: number[] = [];
      for (let i = dirs.length - 1; i >= 0; i--) {
        al[i] = dot(stps[i], q) * ro[i];
        dirs[i].forEach((v, j) => (q[j] -= al[i] * v));
      }
      d = q.map((v) => v * hDiag);
      for (let i = 0; i < dirs.length; i++) {
        const be = dot(dirs[i], d) * ro[i];
        stps[i].forEach((v, j) => (d[j] += (al[i] - be) * v));
      }
    }
    prevG = g;
    t = it === 1 ? Math.min(1, 1 / g.reduce((s, v) => s + Math.abs(v), 0)) * h.lr : h.lr;
    if (dot(g, d) > -1e-9) break;
    x = zipMap((xi, di) => xi + t * di, x, d);
    if (it !== h.maxIter) { g = gradAt(x); evals++; }
    if (Math.max(...g.map(Math.abs)) <= 1e-7) break;
    if (Math.max(...d.map((v) => Math.abs(v * t))) <= 1e-9) break;
  }
  return { x, evals };
}

describe.each(backends())("optim.LBFGS (%s backend)", (name) => {
  useBackend(name);
  const rosen = (x: Tensor) => x.select(0, 0).neg().add(1).pow(2).add(x.select(0, 1).sub(x.select(0, 0).pow(2)).pow(2).mul(100));

  it.each([[null], ["strong_wolfe"]] as const)("minimises the Rosenbrock function from (-1.5, 2) (lineSearchFn %s)", (ls) => {
    const x = torch.tensor([-1.5, 2], { dtype: "float64" }).requiresGrad_();
    const opt = new optim.LBFGS([x], { lineSearchFn: ls, historySize: 10 });
    const closure = () => {
      opt.zeroGrad();
      const l = rosen(x);
      l.backward();
      return l;
    };
    const first = opt.step(closure) as Tensor;
    expect(first.item()).toBe(12.5); // the closure's first loss: 2.5^2 + 100 * (2 - 2.25)^2
    for (let i = 0; i < 10; i++) opt.step(closure);
    const [a, b] = vals(x);
    expect(Math.abs(a - 1)).toBeLessThan(1e-4);
    expect(Math.abs(b - 1)).toBeLessThan(1e-4);
    const st = opt.state.get(x)!;
    expect(st.nIter as number).toBeGreaterThan(10);
    expect(st.funcEvals as number).toBeGreaterThanOrEqual(st.nIter as number);
  });

  it("follows the L-BFGS recursion (fixed step) on a quadratic, history shorter than the run", () => {
    const M = [[3, 1, 0], [1, 2, 0.5], [0, 0.5, 1]], c = [1, -2, 0.5];
    const x = torch.tensor(P0, { dtype: "float64" }).requiresGrad_();
    const Mt = torch.tensor(M, { dtype: "float64" }), ct = torch.tensor(c, { dtype: "float64" });
    const h = { lr: 0.8, maxIter: 7, historySize: 2 };
    const opt = new optim.LBFGS([x], h);
    opt.step(() => {
      opt.zeroGrad();
      const l = x.dot(Mt.mv(x)).mul(0.5).sub(ct.dot(x));
      l.backward();
      return l;
    });
    const want = refLBFGS(P0, M, c, h);
    expectTraj([vals(x)], [want.x], 1e-10);
    expect(opt.state.get(x)!.funcEvals).toBe(want.evals);
  });

  it("works over several parameters (flat views); a fresh optimizer loaded from stateDict continues identically", () => {
    const mk = () => [torch.tensor([[0.5, -1], [2, 0]], { dtype: "float64" }).requiresGrad_(), torch.tensor([1, 1], { dtype: "float64" }).requiresGrad_()];
    const lossOf2 = (w: Tensor, b: Tensor) => w.pow(2).sum().add(w.sum().mul(b.select(0, 0))).add(b.sub(3).pow(2).sum());
    const ps = mk();
    const opt = new optim.LBFGS(ps, { maxIter: 3, lineSearchFn: "strong_wolfe" });
    const closureFor = (o: optim.Optimizer, [w, b]: Tensor[]) => () => {
      o.zeroGrad();
      const l = lossOf2(w, b);
      l.backward();
      return l;
    };
    opt.step(closureFor(opt, ps));
    const qs = ps.map((p) => p.detach().clone().requiresGrad_());
    const opt2 = new optim.LBFGS(qs, { maxIter: 3, lineSearchFn: "strong_wolfe" });
    opt2.loadStateDict(opt.stateDict());
    for (let i = 0; i < 2; i++) {
      opt.step(closureFor(opt, ps));
      opt2.step(closureFor(opt2, qs));
      expect(vals(qs[0])).toEqual(vals(ps[0]));
      expect(vals(qs[1])).toEqual(vals(ps[1]));
    }
    expect(opt2.state.get(qs[0])!.nIter).toBe(opt.state.get(ps[0])!.nIter);
    expect(opt.stateDict().state[1]).toBeUndefined(); // the state lives under the first parameter
  });

  it("argument handling: one group, closure required, strong_wolfe only, maxEval default", () => {
    const p = torch.zeros([2], { dtype: "float64" }).requiresGrad_(), q = torch.zeros([1]).requiresGrad_();
    expect(() => new optim.LBFGS([{ params: [p] }, { params: [q] }])).toThrow(/^LBFGS doesn't support per-parameter options \(parameter groups\)$/);
    const opt = new optim.LBFGS([p], { maxIter: 9 });
    expect(opt.paramGroups[0].maxEval).toBe(11);
    expect(new optim.LBFGS([p]).paramGroups[0].maxEval).toBe(25);
    expect(new optim.LBFGS([p], 1, 20, 7).paramGroups[0].maxEval).toBe(7);
    const g = new optim.LBFGS([{ params: [p], lineSearchFn: "strong_wolfe", maxIter: 4 }]);
    expect([g.paramGroups[0].lineSearchFn, g.paramGroups[0].maxIter, g.paramGroups[0].maxEval]).toEqual(["strong_wolfe", 4, 25]);
    expect(() => opt.step()).toThrow(/step\(\) missing 1 required positional argument: 'closure'/);
    const bad = new optim.LBFGS([p], { lineSearchFn: "backtracking" });
    const closure = () => {
      bad.zeroGrad();
      const l = p.sub(1).pow(2).sum();
      l.backward();
      return l;
    };
    expect(() => bad.step(closure)).toThrow(/only 'strong_wolfe' is supported/);
    // already optimal: returns the loss without moving
    const r = torch.tensor([1, 1], { dtype: "float64" }).requiresGrad_();
    const o2 = new optim.LBFGS([r]);
    const loss = o2.step(() => { o2.zeroGrad(); const l = r.sub(1).pow(2).sum(); l.backward(); return l; }) as Tensor;
    expect(loss.item()).toBe(0);
    expect(vals(r)).toEqual([1, 1]);
  });
});
