// lib/gc_tuning.ts: the heap growing factor torchlet sets in V8 (room for ~96 MB of dead tensors
// between mark-compacts, factor 2 to 5), how it is reported, and the two ways to keep V8's own.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { growingPercentFor } from "../lib/gc_tuning.js";

const MB = 2 ** 20;
const lib = fileURLToPath(new URL("../lib/index.ts", import.meta.url));

describe("GC tuning", () => {
  it("leaves room for ~96 MB of dead tensors above a small heap, factor 2 to 5, in steps of 25%", () => {
    expect(growingPercentFor(10 * MB)).toBe(400); // 960% wanted, capped at factor 5
    expect(growingPercentFor(32 * MB)).toBe(300);
    expect(growingPercentFor(40 * MB)).toBe(250); // 240% rounded up to the next step
    expect(growingPercentFor(96 * MB)).toBe(100);
    expect(growingPercentFor(2048 * MB)).toBe(100); // never below V8's factor 2 (Go's GOGC=100)
    expect(growingPercentFor(0)).toBe(400);
  });

  const child = (nodeArgs: string[], env: Record<string, string> = {}) => {
    const code = `const t = require(${JSON.stringify(lib)}); console.log(JSON.stringify(t.backendInfo().gcTuning));`;
    const r = spawnSync(process.execPath, [...nodeArgs, "--import", "tsx", "-e", code], {
      env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    // NOTE: V8 warns on stderr about a flag it doesn't know; the tuning must not cause one.
    expect(r.stderr).not.toMatch(/flag/i);
    return JSON.parse(r.stdout) as string;
  };

  it("is set by the main thread only: a worker thread reports so", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-gc-"));
    const worker = join(dir, "worker.cjs");
    writeFileSync(worker, `const t = require(${JSON.stringify(lib)});
      require("node:worker_threads").parentPort.postMessage(t.backendInfo().gcTuning);`);
    const code = `const w = new (require("node:worker_threads").Worker)(${JSON.stringify(worker)});
      w.on("message", (m) => { console.log(JSON.stringify(m)); w.terminate(); });`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { env: { ...process.env, TORCHLET_GC_TUNING: "" }, encoding: "utf8", timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toBe("left to the main thread (this is a worker thread)");
  });

  it("is applied on import and reported by backendInfo(); TORCHLET_GC_TUNING=0 or the process's own flag keeps V8's", () => {
    expect(child([], { TORCHLET_GC_TUNING: "" })).toMatch(/^heap growing factor [2-5](\.\d+)? \(--heap-growing-percent=\d+, from the heap's size\)$/);
    expect(child([], { TORCHLET_GC_TUNING: "0" })).toBe("off (TORCHLET_GC_TUNING=0)");
    expect(child(["--heap-growing-percent=50"])).toBe("off (the process sets --heap-growing-percent itself)");
  });
});
