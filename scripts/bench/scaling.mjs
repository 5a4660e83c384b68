// Thread scaling of torchlet's kernels and of the lecture's training step: each workload timed at
// each thread count given (default 1,2,4,8,16), one JSON line per measurement. Plain JavaScript
// over the built package (dist/), so it runs on a machine with only a Node binary and no npm tree
// (the 16-core device machine: scripts/device_scaling.sh). PyTorch's twin: scaling_torch.py.
// Usage: node scripts/bench/scaling.mjs [--threads 1,2,4,8,16] [--seconds 0.4]
import * as torch from "../../dist/lib/index.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const threadCounts = arg("--threads", "1,2,4,8,16").split(",").map(Number);
const seconds = Number(arg("--seconds", "0.4"));

/** Median seconds per call of fn, after one warm-up call, over at least 5 calls and `seconds`. */
function timeIt(fn) {
  fn();
  const times = [];
  const start = performance.now();
  while (times.length < 5 || performance.now() - start < seconds * 1000) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
    if (times.length >= 200) break;
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const { nn, optim } = torch;
/** The lecture's MLP, one SGD step on a fixed random batch. */
function trainStep(batch) {
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 512), new nn.ReLU(),
    new nn.Linear(512, 512), new nn.ReLU(), new nn.Linear(512, 10));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.SGD(model.parameters(), { lr: 1e-3 });
  const X = torch.randn(batch, 1, 28, 28);
  const y = torch.randint(10, [batch]);
  return () => {
    const loss = lossFn.forward(model.forward(X), y);
    loss.backward();
    opt.step();
    opt.zeroGrad();
  };
}

/** [name, unit, work per call (flop or bytes), factory of the timed call] */
function workloads() {
  const mm = (m, k, n, ta = false) => {
    const a = ta ? torch.randn(k, m).t() : torch.randn(m, k);
    const b = torch.randn(k, n);
    const out = torch.empty(m, n);
    return [`mm ${ta ? "[" + k + "x" + m + "]T" : m + "x" + k}@${k}x${n}`, "GFLOP/s", 2 * m * k * n, () => () => torch.mm(a, b, { out })];
  };
  const N = 1 << 24;
  const x = torch.randn(N), y = torch.randn(N), o = torch.empty(N);
  const rows = torch.randn(4096, 1024), sm = torch.randn(4096, 1000);
  return [
    mm(64, 784, 512), mm(64, 512, 512), mm(784, 64, 512, true), mm(1024, 1024, 1024), mm(2048, 2048, 2048),
    mm(256, 4096, 256),
    ["add 16M (out=)", "GB/s", 12 * N, () => () => torch.add(x, y, { out: o })],
    ["exp 16M (out=)", "GB/s", 8 * N, () => () => torch.exp(x, { out: o })],
    ["row sum 4096x1024", "GB/s", 4 * 4096 * 1024, () => () => rows.sum(1)],
    ["softmax 4096x1000", "GB/s", 8 * 4096 * 1000, () => () => sm.softmax(1)],
    ["train step b64", "steps/s", 1, () => trainStep(64)],
    ["train step b256", "steps/s", 1, () => trainStep(256)],
  ];
}

const info = torch.backendInfo();
console.log(JSON.stringify({ side: "torchlet", backend: info.name, isa: info.isa }));
for (const [name, unit, work, make] of workloads()) {
  for (const t of threadCounts) {
    torch.setNumThreads(t);
    const fn = make();
    const s = timeIt(fn);
    const rate = unit === "steps/s" ? 1 / s : work / s / 1e9;
    console.log(JSON.stringify({ side: "torchlet", name, threads: t, ms: +(s * 1e3).toFixed(4), rate: +rate.toFixed(2), unit }));
  }
}
