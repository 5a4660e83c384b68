// torchvision.models: the ResNet family (architecture and init only; no pretrained weights).
// Only re-exports.
export { BasicBlock, Bottleneck, ResNet, resnet18, resnet34, resnet50 } from "./resnet.js";
export type { BlockType, NormLayer, ResNetBuilderOptions, ResNetOptions } from "./resnet.js";
