// float64 throughput: matmul 512^3 and an elementwise chain on 1M doubles
// (exp(sqrt(relu(a*b + c))).sum()), on torchlet native at 1 and 2 threads and on the JS backend.
// Prints the median time per call and GFLOP/s (matmul). Usage: npx tsx scripts/bench_f64.ts
// PyTorch's side: /usr/bin/python3 scripts/bench_f64_torch.py (same shapes, same chain).
import * as torch from "../lib/index.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function time(fn: () => void, reps: number): number {
  fn(); // warm-up
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

torch.manualSeed(0);
const A = torch.randn(512, 512).double(), B = torch.randn(512, 512).double();
const n = 1 << 20;
const a = torch.randn(n).double(), b = torch.randn(n).double(), c = torch.randn(n).double();
const chain = (): number => a.mul(b).add(c).relu().sqrt().exp().sum().item();

const configs: [string, "native" | "js", number][] = [["native t=1", "native", 1], ["native t=2", "native", 2], ["js", "js", 1]];
for (const [name, be, threads] of configs) {
  torch.setBackend(be);
  if (be === "native") torch.setNumThreads(threads);
  const mm = time(() => void A.matmul(B), be === "js" ? 3 : 15);
  const ew = time(() => void chain(), be === "js" ? 5 : 15);
  console.log(`${name.padEnd(11)} matmul 512^3 f64: ${mm.toFixed(2)} ms (${(2 * 512 ** 3 / mm / 1e6).toFixed(1)} GFLOP/s)   chain on 1M f64: ${ew.toFixed(2)} ms`);
}
