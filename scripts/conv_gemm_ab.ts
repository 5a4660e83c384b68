// Dev tool (not a test): conv2d's weight GEMMs alone, A/B in one process, interleaved: backend
// matmul (the GEMM's own split) against convMatmul (conv_gemm.h), on the shapes ResNet-18 and the
// CNN give them (forward W x cols and input-gradient Wᵀ x dY, per chunk). Min and median wall ms of
// --reps rounds at each thread count (on a loaded machine the minimum is the least disturbed).
// Usage: npx tsx scripts/conv_gemm_ab.ts [--threads 1,2] [--reps 31] [--only fwd-l4-b1,...]
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import * as torch from "../lib/index.js";
import { backend } from "../lib/backend/index.js";
import type { View } from "../lib/backend/types.js";

const { values } = parseArgs({ options: { threads: { type: "string" }, reps: { type: "string" }, only: { type: "string" } } });
const threads = (values.threads ?? "1,2").split(",").map(Number);
const REPS = Number(values.reps ?? 31);
const only = values.only?.split(",");

// [id, m, n, k, aTransposed]: C [m, n] = A [m, k] x B [k, n]; aTransposed: A is Wᵀ (a view of [k, m]).
const SHAPES: [string, number, number, number, boolean][] = [
  ["fwd-stem-b1", 64, 12544, 147, false], ["fwd-l1-b1", 64, 3248, 576, false], ["fwd-l2-b1", 128, 840, 1152, false],
  ["fwd-l3-b1", 256, 224, 2304, false], ["fwd-l4-b1", 512, 63, 4608, false], ["fwd-l4s2-b1", 512, 49, 2304, false],
  ["fwd-l2-b8", 128, 4 * 840, 1152, false], ["fwd-l3-b8", 256, 4 * 224, 2304, false], ["fwd-l4-b8", 512, 8 * 49, 4608, false],
  ["dx-l1-b8", 576, 3136, 64, true], ["dx-l2-b8", 1152, 784 * 2, 128, true], ["dx-l3-b8", 2304, 196 * 5, 256, true], ["dx-l4-b8", 4608, 392, 512, true],
  ["fwd-cnn2", 64, 5 * 224, 288, false], ["dx-cnn2", 288, 5 * 196, 64, true],
];

const be = backend();
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const view = (t: torch.Tensor, shape: number[], strides: number[]): View => ({ typedArray: t.typedArray, offset: 0, shape, strides });
console.log(`load before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
for (const [id, m, n, k, at] of SHAPES) {
  if (only !== undefined && !only.includes(id)) continue;
  torch.manualSeed(0);
  const a = torch.randn(m * k), b = torch.randn(k * n), c = torch.empty(m * n);
  const av = at ? view(a, [1, m, k], [m * k, 1, m]) : view(a, [1, m, k], [m * k, k, 1]);
  const bv = view(b, [1, k, n], [k * n, n, 1]), cv = view(c, [1, m, n], [m * n, n, 1]);
  const line: string[] = [];
  for (const t of threads) {
    torch.setNumThreads(t);
    const ms = { old: [] as number[], new: [] as number[] };
    for (let r = -3; r < REPS; r++) {
      for (const v of r % 2 === 0 ? (["old", "new"] as const) : (["new", "old"] as const)) {
        const t0 = performance.now();
        if (v === "old") be.matmul(av, bv, cv);
        else be.convMatmul(av, bv, cv);
        if (r >= 0) ms[v].push(performance.now() - t0);
      }
    }
    const gf = (x: number) => ((2 * m * n * k) / 1e6 / x).toFixed(0);
    line.push(`${t}T min ${Math.min(...ms.old).toFixed(2)} -> ${Math.min(...ms.new).toFixed(2)} (${gf(Math.min(...ms.old))} -> ${gf(Math.min(...ms.new))} GF/s) med ${med(ms.old).toFixed(2)} -> ${med(ms.new).toFixed(2)}`);
  }
  console.log(`${id.padEnd(12)} ${line.join("  |  ")}`);
}
console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
