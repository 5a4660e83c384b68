// What `npm run train` does: trains the lecture's MLP on FashionMNIST with the given options,
// shows progress and a summary line per epoch, and after every epoch writes the weights
// (safetensors, PyTorch's state_dict names), metrics.json and plot.svg to the output directory,
// which is created with the first of those files: a run stopped or failed before that leaves none.
// Argument parsing is in args.ts, the loops in loops.ts; examples/train.ts is the entry point.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as torch from "../../lib/index.js";
import { HELP, parseTrainArgs, type TrainOptions } from "./args.js";
import type { DataParallel } from "./data_parallel.js";
import { evaluate, trainEpoch } from "./loops.js";
import { NeuralNetwork } from "./model.js";
import { CNN_DESCRIPTION, ConvNet } from "./cnn_model.js";
import { trainingPlotSvg } from "./plot.js";
import { Progress } from "./progress.js";

const { nn, optim } = torch;
const { DataLoader, Subset } = torch.data;
const { datasets, transforms } = torch.vision;

export interface EpochMetrics {
  epoch: number;
  /** Mean training loss per sample over the epoch. */
  trainLoss: number;
  /** Test accuracy in [0, 1] and the tutorial's average test loss, after the epoch. */
  testAccuracy: number;
  testLoss: number;
  trainSeconds: number;
  testSeconds: number;
  /** CPU time of the whole process (all threads, including the pool's brief spinning) while training:
   *  less sensitive than trainSeconds to other work on a shared machine. */
  trainCpuSeconds: number;
  /** Training samples per second of wall time. */
  samplesPerSecond: number;
  /** Resident memory at the end of the epoch, and the process's peak so far (MB). */
  rssMb: number;
  peakRssMb: number;
}

export interface Metrics {
  model: string;
  options: Omit<TrainOptions, "help" | "out">;
  backend: ReturnType<typeof torch.backendInfo>;
  trainSamples: number;
  testSamples: number;
  epochs: EpochMetrics[];
}

export interface RunIO {
  /** Summary lines; default console.log. */
  log?: (line: string) => void;
  /** Where the progress display writes; default process.stdout. */
  progressOut?: { write(s: string): unknown; isTTY?: boolean };
}

export interface RunResult {
  model: NeuralNetwork | ConvNet;
  metrics: Metrics;
  outDir: string;
  weightsPath: string;
}

/** The CLI: parses argv, prints help or trains. Throws UsageError for a bad command line. */
export function main(argv: readonly string[], io: RunIO = {}): RunResult | null {
  const options = parseTrainArgs(argv);
  if (options.help) {
    (io.log ?? console.log)(HELP);
    return null;
  }
  return train(options, io);
}

/**
 * Trains with `options`. With `parallel` (one rank of a --nproc run), the model is wrapped in
 * DistributedDataParallel and each rank takes an equal, interleaved share of every batch through a
 * DistributedSampler, so the averaged gradient is the whole batch's: the same model as one process
 * (without --shuffle). Rank 0 alone prints, evaluates and writes the outputs.
 */
export function train(options: TrainOptions, io: RunIO = {}, parallel?: DataParallel): RunResult {
  const lead = parallel === undefined || parallel.rank === 0;
  const world = parallel?.worldSize ?? 1;
  const log = lead ? (io.log ?? ((line: string) => console.log(line))) : () => {};
  if (options.backend !== undefined) torch.setBackend(options.backend);
  if (options.threads !== undefined) torch.setNumThreads(options.threads);
  const backend = torch.backendInfo();
  if (options.threads !== undefined && backend.threads !== options.threads) {
    log(`note: --threads ${options.threads} has no effect: the ${backend.name} backend runs on ${backend.threads} thread(s)`);
  }

  // Seed first: the model's init and the shuffling then match PyTorch's for the same seed.
  torch.manualSeed(options.seed);

  const transform = new transforms.ToTensor();
  let trainingData: torch.data.DatasetLike = new datasets.FashionMNIST({ root: options.data, train: true, download: true, transform });
  let testData: torch.data.DatasetLike = new datasets.FashionMNIST({ root: options.data, train: false, download: true, transform });
  if (options.limitBatches !== undefined) {
    const n = options.limitBatches * options.batchSize;
    trainingData = firstN(trainingData, n);
    testData = firstN(testData, n);
  }

  const model = options.model === "cnn" ? new ConvNet() : new NeuralNetwork();
  // NOTE: DDP's constructor broadcasts rank 0's parameters, so every replica starts equal.
  const net = parallel === undefined ? model : new nn.parallel.DistributedDataParallel(model);
  const sampler = parallel === undefined ? undefined : new torch.data.DistributedSampler(trainingData, { shuffle: options.shuffle, seed: options.seed });
  const trainDataloader = sampler === undefined
    ? new DataLoader(trainingData, { batchSize: options.batchSize, shuffle: options.shuffle })
    : new DataLoader(trainingData, { batchSize: options.batchSize / world, sampler });
  const testDataloader = new DataLoader(testData, { batchSize: options.batchSize });
  const lossFn = new nn.CrossEntropyLoss();
  const optimizer = makeOptimizer(options, model);

  // NOTE: the directory is made when the first epoch's files are written, not now, so that a run
  // killed (Ctrl-C) or failing before then leaves no empty runs/<time>/ behind.
  const output = new OutputDir(options.out);
  const { help: _help, out: _out, ...shown } = options;
  const metrics: Metrics = {
    model: options.model === "cnn" ? CNN_DESCRIPTION : "NeuralNetwork (Flatten, Linear 784-512, ReLU, Linear 512-512, ReLU, Linear 512-10)",
    options: shown,
    backend,
    trainSamples: trainingData.length,
    testSamples: testData.length,
    epochs: [],
  };

  log(
    `Training on FashionMNIST: ${trainingData.length} train / ${testData.length} test images, ` +
      `${options.optimizer} lr ${options.lr}, batch ${options.batchSize}, ${options.epochs} epoch${options.epochs === 1 ? "" : "s"}, seed ${options.seed}` +
      `${options.shuffle ? ", shuffled" : ""}; backend ${backend.name} (${backend.isa}, ${backend.threads} thread${backend.threads === 1 ? "" : "s"})` +
      (process.execArgv.includes("--single-threaded-gc") ? "; node --single-threaded-gc" : "") +
      (world > 1 ? `; data-parallel in ${world} processes (gloo), ${options.batchSize / world} samples each per step` : ""),
  );
  const width = String(options.epochs).length;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const label = `epoch ${String(epoch).padStart(width)}/${options.epochs}`;
    const progress = new Progress({ label, total: trainingData.length, out: lead ? io.progressOut : { write: () => true } });
    sampler?.setEpoch(epoch - 1);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // NOTE: ranks step together, so rank 0's count times the world size is the samples done overall.
    let trainLoss = trainEpoch(trainDataloader, net, lossFn, optimizer, (b) => progress.update(b.done * world, b.meanLoss, b.loss));
    if (parallel !== undefined) trainLoss = meanOverRanks(trainLoss);
    const t1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    progress.finish();
    if (!lead) continue;
    const { accuracy, loss } = evaluate(testDataloader, model, lossFn);
    const t2 = performance.now();

    const m: EpochMetrics = {
      epoch,
      trainLoss,
      testAccuracy: accuracy,
      testLoss: loss,
      trainSeconds: (t1 - t0) / 1000,
      testSeconds: (t2 - t1) / 1000,
      trainCpuSeconds: (cpu.user + cpu.system) / 1e6,
      samplesPerSecond: trainingData.length / ((t1 - t0) / 1000),
      rssMb: process.memoryUsage().rss / 2 ** 20,
      // NOTE: maxRSS is the high-water mark of the whole process (KiB): flat across epochs = no growth.
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    metrics.epochs.push(m);
    log(
      `${label}  mean train loss ${trainLoss.toFixed(4)}  test accuracy ${(100 * accuracy).toFixed(1)}%  ` +
        `test loss ${loss.toFixed(4)}  ${m.trainSeconds.toFixed(1)}s train (${Math.round(m.samplesPerSecond)} samples/s) + ${m.testSeconds.toFixed(1)}s test  ` +
        `RSS ${m.rssMb.toFixed(0)} MB (peak ${m.peakRssMb.toFixed(0)})`,
    );
    // NOTE: written after every epoch, so an interrupted run keeps what it finished.
    writeOutputs(output.path(), model, metrics);
  }
  // NOTE: the other ranks hold the same model but write nothing: no output directory is theirs.
  if (!lead) return { model, metrics, outDir: "", weightsPath: "" };
  const outDir = output.path();
  const weightsPath = join(outDir, "model.safetensors");
  log(`Saved ${weightsPath}, ${join(outDir, "metrics.json")} and ${join(outDir, "plot.svg")}`);
  return { model, metrics, outDir, weightsPath };
}

/** The mean of one number over the ranks of the default group. */
function meanOverRanks(x: number): number {
  const t = torch.tensor([x]);
  torch.distributed.allReduce(t, torch.distributed.ReduceOp.AVG);
  return t.item();
}

function makeOptimizer(options: TrainOptions, model: torch.nn.Module): torch.optim.Optimizer {
  const lr = options.lr;
  switch (options.optimizer) {
    case "sgd":
      return new optim.SGD(model.parameters(), { lr });
    case "adam":
      return new optim.Adam(model.parameters(), { lr });
    case "adamw":
      return new optim.AdamW(model.parameters(), { lr });
  }
}

function writeOutputs(outDir: string, model: torch.nn.Module, metrics: Metrics): void {
  // "format": "pt" is what safetensors.torch.save_file writes; loaders use it to pick the framework.
  torch.save(model.stateDict(), join(outDir, "model.safetensors"), { metadata: { format: "pt" } });
  writeFileSync(join(outDir, "metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
  const o = metrics.options;
  const title = `FashionMNIST ${o.model === "cnn" ? "CNN" : "MLP"}: ${o.optimizer} lr ${o.lr}, batch ${o.batchSize}, seed ${o.seed}`;
  const points = metrics.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, testAccuracy: e.testAccuracy }));
  writeFileSync(join(outDir, "plot.svg"), trainingPlotSvg(points, title));
}

/** The first n items of a dataset (all of it when it is smaller). */
function firstN(ds: torch.data.DatasetLike, n: number): torch.data.DatasetLike {
  return n >= ds.length ? ds : new Subset(ds, Array.from({ length: n }, (_, i) => i));
}

/**
 * The output directory, created on first use: --out as given, or runs/<local start time>, e.g.
 * runs/2024-05-01T14-03-59, with a suffix -2, -3... when that name is taken (by then).
 */
class OutputDir {
  private created: string | undefined;
  private readonly started = new Date();

  constructor(private readonly out: string | undefined) {}

  path(): string {
    if (this.created !== undefined) return this.created;
    if (this.out !== undefined) {
      mkdirSync(this.out, { recursive: true });
      return (this.created = this.out);
    }
    const d = this.started;
    const p = (n: number) => String(n).padStart(2, "0");
    const base = join("runs", `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}`);
    mkdirSync("runs", { recursive: true });
    for (let i = 1; ; i++) {
      const dir = i === 1 ? base : `${base}-${i}`;
      try {
        mkdirSync(dir); // NOTE: not recursive, so it fails if another run made this name first
        return (this.created = dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    }
  }
}
