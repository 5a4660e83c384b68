// Dev tool (not a test): where issue #15's TransformerEncoderLayer(256, 4, 1024) step spends its
// time in torchlet. Part 1: dropout's mask on the native kernel vs the JS one (A/B interleaved in
// this process, CPU time, the layer's four dropout shapes). Part 2: per phase of the layer, forward
// and forward+backward on the shapes the layer feeds it (attention block, feed-forward block,
// LayerNorm, dropouts, residual adds), then the whole step and batch-1 inference. Part 3: LayerNorm
// as the composition it was before the fused node vs the node (alone, in the step, in inference).
// Part 4: MultiheadAttention fwd+bwd with the old chunk head split vs PackedHeads.
// --ab: only the eval-mode forward under noGrad, composed modules (A) vs the inference path (B,
// lib/nn/transformer_infer.ts), interleaved, at batch 1 and batch 16, checking the bits are equal.
// Medians of --reps runs after a warm-up, in CPU milliseconds (process.cpuUsage: user + system,
// so other users of a loaded machine don't count; pool threads do, so at 2 threads it is the sum).
// Usage: npx tsx scripts/transformer_profile.ts [--threads N] [--reps N] [--ab]
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { defaultGenerator } from "../lib/ops/random.js";
import { jsBackend } from "../lib/backend/js.js";
import { PackedHeads } from "../lib/nn/attention_heads.js";
import { inferencePathSwitch } from "../lib/nn/transformer_infer.js";

const { values } = parseArgs({ options: { threads: { type: "string" }, reps: { type: "string" }, ab: { type: "boolean" } } });
if (values.threads !== undefined) torch.setNumThreads(Number(values.threads));
const REPS = Number(values.reps ?? 15);
const { nn } = torch;
const F = nn.functional;

const cpuMs = (fn: () => void): number => {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median CPU ms of each fn, the fns run interleaved rep by rep (A/B under the same load). */
function interleaved(fns: (() => void)[]): number[] {
  for (const f of fns) f();
  const t: number[][] = fns.map(() => []);
  for (let r = 0; r < REPS; r++) fns.forEach((f, i) => t[i].push(cpuMs(f)));
  return t.map(median);
}

const fmt = (v: number) => v.toFixed(2).padStart(9);
console.log(`threads ${torch.backendInfo().threads}, isa ${torch.backendInfo().isa}, reps ${REPS}, load ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);

// ---- --ab: inference, composed modules vs the inference path ----
if (values.ab) {
  torch.manualSeed(0);
  const layer = new nn.TransformerEncoderLayer(256, 4, { dimFeedforward: 1024 });
  layer.eval();
  const withPath = (on: boolean, fn: () => torch.Tensor) => () => {
    inferencePathSwitch.enabled = on;
    try {
      return fn();
    } finally {
      inferencePathSwitch.enabled = true;
    }
  };
  console.log("\nTransformerEncoderLayer(256, 4, 1024) eval forward under noGrad, CPU ms: composed | inference path");
  for (const batch of [1, 16]) {
    const x = torch.randn(128, batch, 256);
    const fwd = () => torch.noGrad(() => layer.forward(x));
    const same = withPath(false, fwd)().equal(withPath(true, fwd)());
    // NOTE: several calls per sample: batch 1 is short for the CPU clock, and the garbage one side
    // leaves (GC runs later) is then mostly collected within that side's own samples.
    const calls = batch === 1 ? 10 : 3;
    const times = (on: boolean) => withPath(on, () => {
      for (let i = 0; i < calls; i++) fwd();
      return x;
    });
    const [a, b] = interleaved([times(false), times(true)]).map((t) => t / calls);
    console.log(`  (128, ${batch}, 256)${fmt(a)} |${fmt(b)}   (${(b / a).toFixed(2)}x, bits ${same ? "equal" : "DIFFER"})`);
  }
  process.exit(0);
}

// ---- part 1: dropout masks, JS vs native (the same draws) ----
console.log("\ndropout (p 0.1, train), CPU ms: JS mask + mul | native fused");
const withBackend = (name: "js" | "native", fn: () => void) => () => {
  torch.setBackend(name);
  try {
    fn();
  } finally {
    torch.setBackend("native");
  }
};
for (const shape of [[128, 16, 256], [128, 16, 1024], [64, 128, 128]]) {
  const x = torch.randn(shape);
  const [js, nat] = interleaved([withBackend("js", () => F.dropout(x, 0.1)), withBackend("native", () => F.dropout(x, 0.1))]);
  console.log(`  [${shape}]${fmt(js)} |${fmt(nat)}   (${(js / nat).toFixed(1)}x)`);
}

// ---- part 2: per phase of the layer ----
torch.manualSeed(0);
const layer = new nn.TransformerEncoderLayer(256, 4, { dimFeedforward: 1024 });
const x = torch.randn(128, 16, 256).requiresGrad_(true);
const h = torch.randn(128, 16, 256);
// NOTE: the layer's two blocks are private (PyTorch's _sa_block / _ff_block); timed here alone.
const blocks = layer as unknown as { saBlock(x: torch.Tensor, m: null, k: null): torch.Tensor; ffBlock(x: torch.Tensor): torch.Tensor };
const phases: [string, () => torch.Tensor][] = [
  ["self-attention block (attn + dropout1)", () => blocks.saBlock(x, null, null)],
  ["feed-forward block (2 linear, relu, 2 dropout)", () => blocks.ffBlock(x)],
  ["linear1 256->1024", () => layer.linear1.forward(x)],
  ["relu [128,16,1024]", () => F.relu(layer.linear1.forward(h).detach().requiresGrad_(true))],
  ["LayerNorm(256)", () => layer.norm1.forward(x)],
  ["dropout [128,16,256]", () => F.dropout(x, 0.1)],
  ["residual add", () => x.add(h)],
];
console.log("\nphase (train mode, seq 128 batch 16), CPU ms: forward | forward+backward");
for (const [name, f] of phases) {
  const [fwd, both] = interleaved([
    () => void torch.noGrad(() => f()),
    () => {
      f().pow(2).mean().backward();
      x.grad = null;
      layer.zeroGrad();
    },
  ]);
  console.log(`  ${name.padEnd(48)}${fmt(fwd)} |${fmt(both)}`);
}
// The whole step with the masks drawn by the JS twin vs natively (all else native), interleaved.
const gen = defaultGenerator as unknown as { state: Int32Array; index: number; fillDropoutMask: typeof defaultGenerator.fillDropoutMask };
const nativeFill = gen.fillDropoutMask;
const jsFill: typeof nativeFill = function (this: typeof gen, keep, scale, mask, xs = null, out = null) {
  this.index = jsBackend.dropoutMask(this.state, this.index, keep, scale, mask, xs, out);
};
const stepWith = (fill: typeof nativeFill) => () => {
  gen.fillDropoutMask = fill;
  layer.forward(x).pow(2).mean().backward();
  layer.zeroGrad();
  x.grad = null;
  gen.fillDropoutMask = nativeFill;
};
const [stepJs, step] = interleaved([stepWith(jsFill), stepWith(nativeFill)]);
console.log(`  ${"whole layer fwd+bwd, JS masks".padEnd(48)}${fmt(NaN)} |${fmt(stepJs)}`);
console.log(`  ${"whole layer fwd+bwd, native masks".padEnd(48)}${fmt(NaN)} |${fmt(step)}`);
layer.eval();
const x1 = torch.randn(128, 1, 256);
const [b1] = interleaved([() => void torch.noGrad(() => layer.forward(x1))]);
console.log(`  ${"batch-1 inference (eval, no grad)".padEnd(48)}${fmt(b1)}`);

// ---- part 3: LayerNorm, the composed graph (before issue #15's fused node) vs the node ----
/** The composition F.layerNorm ran before the fused node: moments, centred·rsqrt(var+eps), ·w, +b. */
const composedLayerNorm = (t: torch.Tensor, norm: torch.nn.LayerNorm): torch.Tensor => {
  const mean = t.mean(-1, true);
  const centred = t.sub(mean);
  const variance = centred.mul(centred).mean(-1, true);
  return centred.mul(variance.add(norm.eps).rsqrt()).mul(norm.weight!).add(norm.bias!);
};
console.log("\nLayerNorm(256) on [128,16,256], CPU ms: composed | fused node   (fwd, then fwd+bwd)");
const lnFwdBwd = (f: () => torch.Tensor) => () => {
  f().pow(2).mean().backward();
  x.grad = null;
  layer.zeroGrad();
};
const [cf, nf, cb, nb] = interleaved([
  () => void torch.noGrad(() => composedLayerNorm(x, layer.norm1)),
  () => void torch.noGrad(() => layer.norm1.forward(x)),
  lnFwdBwd(() => composedLayerNorm(x, layer.norm1)),
  lnFwdBwd(() => layer.norm1.forward(x)),
]);
console.log(`  forward     ${fmt(cf)} |${fmt(nf)}   (${(cf / nf).toFixed(1)}x)`);
console.log(`  fwd+bwd     ${fmt(cb)} |${fmt(nb)}   (${(cb / nb).toFixed(1)}x)`);
/** Runs fn with both of the layer's norms on the composition. */
const withComposedNorms = (fn: () => void) => () => {
  const norms = [layer.norm1, layer.norm2];
  const saved = norms.map((n) => n.forward);
  norms.forEach((n) => (n.forward = (t: torch.Tensor) => composedLayerNorm(t, n)));
  try {
    fn();
  } finally {
    norms.forEach((n, i) => (n.forward = saved[i]));
  }
};
layer.train();
const stepOnce = () => {
  layer.forward(x).pow(2).mean().backward();
  layer.zeroGrad();
  x.grad = null;
};
const inferOnce = () => void torch.noGrad(() => layer.forward(x1));
const [sc, sn] = interleaved([withComposedNorms(stepOnce), stepOnce]);
console.log(`  whole layer fwd+bwd    ${fmt(sc)} |${fmt(sn)}`);
layer.eval();
const [ic, inn] = interleaved([withComposedNorms(inferOnce), inferOnce]);
console.log(`  batch-1 inference      ${fmt(ic)} |${fmt(inn)}`);

// ---- part 4: self-attention's head split, the old chunk composition vs PackedHeads ----
const packedApply = PackedHeads.apply;
/** What multiHeadAttentionForward did before PackedHeads: chunk, then contiguous().view().transpose(). */
const chunkHeads = (proj: torch.Tensor, heads: number): torch.Tensor[] => {
  const [L, N, E3] = proj.shape;
  return proj.chunk(3, -1).map((t) => t.contiguous().view(L, N * heads, E3 / 3 / heads).transpose(0, 1));
};
const mhaStep = (old: boolean) => () => {
  (PackedHeads as unknown as { apply: unknown }).apply = old ? chunkHeads : packedApply;
  try {
    layer.self_attn.forward(x, x, x, { needWeights: false })[0].backward(h);
    layer.zeroGrad();
    x.grad = null;
  } finally {
    (PackedHeads as unknown as { apply: unknown }).apply = packedApply;
  }
};
layer.train();
const [mo, mp] = interleaved([mhaStep(true), mhaStep(false)]);
console.log(`\nMultiheadAttention fwd+bwd (self-attention, [128,16,256]), CPU ms: chunk composition ${fmt(mo)} | PackedHeads ${fmt(mp)}`);
