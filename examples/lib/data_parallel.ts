// `npm run train -- --nproc N`: the training run in N processes, as PyTorch users write it with
// DistributedDataParallel and torchrun. The first process (no RANK in its environment) starts N ranks
// through the package's launcher (bin/torchlet.mjs) and returns their exit status; each rank joins
// the group (env://) and trains its share of every batch (see run.ts).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as torch from "../../lib/index.js";

/** This process's place in a data-parallel run. */
export interface DataParallel {
  rank: number;
  worldSize: number;
}

const here = dirname(fileURLToPath(import.meta.url));

/** True inside a rank started by the launcher. */
export function isLaunchedRank(): boolean {
  return process.env.RANK !== undefined && process.env.WORLD_SIZE !== undefined;
}

/** Why a data-parallel run of `worldSize` processes (default: the launcher's WORLD_SIZE) cannot
 *  start here, or null. */
export function dataParallelProblem(batchSize: number, worldSize = Number(process.env.WORLD_SIZE)): string | null {
  if (!torch.distributed.isAvailable()) return `--nproc needs torch.distributed: ${torch.distributed.unavailableReason()}`;
  if (batchSize % worldSize !== 0) {
    return `--batch-size ${batchSize} must be divisible by the number of processes (${worldSize}): each takes an equal share of the batch`;
  }
  return null;
}

/** Starts `nproc` ranks running this CLI with the same arguments; resolves to their exit status. */
export async function launchRanks(nproc: number, argv: readonly string[]): Promise<number> {
  const port = await freePort();
  const launcher = resolve(here, "../../bin/torchlet.mjs");
  const entry = join(here, "..", "train.ts");
  const child = spawn(process.execPath, [launcher, "run", "--nproc-per-node", String(nproc), "--master-port", String(port), entry, ...argv], {
    stdio: "inherit",
  });
  // NOTE: Ctrl-C reaches the whole process group; the launcher stops its ranks, we wait for it.
  return new Promise((done) => child.on("exit", (code, signal) => done(code ?? (signal ? 1 : 0))));
}

/** Joins the group the launcher described in the environment. */
export async function joinGroup(): Promise<DataParallel> {
  await torch.distributed.initProcessGroup({ backend: "gloo" });
  return { rank: torch.distributed.getRank(), worldSize: torch.distributed.getWorldSize() };
}

/** A TCP port nothing listens on now (the store of rank 0 binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}
