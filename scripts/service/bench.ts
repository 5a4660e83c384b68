// torchlet in a Node service, measured (issue #17). Prints markdown tables:
//  1. event-loop delay (how late a 1 ms interval timer fires) while the lecture's
//     training steps run: on the main thread in one loop (today's way), as `for await` over a
//     DataLoader (a turn of the loop between steps), and in a torch.worker.Runner;
//  2. examples/serve.ts under a load generator of our own (keep-alive HTTP clients) at 1, 8 and 64
//     concurrent clients, with dynamic batching (--max-batch 64) and without (--max-batch 1);
//  3. the server's RSS over --requests requests (default 100000);
//  4. an epoch of a transform-heavy DataLoader (FashionMNIST with random crops and flips, batch 64)
//     at numWorkers 0, 1 and 2, loading only and with the lecture's training step.
// Usage: npx tsx scripts/service/bench.ts [--steps 300] [--seconds 5] [--requests 100000] [--batches N]
//        [--only loop|serve|rss|loader]
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as torch from "../../lib/index.js";
import { NeuralNetwork } from "../../examples/lib/model.js";
import { step, trainSteps } from "./train_steps.js";

const { values: v } = parseArgs({
  options: {
    steps: { type: "string", default: "300" },
    seconds: { type: "string", default: "5" },
    requests: { type: "string", default: "100000" },
    batches: { type: "string", default: "937" },
    only: { type: "string" },
  },
});
const STEPS = Number(v.steps);
const SECONDS = Number(v.seconds);
const REQUESTS = Number(v.requests);
const BATCHES = Number(v.batches);
const root = new URL("../../", import.meta.url);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (x: number, d = 1) => x.toFixed(d);

/**
 * How late a 1 ms interval timer fires while `work` runs (p50, p99, max in ms), and the wall time.
 * NOTE: measured by hand rather than with monitorEventLoopDelay, whose sampler records nothing while
 * the loop is blocked from start to end: here the one long gap of a blocked loop is a sample.
 */
async function loopDelay(work: () => Promise<unknown>): Promise<{ p50: number; p99: number; max: number; seconds: number }> {
  const late: number[] = [];
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    late.push(Math.max(0, now - last - 1));
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  late.length = 0;
  last = performance.now();
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 5)); // the tick that ends a blocked stretch
  clearInterval(tick);
  return { p50: pct(late, 50), p99: pct(late, 99), max: Math.max(...late), seconds };
}

async function benchLoop(): Promise<void> {
  step(); // warm up kernels and allocations on this thread
  const runner = await torch.worker.Runner.start(new URL("./train_steps.ts", import.meta.url));
  await runner.call("trainSteps", [5]);
  const loader = new torch.data.DataLoader(new torch.data.TensorDataset(torch.arange(0, STEPS)), { batchSize: 1 });
  const rows: [string, Awaited<ReturnType<typeof loopDelay>>][] = [
    ["one loop on the main thread (today)", await loopDelay(async () => trainSteps(STEPS))],
    ["`for await` over a DataLoader, main thread", await loopDelay(async () => {
      for await (const _ of loader) step();
    })],
    ["torch.worker.Runner (its own thread)", await loopDelay(() => runner.call("trainSteps", [STEPS]))],
  ];
  await runner.terminate();
  console.log(`\n### Event-loop delay while ${STEPS} training steps run (lecture MLP, batch 64, ${torch.getNumThreads()} kernel threads)\n`);
  console.log("| where the steps run | p50 ms | p99 ms | max ms | wall s |");
  console.log("|---|---|---|---|---|");
  for (const [name, r] of rows) console.log(`| ${name} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(r.seconds, 2)} |`);
}

/** Starts examples/serve.ts on a free port; resolves with the port once it listens. */
function startServer(weights: string, maxBatch: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/serve.ts", "--weights", weights, "--port", "0", "--max-batch", String(maxBatch)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once("exit", (code) => reject(new Error(`serve exited (${code}) before listening`)));
  });
}

const IMAGE = JSON.stringify({ image: Array.from({ length: 28 }, (_, r) => Array.from({ length: 28 }, (_, c) => ((r * 28 + c) % 255) / 255)) });

function post(agent: Agent, port: number, path: string, body: string | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: body === null ? "GET" : "POST", agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode}: ${text}`))));
    });
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}

/** `clients` keep-alive clients, each posting one request after another, for `seconds` or `total` requests. */
async function load(port: number, clients: number, limit: { seconds?: number; total?: number }): Promise<{ rps: number; p50: number; p99: number; n: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  const t0 = performance.now();
  const end = limit.seconds !== undefined ? t0 + limit.seconds * 1000 : Infinity;
  let issued = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < end && issued < (limit.total ?? Infinity)) {
      issued++;
      const s = performance.now();
      await post(agent, port, "/predict", IMAGE);
      latencies.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { rps: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), n: latencies.length };
}

function weightsFile(dir: string): string {
  torch.manualSeed(0);
  const file = join(dir, "model.safetensors");
  torch.save(new NeuralNetwork().stateDict(), file);
  return file;
}

async function benchServe(weights: string): Promise<void> {
  console.log(`\n### examples/serve.ts under load (${SECONDS} s per row; a 28x28 JSON image per request)\n`);
  console.log("| batching | clients | requests/s | p50 ms | p99 ms | requests |");
  console.log("|---|---|---|---|---|---|");
  const single: Record<number, number> = {};
  for (const maxBatch of [1, 64]) {
    const { child, port } = await startServer(weights, maxBatch);
    await load(port, 8, { total: 200 }); // warm up
    for (const clients of [1, 8, 64]) {
      const r = await load(port, clients, { seconds: SECONDS });
      if (maxBatch === 1) single[clients] = r.rps;
      const label = maxBatch === 1 ? "off (--max-batch 1)" : "dynamic (--max-batch 64)";
      console.log(`| ${label} | ${clients} | ${fmt(r.rps, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.n} |`);
    }
    child.kill("SIGTERM");
  }
}

async function benchRss(weights: string): Promise<void> {
  const { child, port } = await startServer(weights, 64);
  const agent = new Agent({ keepAlive: true });
  const rss = async () => (JSON.parse(await post(agent, port, "/stats", null)) as { rssBytes: number }).rssBytes / 2 ** 20;
  console.log(`\n### Server RSS over ${REQUESTS} requests (16 clients, dynamic batching)\n`);
  console.log("| requests served | RSS MiB |");
  console.log("|---|---|");
  const chunk = REQUESTS / 10;
  await load(port, 16, { total: 1000 });
  console.log(`| 1000 (warm-up) | ${fmt(await rss())} |`);
  for (let done = chunk; done <= REQUESTS; done += chunk) {
    await load(port, 16, { total: chunk });
    console.log(`| ${1000 + done} | ${fmt(await rss())} |`);
  }
  agent.destroy();
  child.kill("SIGTERM");
}

async function benchLoader(): Promise<void> {
  const moduleUrl = new URL("./augmented_fashion_mnist.ts", import.meta.url);
  const { dataset } = (await import(moduleUrl.href)) as { dataset: torch.data.DatasetLike };
  console.log(`\n### DataLoader epoch, FashionMNIST + RandomCrop(28, padding 4) + RandomHorizontalFlip + ToTensor + Normalize (${BATCHES} batches of 64)\n`);
  console.log("| numWorkers | loading only, s | ratio to 0 | with the training step, s | ratio to 0 |");
  console.log("|---|---|---|---|---|");
  const base: number[] = [];
  for (const numWorkers of [0, 1, 2]) {
    const times: number[] = [];
    for (const train of [false, true]) {
      const loader = new torch.data.DataLoader(dataset, {
        batchSize: 64, shuffle: true, generator: new torch.Generator().manualSeed(0), numWorkers, ...(numWorkers > 0 ? { workerDataset: moduleUrl, persistentWorkers: true } : {}),
      });
      // NOTE: one short pass first, so the workers' start-up (a thread, torchlet, the dataset) is
      // not counted: persistent workers keep running into the timed epoch.
      let n = 0;
      for (const _ of loader) if (++n === 3) break;
      const t0 = performance.now();
      n = 0;
      for (const _ of loader) {
        if (train) step();
        if (++n === BATCHES) break;
      }
      times.push((performance.now() - t0) / 1000);
    }
    if (numWorkers === 0) base.push(...times);
    console.log(`| ${numWorkers} | ${fmt(times[0], 2)} | ${fmt(times[0] / base[0], 2)} | ${fmt(times[1], 2)} | ${fmt(times[1] / base[1], 2)} |`);
  }
}

const dir = mkdtempSync(join(tmpdir(), "torchlet-service-"));
try {
  console.log(`torchlet service bench: backend ${torch.backendInfo().name}, Node ${process.version}`);
  if (!v.only || v.only === "loop") await benchLoop();
  const weights = weightsFile(dir);
  if (!v.only || v.only === "serve") await benchServe(weights);
  if (!v.only || v.only === "rss") await benchRss(weights);
  if (!v.only || v.only === "loader") await benchLoader();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
