// `npm run soak -- --steps N --every K --max-growth-mb M`: trains the lecture's MLP (784-512-512-10,
// batch 64, SGD, random data) for N steps with no dispose() or gc() in the loop, prints RSS and heap
// every K steps, and exits 1 if RSS after warm-up grows by more than M MB (a leak check for native
// memory tied to the GC). Not a benchmark: timings are printed for information only.
// ref: issue 7 (Memory); PyTorch's "Optimizing Model Parameters" tutorial for the loop.
import * as torch from "../lib/index.js";

const { nn, optim } = torch;

interface Options {
  steps: number;
  every: number;
  maxGrowthMb: number;
  warmup: number;
}

function usage(msg: string): never {
  console.error(`soak: ${msg}\nusage: npm run soak -- [--steps N] [--every K] [--max-growth-mb M] [--warmup W]`);
  process.exit(2);
}

function parse(argv: string[]): Options {
  const o: Partial<Options> = {};
  const names: Record<string, keyof Options> = { "--steps": "steps", "--every": "every", "--max-growth-mb": "maxGrowthMb", "--warmup": "warmup" };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const key = names[flag];
    if (key === undefined) usage(`unknown argument ${argv[i]}`);
    const raw = inline ?? argv[++i];
    const v = Number(raw);
    if (raw === undefined || !Number.isFinite(v) || v < 0 || (key !== "maxGrowthMb" && !Number.isInteger(v))) usage(`${flag} needs a non-negative ${key === "maxGrowthMb" ? "number" : "integer"}, got ${raw}`);
    o[key] = v;
  }
  const steps = o.steps ?? 20_000;
  if (steps < 1) usage("--steps must be at least 1");
  const every = Math.max(1, o.every ?? Math.max(1, Math.round(steps / 20)));
  // NOTE: warm-up lets V8's heap and the allocator reach their working size before the baseline.
  const warmup = Math.min(o.warmup ?? Math.min(1000, Math.floor(steps / 4)), steps);
  return { steps, every, maxGrowthMb: o.maxGrowthMb ?? 64, warmup };
}

const MB = 1024 * 1024;
const mb = (n: number) => Math.round((n / MB) * 10) / 10;

function main(): void {
  const opt = parse(process.argv.slice(2));
  torch.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Flatten(),
    new nn.Linear(784, 512), new nn.ReLU(),
    new nn.Linear(512, 512), new nn.ReLU(),
    new nn.Linear(512, 10),
  );
  const lossFn = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: 1e-3 });
  const info = torch.backendInfo();
  console.log(`soak: ${opt.steps} steps of 784-512-512-10 (batch 64, SGD) on ${info.name}/${info.isa} x${info.threads}; ` +
    `report every ${opt.every}, warm-up ${opt.warmup}, max growth ${opt.maxGrowthMb} MB`);
  console.log("step\trss_mb\theap_used_mb\texternal_mb\tarray_buffers_mb\tloss\tsteps_per_s");

  const samples: { step: number; rss: number }[] = [];
  let baseline: number | null = null;
  let maxAfter = 0;
  let t0 = performance.now();
  let lastStep = 0;
  for (let step = 1; step <= opt.steps; step++) {
    // Fresh random data every step: new tensors to collect, as a DataLoader would give.
    const X = torch.rand(64, 1, 28, 28);
    const y = torch.randint(0, 10, [64]);
    const pred = model(X);
    const loss = lossFn(pred, y);
    loss.backward();
    optimizer.step();
    optimizer.zeroGrad();

    if (step % opt.every === 0 || step === opt.steps || step === opt.warmup) {
      const m = process.memoryUsage();
      const now = performance.now();
      const rate = ((step - lastStep) * 1000) / (now - t0);
      [t0, lastStep] = [now, step];
      console.log(`${step}\t${mb(m.rss)}\t${mb(m.heapUsed)}\t${mb(m.external)}\t${mb(m.arrayBuffers)}\t${loss.item().toFixed(4)}\t${rate.toFixed(0)}`);
      samples.push({ step, rss: m.rss });
      if (step === opt.warmup) baseline = m.rss;
      if (baseline !== null && step > opt.warmup) maxAfter = Math.max(maxAfter, m.rss);
    }
  }

  const first = samples[0], middle = samples[Math.floor((samples.length - 1) / 2)], last = samples[samples.length - 1];
  const base = baseline ?? first.rss;
  const growth = Math.max(0, (maxAfter || last.rss) - base);
  console.log(`soak: RSS first ${mb(first.rss)} MB (step ${first.step}), middle ${mb(middle.rss)} MB (step ${middle.step}), ` +
    `last ${mb(last.rss)} MB (step ${last.step}); after warm-up (step ${opt.warmup}, ${mb(base)} MB) it grew at most ${mb(growth)} MB`);
  if (growth > opt.maxGrowthMb * MB) {
    console.error(`soak: FAILED: RSS grew ${mb(growth)} MB after warm-up, more than the ${opt.maxGrowthMb} MB allowed`);
    process.exit(1);
  }
  console.log("soak: ok");
}

main();
