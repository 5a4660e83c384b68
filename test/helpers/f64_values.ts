// Float64 inputs and closeness checks for suites that compare ops with double-precision loops written
// from PyTorch's formulas (nn extras, extra losses): deterministic data independent of the library's
// generator, and warnings muted (and reset) around each test so a test can read what was emitted.
import { afterEach, beforeEach, expect, vi } from "vitest";
import * as torch from "../../lib/index.js";
import type { Tensor } from "../../lib/index.js";
import { resetWarnings } from "../../lib/nn/warnings.js";
import { vals } from "./backends.js";

/** A float64 tensor of xs, reshaped when a shape is given. */
export const f64 = (xs: number[], shape?: number[]): Tensor => {
  const t = torch.tensor(xs, { dtype: "float64" });
  return shape ? t.reshape(shape) : t;
};

/** n deterministic values in [-2, 2) from a 32-bit LCG. */
export function data(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
}

/** Same length, each element within atol + rtol · |want|. */
export function expectClose(got: Tensor, want: number | number[], rtol = 1e-12, atol = 1e-13): void {
  const g = vals(got);
  const w = typeof want === "number" ? [want] : want;
  expect(g.length).toBe(w.length);
  g.forEach((v, i) => expect(Math.abs(v - w[i]), `element ${i}: got ${v}, want ${w[i]}`).toBeLessThanOrEqual(atol + rtol * Math.abs(w[i])));
}

/** Inside a describe block: process warnings recorded by a mock (not printed), reset before each test. */
export function muteWarnings(): void {
  beforeEach(() => {
    resetWarnings();
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());
}
