// float32 -> float64 casts (x.double()) on the JS and native backends, interleaved, 1 thread, process CPU time.
// Run: npx tsx scripts/bench_f64_cast.ts
import * as torch from "../lib/index.js";
torch.setNumThreads(1);
const x = torch.randn(1 << 20);
const t: Record<string, number[]> = { js: [], native: [] };
for (let r = 0; r < 30; r++) for (const b of ["js", "native"] as const) {
  torch.setBackend(b);
  const c0 = process.cpuUsage(); x.double(); const c = process.cpuUsage(c0); t[b].push((c.user + c.system) / 1000);
}
const med = (a: number[]) => a.sort((p, q) => p - q)[a.length >> 1];
console.log(`float32->float64 1Mi elements, 1 thread, CPU ms median of 30: js ${med(t.js).toFixed(2)} native ${med(t.native).toFixed(2)}`);
