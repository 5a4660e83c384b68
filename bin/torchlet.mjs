#!/usr/bin/env node
// `torchlet run`: starts one process per rank for torch.distributed, in the spirit of torchrun.
//   npx torchlet run --nproc-per-node N [--nnodes M --node-rank R --master-addr A --master-port P] script [args...]
// Each child gets RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT (so
// initProcessGroup() with the default env:// finds its peers) and, as torchrun sets OMP_NUM_THREADS,
// TORCHLET_NUM_THREADS=1 unless already set. TypeScript scripts run through tsx (found from the
// working directory). When one child fails, the others are stopped and its exit code is returned.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";

const USAGE = `usage: torchlet run --nproc-per-node N [--nnodes M] [--node-rank R] [--master-addr ADDR] [--master-port PORT] script [args...]`;

function fail(msg) {
  console.error(`torchlet: ${msg}\n${USAGE}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv[0] !== "run") fail(argv.length === 0 ? "missing command" : `unknown command ${JSON.stringify(argv[0])}`);
// Options end at the script: everything after it belongs to the script.
const rest = argv.slice(1);
let split = 0;
while (split < rest.length && rest[split].startsWith("--")) split += rest[split].includes("=") ? 1 : 2;
const { values } = (() => {
  try {
    return parseArgs({
      args: rest.slice(0, split),
      options: {
        "nproc-per-node": { type: "string" }, nnodes: { type: "string", default: "1" }, "node-rank": { type: "string", default: "0" },
        "master-addr": { type: "string", default: "127.0.0.1" }, "master-port": { type: "string", default: "29500" },
      },
    });
  } catch (e) {
    return fail(e.message);
  }
})();
const [script, ...scriptArgs] = rest.slice(split);
if (script === undefined) fail("missing the script to run");

function positiveInt(name, v, min = 1) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}
if (values["nproc-per-node"] === undefined) fail("--nproc-per-node is required");
const nproc = positiveInt("nproc-per-node", values["nproc-per-node"]);
const nnodes = positiveInt("nnodes", values.nnodes);
const nodeRank = positiveInt("node-rank", values["node-rank"], 0);
if (nodeRank >= nnodes) fail(`--node-rank ${nodeRank} must be < --nnodes ${nnodes}`);
const port = positiveInt("master-port", values["master-port"]);

// How to run the script: node for JavaScript, node with tsx's loader for TypeScript.
const execArgs = [];
if (/\.(c|m)?tsx?$/.test(script)) {
  try {
    const tsx = createRequire(join(process.cwd(), "noop.js")).resolve("tsx");
    execArgs.push("--import", new URL(`file://${tsx}`).href);
  } catch {
    fail(`running a TypeScript script needs tsx: \`npm install --save-dev tsx\` (or compile ${script} to JavaScript)`);
  }
}

const world = nproc * nnodes;
const children = [];
let exiting = false;
const stopAll = (signal) => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
};
for (let local = 0; local < nproc; local++) {
  const rank = nodeRank * nproc + local;
  const env = {
    ...process.env, RANK: String(rank), WORLD_SIZE: String(world), LOCAL_RANK: String(local), LOCAL_WORLD_SIZE: String(nproc),
    GROUP_RANK: String(nodeRank), MASTER_ADDR: values["master-addr"], MASTER_PORT: String(port),
  };
  if (env.TORCHLET_NUM_THREADS === undefined) env.TORCHLET_NUM_THREADS = "1";
  const child = spawn(process.execPath, [...execArgs, script, ...scriptArgs], { env, stdio: "inherit" });
  child.on("exit", (code, signal) => {
    if (exiting) return;
    const failed = code !== 0 || signal !== null;
    if (failed) {
      exiting = true;
      console.error(`torchlet: rank ${rank} (local rank ${local}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; stopping the other ranks`);
      stopAll("SIGTERM");
      process.exitCode = code ?? 1;
    }
  });
  children.push(child);
}
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => stopAll(sig));
