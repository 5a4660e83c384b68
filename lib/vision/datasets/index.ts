// torchvision.datasets: FashionMNIST, and the download helper behind it for callers who want it async.
// Only re-exports.
export { FashionMNIST, type FashionMNISTOptions } from "./fashion_mnist.js";
export { downloadVerified, type DownloadOptions, type DownloadResult, type Attempt } from "./download.js";
export { parseIdx, type IdxArray } from "./idx.js";
