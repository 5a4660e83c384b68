// worker_threads and the native thread pool: the library running in several workers at once gives
// the main thread's results bit for bit (results never depend on the thread count); terminating a
// worker in the middle of training doesn't take the process down; a process that used the pool
// exits promptly. Crash and hang cases run in a child process, so a failure is reported, not fatal.
// ref: node-addon-api doc/addon.md (per-environment state); Node's worker_threads docs (terminate).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const LIB = pathToFileURL(join(here, "..", "lib", "index.ts")).href;
/** tsx's ESM API (tsImport): workers don't inherit the TypeScript loader, so they load lib/ with it. */
const TSX_API = (() => {
  const pkgPath = createRequire(import.meta.url).resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports["./esm/api"].import.default)).href;
})();

/**
 * Three SGD steps of the lecture's MLP (784-512-10 here, batch 64) from a seed; returns the losses
 * and the final parameters. Plain JS source, so workers and the main thread run the same text.
 */
const WORKLOAD = `
  torch.manualSeed(seed);
  const x = torch.randn(64, 784), y = torch.randint(0, 10, [64]);
  const w1 = torch.randn(784, 512).mul(0.05).requiresGrad_(), b1 = torch.zeros(512).requiresGrad_();
  const w2 = torch.randn(512, 10).mul(0.05).requiresGrad_(), b2 = torch.zeros(10).requiresGrad_();
  const opt = new torch.optim.SGD([w1, b1, w2, b2], { lr: 0.1, momentum: 0.9 });
  const losses = [];
  for (let step = 0; step < steps; step++) {
    opt.zeroGrad();
    const logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
    const loss = torch.nn.functional.crossEntropy(logits, y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
    if (onStep) onStep(step);
  }
  const copy = (t) => Float32Array.from(t.detach().contiguous().storage());
  const probs = x.matmul(w1).relu().matmul(w2).softmax(1);
  return { losses, w1: copy(w1), b1: copy(b1), w2: copy(w2), b2: copy(b2), probs: copy(probs), argmax: Array.from(probs.argmax(1).storage()) };
`;
type Result = { losses: number[]; w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array; probs: Float32Array; argmax: number[] };
const workload = new Function("torch", "seed", "steps", "onStep", WORKLOAD) as (t: typeof torch, seed: number, steps: number, onStep: null) => Result;

/** Worker source (CommonJS; workers get `execArgv: []` so a parent's --input-type=module doesn't
 *  apply): loads lib/ through tsx, sets its pool size, runs WORKLOAD, posts the result. */
const WORKER = `
  const { parentPort, workerData } = require("node:worker_threads");
  (async () => {
    const { tsImport } = await import(workerData.tsx);
    const torch = await tsImport(workerData.lib, workerData.lib);
    torch.setNumThreads(workerData.threads);
    const run = new Function("torch", "seed", "steps", "onStep", workerData.workload);
    const onStep = workerData.report ? (step) => parentPort.postMessage({ step }) : null;
    for (let r = 0; r < workerData.repeat; r++) {
      const res = run(torch, workerData.seed, workerData.steps, onStep);
      parentPort.postMessage({ result: res, info: torch.backendInfo() });
    }
  })().catch((e) => parentPort.postMessage({ error: String((e && e.stack) || e) }));
`;

function startWorker(seed: number, threads: number, opts: { steps?: number; repeat?: number; report?: boolean } = {}): Worker {
  return new Worker(WORKER, {
    eval: true,
    execArgv: [],
    workerData: { tsx: TSX_API, lib: LIB, workload: WORKLOAD, seed, threads, steps: opts.steps ?? 3, repeat: opts.repeat ?? 1, report: opts.report ?? false },
  });
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Runs a node script (ESM, TypeScript imports allowed) in a child; resolves with its exit and output. */
function runChild(code: string, timeoutMs: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; ms: number; timedOut: boolean }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: join(here, ".."), env: process.env });
    let stdout = "", stderr = "", timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
  });
}

const SLOW = { timeout: 240_000 };
const native = torch.availableBackends().includes("native");

describe("worker_threads", SLOW, () => {
  it("runs on the native backend (a run without the addon must not pass quietly)", () => {
    expect(native).toBe(true);
    expect(torch.backendInfo().name).toBe("native");
  });

  it("training in 4 workers at once (1, 2, 3, 2 pool threads) matches the main thread bit for bit", async () => {
    const seeds = [11, 12, 13, 11];
    const threads = [1, 2, 3, 2];
    const workers = seeds.map((s, i) => startWorker(s, threads[i], { repeat: 2 }));
    const results = await Promise.all(
      workers.map((w) => new Promise<{ result: Result; info: { name: string; threads: number } }[]>((res, rej) => {
        const got: { result: Result; info: { name: string; threads: number } }[] = [];
        w.on("message", (m) => {
          if (m.error) rej(new Error(m.error));
          else if (m.result) {
            got.push(m);
            if (got.length === 2) res(got);
          }
        });
        w.once("error", rej);
      })),
    );
    await Promise.all(workers.map((w) => w.terminate()));
    // The main thread, with its own pool, meanwhile untouched by the workers' settings.
    const mainThreads = torch.getNumThreads();
    const want = new Map([11, 12, 13].map((s) => [s, workload(torch, s, 3, null)]));
    expect(torch.getNumThreads()).toBe(mainThreads);
    results.forEach((runs, i) => {
      for (const { result, info } of runs) {
        expect(info).toMatchObject({ name: "native", threads: threads[i] });
        const w = want.get(seeds[i])!;
        expect(result.losses).toEqual(w.losses);
        for (const k of ["w1", "b1", "w2", "b2", "probs"] as const) expect(sameBits(result[k], w[k]), `worker ${i} ${k}`).toBe(true);
        expect(result.argmax).toEqual(w.argmax);
      }
    });
    // and the training did something: the loss went down
    for (const w of want.values()) expect(w.losses[2]).toBeLessThan(w.losses[0]);
  });

  it("terminating workers in the middle of training (and of a long kernel) leaves the process healthy", async () => {
    const code = `
      import { Worker } from "node:worker_threads";
      const torch = await import(${JSON.stringify(LIB)});
      const WORKER = ${JSON.stringify(WORKER)}, WORKLOAD = ${JSON.stringify(WORKLOAD)};
      const start = (seed, threads, extra = {}) => new Worker(WORKER, { eval: true, execArgv: [], workerData: {
        tsx: ${JSON.stringify(TSX_API)}, lib: ${JSON.stringify(LIB)}, workload: WORKLOAD, seed, threads, steps: 1000, repeat: 1, report: true, ...extra } });
      const exited = (w) => new Promise((res) => w.once("exit", res));
      const errors = [];
      const ends = [];
      const steps = [];
      torch.setNumThreads(2);
      // Eight workers, terminated after 0..3 training steps plus 0..20 ms (mid-step, often inside a kernel).
      for (let i = 0; i < 8; i++) {
        const w = start(100 + i, 1 + (i % 3));
        w.on("error", (e) => errors.push(String(e)));
        steps.push(0);
        w.on("message", (m) => {
          if (m.error) errors.push(m.error);
          if (m.step !== undefined) steps[i] = m.step + 1;
          if (m.step === i % 4) setTimeout(() => w.terminate(), (i * 7) % 21);
        });
        ends.push(exited(w));
      }
      // One terminated while still loading, one while a 1024^3 matmul (a long native call) runs.
      const early = start(1, 2);
      ends.push(exited(early));
      setTimeout(() => early.terminate(), 5);
      const big = new Worker(\`
        const { parentPort, workerData } = require("node:worker_threads");
        (async () => {
          const { tsImport } = await import(workerData.tsx);
          const torch = await tsImport(workerData.lib, workerData.lib);
          torch.setNumThreads(2);
          const a = torch.randn(1024, 1024), b = torch.randn(1024, 1024);
          parentPort.postMessage("go");
          for (;;) a.matmul(b);
        })();\`, { eval: true, execArgv: [], workerData: { tsx: ${JSON.stringify(TSX_API)}, lib: ${JSON.stringify(LIB)} } });
      big.on("message", () => setTimeout(() => big.terminate(), 30));
      ends.push(exited(big));
      // The main thread keeps computing while the workers come and go.
      const x = torch.randn(256, 256);
      const ref = x.matmul(x).sum().item();
      const busy = setInterval(() => { if (x.matmul(x).sum().item() !== ref) errors.push("main thread result changed"); }, 5);
      const codes = await Promise.all(ends);
      clearInterval(busy);
      // A fresh worker after all that loads the addon again and agrees with this thread.
      const fresh = start(7, 2, { steps: 2, report: false });
      const got = await new Promise((res, rej) => { fresh.on("message", (m) => (m.error ? rej(new Error(m.error)) : res(m.result))); fresh.once("error", rej); });
      await fresh.terminate();
      const want = new Function("torch", "seed", "steps", "onStep", WORKLOAD)(torch, 7, 2, null);
      const same = JSON.stringify(got.losses) === JSON.stringify(want.losses) && Buffer.from(got.w1.buffer).equals(Buffer.from(want.w1.buffer));
      console.log(JSON.stringify({ errors, same, steps, codes }));
    `;
    const res = await runChild(code, 180_000);
    expect(res.timedOut, "child hung").toBe(false);
    expect(res.signal, res.stderr).toBeNull();
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout.trim().split("\n").pop()!);
    expect(out.errors).toEqual([]);
    expect(out.same).toBe(true);
    // every training worker got as far as asked before it was stopped, and all were terminated (code 1)
    out.steps.forEach((n: number, i: number) => expect(n).toBeGreaterThanOrEqual((i % 4) + 1));
    // NOTE: the worker stopped while still starting up may report 0 or 1 depending on how far it got.
    expect(out.codes.filter((_: number, i: number) => i !== 8)).toEqual(new Array(9).fill(1));
  });

  // NOTE: the bounds below are hang checks (a pool holding the process open never exits at all),
  // not performance thresholds; the work itself takes well under a second.
  it("a process that used the pool, in its main thread and in a worker, exits promptly by itself", async () => {
    const code = `
      import { Worker } from "node:worker_threads";
      const torch = await import(${JSON.stringify(LIB)});
      torch.setNumThreads(4);
      const a = torch.randn(512, 512);
      for (let i = 0; i < 5; i++) a.matmul(a).relu().sum();
      const w = new Worker(${JSON.stringify(WORKER)}, { eval: true, execArgv: [], workerData: {
        tsx: ${JSON.stringify(TSX_API)}, lib: ${JSON.stringify(LIB)}, workload: ${JSON.stringify(WORKLOAD)}, seed: 1, threads: 3, steps: 1, repeat: 1 } });
      await new Promise((res) => w.once("message", res));
      console.log("done at", Date.now());
      // no terminate(), no cleanup: the worker finishes its script and everything must wind down
    `;
    const res = await runChild(code, 30_000);
    expect(res.timedOut, `did not exit within 30 s: ${res.stdout}`).toBe(false);
    expect(res.code, res.stderr).toBe(0);
    const done = Number(res.stdout.match(/done at (\d+)/)![1]);
    expect(Date.now() - done, "exit after the last line ran").toBeLessThan(10_000);
  });

  it("process.exit() while a worker is busy in the pool exits at once, without a crash", async () => {
    const code = `
      import { Worker } from "node:worker_threads";
      const w = new Worker(${JSON.stringify(WORKER)}, { eval: true, execArgv: [], workerData: {
        tsx: ${JSON.stringify(TSX_API)}, lib: ${JSON.stringify(LIB)}, workload: ${JSON.stringify(WORKLOAD)}, seed: 1, threads: 2, steps: 100000, repeat: 1, report: true } });
      w.on("message", (m) => { if (m.step === 1) { console.log("exiting"); process.exit(0); } });
    `;
    const res = await runChild(code, 60_000);
    expect(res.timedOut, "hung after process.exit").toBe(false);
    expect(res.signal, res.stderr).toBeNull();
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("exiting");
  });
});
