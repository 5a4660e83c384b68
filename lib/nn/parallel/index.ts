// torch.nn.parallel: data parallelism across processes.
export { DistributedDataParallel } from "./distributed.js";
export type { DistributedDataParallelOptions } from "./distributed.js";
