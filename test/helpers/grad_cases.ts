// Inputs for gradcheck / gradgradcheck and the per-rule harness over lib/autograd/grads.ts, shared by
// the suites that check gradients: leaves from literal values or from a seeded N(0, 1) draw, value
// sets away from the kinks and jumps of the elementwise ops, and one test per gradient rule.
import { expect, it } from "vitest";
import * as torch from "../../lib/index.js";
import type { Tensor } from "../../lib/index.js";
import { GRADS } from "../../lib/autograd/grads.js";

/** A float32 leaf that requires grad, from literal values. */
export const leaf = (values: number[] | number[][]): Tensor => torch.tensor(values).requiresGrad_(true);

/** A leaf of N(0, 1) draws of the given shape, the same on every run (the seed is set first). */
export function seeded(seed: number, ...shape: number[]): Tensor {
  torch.manualSeed(seed);
  return torch.randn(shape).requiresGrad_(true);
}

const AWAY_FROM_ZERO = [[0.3, -0.7, 1.1, -0.25], [-1.3, 0.45, -0.6, 0.9], [0.8, -0.35, 1.4, -1.05]];
/** Values well away from 0 (the kink of relu/abs/sign): ±(0.2 .. 1.4), the first `rows` rows of [3, 4]. */
export const awayFromZero = (rows = 3): Tensor => leaf(AWAY_FROM_ZERO.slice(0, rows));
/** Values away from integers and half-integers (the jumps of floor/ceil/round/trunc). */
export const awayFromSteps = (): Tensor => leaf([[0.3, -0.7, 1.2, -2.2], [2.8, 0.65, -1.35, 3.1]]);
/** Values inside the domain of log/sqrt and away from 0 as a divisor. */
export const positive = (): Tensor => leaf([[0.5, 1.3, 2.1], [0.8, 1.7, 0.45]]);

/**
 * Inside a describe block: a test per rule of GRADS that runs `check` on its case, and a test listing
 * every rule without a case (so a new primitive's rule can't be forgotten). `what` names the check.
 */
export function eachGradRule<C>(what: string, cases: Record<string, C>, check: (op: string, c: C) => void): void {
  it("has a case for every gradient rule", () => {
    expect(Object.keys(GRADS).filter((op) => !(op in cases))).toEqual([]);
  });
  for (const op of Object.keys(GRADS)) {
    it(`rule ${op}`, () => {
      const c = cases[op];
      expect(c, `no ${what} case for the "${op}" rule: add one to CASES`).toBeDefined();
      check(op, c);
    });
  }
}
