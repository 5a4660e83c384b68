// torch.nn: Module and Parameter, the layers, the loss modules, nn.functional (as `functional`)
// and nn.init (as `init`). `import * as torch from "torchlet"; new torch.nn.Linear(784, 512)`.
// Modules are called like functions, `model(x)`, or with `.forward(x)`. ref: https://pytorch.org/docs/1.13/nn.html
export { Module, Parameter } from "./module.js";
export type { LoadResult } from "./module.js";
export { RemovableHandle } from "./hooks.js";
export { Sequential, ModuleList } from "./container.js";
export { ModuleDict, ParameterList, ParameterDict } from "./container_dicts.js";
export { Linear } from "./linear.js";
export { LazyLinear, LazyConv1d, LazyConv2d, LazyConv3d, LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d, UninitializedParameter } from "./lazy.js";
export type { LinearOptions } from "./linear.js";
export { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d } from "./conv.js";
export type { ConvModuleOptions, PaddingMode } from "./conv.js";
export { Upsample, UpsamplingNearest2d, UpsamplingBilinear2d } from "./upsample.js";
export type { UpsampleOptions } from "./upsample.js";
export {
  ReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax,
  LeakyReLU, ELU, SELU, CELU, SiLU, Mish, Softplus, Hardtanh, ReLU6, Hardsigmoid, Hardswish,
  LogSigmoid, Softsign, Tanhshrink, Threshold, Hardshrink, Softshrink, PReLU, GLU, RReLU,
} from "./activation.js";
export { BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LayerNorm, GroupNorm, LocalResponseNorm } from "./normalization.js";
export type { NormOptions, LayerNormOptions, GroupNormOptions } from "./normalization.js";
export { Flatten } from "./flatten.js";
export { Unflatten } from "./unflatten.js";
export { ZeroPad2d, ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d } from "./padding.js";
export { PixelShuffle, PixelUnshuffle, ChannelShuffle } from "./pixel_shuffle.js";
export { Softmin, Softmax2d } from "./softmax_family.js";
export { CosineSimilarity, PairwiseDistance } from "./distance.js";
export { Unfold, Fold } from "./fold.js";
export { Bilinear } from "./bilinear.js";
export { AdaptiveLogSoftmaxWithLoss } from "./adaptive.js";
export type { ASMoutput, AdaptiveLogSoftmaxOptions } from "./adaptive.js";
export type { BilinearOptions } from "./bilinear.js";
export { Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout } from "./dropout.js";
export { Identity } from "./identity.js";
export { Embedding } from "./embedding.js";
export { EmbeddingBag } from "./embedding_bag.js";
export type { EmbeddingBagModuleOptions } from "./embedding_bag.js";
export { MultiheadAttention } from "./attention.js";
export { TransformerEncoderLayer, TransformerEncoder } from "./transformer.js";
export { TransformerDecoderLayer, TransformerDecoder } from "./transformer_decoder.js";
export { Transformer } from "./transformer_model.js";
export type { TransformerEncoderLayerOptions, TransformerEncoderOptions, TransformerActivation } from "./transformer.js";
export type { MultiheadAttentionOptions, MultiheadAttentionForwardOptions } from "./attention.js";
export { RNN, LSTM, GRU, RNNBase, RNNCell, LSTMCell, GRUCell } from "./rnn.js";
export type { RNNOptions, RNNCellOptions, RNNMode } from "./rnn.js";
export type { EmbeddingModuleOptions } from "./embedding.js";
export {
  MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d,
  MaxUnpool1d, MaxUnpool2d, MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, AdaptiveMaxPool3d, LPPool1d, LPPool2d,
} from "./pooling.js";
export {
  CrossEntropyLoss, NLLLoss, MultiMarginLoss, KLDivLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss,
} from "./loss.js";
export {
  MarginRankingLoss, HingeEmbeddingLoss, CosineEmbeddingLoss, SoftMarginLoss, MultiLabelSoftMarginLoss, TripletMarginLoss, PoissonNLLLoss, GaussianNLLLoss,
  MultiLabelMarginLoss, TripletMarginWithDistanceLoss, CTCLoss,
} from "./loss_extra.js";
export * as functional from "./functional.js";
export * as init from "./init.js";
export * as utils from "./utils/index.js";
export * as parallel from "./parallel/index.js";
