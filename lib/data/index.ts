// torch.utils.data: datasets, the DataLoader and default collation, under one namespace
// (`torch.utils.data` spelled `data` here: `new data.DataLoader(ds, { batchSize: 64 })`).
// Only re-exports; see each file for what it implements.
export { Dataset, TensorDataset, Subset, randomSplit, type DatasetLike } from "./dataset.js";
export { DataLoader, type DataLoaderOptions } from "./dataloader.js";
export { defaultCollate, type CollateFn } from "./collate.js";
