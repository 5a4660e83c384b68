// torch.utils.data's samplers and the DataLoader options built on them (sampler, batchSampler,
// batchSize null), ConcatDataset, and the refusal of options that are not implemented.
// NOTE: every literal order below was produced by us with PyTorch 1.13 (Debian's python3-torch
// 1.13.0a0, built without MKL) running the Python line quoted next to it; torchlet must give the
// same order because it draws from the same MT19937 stream the same way.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Tensor } from "../lib/tensor.js";
import { Generator, manualSeed } from "../lib/ops/random.js";
import { randint } from "../lib/ops/creation.js";
import {
  BatchSampler, ConcatDataset, DataLoader, RandomSampler, randomSplit, Sampler, SequentialSampler,
  SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
} from "../lib/data/index.js";

const arange = (n: number, start = 0) => Tensor.fromStorage(Float64Array.from({ length: n }, (_, i) => start + i), [n]);
const values = (t: Tensor) => Array.from(t.contiguous().storage());
/** A data source of n items, like Python's range(n). */
const range = (n: number) => ({ length: n, get: (i: number) => i });
const G = (seed: number) => new Generator(seed);
const randints = (high: number, n: number, generator?: Generator) => values(randint(0, high, [n], generator ? { generator } : {}));
const epoch = (dl: Iterable<Tensor[]>) => [...dl].map(([x]) => values(x));
/** G(s) is torch.Generator().manual_seed(s) below. */

describe("SequentialSampler, RandomSampler", () => {
  it("SequentialSampler counts up to the length it finds when iteration starts", () => {
    const src = { length: 3, get: (i: number) => i };
    const s = new SequentialSampler(src);
    expect([...s]).toEqual([0, 1, 2]);
    src.length = 5;
    expect(s.length).toBe(5);
    expect([...s]).toEqual([0, 1, 2, 3, 4]);
    expect(s).toBeInstanceOf(Sampler);
  });

  it("without replacement: randperm per pass, from the sampler's generator (PyTorch's orders)", () => {
    // s = RandomSampler(range(10), generator=G(5)); [list(s), list(s)]
    const s = new RandomSampler(range(10), { generator: G(5) });
    expect([[...s], [...s]]).toEqual([[1, 4, 9, 6, 3, 5, 0, 2, 8, 7], [7, 5, 0, 4, 3, 9, 6, 8, 1, 2]]);
    // list(RandomSampler(range(7), num_samples=17, generator=G(2))): two whole permutations, then 3 of a third
    const more = new RandomSampler(range(7), { numSamples: 17, generator: G(2) });
    expect(more.length).toBe(17);
    expect([...more]).toEqual([2, 4, 3, 0, 6, 1, 5, 6, 2, 1, 0, 4, 3, 5, 6, 2, 1]);
  });

  it("with replacement: randint in chunks of 32 (PyTorch's order)", () => {
    // list(RandomSampler(range(10), replacement=True, num_samples=40, generator=G(5)))
    expect([...new RandomSampler(range(10), { replacement: true, numSamples: 40, generator: G(5) })]).toEqual([
      1, 4, 7, 5, 6, 0, 2, 3, 8, 4, 9, 0, 1, 2, 8, 8, 3, 0, 7, 9, 9, 7, 2, 9, 4, 7, 1, 9, 3, 6, 4, 4, 5, 4, 0, 5, 7, 4, 5, 9,
    ]);
  });

  it("without a generator, seeds its own from the global one and advances it as PyTorch does", () => {
    // torch.manual_seed(4); list(RandomSampler(range(6))); torch.randint(0, 1000, (2,))
    manualSeed(4);
    expect([...new RandomSampler(range(6))]).toEqual([1, 4, 0, 5, 3, 2]);
    expect(randints(1000, 2)).toEqual([631, 773]);
  });

  it("checks its arguments with PyTorch's messages", () => {
    expect(() => new RandomSampler(range(0))).toThrow(/num_samples should be a positive integer value, but got num_samples=0/);
    expect(() => new RandomSampler(range(3), { numSamples: 2.5 })).toThrow(/num_samples should be a positive integer value, but got num_samples=2.5/);
    expect(() => new RandomSampler(range(3), { replacement: "yes" as never })).toThrow(/replacement should be a boolean value, but got replacement=yes/);
    expect(() => new RandomSampler(range(3), { generator: 1 as never })).toThrow(/generator must be a torch.Generator/);
  });
});

describe("SubsetRandomSampler, WeightedRandomSampler", () => {
  it("SubsetRandomSampler yields its indices in randperm order (PyTorch's orders)", () => {
    // list(SubsetRandomSampler([10, 20, 30, 40, 50], generator=G(9)))
    expect([...new SubsetRandomSampler([10, 20, 30, 40, 50], { generator: G(9) })]).toEqual([10, 20, 30, 50, 40]);
    // torch.manual_seed(6); list(SubsetRandomSampler([3, 1, 4, 1, 5, 9])); torch.randint(0, 1000, (2,))
    manualSeed(6);
    const s = new SubsetRandomSampler(Tensor.fromStorage(Float64Array.from([3, 1, 4, 1, 5, 9]), [6]));
    expect(s.length).toBe(6);
    expect([...s]).toEqual([4, 3, 9, 1, 5, 1]);
    expect(randints(1000, 2)).toEqual([437, 647]);
  });

  const w = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6];
  const w100 = Array.from({ length: 100 }, (_, i) => ((i * 37) % 101) / 10 + 0.05);

  it("with replacement: the cumulative-sum search of torch.multinomial (PyTorch's orders)", () => {
    // list(WeightedRandomSampler(w, 10, replacement=True, generator=G(0)))
    expect([...new WeightedRandomSampler(w, 10, { replacement: true, generator: G(0) })]).toEqual([5, 4, 4, 5, 4, 4, 2, 3, 4, 3]);
    // s = WeightedRandomSampler(w, 1, generator=G(1)); [list(s), list(s), list(s)]
    const one = new WeightedRandomSampler(w, 1, { generator: G(1) });
    expect([[...one], [...one], [...one]]).toEqual([[1], [2], [2]]);
    // list(WeightedRandomSampler(w100, 50, replacement=True, generator=G(7)))
    expect([...new WeightedRandomSampler(w100, 50, { generator: G(7) })]).toEqual([
      29, 28, 87, 65, 92, 84, 30, 57, 76, 76, 7, 7, 18, 5, 13, 85, 2, 95, 12, 98, 92, 87, 65, 30, 89, 73, 95, 84, 15, 95, 53, 9, 64, 72,
      34, 7, 19, 7, 73, 35, 43, 90, 35, 48, 23, 19, 80, 35, 57, 81,
    ]);
    // torch.manual_seed(3); list(WeightedRandomSampler(w, 6)); torch.randint(0, 1000, (2,))
    manualSeed(3);
    expect([...new WeightedRandomSampler(w, 6)]).toEqual([1, 3, 4, 1, 4, 4]);
    expect(randints(1000, 2)).toEqual([825, 689]);
    // a Tensor of weights is read as float64 values, like the same numbers in an array
    const t = Tensor.fromStorage(Float32Array.from([1, 2, 3, 0.5]), [4]);
    expect([...new WeightedRandomSampler(t, 9, { generator: G(4) })]).toEqual([...new WeightedRandomSampler([1, 2, 3, 0.5], 9, { generator: G(4) })]);
  });

  it("without replacement: weights over Exp(1) draws, largest first (PyTorch's orders without MKL)", () => {
    // list(WeightedRandomSampler([0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, replacement=False, generator=G(0)))
    expect([...new WeightedRandomSampler([0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, { replacement: false, generator: G(0) })]).toEqual([1, 4, 0, 2, 3]);
    // list(WeightedRandomSampler(w100, 20, replacement=False, generator=G(7)))
    expect([...new WeightedRandomSampler(w100, 20, { replacement: false, generator: G(7) })]).toEqual([
      84, 16, 13, 50, 35, 10, 37, 18, 31, 79, 73, 45, 92, 89, 99, 12, 76, 98, 90, 95,
    ]);
    // every index once when numSamples is the number of weights
    expect([...new WeightedRandomSampler(w, 6, { replacement: false, generator: G(3) })].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("checks weights and counts with PyTorch's messages", () => {
    expect(() => new WeightedRandomSampler(w, 0)).toThrow(/num_samples should be a positive integer value, but got num_samples=0/);
    expect(() => new WeightedRandomSampler(w, 2, { replacement: 1 as never })).toThrow(/replacement should be a boolean value/);
    expect(() => new WeightedRandomSampler(Tensor.fromStorage(new Float32Array(6), [2, 3]), 2)).toThrow(/weights should be a 1d sequence but given weights have shape \(2, 3\)/);
    expect(() => new WeightedRandomSampler(["a"] as never, 2)).toThrow(/array of numbers or a 1-d Tensor/);
    const draw = (weights: number[], n: number, replacement: boolean) => () => [...new WeightedRandomSampler(weights, n, { replacement })];
    expect(draw([1, -1], 2, true)).toThrow(/invalid multinomial distribution \(encountering probability entry < 0\)/);
    expect(draw([1, Infinity], 2, true)).toThrow(/encountering probability entry = infinity or NaN/);
    expect(draw([0, 0], 2, true)).toThrow(/invalid multinomial distribution \(sum of probabilities <= 0\)/);
    expect(draw([1, NaN], 1, false)).toThrow(/probability tensor contains either `inf`, `nan` or element < 0/);
    expect(draw([0, 0], 1, false)).toThrow(/sum of probabilities <= 0/);
    expect(draw([1, 2], 3, false)).toThrow(/cannot sample n_sample > prob_dist.size\(-1\) samples without replacement/);
  });
});

describe("BatchSampler", () => {
  it("groups indices, keeping or dropping the short last batch, with PyTorch's lengths", () => {
    // PyTorch's docstring examples
    expect([...new BatchSampler(new SequentialSampler(range(10)), 3, false)]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect([...new BatchSampler(new SequentialSampler(range(10)), 3, true)]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect(new BatchSampler([5, 6, 7, 8], 3, false).length).toBe(2);
    expect(new BatchSampler([5, 6, 7, 8], 3, true).length).toBe(1);
    expect([...new BatchSampler([5, 6, 7, 8], 3, false)]).toEqual([[5, 6, 7], [8]]);
  });

  it("checks its arguments", () => {
    expect(() => new BatchSampler([1], 0, false)).toThrow(/batch_size should be a positive integer value, but got batch_size=0/);
    expect(() => new BatchSampler([1], 2, "no" as never)).toThrow(/drop_last should be a boolean value, but got drop_last=no/);
    expect(() => new BatchSampler(5 as never, 2, false)).toThrow(/sampler must be an iterable/);
    const noLength = new BatchSampler((function* () { yield 1; })(), 2, false);
    expect(() => noLength.length).toThrow(/has no len\(\)/);
  });
});

describe("DataLoader with samplers", () => {
  const ds = new TensorDataset(arange(10));

  it("takes any iterable of indices as sampler, negative ones included (per-sample path)", () => {
    expect(epoch(new DataLoader(ds, { sampler: [3, 1, 2], batchSize: 2 }))).toEqual([[3, 1], [2]]);
    expect(epoch(new DataLoader(ds, { sampler: [-1, 0], batchSize: 2 }))).toEqual([[9, 0]]);
    const dl = new DataLoader(ds, { sampler: [4, 2, 0, 1, 3], batchSize: 2, dropLast: true });
    expect(dl.length).toBe(2);
    expect(epoch(dl)).toEqual([[4, 2], [0, 1]]);
    const once = new DataLoader(ds, { sampler: (function* () { yield 7; yield 8; })(), batchSize: 4 });
    expect(() => once.length).toThrow(/has no len\(\)/);
    expect(epoch(once)).toEqual([[7, 8]]);
  });

  it("a Sampler subclass needs only an iterator; its length is optional, as in PyTorch", () => {
    class Evens extends Sampler {
      constructor(readonly n: number) {
        super();
      }
      *[Symbol.iterator]() {
        for (let i = 0; i < this.n; i += 2) yield i;
      }
    }
    const dl = new DataLoader(ds, { sampler: new Evens(10), batchSize: 2 });
    expect(() => dl.length).toThrow(/object of type 'Evens' has no len\(\)/);
    expect(epoch(dl)).toEqual([[0, 2], [4, 6], [8]]);
    // a batch sampler may yield 1-d tensors or other iterables of indices
    expect(epoch(new DataLoader(ds, { batchSampler: [arange(2, 3), new Set([0])] as never }))).toEqual([[3, 4], [0]]);
    expect(() => [...new DataLoader(ds, { batchSampler: [5] as never })]).toThrow(/a batch sampler must yield lists of indices, got number/);
  });

  it("a sampler's draws interleave with other draws on its generator as in PyTorch", () => {
    // g = G(11); for (x,) in DataLoader(ds, sampler=RandomSampler(ds, replacement=True, num_samples=7, generator=g), batch_size=3):
    //     (x.tolist(), torch.randint(0, 100, (1,), generator=g).item())
    const g = G(11);
    const out: [number[], number][] = [];
    for (const [x] of new DataLoader(ds, { sampler: new RandomSampler(ds, { replacement: true, numSamples: 7, generator: g }), batchSize: 3 })) {
      out.push([values(x), randints(100, 1, g)[0]]);
    }
    expect(out).toEqual([[[1, 9, 0], 20], [[7, 3, 7], 37], [[1], 47]]);
    // g = G(21); dl = DataLoader(ds, sampler=WeightedRandomSampler(w100[:10], 8, generator=g), batch_size=3, generator=g); two epochs
    const w10 = Array.from({ length: 10 }, (_, i) => ((i * 37) % 101) / 10 + 0.05);
    const g2 = G(21);
    const dl = new DataLoader(ds, { sampler: new WeightedRandomSampler(w10, 8, { generator: g2 }), batchSize: 3, generator: g2 });
    expect([epoch(dl), epoch(dl)]).toEqual([[[2, 5, 4], [8, 9, 1], [7, 1]], [[5, 5, 8], [8, 7, 8], [4, 5]]]);
  });

  it("SubsetRandomSampler on the global generator (PyTorch's order and generator state)", () => {
    // torch.manual_seed(2); [x for (x,) in DataLoader(ds, sampler=SubsetRandomSampler([1, 3, 5, 7, 9]), batch_size=2)]; torch.randint(0, 1000, (2,))
    manualSeed(2);
    expect(epoch(new DataLoader(ds, { sampler: new SubsetRandomSampler([1, 3, 5, 7, 9]), batchSize: 2 }))).toEqual([[3, 1], [9, 5], [7]]);
    expect(randints(1000, 2)).toEqual([442, 515]);
  });

  it("batchSampler gives the index lists (PyTorch's order); length is its length", () => {
    // g = G(12); dl = DataLoader(ds, batch_sampler=BatchSampler(RandomSampler(ds, generator=g), 4, True)); two epochs
    const g = G(12);
    const dl = new DataLoader(ds, { batchSampler: new BatchSampler(new RandomSampler(ds, { generator: g }), 4, true) });
    expect(dl.length).toBe(2);
    expect(dl.batchSize).toBeNull();
    expect([epoch(dl), epoch(dl)]).toEqual([[[3, 5, 8, 1], [0, 6, 9, 2]], [[8, 4, 2, 1], [0, 9, 7, 3]]]);
    expect(epoch(new DataLoader(ds, { batchSampler: [[9, 8], [1], [2, 3, 4]] }))).toEqual([[9, 8], [1], [2, 3, 4]]);
  });

  it("batchSize null turns batching off: one sample per item, passed through (PyTorch's order)", () => {
    // torch.manual_seed(1); [x.tolist() for (x,) in DataLoader(TensorDataset(torch.arange(5)), batch_size=None, shuffle=True)]
    manualSeed(1);
    const dl = new DataLoader(new TensorDataset(arange(5)), { batchSize: null, shuffle: true });
    expect(dl.length).toBe(5);
    const items = [...dl];
    expect(items.map(([x]) => x.item())).toEqual([4, 1, 3, 0, 2]);
    expect(items[0][0].shape).toEqual([]);
    expect([...new DataLoader(range(3), { batchSize: null, collateFn: (x) => `<${x}>` })]).toEqual(["<0>", "<1>", "<2>"]);
  });

  it("refuses PyTorch's incompatible combinations with PyTorch's messages", () => {
    expect(() => new DataLoader(ds, { sampler: [1], shuffle: true })).toThrow(/^sampler option is mutually exclusive with shuffle$/);
    const batches = [[1, 2]];
    const exclusive = /^batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last$/;
    expect(() => new DataLoader(ds, { batchSampler: batches, batchSize: 2 })).toThrow(exclusive);
    expect(() => new DataLoader(ds, { batchSampler: batches, shuffle: true })).toThrow(exclusive);
    expect(() => new DataLoader(ds, { batchSampler: batches, sampler: [1] })).toThrow(exclusive);
    expect(() => new DataLoader(ds, { batchSampler: batches, dropLast: true })).toThrow(exclusive);
    expect(() => new DataLoader(ds, { batchSampler: batches, batchSize: null })).toThrow(exclusive);
    expect(new DataLoader(ds, { batchSampler: batches, batchSize: 1 }).length).toBe(1); // 1 is the default
    expect(() => new DataLoader(ds, { batchSize: null, dropLast: true })).toThrow(/batch_size=None option disables auto-batching and is mutually exclusive with drop_last/);
    expect(() => new DataLoader(ds, { sampler: 3 as never })).toThrow(/sampler must be an iterable/);
    expect(() => new DataLoader(new TensorDataset(arange(0)), { shuffle: true })).toThrow(/num_samples should be a positive integer value, but got num_samples=0/);
  });

  it("refuses what it does not implement instead of ignoring it; accepts the values that mean 'off'", () => {
    const make = (opts: object) => () => new DataLoader(ds, opts as never);
    expect(make({ numWorkers: 0, pinMemory: false, timeout: 0, prefetchFactor: 2, persistentWorkers: false, workerInitFn: null, pinMemoryDevice: "" })).not.toThrow();
    expect(make({ numWorkers: 2 })).toThrow(/numWorkers > 0 needs workerDataset: worker threads can't share/);
    expect(make({ numWorkers: 2, workerDataset: "data.ts", workerInitFn: () => {} })).toThrow(/export workerInit\(workerId\) from the workerDataset module/);
    expect(make({ numWorkers: 2, workerDataset: "data.ts", prefetchFactor: 0 })).toThrow(/prefetchFactor must be a positive integer/);
    expect(make({ numWorkers: 2, workerDataset: "data.ts", multiprocessingContext: "fork" })).toThrow(/workers are threads/);
    expect(make({ workerDataset: "data.ts" })).toThrow(/workerDataset .* needs numWorkers > 0/);
    expect(make({ numWorkers: -1 })).toThrow(/num_workers option should be non-negative; use num_workers=0 to disable multiprocessing/);
    expect(make({ pinMemory: true })).toThrow(/pinMemory is not implemented/);
    expect(make({ workerInitFn: () => {} })).toThrow(/workerInitFn runs in workers: it needs numWorkers > 0/);
    expect(make({ timeout: 5 })).toThrow(/timeout applies to waiting for workers: it needs numWorkers > 0/);
    expect(make({ timeout: -1 })).toThrow(/timeout option should be non-negative/);
    expect(make({ prefetchFactor: 4 })).toThrow(/prefetch_factor option could only be specified in multiprocessing/);
    expect(make({ persistentWorkers: true })).toThrow(/persistent_workers option needs num_workers > 0/);
    expect(make({ multiprocessingContext: "spawn" })).toThrow(/multiprocessing_context can only be used with multi-process loading/);
    expect(make({ pinMemoryDevice: "cuda" })).toThrow(/pinMemoryDevice is not implemented/);
    // a Python spelling or a typo is named, not ignored
    expect(make({ num_workers: 0 })).toThrow(/unknown option 'num_workers'/);
    expect(make({ batch_size: 4 })).toThrow(/unknown option 'batch_size' \(torchlet's DataLoader takes batchSize, shuffle/);
  });
});

describe("ConcatDataset, randomSplit", () => {
  afterEach(() => vi.restoreAllMocks());
  const cds = () => new ConcatDataset([new TensorDataset(arange(3)), new TensorDataset(arange(0)), new TensorDataset(arange(5, 10))]);

  it("indexes across its datasets, negatives from the end, with PyTorch's errors", () => {
    const c = cds();
    expect(c.length).toBe(8);
    expect(c.cumulativeSizes).toEqual([3, 3, 8]);
    expect([...Array(8).keys()].map((i) => c.get(i)[0].item())).toEqual([0, 1, 2, 10, 11, 12, 13, 14]);
    expect(c.get(-1)[0].item()).toBe(14);
    expect(c.get(-8)[0].item()).toBe(0);
    expect(() => c.get(-9)).toThrow(/absolute value of index should not exceed dataset length/);
    expect(() => c.get(8)).toThrow(/index 8 is out of bounds/);
    expect(() => new ConcatDataset([])).toThrow(/datasets should not be an empty iterable/);
    expect(() => new ConcatDataset([{}] as never)).toThrow(/ConcatDataset: dataset 0: dataset must have an integer length/);
  });

  it("uses a dataset's fast path when a batch stays inside it; DataLoader shuffles it as PyTorch does", () => {
    const c = cds();
    expect(values((c.batch([4, 3]) as Tensor[])[0])).toEqual([11, 10]);
    expect(c.batch([2, 3])).toBeUndefined();
    // torch.manual_seed(0); DataLoader(ConcatDataset([TensorDataset(torch.arange(3)), TensorDataset(torch.arange(10, 15))]), batch_size=3, shuffle=True)
    manualSeed(0);
    const two = new ConcatDataset([new TensorDataset(arange(3)), new TensorDataset(arange(5, 10))]);
    expect(epoch(new DataLoader(two, { batchSize: 3, shuffle: true }))).toEqual([[2, 0, 12], [10, 1, 11], [14, 13]]);
  });

  it("randomSplit by fractions floors, hands out the remainder, and warns about empty splits", () => {
    // [s.indices for s in random_split(range(30), [0.3, 0.3, 0.4], generator=G(42))]: 30 * 0.3 floors to 8
    expect(randomSplit(range(30), [0.3, 0.3, 0.4], G(42)).map((s) => s.indices)).toEqual([
      [12, 0, 6, 25, 8, 15, 10, 18, 16], [23, 28, 26, 20, 7, 21, 22, 29, 13], [14, 2, 4, 1, 9, 11, 17, 19, 27, 5, 24, 3],
    ]);
    const emitted = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const parts = randomSplit(range(2), [0.5, 0.5, 0], G(1));
    expect(parts.map((p) => p.length)).toEqual([1, 1, 0]);
    expect(emitted).toHaveBeenCalledWith("Length of split at index 2 is 0. This might result in an empty dataset.", "UserWarning");
    // [1] sums to 1, so it is read as fractions: the whole dataset
    expect(randomSplit(range(1), [1], G(1)).map((p) => p.indices)).toEqual([[0]]);
    expect(() => randomSplit(range(3), [2, 2])).toThrow(/Sum of input lengths does not equal the length of the input dataset/);
  });
});
