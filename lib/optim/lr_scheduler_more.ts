// The other schedulers of torch.optim.lr_scheduler (PyTorch 1.13): MultiplicativeLR, ConstantLR,
// LinearLR (warm-up), PolynomialLR, CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR, and the
// combinators SequentialLR and ChainedScheduler. Same chainable getLr / closed forms / state dicts
// as lr_scheduler.ts; PyTorch's argument errors. Param-group keys they add are camelCase
// (initialLr, maxLr, minLr, maxMomentum, baseMomentum). ref: torch/optim/lr_scheduler.py (1.13).
import { Optimizer } from "./optimizer.js";
import { parseArgs, type PositionalThenOptions } from "./args.js";
import { LRScheduler, type LrLambda } from "./lr_scheduler.js";
import { checkOptimizer, commonArgs, COMMON, need, num, perGroup, type Common } from "./lr_scheduler_args.js";

const lrsOf = (o: Optimizer) => o.paramGroups.map((g) => g.lr as number);

export type MultiplicativeLROptions = Common & { lrLambda?: LrLambda | LrLambda[] };
/** Multiplies each group's lr by lrLambda(epoch) every epoch after the first. */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[lrLambda: LrLambda | LrLambda[], lastEpoch: number, verbose: boolean], MultiplicativeLROptions>) {
    const o = parseArgs("MultiplicativeLR", ["lrLambda", ...COMMON], args);
    const f = need("MultiplicativeLR", "lrLambda", o);
    const n = checkOptimizer("MultiplicativeLR", optimizer).paramGroups.length;
    if (Array.isArray(f) && f.length !== n) throw new RangeError(`Expected ${n} lr_lambdas, but got ${f.length}`);
    const fns = Array.isArray(f) ? f : Array.from({ length: n }, () => f);
    if (!fns.every((x) => typeof x === "function")) throw new TypeError("MultiplicativeLR: lrLambda must be a function or an array of functions");
    super(optimizer, ...commonArgs("MultiplicativeLR", o));
    this.lrLambdas = fns as LrLambda[];
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const lrs = lrsOf(this.optimizer);
    return this.lastEpoch > 0 ? lrs.map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch)) : lrs;
  }
  override stateDict(): Record<string, unknown> {
    const sd = super.stateDict();
    delete sd.lrLambdas;
    return sd;
  }
}

export type ConstantLROptions = Common & { factor?: number; totalIters?: number };
/** lr * factor until totalIters epochs have passed, then the base lr (a constant warm-up). */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[factor: number, totalIters: number, lastEpoch: number, verbose: boolean], ConstantLROptions>) {
    const o = parseArgs("ConstantLR", ["factor", "totalIters", ...COMMON], args);
    const factor = o.factor === undefined ? 1 / 3 : num("ConstantLR", "factor", o.factor);
    if (factor > 1 || factor < 0) throw new RangeError("Constant multiplicative factor expected to be between 0 and 1.");
    const totalIters = o.totalIters === undefined ? 5 : num("ConstantLR", "totalIters", o.totalIters);
    super(optimizer, ...commonArgs("ConstantLR", o));
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const lrs = lrsOf(this.optimizer);
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return lrs;
    return lrs.map((lr) => lr * (1 / this.factor));
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}

export type LinearLROptions = Common & { startFactor?: number; endFactor?: number; totalIters?: number };
/** lr * factor, the factor going linearly from startFactor to endFactor over totalIters epochs (warm-up). */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[startFactor: number, endFactor: number, totalIters: number, lastEpoch: number, verbose: boolean], LinearLROptions>) {
    const o = parseArgs("LinearLR", ["startFactor", "endFactor", "totalIters", ...COMMON], args);
    const startFactor = o.startFactor === undefined ? 1 / 3 : num("LinearLR", "startFactor", o.startFactor);
    const endFactor = o.endFactor === undefined ? 1 : num("LinearLR", "endFactor", o.endFactor);
    if (startFactor > 1 || startFactor < 0) throw new RangeError("Starting multiplicative factor expected to be between 0 and 1.");
    if (endFactor > 1 || endFactor < 0) throw new RangeError("Ending multiplicative factor expected to be between 0 and 1.");
    const totalIters = o.totalIters === undefined ? 5 : num("LinearLR", "totalIters", o.totalIters);
    super(optimizer, ...commonArgs("LinearLR", o));
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const { startFactor: s, endFactor: e, totalIters: T, lastEpoch: t } = this;
    const lrs = lrsOf(this.optimizer);
    if (t === 0) return lrs.map((lr) => lr * s);
    if (t > T) return lrs;
    return lrs.map((lr) => lr * (1 + (e - s) / (T * s + (t - 1) * (e - s))));
  }
  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(T, this.lastEpoch)) / T));
  }
}

export type PolynomialLROptions = Common & { totalIters?: number; power?: number };
/** lr * (1 - epoch / totalIters) ** power, then constant. */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[totalIters: number, power: number, lastEpoch: number, verbose: boolean], PolynomialLROptions>) {
    const o = parseArgs("PolynomialLR", ["totalIters", "power", ...COMMON], args);
    const totalIters = o.totalIters === undefined ? 5 : num("PolynomialLR", "totalIters", o.totalIters);
    const power = o.power === undefined ? 1 : num("PolynomialLR", "power", o.power);
    super(optimizer, ...commonArgs("PolynomialLR", o));
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const { totalIters: T, lastEpoch: t } = this;
    const lrs = lrsOf(this.optimizer);
    if (t === 0 || t > T) return lrs;
    const decay = ((1 - t / T) / (1 - (t - 1) / T)) ** this.power;
    return lrs.map((lr) => lr * decay);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}

export type CosineAnnealingWarmRestartsOptions = Common & { T0?: number; TMult?: number; etaMin?: number };
/** Cosine annealing restarted every Ti epochs (T0, then T0 * TMult, ...); step(epoch) takes fractional epochs. */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number;
  Ti: number;
  TMult: number;
  etaMin: number;
  TCur: number;
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[T0: number, TMult: number, etaMin: number, lastEpoch: number, verbose: boolean], CosineAnnealingWarmRestartsOptions>) {
    const name = "CosineAnnealingWarmRestarts";
    const o = parseArgs(name, ["T0", "TMult", "etaMin", ...COMMON], args);
    const T0 = need(name, "T0", o) as number;
    if (!Number.isInteger(T0) || T0 <= 0) throw new RangeError(`Expected positive integer T_0, but got ${T0}`);
    const TMult = o.TMult === undefined ? 1 : (o.TMult as number);
    if (!Number.isInteger(TMult) || TMult < 1) throw new RangeError(`Expected integer T_mult >= 1, but got ${TMult}`);
    const etaMin = o.etaMin === undefined ? 0 : num(name, "etaMin", o.etaMin);
    const [lastEpoch, verbose] = commonArgs(name, o);
    super(optimizer, lastEpoch, verbose);
    this.T0 = T0;
    this.Ti = T0;
    this.TMult = TMult;
    this.etaMin = etaMin;
    this.TCur = lastEpoch;
    this.initialStep();
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.TCur) / this.Ti))) / 2);
  }
  /** One epoch on, or to `epoch` (fractional epochs allowed: step(epoch + i / iters) within an epoch). */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.TCur += 1;
      if (this.TCur >= this.Ti) {
        this.TCur -= this.Ti;
        this.Ti *= this.TMult;
      }
    } else {
      num("CosineAnnealingWarmRestarts", "epoch", epoch);
      if (epoch < 0) throw new RangeError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.T0) {
        if (this.TMult === 1) this.TCur = epoch % this.T0;
        else {
          const n = Math.trunc(Math.log((epoch / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = epoch - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.Ti = this.T0 * this.TMult ** n;
        }
      } else {
        this.Ti = this.T0;
        this.TCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this._getLrCalledWithinStep = true;
    let values: number[];
    try {
      values = this.getLr();
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i];
      this.printLr(this.verbose, i, values[i], epoch);
    });
    this._lastLr = lrsOf(this.optimizer);
  }
}

type CyclicMode = "triangular" | "triangular2" | "exp_range";
export type CyclicLROptions = Common & {
  baseLr?: number | number[]; maxLr?: number | number[]; stepSizeUp?: number; stepSizeDown?: number | null; mode?: CyclicMode;
  gamma?: number; scaleFn?: ((x: number) => number) | null; scaleMode?: "cycle" | "iterations"; cycleMomentum?: boolean;
  baseMomentum?: number | number[]; maxMomentum?: number | number[];
};
/** The cyclical learning rate policy (Smith 2017), stepped once per batch; cycles momentum inversely. */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: CyclicMode;
  gamma: number;
  scaleMode: "cycle" | "iterations";
  cycleMomentum: boolean;
  baseMomentums: number[] = [];
  maxMomentums: number[] = [];
  private scaleFnCustom: ((x: number) => number) | null;
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[baseLr: number | number[], maxLr: number | number[]], CyclicLROptions>) {
    const name = "CyclicLR";
    const o = parseArgs(name, ["baseLr", "maxLr", "stepSizeUp", "stepSizeDown", "mode", "gamma", "scaleFn", "scaleMode", "cycleMomentum", "baseMomentum", "maxMomentum", ...COMMON], args);
    checkOptimizer(name, optimizer);
    const [lastEpoch, verbose] = commonArgs(name, o);
    const baseLrs = perGroup("base_lr", optimizer, need(name, "baseLr", o));
    if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g.lr = baseLrs[i]));
    const maxLrs = perGroup("max_lr", optimizer, need(name, "maxLr", o));
    const up = o.stepSizeUp === undefined ? 2000 : num(name, "stepSizeUp", o.stepSizeUp);
    const down = o.stepSizeDown == null ? up : num(name, "stepSizeDown", o.stepSizeDown);
    const mode = (o.mode ?? "triangular") as CyclicMode;
    const scaleFn = (o.scaleFn ?? null) as ((x: number) => number) | null;
    if (!["triangular", "triangular2", "exp_range"].includes(mode) && scaleFn === null) throw new RangeError("mode is invalid and scale_fn is None");
    const cycleMomentum = o.cycleMomentum ?? true;
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    if (cycleMomentum) {
      if (!("momentum" in optimizer.defaults)) throw new RangeError("optimizer must support momentum with `cycle_momentum` option enabled");
      const bm = perGroup("base_momentum", optimizer, o.baseMomentum ?? 0.8);
      if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g.momentum = bm[i]));
      baseMomentums = optimizer.paramGroups.map((g) => g.momentum as number);
      maxMomentums = perGroup("max_momentum", optimizer, o.maxMomentum ?? 0.9);
    }
    super(optimizer, lastEpoch, verbose);
    this.maxLrs = maxLrs;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = mode;
    this.gamma = o.gamma === undefined ? 1 : num(name, "gamma", o.gamma);
    this.scaleFnCustom = scaleFn;
    this.scaleMode = scaleFn !== null ? ((o.scaleMode ?? "cycle") as "cycle" | "iterations") : mode === "exp_range" ? "iterations" : "cycle";
    this.cycleMomentum = cycleMomentum as boolean;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.initialStep();
    this.baseLrs = baseLrs;
  }
  scaleFn(x: number): number {
    if (this.scaleFnCustom !== null) return this.scaleFnCustom(x);
    if (this.mode === "triangular2") return 1 / 2 ** (x - 1);
    if (this.mode === "exp_range") return this.gamma ** x;
    return 1;
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === "cycle" ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((b, i) => b + (this.maxLrs[i] - b) * scaleFactor * scale);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        g.momentum = this.maxMomentums[i] - (this.maxMomentums[i] - this.baseMomentums[i]) * scaleFactor * scale;
      });
    }
    return lrs;
  }
  override stateDict(): Record<string, unknown> {
    const sd = super.stateDict();
    delete sd.scaleFnCustom;
    return sd;
  }
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}
export type OneCycleLROptions = Common & {
  maxLr?: number | number[]; totalSteps?: number | null; epochs?: number | null; stepsPerEpoch?: number | null; pctStart?: number;
  annealStrategy?: "cos" | "linear"; cycleMomentum?: boolean; baseMomentum?: number | number[]; maxMomentum?: number | number[];
  divFactor?: number; finalDivFactor?: number; threePhase?: boolean;
};
/** The 1cycle policy (Smith & Topin 2017), stepped once per batch: warm up to maxLr, anneal far below the start. */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: "cos" | "linear";
  cycleMomentum: boolean;
  useBeta1: boolean;
  private phases: Phase[];
  constructor(optimizer: Optimizer, ...args: PositionalThenOptions<[maxLr: number | number[], totalSteps: number | null, epochs: number | null, stepsPerEpoch: number | null], OneCycleLROptions>) {
    const name = "OneCycleLR";
    const o = parseArgs(name, ["maxLr", "totalSteps", "epochs", "stepsPerEpoch", "pctStart", "annealStrategy", "cycleMomentum", "baseMomentum", "maxMomentum", "divFactor", "finalDivFactor", "threePhase", ...COMMON], args);
    checkOptimizer(name, optimizer);
    const positiveInt = (key: string, v: unknown) => {
      if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new RangeError(`Expected positive integer ${key}, but got ${String(v)}`);
      return v;
    };
    let totalSteps: number;
    if (o.totalSteps == null && o.epochs == null && o.stepsPerEpoch == null) throw new RangeError("You must define either total_steps OR (epochs AND steps_per_epoch)");
    else if (o.totalSteps != null) totalSteps = positiveInt("total_steps", o.totalSteps);
    else totalSteps = positiveInt("epochs", o.epochs) * positiveInt("steps_per_epoch", o.stepsPerEpoch);
    const pct = o.pctStart === undefined ? 0.3 : num(name, "pctStart", o.pctStart);
    const phase = (endStep: number, startLr: string, endLr: string, startMomentum: string, endMomentum: string): Phase => ({ endStep, startLr, endLr, startMomentum, endMomentum });
    const phases = o.threePhase
      ? [
          phase(pct * totalSteps - 1, "initialLr", "maxLr", "maxMomentum", "baseMomentum"),
          phase(2 * pct * totalSteps - 2, "maxLr", "initialLr", "baseMomentum", "maxMomentum"),
          phase(totalSteps - 1, "initialLr", "minLr", "maxMomentum", "maxMomentum"),
        ]
      : [phase(pct * totalSteps - 1, "initialLr", "maxLr", "maxMomentum", "baseMomentum"), phase(totalSteps - 1, "maxLr", "minLr", "baseMomentum", "maxMomentum")];
    if (pct < 0 || pct > 1) throw new RangeError(`Expected float between 0 and 1 pct_start, but got ${pct}`);
    const anneal = o.annealStrategy ?? "cos";
    if (anneal !== "cos" && anneal !== "linear") throw new RangeError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(anneal)}`);
    const [lastEpoch, verbose] = commonArgs(name, o);
    const maxLrs = perGroup("max_lr", optimizer, need(name, "maxLr", o));
    const divFactor = o.divFactor === undefined ? 25 : num(name, "divFactor", o.divFactor);
    const finalDivFactor = o.finalDivFactor === undefined ? 1e4 : num(name, "finalDivFactor", o.finalDivFactor);
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = (g.initialLr as number) / finalDivFactor;
      });
    }
    const cycleMomentum = (o.cycleMomentum ?? true) as boolean;
    const useBeta1 = "betas" in optimizer.defaults;
    if (cycleMomentum) {
      if (!("momentum" in optimizer.defaults) && !useBeta1) throw new RangeError("optimizer must support momentum with `cycle_momentum` option enabled");
      const maxM = perGroup("max_momentum", optimizer, o.maxMomentum ?? 0.95);
      const baseM = perGroup("base_momentum", optimizer, o.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i], ...(g.betas as number[]).slice(1)];
          else g.momentum = maxM[i];
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
      }
    }
    super(optimizer, lastEpoch, verbose);
    this.totalSteps = totalSteps;
    this.annealStrategy = anneal as "cos" | "linear";
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.phases = phases;
    this.initialStep();
  }
  private anneal(start: number, end: number, pct: number): number {
    return this.annealStrategy === "cos" ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
  }
  getLr(): number[] {
    this.warnIfGetLrOutsideStep();
    const step = this.lastEpoch;
    if (step > this.totalSteps) throw new RangeError(`Tried to step ${step + 1} times. The specified number of total steps is ${this.totalSteps}`);
    return this.optimizer.paramGroups.map((g) => {
      let start = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const p = this.phases[i];
        if (step <= p.endStep || i === this.phases.length - 1) {
          const pct = (step - start) / (p.endStep - start);
          lr = this.anneal(g[p.startLr] as number, g[p.endLr] as number, pct);
          if (this.cycleMomentum) momentum = this.anneal(g[p.startMomentum] as number, g[p.endMomentum] as number, pct);
          break;
        }
        start = p.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}

/** A scheduler made of others: its state dict holds theirs (PyTorch's _schedulers). */
abstract class CombinedScheduler extends LRScheduler {
  protected schedulers: LRScheduler[] = [];
  override stateDict(): Record<string, unknown> {
    const sd = super.stateDict();
    sd.schedulers = this.schedulers.map((s) => s.stateDict());
    return sd;
  }
  override loadStateDict(stateDict: Record<string, unknown>): void {
    const { schedulers, ...rest } = stateDict;
    super.loadStateDict(rest);
    (schedulers as Record<string, unknown>[]).forEach((s, i) => this.schedulers[i].loadStateDict(s));
  }
}

/** Runs schedulers[i] between milestones[i - 1] and milestones[i] (e.g. a LinearLR warm-up, then CosineAnnealingLR). */
export class SequentialLR extends CombinedScheduler {
  milestones: number[];
  constructor(optimizer: Optimizer, schedulers: LRScheduler[], milestones: number[], opts: Common = {}) {
    checkOptimizer("SequentialLR", optimizer);
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new RangeError(`Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`);
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(`Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`);
    }
    const [lastEpoch, verbose] = commonArgs("SequentialLR", opts as Record<string, unknown>);
    super(optimizer, lastEpoch, verbose);
    this.schedulers = schedulers;
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    for (const g of optimizer.paramGroups) g.lr = g.initialLr as number;
    // NOTE: undo the initial step each scheduler took, then take the first one's only.
    for (const s of schedulers) s.lastEpoch -= 1;
    (schedulers[0] as unknown as { initialStep(): void }).initialStep();
    this._lastLr = schedulers[0].getLastLr();
  }
  getLr(): number[] {
    return this.schedulers[0].getLr();
  }
  override step(): void {
    this.lastEpoch += 1;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx] <= this.lastEpoch) idx++; // bisect_right
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this._lastLr = s.getLastLr();
  }
}

/** Steps every scheduler in turn each step (their factors multiply). */
export class ChainedScheduler extends CombinedScheduler {
  constructor(schedulers: LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new TypeError("ChainedScheduler: expected a non-empty array of schedulers");
    schedulers.forEach((s, i) => {
      if (s.optimizer !== schedulers[0].optimizer) {
        throw new RangeError(`ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`);
      }
    });
    super(schedulers[0].optimizer);
    this.schedulers = [...schedulers];
    this._lastLr = lrsOf(this.optimizer);
  }
  getLr(): number[] {
    return lrsOf(this.optimizer);
  }
  override step(): void {
    for (const s of this.schedulers) s.step();
    this._lastLr = lrsOf(this.optimizer);
  }
}
