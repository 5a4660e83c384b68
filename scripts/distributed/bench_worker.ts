// One rank of scripts/distributed/bench.ts (started by bin/torchlet.mjs, or alone for 1 process).
//   allreduce BYTES[,BYTES...]  sync allreduce of float32 tensors, timed as gloo_allreduce_bench.cc
//   ddp STEPS                   the lecture's MLP training step (batch 64 per rank), in DDP when
//                               WORLD_SIZE > 1
// Rank 0 prints one JSON line per measurement.
import * as torch from "../../lib/index.js";

const [mode, arg] = process.argv.slice(2);
const dist = torch.distributed;
const world = Number(process.env.WORLD_SIZE ?? 1);
if (world > 1) await dist.initProcessGroup({ backend: "gloo" });
const rank = world > 1 ? dist.getRank() : 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (mode === "allreduce") {
  for (const bytes of arg.split(",").map(Number)) {
    const t = torch.ones(Math.max(1, bytes / 4));
    const iters = bytes >= 1 << 22 ? 5 : bytes >= 1 << 18 ? 20 : 200;
    for (let i = 0; i < 3; i++) dist.allReduce(t);
    const rounds: number[] = [];
    for (let r = 0; r < 5; r++) {
      dist.barrier();
      const t0 = performance.now();
      for (let i = 0; i < iters; i++) dist.allReduce(t);
      rounds.push((performance.now() - t0) / iters);
    }
    if (rank === 0) console.log(JSON.stringify({ bytes, ms: median(rounds) }));
  }
} else if (mode === "ddp") {
  const { nn } = torch;
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 512), new nn.ReLU(), new nn.Linear(512, 10));
  const net = world > 1 ? new nn.parallel.DistributedDataParallel(model) : model;
  const opt = new torch.optim.SGD(model.parameters(), { lr: 1e-3 });
  const x = torch.rand([64, 1, 28, 28]);
  const y = torch.randint(0, 10, [64]);
  const lossFn = new nn.CrossEntropyLoss();
  const step = () => {
    const loss = lossFn(net(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  };
  for (let i = 0; i < 10; i++) step();
  const steps = Number(arg);
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    if (world > 1) dist.barrier();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    rounds.push((performance.now() - t0) / steps);
  }
  if (rank === 0) console.log(JSON.stringify({ world, msPerStep: median(rounds) }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
if (world > 1) dist.destroyProcessGroup();
