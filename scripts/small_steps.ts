// Whole steps that many small ops make up (issue #16): the lecture's MLP (784-512-512-10) SGD step
// at batch 64 and inference at batch 1, and a tiny MLP (8-16-16-4) SGD step at batch 8, where
// per-op overhead is most of the time. µs per step at 1 thread, CPU-time medians of rounds.
//   npx tsx scripts/small_steps.ts [rounds]
import * as torch from "../lib/index.js";
import { NeuralNetwork, makeOptimizer, trainStep } from "./bench/mlp.js";

torch.setNumThreads(1);
torch.manualSeed(0);
const ROUNDS = Number(process.argv[2] ?? 5);

/** CPU µs per call of f over `reps` calls, after a warm-up (see small_ops.ts for why CPU time). */
function perCall(f: () => unknown, reps: number): number {
  for (let i = 0; i < Math.max(5, reps >> 3); i++) f();
  const c0 = process.cpuUsage();
  for (let r = 0; r < reps; r++) f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / reps;
}

const lossFn = new torch.nn.CrossEntropyLoss();
const lecture = new NeuralNetwork();
const sgd = makeOptimizer("SGD", lecture);
const X64 = torch.randn(64, 1, 28, 28), y64 = torch.randint(0, 10, [64]);
const X1 = torch.randn(1, 1, 28, 28);
const tiny = new torch.nn.Sequential(new torch.nn.Linear(8, 16), new torch.nn.ReLU(), new torch.nn.Linear(16, 16), new torch.nn.ReLU(), new torch.nn.Linear(16, 4));
const tinySgd = makeOptimizer("SGD", tiny);
const X8 = torch.randn(8, 8), y8 = torch.randint(0, 4, [8]);
lecture.eval();
const CASES: [string, () => unknown, number][] = [
  ["lecture SGD step b64", () => { lecture.train(); trainStep((x) => lecture(x), lossFn, sgd, X64, y64); lecture.eval(); }, 40],
  ["lecture infer b1", () => torch.noGrad(() => lecture(X1)), 400],
  ["tiny MLP SGD step b8", () => trainStep((x) => tiny(x), lossFn, tinySgd, X8, y8), 4000],
];
const times = new Map<string, number[]>(CASES.map(([k]) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [k, f, reps] of CASES) times.get(k)!.push(perCall(f, reps));
for (const [k, ts] of times) console.log(`${k.padEnd(22)} ${ts.sort((x, y) => x - y)[ts.length >> 1].toFixed(1).padStart(8)} µs`);
