// Issue 13, class 4, round two (the hostile sweep's finds, scripts/hostile_sweep.ts): any hostile
// value (null, undefined, NaN, ±Infinity, negative, fractional, huge, BigInt, string, object, array)
// given to a public function either works or is refused with a TypeError/RangeError of torchlet's,
// never an engine message (or a NaN-sized "overflow") from deep inside; 0-d tensors are refused where
// PyTorch refuses them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";

/** Messages from the JS engine or Node, not from torchlet. */
const ENGINE =
  /Cannot read propert|Cannot set propert|Maximum call stack|Cannot mix BigInt|Invalid array length|Invalid typed array length|The value of "size"|is not a function|is not iterable|Cannot convert|cannot be converted to a BigInt|Array buffer allocation failed|sizes=\[NaN\]|null is not|undefined is not/;
const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });

const hostile = fc.constantFrom<unknown>(null, undefined, NaN, Infinity, -Infinity, -1, -7, 1.5, 2 ** 31, 2 ** 53, 2n, "3", "abc", {}, [], [2, null], true, 0, 1, 2);

/** Public entry points, each given one hostile argument where a size, dim, count or value goes. */
const CALLS: [string, (v: unknown) => unknown][] = [
  ["zeros(v)", (v) => torch.zeros(v as never)],
  ["zeros(2, v)", (v) => torch.zeros(2, v as never)],
  ["ones([v, 2])", (v) => torch.ones([v, 2] as never)],
  ["randn(v)", (v) => torch.randn(v as never)],
  ["full([2], v)", (v) => torch.full([2], v as never)],
  ["eye(v)", (v) => torch.eye(v as never)],
  ["arange(v)", (v) => torch.arange(v as never)],
  ["linspace(0, 1, v)", (v) => torch.linspace(0, 1, v as never)],
  ["randint(0, 5, [v])", (v) => torch.randint(0, 5, [v] as never)],
  ["reshape(v, -1)", (v) => torch.ones(4).reshape(v as never, -1)],
  ["expand(v, 2)", (v) => torch.ones(1, 2).expand(v as never, 2)],
  ["repeat(v)", (v) => torch.ones(2).repeat(v as never)],
  ["sum(v)", (v) => torch.ones(2, 2).sum(v as never)],
  ["transpose(0, v)", (v) => torch.ones(2, 2).transpose(0, v as never)],
  ["transpose(0, v) of a 0-d tensor", (v) => torch.tensor(3).transpose(0, v as never)],
  ["index(v)", (v) => torch.ones(3).index(v as never)],
  ["narrow(0, 0, v)", (v) => torch.ones(3).narrow(0, 0, v as never)],
  ["chunk(v)", (v) => torch.ones(3).chunk(v as never)],
  ["topk(v)", (v) => torch.ones(3).topk(v as never)],
  ["add(v)", (v) => torch.ones(2).add(v as never)],
  ["fill_(v)", (v) => torch.zeros(2).fill_(v as never)],
  ["cat([x, v])", (v) => torch.cat([torch.ones(1), v as never])],
  ["cat([v-shaped 0-d])", (v) => torch.cat([torch.tensor(typeof v === "number" ? v : 1), torch.tensor(1)])],
  ["indexSelect(0, [v])", (v) => torch.ones(3).indexSelect(0, long([typeof v === "number" && Number.isSafeInteger(v) ? v : -1]))],
  ["oneHot(x, v)", (v) => torch.nn.functional.oneHot(long([0]), v as never)],
  ["setNumThreads(v)", (v) => torch.setNumThreads(v as never)],
];

for (const b of backends()) {
  describe(`hostile arguments (${b})`, () => {
    useBackend(b);
    const threads = torch.getNumThreads();

    it("any hostile argument works or is refused with torchlet's own TypeError/RangeError", () => {
      fc.assert(
        fc.property(hostile, fc.nat(CALLS.length - 1), (v, k) => {
          const [name, call] = CALLS[k];
          const label = `${name} with v = ${typeof v === "bigint" ? `${v}n` : JSON.stringify(v) ?? String(v)}`;
          try {
            call(v);
          } catch (e) {
            expect(e, label).toBeInstanceOf(Error);
            expect(e instanceof TypeError || e instanceof RangeError || (e as Error).constructor === Error, label).toBe(true);
            expect((e as Error).message, label).not.toMatch(ENGINE);
          } finally {
            if (torch.getNumThreads() !== threads) torch.setNumThreads(threads);
          }
        }),
        { seed: 4, numRuns: 400 },
      );
    });

    it("the sweep's finds: 0-d tensors and null options are refused in PyTorch's words", () => {
      expect(() => torch.cat([torch.tensor(1), torch.tensor(2)])).toThrow(/^zero-dimensional tensor \(at position 0\) cannot be concatenated$/);
      expect(() => torch.cat([torch.ones(1), torch.tensor(2)])).toThrow(/^zero-dimensional tensor \(at position 1\) cannot be concatenated$/);
      expect(() => torch.tensor(5).transpose(0, 1)).toThrow(/Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)/);
      expect(torch.tensor(5).transpose(0, -1).tolist()).toBe(5);
      expect(() => torch.zeros(null as never)).toThrow(TypeError);
      expect(() => torch.zeros(null as never)).toThrow(/size must be a sequence of integers, got object null/);
      expect(() => torch.ones(3).indexSelect(0, long([-1]))).toThrow(/index out of range in self/);
      expect(() => torch.ones(3).indexSelect(0, long([3]))).toThrow(/index_select\(\): index out of range in self/);
      const t: Tensor = torch.arange(6).float().reshape(2, 3).indexSelect(1, long([2, 0]));
      expect(t.tolist()).toEqual([[2, 0], [5, 3]]);
    });
  });
}
