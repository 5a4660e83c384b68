// Learning-rate schedulers (torch.optim.lr_scheduler as optim.lrScheduler): the LRScheduler base
// (chainable getLr, closed form for step(epoch), getLastLr, state dicts, verbose printing), StepLR,
// MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR, and ReduceLROnPlateau. They only set
// each group's lr; nothing here touches tensors. ref: torch/optim/lr_scheduler.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { Optimizer } from "./optimizer.js";
import { describe, parseArgs, type PositionalThenOptions, warnOnce } from "./args.js";
import { checkOptimizer, commonArgs, COMMON, need, num, pyMod, type Common } from "./lr_scheduler_args.js";

const EPOCH_DEPRECATION_WARNING =
  "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed form is used instead of the new chainable form, where available. Please open an issue if you are unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.";

/** Python's `'{:.4e}'.format(x)`: 1.0000e-01 (two-digit exponent). */
function sci4(x: number): string {
  return x.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
}


/**
 * The base of the epoch-based schedulers. A subclass implements getLr() (the chainable form: new
 * lrs from the current ones) and optionally closedFormLr() (used by the deprecated step(epoch)).
 * NOTE: PyTorch's base __init__ takes the initial step; TypeScript can't set a subclass's fields
 * before super(), so each concrete scheduler calls `this.initialStep()` at the end of its constructor.
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  baseLrs: number[];
  lastEpoch: number;
  verbose: boolean;
  _stepCount = 0;
  protected _lastLr: number[] = [];
  protected _getLrCalledWithinStep = false;

  constructor(optimizer: Optimizer, lastEpoch = -1, verbose = false) {
    const name = this.constructor.name;
    this.optimizer = checkOptimizer(name, optimizer);
    if (!Number.isInteger(lastEpoch)) throw new TypeError(`${name}: lastEpoch must be an integer, got ${describe(lastEpoch)}`);
    if (lastEpoch === -1) {
      for (const g of optimizer.paramGroups) if (!("initialLr" in g)) g.initialLr = g.lr;
    } else {
      optimizer.paramGroups.forEach((g, i) => {
        if (!("initialLr" in g)) throw new RangeError(`param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer`);
      });
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this.verbose = verbose;
  }

  /** Resets the step counts and takes the first step (lastEpoch -1 -> 0). */
  protected initialStep(): void {
    this.optimizer._stepCount = 0;
    this._stepCount = 0;
    this.step();
  }

  /** The lrs for the current lastEpoch, computed from the groups' current lrs. */
  abstract getLr(): number[];
  /** The lrs for lastEpoch computed from baseLrs alone (for step(epoch)). */
  protected closedFormLr?(): number[];

  /** The learning rates this scheduler last set, one per param group. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  protected warnIfGetLrOutsideStep(): void {
    if (!this._getLrCalledWithinStep) {
      warnOnce("To get the last learning rate computed by the scheduler, please use `get_last_lr()`.");
    }
  }

  /** Advances one epoch and sets each group's lr. `epoch` (deprecated, as in PyTorch) jumps there. */
  step(epoch?: number): void {
    if (this._stepCount === 1 && this.optimizer._stepCount < 1) {
      warnOnce(
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate",
      );
    }
    this._stepCount++;
    let values: number[];
    this._getLrCalledWithinStep = true;
    try {
      if (epoch === undefined) {
        this.lastEpoch++;
        values = this.getLr();
      } else {
        num(this.constructor.name, "epoch", epoch);
        warnOnce(EPOCH_DEPRECATION_WARNING);
        this.lastEpoch = epoch;
        values = this.closedFormLr ? this.closedFormLr() : this.getLr();
      }
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i];
      this.printLr(this.verbose, i, values[i], epoch);
    });
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr as number);
  }

  /** Prints PyTorch's verbose line for a group's new lr. */
  printLr(isVerbose: boolean, group: number, lr: number, epoch?: number): void {
    if (!isVerbose) return;
    if (epoch === undefined) console.log(`Adjusting learning rate of group ${group} to ${sci4(lr)}.`);
    else {
      const e = Number.isInteger(epoch) ? String(epoch).padStart(5, "0") : epoch.toFixed(2);
      console.log(`Epoch ${e}: adjusting learning rate of group ${group} to ${sci4(lr)}.`);
    }
  }

  /** Every field except the optimizer (PyTorch's state_dict). */
  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === "optimizer" || k === "_getLrCalledWithinStep" || typeof v === "function") continue;
      out[k] = Array.isArray(v) ? [...v] : v;
    }
    return out;
  }

  loadStateDict(stateDict: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(stateDict)) {
      if (k === "optimizer") continue;
      (this as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
    }
  }
}


export type StepLROptions = Common & { stepSize?: number; gamma?: number };
/** Multiplies each group's lr by gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;
  /** `new StepLR(optimizer, 30, { gamma: 0.1 })` or `new StepLR(optimizer, { stepSize: 30 })`. */
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[stepSize: number, gamma: number, lastEpoch: number, verbose: boolean], StepLROptions>) {
    const o = parseArgs("StepLR", ["stepSize", "gamma", ...COMMON], args);
    const stepSize = num("StepLR", "stepSize", need("StepLR", "stepSize", o));
    if (!(stepSize > 0)) throw new RangeError(`StepLR: stepSize must be positive, got ${stepSize}`);
    const gamma = o.gamma === undefined ? 0.1 : num("StepLR", "gamma", o.gamma);
    super(optimizer, ...commonArgs("StepLR", o));
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || pyMod(this.lastEpoch, this.stepSize) !== 0) return groups.map((g) => g.lr as number);
    return groups.map((g) => (g.lr as number) * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

export type MultiStepLROptions = Common & { milestones?: number[]; gamma?: number };
/** Multiplies each group's lr by gamma at each milestone epoch (a repeated milestone counts twice). */
export class MultiStepLR extends LRScheduler {
  /** Sorted; repeats kept (PyTorch keeps a Counter). */
  milestones: number[];
  gamma: number;
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[milestones: number[], gamma: number, lastEpoch: number, verbose: boolean], MultiStepLROptions>) {
    const o = parseArgs("MultiStepLR", ["milestones", "gamma", ...COMMON], args);
    const m = need("MultiStepLR", "milestones", o);
    if (!Array.isArray(m) || !m.every((x) => typeof x === "number" && !Number.isNaN(x))) {
      throw new TypeError(`MultiStepLR: milestones must be an array of numbers, got ${describe(m)}`);
    }
    const gamma = o.gamma === undefined ? 0.1 : num("MultiStepLR", "gamma", o.gamma);
    super(optimizer, ...commonArgs("MultiStepLR", o));
    this.milestones = [...(m as number[])].sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const hits = this.milestones.filter((x) => x === this.lastEpoch).length;
    const groups = this.optimizer.paramGroups;
    if (hits === 0) return groups.map((g) => g.lr as number);
    return groups.map((g) => (g.lr as number) * this.gamma ** hits);
  }
  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((x) => x <= this.lastEpoch).length; // bisect_right
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}

export type ExponentialLROptions = Common & { gamma?: number };
/** Multiplies each group's lr by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[gamma: number, lastEpoch: number, verbose: boolean], ExponentialLROptions>) {
    const o = parseArgs("ExponentialLR", ["gamma", ...COMMON], args);
    const gamma = num("ExponentialLR", "gamma", need("ExponentialLR", "gamma", o));
    super(optimizer, ...commonArgs("ExponentialLR", o));
    this.gamma = gamma;
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr as number);
    return groups.map((g) => (g.lr as number) * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}

export type CosineAnnealingLROptions = Common & { TMax?: number; etaMin?: number };
/**
 * Cosine annealing from the base lr to etaMin over TMax epochs (then back up: the recursion is
 * periodic with period 2*TMax), in PyTorch's chainable (recursive) form.
 */
export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[TMax: number, etaMin: number, lastEpoch: number, verbose: boolean], CosineAnnealingLROptions>) {
    const o = parseArgs("CosineAnnealingLR", ["TMax", "etaMin", ...COMMON], args);
    const TMax = num("CosineAnnealingLR", "TMax", need("CosineAnnealingLR", "TMax", o));
    if (TMax === 0) throw new RangeError("CosineAnnealingLR: TMax must not be 0");
    const etaMin = o.etaMin === undefined ? 0 : num("CosineAnnealingLR", "etaMin", o.etaMin);
    super(optimizer, ...commonArgs("CosineAnnealingLR", o));
    this.TMax = TMax;
    this.etaMin = etaMin;
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const { TMax, etaMin, lastEpoch } = this;
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === 0) return groups.map((g) => g.lr as number);
    if (this._stepCount === 1 && lastEpoch > 0) {
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((lastEpoch * Math.PI) / TMax))) / 2);
    }
    if (pyMod(lastEpoch - 1 - TMax, 2 * TMax) === 0) {
      return groups.map((g, i) => (g.lr as number) + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2);
    }
    return groups.map(
      (g) =>
        ((1 + Math.cos((Math.PI * lastEpoch) / TMax)) / (1 + Math.cos((Math.PI * (lastEpoch - 1)) / TMax))) * ((g.lr as number) - etaMin) + etaMin,
    );
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax))) / 2);
  }
}

export type LrLambda = (epoch: number) => number;
export type LambdaLROptions = Common & { lrLambda?: LrLambda | LrLambda[] };
/** lr = base lr * lrLambda(epoch), one function for all groups or one per group. */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[lrLambda: LrLambda | LrLambda[], lastEpoch: number, verbose: boolean], LambdaLROptions>) {
    const o = parseArgs("LambdaLR", ["lrLambda", ...COMMON], args);
    const f = need("LambdaLR", "lrLambda", o);
    const n = checkOptimizer("LambdaLR", optimizer).paramGroups.length;
    let fns: unknown[];
    if (Array.isArray(f)) {
      if (f.length !== n) throw new RangeError(`Expected ${n} lr_lambdas, but got ${f.length}`);
      fns = f;
    } else fns = Array.from({ length: n }, () => f);
    if (!fns.every((x) => typeof x === "function")) throw new TypeError(`LambdaLR: lrLambda must be a function or an array of functions`);
    super(optimizer, ...commonArgs("LambdaLR", o));
    this.lrLambdas = fns as LrLambda[];
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i](this.lastEpoch));
  }
  /** NOTE: the lambdas are functions, so (as in PyTorch) they are not part of the state dict. */
  override stateDict(): Record<string, unknown> {
    const sd = super.stateDict();
    delete sd.lrLambdas;
    return sd;
  }
}

export type ReduceLROnPlateauOptions = {
  mode?: "min" | "max";
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: "rel" | "abs";
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
  verbose?: boolean;
};
type PlateauPositional = [
  mode: "min" | "max", factor: number, patience: number, threshold: number, thresholdMode: "rel" | "abs",
  cooldown: number, minLr: number | number[], eps: number, verbose: boolean,
];

/**
 * Divides the lr by 1/factor when a metric has stopped improving for more than `patience` epochs.
 * step(metric) takes the metric (a number or a one-element tensor).
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  factor: number;
  minLrs: number[];
  patience: number;
  verbose: boolean;
  cooldown: number;
  cooldownCounter = 0;
  mode: "min" | "max";
  threshold: number;
  thresholdMode: "rel" | "abs";
  best = Infinity;
  numBadEpochs = 0;
  modeWorse = Infinity;
  eps: number;
  lastEpoch = 0;
  protected _lastLr: number[];

  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<PlateauPositional, ReduceLROnPlateauOptions>) {
    const name = "ReduceLROnPlateau";
    const o = parseArgs(name, ["mode", "factor", "patience", "threshold", "thresholdMode", "cooldown", "minLr", "eps", "verbose"], args);
    const factor = o.factor === undefined ? 0.1 : num(name, "factor", o.factor);
    if (factor >= 1) throw new RangeError("Factor should be < 1.0.");
    this.factor = factor;
    this.optimizer = checkOptimizer(name, optimizer);
    const minLr = o.minLr ?? 0;
    const n = optimizer.paramGroups.length;
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) throw new RangeError(`expected ${n} min_lrs, got ${minLr.length}`);
      minLr.forEach((v, i) => num(name, `minLr[${i}]`, v));
      this.minLrs = [...minLr];
    } else this.minLrs = Array.from({ length: n }, () => num(name, "minLr", minLr));
    this.patience = o.patience === undefined ? 10 : num(name, "patience", o.patience);
    this.verbose = o.verbose === undefined ? false : (o.verbose as boolean);
    if (typeof this.verbose !== "boolean") throw new TypeError(`${name}: verbose must be a boolean, got ${describe(o.verbose)}`);
    this.cooldown = o.cooldown === undefined ? 0 : num(name, "cooldown", o.cooldown);
    this.mode = (o.mode ?? "min") as "min" | "max";
    this.threshold = o.threshold === undefined ? 1e-4 : num(name, "threshold", o.threshold);
    this.thresholdMode = (o.thresholdMode ?? "rel") as "rel" | "abs";
    this.eps = o.eps === undefined ? 1e-8 : num(name, "eps", o.eps);
    this.initIsBetter();
    this.reset();
    this._lastLr = optimizer.paramGroups.map((g) => g.lr as number);
  }

  private initIsBetter(): void {
    if (this.mode !== "min" && this.mode !== "max") throw new RangeError(`mode ${String(this.mode)} is unknown!`);
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs") {
      throw new RangeError(`threshold mode ${String(this.thresholdMode)} is unknown!`);
    }
    this.modeWorse = this.mode === "min" ? Infinity : -Infinity;
  }

  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") return a < best * (1 - this.threshold);
    if (this.mode === "min") return a < best - this.threshold;
    if (this.thresholdMode === "rel") return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** Records this epoch's metric and lowers the lrs if it has plateaued. */
  step(metrics: number | Tensor, epoch?: number): void {
    const current = metrics instanceof Tensor ? metrics.item() : metrics;
    if (typeof current !== "number") throw new TypeError(`ReduceLROnPlateau.step: metrics must be a number or a one-element Tensor, got ${describe(metrics)}`);
    if (epoch === undefined) epoch = this.lastEpoch + 1;
    else warnOnce(EPOCH_DEPRECATION_WARNING);
    this.lastEpoch = epoch;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs during cooldown don't count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr(epoch);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr as number);
  }

  private reduceLr(epoch: number): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const oldLr = g.lr as number;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]);
      // NOTE: a change smaller than eps is ignored, so the lr stops moving near minLr
      if (oldLr - newLr > this.eps) {
        g.lr = newLr;
        if (this.verbose) console.log(`Epoch ${String(epoch).padStart(5, " ")}: reducing learning rate of group ${i} to ${sci4(newLr)}.`);
      }
    });
  }

  /** The lrs after the last step (PyTorch 2 has this; 1.13's plateau scheduler lacked it). */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) if (k !== "optimizer") out[k] = Array.isArray(v) ? [...v] : v;
    return out;
  }

  loadStateDict(stateDict: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(stateDict)) {
      if (k !== "optimizer") (this as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
    }
    this.initIsBetter();
  }
}
