// Dev tool (not a test): wall time per backend call kind (im2col, col2im, copy, matmul, fill, reduce)
// inside the conv bench cases (scripts/bench/conv.ts), at each thread count given, so one sees which
// phase gains nothing from more threads. Median over --reps calls of the per-call totals.
// --resnet r18_infer_b1 (or another scripts/bench/resnet.ts case) profiles that step instead.
// Usage: npx tsx scripts/conv_phases.ts [--threads 1,2] [--only r18.l1,cnn.conv2] [--dir fwd,bwd] [--reps 15] [--resnet ID]
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { backend } from "../lib/backend/index.js";
import { CONV_CASES, type ConvDir, convFlops, makeConvCall } from "./bench/conv.js";
import { type ResnetCase, makeResnetStep } from "./bench/resnet.js";

const { values } = parseArgs({ options: { threads: { type: "string" }, only: { type: "string" }, dir: { type: "string" }, reps: { type: "string" }, resnet: { type: "string" } } });
const threads = (values.threads ?? "1,2").split(",").map(Number);
const only = values.only?.split(",");
const dirs = (values.dir ?? "fwd,bwd").split(",") as ConvDir[];
const REPS = Number(values.reps ?? 15);
const KINDS = ["im2col", "col2im", "copy", "matmul", "fill", "reduce", "binary", "unary", "clamp", "maxPool2d", "batchNormStats", "batchNormApply", "avgPool2d"] as const;

// Wrap the backend's methods to sum their wall time per kind.
const be = backend() as unknown as Record<string, (...a: unknown[]) => unknown>;
const acc = new Map<string, number>();
for (const k of KINDS) {
  if (typeof be[k] !== "function") continue;
  const f = be[k].bind(be);
  be[k] = (...a: unknown[]) => {
    const t0 = performance.now();
    const r = f(...a);
    acc.set(k, (acc.get(k) ?? 0) + performance.now() - t0);
    return r;
  };
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** "1T 12.3 ms [matmul 8.1, ...]" per thread count: medians of REPS calls after 2 warm-ups. */
function profile(call: () => unknown, flops: number): string {
  const line: string[] = [];
  for (const t of threads) {
    torch.setNumThreads(t);
    for (let i = 0; i < 2; i++) call();
    const tot: number[] = [];
    const per = new Map<string, number[]>();
    for (let i = 0; i < REPS; i++) {
      acc.clear();
      const t0 = performance.now();
      call();
      tot.push(performance.now() - t0);
      for (const k of KINDS) (per.get(k) ?? per.set(k, []).get(k)!).push(acc.get(k) ?? 0);
    }
    const m = med(tot);
    const parts = KINDS.filter((k) => per.has(k) && med(per.get(k)!) > 0.005).map((k) => `${k} ${med(per.get(k)!).toFixed(2)}`);
    line.push(`${t}T ${m.toFixed(2)} ms${flops > 0 ? ` ${(flops / 1e6 / m).toFixed(0)} GF/s` : ""} [${parts.join(", ")}]`);
  }
  return line.join("  |  ");
}

console.log(`load ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);
if (values.resnet !== undefined) {
  console.log(`${values.resnet}  ${profile(makeResnetStep(values.resnet as ResnetCase["id"]), 0)}`);
  process.exit(0);
}
for (const c of CONV_CASES) {
  if (only !== undefined && !only.includes(c.id)) continue;
  for (const d of dirs) {
    console.log(`${c.id.padEnd(9)} ${d}  ${profile(makeConvCall(c, d), convFlops(c, d))}`);
  }
}
