// torch.worker: run a module's functions (a model's forward, a training step, a training loop) on
// a worker thread and await them, so a Node service's event loop keeps answering meanwhile.
export { Runner } from "./runner.js";
export type { CallOptions, RunnerOptions, WorkerResourceLimits } from "./runner.js";
