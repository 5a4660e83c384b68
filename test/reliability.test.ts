// Issue 13's classes of bugs, each tested as a class (fast-check where it fits), on both backends:
// allocation sizes checked before anything is allocated, O(numel) walks (printing, tolist), one
// overlap check for every write that reads, int64 exact or refused on every write path, unreadable
// storages refused with a clear error, and bad arguments refused at the public API in PyTorch's
// words. Files (saves, hostile headers) are in reliability-files.test.ts.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { overlaps } from "../lib/ops/overlap.js";
import { backends, useBackend } from "./helpers/backends.js";
import { bruteOverlap, makeView, viewArb } from "./helpers/brute_overlap.js";
import { expectAll } from "./helpers/expect_all.js";

const RUNS = { seed: 13, numRuns: 150 };
const OVERLAP = /some elements of the input tensor and the written-to tensor refer to a single memory location\. Please clone\(\) the tensor before performing the operation\./;
const ALLOC = /can't allocate memory: you tried to allocate \d+ bytes/;
const INT64_RANGE = /outside the int64 range torchlet stores exactly|cannot be converted to type int64_t without overflow/;
const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const MAX = Number.MAX_SAFE_INTEGER;

afterAll(() => torch.setBackend("native"));

for (const b of backends()) {
  describe(`reliability: tensors (${b})`, { timeout: 60_000 }, () => {
    useBackend(b);

    // ---- 1. sizes and walks ----

    it("every allocating entry point checks the size first, with the allocator's error", () => {
      const over = 2 ** 31; // one past the element limit: refused before any byte is allocated
      const cases: [string, () => unknown][] = [
        ["randperm", () => torch.randperm(over)],
        ["expand().contiguous()", () => torch.zeros(1).expand(over).contiguous()],
        ["expand().clone()", () => torch.ones(2 ** 16).expand(2 ** 15 + 1, 2 ** 16).clone()],
        ["sum over an empty dim", () => torch.zeros(over, 0).sum(1)],
        ["sum over an empty dim, kept dims", () => torch.zeros(0, over).sum(0)],
        ["add of broadcast views", () => torch.zeros(2 ** 16, 1).add(torch.zeros(1, 2 ** 15 + 1))],
        ["matmul result", () => torch.zeros(2 ** 16, 0).matmul(torch.zeros(0, 2 ** 15 + 1))],
        ["cast of a huge view", () => torch.zeros(1, { dtype: "int64" }).expand(over).float()],
      ];
      for (const [what, fn] of cases) expect(fn, what).toThrow(ALLOC);
      expect(() => torch.zeros(over)).toThrow(RangeError);
    });

    it("printing and tolist cost O(numel): empty tensors with huge dims are instant", { timeout: 60_000 }, () => {
      const big = torch.zeros(2 ** 28 - 1, 0);
      expect(String(big)).toBe("tensor([], size=(268435455, 0))");
      expect(String(torch.zeros([0, 2 ** 30], { dtype: "int64" }))).toBe("tensor([], size=(0, 1073741824), dtype=torch.int64)");
      expect(() => big.tolist()).toThrow(/tolist\(\): a tensor of shape \[268435455, 0\] has no elements but would need more than/);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 20 }), { minLength: 1, maxLength: 5 }), fc.nat(4), (dims, z) => {
          const shape = [...dims];
          shape[z % shape.length] = 0;
          const t = torch.empty(shape);
          expect(String(t)).toMatch(/^tensor\(\[\]/);
          const lists = shape.slice(0, shape.indexOf(0)).reduce((acc, s, i, a) => acc + a.slice(0, i + 1).reduce((p, x) => p * x, 1), 1);
          // NOTE: between 10^4 and 2^20 lists tolist builds them (correct, but slow for a test).
          if (lists <= 10_000) expect(JSON.stringify(t.tolist())).toBe(JSON.stringify(nestedEmpty(shape)));
          else if (lists > 2 ** 20) expect(() => t.tolist()).toThrow(RangeError);
        }),
        RUNS,
      );
    });

    it("printing and tolist of a 20,000-dim tensor do not overflow the stack", () => {
      const shape = new Array(20_000).fill(1);
      const t = torch.ones(shape).mul(3);
      const s = String(t);
      expect(s.startsWith("tensor(" + "[".repeat(20_000) + "3.")).toBe(true);
      let v: unknown = t.tolist();
      for (let d = 0; d < 20_000; d++) v = (v as unknown[])[0];
      expect(v).toBe(3);
      const two = torch.ones([...shape.slice(1), 2]);
      expect(String(two)).toMatch(/\[1\.,\s+1\.\]/);
    });

    // ---- 2. one overlap check ----

    it("the overlap rule is exact on random strided views (against brute force)", () => {
      fc.assert(
        fc.property(viewArb, viewArb, fc.integer({ min: 1, max: 4 }), (v1, v2, len) => {
          const base = torch.arange(24).float();
          const w = makeView(base, v1, len);
          const r = makeView(base, v2, len);
          if (w === null || r === null || w.shape.join() !== r.shape.join()) return;
          expect(overlaps(w, r)).toBe(bruteOverlap(w, r));
        }),
        RUNS,
      );
    });

    it("in-place ops, copy_, set and out= refuse partial overlap and agree with a cloned source otherwise", () => {
      const writes: [string, (w: Tensor, r: Tensor) => unknown][] = [
        ["add_", (w, r) => w.add_(r)],
        ["mul_", (w, r) => w.mul_(r)],
        ["sub_ alpha", (w, r) => w.sub_(r, { alpha: 2 })],
        ["copy_", (w, r) => w.copy_(r)],
        ["set", (w, r) => w.set([":", ":"], r)],
        ["torch.add out=", (w, r) => torch.add(w, r, { out: w })],
        ["torch.mul out= (other order)", (w, r) => torch.mul(r, 2, { out: w })],
        ["torch.exp out=", (w, r) => torch.exp(r, { out: w })],
      ];
      fc.assert(
        fc.property(viewArb, viewArb, fc.integer({ min: 1, max: 4 }), fc.nat(writes.length - 1), (v1, v2, len, k) => {
          const [name, op] = writes[k];
          const base = torch.arange(24).float();
          const w = makeView(base, v1, len);
          const r = makeView(base, v2, len);
          if (w === null || r === null || w.shape.join() !== r.shape.join()) return;
          const expectOverlap = bruteOverlap(w, r);
          // The reference: the same write from a clone of the source.
          const refBase = torch.arange(24).float();
          const rw = makeView(refBase, v1, len)!;
          const rr = makeView(refBase, v2, len)!.clone();
          if (expectOverlap) {
            expect(() => op(w, r), name).toThrow(OVERLAP);
            expect(base.tolist(), `${name} must leave the tensor untouched`).toEqual(torch.arange(24).float().tolist());
          } else {
            op(w, r);
            op(rw, rr);
            expect(base.tolist(), name).toEqual(refBase.tolist());
          }
        }),
        RUNS,
      );
    });

    it("the issue's cases and their neighbours", () => {
      const a = () => torch.arange(6).float();
      const x = a();
      expect(() => x.index("1:").add_(x.index(":-1"))).toThrow(OVERLAP);
      expect(() => x.index("1:").copy_(x.index(":-1"))).toThrow(OVERLAP);
      expect(() => x.set("1:", x.index(":-1"))).toThrow(OVERLAP);
      expect(() => x.add_(x.index(0))).toThrow(OVERLAP); // a broadcast read of a written element
      const m = torch.arange(9).float().reshape(3, 3);
      expect(() => m.add_(m.t())).toThrow(OVERLAP);
      expect(() => torch.add(m, m.t(), { out: m })).toThrow(OVERLAP);
      // index_put_: the value may share no memory with self at all (PyTorch's assert_no_overlap).
      const y = a();
      expect(() => y.set(long([0, 1]), y.index("2:4"))).toThrow(OVERLAP);
      // allowed: identity, disjoint parts of one storage
      const z = a();
      z.add_(z);
      expect(z.tolist()).toEqual([0, 2, 4, 6, 8, 10]);
      const c = torch.arange(6).float().reshape(3, 2);
      c.index(":", 0).copy_(c.index(":", 1));
      expect(c.tolist()).toEqual([[1, 1], [3, 3], [5, 5]]);
      const s = a();
      s.index(":3").add_(s.index("3:"));
      expect(s.tolist()).toEqual([3, 5, 7, 3, 4, 5]);
      const sq = torch.arange(4).float().reshape(2, 2);
      const want = sq.mm(sq).tolist();
      torch.mm(sq, sq, { out: sq }); // exact aliasing: computed aside, as before
      expect(sq.tolist()).toEqual(want);
    });

    // ---- 2. int64: exact or refused, on every write path ----

    it("int64 arithmetic is exact or refused (against BigInt)", () => {
      const near = fc.oneof(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -1000, max: 1000 }).map((d) => MAX - Math.abs(d)),
        fc.integer({ min: -1000, max: 1000 }).map((d) => -MAX + Math.abs(d)),
        fc.integer({ min: -(2 ** 30), max: 2 ** 30 }),
      );
      const ops: [string, (a: Tensor, b: Tensor) => Tensor, (x: bigint, y: bigint) => bigint][] = [
        ["add", (a, b2) => a.add(b2), (x, y) => x + y],
        ["sub", (a, b2) => a.sub(b2), (x, y) => x - y],
        ["mul", (a, b2) => a.mul(b2), (x, y) => x * y],
        ["add_", (a, b2) => a.clone().add_(b2), (x, y) => x + y],
        ["sum", (a, b2) => torch.stack([a, b2]).sum(0), (x, y) => x + y],
      ];
      fc.assert(
        fc.property(near, near, fc.nat(ops.length - 1), (x, y, k) => {
          const [name, op, exact] = ops[k];
          const want = exact(BigInt(x), BigInt(y));
          const inRange = want <= BigInt(MAX) && want >= -BigInt(MAX);
          if (inRange) expect(op(long([x]), long([y])).tolist(), name).toEqual([Number(want)]);
          else expect(() => op(long([x]), long([y])), name).toThrow(INT64_RANGE);
        }),
        RUNS,
      );
      // a running total that leaves the range although the result does not
      expect(long([MAX, 10, -10]).sum().item()).toBe(MAX);
      expect(() => long([MAX, MAX]).sum()).toThrow(INT64_RANGE);
    });

    it("floor and trunc division of int64 are exact (against BigInt)", () => {
      const int = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.integer({ min: 2 ** 52, max: MAX }), fc.integer({ min: -MAX, max: -(2 ** 52) }));
      fc.assert(
        fc.property(int, int.filter((v) => v !== 0), fc.boolean(), (x, y, floor) => {
          const bx = BigInt(x), by = BigInt(y);
          let q = bx / by;
          if (floor && q * by !== bx && (bx < 0n) !== (by < 0n)) q -= 1n;
          const got = long([x]).div(long([y]), { roundingMode: floor ? "floor" : "trunc" });
          expect(got.dtype).toBe("int64");
          expect(got.tolist()).toEqual([Number(q)]);
        }),
        RUNS,
      );
      expect(long([16777217]).div(1, { roundingMode: "floor" }).tolist()).toEqual([16777217]);
      expect(() => long([1]).div(0, { roundingMode: "floor" })).toThrow(/ZeroDivisionError/);
    });

    it("every write path converts like copy_: truncate into int64, 0/1 into bool, range enforced", () => {
      const value = fc.oneof(
        fc.double({ min: -1e6, max: 1e6 }),
        fc.constantFrom(NaN, Infinity, -Infinity, 2 ** 60, -(2 ** 60), MAX, MAX + 2, 255, -1, 0.5, -0.5, 2.5),
      );
      const writes: [string, (dtype: "int64" | "bool", v: number) => Tensor][] = [
        ["set(index tensor)", (d, v) => torch.zeros(3, { dtype: d }).set(long([1]), v)],
        ["set(int)", (d, v) => torch.zeros(3, { dtype: d }).set(1, v)],
        ["set(mask)", (d, v) => torch.zeros(3, { dtype: d }).set(torch.tensor([false, true, false]), v)],
        ["fill_", (d, v) => torch.zeros(3, { dtype: d }).fill_(v)],
        ["full", (d, v) => torch.full([3], v, { dtype: d })],
        ["tensor", (d, v) => torch.tensor([v, v, v], { dtype: d })],
        ["copy_ of a float tensor", (d, v) => torch.zeros(3, { dtype: d }).copy_(torch.tensor([v, v, v]))],
        ["copy_ of a scalar", (d, v) => torch.zeros(3, { dtype: d }).copy_(v)],
        ["set(index tensor, float tensor)", (d, v) => torch.zeros(3, { dtype: d }).set(long([0, 1, 2]), torch.tensor([v, v, v]))],
      ];
      fc.assert(
        fc.property(value, fc.nat(writes.length - 1), fc.boolean(), (v, k, asBool) => {
          const [name, write] = writes[k];
          const dtype = asBool ? "bool" : "int64";
          // the float32 tensor source rounds v first
          const src = name.includes("float tensor") || name === "copy_ of a float tensor" ? Math.fround(v) : v;
          const t0 = Math.trunc(src) + 0;
          // element 1 is written by every path
          if (dtype === "bool") expect((write(dtype, v).tolist() as boolean[])[1], `${name} ${v}`).toBe(src !== 0);
          else if (!Number.isSafeInteger(t0)) expect(() => write(dtype, v), `${name} ${v}`).toThrow(INT64_RANGE);
          else expect((write(dtype, v).tolist() as number[])[1], `${name} ${v}`).toBe(t0);
        }),
        RUNS,
      );
      // bool storage holds 0/1 whatever was written: sums count ones
      const m = torch.zeros(3, { dtype: "bool" }).set(long([0, 1]), 255);
      expect(m.sum().item()).toBe(2);
    });

    it("int64 creation: arange, linspace, randint stay in range and in integers", () => {
      expect(() => torch.arange(0, 2, 0.5, { dtype: "int64" })).toThrow(/step must be nonzero/);
      expect(torch.arange(0.5, 3, 1, { dtype: "int64" }).tolist()).toEqual([0, 1, 2]);
      expect(torch.arange(0, 5, 1.5, { dtype: "int64" }).tolist()).toEqual([0, 1, 2, 3, 4]);
      expect(() => torch.arange(MAX - 2, MAX + 2)).toThrow(INT64_RANGE);
      expect(torch.arange(MAX - 2, MAX).tolist()).toEqual([MAX - 2, MAX - 1]);
      expect(() => torch.linspace(0, 2 ** 60, 3, { dtype: "int64" })).toThrow(INT64_RANGE);
      expect(() => torch.randint(2 ** 60, 2 ** 60 + 5, [2])).toThrow(INT64_RANGE);
      expect(() => long([1, 2]).clamp(2 ** 60)).toThrow(INT64_RANGE); // lo would be stored
      expect(long([1, 2]).clamp(null, 2 ** 60).tolist()).toEqual([1, 2]); // hi never applies
      expect(() => torch.scatterAdd(long([MAX]), 0, long([0]), long([1]))).toThrow(INT64_RANGE);
      fc.assert(
        fc.property(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.25, max: 10, noNaN: true }), (s, e, st) => {
          let t: Tensor;
          try {
            t = torch.arange(s, e, st, { dtype: "int64" });
          } catch (err) {
            expect(err).toBeInstanceOf(RangeError);
            return;
          }
          expect((t.tolist() as number[]).every(Number.isSafeInteger)).toBe(true);
        }),
        RUNS,
      );
    });

    // ---- 2. unreadable storage ----

    it("a transferred buffer or a view past its storage throws a clear error on every read", () => {
      const x = torch.randn(4);
      const e = x.index(1);
      structuredClone(x.typedArray.buffer, { transfer: [x.typedArray.buffer as ArrayBuffer] });
      const gone = /reaches element \d+ of a storage of length 0.*transferred/;
      for (const [what, fn] of [
        ["item", () => e.item()],
        ["tolist", () => x.tolist()],
        ["String", () => String(x)],
        ["storage", () => x.storage()],
        ["index", () => x.index(0)],
        ["contiguous view", () => x.reshape(2, 2).tolist()],
      ] as const) expect(fn, what).toThrow(gone);
      expect(() => new torch.Tensor(new Float32Array(2), [4])).toThrow(/reaches element 3 of a storage of length 2/);
      expect(() => new torch.Tensor(new Float32Array(2), [2], [1], -1)).toThrow(/offset/);
      expect(() => new torch.Tensor(new Float32Array(4), [2, 2], [1])).toThrow(/one stride per dim/);
    });

    // ---- 4. errors at the public API ----

    it("matmul, bmm and Linear with zero-size dims give empty or zero results", () => {
      const dim = fc.integer({ min: 0, max: 3 });
      fc.assert(
        fc.property(fc.array(dim, { minLength: 0, maxLength: 2 }), dim, dim, dim, (batch, m, k, n) => {
          const a = torch.randn([...batch, m, k]);
          const w = torch.randn([k, n]);
          const r = a.matmul(w);
          expect(r.shape).toEqual([...batch, m, n]);
          expect(r.tolist()).toEqual(a.clone().matmul(w.clone()).tolist());
          if (k === 0) expect((r.abs().sum().item())).toBe(0);
          const lin = new torch.nn.Linear(k, n);
          const y = lin.forward(a);
          expect(y.shape).toEqual([...batch, m, n]);
          if (k === 0 && y.numel() > 0) expect(y.sub(lin.bias!).abs().max().item()).toBe(0);
        }),
        { seed: 13, numRuns: 60 },
      );
      expect(torch.randn(2, 3, 0).bmm(torch.randn(2, 0, 4)).tolist()).toEqual(torch.zeros(2, 3, 4).tolist());
      const big = torch.randn(300, 0).matmul(torch.randn(0, 300)); // an unfilled (pooled) output
      expect(big.abs().sum().item()).toBe(0);
    });

    it("bad arguments are refused once, at the public API, in PyTorch's words", () => {
      const x = torch.ones(2, { requiresGrad: true });
      expectAll([
        ["backward(list)", () => x.mul(2).backward([1, 1] as never), TypeError, /^gradients can be either Tensors or None, but got list$/],
        ["backward(number)", () => x.mul(2).sum().backward(1 as never), TypeError, /gradients can be either Tensors or None, but got number/],
        ["fromStorage negative", () => torch.Tensor.fromStorage(new Float32Array(3), [-1, -3]), RangeError, /negative dimension -1/],
        ["fromStorage 0.5 in int64", () => torch.Tensor.fromStorage(new Float64Array([0.5]), [1]), RangeError, /0\.5 is outside the int64 range/],
        ["fromStorage 2 in bool", () => torch.Tensor.fromStorage(new Uint8Array([2]), [1]), RangeError, /a bool element must be 0 or 1/],
        ["amax over an empty dim", () => torch.zeros(2, 0).amax(1), RangeError, /^amax\(\): Expected reduction dim 1 to have non-zero size\.$/],
        ["max(dim) over an empty dim", () => torch.zeros(2, 0).max(1), RangeError, /^max\(\): Expected reduction dim 1 to have non-zero size\.$/],
        ["argmax over an empty dim", () => torch.zeros(2, 0).argmax(1), RangeError, /^argmax\(\): Expected reduction dim 1 to have non-zero size\.$/],
        ["BigInt size", () => torch.zeros(2n as never, 3), TypeError, /BigInt 2n/],
        ["BigInt reshape", () => torch.zeros(6).reshape(2n as never, 3), TypeError, /BigInt 2n/],
        ["BigInt dim", () => torch.zeros(6).sum(0n as never), TypeError, /argument 'dim' must be int, not BigInt/],
        ["BigInt arange", () => torch.arange(0, 2n ** 60n as never), RangeError, INT64_RANGE],
        ["20,000-deep nesting", () => torch.tensor(deep(20_000) as never), RangeError, /too many dimensions 'list'/],
        ["normal_ std -1", () => torch.zeros(3).normal_(0, -1), RangeError, /^normal expects std >= 0\.0, but found std -1$/],
        ["normal_ std NaN", () => torch.zeros(3).normal_(0, NaN), RangeError, /found std nan/],
        ["uniform_ 1 > 0", () => torch.zeros(3).uniform_(1, 0), RangeError, /^uniform_ expects to return a \[from, to\) range, but found from=1 > to=0$/],
        ["uniform_ NaN", () => torch.zeros(3).uniform_(NaN, 1), RangeError, /from is out of bounds for float/],
        ["nn.init.normal_", () => torch.nn.init.normal_(torch.zeros(3), 0, -2), RangeError, /normal expects std >= 0\.0/],
        ["setIsa NUL", () => torch.setIsa("scalar\0avx2"), RangeError, /unknown instruction set/],
        ["set(idx, string)", () => torch.zeros(3).set(long([0]), "1" as never), TypeError, /value must be a Tensor, a number or a boolean/],
      ]);
      expect(torch.zeros(2, 0).argmax(0).shape).toEqual([0]);
      expect(torch.zeros(3).normal_(0, 0).tolist()).toEqual([0, 0, 0]);
    });
  });
}

/** The nested empty lists PyTorch's tolist gives for a shape with a zero. */
function nestedEmpty(shape: number[]): unknown {
  const z = shape.indexOf(0);
  const build = (d: number): unknown => (d === z ? [] : Array.from({ length: shape[d] }, () => build(d + 1)));
  return build(0);
}

function deep(n: number): unknown {
  let a: unknown = [1];
  for (let i = 0; i < n; i++) a = [a];
  return a;
}
