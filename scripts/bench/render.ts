// The stdout tables, built from the JSON sections bench.ts writes (so `--from FILE` can reprint an
// earlier run, with `--stat median|min`). Formatting only: no measuring, no files.
import type { EpochResult } from "./epoch.js";
import type { Result } from "./harness.js";
import type { Peak } from "./peak.js";
import { type Cell, Table, ratio } from "./report.js";

export type Stat = "median" | "min";

type Results = Record<string, Result & { gflops?: number; gbPerS?: number }>;
export interface MatmulRow { id: string; label: string; flops: number; results: Results }
export interface EwSection { numel: number; plainCopy: Result; rows: { id: string; label: string; bytes: number; bandwidthBound?: boolean; results: Results }[] }
/** id and label: absent in files written before issue 16 (the lecture's batch-64 steps only). */
export interface TrainRow { id?: string; label?: string; optimizer: string; results: Results }
export interface EpochSection {
  datasetLoadS: number | null;
  plan: { epochs: number; trainLimit: number | null; testLimit: number | null };
  rows: { variant: string; results: Record<string, EpochResult> }[];
  jsEstimate: { plan: { trainLimit: number; testLimit: number }; result: EpochResult };
}

/** The per-call time a table uses, or NaN for n/a. */
function t(r: Result | undefined, stat: Stat): number {
  if (r === undefined || "na" in r) return NaN;
  return stat === "min" ? r.minMs : r.medianMs;
}

/** A result as a cell: its n/a reason, or value(time). */
function c(r: Result | undefined, stat: Stat, value: (ms: number) => number): Cell {
  if (r === undefined) return undefined;
  return "na" in r ? r : value(t(r, stat));
}

export function renderMatmul(rows: MatmulRow[], peak: Peak, stat: Stat): string {
  const tb = new Table(
    `matmul GFLOP/s (${stat} time; torch.mm incl. output allocation, out=: into a preallocated result; tfjs: matMul with transpose flags)`,
    ["case", "nat 1T", "nat 2T", "out= 1T", "out= 2T", "JS", "tf-cpu", "tf-wasm", "%pk 1T", "%pk 2T", "1T/JS", "1T/wasm", "2T/wasm"],
    [0, 1, 1, 1, 1, 2, 2, 1, 0, 0, 0, 1, 1],
  );
  for (const row of rows) {
    const g = (k: string) => row.flops / t(row.results[k], stat) / 1e6;
    const gc = (k: string) => c(row.results[k], stat, () => g(k));
    tb.add([
      row.label, gc("native-1t"), gc("native-2t"), gc("native-1t-out"), gc("native-2t-out"), gc("js"), gc("tfjs-cpu"), gc("tfjs-wasm"),
      (100 * g("native-1t-out")) / peak.perCore, (100 * g("native-2t-out")) / (2 * peak.perCore),
      ratio(g("native-1t"), g("js")), ratio(g("native-1t"), g("tfjs-wasm")), ratio(g("native-2t"), g("tfjs-wasm")),
    ]);
  }
  return `${tb}\n  %pk (of out=): of one core's peak (1T) and two cores' (2T). Ratios are GFLOP/s ratios of the nat columns (higher = torchlet faster).`;
}

export function renderElementwise(sec: EwSection, stat: Stat): string {
  const tb = new Table(
    `elementwise / reductions on ${sec.numel / 2 ** 20}M floats (and 4M where the label says): GB/s (bytes read + written per call, ${stat} time)`,
    ["op", "nat 1T", "nat 2T", "JS", "1T/copy", "2T/copy", "JS/copy", "nat1T/JS"],
    [0, 1, 1, 2, 2, 2, 2, 0],
  );
  const plainGB = (2 * 4 * sec.numel) / t(sec.plainCopy, stat) / 1e6;
  tb.add(["copy (Float32Array.set, JS)", undefined, undefined, c(sec.plainCopy, stat, () => plainGB)]);
  const copy = sec.rows.find((r) => r.id === "copy_");
  const copyGB = (k: string) => (copy ? copy.bytes / t(copy.results[k], stat) / 1e6 : NaN);
  for (const row of sec.rows) {
    const gb = (k: string) => row.bytes / t(row.results[k], stat) / 1e6;
    const gc = (k: string) => c(row.results[k], stat, () => gb(k));
    const bw = row.bandwidthBound !== false;
    tb.add([
      row.label, gc("native-1t"), gc("native-2t"), gc("js"),
      bw ? ratio(gb("native-1t"), copyGB("native-1t")) : undefined, bw ? ratio(gb("native-2t"), copyGB("native-2t")) : undefined,
      bw ? ratio(gb("js"), plainGB) : undefined,
      ratio(gb("native-1t"), gb("js")),
    ]);
  }
  return `${tb}\n  x/copy: GB/s relative to copy_ at the same thread count (JS: to Float32Array.set). ~1.0 = at copy bandwidth.`;
}

export function renderTrain(rows: TrainRow[], stat: Stat): string {
  const tb = new Table(
    `MLP training step (forward + CrossEntropyLoss + backward + step + zeroGrad) or inference (no graph): ms, ${stat}`,
    ["case", "nat 1T", "nat 2T", "JS", "tf-cpu", "tf-wasm", "JS/1T", "JS/2T", "wasm/1T", "wasm/2T"],
    [0, 2, 2, 1, 1, 1, 0, 0, 1, 1],
  );
  for (const row of rows) {
    const m = (k: string) => t(row.results[k], stat);
    const mc = (k: string) => c(row.results[k], stat, (x) => x);
    tb.add([
      row.label ?? `lecture 784-512-512-10, batch 64, ${row.optimizer}`, mc("native-1t"), mc("native-2t"), mc("js"), mc("tfjs-cpu"), mc("tfjs-wasm"),
      ratio(m("js"), m("native-1t")), ratio(m("js"), m("native-2t")), ratio(m("tfjs-wasm"), m("native-1t")), ratio(m("tfjs-wasm"), m("native-2t")),
    ]);
  }
  return `${tb}\n  Ratios are time ratios (other / torchlet native: higher = torchlet faster).`;
}

export function renderEpoch(sec: EpochSection): string {
  const full = sec.plan.trainLimit === null || !Number.isFinite(sec.plan.trainLimit);
  const tb = new Table(
    `one epoch of the lecture's program (60,000 train + 10,000 test images, batch 64, SGD): seconds` +
      (full ? ` (best of ${sec.plan.epochs} epochs)` : ` (--quick: extrapolated from ${sec.plan.trainLimit}+${sec.plan.testLimit} batches)`),
    ["variant", "nat 1T", "nat 2T", "train 2T", "test 2T", "RSS MB"],
    [0, 2, 2, 2, 2, 0],
  );
  const e = (r: EpochResult | undefined, v: (s: Exclude<EpochResult, { na: string }>) => number): Cell =>
    r === undefined ? undefined : "na" in r ? r : v(r);
  for (const row of sec.rows) {
    const r1 = row.results["native-1t"];
    const r2 = row.results["native-2t"];
    tb.add([row.variant, e(r1, (s) => s.bestS), e(r2, (s) => s.bestS), e(r2, (s) => s.trainS), e(r2, (s) => s.testS), e(r2, (s) => s.rssMB)]);
  }
  const out = [tb.toString()];
  const js = sec.jsEstimate.result;
  const nat = sec.rows[0]?.results["native-2t"];
  const natS = nat && !("na" in nat) ? nat.bestS : NaN;
  out.push(
    "na" in js
      ? `  as-written on the JS backend: n/a: ${js.na}`
      : `  as-written on the JS backend: ~${js.bestS.toFixed(0)} s per epoch (estimate), ${Number.isFinite(natS) ? `${(js.bestS / natS).toFixed(0)}x native 2T` : ""}`,
  );
  if (sec.datasetLoadS !== null) out.push(`  dataset load (parse the idx files, both splits): ${sec.datasetLoadS.toFixed(2)} s, not in the epoch times.`);
  out.push(
    "  as-written: the lecture's DataLoader(ToTensor dataset, batchSize 64), which uses the dataset's batch fast path;",
    "  per-sample: same with a collateFn wrapper, forcing get(i) + ToTensor per image + stack (PyTorch's path);",
    `  preloaded: one [60000,1,28,28] tensor sliced per batch. JS estimate from ${sec.jsEstimate.plan.trainLimit} train + ${sec.jsEstimate.plan.testLimit} test batches.`,
  );
  return out.join("\n");
}

export interface Meta {
  timestamp: string;
  quick: boolean;
  node: string;
  cpu?: string;
  cores: number;
  backendAtStart: { name: string; isa?: string | null; threads: number };
  harness: { warmupMs: number; budgetMs: number; minSamples: number };
  peak: Peak;
  tfjs: { na: string } | { version: string; failed: Record<string, string | null>; wasmSimd: boolean | null; wasmThreads: boolean | null };
  loadavgBefore: number[];
  loadavgAfter?: number[];
  durationS?: number;
}

const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");

export function renderHeader(m: Meta, stat: Stat): string {
  const b = m.backendAtStart;
  const out = [
    `# torchlet bench ${m.timestamp}${m.quick ? " (--quick)" : ""}`,
    `cpu: ${m.cpu ?? "?"} x${m.cores}; node ${m.node}; backend at start: ${b.name} ${b.isa ?? ""} ${b.threads} threads`,
    `load average before: ${loads(m.loadavgBefore)}${m.loadavgBefore[0] > 0.5 ? "  (machine NOT idle: numbers are lower bounds)" : ""}`,
    `peak fp32 per core: ${m.peak.perCore.toFixed(1)} GFLOP/s  [${m.peak.note}]`,
    `timing: hand-written harness (scripts/bench/harness.ts): warm-up ${m.harness.warmupMs} ms, samples of >= 2 ms until ` +
      `${m.harness.minSamples} samples and ${m.harness.budgetMs} ms; median and min per call kept, tables show the ${stat}`,
  ];
  if ("na" in m.tfjs) out.push(`tfjs: n/a: ${m.tfjs.na}`);
  else {
    const f = Object.entries(m.tfjs.failed).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
    out.push(`tfjs ${m.tfjs.version}: wasm SIMD ${m.tfjs.wasmSimd}, wasm threads ${m.tfjs.wasmThreads}${f.length ? `; failed: ${f.join("; ")}` : ""}`);
  }
  return out.join("\n");
}

export function renderFooter(m: Meta): string {
  return `\nload average after: ${m.loadavgAfter ? loads(m.loadavgAfter) : "?"}; took ${(m.durationS ?? NaN).toFixed(0)} s`;
}
