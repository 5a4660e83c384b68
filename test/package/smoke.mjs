// ESM smoke program of `npm run test:package`: `import * as torch from "torchlet"` from an installed
// tarball; trains on the main thread and in two worker threads at once, prints the kernels in use,
// runs a torch.worker.Runner and a DataLoader with worker threads, exits 1 on any problem. Run from
// the temporary project the test installs into.
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

// torch.worker.Runner and DataLoader workers load the package's own worker entries from the install.
const moduleUrl = new URL("./runner_module.mjs", import.meta.url);
const runner = await torch.worker.Runner.start(moduleUrl);
const doubled = (await runner.call("double", [torch.arange(0, 4).float()])).tolist();
await runner.close();
if (JSON.stringify(doubled) !== "[0,2,4,6]") problems.push(`Runner: double gave ${JSON.stringify(doubled)}`);
const { dataset } = await import(moduleUrl.href);
const loader = new torch.data.DataLoader(dataset, { batchSize: 4, numWorkers: 2, workerDataset: moduleUrl });
const batches = [...loader].map(([x]) => x.tolist());
if (JSON.stringify(batches) !== "[[0,1,2,3],[4,5,6,7],[8,9]]") problems.push(`DataLoader workers: ${JSON.stringify(batches)}`);
console.log(`  esm Runner + DataLoader workers: ${problems.length ? "FAILED" : "ok"}`);
for (const p of problems) console.error(`  PROBLEM ${p}`);
process.exit(problems.length ? 1 : 0);
