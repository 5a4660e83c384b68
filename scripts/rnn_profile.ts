// Dev tool (not a test): where one training step of issue #15's recurrent benchmark (nn.LSTM or
// nn.GRU, 2 layers of 200, input (35, 20, 200), as scripts/bench/sequence.ts) spends its time.
// Phases: forward, loss + backward, SGD step; and, for one layer alone, the input projection of all
// steps (one GEMM), the recurrent node's forward (LSTMLayer / GRULayer: per-step GEMM + fused cell kernel)
// and its backward. Reports the median and minimum wall ms and the median CPU ms (process.cpuUsage:
// on a loaded machine CPU time is the steadier figure for a single thread) over --reps runs after a
// warm-up, with the load average at start and end.
// Usage: npx tsx scripts/rnn_profile.ts [--mode lstm|gru] [--threads N] [--reps R]
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { linear } from "../lib/nn/functional.js";
import { GRULayer } from "../lib/nn/rnn_gru_layer.js";
import { LSTMLayer } from "../lib/nn/rnn_lstm_layer.js";

const { values } = parseArgs({ options: { mode: { type: "string" }, threads: { type: "string" }, reps: { type: "string" } } });
const mode = values.mode ?? "lstm";
if (mode !== "lstm" && mode !== "gru") throw new Error(`--mode must be lstm or gru, got ${mode}`);
if (values.threads !== undefined) torch.setNumThreads(Number(values.threads));
const REPS = Number(values.reps ?? 15);
const T = 35, N = 20, H = 200;

interface Timing { median: number; min: number; cpu: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Wall ms (median, min) and CPU ms (median) of fn over REPS runs, after one warm-up. */
function time(fn: () => void): Timing {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { median: median(wall), min: Math.min(...wall), cpu: median(cpu) };
}

const load0 = loadavg().map((x) => x.toFixed(2)).join(" ");
torch.manualSeed(0);
const rnn = mode === "lstm" ? new torch.nn.LSTM(H, H, { numLayers: 2 }) : new torch.nn.GRU(H, H, { numLayers: 2 });
const opt = new torch.optim.SGD(rnn.parameters(), { lr: 0.1 });
const x = torch.randn(T, N, H);
const forward = () => (rnn.forward(x) as [torch.Tensor, unknown])[0];

const rows: [string, Timing][] = [];
rows.push(["whole step (fwd, loss+bwd, SGD)", time(() => {
  forward().pow(2).mean().backward();
  opt.step();
  opt.zeroGrad();
})]);
rows.push(["forward (2 layers)", time(() => void forward())]);
rows.push(["forward + loss + backward", time(() => {
  forward().pow(2).mean().backward();
  opt.zeroGrad();
})]);
rows.push(["SGD step", time(() => opt.step())]);

// One layer alone: layer 0's weights on x.
const p = rnn as unknown as Record<string, torch.Tensor>;
const wIh = p.weight_ih_l0, wHh = p.weight_hh_l0, bIh = p.bias_ih_l0, bHh = p.bias_hh_l0;
const h0 = torch.zeros([N, H]);
rows.push(["layer: input projection (1 GEMM, no grad)", time(() => void torch.noGrad(() => linear(x, wIh, bIh)))]);
const gi = torch.noGrad(() => linear(x, wIh, bIh)).requiresGrad_(true);
const layer = () => (mode === "lstm" ? LSTMLayer.apply(gi, h0, h0, wHh, bHh, false, null) : GRULayer.apply(gi, h0, wHh, bHh, false, null)) as torch.Tensor[];
rows.push(["layer: recurrent node forward", time(() => void torch.noGrad(layer))]);
const gy = torch.randn(T, N, H);
const fb = time(() => {
  layer()[0].backward(gy);
  gi.grad = null;
  wHh.grad = null;
  if (bHh) bHh.grad = null;
});
rows.push(["layer: recurrent node forward + backward", fb]);
opt.zeroGrad();

const info = torch.backendInfo();
console.log(`${mode.toUpperCase()} 2x${H}, seq ${T}, batch ${N}: ${info.name} ${info.isa}, ${info.threads} thread(s), ${REPS} reps`);
console.log(`load average at start: ${load0}; at end: ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
console.log(`${"phase".padEnd(44)} ${"median ms".padStart(10)} ${"min ms".padStart(10)} ${"cpu ms".padStart(10)}`);
for (const [name, t] of rows) console.log(`${name.padEnd(44)} ${t.median.toFixed(2).padStart(10)} ${t.min.toFixed(2).padStart(10)} ${t.cpu.toFixed(2).padStart(10)}`);
