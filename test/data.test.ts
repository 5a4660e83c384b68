// torch.utils.data: default collate rules, TensorDataset/Subset/randomSplit, and the DataLoader's
// batching, dropLast, length, fast path vs per-sample path, and shuffles that match PyTorch 1.13's
// for the same seeds (expected orders recorded from PyTorch 1.13, see each test).
import { describe, expect, it } from "vitest";
import { Tensor } from "../lib/tensor.js";
import { Generator, manualSeed } from "../lib/ops/random.js";
import { randint } from "../lib/ops/creation.js";
import { DataLoader, Dataset, defaultCollate, randomSplit, Subset, TensorDataset } from "../lib/data/index.js";

const arange = (n: number) => Tensor.fromStorage(Float64Array.from({ length: n }, (_, i) => i), [n]);
const values = (t: Tensor) => Array.from(t.contiguous().storage());

/** A dataset of plain numbers and strings: exercises the per-sample path only. */
class Squares extends Dataset<[number, string]> {
  constructor(readonly n: number) {
    super();
  }
  get length() {
    return this.n;
  }
  get(i: number): [number, string] {
    return [i * i, `s${i}`];
  }
}

describe("defaultCollate", () => {
  it("stacks tensors along a new first dimension", () => {
    const a = Tensor.fromStorage(Float32Array.from([1, 2, 3]), [3]);
    const b = Tensor.fromStorage(Float32Array.from([4, 5, 6]), [3]);
    const out = defaultCollate([a, b]);
    expect(out.shape).toEqual([2, 3]);
    expect(values(out)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("numbers: integers -> int64, any fraction -> float32; booleans -> bool; strings stay a list", () => {
    expect(defaultCollate([1, 2, 3]).dtype).toBe("int64");
    const f = defaultCollate([1, 2.5]);
    expect(f.dtype).toBe("float32");
    expect(values(f)).toEqual([1, 2.5]);
    expect(defaultCollate([true, false]).dtype).toBe("bool");
    expect(defaultCollate(["a", "b"])).toEqual(["a", "b"]);
  });

  it("collates arrays position by position and objects key by key", () => {
    const out = defaultCollate([[1, { k: 2.5 }], [3, { k: 4 }]]);
    expect(values(out[0])).toEqual([1, 3]);
    expect(out[0].dtype).toBe("int64");
    expect(values(out[1].k)).toEqual([2.5, 4]);
  });

  it("refuses mixed, unequal or unknown samples with a clear error", () => {
    expect(() => defaultCollate([])).toThrow(/non-empty/);
    expect(() => defaultCollate([1, "x"])).toThrow(/sample 0 is a number but sample 1 is a string/);
    expect(() => defaultCollate([[1, 2], [3]])).toThrow(/each element in list of batch should be of equal size/);
    expect(() => defaultCollate([null])).toThrow(/batch must contain tensors/);
    expect(() => defaultCollate([new Map()])).toThrow(/found a Map/);
    const a = Tensor.fromStorage(Float32Array.from([1, 2]), [2]);
    const b = Tensor.fromStorage(Float32Array.from([1, 2, 3]), [3]);
    expect(() => defaultCollate([a, b])).toThrow(/stack expects each tensor to be equal size/);
  });
});

describe("TensorDataset, Subset, randomSplit", () => {
  it("TensorDataset gives rows of each tensor and checks sizes", () => {
    const x = Tensor.fromStorage(Float32Array.from([0, 1, 2, 3, 4, 5]), [3, 2]);
    const ds = new TensorDataset(x, arange(3));
    expect(ds.length).toBe(3);
    const [row, y] = ds.get(1);
    expect(values(row)).toEqual([2, 3]);
    expect(y.item()).toBe(1);
    expect(values(ds.get(-1)[0])).toEqual([4, 5]);
    expect(() => ds.get(3)).toThrow(/index 3 is out of bounds for dimension 0 with size 3/);
    expect(() => ds.get(1.5)).toThrow(/must be an integer/);
    expect(() => new TensorDataset(x, arange(4))).toThrow(/Size mismatch between tensors/);
  });

  it("Subset maps indices and forwards the fast path", () => {
    const ds = new TensorDataset(arange(10));
    const sub = new Subset(ds, [7, 2, 5]);
    expect(sub.length).toBe(3);
    expect(sub.get(0)[0].item()).toBe(7);
    const [b] = sub.batch([2, 0]) as Tensor[];
    expect(values(b)).toEqual([5, 7]);
  });

  it("randomSplit matches PyTorch's split for the same generator seed", () => {
    // torch.utils.data.random_split(range(10), [0.7, 0.3], generator=torch.Generator().manual_seed(42))
    const [a, b] = randomSplit(new Squares(10), [0.7, 0.3], new Generator(42));
    expect((a as Subset).indices).toEqual([2, 6, 1, 8, 4, 5, 0]);
    expect((b as Subset).indices).toEqual([9, 3, 7]);
    // random_split(range(11), [0.5, 0.3, 0.2], generator=...manual_seed(1)): remainder distribution
    const parts = randomSplit(new Squares(11), [0.5, 0.3, 0.2], new Generator(1));
    expect(parts.map((p) => p.indices)).toEqual([[0, 10, 2, 3, 7, 6], [4, 8, 1], [9, 5]]);
    // torch.manual_seed(3); random_split(range(8), [5, 3]) uses the global generator
    manualSeed(3);
    const [c, d] = randomSplit(new Squares(8), [5, 3]);
    expect([c.indices, d.indices]).toEqual([[2, 4, 3, 5, 1], [0, 6, 7]]);
    expect(c.get(0)).toEqual([4, "s2"]);
  });

  it("randomSplit refuses lengths that don't add up", () => {
    expect(() => randomSplit(new Squares(10), [3, 3])).toThrow(/Sum of input lengths does not equal the length of the input dataset/);
    expect(() => randomSplit(new Squares(10), [1.5, -0.5])).toThrow(/Fraction at index 0 is not between 0 and 1/);
    expect(() => randomSplit(new Squares(10), [])).toThrow(/non-empty array/);
  });
});

describe("DataLoader", () => {
  it("batches in order, with the last partial batch unless dropLast", () => {
    const dl = new DataLoader(new Squares(7), { batchSize: 3 });
    expect(dl.length).toBe(3);
    const batches = [...dl];
    expect(batches.map(([sq]) => values(sq))).toEqual([[0, 1, 4], [9, 16, 25], [36]]);
    expect(batches[2][1]).toEqual(["s6"]);
    const dropped = new DataLoader(new Squares(7), { batchSize: 3, dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped].length).toBe(2);
    expect(dl.dataset.length).toBe(7);
  });

  it("entries() numbers the batches like enumerate()", () => {
    const dl = new DataLoader(new Squares(4), { batchSize: 2 });
    expect([...dl.entries()].map(([i, [sq]]) => [i, values(sq)])).toEqual([[0, [0, 1]], [1, [4, 9]]]);
  });

  it("shuffles exactly as PyTorch 1.13 for the same seed, and advances the global generator as it does", () => {
    // torch.manual_seed(0); dl = DataLoader(TensorDataset(torch.arange(10)), batch_size=3, shuffle=True)
    manualSeed(0);
    const ds = new TensorDataset(arange(10));
    const dl = new DataLoader(ds, { batchSize: 3, shuffle: true });
    const epoch = () => [...dl].map(([x]) => values(x));
    expect(epoch()).toEqual([[6, 7, 1], [4, 2, 0], [9, 8, 3], [5]]);
    expect(epoch()).toEqual([[2, 4, 7], [0, 8, 9], [5, 3, 6], [1]]);
    // an unshuffled loader still draws its base seed
    expect([...new DataLoader(ds, { batchSize: 4 })].map(([x]) => values(x))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    // torch.randint(0, 1000, (3,)) right after, in PyTorch: [101, 866, 756]
    expect(values(randint(0, 1000, [3]))).toEqual([101, 866, 756]);
  });

  it("uses an explicit generator for the order, as PyTorch does", () => {
    // g = torch.Generator(); g.manual_seed(7); DataLoader(ds, batch_size=4, shuffle=True, generator=g, drop_last=True)
    const dl = new DataLoader(new TensorDataset(arange(10)), { batchSize: 4, shuffle: true, dropLast: true, generator: new Generator(7) });
    expect(dl.length).toBe(2);
    expect([...dl].map(([x]) => values(x))).toEqual([[1, 3, 5, 7], [9, 4, 6, 2]]);
    expect([...dl].map(([x]) => values(x))).toEqual([[5, 1, 6, 0], [9, 7, 8, 4]]);
  });

  it("draws the extra permutation PyTorch's sampler makes at the end of an epoch, at the same moment", () => {
    // g.manual_seed(11); DataLoader(TensorDataset(torch.arange(8)), batch_size=4, shuffle=True, generator=g), 2 epochs
    const g = new Generator(11);
    const dl = new DataLoader(new TensorDataset(arange(8)), { batchSize: 4, shuffle: true, generator: g });
    expect([...dl].map(([x]) => values(x))).toEqual([[0, 5, 7, 1], [3, 4, 2, 6]]);
    expect([...dl].map(([x]) => values(x))).toEqual([[4, 6, 2, 5], [0, 1, 3, 7]]);
    // g.manual_seed(11); n=7, batch 3; torch.randint(0, 100, (1,), generator=g) after each batch
    g.manualSeed(11);
    const out: [number[], number][] = [];
    for (const [x] of new DataLoader(new TensorDataset(arange(7)), { batchSize: 3, shuffle: true, generator: g })) {
      out.push([values(x), randint(0, 100, [1], { generator: g }).item()]);
    }
    expect(out).toEqual([[[0, 6, 5], 37], [[1, 3, 2], 47], [[4], 68]]);
  });

  it("fast path and per-sample path give identical batches", () => {
    const x = Tensor.fromStorage(Float32Array.from({ length: 40 }, (_, i) => Math.sin(i)), [10, 2, 2]);
    const y = arange(10);
    const ds = new TensorDataset(x, y);
    let fastCalls = 0;
    const fastDs = { length: ds.length, get: (i: number) => ds.get(i), batch: (idx: readonly number[]) => (fastCalls++, ds.batch(idx)) };
    const slowDs = { length: ds.length, get: (i: number) => ds.get(i) };
    const run = (d: typeof slowDs) => {
      manualSeed(5);
      return [...new DataLoader(d, { batchSize: 4, shuffle: true })].map((b: Tensor[]) => b.map((t) => [t.dtype, t.shape, values(t)]));
    };
    const slow = run(slowDs);
    const fast = run(fastDs);
    expect(fastCalls).toBe(3);
    expect(fast).toEqual(slow);
  });

  it("a custom collateFn bypasses the fast path and gets the samples", () => {
    const ds = new TensorDataset(arange(5));
    let fastCalls = 0;
    const d = { length: 5, get: (i: number) => ds.get(i), batch: () => (fastCalls++, undefined) };
    const dl = new DataLoader(d, { batchSize: 2, collateFn: (samples) => samples.length });
    expect([...dl]).toEqual([2, 2, 1]);
    expect(fastCalls).toBe(0);
  });

  it("falls back to the per-sample path when batch() declines", () => {
    const ds = new TensorDataset(arange(5));
    const d = { length: 5, get: (i: number) => ds.get(i), batch: () => undefined };
    expect([...new DataLoader(d, { batchSize: 5 })].map(([t]) => values(t))).toEqual([[0, 1, 2, 3, 4]]);
  });

  it("checks its arguments", () => {
    expect(() => new DataLoader(new Squares(3), { batchSize: 0 })).toThrow(/batch_size should be a positive integer value, but got batch_size=0/);
    expect(() => new DataLoader(new Squares(3), { batchSize: 1.5 })).toThrow(/positive integer/);
    expect(() => new DataLoader({} as never)).toThrow(/dataset must have an integer length and a get/);
    expect(() => new DataLoader(new Squares(3), { shuffle: "yes" as never })).toThrow(/shuffle should be a boolean/);
    expect(() => new DataLoader(new Squares(3), { generator: 3 as never })).toThrow(/generator must be/);
  });
});

