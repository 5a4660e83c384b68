// `npm run conformance:sync [-- --check]`: makes test/fixtures/conformance an exact copy of
// ../shared/conformance (every plain file: the case files, manifest.json, FORMAT.md; files gone
// from the source are deleted), so a clone with nothing beside it still runs the cases.
// --check changes nothing and exits 1 when the copy is stale (CI runs it: .ci/run). Without
// ../shared it says so, exit 2. The only code of the repository that reads ../shared.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { caseDirFiles, REPO_ROOT, VENDORED_CASES } from "../test/conformance/case_dir.js";

const SHARED_CASES = resolve(REPO_ROOT, "../shared/conformance");

/** How `copy` differs from `source`, file by file (names, then bytes): one line each, [] if equal. */
function diffCaseDirs(source: string, copy: string): string[] {
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

const check = process.argv.slice(2).includes("--check");
const rel = (p: string) => relative(REPO_ROOT, p) || ".";

if (!existsSync(SHARED_CASES)) {
  console.error(`conformance:sync: no ${rel(SHARED_CASES)} here; the vendored copy ${rel(VENDORED_CASES)} stays as it is`);
  process.exit(2);
}
mkdirSync(VENDORED_CASES, { recursive: true });
const diffs = diffCaseDirs(SHARED_CASES, VENDORED_CASES);
if (diffs.length === 0) {
  console.log(`conformance:sync: ${rel(VENDORED_CASES)} is up to date with ${rel(SHARED_CASES)}`);
} else if (check) {
  for (const d of diffs) console.log(`  ${d}`);
  console.error(`conformance:sync: ${rel(VENDORED_CASES)} differs from ${rel(SHARED_CASES)}; run \`npm run conformance:sync\``);
  process.exitCode = 1;
} else {
  const keep = new Set(caseDirFiles(SHARED_CASES));
  for (const f of caseDirFiles(VENDORED_CASES)) if (!keep.has(f)) rmSync(join(VENDORED_CASES, f));
  for (const f of keep) copyFileSync(join(SHARED_CASES, f), join(VENDORED_CASES, f));
  for (const d of diffs) console.log(`  ${d}`);
  console.log(`conformance:sync: copied ${keep.size} files from ${rel(SHARED_CASES)} to ${rel(VENDORED_CASES)}`);
}
