// The Optimizer base class: param groups with per-group hyperparameters filled from defaults,
// per-parameter state, zeroGrad, step (closure, noGrad), stateDict/loadStateDict, addParamGroup.
// Subclasses only write the update of one group. It does not do CUDA, sparse grads, foreach or
// differentiable steps. ref: torch/optim/optimizer.py (PyTorch 1.13).
import { inspect } from "../inspect_custom.js";
import { Tensor } from "../tensor.js";
import { enableGrad, noGrad } from "../autograd/grad_mode.js";
import { sameShape } from "../shape.js";
import { isFloating } from "../dtype.js";
import { pyFloat, pyRepr } from "../nn/args.js";
import { checkHyperType, describe, isPlainObject, required, unknownOptionHint, warnOnce, type Required } from "./args.js";

/** Hyperparameters of one group, e.g. `{ lr, momentum, ... }` (PyTorch's keys in camelCase). */
export type Hyper = { [k: string]: unknown; lr: number };
/** A param group as stored: the hyperparameters, the tensors, and any extra keys (e.g. `initialLr`). */
export type ParamGroup<H extends Hyper = Hyper> = H & { params: Tensor[]; [extra: string]: unknown };
/** A param group as given by the user: `{ params, lr?: ..., ... }`. */
export type ParamGroupInput<H extends Hyper = Hyper> = Partial<H> & { params: Iterable<Tensor> | Tensor; [extra: string]: unknown };
/** What an optimizer is built on: tensors (`model.parameters()`) or param groups. */
export type ParamsArg<H extends Hyper = Hyper> = Iterable<Tensor> | Iterable<ParamGroupInput<H>>;

/** Per-parameter state: tensors (moments, buffers), the step count, or null (SGD without momentum). */
export type StateValue = Tensor | number | null;
export type ParamState = Record<string, StateValue>;

/** PyTorch's `optimizer.state_dict()` with camelCase keys; params are indices in group order. */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: Array<Hyper & { params: number[] }>;
}

function copyValue(v: unknown): unknown {
  if (v instanceof Tensor) return v.detach().clone();
  if (Array.isArray(v)) return v.map(copyValue);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyValue(x)]));
  return v;
}

const NO_KEYS: ReadonlySet<string> = new Set();
const NO_FLOATS: ReadonlyMap<string, number> = new Map();

export abstract class Optimizer<H extends Hyper = Hyper> {
  /** The hyperparameters a group gets when it doesn't give its own. */
  readonly defaults: { [K in keyof H]: H[K] | Required };
  /** Per-parameter state, keyed by the parameter tensor (PyTorch's `optimizer.state[p]`). */
  state = new Map<Tensor, ParamState>();
  paramGroups: ParamGroup<H>[] = [];
  /** Calls to step() since a scheduler attached (PyTorch's `_step_count`; schedulers read it to warn). */
  _stepCount = 0;

  constructor(params: ParamsArg<H>, defaults: { [K in keyof H]: H[K] | Required }) {
    this.defaults = defaults;
    const name = this.constructor.name;
    if (params instanceof Tensor) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got a Tensor (pass [tensor])`);
    }
    if (params === null || typeof params !== "object" || typeof (params as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new TypeError(`${name}: params must be an iterable of Tensors or param group objects, got ${describe(params)}`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new RangeError("optimizer got an empty parameter list");
    const groups = isPlainObject(list[0]) ? list : [{ params: list }];
    for (const g of groups) this.addParamGroup(g as ParamGroupInput<H>);
  }

  /** Adds a group of parameters with its own hyperparameters (defaults fill the rest). */
  addParamGroup(group: ParamGroupInput<H>): void {
    const name = this.constructor.name;
    if (!isPlainObject(group)) throw new TypeError(`param group must be an object like { params: [...] }, got ${describe(group)}`);
    const raw = group.params;
    let params: unknown[];
    if (raw instanceof Tensor) params = [raw];
    else if (raw instanceof Set) {
      throw new TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.");
    } else if (raw !== null && typeof raw === "object" && typeof (raw as Iterable<unknown>)[Symbol.iterator] === "function") {
      params = [...(raw as Iterable<unknown>)];
    } else {
      throw new TypeError(`param group 'params' must be a Tensor or an iterable of Tensors, got ${describe(raw)}`);
    }
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${describe(p)}`);
      if (!p.isLeaf) throw new RangeError("can't optimize a non-leaf Tensor");
    }
    const where = `${name} param group ${this.paramGroups.length}`;
    for (const k of Object.keys(group)) {
      if (k !== "params" && !(k in this.defaults) && k.includes("_")) {
        throw new TypeError(`${where}: unknown option "${k}"${unknownOptionHint(k, Object.keys(this.defaults))}`);
      }
    }
    const out: Record<string, unknown> = { params };
    for (const [k, d] of Object.entries(this.defaults)) {
      if (d === required && (!(k in group) || group[k] === undefined)) {
        throw new RangeError(`parameter group didn't specify a value of required optimization parameter ${k}`);
      }
      const v = k in group && group[k] !== undefined ? group[k] : d;
      checkHyperType(where, k, v, d);
      out[k] = Array.isArray(v) ? [...v] : v;
    }
    for (const [k, v] of Object.entries(group)) if (!(k in out)) out[k] = v;

    if (new Set(params).size !== params.length) {
      warnOnce("optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information");
    }
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => seen.has(p as Tensor))) throw new RangeError("some parameters appear in more than one parameter group");
    this.paramGroups.push(out as ParamGroup<H>);
  }

  /**
   * Zeroes every parameter's .grad in place (PyTorch 1.13's default), or with `{ setToNone: true }`
   * sets it to null (PyTorch 2's default). NOTE: zeros, not null, by default because torchlet follows
   * 1.13 everywhere; a zero grad still takes a step (weight decay, momentum) while a null one is skipped.
   */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (opts.setToNone) {
          p.grad = null;
          continue;
        }
        if (p.grad.gradFn !== null) p.grad.detach_();
        else p.grad.requiresGrad = false;
        p.grad.zero_();
      }
    }
  }

  /**
   * One update of every parameter that has a gradient. `closure` re-evaluates the model and returns
   * the loss (run with grad enabled); its result is returned. The update itself runs under noGrad.
   */
  step<T = unknown>(closure?: () => T): T | undefined {
    let loss: T | undefined;
    if (closure !== undefined) {
      if (typeof closure !== "function") throw new TypeError(`${this.constructor.name}.step: closure must be a function, got ${describe(closure)}`);
      loss = enableGrad(closure);
    }
    this._stepCount++;
    noGrad(() => {
      for (const group of this.paramGroups) this.updateGroup(group);
    });
    return loss;
  }

  /** The update of one group (runs under noGrad). */
  protected abstract updateGroup(group: ParamGroup<H>): void;

  /** The parameters of a group that have a gradient, paired with it (checked: shape, dtype). */
  protected withGrads(group: ParamGroup<H>): Array<[Tensor, Tensor]> {
    const out: Array<[Tensor, Tensor]> = [];
    group.params.forEach((p, i) => {
      const g = p.grad;
      if (g === null) return;
      const where = `${this.constructor.name}.step: param group ${this.paramGroups.indexOf(group)}, parameter ${i}`;
      // NOTE: float64 parameters work where an update is composed of tensor ops (SGD, RMSprop,
      // Adagrad); the fused Adam/AdamW kernels take float32 (and float16/bfloat16 through it) only.
      if (!isFloating(p.dtype)) throw new TypeError(`${where} has dtype ${p.dtype}; optimizers update floating point tensors`);
      if (!(g instanceof Tensor) || g.dtype !== p.dtype) throw new TypeError(`${where}: .grad must be a ${p.dtype} Tensor, got ${g instanceof Tensor ? g.dtype : describe(g)}`);
      if (!sameShape(g.shape, p.shape)) {
        throw new RangeError(`${where}: .grad has shape [${g.shape.join(", ")}] but the parameter has shape [${p.shape.join(", ")}]`);
      }
      out.push([p, g]);
    });
    return out;
  }

  /** This parameter's state, created empty on first use (PyTorch's defaultdict). */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * `{ state, paramGroups }` with parameters replaced by their index (in group order), like
   * PyTorch's state_dict(). NOTE: as in PyTorch the state tensors are the live ones, not copies;
   * clone them to keep a snapshot while training goes on. loadStateDict copies.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== "params") packed[k] = Array.isArray(v) ? [...v] : v;
      for (const p of g.params) if (!index.has(p)) index.set(p, next++);
      return { ...packed, params: g.params.map((p) => index.get(p)!) } as Hyper & { params: number[] };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = { ...s };
    }
    return { state, paramGroups };
  }

  /** Hyperparameters whose PyTorch default is an integral float, with that default (for toString). */
  protected floatDefaults(): ReadonlyMap<string, number> {
    return NO_FLOATS;
  }

  /** State keys whose tensors are not shaped like their parameter (LBFGS's flat vectors). */
  protected flatStateKeys(): ReadonlySet<string> {
    return NO_KEYS;
  }

  /** Restores hyperparameters and state saved by stateDict() (deep-copied; parameters stay these). */
  loadStateDict(stateDict: OptimizerStateDict): void {
    if (!isPlainObject(stateDict) || !Array.isArray(stateDict.paramGroups) || !isPlainObject(stateDict.state)) {
      throw new TypeError("loadStateDict: expected { state: {...}, paramGroups: [...] } from stateDict()");
    }
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) throw new RangeError("loaded state dict has a different number of parameter groups");
    saved.forEach((g, i) => {
      if (!isPlainObject(g) || !Array.isArray(g.params)) throw new TypeError(`loadStateDict: paramGroups[${i}] must be an object with a params array`);
      if (g.params.length !== this.paramGroups[i].params.length) {
        throw new RangeError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    });
    // saved index -> this optimizer's tensor, pairing the groups in order
    const idMap = new Map<number, Tensor>();
    saved.forEach((g, gi) => g.params.forEach((id, j) => idMap.set(Number(id), this.paramGroups[gi].params[j])));

    const state = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(stateDict.state)) {
      const p = idMap.get(Number(key));
      if (p === undefined) throw new RangeError(`loadStateDict: state has an entry for parameter ${key}, which no param group lists`);
      if (!isPlainObject(s)) throw new TypeError(`loadStateDict: state[${key}] must be an object`);
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        if (v instanceof Tensor && k !== "step" && !this.flatStateKeys().has(k) && !sameShape(v.shape, p.shape)) {
          throw new RangeError(`loadStateDict: state[${key}].${k} has shape [${v.shape.join(", ")}] but the parameter has shape [${p.shape.join(", ")}]`);
        }
        copy[k] = copyValue(v) as StateValue;
      }
      state.set(p, copy);
    }
    const groups = saved.map((g, i) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== "params") out[k] = copyValue(v);
      out.params = this.paramGroups[i].params;
      return out as ParamGroup<H>;
    });
    this.state = state;
    this.paramGroups = groups;
  }

  /** PyTorch's repr: each group's hyperparameters under PyTorch's names (`weight_decay: 0`), sorted. */
  toString(): string {
    // NOTE: JS has one number type: integers print as Python ints (PyTorch's defaults such as
    // weight_decay=0 are ints), other numbers as Python floats (1e-08).
    const show = (v: unknown): string => (Array.isArray(v) ? `(${v.map(show).join(", ")})` : pyRepr(v));
    // PyTorch defaults that are integral Python floats (Adadelta's lr=1.0, ASGD's t0=1e6) print as
    // floats while a group keeps that value (JS can't tell 1 from 1.0; other integers print as ints).
    const floatDefaults = this.floatDefaults();
    const showKey = (k: string, v: unknown): string => (typeof v === "number" && floatDefaults.get(k) === v ? pyFloat(v) : show(v));
    const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    let s = `${this.constructor.name} (`;
    this.paramGroups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      const keys = Object.keys(g).filter((k) => k !== "params").map((k) => [snake(k), k]);
      for (const [name, k] of keys.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) s += `    ${name}: ${showKey(k, g[k])}\n`;
    });
    return s + ")";
  }
  [inspect.custom](): string {
    return this.toString();
  }
}
