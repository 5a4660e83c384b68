// optim.LBFGS: limited-memory BFGS over the flattened parameters of its one param group: the
// two-loop recursion on the (y, s) history (history_size pairs, kept while y.s > 1e-10), the
// scaled initial Hessian H_diag = y.s / y.y, a fixed step (first iteration min(1, 1/|g|_1) * lr)
// or the strong-Wolfe line search with cubic interpolation, and PyTorch's stopping rules
// (max_iter, max_eval, tolerance_grad, tolerance_change). step(closure) is required.
// NOTE: the dot products are taken in the parameters' dtype, and the scalars PyTorch keeps in 0-d
// tensors (ro, H_diag, the two-loop coefficients, the first step size) are rounded to it; the
// line search's own scalar arithmetic runs in double. No sparse gradients.
// ref: torch/optim/lbfgs.py (PyTorch 1.13), itself a port of torch7's optim/lbfgs.lua and
// lswolfe.lua; Nocedal & Wright, Numerical Optimization, algorithms 7.4 and 3.5/3.6.
import { Tensor } from "../tensor.js";
import { cat } from "../ops/indexing.js";
import { zeros } from "../ops/creation.js";
import { enableGrad, noGrad } from "../autograd/grad_mode.js";
import { Optimizer, type ParamGroup, type ParamGroupInput, type ParamsArg } from "./optimizer.js";
import { describe, isPlainObject, parseArgs, resolveHyper, type PositionalThenOptions } from "./args.js";

export interface LBFGSHyper {
  [k: string]: unknown;
  lr: number;
  maxIter: number;
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: string | null;
}
export type LBFGSOptions = Partial<Omit<LBFGSHyper, "maxEval">> & { maxEval?: number | null };
export type LBFGSArgs = PositionalThenOptions<
  [lr: number, maxIter: number, maxEval: number | null, toleranceGrad: number, toleranceChange: number, historySize: number, lineSearchFn: string | null],
  LBFGSOptions
>;

function lbfgsDefaults(args: readonly unknown[]): LBFGSHyper {
  const given = parseArgs("LBFGS", ["lr", "maxIter", "maxEval", "toleranceGrad", "toleranceChange", "historySize", "lineSearchFn"], args);
  const { maxEval, lineSearchFn, ...rest } = given;
  const h = resolveHyper("LBFGS", { lr: 1, maxIter: 20, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100 }, rest);
  if (maxEval !== undefined && maxEval !== null && (typeof maxEval !== "number" || Number.isNaN(maxEval))) {
    throw new TypeError(`LBFGS: maxEval must be a number or null, got ${describe(maxEval)}`);
  }
  if (lineSearchFn !== undefined && lineSearchFn !== null && typeof lineSearchFn !== "string") {
    throw new TypeError(`LBFGS: lineSearchFn must be "strong_wolfe" or null, got ${describe(lineSearchFn)}`);
  }
  return {
    lr: h.lr,
    maxIter: h.maxIter,
    maxEval: (maxEval as number | null | undefined) ?? Math.floor((h.maxIter * 5) / 4),
    toleranceGrad: h.toleranceGrad,
    toleranceChange: h.toleranceChange,
    historySize: h.historySize,
    lineSearchFn: (lineSearchFn as string | null | undefined) ?? null,
  };
}

/** The minimiser of the cubic through (x1, f1, g1), (x2, f2, g2), clamped to bounds (default [x1, x2]). */
function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 ** 2 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    // Python's min(max(min_pos, lo), hi): a NaN min_pos compares false and stays
    const m = lo > minPos ? lo : minPos;
    return m > hi ? hi : m;
  }
  return (lo + hi) / 2;
}

type ObjFunc = (x: Tensor[], t: number, d: Tensor) => [number, Tensor];

/** The strong-Wolfe line search along d from step t: [f_new, g_new, t, function evaluations]. */
function strongWolfe(obj: ObjFunc, x: Tensor[], t: number, d: Tensor, f: number, g: Tensor, gtd: number,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25): [number, Tensor, number, number] {
  const dNorm = d.abs().max().item() as number;
  g = g.clone();
  let [fNew, gNew] = obj(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew = gNew.dot(d).item() as number;

  let tPrev = 0, fPrev = f, gPrev = g, gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [], bracketF: number[] = [], bracketG: Tensor[] = [], bracketGtd: number[] = [];
  // bracket an interval containing a point satisfying the Wolfe criteria
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.clone()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t]; bracketF = [fNew]; bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.clone()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // extrapolate
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp; fPrev = fNew; gPrev = gNew.clone(); gtdPrev = gtdNew;
    [fNew, gNew] = obj(x, t, d);
    lsFuncEvals += 1;
    gtdNew = gNew.dot(d).item() as number;
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    bracket = [0, t]; bracketF = [f, fNew]; bracketG = [g, gNew];
    // NOTE: PyTorch leaves bracket_gtd as it was here (unset on this path); a zoom step can't
    // follow because ls_iter == max_ls ends the loop below.
  }
  // zoom: shrink the bracket until a point satisfies the criteria
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    const bMax = Math.max(...bracket), bMin = Math.min(...bracket);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      // interpolation close to the boundary
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = obj(x, t, d);
    lsFuncEvals += 1;
    gtdNew = gNew.dot(d).item() as number;
    lsIter += 1;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
      // Armijo condition not satisfied or not lower than the lowest point
      bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = gNew.clone(); bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true; // Wolfe conditions satisfied
      } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
        // the old high becomes the new low
        bracket[highPos] = bracket[lowPos]; bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos]; bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = gNew.clone(); bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals];
}

export class LBFGS extends Optimizer<LBFGSHyper> {
  /** `new LBFGS(params, { lr: 1, maxIter: 20, lineSearchFn: "strong_wolfe" })`; step(closure) only. */
  constructor(params: ParamsArg<LBFGSHyper>, ...args: LBFGSArgs) {
    super(params, lbfgsDefaults(args));
    if (this.paramGroups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
  }

  /** A param group may give its own lineSearchFn (a string, which the generic type check refuses). */
  override addParamGroup(group: ParamGroupInput<LBFGSHyper>): void {
    if (!isPlainObject(group) || !("lineSearchFn" in group) || group.lineSearchFn === undefined) return super.addParamGroup(group);
    const { lineSearchFn, ...rest } = group;
    if (lineSearchFn !== null && typeof lineSearchFn !== "string") {
      throw new TypeError(`LBFGS: lineSearchFn must be "strong_wolfe" or null, got ${describe(lineSearchFn)}`);
    }
    super.addParamGroup(rest as ParamGroupInput<LBFGSHyper>);
    this.paramGroups[this.paramGroups.length - 1].lineSearchFn = lineSearchFn;
  }

  /** The state keys that hold flat (all-parameter) tensors or lists, exempt from the shape check. */
  protected override flatStateKeys(): ReadonlySet<string> {
    return FLAT_KEYS;
  }

  private get params(): Tensor[] {
    return this.paramGroups[0].params;
  }

  private gatherFlatGrad(): Tensor {
    return cat(this.params.map((p) => (p.grad === null ? zeros([p.numel()], { dtype: p.dtype }) : p.grad.reshape(-1))), 0);
  }

  private addGrad(stepSize: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      p.add_(update.narrow(0, offset, n).view(p.shape), { alpha: stepSize });
      offset += n;
    }
  }

  private directionalEvaluate(closure: () => unknown, x: Tensor[], t: number, d: Tensor): [number, Tensor] {
    this.addGrad(t, d);
    const loss = toFloat(enableGrad(closure));
    const flatGrad = this.gatherFlatGrad();
    this.params.forEach((p, i) => p.copy_(x[i]));
    return [loss, flatGrad];
  }

  protected updateGroup(_group: ParamGroup<LBFGSHyper>): void {
    throw new Error("LBFGS.step needs a closure");
  }

  /**
   * Up to maxIter L-BFGS iterations; `closure` clears the gradients, re-evaluates the loss, calls
   * backward() and returns the loss. Returns the closure's first result, like PyTorch.
   */
  override step<T = unknown>(closure?: () => T): T | undefined {
    if (closure === undefined) throw new TypeError("step() missing 1 required positional argument: 'closure'");
    if (typeof closure !== "function") throw new TypeError(`LBFGS.step: closure must be a function, got ${describe(closure)}`);
    this._stepCount++;
    return noGrad(() => this.run(closure));
  }

  private run<T>(closure: () => T): T {
    const group = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const params = this.params;
    const dtype = params[0].dtype;
    // the scalars PyTorch keeps in 0-d tensors of the parameters' dtype
    const rnd = dtype === "float64" ? (v: number) => v : dtype === "float32" ? Math.fround : (v: number) => v;
    const item = (t: Tensor) => t.item() as number;

    // NOTE: like PyTorch, LBFGS's state is global but registered under the first parameter
    const state = this.stateOf(params[0]) as unknown as Record<string, unknown>;
    state.funcEvals ??= 0;
    state.nIter ??= 0;

    const origLoss = enableGrad(closure);
    let loss = toFloat(origLoss);
    let currentEvals = 1;
    state.funcEvals = (state.funcEvals as number) + 1;
    let flatGrad = this.gatherFlatGrad();
    let optCond = item(flatGrad.abs().max()) <= rnd(toleranceGrad);
    if (optCond) return origLoss;

    let d = (state.d as Tensor | undefined) ?? null;
    let t = (state.t as number | undefined) ?? 0;
    let oldDirs = (state.oldDirs as Tensor[] | undefined) ?? [];
    let oldStps = (state.oldStps as Tensor[] | undefined) ?? [];
    let ro = (state.ro as number[] | undefined) ?? [];
    let hDiag = (state.HDiag as number | undefined) ?? 1;
    let prevFlatGrad = (state.prevFlatGrad as Tensor | undefined) ?? null;
    let prevLoss = (state.prevLoss as number | undefined) ?? null;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      state.nIter = (state.nIter as number) + 1;

      // the descent direction
      if (state.nIter === 1 || d === null || prevFlatGrad === null) {
        d = flatGrad.neg();
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = flatGrad.sub(prevFlatGrad);
        const s = d.mul(t);
        const ys = item(y.dot(s));
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) {
            // drop the oldest pair (limited memory)
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(rnd(1 / ys));
          hDiag = rnd(ys / item(y.dot(y)));
        }
        const numOld = oldDirs.length;
        if (!("al" in state)) state.al = new Array(historySize).fill(null);
        const al = state.al as Array<number | null>;
        // the two-loop recursion: q = -H g, with one buffer
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = rnd(item(oldStps[i].dot(q)) * ro[i]);
          q.add_(oldDirs[i], { alpha: -(al[i] as number) });
        }
        const r = q.mul(hDiag);
        d = r;
        for (let i = 0; i < numOld; i++) {
          const be = rnd(item(oldDirs[i].dot(r)) * ro[i]);
          r.add_(oldStps[i], { alpha: rnd((al[i] as number) - be) });
        }
      }
      if (prevFlatGrad === null) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      // the step length
      if (state.nIter === 1) {
        const inv = rnd(1 / item(flatGrad.abs().sum()));
        t = inv < 1 ? rnd(inv * lr) : lr; // Python's min(1., tensor) * lr
      } else {
        t = lr;
      }
      const gtd = item(flatGrad.dot(d));
      if (gtd > -rnd(toleranceChange)) break; // the directional derivative is below tolerance

      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        if (lineSearchFn !== "strong_wolfe") throw new Error("only 'strong_wolfe' is supported");
        const xInit = params.map((p) => p.clone());
        const obj: ObjFunc = (x, tt, dd) => this.directionalEvaluate(closure, x, tt, dd);
        [loss, flatGrad, t, lsFuncEvals] = strongWolfe(obj, xInit, t, d, loss, flatGrad, gtd);
        this.addGrad(t, d);
        optCond = item(flatGrad.abs().max()) <= rnd(toleranceGrad);
      } else {
        // a fixed step; re-evaluated except after the last iteration
        this.addGrad(t, d);
        if (nIter !== maxIter) {
          loss = toFloat(enableGrad(closure));
          flatGrad = this.gatherFlatGrad();
          optCond = item(flatGrad.abs().max()) <= rnd(toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.funcEvals = (state.funcEvals as number) + lsFuncEvals;

      // stopping conditions
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (item(d.mul(t).abs().max()) <= rnd(toleranceChange)) break; // lack of progress
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    state.d = d;
    state.t = t;
    state.oldDirs = oldDirs;
    state.oldStps = oldStps;
    state.ro = ro;
    state.HDiag = hDiag;
    state.prevFlatGrad = prevFlatGrad;
    state.prevLoss = prevLoss;
    return origLoss;
  }
}

const FLAT_KEYS: ReadonlySet<string> = new Set(["d", "prevFlatGrad", "oldDirs", "oldStps", "ro", "al"]);

/** Python's float(loss): a one-element tensor's value, or a number. */
function toFloat(v: unknown): number {
  if (v instanceof Tensor) {
    if (v.numel() !== 1) throw new Error("only one element tensors can be converted to Python scalars");
    return Number(v.item());
  }
  if (typeof v === "number") return v;
  throw new TypeError(`LBFGS: the closure must return the loss (a Tensor or a number), got ${describe(v)}`);
}
