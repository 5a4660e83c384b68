// torchvision for torchlet: `vision.datasets.FashionMNIST`, `vision.transforms`, `vision.io.decodePng`,
// `vision.models.resnet18`, `vision.utils.makeGrid`,
// and the Image type datasets hand out before any transform. Only re-exports.
export * as datasets from "./datasets/index.js";
export * as transforms from "./transforms.js";
export * as io from "./png.js";
export * as models from "./models/index.js";
export * as utils from "./utils.js";
export { ImageArray, isImage, type Image } from "./image.js";
