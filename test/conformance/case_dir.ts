// Where the conformance cases come from: ../shared/conformance beside the repository when it exists
// (CI and the generator's machine), otherwise the copy vendored in test/fixtures/conformance (a
// user's clone). `npm run conformance:sync` refreshes the copy; test/conformance_sync.test.ts fails
// when the two differ while both exist.
// ref: FORMAT.md ("regenerated as a whole"); scripts/conformance_sync.ts.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED_CASES = resolve(REPO_ROOT, "../shared/conformance");
export const VENDORED_CASES = join(REPO_ROOT, "test/fixtures/conformance");

/** The case directory to run: the shared one when it exists, else the vendored copy. */
export function defaultCaseDir(): { dir: string; source: "shared" | "vendored" } {
  return existsSync(SHARED_CASES) ? { dir: SHARED_CASES, source: "shared" } : { dir: VENDORED_CASES, source: "vendored" };
}

/** The plain files of a case directory (the cases, manifest.json, FORMAT.md), sorted by name. */
export function caseDirFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => !f.startsWith(".") && statSync(join(dir, f)).isFile()).sort();
}

/** How `copy` differs from `source`, file by file (names, then bytes): one line each, [] if equal. */
export function diffCaseDirs(source: string, copy: string): string[] {
  const want = caseDirFiles(source);
  const have = new Set(caseDirFiles(copy));
  const diffs: string[] = [];
  for (const f of want) {
    if (!have.has(f)) diffs.push(`${f}: missing from the copy`);
    else if (!readFileSync(join(source, f)).equals(readFileSync(join(copy, f)))) diffs.push(`${f}: contents differ`);
    have.delete(f);
  }
  for (const f of have) diffs.push(`${f}: only in the copy`);
  return diffs;
}
