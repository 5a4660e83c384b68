// Dev tool (not a test): CPU time per call of the conv bench cases (scripts/bench/conv.ts) on this
// process's threads, median of 40 calls after 3 warm-ups. CPU time, not wall time, because on a
// shared, loaded machine it is the least disturbed measure of a single-thread kernel; at more
// than one thread it sums the threads' time, so use it at --threads 1.
// Usage: npx tsx scripts/conv_cpu_time.ts [--threads N] [--only cnn.conv2,r18.l4] [--dir fwd,bwd]
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { CONV_CASES, type ConvDir, convFlops, makeConvCall } from "./bench/conv.js";

const { values } = parseArgs({ options: { threads: { type: "string" }, only: { type: "string" }, dir: { type: "string" } } });
torch.setNumThreads(Number(values.threads ?? 1));
const only = values.only?.split(",");
const dirs = (values.dir ?? "fwd,bwd").split(",") as ConvDir[];
console.log(`threads ${torch.getNumThreads()}; load ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);
for (const c of CONV_CASES) {
  if (only !== undefined && !only.includes(c.id)) continue;
  for (const d of dirs) {
    const call = makeConvCall(c, d);
    for (let i = 0; i < 3; i++) call();
    const ms: number[] = [];
    for (let i = 0; i < 40; i++) {
      const u = process.cpuUsage();
      call();
      const v = process.cpuUsage(u);
      ms.push((v.user + v.system) / 1000);
    }
    ms.sort((a, b) => a - b);
    const med = ms[ms.length >> 1];
    console.log(`${c.id.padEnd(10)} ${d}  ${med.toFixed(2).padStart(7)} ms CPU  ${(convFlops(c, d) / 1e6 / med).toFixed(0).padStart(4)} GFLOP/s  ${c.label}`);
  }
}
