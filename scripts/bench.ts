// `npm run bench`: torchlet's benchmark suite in one run: matmul GFLOP/s, elementwise GB/s, MLP
// training-step time and epoch time, for torchlet native (1 and 2 threads), torchlet's JS backend
// and tfjs (cpu, wasm). Prints tables, writes bench-results/bench-<timestamp>.json. It reports and
// never fails on a number. `--torch` (npm run bench:torch) hands over to scripts/bench_torch.py.
// Flags: --quick, --only matmul,elementwise,train,epoch, --peak-gflops N.   Method: see bench/harness.ts.
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { type EpochResult, EPOCH_VARIANTS, type EpochPlan, loadSplits, runEpoch } from "./bench/epoch.js";
import { EW_CASES, EW_NUMEL, gbPerS, releaseOperands, runPlainCopy, runTorchletEw } from "./bench/elementwise.js";
import { FULL, QUICK, type Result, collectGarbage, isNa } from "./bench/harness.js";
import { TORCHLET_IMPLS } from "./bench/impls.js";
import { MATMUL_CASES, gflops, runTorchletMatmul } from "./bench/matmul.js";
import { OPTIMIZERS } from "./bench/mlp.js";
import { measurePeak } from "./bench/peak.js";
import { Table, cell, ms, ratio, writeJson } from "./bench/report.js";
import { TF_BACKENDS, type Tfjs, loadTfjs, runTfMatmul, runTfTrainStep } from "./bench/tfjs.js";
import { runTorchletTrainStep } from "./bench/train_step.js";

const FAMILIES = ["matmul", "elementwise", "train", "epoch"] as const;
type Family = (typeof FAMILIES)[number];
const ALIASES: Record<string, Family> = { ew: "elementwise", elem: "elementwise", step: "train", mm: "matmul" };

function usageError(msg: string): never {
  console.error(`bench: ${msg}\n(see --help)`);
  process.exit(2);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      "peak-gflops": { type: "string" },
      torch: { type: "boolean", default: false },
      "run-node": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  }));
} catch (e) {
  usageError((e as Error).message);
}

if (args.help) {
  console.log("usage: npm run bench -- [--quick] [--only matmul,elementwise,train,epoch] [--peak-gflops N]\n" +
    "       npm run bench:torch -- [--quick] [--only matmul,train,epoch] [--run-node]\n" +
    "         (PyTorch side; needs /usr/bin/python3 with torch; --run-node reruns the torchlet bench first)");
  process.exit(0);
}

if (args.torch) {
  // Hand over to the Python side, or explain why it cannot run (exit 0: a missing PyTorch is not an error).
  const py = "/usr/bin/python3";
  const probe = spawnSync(py, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    const why = probe.error ? `${py} not found` : `${py} has no torch (${probe.stderr.trim().split("\n").pop()})`;
    console.log(`bench:torch: skipped: ${why}. Install Debian's python3-torch to compare against PyTorch.`);
    process.exit(0);
  }
  const script = fileURLToPath(new URL("./bench_torch.py", import.meta.url));
  const rest = process.argv.slice(2).filter((a) => a !== "--torch");
  const r = spawnSync(py, [script, ...rest], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

function parseOnly(s: string | undefined): Set<Family> {
  if (s === undefined) return new Set(FAMILIES);
  const out = new Set<Family>();
  for (const raw of s.split(",").map((x) => x.trim()).filter(Boolean)) {
    const f = (ALIASES[raw] ?? raw) as Family;
    if (!FAMILIES.includes(f)) usageError(`--only: unknown family "${raw}" (expected some of ${FAMILIES.join(", ")})`);
    out.add(f);
  }
  return out;
}

const only = parseOnly(args.only);
const quick = args.quick;
const budget = quick ? QUICK : FULL;
let peakOverride: number | undefined;
if (args["peak-gflops"] !== undefined) {
  peakOverride = Number(args["peak-gflops"]);
  if (!(peakOverride > 0)) usageError(`--peak-gflops must be a positive number, got "${args["peak-gflops"]}"`);
}

const progress = (s: string) => process.stderr.write(`  .. ${s}\n`);
const startedAt = new Date();
const load0 = loadavg();
const info = torch.backendInfo();
const peak = measurePeak(peakOverride);

console.log(`# torchlet bench ${startedAt.toISOString()}${quick ? " (--quick)" : ""}`);
console.log(`cpu: ${cpus()[0]?.model ?? "?"} x${cpus().length}; node ${process.version}; backend at start: ${info.name} ${info.isa ?? ""} ${info.threads} threads`);
console.log(`load average before: ${load0.map((x) => x.toFixed(2)).join(" ")}${load0[0] > 0.5 ? "  (machine NOT idle: numbers are lower bounds)" : ""}`);
console.log(`peak fp32 per core: ${peak.perCore.toFixed(1)} GFLOP/s  [${peak.note}]`);
console.log(`timing: hand-written harness: warm-up ${budget.warmupMs} ms, samples of >= 2 ms until ${budget.minSamples} samples and ${budget.budgetMs} ms; median (and min) per call`);

let tfjs: Tfjs | { na: string } = { na: "not needed for the selected families" };
if (only.has("matmul") || only.has("train")) {
  progress("loading tfjs");
  tfjs = await loadTfjs();
  if ("na" in tfjs) console.log(`tfjs: n/a: ${tfjs.na}`);
  else {
    const f = Object.entries(tfjs.failed).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
    console.log(`tfjs ${tfjs.version}: wasm SIMD ${tfjs.wasmSimd}, wasm threads ${tfjs.wasmThreads}${f.length ? `; failed: ${f.join("; ")}` : ""}`);
  }
}

async function tfResult(run: (t: Tfjs) => Promise<Result>): Promise<Result> {
  if ("na" in tfjs) return tfjs;
  collectGarbage();
  return run(tfjs);
}

const json: Record<string, unknown> = {
  tool: "torchlet-bench",
  version: 1,
  meta: {
    timestamp: startedAt.toISOString(),
    quick,
    only: [...only],
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    backendAtStart: info,
    harness: { kind: "hand-written (scripts/bench/harness.ts)", ...budget },
    peak,
    tfjs: "na" in tfjs ? tfjs : { version: tfjs.version, failed: tfjs.failed, wasmSimd: tfjs.wasmSimd, wasmThreads: tfjs.wasmThreads },
    loadavgBefore: load0,
  },
};

// ---------------------------------------------------------------------------------------------
if (only.has("matmul")) {
  const rows = [];
  const t = new Table(
    "matmul GFLOP/s (median; torch.mm incl. output allocation; tfjs: matMul with transpose flags)",
    ["case", "nat 1T", "nat 2T", "JS", "tf-cpu", "tf-wasm", "%pk 1T", "%pk 2T", "1T/JS", "1T/wasm", "2T/wasm"],
    [0, 1, 1, 2, 2, 1, 0, 0, 0, 1, 1],
  );
  for (const c of MATMUL_CASES) {
    const results: Record<string, Result> = {};
    for (const impl of TORCHLET_IMPLS) {
      progress(`matmul ${c.label} ${impl}`);
      collectGarbage();
      results[impl] = runTorchletMatmul(impl, c, budget, quick);
    }
    for (const b of TF_BACKENDS) {
      progress(`matmul ${c.label} tfjs-${b}`);
      results[`tfjs-${b}`] = await tfResult((tf) => runTfMatmul(tf, b, c, budget, quick));
    }
    const g = (k: string) => gflops(c, results[k]);
    const gc = (k: string): ReturnType<typeof cell> => cell(results[k], () => g(k));
    t.add([
      c.label, gc("native-1t"), gc("native-2t"), gc("js"), gc("tfjs-cpu"), gc("tfjs-wasm"),
      (100 * g("native-1t")) / peak.perCore, (100 * g("native-2t")) / (2 * peak.perCore),
      ratio(g("native-1t"), g("js")), ratio(g("native-1t"), g("tfjs-wasm")), ratio(g("native-2t"), g("tfjs-wasm")),
    ]);
    rows.push({
      ...c,
      flops: 2 * c.m * c.k * c.n,
      results: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, isNa(r) ? r : { ...r, gflops: g(k) }])),
    });
  }
  console.log(t.toString());
  console.log(`  %pk 2T is of two cores' peak. Ratios are GFLOP/s ratios (higher = torchlet faster).`);
  json.matmul = rows;
}

// ---------------------------------------------------------------------------------------------
if (only.has("elementwise")) {
  const t = new Table(
    `elementwise / reductions on ${EW_NUMEL / 2 ** 20}M floats: GB/s (bytes read + written per call, median)`,
    ["op", "nat 1T", "nat 2T", "JS", "1T/copy", "2T/copy", "JS/copy", "nat1T/JS"],
    [0, 1, 1, 2, 2, 2, 2, 0],
  );
  progress("elementwise Float32Array.set");
  const plain = runPlainCopy(budget);
  const plainGB = gbPerS(2 * 4 * EW_NUMEL, plain);
  t.add(["copy (Float32Array.set, JS)", undefined, undefined, cell(plain, () => plainGB)]);
  const rows = [];
  const copyGB: Record<string, number> = {};
  for (const c of EW_CASES) {
    const results: Record<string, Result> = {};
    for (const impl of TORCHLET_IMPLS) {
      progress(`elementwise ${c.id} ${impl}`);
      results[impl] = runTorchletEw(impl, c, budget);
    }
    const gb = (k: string) => gbPerS(c.bytes, results[k]);
    if (c.id === "copy_") for (const k of TORCHLET_IMPLS) copyGB[k] = gb(k);
    const gc = (k: string) => cell(results[k], () => gb(k));
    t.add([
      c.label, gc("native-1t"), gc("native-2t"), gc("js"),
      ratio(gb("native-1t"), copyGB["native-1t"]), ratio(gb("native-2t"), copyGB["native-2t"]), ratio(gb("js"), plainGB),
      ratio(gb("native-1t"), gb("js")),
    ]);
    rows.push({ id: c.id, label: c.label, bytes: c.bytes, results: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, isNa(r) ? r : { ...r, gbPerS: gb(k) }])) });
  }
  releaseOperands();
  console.log(t.toString());
  console.log("  x/copy: GB/s relative to copy_ at the same thread count (JS: to Float32Array.set). ~1.0 = at copy bandwidth.");
  json.elementwise = { numel: EW_NUMEL, plainCopy: isNa(plain) ? plain : { ...plain, gbPerS: plainGB }, rows };
}

// ---------------------------------------------------------------------------------------------
if (only.has("train")) {
  const t = new Table(
    "training step, MLP 784-512-512-10, batch 64 (forward + CrossEntropyLoss + backward + step + zeroGrad): ms, median",
    ["optimizer", "nat 1T", "nat 2T", "JS", "tf-cpu", "tf-wasm", "JS/1T", "JS/2T", "wasm/1T", "wasm/2T"],
    [0, 2, 2, 1, 1, 1, 0, 0, 1, 1],
  );
  const rows = [];
  for (const opt of OPTIMIZERS) {
    const results: Record<string, Result> = {};
    for (const impl of TORCHLET_IMPLS) {
      progress(`train step ${opt} ${impl}`);
      collectGarbage();
      results[impl] = runTorchletTrainStep(impl, opt, budget);
    }
    for (const b of TF_BACKENDS) {
      progress(`train step ${opt} tfjs-${b}`);
      results[`tfjs-${b}`] = await tfResult((tf) => runTfTrainStep(tf, b, opt, budget));
    }
    const m = (k: string) => ms(results[k]);
    const mc = (k: string) => cell(results[k], () => m(k));
    t.add([
      opt, mc("native-1t"), mc("native-2t"), mc("js"), mc("tfjs-cpu"), mc("tfjs-wasm"),
      ratio(m("js"), m("native-1t")), ratio(m("js"), m("native-2t")), ratio(m("tfjs-wasm"), m("native-1t")), ratio(m("tfjs-wasm"), m("native-2t")),
    ]);
    rows.push({ optimizer: opt, results });
  }
  console.log(t.toString());
  console.log("  Ratios are time ratios (other / torchlet native: higher = torchlet faster).");
  json.train = rows;
}

// ---------------------------------------------------------------------------------------------
if (only.has("epoch")) {
  const splits = loadSplits();
  const plan: EpochPlan = quick
    ? { epochs: 1, trainLimit: 100, testLimit: 30, warmupBatches: 10 }
    : { epochs: 2, trainLimit: Infinity, testLimit: Infinity, warmupBatches: 30 };
  const t = new Table(
    `one epoch of the lecture's program (60,000 train + 10,000 test images, batch 64, SGD): seconds${quick ? " (--quick: extrapolated from 100+30 batches)" : " (best of 2 epochs)"}`,
    ["variant", "nat 1T", "nat 2T", "train 2T", "test 2T", "RSS MB"],
    [0, 2, 2, 2, 2, 0],
  );
  const rows = [];
  const ecell = (r: EpochResult, v: (s: Exclude<EpochResult, { na: string }>) => number) => ("na" in r ? r : v(r));
  for (const v of EPOCH_VARIANTS) {
    const results: Record<string, EpochResult> = {};
    for (const impl of ["native-1t", "native-2t"] as const) {
      progress(`epoch ${v} ${impl}`);
      results[impl] = runEpoch(impl, v, plan);
    }
    const r2 = results["native-2t"];
    t.add([v, ecell(results["native-1t"], (s) => s.bestS), ecell(r2, (s) => s.bestS), ecell(r2, (s) => s.trainS), ecell(r2, (s) => s.testS), ecell(r2, (s) => s.rssMB)]);
    rows.push({ variant: v, results });
  }
  // JS: far too slow for a whole epoch; time a limited number of batches and scale up.
  const jsPlan: EpochPlan = quick
    ? { epochs: 1, trainLimit: 10, testLimit: 5, warmupBatches: 2 }
    : { epochs: 1, trainLimit: 200, testLimit: 50, warmupBatches: 3 };
  progress(`epoch as-written js (${jsPlan.trainLimit} + ${jsPlan.testLimit} batches, extrapolated)`);
  const js = runEpoch("js", "as-written", jsPlan);
  console.log(t.toString());
  const jsS = "na" in js ? NaN : js.bestS;
  const nat = rows[0].results["native-2t"];
  console.log(`  as-written on the JS backend: ${"na" in js ? `n/a: ${js.na}` : `~${jsS.toFixed(0)} s per epoch (estimate)`}` +
    `${"na" in nat || "na" in js ? "" : `, ${(jsS / nat.bestS).toFixed(0)}x native 2T`}`);
  if (!("na" in splits)) console.log(`  dataset load (parse the idx files, both splits): ${splits.loadS.toFixed(2)} s, not in the epoch times.`);
  console.log("  as-written: the lecture's DataLoader(ToTensor dataset, batchSize 64), which uses the dataset's batch fast path;");
  console.log("  per-sample: same with a collateFn wrapper, forcing get(i) + ToTensor per image + stack (PyTorch's path);");
  console.log(`  preloaded: one [60000,1,28,28] tensor sliced per batch. JS estimate from ${jsPlan.trainLimit} train + ${jsPlan.testLimit} test batches.`);
  json.epoch = { datasetLoadS: "na" in splits ? null : splits.loadS, plan, rows, jsEstimate: { plan: jsPlan, result: js } };
}

const load1 = loadavg();
(json.meta as Record<string, unknown>).loadavgAfter = load1;
(json.meta as Record<string, unknown>).durationS = (Date.now() - startedAt.getTime()) / 1000;
console.log(`\nload average after: ${load1.map((x) => x.toFixed(2)).join(" ")}; took ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);
const file = writeJson(fileURLToPath(new URL("../bench-results", import.meta.url)), json, startedAt);
console.log(`results: ${file}`);
