// torch.utils.data's iterable-style datasets: IterableDataset through the DataLoader (batches read
// in order, dropLast, batching off, len(loader) from the dataset's own length and PyTorch's warning
// when the stream outruns it, the refused sampler/shuffle/batchSampler, workers without a workerDataset), ChainDataset, and
// getWorkerInfo in the main thread. Expected batches and messages as PyTorch 1.13 gives them.
import { describe, expect, it, vi } from "vitest";
import { Tensor } from "../lib/tensor.js";
import { Generator } from "../lib/ops/random.js";
import { ChainDataset, ConcatDataset, DataLoader, Dataset, getWorkerInfo, IterableDataset } from "../lib/data/index.js";
import { resetWarnings } from "../lib/nn/warnings.js";

/** 0, 1, ..., n - 1; `reported` is its length when given (a stream need not know one). */
class Stream extends IterableDataset<number> {
  pulls = 0;
  constructor(readonly n: number, readonly reported?: number) {
    super();
  }
  get length(): number | undefined {
    return this.reported;
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; ; i++) {
      this.pulls++;
      if (i >= this.n) return;
      yield i;
    }
  }
}

class NoLength extends IterableDataset<number> {
  *[Symbol.iterator]() {
    yield* [0, 1, 2];
  }
}

const lists = (batches: Iterable<unknown>) => [...batches].map((b) => (b instanceof Tensor ? b.tolist() : b));

describe("DataLoader over an IterableDataset", () => {
  it("reads the stream in order, batchSize at a time, the last batch short unless dropLast", () => {
    expect(lists(new DataLoader(new Stream(10), { batchSize: 4 }))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(lists(new DataLoader(new Stream(10), { batchSize: 4, dropLast: true }))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(lists(new DataLoader(new Stream(8), { batchSize: 4 }))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(lists(new DataLoader(new Stream(0), { batchSize: 4 }))).toEqual([]);
    // batching off: each sample through defaultConvert (numbers stay numbers)
    expect(lists(new DataLoader(new Stream(3), { batchSize: null }))).toEqual([0, 1, 2]);
    const b = [...new DataLoader(new Stream(5), { batchSize: 2 })][0] as Tensor;
    expect(b.dtype).toBe("int64");
  });

  it("stops pulling the stream once it ran out, and starts it afresh each epoch", () => {
    for (const [n, size, pulls] of [[10, 4, 11], [10, 5, 11], [3, 4, 4]]) {
      const s = new Stream(n);
      const loader = new DataLoader(s, { batchSize: size });
      [...loader];
      expect(s.pulls).toBe(pulls);
      expect(lists(loader)).toEqual(lists(new DataLoader(new Stream(n), { batchSize: size })));
    }
  });

  it("gives the same batches through for await", async () => {
    const got: unknown[] = [];
    for await (const b of new DataLoader(new Stream(7), { batchSize: 3 })) got.push((b as Tensor).tolist());
    expect(got).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it("takes len(loader) from the dataset's length, and PyTorch's TypeError without one", () => {
    expect(new DataLoader(new Stream(10, 10), { batchSize: 4 }).length).toBe(3);
    expect(new DataLoader(new Stream(10, 10), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(new Stream(10, 10), { batchSize: null }).length).toBe(10);
    expect(() => new DataLoader(new NoLength()).length).toThrow(new TypeError("object of type 'NoLength' has no len()"));
    expect(() => new DataLoader(new Stream(3, -1)).length).toThrow(TypeError);
  });

  it("warns, as PyTorch, when more batches come than the length len(loader) read", () => {
    resetWarnings();
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const quiet = new DataLoader(new Stream(10, 2), { batchSize: 4 });
      [...quiet]; // len(loader) never asked: no warning
      expect(spy).not.toHaveBeenCalled();
      const loader = new DataLoader(new Stream(10, 2), { batchSize: 4 });
      expect(loader.length).toBe(1);
      expect(lists(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
      expect(spy.mock.calls.map((c) => c[0])).toEqual([
        "Length of IterableDataset Stream was reported to be 2 (when accessing len(dataloader)), but 3 samples have been fetched. ",
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it("refuses shuffle, a sampler, a batch sampler and workers with PyTorch's words", () => {
    const s = new Stream(3);
    expect(() => new DataLoader(s, { shuffle: true })).toThrow("DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=true");
    expect(() => new DataLoader(s, { sampler: [0, 1] })).toThrow("DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=[0, 1]");
    expect(() => new DataLoader(s, { batchSampler: [[0]] })).toThrow("DataLoader with IterableDataset: expected unspecified batch_sampler option, but got batch_sampler=[[0]]");
    expect(() => new DataLoader(s, { numWorkers: 2 })).toThrow(/numWorkers > 0 needs workerDataset/);
    expect(lists(new DataLoader(s, { shuffle: false, batchSize: 2 }))).toEqual([[0, 1], [2]]);
  });

  it("draws the epoch's base seed from the generator as a map-style loader does (PyTorch draws it for every iterator)", () => {
    class Range extends Dataset<number> {
      get length() {
        return 10;
      }
      get(i: number) {
        return i;
      }
    }
    const a = new Generator().manualSeed(3), b = new Generator().manualSeed(3);
    [...new DataLoader(new Stream(10), { batchSize: 4, generator: a })];
    [...new DataLoader(new Range(), { batchSize: 4, generator: b })];
    expect(a.getState().equal(b.getState())).toBe(true);
    expect(a.getState().equal(new Generator().manualSeed(3).getState())).toBe(false);
  });
});

describe("ChainDataset", () => {
  it("reads each dataset in turn and sums their lengths", () => {
    const chain = new ChainDataset([new Stream(2, 2), new Stream(3, 3)]);
    expect([...chain]).toEqual([0, 1, 0, 1, 2]);
    expect(chain.length).toBe(5);
    expect(lists(new DataLoader(chain, { batchSize: 2 }))).toEqual([[0, 1], [0, 1], [2]]);
    expect(() => new ChainDataset([new Stream(2, 2), new NoLength()]).length).toThrow("object of type 'NoLength' has no len()");
  });

  it("accepts only IterableDatasets, checked when the chain reaches each one (as PyTorch's assert)", () => {
    const chain = new ChainDataset([new Stream(2), [5, 6] as unknown as IterableDataset<number>]);
    const it = chain[Symbol.iterator]();
    expect(it.next().value).toBe(0);
    expect(it.next().value).toBe(1);
    expect(() => it.next()).toThrow(new TypeError("ChainDataset only supports IterableDataset"));
    expect(() => new ChainDataset(5 as unknown as IterableDataset[])).toThrow(TypeError);
  });

  it("is refused by ConcatDataset, as in PyTorch", () => {
    expect(() => new ConcatDataset([new Stream(2) as never])).toThrow(new TypeError("ConcatDataset does not support IterableDataset"));
  });
});

describe("getWorkerInfo", () => {
  it("is null in the main thread (PyTorch's None in the main process)", () => {
    expect(getWorkerInfo()).toBeNull();
  });
});
