// Terminating a worker thread while it is inside a native call must not abort the process: N-API
// calls fail once the worker's JS is stopping, and the addon must swallow the error it can no longer
// throw (before the fix: "terminate called after throwing an instance of 'Napi::Error'").
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("worker termination during native calls", () => {
  // Each worker boots tsx, about a second on a loaded 2-core machine: the budget (not a speed check)
  // is the child's own timeout (136-240 s were seen at load 14-20) plus margin.
  it("terminating busy workers 40 times leaves the process alive", { timeout: 450_000 }, () => {
    const code = [
      'import { workerBootstrap } from "./lib/worker/bootstrap.ts";',
      `const entry = new URL(${JSON.stringify(new URL("./fixtures/worker/busy_native.ts", import.meta.url).href)});`,
      "for (let i = 0; i < 40; i++) {",
      "  const w = workerBootstrap(entry, entry, {});",
      "  await new Promise((r) => w.once('message', r));",
      "  await new Promise((r) => setTimeout(r, (i * 7) % 20));",
      "  await w.terminate();",
      "}",
      'console.log("survived");',
    ].join("\n");
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", timeout: 420_000 });
    expect(child.stderr).not.toContain("terminate called");
    expect(child.stdout.trim()).toBe("survived");
    expect(child.status).toBe(0);
  });
});
