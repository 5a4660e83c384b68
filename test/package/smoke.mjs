// ESM smoke program of `npm run test:package`: `import * as torch from "torchlet"` from an installed
// tarball; trains on the main thread and in two worker threads at once, prints the kernels in use,
// exits 1 on any problem. Run from the temporary project the test installs into.
import { Worker } from "node:worker_threads";
import * as torch from "torchlet";
import { report, train } from "./train.cjs";

function inWorker(label) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { label } });
    w.once("message", resolve);
    w.once("error", reject);
    w.once("exit", (code) => reject(new Error(`${label} exited with code ${code} before reporting`)));
  });
}

const runs = [train(torch, "esm main")];
runs.push(...(await Promise.all([inWorker("esm worker 1"), inWorker("esm worker 2")])));
const problems = report(runs);
for (const p of problems) console.error(`  PROBLEM ${p}`);
process.exit(problems.length ? 1 : 0);
