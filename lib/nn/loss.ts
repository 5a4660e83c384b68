// The loss modules (nn.CrossEntropyLoss, nn.MSELoss, ...): constructors take PyTorch's parameters
// in PyTorch's order (or one options object), forward(input, target) calls nn.functional. Class
// weights are buffers (`weight`, `pos_weight`), so they appear in stateDict as in PyTorch.
// ref: torch/nn/modules/loss.py (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { checkBool, checkNumber, checkOptionalTensor, parseArgs } from "./args.js";
import * as F from "./losses/index.js";
import type { Reduction } from "./losses/index.js";

/** Base of every loss: holds `reduction` ('mean' | 'sum' | 'none'), validated at construction. */
export abstract class Loss extends Module {
  readonly reduction: string;
  constructor(o: { reduction: unknown; sizeAverage?: unknown; reduce?: unknown }, extra: string[] = []) {
    super();
    this.reduction = F.resolveReduction(o, extra);
  }
  // NOTE: most take (input, target); the ranking and embedding losses take three tensors.
  abstract override forward(...inputs: Tensor[]): Tensor;
}

/** A loss with an optional per-class `weight` buffer. */
export abstract class WeightedLoss extends Loss {
  declare weight: Tensor | null;
  constructor(fn: string, o: { weight: unknown; reduction: unknown; sizeAverage?: unknown; reduce?: unknown }) {
    super(o);
    this.registerBuffer("weight", checkOptionalTensor(fn, "weight", o.weight));
  }
}

export const LEGACY = { sizeAverage: null, reduce: null, reduction: "mean" };

/** The module takes the functional form's options. */
export type CrossEntropyLossOptions = F.CrossEntropyOptions;

/** log_softmax + NLL; targets are class indices (int64) or class probabilities (float, input's shape). */
export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(options?: CrossEntropyLossOptions);
  constructor(weight?: Tensor | null, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("CrossEntropyLoss", args, ["weight", "sizeAverage", "ignoreIndex", "reduce", "reduction", "labelSmoothing"], {
      weight: null, ignoreIndex: -100, labelSmoothing: 0.0, ...LEGACY,
    });
    super("CrossEntropyLoss", o);
    this.ignoreIndex = checkNumber("CrossEntropyLoss", "ignoreIndex", o.ignoreIndex);
    this.labelSmoothing = checkNumber("CrossEntropyLoss", "labelSmoothing", o.labelSmoothing);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction as Reduction, labelSmoothing: this.labelSmoothing,
    });
  }
}

/** The module takes the functional form's options. */
export type NLLLossOptions = F.NllLossOptions;

/** Negative log likelihood of class-index targets given log-probabilities. */
export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  constructor(options?: NLLLossOptions);
  constructor(weight?: Tensor | null, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("NLLLoss", args, ["weight", "sizeAverage", "ignoreIndex", "reduce", "reduction"], { weight: null, ignoreIndex: -100, ...LEGACY });
    super("NLLLoss", o);
    this.ignoreIndex = checkNumber("NLLLoss", "ignoreIndex", o.ignoreIndex);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction as Reduction });
  }
}

/** The module takes the functional form's options. */
export type MultiMarginLossOptions = F.MultiMarginOptions;

/** Multi-class hinge loss: Σ_{i≠y} max(0, margin − x[y] + x[i])^p / C. */
export class MultiMarginLoss extends WeightedLoss {
  readonly p: 1 | 2;
  readonly margin: number;
  constructor(options?: MultiMarginLossOptions);
  constructor(p?: 1 | 2, margin?: number, weight?: Tensor | null, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("MultiMarginLoss", args, ["p", "margin", "weight", "sizeAverage", "reduce", "reduction"], { p: 1, margin: 1.0, weight: null, ...LEGACY });
    super("MultiMarginLoss", o);
    if (o.p !== 1 && o.p !== 2) throw new RangeError("only p == 1 and p == 2 supported");
    if (this.weight !== null && this.weight.ndim !== 1) throw new RangeError("weight must be one-dimensional");
    this.p = o.p;
    this.margin = checkNumber("MultiMarginLoss", "margin", o.margin);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.multiMarginLoss(input, target, { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction as Reduction });
  }
}

/** The module takes the functional form's options. */
export type KLDivLossOptions = F.KLDivOptions;

/** KL divergence of input log-probabilities from the target. NOTE: the default 'mean' divides by the
 *  number of elements and warns, as PyTorch 1.13 does; 'batchmean' is the mathematical KL. */
export class KLDivLoss extends Loss {
  readonly logTarget: boolean;
  constructor(options?: KLDivLossOptions);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("KLDivLoss", args, ["sizeAverage", "reduce", "reduction", "logTarget"], { logTarget: false, ...LEGACY });
    super(o, ["batchmean"]);
    this.logTarget = checkBool("KLDivLoss", "logTarget", o.logTarget);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction as Reduction, logTarget: this.logTarget });
  }
}

/** The module takes the functional form's options. */
export type RegressionLossOptions = F.RegressionOptions;

export class MSELoss extends Loss {
  constructor(options?: RegressionLossOptions);
  constructor(...args: unknown[]) {
    super(parseArgs<any>("MSELoss", args, ["sizeAverage", "reduce", "reduction"], LEGACY));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction as Reduction });
  }
}

export class L1Loss extends Loss {
  constructor(options?: RegressionLossOptions);
  constructor(...args: unknown[]) {
    super(parseArgs<any>("L1Loss", args, ["sizeAverage", "reduce", "reduction"], LEGACY));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction as Reduction });
  }
}

export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(options?: RegressionLossOptions & { beta?: number });
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("SmoothL1Loss", args, ["sizeAverage", "reduce", "reduction", "beta"], { beta: 1.0, ...LEGACY });
    super(o);
    this.beta = checkNumber("SmoothL1Loss", "beta", o.beta);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction as Reduction, beta: this.beta });
  }
}

export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(options?: { reduction?: Reduction; delta?: number });
  constructor(reduction?: Reduction, delta?: number);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("HuberLoss", args, ["reduction", "delta"], { reduction: "mean", delta: 1.0 });
    super(o);
    this.delta = checkNumber("HuberLoss", "delta", o.delta);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction as Reduction, delta: this.delta });
  }
}

/** The module takes the functional form's options. */
export type BCELossOptions = F.BCEOptions;

/** Binary cross entropy on probabilities (each log clamped at −100). */
export class BCELoss extends WeightedLoss {
  constructor(options?: BCELossOptions);
  constructor(weight?: Tensor | null, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    super("BCELoss", parseArgs<any>("BCELoss", args, ["weight", "sizeAverage", "reduce", "reduction"], { weight: null, ...LEGACY }));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction as Reduction });
  }
}

/** Sigmoid + binary cross entropy, computed stably; posWeight (buffer `pos_weight`) scales positives. */
export class BCEWithLogitsLoss extends WeightedLoss {
  declare pos_weight: Tensor | null;
  constructor(options?: BCELossOptions & { posWeight?: Tensor | null });
  constructor(weight?: Tensor | null, ...rest: unknown[]);
  constructor(...args: unknown[]) {
    const o = parseArgs<any>("BCEWithLogitsLoss", args, ["weight", "sizeAverage", "reduce", "reduction", "posWeight"], { weight: null, posWeight: null, ...LEGACY });
    super("BCEWithLogitsLoss", o);
    // NOTE: registered under PyTorch's state-dict name `pos_weight`; `posWeight` reads it.
    this.registerBuffer("pos_weight", checkOptionalTensor("BCEWithLogitsLoss", "posWeight", o.posWeight));
  }
  get posWeight(): Tensor | null {
    return this.pos_weight;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.pos_weight, reduction: this.reduction as Reduction });
  }
}
