// The torchlet half of one round of `npm run bench:torch -- --rounds N`: times the training step
// (SGD, Adam, AdamW) on the native backend at 1 and 2 threads and prints one JSON line. The Python
// side runs this and PyTorch's step alternately, so both see the same machine, round after round
// (on a shared VM the load drifts by 10-20% between runs minutes apart).
import { FULL, QUICK } from "./harness.js";
import { OPTIMIZERS } from "./mlp.js";
import { runTorchletTrainStep } from "./train_step.js";

const budget = process.argv.includes("--quick") ? QUICK : FULL;
// NOTE: a fresh process: one untimed pass first, so V8 has compiled the step's code with its
// optimizing tier before anything is timed (PyTorch's step has no such warm-up to pay).
for (const opt of OPTIMIZERS) runTorchletTrainStep("native-1t", opt, QUICK);
const results: Record<string, Record<string, unknown>> = {};
for (const impl of ["native-1t", "native-2t"] as const) {
  results[impl] = {};
  for (const opt of OPTIMIZERS) results[impl][opt] = runTorchletTrainStep(impl, opt, budget);
}
console.log(`BENCH_JSON ${JSON.stringify(results)}`);
