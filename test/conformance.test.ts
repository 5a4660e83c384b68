// Runs the PyTorch conformance cases (FORMAT.md) through the runner on every backend that loads here
// (js always, native when the addon loads): any failing case fails the test, with the runner's line
// for it. Skipped cases (an op, signature or dtype torchlet doesn't have yet) are allowed, and counted.
// The cases: the copy vendored in test/fixtures/conformance (CI checks it against its source with
// `npm run conformance:sync -- --check`).
// ref: issue 2 section 5; issue 11 points 0-1; test/conformance/runner.ts, test/conformance/case_dir.ts.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VENDORED_CASES as dir } from "./conformance/case_dir.js";
import { availableBackends, formatOutcome, loadCaseFiles, runConformance } from "./conformance/runner.js";

describe("PyTorch conformance", () => {
  it("finds the case set", () => {
    expect(existsSync(dir), `conformance cases not found at ${dir}`).toBe(true);
  });
  if (!existsSync(dir)) return;
  const files = loadCaseFiles(dir);
  it("has case files", () => expect(files.length).toBeGreaterThan(0));
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
