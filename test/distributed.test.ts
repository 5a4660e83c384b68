// torch.distributed on gloo, with real processes: every collective against a serial reference at
// 2 and 4 ranks, DDP against single-process training, a dead peer and a missing peer failing within
// the timeout, and two "machines" (launchers with distinct node ranks) meeting over TCP.
// Skipped, with the reason, where torchlet_dist.node is not built (gloo not installed).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { DDP_STEPS, GLOBAL_BATCH, LR, ddpData, ddpModel } from "./fixtures/distributed/ddp_setup.js";

const available = torch.distributed.isAvailable();
if (!available) console.warn(`distributed tests skipped: ${torch.distributed.unavailableReason()}`);

const dir = mkdtempSync(join(tmpdir(), "torchlet-dist-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Launch {
  nproc: number;
  scenario: string;
  port: number;
  nnodes?: number;
  nodeRank?: number;
  timeoutMs?: number;
}

let runs = 0;
/** Runs the launcher; resolves with its exit code, stderr and the ranks' JSON results. */
function launch(l: Launch, out = join(dir, `run${runs++}`)): Promise<{ code: number | null; stderr: string; out: string }> {
  const args = ["bin/torchlet.mjs", "run", "--nproc-per-node", String(l.nproc), "--master-port", String(l.port)];
  if (l.nnodes !== undefined) args.push("--nnodes", String(l.nnodes), "--node-rank", String(l.nodeRank ?? 0));
  args.push("test/fixtures/distributed/worker.ts", l.scenario, out);
  const env = { ...process.env, TEST_DIST_TIMEOUT: String(l.timeoutMs ?? 30000) };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stderr, out }));
  });
}

function result(out: string, rank: number): Record<string, any> {
  const f = `${out}.${rank}.json`;
  expect(existsSync(f), `rank ${rank} wrote no result`).toBe(true);
  return JSON.parse(readFileSync(f, "utf8"));
}

/** Single-process training with the same model, data and global batch. */
function reference(): number[][] {
  torch.manualSeed(0);
  const model = ddpModel();
  const opt = new torch.optim.SGD(model.parameters(), { lr: LR });
  const { x, y } = ddpData();
  for (let step = 0; step < DDP_STEPS; step++) {
    const at = (step * GLOBAL_BATCH) % x.shape[0];
    opt.zeroGrad();
    torch.nn.functional.mseLoss(model(x.index(`${at}:${at + GLOBAL_BATCH}`)), y.index(`${at}:${at + GLOBAL_BATCH}`)).backward();
    opt.step();
  }
  return model.parameters().map((p) => (p.tolist() as number[] | number[][]).flat());
}

const flat = (params: unknown[]) => params.map((p) => (p as number[] | number[][]).flat());

describe.skipIf(!available)("torch.distributed (gloo, real processes)", () => {
  for (const nproc of [2, 4]) {
    it(`every collective matches its serial reference at ${nproc} ranks`, async () => {
      const r = await launch({ nproc, scenario: "collectives", port: await freePort() });
      expect(r.code, r.stderr).toBe(0);
      for (let rank = 0; rank < nproc; rank++) expect(result(r.out, rank).failures).toEqual([]);
    }, 120_000);
  }

  it("DDP at world size 2 (and 4) trains to the same parameters as one process with the global batch", async () => {
    const want = reference();
    for (const [nproc, scenario] of [[2, "ddp"], [4, "ddp"], [2, "ddp-accumulate"]] as const) {
      const r = await launch({ nproc, scenario, port: await freePort() });
      expect(r.code, r.stderr).toBe(0);
      const rank0 = flat(result(r.out, 0).params);
      for (let rank = 0; rank < nproc; rank++) {
        const res = result(r.out, rank);
        // Identical replicas: every rank holds exactly rank 0's parameters.
        expect(flat(res.params)).toEqual(rank0);
        expect(res.keys[0].startsWith("module.")).toBe(true);
      }
      rank0.forEach((p, i) => p.forEach((v, j) => expect(Math.abs(v - want[i][j]), `${scenario} x${nproc}, param ${i}[${j}]`).toBeLessThan(1e-4)));
    }
  }, 240_000);

  it("a rank that dies makes the others fail with a clear error, not hang", async () => {
    const r = await launch({ nproc: 2, scenario: "peer-dies", port: await freePort(), timeoutMs: 5000 });
    const res = result(r.out, 0);
    expect(res.error).toMatch(/closed|timed out|Timed out|reset|peer/i);
    expect(res.ms).toBeLessThan(30_000);
  }, 60_000);

  it("a peer that never arrives makes the rendezvous fail within the timeout", async () => {
    const port = await freePort();
    const out = join(dir, "lonely");
    // Node rank 0 of two nodes, started alone.
    const r = await launch({ nproc: 1, nnodes: 2, nodeRank: 0, scenario: "init-timeout", port, timeoutMs: 2000 }, out);
    expect(r.code, r.stderr).toBe(0);
    const res = result(out, 0);
    expect(res.error).toMatch(/timed out/);
    expect(res.ms).toBeLessThan(20_000);
  }, 60_000);

  it("two launchers with distinct node ranks meet over TCP and run every collective", async () => {
    const port = await freePort();
    const out = join(dir, "twonodes");
    const [a, b] = await Promise.all([
      launch({ nproc: 2, nnodes: 2, nodeRank: 0, scenario: "collectives", port }, out),
      launch({ nproc: 2, nnodes: 2, nodeRank: 1, scenario: "collectives", port }, out),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    for (let rank = 0; rank < 4; rank++) {
      const res = result(out, rank);
      expect(res.size).toBe(4);
      expect(res.failures).toEqual([]);
    }
  }, 120_000);
});

/** Runs `npm run train` (examples/train.ts) with argv; resolves with its exit code and output. */
function trainCli(argv: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "examples/train.ts", ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe.skipIf(!available)("npm run train -- --nproc 2", () => {
  it("trains the lecture's model data-parallel to the single-process model", async () => {
    const common = ["--epochs", "2", "--limit-batches", "20", "--batch-size", "64", "--lr", "0.05", "--data", "data"];
    const one = await trainCli([...common, "--out", join(dir, "train1")]);
    expect(one.code, one.output).toBe(0);
    const two = await trainCli([...common, "--nproc", "2", "--out", join(dir, "train2")]);
    expect(two.code, two.output).toBe(0);
    expect(two.output).toMatch(/data-parallel in 2 processes/);
    // Rank 0 alone reports: one summary line per epoch.
    expect(two.output.match(/mean train loss/g)?.length).toBe(2);
    const a = torch.load(join(dir, "train1", "model.safetensors")) as Record<string, torch.Tensor>;
    const b = torch.load(join(dir, "train2", "model.safetensors")) as Record<string, torch.Tensor>;
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(a[k].sub(b[k]).abs().max().item(), k).toBeLessThan(1e-5);
    const m1 = JSON.parse(readFileSync(join(dir, "train1", "metrics.json"), "utf8"));
    const m2 = JSON.parse(readFileSync(join(dir, "train2", "metrics.json"), "utf8"));
    m1.epochs.forEach((e: { trainLoss: number; testAccuracy: number }, i: number) => {
      expect(Math.abs(m2.epochs[i].trainLoss - e.trainLoss)).toBeLessThan(1e-4);
      expect(m2.epochs[i].testAccuracy).toBe(e.testAccuracy);
    });
    // Two "machines": a launcher per node rank, meeting over TCP, as --help shows.
    const port = String(await freePort());
    const node = (r: number) => new Promise<{ code: number | null; output: string }>((resolve) => {
      const args = ["bin/torchlet.mjs", "run", "--nnodes", "2", "--node-rank", String(r), "--nproc-per-node", "1",
        "--master-addr", "127.0.0.1", "--master-port", port, "examples/train.ts", ...common, "--out", join(dir, "train-nodes")];
      const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.on("exit", (code) => resolve({ code, output }));
    });
    const nodes = await Promise.all([node(0), node(1)]);
    nodes.forEach((n) => expect(n.code, n.output).toBe(0));
    const c = torch.load(join(dir, "train-nodes", "model.safetensors")) as Record<string, torch.Tensor>;
    for (const k of Object.keys(a)) expect(a[k].sub(c[k]).abs().max().item(), k).toBeLessThan(1e-5);
    // A batch that does not split evenly is refused before anything starts.
    const odd = await trainCli([...common, "--nproc", "3"]);
    expect(odd.code).toBe(2);
    expect(odd.output).toMatch(/--batch-size 64 must be divisible by --nproc 3/);
  }, 180_000);
});

describe("torchlet without gloo", () => {
  it("loads and computes; isAvailable() is false and says what to install; --nproc says the same", async () => {
    // A process whose distributed addon is missing, as on a machine without libgloo-dev.
    const env = { ...process.env, TORCHLET_DIST_ADDON_PATH: join(dir, "no-such-addon.node") };
    const code = `import * as torch from "./lib/index.js";
      console.log(JSON.stringify({ sum: torch.ones(3).sum().item(), available: torch.distributed.isAvailable(),
        reason: torch.distributed.unavailableReason(), gloo: torch.distributed.isGlooAvailable() }));`;
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { env, stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("exit", (c) => resolve({ code: c, out }));
    });
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out);
    expect(res).toMatchObject({ sum: 3, available: false, gloo: false });
    expect(res.reason).toMatch(/libgloo-dev/);
    const train = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "examples/train.ts", "--nproc", "2"], { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stderr.on("data", (d) => (out += d));
      child.on("exit", (c) => resolve({ code: c, out }));
    });
    expect(train.code).toBe(1);
    expect(train.out).toMatch(/--nproc needs torch.distributed: .*libgloo-dev/);
  }, 60_000);
});

describe("torch.distributed without a process group", () => {
  it("answers as PyTorch does before initProcessGroup", async () => {
    expect(torch.distributed.isInitialized()).toBe(false);
    expect(() => torch.distributed.getRank()).toThrow("Default process group has not been initialized");
    expect(() => torch.distributed.allReduce(torch.ones(2))).toThrow("Default process group has not been initialized");
    await expect(torch.distributed.initProcessGroup({ backend: "nccl" })).rejects.toThrow("Distributed package doesn't have NCCL built in");
    if (available) {
      await expect(torch.distributed.initProcessGroup({ initMethod: "tcp://127.0.0.1:1", worldSize: 2 })).rejects.toThrow("rank parameter missing");
      await expect(torch.distributed.initProcessGroup({ initMethod: "tcp://127.0.0.1:1", rank: 2, worldSize: 2 })).rejects.toThrow("Invalid rank 2");
    } else {
      expect(torch.distributed.unavailableReason()).toMatch(/libgloo-dev/);
    }
  });
});
