// Issue 13, class 1, round two (the hostile sweep's finds, scripts/hostile_sweep.ts): every
// allocating entry point goes through the checked allocator, so a huge result gets the allocator's
// error before any byte is taken (never V8's "Invalid typed array length", never a 16 GB array), and
// walks over empty tensors with huge dims cost O(numel) from every creation path.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";
import { expectAll } from "./helpers/expect_all.js";

const ALLOC = /can't allocate memory: you tried to allocate \d+ bytes/;
const F = torch.nn.functional;
const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
/** A view of one element with a huge shape: costs nothing until something allocates its size. */
const huge = (shape: number[]): Tensor => torch.zeros(shape.map(() => 1)).expand(shape);

for (const b of backends()) {
  describe(`hostile sizes (${b})`, () => {
    useBackend(b);

    it("results and scratch sized from arguments are checked before they are allocated", () => {
      expectAll([
        ["multinomial 2^31 samples", () => torch.multinomial(torch.ones(2), 2 ** 31, true), RangeError, ALLOC],
        ["multinomial 2^30 samples of 2 rows", () => torch.multinomial(torch.ones(2, 2), 2 ** 30, true), RangeError, ALLOC],
        ["adaptiveAvgPool2d to 2^16 x 2^16", () => F.adaptiveAvgPool2d(torch.ones(1, 1, 2, 2), [2 ** 16, 2 ** 16]), RangeError, ALLOC],
        ["adaptiveMaxPool2d to 2^16 x 2^16", () => F.adaptiveMaxPool2d(torch.ones(1, 1, 2, 2), [2 ** 16, 2 ** 16]), RangeError, ALLOC],
        ["adaptiveAvgPool1d to 2^32", () => F.adaptiveAvgPool1d(torch.ones(1, 1, 2), 2 ** 32), RangeError, ALLOC],
        ["maxPool2d of a 2^16 x 2^16 view", () => F.maxPool2d(huge([1, 1, 2 ** 16, 2 ** 16]), 1), RangeError, ALLOC],
        ["cat of two 2^30 views", () => torch.cat([huge([2 ** 30]), huge([2 ** 30])]), RangeError, ALLOC],
        ["oneHot num_classes 2^31", () => F.oneHot(long([0, 1]), 2 ** 31), RangeError, ALLOC],
        ["bincount minlength 2^40", () => torch.bincount(long([0]), undefined, 2 ** 40), RangeError, ALLOC],
        ["weighted bincount minlength 2^33", () => torch.bincount(long([0]), torch.ones(1), 2 ** 33), RangeError, ALLOC],
        ["interpolate scale 1e5", () => F.interpolate(torch.ones(1, 1, 2, 2), { scaleFactor: 1e5 }), RangeError, ALLOC],
      ]);
    });

    it("multinomial and adaptive pooling still work at ordinary sizes", () => {
      torch.manualSeed(0);
      const s = torch.multinomial(torch.tensor([0, 1, 0]), 5, true);
      expect(s.dtype).toBe("int64");
      expect(s.tolist()).toEqual([1, 1, 1, 1, 1]);
      expect(F.adaptiveAvgPool2d(torch.arange(16).float().reshape(1, 1, 4, 4), 2).tolist()).toEqual([[[[2.5, 4.5], [10.5, 12.5]]]]);
    });

    it("an empty tensor with huge dims prints, walks and reshapes in O(numel) from every creation path", () => {
      const big = 2 ** 28;
      const makers: [string, (shape: number[]) => Tensor][] = [
        ["zeros", (s) => torch.zeros(s)],
        ["full", (s) => torch.full(s, 7)],
        ["randn", (s) => torch.randn(s)],
        ["randint", (s) => torch.randint(0, 5, s)],
        ["ones bool", (s) => torch.ones(s, { dtype: "bool" })],
        ["zerosLike", (s) => torch.zerosLike(torch.empty(s))],
        ["arange().reshape", (s) => torch.arange(0).reshape(s)],
        ["newFull", (s) => torch.ones(1).newFull(s, 2)],
      ];
      const walks: [string, (t: Tensor) => unknown][] = [
        ["String", (t) => String(t)],
        ["contiguous of the reverse permutation", (t) => t.permute([...t.shape.keys()].reverse()).contiguous()],
        ["flip", (t) => t.flip(0)],
        ["sort", (t) => t.float().sort(-1).values],
        ["cumsum", (t) => t.float().cumsum(-1)],
        ["softmax", (t) => t.float().softmax(-1)],
        ["clone", (t) => t.clone()],
        ["unique", (t) => t.unique()],
      ];
      fc.assert(
        fc.property(fc.array(fc.constantFrom(0, 1, 3, big), { minLength: 2, maxLength: 4 }), fc.nat(makers.length - 1), fc.nat(walks.length - 1), (dims, m, w) => {
          const shape = [...dims];
          if (!shape.includes(0)) shape[shape.length - 1] = 0;
          const t = makers[m][1](shape);
          expect(t.shape, makers[m][0]).toEqual(shape);
          const r = walks[w][1](t);
          if (walks[w][0] === "String") expect(r).toMatch(/^tensor\(\[\], size=\(/);
          else expect((r as Tensor).numel()).toBe(0);
        }),
        { seed: 28, numRuns: 120 },
      );
      // an element count of 0 makes -1 ambiguous: PyTorch's error, not "invalid for input of size 0"
      expect(() => torch.zeros(0).reshape(-1, 0)).toThrow(/cannot reshape tensor of 0 elements into shape \[-1, 0\] because the unspecified dimension size -1 can be any value and is ambiguous/);
      expect(torch.zeros(0, 4).reshape(-1, 2).shape).toEqual([0, 2]);
    });
  });
}
