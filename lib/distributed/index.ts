// torch.distributed: process groups and collectives on gloo (torchlet_dist.node, optional).
export {
  DEFAULT_TIMEOUT_MS, isAvailable, unavailableReason, isGlooAvailable, isMpiAvailable, isNcclAvailable,
  isInitialized, initProcessGroup, destroyProcessGroup, getRank, getWorldSize, getBackend,
} from "./process_group.js";
export type { InitOptions } from "./process_group.js";
export {
  ReduceOp, Work, allReduce, broadcast, allGather, allGatherIntoTensor, reduceScatter, barrier,
  send, recv, isend, irecv,
} from "./collectives.js";
export type { AsyncOption } from "./collectives.js";
