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

/** Values inside (-1, 1), away from its ends (asin, acos, atanh, erfinv). */
const unit = (): Tensor => leaf([[0.3, -0.5, 0.7], [0.1, -0.8, 0.45]]);

/** The elementwise math kernels' cases (inputs inside each domain), the same for gradcheck and
 *  gradgradcheck: { fn, inputs } per rule. */
export const MATH_KERNEL_CASES: Record<string, { fn: (...xs: Tensor[]) => Tensor; inputs: () => Tensor[] }> = {
  tan: { fn: (x) => x.tan(), inputs: () => [unit()] },
  asin: { fn: (x) => x.asin(), inputs: () => [unit()] },
  acos: { fn: (x) => x.acos(), inputs: () => [unit()] },
  atan: { fn: (x) => x.atan(), inputs: () => [seeded(80, 2, 3)] },
  sinh: { fn: (x) => x.sinh(), inputs: () => [seeded(81, 2, 3)] },
  cosh: { fn: (x) => x.cosh(), inputs: () => [seeded(82, 2, 3)] },
  asinh: { fn: (x) => x.asinh(), inputs: () => [seeded(83, 2, 3)] },
  acosh: { fn: (x) => x.acosh(), inputs: () => [leaf([[1.5, 2.3, 3.1], [1.2, 4.0, 2.7]])] },
  atanh: { fn: (x) => x.atanh(), inputs: () => [unit()] },
  expm1: { fn: (x) => x.expm1(), inputs: () => [seeded(84, 2, 3)] },
  exp2: { fn: (x) => x.exp2(), inputs: () => [seeded(85, 2, 3)] },
  log2: { fn: (x) => x.log2(), inputs: () => [positive()] },
  log10: { fn: (x) => x.log10(), inputs: () => [positive()] },
  erfc: { fn: (x) => x.erfc(), inputs: () => [seeded(86, 2, 3)] },
  erfinv: { fn: (x) => x.erfinv(), inputs: () => [unit()] },
  atan2: { fn: (a, b) => a.atan2(b), inputs: () => [seeded(87, 2, 3), seeded(88, 2, 3)] },
  hypot: { fn: (a, b) => a.hypot(b), inputs: () => [seeded(89, 2, 3), seeded(90, 2, 3)] },
  fmod: { fn: (a, b) => a.fmod(b), inputs: () => [leaf([[2.3, -1.7, 5.2]]), leaf([[0.9, 1.1, -1.6]])] },
  copysign: { fn: (a, b) => a.copysign(b), inputs: () => [seeded(91, 2, 3), leaf([[0.5, -1.2, 2], [-0.7, 1.1, -2.5]])] },
  logaddexp: { fn: (a, b) => a.logaddexp(b), inputs: () => [seeded(92, 2, 3), seeded(93, 2, 3)] },
  logaddexp2: { fn: (a, b) => a.logaddexp2(b), inputs: () => [seeded(94, 2, 3), seeded(95, 2, 3)] },
};
