// Where the conformance cases live: the copy vendored in test/fixtures/conformance, which every
// test and `npm run conformance` read, so a clone with nothing beside it runs them.
// `npm run conformance:sync` refreshes the copy from its source (scripts/conformance_sync.ts).
import { readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const VENDORED_CASES = join(REPO_ROOT, "test/fixtures/conformance");

/** The plain files of a case directory (the cases, manifest.json, FORMAT.md), sorted by name. */
export function caseDirFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => !f.startsWith(".") && statSync(join(dir, f)).isFile()).sort();
}
