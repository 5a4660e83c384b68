// Dev tool (not a test): A/B of conv2d's weight GEMMs, in one process, interleaved: "old" runs them
// through backend().matmul (the GEMM's own split), "new" through backend().convMatmul (conv_gemm.h).
// Per case and thread count: median wall ms and median process CPU ms per call over --reps rounds,
// each round one call of old and one of new in alternating order.
// Usage: npx tsx scripts/conv_ab.ts [--threads 1,2] [--only r18.l4,r18_infer_b1] [--batch 1] [--dir fwd,bwd] [--reps 21]
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import * as torch from "../lib/index.js";
import { backend } from "../lib/backend/index.js";
import type { Backend } from "../lib/backend/types.js";
import { CONV_CASES, type ConvDir, makeConvCall } from "./bench/conv.js";
import { RESNET_CASES, makeResnetStep } from "./bench/resnet.js";

const { values } = parseArgs({ options: { threads: { type: "string" }, only: { type: "string" }, batch: { type: "string" }, dir: { type: "string" }, reps: { type: "string" } } });
const threads = (values.threads ?? "1,2").split(",").map(Number);
const only = values.only?.split(",");
const dirs = (values.dir ?? "fwd,bwd").split(",") as ConvDir[];
const REPS = Number(values.reps ?? 21);

const be = backend() as Backend & { convMatmul: Backend["matmul"] };
const fresh = be.convMatmul.bind(be);
const old = be.matmul.bind(be);
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

function measure(call: () => unknown): string {
  const out: string[] = [];
  for (const t of threads) {
    torch.setNumThreads(t);
    const wall = { old: [] as number[], new: [] as number[] };
    const cpu = { old: [] as number[], new: [] as number[] };
    for (let r = -2; r < REPS; r++) {
      for (const v of r % 2 === 0 ? (["old", "new"] as const) : (["new", "old"] as const)) {
        be.convMatmul = v === "old" ? old : fresh;
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        call();
        const w = performance.now() - t0;
        const c = process.cpuUsage(c0);
        if (r >= 0) {
          wall[v].push(w);
          cpu[v].push((c.user + c.system) / 1000);
        }
      }
    }
    const wo = med(wall.old), wn = med(wall.new);
    out.push(`${t}T wall ${wo.toFixed(2)} -> ${wn.toFixed(2)} (${(wn / wo).toFixed(2)}x) cpu ${med(cpu.old).toFixed(2)} -> ${med(cpu.new).toFixed(2)}`);
  }
  be.convMatmul = fresh;
  return out.join("  |  ");
}

console.log(`load before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const batch = values.batch === undefined ? undefined : Number(values.batch);
for (const c of CONV_CASES) {
  if (only !== undefined && !only.includes(c.id)) continue;
  for (const d of dirs) {
    const cc = batch === undefined ? c : { ...c, n: batch };
    console.log(`${c.id.padEnd(9)} b${cc.n} ${d}  ${measure(makeConvCall(cc, d))}`);
  }
}
for (const c of RESNET_CASES) {
  if (only === undefined || !only.includes(c.id)) continue;
  console.log(`${c.id}  ${measure(makeResnetStep(c.id))}`);
}
console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
