// An IterableDataset read by DataLoader workers (numWorkers > 0): each worker reads its own replica
// of the stream, sharded by getWorkerInfo() or not; batches interleave one from each worker in
// turn until each runs out, dropLast per worker, through `for of` and `for await`, each epoch
// starting the streams over, persistent workers included. Expected orders read off PyTorch 1.13
// (the same dataset and loader options in torch.utils.data).
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetWarnings } from "../lib/nn/warnings.js";
import * as torch from "../lib/index.js";
import { RangeStream } from "./fixtures/worker/stream_module.js";

const MODULE = new URL("./fixtures/worker/stream_module.ts", import.meta.url);
const { DataLoader } = torch.data;

afterEach(() => {
  delete process.env.TORCHLET_TEST_STREAM;
});

function loader(start: number, end: number, shard: boolean, options: object) {
  process.env.TORCHLET_TEST_STREAM = `${start},${end},${shard ? 1 : 0}`;
  return new DataLoader(new RangeStream(start, end, shard), { workerDataset: MODULE, ...options });
}

const lists = (batches: Iterable<unknown>) => [...batches].map((b) => (b instanceof torch.Tensor ? b.tolist() : b));

async function collect(batches: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const b of batches) out.push(b instanceof torch.Tensor ? b.tolist() : b);
  return out;
}

describe("DataLoader over an IterableDataset with workers", () => {
  it("interleaves the workers' shards one batch from each in turn, as PyTorch", () => {
    expect(lists(loader(3, 10, true, { numWorkers: 2 }))).toEqual([[3], [7], [4], [8], [5], [9], [6]]);
    expect(lists(loader(3, 10, true, { numWorkers: 2, batchSize: 2 }))).toEqual([[3, 4], [7, 8], [5, 6], [9]]);
    expect(lists(loader(3, 10, true, { numWorkers: 2, batchSize: 2, prefetchFactor: 1 }))).toEqual([[3, 4], [7, 8], [5, 6], [9]]);
    // a worker whose stream ends first drops out of the turn; the others go on
    expect(lists(loader(3, 10, true, { numWorkers: 3, batchSize: 2 }))).toEqual([[3, 4], [6, 7], [9], [5], [8]]);
    expect(lists(loader(3, 10, true, { numWorkers: 3, batchSize: null }))).toEqual([3, 6, 9, 4, 7, 5, 8]);
    // workers with empty shards give nothing
    expect(lists(loader(3, 4, true, { numWorkers: 3, batchSize: 2 }))).toEqual([[3]]);
  });

  it("drops each worker's own short last batch with dropLast; an unsharded stream is read once per worker", () => {
    expect(lists(loader(3, 10, true, { numWorkers: 2, batchSize: 2, dropLast: true }))).toEqual([[3, 4], [7, 8], [5, 6]]);
    expect(lists(loader(3, 7, false, { numWorkers: 2, batchSize: 3 }))).toEqual([[3, 4, 5], [3, 4, 5], [6], [6]]);
  });

  it("gives the same batches through for await, and starts every stream over each epoch (persistent workers too)", async () => {
    const want = [[3, 4], [7, 8], [5, 6], [9]];
    expect(await collect(loader(3, 10, true, { numWorkers: 2, batchSize: 2 }))).toEqual(want);
    for (const persistentWorkers of [false, true]) {
      const l = loader(3, 10, true, { numWorkers: 2, batchSize: 2, persistentWorkers });
      expect([lists(l), await collect(l), lists(l)]).toEqual([want, want, want]);
    }
  });

  it("warns, as PyTorch, for each batch past the length len(loader) read, with its hint about the replicas", () => {
    /** The main thread's replica reports a length of 2 (the workers' know none: only len(loader) reads it). */
    class Reported extends RangeStream {
      readonly length = 2;
    }
    process.env.TORCHLET_TEST_STREAM = "3,10,1";
    resetWarnings();
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const l = new DataLoader(new Reported(3, 10, true), { numWorkers: 2, batchSize: 2, workerDataset: MODULE });
      expect(l.length).toBe(1);
      expect(lists(l)).toEqual([[3, 4], [7, 8], [5, 6], [9]]);
      const hint = "For multiprocessing data-loading, this could be caused by not properly configuring the IterableDataset replica at each worker. " +
        "Please see https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset for examples.";
      expect(spy.mock.calls.map((c) => c[0])).toEqual([3, 4].map((n) =>
        `Length of IterableDataset Reported was reported to be 2 (when accessing len(dataloader)), but ${n} samples have been fetched. ${hint}`,
      ));
    } finally {
      spy.mockRestore();
    }
  });

  it("refuses a workerDataset module that builds no IterableDataset for a stream loader", () => {
    const mapStyle = new URL("./fixtures/worker/dataset_module.ts", import.meta.url);
    const l = new DataLoader(new RangeStream(0, 4, true), { numWorkers: 1, batchSize: 2, workerDataset: mapStyle });
    expect(() => [...l]).toThrow(/is not an IterableDataset, the loader's is: workerDataset must build the same dataset/);
  });
});
