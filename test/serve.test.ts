// examples/serve.ts, run as a user runs it (a child process): answers equal the model's own
// probabilities, concurrent requests (batched together) each get their own answer, bad requests get
// 4xx with a reason, and it keeps answering while a training run works in the same process.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { NeuralNetwork } from "../examples/lib/model.js";

const dir = mkdtempSync(join(tmpdir(), "torchlet-serve-"));
const weights = join(dir, "model.safetensors");
const children: ChildProcess[] = [];

function serve(...args: string[]): Promise<{ port: number; log: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/serve.ts", "--weights", weights, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", () => {
      const m = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), log: () => out });
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

async function http(port: number, path: string, body?: string, method = body === undefined ? "GET" : "POST"): Promise<{ status: number; json: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, body });
  return { status: res.status, json: await res.json() };
}

function image(seed: number): number[][] {
  return Array.from({ length: 28 }, (_, r) => Array.from({ length: 28 }, (_, c) => ((r * 31 + c * 7 + seed * 13) % 97) / 96));
}

let model: NeuralNetwork;
beforeAll(() => {
  torch.manualSeed(3);
  model = new NeuralNetwork();
  torch.save(model.stateDict(), weights);
});
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run serve", () => {
  it("answers with the model's probabilities, each concurrent request its own, batched", async () => {
    const { port } = await serve();
    expect((await http(port, "/health")).json).toEqual({ ok: true });
    const images = Array.from({ length: 24 }, (_, i) => image(i));
    const answers = await Promise.all(images.map((img) => http(port, "/predict", JSON.stringify({ image: img }))));
    const expected = torch.noGrad(() => torch.softmax(model(torch.tensor(images).reshape([24, 1, 28, 28])), 1)).tolist() as number[][];
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      expect(a.json.probabilities).toHaveLength(10);
      a.json.probabilities.forEach((p: number, k: number) => expect(p).toBeCloseTo(expected[i][k], 6));
      expect(a.json.class).toBe(expected[i].indexOf(Math.max(...expected[i])));
      expect(a.json.label).toBe(torch.vision.datasets.FashionMNIST.classes[a.json.class]);
    });
    // The flat form and the bare array are the same request.
    const flat = await http(port, "/predict", JSON.stringify(images[0].flat()));
    expect(flat.json.class).toBe(answers[0].json.class);
    // A PNG of the same pixels (FashionMNIST's first image, written by PIL) is the same request.
    const png = readFileSync(new URL("./fixtures/png/fashion0_gray.png", import.meta.url));
    const first = (new torch.vision.datasets.FashionMNIST({ root: "data", train: true }).get(0) as [torch.vision.Image, number])[0];
    const viaPng = await fetch(`http://127.0.0.1:${port}/predict`, { method: "POST", body: png, headers: { "content-type": "image/png" } });
    const viaJson = await http(port, "/predict", JSON.stringify(Array.from(first.data, (v) => v / 255)));
    expect((await viaPng.json()).probabilities).toEqual(viaJson.json.probabilities);
    const notPng = await fetch(`http://127.0.0.1:${port}/predict`, { method: "POST", body: "nope", headers: { "content-type": "image/png" } });
    expect([notPng.status, (await notPng.json()).error]).toEqual([400, "decodePng: not a PNG file (bad signature)"]);
    const stats = (await http(port, "/stats")).json;
    expect(stats.served).toBe(27);
    // 24 requests at once can't all have gone one by one... unless the model kept up; both are fine,
    // but every request is counted in exactly one batch.
    const counted = Object.entries(stats.batchSizes as Record<string, number>).reduce((s, [size, n]) => s + Number(size) * n, 0);
    expect(counted).toBe(27);
  });

  it("refuses bad requests with a status and a reason", async () => {
    const { port } = await serve("--max-batch", "4");
    expect(await http(port, "/predict", "not json")).toEqual({ status: 400, json: { error: "the body is not JSON" } });
    expect((await http(port, "/predict", JSON.stringify({ image: [1, 2, 3] }))).json.error).toMatch(/expected 28x28 = 784 numbers/);
    expect((await http(port, "/predict", JSON.stringify({ image: Array(784).fill("x") }))).json.error).toMatch(/finite number/);
    expect((await http(port, "/predict", JSON.stringify({ nothing: 1 }))).status).toBe(400);
    expect((await http(port, "/nowhere")).status).toBe(404);
    expect((await http(port, "/predict")).status).toBe(405);
    expect(await http(port, "/predict", "x".repeat((1 << 20) + 10))).toEqual({ status: 413, json: { error: "request body over 1048576 bytes" } });
    expect((await http(port, "/predict", JSON.stringify(image(1)))).status).toBe(200);
  });

  it("keeps answering while a training run works in the same process", async () => {
    const out = join(dir, "trained");
    const { port, log } = await serve(`--train=--epochs 1 --limit-batches 40 --out ${out}`);
    let answered = 0;
    while (!log().includes("the training run finished")) {
      expect((await http(port, "/predict", JSON.stringify(image(answered)))).status).toBe(200);
      answered++;
      expect(log()).not.toMatch(/training run failed/);
    }
    expect(answered).toBeGreaterThan(1);
    expect(existsSync(join(out, "model.safetensors"))).toBe(true);
  });

  it("says what to do when there are no weights", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "examples/serve.ts", "--weights", join(dir, "none.safetensors"), "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(1);
    expect(err).toMatch(/^serve: no such weights file: .*none.safetensors/);
  });
});
