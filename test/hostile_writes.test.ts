// Issue 13, class 2, round two (the hostile sweep's finds, scripts/hostile_sweep.ts): writes that
// read other tensors (scatter_, scatterAdd_, indexAdd_, indexCopy_, clamp_ with tensor bounds,
// maskedFill_'s mask) refuse memory shared with the target, by PyTorch's rule for each read, against
// brute force on random strided views; scalar values stored into float tensors refuse a finite value
// past the dtype's range instead of storing inf; in-place results that don't cast back are refused.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";
import { bruteOverlap, bruteShares, makeView, viewArb } from "./helpers/brute_overlap.js";

const RUNS = { seed: 1313, numRuns: 200 };
const OVERLAP = /some elements of the input tensor and the written-to tensor refer to a single memory location\. Please clone\(\) the tensor before performing the operation\./;
const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });

/** Per row, the column indices 0..len-1 (each written once): an index for scatter along dim 1. */
const rowIndex = (shape: readonly number[]) => torch.arange(shape[1]).unsqueeze(0).expand(shape[0], shape[1]).contiguous();

/** An in-place write of w that reads r, and PyTorch's rule for that read: "partial" (element for
 *  element is allowed) or "any" (no shared element at all). */
type Write = [name: string, rule: "partial" | "any", op: (w: Tensor, r: Tensor) => unknown];
const WRITES: Write[] = [
  ["scatter_", "any", (w, r) => w.scatter_(1, rowIndex(w.shape), r)],
  ["scatterAdd_", "any", (w, r) => w.scatterAdd_(1, rowIndex(w.shape), r)],
  ["scatterReduce_", "any", (w, r) => w.scatterReduce_(1, rowIndex(w.shape), r, "amax")],
  ["indexAdd_", "any", (w, r) => w.indexAdd_(0, torch.arange(w.shape[0]), r)],
  ["indexCopy_", "any", (w, r) => w.indexCopy_(0, torch.arange(w.shape[0]), r)],
  ["clamp_(min)", "partial", (w, r) => w.clamp_(r)],
  ["clamp_(null, max)", "partial", (w, r) => w.clamp_(null, r)],
];

for (const b of backends()) {
  describe(`hostile writes (${b})`, () => {
    useBackend(b);

    it("every in-place op that reads a tensor refuses shared memory by its rule (against brute force)", () => {
      fc.assert(
        fc.property(viewArb, viewArb, fc.integer({ min: 1, max: 4 }), fc.nat(WRITES.length - 1), (v1, v2, len, k) => {
          const [name, rule, op] = WRITES[k];
          const base = torch.arange(24).float();
          const w = makeView(base, v1, len);
          const r = makeView(base, v2, len);
          if (w === null || r === null || w.shape.join() !== r.shape.join()) return;
          const shared = rule === "any" ? bruteShares(w, r) : bruteOverlap(w, r);
          const refBase = torch.arange(24).float();
          if (shared) {
            expect(() => op(w, r), name).toThrow(OVERLAP);
            expect(base.tolist(), `${name} must leave the tensor untouched`).toEqual(refBase.tolist());
          } else {
            op(w, r);
            op(makeView(refBase, v1, len)!, makeView(refBase, v2, len)!.clone());
            expect(base.tolist(), name).toEqual(refBase.tolist());
          }
        }),
        RUNS,
      );
    });

    it("maskedFill_ refuses a mask that partially overlaps its bool target (against brute force)", () => {
      fc.assert(
        fc.property(viewArb, viewArb, fc.integer({ min: 1, max: 4 }), (v1, v2, len) => {
          const pattern = Array.from({ length: 24 }, (_, i) => i % 3 === 0);
          const base = torch.tensor(pattern);
          const w = makeView(base, v1, len);
          const r = makeView(base, v2, len);
          if (w === null || r === null || w.shape.join() !== r.shape.join()) return;
          if (bruteOverlap(w, r)) {
            expect(() => w.maskedFill_(r, true)).toThrow(OVERLAP);
            expect(base.tolist()).toEqual(pattern);
          } else {
            const ref = torch.tensor(pattern);
            w.maskedFill_(r, true);
            makeView(ref, v1, len)!.maskedFill_(makeView(ref, v2, len)!.clone(), true);
            expect(base.tolist()).toEqual(ref.tolist());
          }
        }),
        RUNS,
      );
    });

    it("a scalar read from the target itself is a value, not an overlap (PyTorch reads it once)", () => {
      const x = torch.arange(3).float();
      expect(x.maskedFill_(torch.tensor([true, false, false]), x.index(2)).tolist()).toEqual([2, 1, 2]);
      const y = torch.arange(3).float();
      expect(y.indexFill_(0, long([0]), y.index(2)).tolist()).toEqual([2, 1, 2]);
      const z = torch.arange(3).float();
      expect(z.clamp_(z).tolist()).toEqual([0, 1, 2]); // identity: element for element
      const s = torch.arange(3).float();
      expect(() => s.scatter_(0, long([0, 1, 2]), s)).toThrow(OVERLAP); // scatter reads may not even be identical
    });

    it("a scalar stored into a float tensor past the dtype's range is refused, never stored as inf", () => {
      const MAX = { float32: 3.4028234663852886e38, float16: 65504, bfloat16: 3.3895313892515355e38, float64: Number.MAX_VALUE };
      const stores: [string, (dtype: keyof typeof MAX, v: number) => Tensor][] = [
        ["fill_", (d, v) => torch.zeros(2, { dtype: d }).fill_(v)],
        ["full", (d, v) => torch.full([2], v, { dtype: d })],
        ["maskedFill_", (d, v) => torch.zeros(2, { dtype: d }).maskedFill_(torch.tensor([true, true]), v)],
        ["maskedFill", (d, v) => torch.zeros(2, { dtype: d }).maskedFill(torch.tensor([true, true]), v)],
        ["set(int)", (d, v) => torch.zeros(2, { dtype: d }).set(":", v)],
        ["set(index tensor)", (d, v) => torch.zeros(2, { dtype: d }).set(long([0, 1]), v)],
        ["scatter value", (d, v) => torch.zeros(2, { dtype: d }).scatter(0, long([0, 1]), v)],
        ["copy_ of a scalar", (d, v) => torch.zeros(2, { dtype: d }).copy_(v)],
      ];
      const value = fc.oneof(
        fc.double({ noNaN: true }),
        fc.constantFrom(65504, 65505, 65520, -65519, 1e5, 3.4028234663852886e38, 3.4028235e38, -1e39, Infinity, -Infinity, NaN),
      );
      fc.assert(
        fc.property(value, fc.constantFrom(...(Object.keys(MAX) as (keyof typeof MAX)[])), fc.nat(stores.length - 1), (v, dtype, k) => {
          const [name, store] = stores[k];
          if (Number.isFinite(v) && Math.abs(v) > MAX[dtype]) {
            expect(() => store(dtype, v), `${name} ${dtype} ${v}`).toThrow(/value cannot be converted to type .* without overflow/);
          } else {
            const got = (store(dtype, v).tolist() as number[])[1];
            // the value rounded to the dtype, as torch.tensor stores it
            expect(got, `${name} ${dtype} ${v}`).toEqual((torch.tensor([v], { dtype }).tolist() as number[])[0]);
          }
        }),
        RUNS,
      );
      // a float bound of clamp is such a scalar too; torch.tensor and arithmetic round to inf instead
      expect(() => torch.zeros(1).clamp(1e39)).toThrow(/without overflow/);
      expect(() => torch.zeros(1).clamp(null, -1e39)).toThrow(/without overflow/);
      expect(torch.tensor([1e39]).tolist()).toEqual([Infinity]);
      expect(torch.zeros(1, { dtype: "float16" }).add(1e5).tolist()).toEqual([Infinity]);
    });

    it("an in-place op whose result doesn't cast back to the target's dtype is refused and writes nothing", () => {
      const cases: [string, () => Tensor, (t: Tensor) => unknown, RegExp][] = [
        ["int64 clamp_(0.5)", () => long([1, 2]), (t) => t.clamp_(0.5), /result type Float can't be cast to the desired output type Long/],
        ["int64 clamp_(null, 1.5)", () => long([1, 2]), (t) => t.clamp_(null, 1.5), /result type Float can't be cast to the desired output type Long/],
        ["int32 clamp_(float tensor)", () => torch.tensor([1, 2], { dtype: "int32" }), (t) => t.clamp_(torch.tensor([0.5, 0.5])), /can't be cast to the desired output type Int/],
        ["int64 add_(0.5)", () => long([1, 2]), (t) => t.add_(0.5), /can't be cast to the desired output type Long/],
      ];
      for (const [name, make, op, re] of cases) {
        const t = make();
        const before = t.tolist();
        expect(() => op(t), name).toThrow(re);
        expect(t.tolist(), name).toEqual(before);
      }
      expect(long([1, 5]).clamp_(long([2, 2]), long([3, 3])).tolist()).toEqual([2, 3]);
      expect(long([1, 5]).clamp_(2, 3).tolist()).toEqual([2, 3]);
      expect(long([1, 2]).clamp(0.5).dtype).toBe("float32");
    });
  });
}
