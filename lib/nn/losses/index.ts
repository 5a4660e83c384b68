// nn.functional's loss functions, one file per family; see each file for its formulas.
// ref: https://pytorch.org/docs/1.13/nn.functional.html#loss-functions
export { resolveReduction } from "./reduction.js";
export type { Reduction } from "./reduction.js";
export { nllLoss, crossEntropy } from "./cross_entropy.js";
export type { NllLossOptions, CrossEntropyOptions } from "./cross_entropy.js";
export { multiMarginLoss } from "./multi_margin.js";
export type { MultiMarginOptions } from "./multi_margin.js";
export { klDiv } from "./kl_div.js";
export type { KLDivOptions } from "./kl_div.js";
export { mseLoss, l1Loss, smoothL1Loss, huberLoss } from "./regression.js";
export type { RegressionOptions, SmoothL1Options, HuberOptions } from "./regression.js";
export { binaryCrossEntropy, binaryCrossEntropyWithLogits } from "./binary.js";
export type { BCEOptions, BCEWithLogitsOptions } from "./binary.js";
export { marginRankingLoss, hingeEmbeddingLoss, softMarginLoss, multilabelSoftMarginLoss } from "./margin.js";
export type { LegacyReductionOptions, MarginRankingOptions, HingeEmbeddingOptions, MultilabelSoftMarginOptions } from "./margin.js";
export { cosineEmbeddingLoss, tripletMarginLoss } from "./embedding.js";
export type { CosineEmbeddingOptions, TripletMarginOptions } from "./embedding.js";
export { poissonNllLoss, gaussianNllLoss } from "./likelihood.js";
export type { PoissonNllOptions, GaussianNllOptions } from "./likelihood.js";
export { multilabelMarginLoss, tripletMarginWithDistanceLoss, ctcLoss } from "./extra2.js";
export type { TripletMarginWithDistanceOptions, CtcLossOptions } from "./extra2.js";
