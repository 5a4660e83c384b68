// DataLoader with numWorkers > 0 (worker threads): the batches and order of numWorkers 0, through
// `for of` and `for await`; seeded random draws in workers reproducible; a worker's error surfaced
// with PyTorch's wording and the worker's stack; crashes, timeouts and early exits end cleanly.
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { dataset } from "./fixtures/worker/dataset_module.js";

const MODULE = new URL("./fixtures/worker/dataset_module.ts", import.meta.url);
const { DataLoader } = torch.data;

afterEach(() => {
  delete process.env.TORCHLET_TEST_MODE;
});

/** [indices-and-squares, labels] of every batch; the random column is left out (it differs by thread). */
function deterministic(batches: Iterable<[torch.Tensor, torch.Tensor]>): unknown[] {
  return [...batches].map(([x, y]) => [x.narrow(1, 0, 2).tolist(), y.tolist()]);
}

function loader(numWorkers: number, extra: object = {}) {
  return new DataLoader<[torch.Tensor, torch.Tensor]>(dataset, {
    batchSize: 4, shuffle: true, generator: new torch.Generator().manualSeed(11), numWorkers,
    ...(numWorkers > 0 ? { workerDataset: MODULE } : {}), ...extra,
  });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe("DataLoader numWorkers > 0", () => {
  it("gives the batches and order of numWorkers 0, for of and for await, for 1 to 3 workers", async () => {
    const reference = deterministic(loader(0));
    expect(reference).toHaveLength(10);
    for (const n of [1, 2, 3]) {
      expect(deterministic(loader(n))).toEqual(reference);
      expect(deterministic(await collect(loader(n, { prefetchFactor: 1 })))).toEqual(reference);
    }
    // Batching off: one item per step, collated by defaultConvert.
    const single = new DataLoader<[torch.Tensor, number]>(dataset, { batchSize: null, numWorkers: 2, workerDataset: MODULE });
    const items = [...single];
    expect(items).toHaveLength(37);
    expect(items[7][0].narrow(0, 0, 2).tolist()).toEqual([7, 49]);
    expect(items[7][1]).toBe(1);
  });

  it("tells each worker which it is (getWorkerInfo; null in the main thread)", () => {
    process.env.TORCHLET_TEST_MODE = "info";
    const labels = [...loader(2, { shuffle: false })].map(([, y]) => y.tolist());
    // batch b is made by worker b % 2
    expect(labels).toEqual(labels.map((_, b) => new Array(labels[b].length).fill(100 * (b % 2) + 2)));
    expect(torch.data.getWorkerInfo()).toBeNull();
  });

  it("seeds each worker from the loader's generator: the same seed gives the same random draws", () => {
    const run = () => [...loader(2)].map(([x]) => x.tolist());
    const a = run();
    expect(run()).toEqual(a);
    const other = [...loader(2, { generator: new torch.Generator().manualSeed(12) })].map(([x]) => x.tolist());
    expect(other).not.toEqual(a);
  });

  it("keeps persistent workers across epochs, with the same batches as new workers", () => {
    const persistent = loader(2, { persistentWorkers: true });
    const fresh = loader(2);
    for (let epoch = 0; epoch < 2; epoch++) expect(deterministic(persistent)).toEqual(deterministic(fresh));
  });

  it("surfaces a worker's error with PyTorch's wording and the worker's stack; the next epoch works", async () => {
    process.env.TORCHLET_TEST_MODE = "throw";
    const l = new DataLoader(dataset, { batchSize: 4, numWorkers: 2, workerDataset: MODULE });
    const err = (() => {
      try {
        for (const _ of l);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(RangeError);
    // Item 5 is in batch 1, which goes to worker 1.
    expect(err!.message).toMatch(/^Caught RangeError in DataLoader worker process 1\.\nOriginal RangeError: item 5 is cursed/);
    expect(err!.message).toContain("dataset_module.ts");
    await expect(collect(l)).rejects.toThrow(/Caught RangeError in DataLoader worker process 1/);
    process.env.TORCHLET_TEST_MODE = "init-throws";
    expect(() => [...new DataLoader(dataset, { batchSize: 4, numWorkers: 1, workerDataset: MODULE })]).toThrow(/Caught TypeError in DataLoader worker process 0\.\nOriginal TypeError: worker 0 can't start/);
  });

  it("reports a worker that exits, and a timeout, instead of hanging", () => {
    process.env.TORCHLET_TEST_MODE = "exit";
    expect(() => [...new DataLoader(dataset, { batchSize: 4, numWorkers: 2, workerDataset: MODULE })]).toThrow(/DataLoader worker \(worker 1\) exited unexpectedly with exit code 3/);
    process.env.TORCHLET_TEST_MODE = "slow";
    expect(() => [...new DataLoader(dataset, { batchSize: 4, numWorkers: 1, workerDataset: MODULE, timeout: 0.05 })]).toThrow(/^DataLoader timed out after 0.05 seconds$/);
  });

  it("refuses a workerDataset module that builds a different dataset or none", () => {
    process.env.TORCHLET_TEST_LENGTH = "5";
    try {
      expect(() => [...new DataLoader(dataset, { batchSize: 4, numWorkers: 1, workerDataset: MODULE })]).toThrow(/has 5 items, the loader's has 37/);
    } finally {
      delete process.env.TORCHLET_TEST_LENGTH;
    }
    const noExport = new URL("./fixtures/worker/model_module.ts", import.meta.url);
    expect(() => [...new DataLoader(dataset, { batchSize: 4, numWorkers: 1, workerDataset: noExport })]).toThrow(/exports no 'dataset'/);
  });

  it("lets the process exit after a loop that broke off early, also with persistent workers", () => {
    const code = [
      'import * as torch from "./lib/index.js";',
      'import { dataset } from "./test/fixtures/worker/dataset_module.ts";',
      `for (const persistentWorkers of [false, true]) {`,
      `  const l = new torch.data.DataLoader(dataset, { batchSize: 2, numWorkers: 2, persistentWorkers, workerDataset: new URL(${JSON.stringify(MODULE.href)}) });`,
      "  let n = 0;",
      "  for (const _ of l) if (++n === 3) break;",
      "  for await (const _ of l) if (++n === 6) break;",
      "}",
      'console.log("done");',
    ].join("\n");
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", timeout: 60_000 });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe("");
    expect(child.stdout.trim()).toBe("done");
    expect(child.status).toBe(0);
  });
});
