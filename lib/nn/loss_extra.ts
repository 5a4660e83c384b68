// The ranking, embedding and likelihood loss modules: MarginRankingLoss, HingeEmbeddingLoss,
// CosineEmbeddingLoss, SoftMarginLoss, MultiLabelSoftMarginLoss (weight buffer), TripletMarginLoss,
// PoissonNLLLoss and GaussianNLLLoss. Constructors take PyTorch's parameters in PyTorch's order (or
// one options object) and forward calls nn.functional; no extra repr, as PyTorch's losses.
// ref: torch/nn/modules/loss.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { checkBool, checkNumber, isOptions, parseArgs } from "./args.js";
import { LEGACY, Loss, WeightedLoss } from "./loss.js";
import { PairwiseDistance } from "./distance.js";
import * as F from "./losses/index.js";
import type { Reduction } from "./losses/index.js";

type MarginOptions = F.LegacyReductionOptions & { margin?: number };

export class MarginRankingLoss extends Loss {
  readonly margin: number;
  constructor(options?: MarginOptions);
  constructor(margin?: number, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("MarginRankingLoss", args, ["margin", "sizeAverage", "reduce", "reduction"], { margin: 0, ...LEGACY });
    super(o);
    this.margin = checkNumber("MarginRankingLoss", "margin", o.margin);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.marginRankingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction as Reduction });
  }
}

export class HingeEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(options?: MarginOptions);
  constructor(margin?: number, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("HingeEmbeddingLoss", args, ["margin", "sizeAverage", "reduce", "reduction"], { margin: 1.0, ...LEGACY });
    super(o);
    this.margin = checkNumber("HingeEmbeddingLoss", "margin", o.margin);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction as Reduction });
  }
}

export class CosineEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(options?: MarginOptions);
  constructor(margin?: number, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("CosineEmbeddingLoss", args, ["margin", "sizeAverage", "reduce", "reduction"], { margin: 0, ...LEGACY });
    super(o);
    this.margin = checkNumber("CosineEmbeddingLoss", "margin", o.margin);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.cosineEmbeddingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction as Reduction });
  }
}

export class SoftMarginLoss extends Loss {
  constructor(options?: F.LegacyReductionOptions);
  constructor(...args: unknown[]) {
    super(parseArgs<any>("SoftMarginLoss", args, ["sizeAverage", "reduce", "reduction"], LEGACY));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.softMarginLoss(input, target, { reduction: this.reduction as Reduction });
  }
}

/** Per-class logistic loss averaged over classes; the optional per-class `weight` is a buffer. */
export class MultiLabelSoftMarginLoss extends WeightedLoss {
  constructor(options?: F.MultilabelSoftMarginOptions);
  constructor(weight?: Tensor | null, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    super("MultiLabelSoftMarginLoss", parseArgs<any>("MultiLabelSoftMarginLoss", args, ["weight", "sizeAverage", "reduce", "reduction"], { weight: null, ...LEGACY }));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction as Reduction });
  }
}

export class TripletMarginLoss extends Loss {
  readonly margin: number;
  readonly p: number;
  readonly eps: number;
  readonly swap: boolean;
  constructor(options?: F.TripletMarginOptions);
  constructor(margin?: number, p?: number, eps?: number, swap?: boolean, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    const fn = "TripletMarginLoss";
    const o = parseArgs<any>(fn, args, ["margin", "p", "eps", "swap", "sizeAverage", "reduce", "reduction"], { margin: 1.0, p: 2, eps: 1e-6, swap: false, ...LEGACY });
    super(o);
    this.margin = checkNumber(fn, "margin", o.margin);
    this.p = checkNumber(fn, "p", o.p);
    this.eps = checkNumber(fn, "eps", o.eps);
    this.swap = checkBool(fn, "swap", o.swap);
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.tripletMarginLoss(anchor, positive, negative, { margin: this.margin, p: this.p, eps: this.eps, swap: this.swap, reduction: this.reduction as Reduction });
  }
}

export class PoissonNLLLoss extends Loss {
  readonly logInput: boolean;
  readonly full: boolean;
  readonly eps: number;
  constructor(options?: F.PoissonNllOptions);
  constructor(logInput?: boolean, full?: boolean, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    const fn = "PoissonNLLLoss";
    const o = parseArgs<any>(fn, args, ["logInput", "full", "sizeAverage", "eps", "reduce", "reduction"], { logInput: true, full: false, eps: 1e-8, ...LEGACY });
    super(o);
    this.logInput = checkBool(fn, "logInput", o.logInput);
    this.full = checkBool(fn, "full", o.full);
    this.eps = checkNumber(fn, "eps", o.eps);
  }
  forward(logInput: Tensor, target: Tensor): Tensor {
    return F.poissonNllLoss(logInput, target, { logInput: this.logInput, full: this.full, eps: this.eps, reduction: this.reduction as Reduction });
  }
}

/** Keyword-only in PyTorch (`GaussianNLLLoss(*, full, eps, reduction)`): one options object here. */
export class GaussianNLLLoss extends Loss {
  readonly full: boolean;
  readonly eps: number;
  constructor(options?: F.GaussianNllOptions);
  constructor(...args: unknown[]) {
    const fn = "GaussianNLLLoss";
    const positional = args.filter((a) => a !== undefined && !isOptions(a));
    if (positional.length > 0) parseArgs(fn, positional, [], {}); // throws: "takes at most 0 positional argument(s)"
    const o = parseArgs<any>(fn, args.filter(isOptions), ["full", "eps", "reduction"], { full: false, eps: 1e-6, reduction: "mean" });
    super(o);
    this.full = checkBool(fn, "full", o.full);
    this.eps = checkNumber(fn, "eps", o.eps);
  }
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return F.gaussianNllLoss(input, target, variance, { full: this.full, eps: this.eps, reduction: this.reduction as Reduction });
  }
}

export class MultiLabelMarginLoss extends Loss {
  constructor(options?: F.LegacyReductionOptions);
  constructor(sizeAverage?: boolean | null, reduce?: boolean | null, reduction?: Reduction);
  constructor(...args: unknown[]) {
    super(parseArgs<any>("MultiLabelMarginLoss", args, ["sizeAverage", "reduce", "reduction"], LEGACY));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabelMarginLoss(input, target, { reduction: this.reduction as Reduction });
  }
}

/** nn.TripletMarginWithDistanceLoss({ distanceFunction, margin = 1, swap = false, reduction = 'mean' }) (keyword-only in PyTorch). */
export class TripletMarginWithDistanceLoss extends Loss {
  /** PyTorch's attribute name: the given function, or a PairwiseDistance() submodule (printed as a child). */
  distance_function: ((a: Tensor, b: Tensor) => Tensor) | PairwiseDistance;
  readonly margin: number;
  readonly swap: boolean;
  constructor(options?: F.TripletMarginWithDistanceOptions);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("TripletMarginWithDistanceLoss", args, ["distanceFunction", "margin", "swap", "reduction"], { distanceFunction: null, margin: 1, swap: false, reduction: "mean" });
    if (args.length > 0 && !isOptions(args[0])) throw new TypeError("TripletMarginWithDistanceLoss() takes keyword arguments only (pass one options object)");
    super({ reduction: o.reduction });
    this.distance_function = o.distanceFunction ?? new PairwiseDistance();
    this.margin = checkNumber("TripletMarginWithDistanceLoss", "margin", o.margin);
    this.swap = checkBool("TripletMarginWithDistanceLoss", "swap", o.swap);
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    const d = this.distance_function as (a: Tensor, b: Tensor) => Tensor;
    return F.tripletMarginWithDistanceLoss(anchor, positive, negative, { distanceFunction: (a, b) => d(a, b), margin: this.margin, swap: this.swap, reduction: this.reduction as Reduction });
  }
}

/** nn.CTCLoss(blank = 0, reduction = 'mean', zeroInfinity = false); forward(logProbs, targets, inputLengths, targetLengths). */
export class CTCLoss extends Loss {
  readonly blank: number;
  readonly zeroInfinity: boolean;
  constructor(blank?: number | { blank?: number; reduction?: Reduction; zeroInfinity?: boolean }, reduction?: Reduction, zeroInfinity?: boolean);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("CTCLoss", args, ["blank", "reduction", "zeroInfinity"], { blank: 0, reduction: "mean", zeroInfinity: false });
    super({ reduction: o.reduction });
    this.blank = o.blank;
    this.zeroInfinity = checkBool("CTCLoss", "zeroInfinity", o.zeroInfinity);
  }
  forward(logProbs: Tensor, targets: Tensor, inputLengths: Tensor | number[], targetLengths: Tensor | number[]): Tensor {
    return F.ctcLoss(logProbs, targets, inputLengths, targetLengths, this.blank, this.reduction as Reduction, this.zeroInfinity);
  }
}
