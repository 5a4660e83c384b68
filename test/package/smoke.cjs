// CommonJS smoke program of `npm run test:package`: `require("torchlet")` from an installed tarball;
// trains on the main thread and in two worker threads at once, prints the kernels in use, exits 1
// on any problem. Run from the temporary project the test installs into.
"use strict";
const { Worker } = require("node:worker_threads");
const path = require("node:path");
const torch = require("torchlet");
const { report, train } = require("./train.cjs");

function inWorker(label) {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, "worker.cjs"), { workerData: { label } });
    w.once("message", resolve);
    w.once("error", reject);
    w.once("exit", (code) => reject(new Error(`${label} exited with code ${code} before reporting`)));
  });
}

async function main() {
  const runs = [train(torch, "cjs main")];
  runs.push(...(await Promise.all([inWorker("cjs worker 1"), inWorker("cjs worker 2")])));
  const problems = report(runs);
  for (const p of problems) console.error(`  PROBLEM ${p}`);
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
