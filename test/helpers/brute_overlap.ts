// The brute-force memory model of strided views, the reference the overlap checks are tested
// against: every element index a view touches, walked one by one. Shared by the overlap suites.
import fc from "fast-check";
import * as torch from "../../lib/index.js";
import type { Tensor } from "../../lib/index.js";

/** Every memory address (element index) a view touches, in row-major logical order. */
export function addresses(t: Tensor): number[] {
  const out: number[] = [];
  const walk = (d: number, at: number): void => {
    if (d === t.ndim) return void out.push(at);
    for (let i = 0; i < t.shape[d]; i++) walk(d + 1, at + i * t.strides[d]);
  };
  if (t.numel() > 0) walk(0, t.offset);
  return out;
}

/** PyTorch's partial-overlap rule: written and read share a location other than element for element. */
export function bruteOverlap(w: Tensor, r: Tensor): boolean {
  const wa = addresses(w);
  const ra = addresses(r);
  const at = new Map<number, number>();
  wa.forEach((a, i) => at.set(a, i));
  return ra.some((a, j) => at.has(a) && at.get(a) !== j);
}

/** PyTorch's no-overlap rule (index and source reads of scatter/index ops): any shared location. */
export function bruteShares(w: Tensor, r: Tensor): boolean {
  const wa = new Set(addresses(w));
  return addresses(r).some((a) => wa.has(a));
}

/** A random strided 1-D or 2-D view of a shared base (slices with steps, transposes). */
export const viewArb = fc.record({
  rows: fc.integer({ min: 1, max: 4 }),
  start: fc.integer({ min: 0, max: 5 }),
  step: fc.integer({ min: 1, max: 3 }),
  transpose: fc.boolean(),
});

export function makeView(base: Tensor, v: { rows: number; start: number; step: number; transpose: boolean }, len: number): Tensor | null {
  // base is [24]; pick len*rows elements as a [rows, len] view stepping `step` along a row
  const need = v.start + (len * v.rows - 1) * v.step + 1;
  if (need > base.numel()) return null;
  const flat = base.index(torch.slice(v.start, v.start + len * v.rows * v.step, v.step));
  const m = flat.reshape(v.rows, len);
  return v.transpose && v.rows === len ? m.t() : m;
}
