// Dev tool (not a test): the CPU time of the CNN's BatchNorm2d and MaxPool2d layers (issue #14's
// model, batch 64), forward and forward+backward, on one thread. CPU time (process.cpuUsage), not
// wall time: on a shared, loaded machine it is far less disturbed by the other users than
// cnn_profile.ts's minimum of wall times. Median of --reps runs after two warm-ups.
// Usage: npx tsx scripts/pool_bn_cpu.ts [--reps N]
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";

const { values } = parseArgs({ options: { reps: { type: "string" } } });
const REPS = Number(values.reps ?? 15);
torch.setNumThreads(1);

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function median(fn: () => void): number {
  fn();
  fn();
  const t: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const a = cpuMs();
    fn();
    t.push(cpuMs() - a);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(REPS / 2)];
}

const layers: [string, number, number, () => torch.nn.Module][] = [
  ["BatchNorm2d(32) 28x28", 32, 28, () => new torch.nn.BatchNorm2d(32)],
  ["MaxPool2d(2) 32ch 28x28", 32, 28, () => new torch.nn.MaxPool2d(2)],
  ["BatchNorm2d(64) 14x14", 64, 14, () => new torch.nn.BatchNorm2d(64)],
  ["MaxPool2d(2) 64ch 14x14", 64, 14, () => new torch.nn.MaxPool2d(2)],
];
console.log(`torchlet ${torch.backendInfo().name} ${torch.backendInfo().isa}, 1 thread, batch 64, CPU ms, median of ${REPS}`);
for (const [name, C, H, make] of layers) {
  torch.manualSeed(0);
  const m = make();
  m.train();
  const call = m as unknown as (t: torch.Tensor) => torch.Tensor;
  const x = torch.randn(64, C, H, H).requiresGrad_(true);
  const g = torch.randn(torch.noGrad(() => call(x)).shape);
  const fwd = median(() => void call(x));
  const both = median(() => {
    call(x).backward(g);
    x.grad = null;
    for (const p of m.parameters()) p.grad = null;
  });
  console.log(`${name.padEnd(26)} fwd ${fwd.toFixed(2).padStart(7)}   fwd+bwd ${both.toFixed(2).padStart(7)}`);
}
