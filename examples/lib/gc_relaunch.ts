// Runs the training under `node --single-threaded-gc` where torchlet's kernel threads take every
// core: this process starts the same command again with the flag, forwards Ctrl-C / SIGTERM to it,
// and exits with its status.
// Why: V8 marks the heap concurrently on helper threads. A training step allocates tens of MB of
// tensor storage (external memory, which starts those markings), and on a machine whose every core
// runs a kernel thread the helpers preempt one of them, so the whole parallel kernel waits for it.
// On 2 cores at 2 threads the CNN's epoch took 36.3 s with concurrent marking and 25.2 s without
// (same losses; peak RSS 522 -> 700 MB); at 1 thread, with a core left for the helpers, the flag
// cost ~5%, hence only where the threads cover the cores. V8's flags can't change safely once the
// process runs (changing them in flight aborted V8), hence a new process. Not for library code: a
// program built on torchlet chooses its own Node flags (README, "Performance").
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import * as torch from "../../lib/index.js";
import type { TrainOptions } from "./args.js";

const FLAG = "--single-threaded-gc";
/** Set in the relaunched process, and by a user who wants V8's default GC (any value). */
const OPT_OUT = "TORCHLET_TRAIN_DEFAULT_GC";

/** Whether this run should go to a process with FLAG: native kernels on at least as many threads as cores. */
export function wantsSingleThreadedGc(options: TrainOptions, cores = availableParallelism()): boolean {
  if (process.execArgv.includes(FLAG) || process.env[OPT_OUT] !== undefined) return false;
  const native = options.backend === "native" || (options.backend === undefined && torch.availableBackends().includes("native"));
  if (!native) return false;
  return (options.threads ?? torch.getNumThreads()) >= cores;
}

/** Runs this command again under FLAG; resolves to its exit status (1 if it died of a signal). */
export function relaunchWithSingleThreadedGc(): Promise<number> {
  const child = spawn(process.execPath, [FLAG, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [OPT_OUT]: "relaunched" },
  });
  // NOTE: a signal sent to this process alone (not its group) must still stop the run.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of ["SIGINT", "SIGTERM"] as const) process.on(s, forward);
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}
