// `npx tsx scripts/distributed/bench.ts [--nproc N] [--rounds R]`: what torch.distributed costs.
// 1. allreduce bus bandwidth, 1 KiB to 64 MiB, torchlet (allReduce from JavaScript) against gloo
//    called from C++ with nothing in between (gloo_allreduce_bench.cc, compiled here with g++), in
//    alternating rounds on the same machine; bus bandwidth = 2(n-1)/n * bytes / time, as nccl-tests
//    and gloo's benchmark report it.
// 2. DDP scaling efficiency of the lecture's MLP step (batch 64 per process): one process without
//    DDP against N processes with it; efficiency = time(1) / time(N) (weak scaling: N times the data).
// 3. With --torch, the same step in PyTorch (Debian's /usr/bin/python3) without and with its DDP on
//    gloo, for its own efficiency on this machine.
// Needs gloo (libgloo-dev) and torchlet_dist.node; every rank runs on 1 kernel thread (the launcher's
// default), so N processes need N cores to mean anything.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as torch from "../../lib/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const { values } = parseArgs({
  options: { nproc: { type: "string", default: "2" }, rounds: { type: "string", default: "3" }, torch: { type: "boolean", default: false } },
});
const nproc = Number(values.nproc);
const rounds = Number(values.rounds);
const SIZES = (process.env.BENCH_SIZES ?? "1024,16384,262144,1048576,4194304,16777216,67108864").split(",").map(Number);

if (!torch.distributed.isAvailable()) {
  console.error(`bench: ${torch.distributed.unavailableReason()}`);
  process.exit(1);
}
const tmp = mkdtempSync(join(tmpdir(), "torchlet-distbench-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const gloo = join(tmp, "gloo_allreduce_bench");
execFileSync("g++", ["-O2", "-std=c++17", join(here, "gloo_allreduce_bench.cc"), "-lgloo", "-o", gloo], { stdio: "inherit" });

type Row = { bytes: number; ms: number };
const jsonLines = <T>(out: string): T[] => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as T);

/** One round of the C++ baseline: nproc ranks meeting in a fresh FileStore directory. */
async function glooRound(): Promise<Row[]> {
  const store = mkdtempSync(join(tmp, "store-"));
  const ranks = Array.from({ length: nproc }, (_, r) =>
    new Promise<string>((ok, fail) => {
      let out = "";
      const c = spawn(gloo, [String(r), String(nproc), store, SIZES.join(",")], { stdio: ["ignore", "pipe", "inherit"] });
      c.stdout.on("data", (d) => (out += d));
      c.on("exit", (code) => (code === 0 ? ok(out) : fail(new Error(`gloo rank ${r} exited with ${code}`))));
    }));
  return jsonLines<Row>((await Promise.all(ranks)).join("\n"));
}

/** Runs bench_worker.ts in n processes (the launcher) or one; returns rank 0's output. */
function torchlet(args: string[], n = nproc): string {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const worker = join(here, "bench_worker.ts");
  const cmd = n > 1
    ? [join(root, "bin", "torchlet.mjs"), "run", "--nproc-per-node", String(n), "--master-port", String(port), worker, ...args]
    : ["--import", "tsx", worker, ...args];
  const r = spawnSync(process.execPath, cmd, { cwd: root, encoding: "utf8", env: { ...process.env, TORCHLET_NUM_THREADS: "1" } });
  if (r.status !== 0) throw new Error(`torchlet worker failed: ${r.stderr}`);
  return r.stdout;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const busbw = (bytes: number, ms: number) => ((2 * (nproc - 1)) / nproc) * bytes / (ms / 1000) / 1e9;
const fmtBytes = (b: number) => (b >= 1 << 20 ? `${b / (1 << 20)} MiB` : `${b / 1024} KiB`);

const glooMs = new Map<number, number[]>();
const oursMs = new Map<number, number[]>();
for (let r = 0; r < rounds; r++) {
  for (const row of await glooRound()) glooMs.set(row.bytes, [...(glooMs.get(row.bytes) ?? []), row.ms]);
  for (const row of jsonLines<Row>(torchlet(["allreduce", SIZES.join(",")]))) oursMs.set(row.bytes, [...(oursMs.get(row.bytes) ?? []), row.ms]);
}
console.log(`allreduce, ${nproc} processes on ${torch.backendInfo().isa} (${rounds} alternating rounds, median)`);
console.log("| size | gloo (C++) ms | torchlet ms | gloo busbw GB/s | torchlet busbw GB/s | torchlet / gloo |");
console.log("|---|---|---|---|---|---|");
for (const bytes of SIZES) {
  const g = median(glooMs.get(bytes)!);
  const t = median(oursMs.get(bytes)!);
  console.log(`| ${fmtBytes(bytes)} | ${g.toFixed(3)} | ${t.toFixed(3)} | ${busbw(bytes, g).toFixed(3)} | ${busbw(bytes, t).toFixed(3)} | ${(g / t).toFixed(2)}x |`);
}

const single: number[] = [];
const multi: number[] = [];
for (let r = 0; r < rounds; r++) {
  single.push(jsonLines<{ msPerStep: number }>(torchlet(["ddp", "50"], 1))[0].msPerStep);
  multi.push(jsonLines<{ msPerStep: number }>(torchlet(["ddp", "50"]))[0].msPerStep);
}
const t1 = median(single);
const tn = median(multi);
console.log(`\nDDP, lecture MLP step, batch 64 per process: 1 process ${t1.toFixed(2)} ms/step, ${nproc} processes ${tn.toFixed(2)} ms/step; ` +
  `scaling efficiency ${(100 * t1 / tn).toFixed(0)}% (throughput ${(nproc * t1 / tn).toFixed(2)}x of one process)`);

if (values.torch) {
  /** PyTorch's step in n processes (ddp_torch.py); rank 0's ms/step. */
  const torchStep = async (n: number): Promise<number> => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const outs = await Promise.all(Array.from({ length: n }, (_, r) =>
      new Promise<string>((ok, fail) => {
        const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MASTER_ADDR: "127.0.0.1", MASTER_PORT: port, RANK: String(r), WORLD_SIZE: String(n) };
        let out = "";
        const c = spawn("/usr/bin/python3", [join(here, "ddp_torch.py"), "50"], { env, stdio: ["ignore", "pipe", "inherit"] });
        c.stdout.on("data", (d) => (out += d));
        c.on("exit", (code) => (code === 0 ? ok(out) : fail(new Error(`ddp_torch.py rank ${r} exited with ${code}`))));
      })));
    return jsonLines<{ msPerStep: number }>(outs.join("\n"))[0].msPerStep;
  };
  const p1: number[] = [];
  const pn: number[] = [];
  for (let r = 0; r < rounds; r++) {
    p1.push(await torchStep(1));
    pn.push(await torchStep(nproc));
  }
  const a = median(p1);
  const b = median(pn);
  console.log(`PyTorch ${torchVersion()}: 1 process ${a.toFixed(2)} ms/step, ${nproc} processes (DDP, gloo) ${b.toFixed(2)} ms/step; ` +
    `scaling efficiency ${(100 * a / b).toFixed(0)}%; torchlet / PyTorch at ${nproc} processes: ${(tn / b).toFixed(2)}x`);
}

function torchVersion(): string {
  const r = spawnSync("/usr/bin/python3", ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "(version unknown)";
}
