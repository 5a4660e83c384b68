// Runs the PyTorch conformance cases of ../shared/conformance (FORMAT.md) through the runner on
// every backend that loads here (js always, native when the addon loads): any failing case fails
// the test, with the runner's line for it. Skipped cases (areas not built yet) are allowed, and counted.
// ref: issue 2 section 5; test/conformance/runner.ts.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { availableBackends, formatOutcome, loadCaseFiles, runConformance } from "./conformance/runner.js";

const dir = resolve(dirname(fileURLToPath(import.meta.url)), "../../shared/conformance");

describe("PyTorch conformance", () => {
  it("finds the shared case set", () => {
    expect(existsSync(dir), `conformance cases not found at ${dir}`).toBe(true);
  });
  if (!existsSync(dir)) return;
  const files = loadCaseFiles(dir);
  for (const backend of availableBackends()) {
    for (const file of files) {
      it(`${file.file} [${backend}]`, () => {
        const s = runConformance([file], [backend]);
        const failures = s.outcomes.filter((o) => o.status === "fail").map(formatOutcome);
        if (s.skipped > 0) console.log(`${file.file} [${backend}]: ${s.passed} passed, ${s.skipped} skipped`);
        expect(failures, failures.join("\n")).toEqual([]);
        expect(s.passed + s.skipped).toBe(file.cases.length);
      }, 120_000);
    }
  }
});
