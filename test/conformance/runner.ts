// The conformance runner: loads every *.json case file of a directory, runs each case on each
// chosen backend through the adapter for its kind, and tallies passed / failed / skipped.
// It knows no op: adapters/ map PyTorch calls to torchlet. Never special-cases ids or values.
// ref: test/fixtures/conformance/FORMAT.md; issue 2 section 5.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as torch from "../../lib/index.js";
import { Skip, type Case, type Outcome } from "./types.js";
import { unsupportedDtypeIn } from "./values.js";
import { runFunctionCase } from "./adapters/functions.js";
import { runModuleCase } from "./adapters/modules.js";
import { runOptimizerCase } from "./adapters/optimizers.js";
import { runAutogradCase } from "./adapters/autograd.js";
import { runTrainingCase } from "./adapters/training.js";
import { runInitCase } from "./adapters/init.js";
import { CLIP_PREFIX, runClipGradCase } from "./adapters/clip_grad.js";

export type BackendName = "js" | "native";

export interface CaseFile {
  file: string;
  cases: Case[];
}

/** Every case file of dir, sorted by name (manifest.json is metadata, not cases). */
export function loadCaseFiles(dir: string): CaseFile[] {
  const names = readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "manifest.json").sort();
  return names.map((file) => {
    const parsed = JSON.parse(readFileSync(join(dir, file), "utf8"));
    if (!Array.isArray(parsed)) throw new TypeError(`${file}: expected a JSON array of cases`);
    return { file, cases: parsed as Case[] };
  });
}

/** The adapter for a case, chosen by its op (FORMAT.md "Case kinds"). */
function adapterFor(op: string): ((c: Case) => string[]) | null {
  if (op === "nn.Linear.reset_parameters") return runInitCase;
  // NOTE: kind 7 (torch.nn.utils.*) before the generic torch.* function rule.
  if (op.startsWith(CLIP_PREFIX)) return runClipGradCase;
  if (op.startsWith("torch.") || op.startsWith("Tensor.")) return runFunctionCase;
  if (op.startsWith("nn.")) return runModuleCase;
  if (op.startsWith("optim.")) return runOptimizerCase;
  if (op.startsWith("autograd.")) return runAutogradCase;
  if (op === "train.loop") return runTrainingCase;
  return null;
}

/** Runs one case on the current backend. */
export function runCase(c: Case): { status: Outcome["status"]; detail?: string } {
  const adapter = adapterFor(c.op);
  if (adapter === null) return { status: "skip", detail: `no adapter for op ${c.op}` };
  // NOTE: a case that names a dtype torchlet lacks anywhere (an input, a torch_dtype argument, or
  // only the expected result) isn't built yet; decodeTensor would skip on inputs alone.
  const dtype = unsupportedDtypeIn(c);
  if (dtype !== null) return { status: "skip", detail: dtype };
  // NOTE: a fixed seed per case keeps random modules (Dropout, init) repeatable run to run.
  torch.manualSeed(0);
  try {
    const diffs = torch.isGradEnabled() ? adapter(c) : torch.enableGrad(() => adapter(c));
    return diffs.length === 0 ? { status: "pass" } : { status: "fail", detail: diffs.join("; ") };
  } catch (e) {
    if (e instanceof Skip) return { status: "skip", detail: e.message };
    const err = e as Error;
    return { status: "fail", detail: `threw ${err?.name ?? "error"}: ${err?.message ?? String(e)}` };
  }
}

/** Backends that can run here: js always, native when setBackend("native") succeeds. */
export function availableBackends(): BackendName[] {
  const prev = torch.backendInfo().name;
  const out: BackendName[] = ["js"];
  try {
    torch.setBackend("native");
    out.push("native");
  } catch {
    // the addon isn't built or can't load here
  } finally {
    torch.setBackend(prev);
  }
  return out;
}

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  outcomes: Outcome[];
}

/** Runs every case of every file on each backend; onOutcome sees each result as it happens. */
export function runConformance(files: CaseFile[], backends: BackendName[], onOutcome?: (o: Outcome) => void): Summary {
  const prev = torch.backendInfo().name;
  const outcomes: Outcome[] = [];
  try {
    for (const backend of backends) {
      torch.setBackend(backend);
      for (const { file, cases } of files) {
        for (const c of cases) {
          const o: Outcome = { file, id: c.id, backend, ...runCase(c) };
          outcomes.push(o);
          onOutcome?.(o);
        }
      }
    }
  } finally {
    torch.setBackend(prev);
  }
  const count = (s: Outcome["status"]) => outcomes.filter((o) => o.status === s).length;
  return { passed: count("pass"), failed: count("fail"), skipped: count("skip"), outcomes };
}

/** The one line the CLI prints for a failing (or, verbosely, skipped) case. */
export function formatOutcome(o: Outcome): string {
  return `${o.file} ${o.id}[${o.backend}]: ${o.status === "skip" ? "SKIPPED " : ""}${o.detail ?? ""}`;
}

export function summaryLine(s: Summary): string {
  return `conformance: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}
