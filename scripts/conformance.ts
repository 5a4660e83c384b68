// CLI: `npm run conformance -- [DIR] [--backend js|native|all] [--verbose]` runs every PyTorch
// conformance case in DIR (default: the vendored test/fixtures/conformance) and prints one line per failing case, then
// `conformance: N passed, N failed, N skipped`. Exit code 1 iff a case failed.
// ref: issue 2 section 5; the runner itself is test/conformance/runner.ts.
import { relative, resolve } from "node:path";
import { REPO_ROOT, VENDORED_CASES } from "../test/conformance/case_dir.js";
import { availableBackends, formatOutcome, loadCaseFiles, runConformance, summaryLine, type BackendName } from "../test/conformance/runner.js";

function usage(msg: string): never {
  console.error(`conformance: ${msg}\nusage: npm run conformance -- [DIR] [--backend js|native|all] [--verbose]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { dir: string; backend: string; verbose: boolean } {
  let dir: string | undefined;
  let backend = "all";
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--backend") backend = argv[++i] ?? usage("--backend needs a value");
    else if (a.startsWith("--backend=")) backend = a.slice("--backend=".length);
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a.startsWith("-")) usage(`unknown option ${a}`);
    else if (dir === undefined) dir = a;
    else usage(`unexpected argument ${a}`);
  }
  return { dir: dir === undefined ? VENDORED_CASES : resolve(dir), backend, verbose };
}

const { dir, backend, verbose } = parseArgs(process.argv.slice(2));
const available = availableBackends();
let backends: BackendName[];
if (backend === "all") backends = available;
else if (backend === "js" || backend === "native") {
  if (!available.includes(backend)) usage(`backend ${backend} is not available here (available: ${available.join(", ")})`);
  backends = [backend];
} else usage(`unknown backend ${backend}`);

let files: ReturnType<typeof loadCaseFiles>;
try {
  files = loadCaseFiles(dir);
} catch (e) {
  usage(`cannot read cases from ${dir}: ${(e as Error).message}`);
}
if (files.length === 0) usage(`no *.json case files in ${dir}`);
console.log(`conformance: cases from ${relative(REPO_ROOT, dir) || "."}`);

const summary = runConformance(files, backends, (o) => {
  if (o.status === "fail" || (verbose && o.status === "skip")) console.log(formatOutcome(o));
});
if (!verbose && summary.skipped > 0) {
  // One line per distinct reason keeps the skip list readable (--verbose lists every case).
  const reasons = new Map<string, number>();
  for (const o of summary.outcomes) if (o.status === "skip") reasons.set(o.detail ?? "", (reasons.get(o.detail ?? "") ?? 0) + 1);
  for (const [reason, n] of reasons) console.log(`skipped ${n}: ${reason}`);
}
// NOTE: the library's PyTorch-style warnings (process.emitWarning) print on a later tick; let them
// go first so the summary stays the last line even with stderr merged in.
await new Promise((r) => setImmediate(r));
console.log(summaryLine(summary));
process.exitCode = summary.failed > 0 ? 1 : 0;
