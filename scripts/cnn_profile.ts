// Dev tool (not a test): where one training step of issue #14's CNN (examples/lib/cnn_model.ts,
// batch 64) spends its time in torchlet. Times each layer alone, forward and backward (input and
// weight gradients), on the shapes the model feeds it; splits each convolution into its parts
// (im2col = pad + 9 strided slices + stack; the batched GEMM; the bias add) and the whole step
// (forward, loss, backward, Adam) and the data loading (per-sample ToTensor + collate) for comparison.
// Minimum of --reps runs after a warm-up (on a shared, loaded machine the minimum is the least
// disturbed estimate of a cost; the median mostly measures the other users). Usage: npx tsx scripts/cnn_profile.ts [--threads N] [--reps N]
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { im2col } from "../lib/ops/unfold.js";
import { ConvNet } from "../examples/lib/cnn_model.js";

const { values } = parseArgs({ options: { threads: { type: "string" }, reps: { type: "string" }, batch: { type: "string" } } });
if (values.threads !== undefined) torch.setNumThreads(Number(values.threads));
const REPS = Number(values.reps ?? 9);
const N = Number(values.batch ?? 64);

/** Least milliseconds of fn over REPS runs, after one warm-up run. */
function time(fn: () => void): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return Math.min(...t);
}

torch.manualSeed(0);
const model = new ConvNet();
model.train();
const layers: [string, torch.nn.Module][] = [
  ...[...model.features.children()].map((m, i) => [`features.${i} ${m.constructor.name}`, m] as [string, torch.nn.Module]),
  ...[...model.classifier.children()].map((m, i) => [`classifier.${i} ${m.constructor.name}`, m] as [string, torch.nn.Module]),
];

const rows: [string, number, number, string][] = [];
let x = torch.rand(N, 1, 28, 28);
for (const [name, layer] of layers) {
  const input = x.detach().requiresGrad_(true);
  const call = layer as unknown as (t: torch.Tensor) => torch.Tensor;
  const y = torch.noGrad(() => call(input));
  const gy = torch.randn(y.shape);
  const fwd = time(() => void call(input));
  // NOTE: backward alone = (forward + backward) - forward; one graph per run.
  const both = time(() => {
    call(input).backward(gy);
    input.grad = null;
    for (const p of layer.parameters()) p.grad = null;
  });
  rows.push([name, fwd, Math.max(0, both - fwd), `${JSON.stringify(input.shape)} -> ${JSON.stringify(y.shape)}`]);
  x = y;
}

// The convolutions' parts, forward only, on their shapes.
const parts: [string, number][] = [];
for (const [name, C, O, H] of [["conv1", 1, 32, 28], ["conv2", 32, 64, 14]] as const) {
  const xin = torch.rand(N, C, H, H);
  const w = torch.randn(O, C * 9);
  const b = torch.randn(O);
  const cols = im2col(xin, [3, 3], [1, 1], [1, 1], [1, 1]);
  const gemm = w.matmul(cols.reshape(N, 1, C * 9, H * H));
  parts.push([`${name} im2col [${N},${C},${H},${H}] -> [${N},${C * 9},${H * H}]`, time(() => void im2col(xin, [3, 3], [1, 1], [1, 1], [1, 1]))]);
  parts.push([`${name} GEMM [${O},${C * 9}] x [${N},${C * 9},${H * H}]`, time(() => void w.matmul(cols.reshape(N, 1, C * 9, H * H)))]);
  parts.push([`${name} + bias`, time(() => void gemm.reshape(N, O, H, H).add(b.reshape(1, O, 1, 1)))]);
  // Backward: the weight gradient (gy x cols^T, summed over the batch), the columns' gradient
  // (w^T x gy) and im2col's adjoint (the slices' and stack's backward, i.e. col2im) into x.
  const gy = torch.randn(N, 1, O, H * H);
  const colsT = cols.reshape(N, 1, C * 9, H * H).transpose(-1, -2);
  parts.push([`${name} bwd weight: gy x cols^T, sum over N`, time(() => void gy.matmul(colsT).sum(0))]);
  parts.push([`${name} bwd columns: w^T x gy`, time(() => void w.t().matmul(gy))]);
  const gcols = torch.randn(N, C * 9, H * H);
  const xg = xin.detach().requiresGrad_(true);
  parts.push([`${name} bwd im2col adjoint into x`, time(() => {
    im2col(xg, [3, 3], [1, 1], [1, 1], [1, 1]).backward(gcols);
    xg.grad = null;
  })]);
}

// The whole step and the data, as trainEpoch does them.
const lossFn = new torch.nn.CrossEntropyLoss();
const optimizer = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
const X = torch.rand(N, 1, 28, 28);
const yLabels = torch.randint(10, [N]);
const fwdLoss = time(() => void lossFn(model(X), yLabels));
const step = time(() => {
  const loss = lossFn(model(X), yLabels);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  loss.item();
});
// NOTE: Adam on real gradients (a step with none would skip every parameter).
lossFn(model(X), yLabels).backward();
const adam = time(() => optimizer.step());
const data = new torch.vision.datasets.FashionMNIST({ root: "data", train: true, transform: new torch.vision.transforms.ToTensor() });
const loader = new torch.data.DataLoader(data, { batchSize: N, shuffle: true });
const it = loader[Symbol.iterator]();
const load = time(() => void it.next());

const info = torch.backendInfo();
console.log(`torchlet ${info.name} ${info.isa}, ${info.threads} thread(s), batch ${N}, min of ${REPS}; load ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const f = (ms: number) => ms.toFixed(2).padStart(8);
console.log(`${"layer".padEnd(26)} ${"fwd ms".padStart(8)} ${"bwd ms".padStart(8)}  shapes`);
let sf = 0;
let sb = 0;
for (const [name, fw, bw, shapes] of rows) {
  console.log(`${name.padEnd(26)} ${f(fw)} ${f(bw)}  ${shapes}`);
  sf += fw;
  sb += bw;
}
console.log(`${"sum of layers".padEnd(26)} ${f(sf)} ${f(sb)}  (fwd+bwd ${(sf + sb).toFixed(2)} ms)`);
console.log("\nconvolutions, by part:");
for (const [name, ms] of parts) console.log(`  ${name.padEnd(52)} ${f(ms)} ms`);
console.log(`\nmodel forward + loss ${f(fwdLoss)} ms; whole step (fwd, loss, zeroGrad, backward, Adam, item) ${f(step)} ms; Adam step alone ${f(adam)} ms`);
console.log(`data: one shuffled batch (${N} x per-sample ToTensor + collate) ${f(load)} ms`);
console.log(`=> an epoch of ${Math.ceil(60000 / N)} batches ~ ${((step + load) * Math.ceil(60000 / N) / 1000).toFixed(1)} s (step + data, this load)`);
