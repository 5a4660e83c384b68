// Dev tool (not a test): A/B of conv2d's stride-1 input gradient (dx alone: the weight needs no
// gradient) on its two paths (lib/ops/conv_flipped.ts): "columns" = Wᵀ·gy into columns then col2im,
// "flipped" = the forward conv of gy with the flipped weight. On the bench's stride-1 3x3 shapes
// (scripts/bench/conv.ts: the CNN's conv1 and conv2 at batch 64, ResNet-18's 3x3 layers at batch 8),
// or with --sweep on square images of several widths, to place the dispatch's threshold.
// Interleaved columns, flipped, columns, ... in one process; CPU time per call (process.cpuUsage),
// median of --reps; GFLOP/s = 2 N O OH OW C kh kw / CPU time. "auto" says what the dispatch picks.
// --full: the whole backward (dx and the weight's gradient), GFLOP/s counting both.
// Usage: npx tsx scripts/conv_flipped_ab.ts [--threads N] [--reps 15] [--only cnn.conv2,r18.l1] [--sweep] [--full]
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { makeWindow } from "../lib/ops/columns.js";
import { type InputGradPath, forceInputGradPath, usesFlippedInputGrad } from "../lib/ops/conv_flipped.js";
import { CONV_CASES } from "./bench/conv.js";

const { values } = parseArgs({ options: { threads: { type: "string" }, reps: { type: "string" }, only: { type: "string" }, sweep: { type: "boolean" }, full: { type: "boolean" } } });
torch.setNumThreads(Number(values.threads ?? 1));
const reps = Number(values.reps ?? 15);
const only = values.only?.split(",");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

interface Shape { id: string; n: number; cin: number; cout: number; h: number; w: number }

const shapes: Shape[] = values.sweep
  ? [16, 64, 256].flatMap((ch) => [7, 10, 14, 20, 28, 40, 56].map((hw) => ({ id: `${ch}ch.${hw}`, n: Math.max(1, Math.round(8 * 784 / (hw * hw))), cin: ch, cout: ch, h: hw, w: hw })))
  : CONV_CASES.filter((c) => c.k === 3 && c.stride === 1).map((c) => ({ id: c.id, n: c.n, cin: c.cin, cout: c.cout, h: c.h, w: c.w }));

/** dx (and with --full dW) of a 3x3, padding 1 conv on the shape, by autograd (no graph), on the given path. */
function makeCall(s: Shape): (p: InputGradPath) => void {
  torch.manualSeed(0);
  const x = torch.randn(s.n, s.cin, s.h, s.w).requiresGrad_();
  const w = torch.randn(s.cout, s.cin, 3, 3).mul(1 / Math.sqrt(s.cin * 9)).requiresGrad_(values.full === true);
  const out = torch.nn.functional.conv2d(x, w, null, 1, 1);
  const g = torch.randn(...out.shape);
  return (p) => {
    forceInputGradPath(p);
    torch.autograd.grad(out, values.full ? [x, w] : [x], { gradOutputs: g, retainGraph: true });
  };
}

function cpuMs(fn: () => void): number {
  const u = process.cpuUsage();
  fn();
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1000;
}

const what = values.full ? "dx and dW" : "dx";
console.log(`threads ${torch.getNumThreads()}; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ${what} of 3x3/1 pad 1, ms CPU (median of ${reps})`);
for (const s of shapes) {
  if (only !== undefined && !only.includes(s.id)) continue;
  const call = makeCall(s);
  const t: Record<InputGradPath, number[]> = { columns: [], flipped: [] };
  for (let i = 0; i < 2; i++) (call("columns"), call("flipped"));
  for (let i = 0; i < reps; i++) (t.columns.push(cpuMs(() => call("columns"))), t.flipped.push(cpuMs(() => call("flipped"))));
  forceInputGradPath(null);
  const [mc, mf] = [median(t.columns), median(t.flipped)];
  const flops = 2 * s.n * s.cout * s.h * s.w * s.cin * 9 * (values.full ? 2 : 1);
  const gf = (ms: number) => (flops / 1e6 / ms).toFixed(0).padStart(4);
  const auto = usesFlippedInputGrad([s.n, s.cin, s.h, s.w], [s.cout, s.cin, 3, 3], makeWindow([3, 3], [1, 1], [1, 1], [1, 1], [s.h, s.w])) ? "flipped" : "columns";
  const label = `${s.id} ${s.n}x${s.cin}->${s.cout} ${s.h}x${s.w}`;
  console.log(`${label.padEnd(28)} columns ${mc.toFixed(2).padStart(7)} ms ${gf(mc)} GF/s  flipped ${mf.toFixed(2).padStart(7)} ms ${gf(mf)} GF/s  flipped/columns ${(mf / mc).toFixed(3)}  auto ${auto}`);
}
