// One epoch of the lecture's program (train loop over 60,000 FashionMNIST images + test loop over
// 10,000, batch 64, SGD, loss.item() every 100 batches, accuracy in the test loop) in three forms:
// as written (the DataLoader picks its batch fast path), forced per-sample (get(i) + ToTensor +
// collate, as PyTorch's DataLoader does), and preloaded (one tensor, sliced). Native only; the JS
// backend is estimated from a limited number of batches. ref: examples/fashion-mnist.ts.
import { fileURLToPath } from "node:url";
import * as torch from "../../lib/index.js";
import { collectGarbage } from "./harness.js";
import { type TorchletImpl, unavailable, withImpl } from "./impls.js";
import { NeuralNetwork, trainStep } from "./mlp.js";

export type EpochVariant = "as-written" | "per-sample" | "preloaded";
export const EPOCH_VARIANTS: readonly EpochVariant[] = ["as-written", "per-sample", "preloaded"];

export interface EpochStats {
  /** Seconds per epoch (train + test), one entry per timed epoch. */
  epochsS: number[];
  bestS: number;
  trainS: number;
  testS: number;
  /** Set when batches were limited and the time scaled up to the full epoch. */
  extrapolatedFrom: string | null;
  /** Largest resident set size seen at the end of an epoch. */
  rssMB: number;
}
export type EpochResult = EpochStats | { na: string };

const BATCH = 64;

/** Batches of one split: a DataLoader (as written / per-sample) or slices of preloaded tensors. */
type Batches = { length: number; iterate(): Iterable<[torch.Tensor, torch.Tensor]> };

interface Splits {
  train: torch.vision.datasets.FashionMNIST;
  test: torch.vision.datasets.FashionMNIST;
  loadS: number;
}

let splits: Splits | null | { na: string } = null;

export function loadSplits(): Splits | { na: string } {
  if (splits !== null) return splits;
  const root = fileURLToPath(new URL("../../data", import.meta.url));
  const { ToTensor } = torch.vision.transforms;
  const t0 = performance.now();
  try {
    const train = new torch.vision.datasets.FashionMNIST({ root, train: true, download: false, transform: new ToTensor() });
    const test = new torch.vision.datasets.FashionMNIST({ root, train: false, download: false, transform: new ToTensor() });
    splits = { train, test, loadS: (performance.now() - t0) / 1000 };
  } catch (e) {
    splits = { na: `FashionMNIST not available: ${(e as Error).message.split("\n")[0]}` };
  }
  return splits;
}

function preloaded(ds: torch.vision.datasets.FashionMNIST): Batches {
  // As a PyTorch user would: data.float().div(255).unsqueeze(1) once, then slices per batch.
  const u8 = ds.data.data;
  const n = ds.length;
  const X = torch.Tensor.fromStorage(Float32Array.from(u8, (v) => v / 255), [n, 1, 28, 28]);
  const y = ds.targets;
  return {
    length: Math.ceil(n / BATCH),
    *iterate() {
      for (let i = 0; i < n; i += BATCH) {
        const b = Math.min(BATCH, n - i);
        yield [X.narrow(0, i, b), y.narrow(0, i, b)];
      }
    },
  };
}

function loader(ds: torch.vision.datasets.FashionMNIST, perSample: boolean): Batches {
  // NOTE: a collateFn other than defaultCollate itself turns off the DataLoader's batch() fast path.
  const dl = new torch.data.DataLoader(ds, perSample ? { batchSize: BATCH, collateFn: (s) => torch.data.defaultCollate(s) } : { batchSize: BATCH });
  return { length: dl.length, iterate: () => dl as Iterable<[torch.Tensor, torch.Tensor]> };
}

function batchesFor(v: EpochVariant, s: Splits): { train: Batches; test: Batches } {
  if (v === "preloaded") return { train: preloaded(s.train), test: preloaded(s.test) };
  return { train: loader(s.train, v === "per-sample"), test: loader(s.test, v === "per-sample") };
}

/** The lecture's train loop (without printing), over at most `limit` batches. Returns batches run. */
function trainLoop(data: Batches, model: NeuralNetwork, lossFn: torch.nn.CrossEntropyLoss, opt: torch.optim.Optimizer, limit: number): number {
  model.train();
  let batch = 0;
  for (const [X, y] of data.iterate()) {
    const loss = trainStep(model, lossFn, opt, X, y);
    if (batch % 100 === 0) void [loss.item(), batch * BATCH + X.size(0)];
    if (++batch >= limit) break;
  }
  return batch;
}

/** The lecture's test loop (without printing). Returns batches run. */
function testLoop(data: Batches, model: NeuralNetwork, lossFn: torch.nn.CrossEntropyLoss, limit: number): number {
  model.eval();
  let batch = 0;
  let testLoss = 0;
  let correct = 0;
  torch.noGrad(() => {
    for (const [X, y] of data.iterate()) {
      const pred = model(X);
      testLoss += lossFn(pred, y).item();
      correct += pred.argmax(1).eq(y).type(torch.float).sum().item();
      if (++batch >= limit) break;
    }
  });
  void [testLoss, correct];
  return batch;
}

export interface EpochPlan {
  epochs: number;
  /** Max train / test batches per epoch (Infinity = all); fewer means the time is extrapolated. */
  trainLimit: number;
  testLimit: number;
  warmupBatches: number;
}

export function runEpoch(impl: TorchletImpl, v: EpochVariant, plan: EpochPlan): EpochResult {
  const why = unavailable(impl);
  if (why) return { na: why };
  const s = loadSplits();
  if ("na" in s) return s;
  return withImpl(impl, () => {
    torch.manualSeed(0);
    const { train, test } = batchesFor(v, s);
    const model = new NeuralNetwork();
    const lossFn = new torch.nn.CrossEntropyLoss();
    const opt = new torch.optim.SGD(model.parameters(), { lr: 1e-3 });
    collectGarbage();
    // Warm-up: JIT, thread pool, the dataset's one-time transform cache (kept across epochs, so it
    // belongs to the first epoch of a run, not to each epoch).
    trainLoop(train, model, lossFn, opt, plan.warmupBatches);
    testLoop(test, model, lossFn, Math.max(1, plan.warmupBatches >> 2));
    const epochsS: number[] = [];
    let trainS = Infinity;
    let testS = Infinity;
    let peak = 0;
    let scaled: string | null = null;
    for (let e = 0; e < plan.epochs; e++) {
      const t0 = performance.now();
      const nTrain = trainLoop(train, model, lossFn, opt, plan.trainLimit);
      const t1 = performance.now();
      const nTest = testLoop(test, model, lossFn, plan.testLimit);
      const t2 = performance.now();
      // Linear extrapolation to the whole epoch when batches were limited.
      const tr = ((t1 - t0) / 1000) * (train.length / nTrain);
      const te = ((t2 - t1) / 1000) * (test.length / nTest);
      if (nTrain < train.length || nTest < test.length) scaled = `${nTrain} train + ${nTest} test batches`;
      epochsS.push(tr + te);
      trainS = Math.min(trainS, tr);
      testS = Math.min(testS, te);
      peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20);
    }
    return { epochsS, bestS: Math.min(...epochsS), trainS, testS, extrapolatedFrom: scaled, rssMB: peak };
  });
}
