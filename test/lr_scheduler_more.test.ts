// The warm-up, cyclic and combining schedulers: each one's learning rates against its closed form
// (the formulas of PyTorch's docs, computed here), momentum cycling, the combinators, PyTorch's
// argument errors and state dicts.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";

const L = torch.optim.lrScheduler;
const sgd = (lr = 0.1) => new torch.optim.SGD([new torch.nn.Parameter(torch.zeros(1))], { lr, momentum: 0.9 });
/** The lr after each of n optimizer+scheduler steps, after the initial one first. */
function lrs(opt: torch.optim.Optimizer, s: { step(): void; getLastLr(): number[] }, n: number): number[] {
  const out = [s.getLastLr()[0]];
  for (let i = 0; i < n; i++) {
    opt.step();
    s.step();
    out.push(s.getLastLr()[0]);
  }
  return out;
}
const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));

describe("more lr schedulers", () => {
  it("LinearLR, ConstantLR, PolynomialLR, MultiplicativeLR follow their closed forms", () => {
    let o = sgd();
    close(lrs(o, new L.LinearLR(o, { startFactor: 0.25, totalIters: 4 }), 6), [0, 1, 2, 3, 4, 5, 6].map((t) => 0.1 * (0.25 + (0.75 * Math.min(t, 4)) / 4)));
    o = sgd();
    close(lrs(o, new L.ConstantLR(o, { factor: 0.5, totalIters: 3 }), 5), [0.05, 0.05, 0.05, 0.1, 0.1, 0.1]);
    o = sgd();
    close(lrs(o, new L.PolynomialLR(o, { totalIters: 4, power: 2 }), 6), [0, 1, 2, 3, 4, 5, 6].map((t) => 0.1 * (1 - Math.min(t, 4) / 4) ** 2));
    o = sgd();
    close(lrs(o, new L.MultiplicativeLR(o, (e) => 0.9 ** e), 3), [0.1, 0.1 * 0.9, 0.1 * 0.9 * 0.81, 0.1 * 0.9 * 0.81 * 0.729]);
  });

  it("CosineAnnealingWarmRestarts restarts after T0, T0*TMult, ... and takes fractional epochs", () => {
    const o = sgd();
    const s = new L.CosineAnnealingWarmRestarts(o, { T0: 2, TMult: 2, etaMin: 0.01 });
    const cos = (tc: number, ti: number) => 0.01 + (0.09 * (1 + Math.cos((Math.PI * tc) / ti))) / 2;
    // cycles of length 2 then 4: (Tcur, Ti) = (0,2) (1,2) (0,4) (1,4) (2,4) (3,4) (0,8)
    close(lrs(o, s, 6), [cos(0, 2), cos(1, 2), cos(0, 4), cos(1, 4), cos(2, 4), cos(3, 4), cos(0, 8)]);
    s.step(2.5); // epoch 2.5 lies 0.5 into the second cycle
    expect(s.getLastLr()[0]).toBeCloseTo(cos(0.5, 4), 12);
    expect(() => new L.CosineAnnealingWarmRestarts(sgd(), { T0: 0 })).toThrow("Expected positive integer T_0, but got 0");
  });

  it("CyclicLR goes up and down between baseLr and maxLr, halving the height in triangular2, momentum the other way", () => {
    const o = sgd();
    const s = new L.CyclicLR(o, 0.01, 0.1, { stepSizeUp: 2, mode: "triangular2" });
    const want = [0.01, 0.055, 0.1, 0.055, 0.01, 0.0325, 0.055, 0.0325, 0.01];
    const got = [s.getLastLr()[0]];
    const mom = [o.paramGroups[0].momentum as number];
    for (let i = 0; i < 8; i++) {
      o.step();
      s.step();
      got.push(s.getLastLr()[0]);
      mom.push(o.paramGroups[0].momentum as number);
    }
    close(got, want);
    expect(mom[2]).toBeCloseTo(0.8, 12); // lr at max, momentum at base
    expect(mom[4]).toBeCloseTo(0.9, 12);
    expect(() => new L.CyclicLR(new torch.optim.Adam([new torch.nn.Parameter(torch.zeros(1))]), 0.01, 0.1)).toThrow("optimizer must support momentum with `cycle_momentum` option enabled");
  });

  it("OneCycleLR warms up to maxLr at pctStart and anneals to initial / finalDivFactor; Adam's beta1 cycles", () => {
    const o = new torch.optim.Adam([new torch.nn.Parameter(torch.zeros(1))], { lr: 1 });
    const s = new L.OneCycleLR(o, { maxLr: 0.5, totalSteps: 11, pctStart: 0.3 }); // warm-up ends at step 0.3 * 11 - 1 = 2.3
    const seq = lrs(o, s, 10);
    expect(seq[0]).toBeCloseTo(0.5 / 25, 15);
    // step 2 is 2 / 2.3 of the cosine warm-up, step 3 the same fraction past the peak of the anneal
    expect(seq[2]).toBeCloseTo(0.5 + ((0.02 - 0.5) / 2) * (Math.cos((Math.PI * 2) / 2.3) + 1), 12);
    expect(seq.every((v) => v < 0.5)).toBe(true);
    expect(seq[10]).toBeCloseTo(0.5 / 25 / 1e4, 15);
    expect((o.paramGroups[0].betas as number[])[0]).toBeCloseTo(0.95, 12);
    expect(() => new L.OneCycleLR(sgd(), { maxLr: 0.1 })).toThrow("You must define either total_steps OR (epochs AND steps_per_epoch)");
    const o2 = sgd();
    const s2 = new L.OneCycleLR(o2, { maxLr: 0.1, totalSteps: 2 });
    for (let i = 0; i < 2; i++) {
      o2.step();
      s2.step(); // steps 1 and 2 of a total of 2 (the initial step is step 0)
    }
    o2.step();
    expect(() => s2.step()).toThrow("Tried to step 4 times. The specified number of total steps is 2");
  });

  it("SequentialLR hands over at the milestones; ChainedScheduler multiplies the factors", () => {
    let o = sgd();
    const seq = new L.SequentialLR(o, [new L.ConstantLR(o, { factor: 0.1, totalIters: 10 }), new L.ExponentialLR(o, { gamma: 0.5 })], [2]);
    close(lrs(o, seq, 4), [0.01, 0.01, 0.1, 0.05, 0.025]);
    expect(() => new L.SequentialLR(o, [new L.ExponentialLR(o, { gamma: 0.5 })], [1])).toThrow(/one more than the number of milestone points/);
    o = sgd();
    const chain = new L.ChainedScheduler([new L.ConstantLR(o, { factor: 0.1, totalIters: 2 }), new L.ExponentialLR(o, { gamma: 0.9 })]);
    close(lrs(o, chain, 3), [0.01, 0.009, 0.1 * 0.9 ** 2, 0.1 * 0.9 ** 3]);
  });

  it("state dicts resume a schedule where it was", () => {
    const o1 = sgd();
    const a = new L.LinearLR(o1, { startFactor: 0.2, totalIters: 5 });
    for (let i = 0; i < 2; i++) {
      o1.step();
      a.step();
    }
    // as in PyTorch: build the optimizer and scheduler, then load both state dicts
    const o2 = sgd();
    const b = new L.LinearLR(o2, { startFactor: 0.2, totalIters: 5 });
    o2.loadStateDict(o1.stateDict());
    b.loadStateDict(a.stateDict());
    o1.step();
    a.step();
    o2.step();
    b.step();
    expect(b.getLastLr()).toEqual(a.getLastLr());
  });
});
