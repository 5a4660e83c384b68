// Per-call overhead of ops on tiny tensors (issue #16): µs per call at 1 thread, 8x8 float32
// operands, medians of several timed rounds. The PyTorch twin prints the same rows:
//   npx tsx scripts/small_ops.ts [rounds]          (torchlet)
//   OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/small_ops.py   (PyTorch, the figures in #16)
// NOTE: rounds are short and medians are reported because the machine is shared: one round is noisy.
import * as torch from "../lib/index.js";

torch.setNumThreads(1);
const ROUNDS = Number(process.argv[2] ?? 7);
const REPS = 20000;

/** [wall, CPU] µs per call of f: a warm-up, then REPS timed calls. NOTE: the CPU time (this
 *  process's, GC threads included) is the steadier figure on a shared machine: time spent
 *  descheduled counts in the wall time only. */
function perCall(f: () => unknown): [number, number] {
  for (let i = 0; i < 2000; i++) f();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < REPS; r++) f();
  const wall = Number(process.hrtime.bigint() - t0) / 1e3 / REPS;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / REPS];
}

const a = torch.randn(8, 8), b = torch.randn(8, 8), v = torch.randn(8), small = torch.randn(16);
const out = torch.empty(8, 8);
const w = torch.randn(8, 8, { requiresGrad: true });
const F = torch.nn.functional;
// [name, call, under noGrad]: as in #16, only "mm grad" records a graph.
const CASES: [string, () => unknown, boolean][] = [
  ["mm", () => torch.mm(a, b), true],
  ["mm out", () => torch.mm(a, b, { out }), true],
  ["add", () => a.add(b), true],
  ["add_", () => a.add_(b), true],
  ["relu", () => a.relu(), true],
  ["linear", () => F.linear(a, b, v), true],
  ["mm grad", () => torch.mm(a, w), false],
  ["small_add (16)", () => small.add(small), true],
];

const times = new Map<string, [number, number][]>(CASES.map(([k]) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [k, f, ng] of CASES) times.get(k)!.push(ng ? torch.noGrad(() => perCall(f)) : perCall(f));
}
const median = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1];
console.log(`${"µs per call".padEnd(16)} ${"wall".padStart(6)} ${"cpu".padStart(6)}`);
for (const [k, ts] of times) {
  console.log(`${k.padEnd(16)} ${median(ts.map((t) => t[0])).toFixed(2).padStart(6)} ${median(ts.map((t) => t[1])).toFixed(2).padStart(6)}`);
}
