// torch.utils.data: datasets, samplers, the DataLoader and default collation, under one namespace
// (`torch.utils.data` spelled `data` here: `new data.DataLoader(ds, { batchSize: 64 })`).
// Only re-exports; see each file for what it implements.
export { Dataset, TensorDataset, ConcatDataset, Subset, randomSplit, type DatasetLike } from "./dataset.js";
export { IterableDataset, ChainDataset } from "./iterable_dataset.js";
export { getWorkerInfo, type WorkerInfo } from "./worker_info.js";
export {
  Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler,
  type SamplerLike, type RandomSamplerOptions, type WeightedRandomSamplerOptions,
} from "./sampler.js";
export { DataLoader, type DataLoaderOptions } from "./dataloader.js";
export { DistributedSampler, type DistributedSamplerOptions } from "./distributed_sampler.js";
export { defaultCollate, defaultConvert, type CollateFn } from "./collate.js";
