// The vendored conformance cases (test/fixtures/conformance, what a clone with nothing beside it
// runs) must be an exact copy of ../shared/conformance whenever both exist: same file names, same
// bytes. Without ../shared (a user's clone) there is nothing to compare and the test is skipped.
// ref: issue 11 point 1; test/conformance/case_dir.ts; `npm run conformance:sync` refreshes the copy.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffCaseDirs, SHARED_CASES, VENDORED_CASES } from "./conformance/case_dir.js";

describe("vendored conformance cases", () => {
  it("exist in the repository", () => {
    expect(existsSync(VENDORED_CASES), `${VENDORED_CASES} is missing; run \`npm run conformance:sync\``).toBe(true);
  });
  it.skipIf(!existsSync(SHARED_CASES))("are the same files, byte for byte, as ../shared/conformance", () => {
    const diffs = diffCaseDirs(SHARED_CASES, VENDORED_CASES);
    expect(diffs, `test/fixtures/conformance differs from ${SHARED_CASES}; run \`npm run conformance:sync\`:\n${diffs.join("\n")}`).toEqual([]);
  });
});
