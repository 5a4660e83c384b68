// `npm run bench`: torchlet's benchmark suite in one run: matmul GFLOP/s, elementwise GB/s, MLP
// training-step time and epoch time, for torchlet native (1 and 2 threads), torchlet's JS backend
// and tfjs (cpu, wasm). Prints tables, writes bench-results/bench-<timestamp>.json. It reports and
// never fails on a number. `--torch` (npm run bench:torch) hands over to scripts/bench_torch.py.
// Method: scripts/bench/harness.ts. Tables: scripts/bench/render.ts. Flags: --help.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { type EpochPlan, type EpochResult, EPOCH_VARIANTS, loadSplits, runEpoch } from "./bench/epoch.js";
import { EW_CASES, EW_NUMEL, gbPerS, releaseOperands, runPlainCopy, runTorchletEw } from "./bench/elementwise.js";
import { FULL, QUICK, type Result, collectGarbage, isNa } from "./bench/harness.js";
import { TORCHLET_IMPLS } from "./bench/impls.js";
import { MATMUL_CASES, OUT_SUFFIX, gflops, runTorchletMatmul } from "./bench/matmul.js";
import { MLP_CASES } from "./bench/mlp.js";
import { measurePeak } from "./bench/peak.js";
import {
  type EpochSection, type EwSection, type MatmulRow, type Meta, type Stat, type TrainRow,
  renderElementwise, renderEpoch, renderFooter, renderHeader, renderMatmul, renderTrain,
} from "./bench/render.js";
import { writeJson } from "./bench/report.js";
import { type CaseRatio, renderSummary } from "./bench/summary.js";
import { TF_BACKENDS, type Tfjs, loadTfjs, runTfMatmul, runTfTrainStep } from "./bench/tfjs.js";
import { runTorchletMlp } from "./bench/train_step.js";
import { SEQUENCE_CASES, type SequenceRow, renderSequence, runTorchletSequence } from "./bench/sequence.js";
import { renderConv, runConvFamily } from "./bench/conv.js";
import { renderResnet, runResnetFamily } from "./bench/resnet.js";
import { type GcRow, renderGcShare } from "./bench/gc_share.js";

const FAMILIES = ["matmul", "elementwise", "train", "epoch", "sequence", "conv", "resnet"] as const;
type Family = (typeof FAMILIES)[number];
const ALIASES: Record<string, Family> = { ew: "elementwise", elem: "elementwise", step: "train", mm: "matmul" };

const HELP = `usage: npm run bench -- [--quick] [--only matmul,elementwise,train,epoch,sequence,conv,resnet] [--peak-gflops N] [--stat median|min] [--from FILE]
  --quick        fewer iterations; epochs extrapolated from 100 + 30 batches (for trying things out)
  --only         run some families only
  --peak-gflops  fp32 peak per core for the %peak columns (default: measured by an FMA probe)
  --stat         per-call time the tables show (default median; both are in the JSON)
  --from FILE    reprint the tables of an earlier bench-results/bench-*.json without measuring
npm run bench:torch -- [--quick] [--only matmul,elementwise,train,epoch,sequence,conv,resnet] [--reuse-node] [--rounds N] [--stat median|min] [--from FILE]
  PyTorch side (needs /usr/bin/python3 with torch): torchlet is measured in the same run, between
  PyTorch's 1- and 2-thread workers (--reuse-node: take the newest bench-results file instead);
  --rounds N also times both sides' training step in N alternating rounds (per-round ratios);
  --from reprints an earlier bench-torch-*.json. Ends with the geomean and worst ratio per family.`;

/** The newest bench-results/bench-torch-*.json written at or after `since` (ms), if any. */
function newestTorchResult(since: number): string | undefined {
  const dir = fileURLToPath(new URL("../bench-results", import.meta.url));
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => f.startsWith("bench-torch-") && f.endsWith(".json"))
    .map((f) => ({ f: join(dir, f), t: statSync(join(dir, f)).mtimeMs }))
    .filter((x) => x.t >= since - 1000)
    .sort((a, b) => b.t - a.t);
  return files[0]?.f;
}

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
      stat: { type: "string", default: "median" },
      from: { type: "string" },
      torch: { type: "boolean", default: false },
      "run-node": { type: "boolean", default: false }, // bench_torch.py's
      "reuse-node": { type: "boolean", default: false }, // bench_torch.py's
      rounds: { type: "string" }, // bench_torch.py's
      help: { type: "boolean", default: false },
    },
    strict: true,
  }));
} catch (e) {
  usageError((e as Error).message);
}

if (args.help) {
  console.log(HELP);
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
  const spawnedAt = Date.now();
  const r = spawnSync(py, [script, ...rest], { stdio: "inherit" });
  // The summary (geomean and worst ratio) of the file the Python side just wrote, or reprinted.
  const file = args.from ?? newestTorchResult(spawnedAt);
  if (r.status === 0 && file !== undefined) {
    const cases = (JSON.parse(readFileSync(file, "utf8")) as { ratios?: { cases?: CaseRatio[] } }).ratios?.cases;
    if (cases?.length) console.log(renderSummary(cases));
  }
  process.exit(r.status ?? 1);
}

if (args.stat !== "median" && args.stat !== "min") usageError(`--stat must be median or min, got "${args.stat}"`);
const stat = args.stat as Stat;

if (args.from !== undefined) {
  // Reprint an earlier run.
  let j: Record<string, any>;
  try {
    j = JSON.parse(readFileSync(args.from, "utf8"));
  } catch (e) {
    usageError(`--from: cannot read ${args.from}: ${(e as Error).message}`);
  }
  if (j.tool !== "torchlet-bench") usageError(`--from: ${args.from} is not a bench-results/bench-*.json of this script`);
  console.log(renderHeader(j.meta, stat));
  if (j.matmul) console.log(renderMatmul(j.matmul, j.meta.peak, stat));
  if (j.elementwise) console.log(renderElementwise(j.elementwise, stat));
  if (j.train) console.log(renderTrain(j.train, stat) + renderGcShare("train", j.train));
  if (j.epoch) console.log(renderEpoch(j.epoch));
  if (j.sequence) console.log(renderSequence(j.sequence, stat) + renderGcShare("sequence", j.sequence));
  if (j.conv) console.log(renderConv(j.conv, j.meta.peak.perCore, stat) + convGc(j.conv));
  if (j.resnet) console.log(renderResnet(j.resnet, stat) + renderGcShare("resnet", j.resnet));
  console.log(renderFooter(j.meta));
  process.exit(0);
}

/** The conv family's GC table: the conv cases (by direction), then max-pool and batch norm (by mode). */
function convGc(sec: ReturnType<typeof runConvFamily>): string {
  const rows: GcRow[] = [...sec.conv.map((r) => ({ ...r, detail: r.dir })), ...sec.layers.map((r) => ({ ...r, detail: r.mode }))];
  return renderGcShare("conv", rows);
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

let tfjs: Tfjs | { na: string } = { na: "not needed for the selected families" };
if (only.has("matmul") || only.has("train")) {
  progress("loading tfjs");
  tfjs = await loadTfjs();
}

const meta: Meta = {
  timestamp: startedAt.toISOString(),
  quick,
  node: process.version,
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  backendAtStart: torch.backendInfo(),
  harness: budget,
  peak: measurePeak(peakOverride),
  tfjs: "na" in tfjs ? tfjs : { version: tfjs.version, failed: tfjs.failed, wasmSimd: tfjs.wasmSimd, wasmThreads: tfjs.wasmThreads },
  loadavgBefore: loadavg(),
};
const json: Record<string, unknown> = { tool: "torchlet-bench", version: 1, meta: { ...meta, only: [...only] } };
console.log(renderHeader(meta, stat));

async function tfResult(run: (t: Tfjs) => Promise<Result>): Promise<Result> {
  if ("na" in tfjs) return tfjs;
  collectGarbage();
  return run(tfjs);
}

// ---------------------------------------------------------------------------------------------
if (only.has("matmul")) {
  const rows: MatmulRow[] = [];
  for (const c of MATMUL_CASES) {
    const results: Record<string, Result> = {};
    for (const impl of TORCHLET_IMPLS) {
      progress(`matmul ${c.label} ${impl}`);
      collectGarbage();
      results[impl] = runTorchletMatmul(impl, c, budget, quick);
      if (impl === "js") continue;
      progress(`matmul ${c.label} ${impl} out=`);
      collectGarbage();
      results[impl + OUT_SUFFIX] = runTorchletMatmul(impl, c, budget, quick, true);
    }
    for (const b of TF_BACKENDS) {
      progress(`matmul ${c.label} tfjs-${b}`);
      results[`tfjs-${b}`] = await tfResult((tf) => runTfMatmul(tf, b, c, budget, quick));
    }
    const withRate = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, isNa(r) ? r : { ...r, gflops: gflops(c, r) }]));
    rows.push({ ...c, flops: 2 * c.m * c.k * c.n, results: withRate });
  }
  json.matmul = rows;
  console.log(renderMatmul(rows, meta.peak, stat));
}

// ---------------------------------------------------------------------------------------------
if (only.has("elementwise")) {
  progress("elementwise Float32Array.set");
  const plain = runPlainCopy(budget);
  const sec: EwSection = { numel: EW_NUMEL, plainCopy: plain, rows: [] };
  for (const c of EW_CASES) {
    const results: Record<string, Result> = {};
    for (const impl of TORCHLET_IMPLS) {
      progress(`elementwise ${c.id} ${impl}`);
      results[impl] = runTorchletEw(impl, c, budget);
    }
    const withRate = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, isNa(r) ? r : { ...r, gbPerS: gbPerS(c.bytes, r) }]));
    sec.rows.push({ id: c.id, label: c.label, bytes: c.bytes, bandwidthBound: c.bandwidthBound, results: withRate });
  }
  releaseOperands();
  json.elementwise = sec;
  console.log(renderElementwise(sec, stat));
}

// ---------------------------------------------------------------------------------------------
if (only.has("train")) {
  const rows: TrainRow[] = [];
  for (const c of MLP_CASES) {
    const results: Record<string, Result> = {};
    for (const impl of TORCHLET_IMPLS) {
      progress(`train ${c.id} ${impl}`);
      collectGarbage();
      results[impl] = runTorchletMlp(impl, c, budget);
    }
    // NOTE: tfjs runs the lecture's batch-64 steps only (tfjs.ts builds that model alone).
    const opt = c.optimizer;
    for (const b of TF_BACKENDS) {
      if (c.id !== opt || opt === null) break;
      progress(`train ${c.id} tfjs-${b}`);
      results[`tfjs-${b}`] = await tfResult((tf) => runTfTrainStep(tf, b, opt, budget));
    }
    rows.push({ id: c.id, label: c.label, optimizer: c.optimizer ?? "-", results });
  }
  json.train = rows;
  console.log(renderTrain(rows, stat) + renderGcShare("train", rows));
}

// ---------------------------------------------------------------------------------------------
if (only.has("epoch")) {
  const splits = loadSplits();
  const plan: EpochPlan = quick
    ? { epochs: 1, trainLimit: 100, testLimit: 30, warmupBatches: 10 }
    : { epochs: 2, trainLimit: Infinity, testLimit: Infinity, warmupBatches: 30 };
  const rows: EpochSection["rows"] = [];
  for (const v of EPOCH_VARIANTS) {
    const results: Record<string, EpochResult> = {};
    for (const impl of ["native-1t", "native-2t"] as const) {
      progress(`epoch ${v} ${impl}`);
      results[impl] = runEpoch(impl, v, plan);
    }
    rows.push({ variant: v, results });
  }
  // JS: far too slow for a whole epoch; time a limited number of batches and scale up.
  const jsPlan: EpochPlan = quick
    ? { epochs: 1, trainLimit: 10, testLimit: 5, warmupBatches: 2 }
    : { epochs: 1, trainLimit: 200, testLimit: 50, warmupBatches: 3 };
  progress(`epoch as-written js (${jsPlan.trainLimit} + ${jsPlan.testLimit} batches, extrapolated)`);
  const js = runEpoch("js", "as-written", jsPlan);
  // NOTE: JSON has no Infinity; a null limit means "all batches".
  const lim = (n: number) => (Number.isFinite(n) ? n : null);
  const sec: EpochSection = {
    datasetLoadS: "na" in splits ? null : splits.loadS,
    plan: { epochs: plan.epochs, trainLimit: lim(plan.trainLimit), testLimit: lim(plan.testLimit) },
    rows,
    jsEstimate: { plan: { trainLimit: jsPlan.trainLimit, testLimit: jsPlan.testLimit }, result: js },
  };
  json.epoch = sec;
  console.log(renderEpoch(sec));
}

// ---------------------------------------------------------------------------------------------
if (only.has("sequence")) {
  const rows: SequenceRow[] = [];
  for (const c of SEQUENCE_CASES) {
    const results: Record<string, Result> = {};
    for (const impl of ["native-1t", "native-2t"] as const) {
      progress(`sequence ${c.id} ${impl}`);
      results[impl] = runTorchletSequence(impl, c, budget);
    }
    rows.push({ id: c.id, label: c.label, results });
  }
  json.sequence = rows;
  console.log(renderSequence(rows, stat) + renderGcShare("sequence", rows));
}

// ---------------------------------------------------------------------------------------------
if (only.has("conv")) {
  const conv = runConvFamily(budget, progress);
  json.conv = conv;
  console.log(renderConv(conv, meta.peak.perCore, stat) + convGc(conv));
}
if (only.has("resnet")) {
  const resnet = runResnetFamily(quick, progress);
  json.resnet = resnet;
  console.log(renderResnet(resnet, stat) + renderGcShare("resnet", resnet));
}

meta.loadavgAfter = loadavg();
meta.durationS = (Date.now() - startedAt.getTime()) / 1000;
Object.assign(json.meta as object, { loadavgAfter: meta.loadavgAfter, durationS: meta.durationS });
console.log(renderFooter(meta));
const file = writeJson(fileURLToPath(new URL("../bench-results", import.meta.url)), json, startedAt);
console.log(`results: ${file}`);
