// The default generator's seed: random per process as PyTorch's (torch.initial_seed() differs between
// runs) unless manualSeed is called; `new Generator()` keeps PyTorch's fixed default seed; torch.seed()
// reseeds from the OS. ref: PyTorch 1.13 torch/random.py, c10/core/GeneratorImpl.cpp.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";
import * as torch from "../lib/index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const RANDOM = pathToFileURL(join(here, "..", "lib", "ops", "random.ts")).href;

/** A fresh process's initialSeed() and first rand() draws. */
async function freshProcess(): Promise<{ seed: number; draws: number[] }> {
  const code = `const r = await import(${JSON.stringify(RANDOM)});
    const seed = r.initialSeed();
    console.log(JSON.stringify({ seed, draws: Array.from(r.fillUniform([4], 0, 1).typedArray) }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: join(here, "..") });
  return JSON.parse(stdout.trim());
}

describe("default generator seeding", () => {
  it("starts from a different random seed in every process, so unseeded draws differ", async () => {
    const [a, b] = await Promise.all([freshProcess(), freshProcess()]);
    for (const s of [a.seed, b.seed]) expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
    expect(a.seed).not.toBe(b.seed);
    expect(a.draws).not.toEqual(b.draws);
  }, 60_000);

  it("a freshly loaded library gets a fresh seed (the module-level generator)", async () => {
    vi.resetModules();
    const again = await import("../lib/ops/random.js");
    expect(again.defaultGenerator).not.toBe(torch.defaultGenerator);
    expect(again.initialSeed()).not.toBe(torch.initialSeed());
  });

  it("manualSeed(initialSeed()) replays the run from its start", () => {
    const seed = torch.seed(); // what an unseeded process starts with
    expect(torch.initialSeed()).toBe(seed);
    const first = torch.rand(6).tolist();
    torch.manualSeed(torch.initialSeed());
    expect(torch.rand(6).tolist()).toEqual(first);
  });

  it("manualSeed sets initialSeed; torch.seed() picks a new random one", () => {
    torch.manualSeed(1234);
    expect(torch.initialSeed()).toBe(1234);
    const s1 = torch.seed(), s2 = torch.seed();
    expect(s1).not.toBe(s2);
    expect(torch.initialSeed()).toBe(s2);
  });

  it("new Generator() starts from PyTorch's fixed default seed; Generator.seed() reseeds it", () => {
    // python: torch.Generator().initial_seed() == 67280421310721
    expect(new torch.Generator().initialSeed()).toBe(67280421310721);
    const g = new torch.Generator();
    const a = torch.rand(3, { generator: g }).tolist();
    expect(torch.rand(3, { generator: new torch.Generator() }).tolist()).toEqual(a);
    const s = g.seed();
    expect(g.initialSeed()).toBe(s);
    expect(torch.rand(3, { generator: new torch.Generator(s) }).tolist()).toEqual(torch.rand(3, { generator: g }).tolist());
  });
});
