// Elementwise closeness of float32 results to references computed in the test (in doubles), shared
// by the suites that check values against formulas: |got - want| <= tol · (1 + |want|), and a NaN
// wanted must be a NaN got.
import { expect } from "vitest";

/** Same length, every element within tol · (1 + |want|) of its reference; NaN where want is NaN. */
export function close(got: number[], want: number[], tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (Number.isNaN(want[i])) expect(g, `element ${i}`).toBeNaN();
    else expect(Math.abs(g - want[i]), `element ${i}: want ${want[i]} got ${g}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i])));
  });
}
