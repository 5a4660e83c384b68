// F.multilabel_margin_loss, F.triplet_margin_with_distance_loss and F.ctc_loss.
// multilabel_margin: per sample, Σ over its targets j (the class indices before the first -1) and
// the non-target classes i of max(0, 1 − (x[j] − x[i])), over C; one [N, C, C] hinge table weighted
// by (count of a as a target) · (i not a target), so gradients follow (0 at the hinge, as PyTorch).
// triplet_margin_with_distance: max(0, margin + d(a, p) − d(a, n)) for any distance function
// (pairwise_distance by default), swap taking min(d(a, n), d(p, n)).
// ctc: −log p(target | input) by the log-space alpha recursion over the blank-interleaved target,
// all samples at once ([N, 2S+1] per time step; a sample's alpha freezes past its input length).
// Unreachable states hold a large negative number instead of −inf so that autograd of the
// log-sum-exp never forms 0·inf; a target that no alignment reaches (T < S + repeats) gets loss inf
// (0 with zero_infinity) and a zero gradient (PyTorch's is NaN there without zero_infinity).
// ref: aten/src/ATen/native/LossMultiLabelMargin.cpp, LossCTC.cpp, torch/nn/functional.py (1.13).
import type { Tensor } from "../../tensor.js";
import { rename } from "../../autograd/node.js";
import { tensor, full } from "../../ops/creation.js";
import { cat, stack } from "../../ops/indexing.js";
import { where } from "../../ops/elementwise.js";
import { isFloating } from "../../dtype.js";
import { checkBool, checkInt, checkTensor, parseArgs } from "../args.js";
import { pairwiseDistance } from "../functional_distance.js";
import type { LegacyReductionOptions } from "./margin.js";
import { applyReduction, resolveReduction, type Reduction } from "./reduction.js";

const LEGACY = { sizeAverage: null, reduce: null, reduction: "mean" };
const ints = (t: Tensor): number[] => Array.from(t.contiguous().storage() as ArrayLike<number | bigint>, Number);

/** F.multilabel_margin_loss(input [C] or [N, C], target (int64, same shape; -1 ends each sample's targets)). */
export function multilabelMarginLoss(input: Tensor, target: Tensor, options?: LegacyReductionOptions): Tensor;
export function multilabelMarginLoss(input: Tensor, target: Tensor, sizeAverage?: boolean | null, reduce?: boolean | null, reduction?: Reduction): Tensor;
export function multilabelMarginLoss(...args: unknown[]): Tensor {
  const fn = "multilabel_margin_loss";
  const o = parseArgs<any>(fn, args, ["input", "target", "sizeAverage", "reduce", "reduction"], LEGACY);
  const x = checkTensor(fn, "input", o.input, 1);
  const t = checkTensor(fn, "target", o.target, 2);
  const reduction = resolveReduction(o);
  if (!(x.ndim === 1 || x.ndim === 2) || (x.ndim === 1 && x.numel() === 0)) {
    throw new RangeError(`Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${"[" + x.shape.join(", ") + "]"}`);
  }
  if (t.ndim !== x.ndim || t.shape.some((s, i) => s !== x.shape[i])) throw new RangeError(`inconsistent size [${t.shape.join(", ")}] for argument #2 'target'`);
  if (t.dtype !== "int64") throw new TypeError(`expected scalar type Long but found ${t.dtype === "float32" ? "Float" : t.dtype}`);
  const C = x.shape[x.ndim - 1];
  const N = x.ndim === 1 ? 1 : x.shape[0];
  const tv = ints(t);
  const count = new Array<number>(N * C).fill(0);
  const isTarget = new Array<number>(N * C).fill(0);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < C; j++) {
      const c = tv[n * C + j];
      if (c < 0) break;
      if (c >= C) throw new RangeError("argument #2 'target' is out of range");
      count[n * C + c]++;
      isTarget[n * C + c] = 1;
    }
  }
  const x2 = x.reshape([N, C]);
  // W[n, a, i] = count(a) · (i not a target); hinge[n, a, i] = max(0, 1 − (x_a − x_i)).
  const cnt = tensor(count, { dtype: x.dtype }).reshape([N, C, 1]);
  const notT = tensor(isTarget.map((v) => 1 - v), { dtype: x.dtype }).reshape([N, 1, C]);
  const hinge = x2.unsqueeze(1).sub(x2.unsqueeze(2)).add(1).relu();
  let loss = hinge.mul(cnt.mul(notT)).sum([1, 2]).div(C);
  loss = rename(loss, "MultilabelMarginLossBackward0");
  if (x.ndim === 1) return rename(loss.reshape([]), "MultilabelMarginLossBackward0");
  return applyReduction(loss, reduction);
}

export interface TripletMarginWithDistanceOptions {
  distanceFunction?: ((a: Tensor, b: Tensor) => Tensor) | null;
  margin?: number;
  swap?: boolean;
  reduction?: Reduction;
}

/** F.triplet_margin_with_distance_loss(anchor, positive, negative, { distanceFunction, margin = 1, swap = false, reduction = 'mean' }). */
export function tripletMarginWithDistanceLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options?: TripletMarginWithDistanceOptions): Tensor {
  const fn = "triplet_margin_with_distance_loss";
  const opts = options ?? {};
  for (const k of Object.keys(opts)) {
    if (!["distanceFunction", "margin", "swap", "reduction"].includes(k)) throw new TypeError(`${fn}() got an unexpected keyword argument '${k}'`);
  }
  const a = checkTensor(fn, "anchor", anchor, 1);
  const p = checkTensor(fn, "positive", positive, 2);
  const n = checkTensor(fn, "negative", negative, 3);
  const margin = opts.margin ?? 1;
  const swap = checkBool(fn, "swap", opts.swap ?? false);
  const reduction = resolveReduction({ reduction: opts.reduction ?? "mean" });
  const dist = opts.distanceFunction ?? ((u: Tensor, v: Tensor) => pairwiseDistance(u, v));
  const dPos = dist(a, p);
  let dNeg = dist(a, n);
  if (swap) dNeg = dNeg.minimum(dist(p, n));
  return applyReduction(dPos.sub(dNeg).add(margin).clampMin(0), reduction);
}

export interface CtcLossOptions { blank?: number; reduction?: Reduction; zeroInfinity?: boolean }

const NEG = -1e30; // "log 0" that stays finite in float32 and float64

/**
 * F.ctc_loss(logProbs [T, N, C] or [T, C], targets [N, S] padded or 1-D concatenated, inputLengths, targetLengths,
 * blank = 0, reduction = 'mean' (each loss / its target length, then the batch mean), zeroInfinity = false).
 */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: Tensor | number[] | number, targetLengths: Tensor | number[] | number, blank?: number | CtcLossOptions, reduction?: Reduction, zeroInfinity?: boolean): Tensor;
export function ctcLoss(...args: unknown[]): Tensor {
  const fn = "ctc_loss";
  const o = parseArgs<any>(fn, args, ["logProbs", "targets", "inputLengths", "targetLengths", "blank", "reduction", "zeroInfinity"], { blank: 0, reduction: "mean", zeroInfinity: false });
  let lp = checkTensor(fn, "log_probs", o.logProbs, 1);
  let targets = checkTensor(fn, "targets", o.targets, 2);
  const blank = checkInt(fn, "blank", o.blank);
  const reduction = resolveReduction(o);
  const zeroInf = checkBool(fn, "zero_infinity", o.zeroInfinity);
  const lens = (v: unknown): number[] => (typeof v === "number" ? [v] : Array.isArray(v) ? v.map(Number) : ints(checkTensor(fn, "lengths", v)));
  const unbatched = lp.ndim === 2;
  if (unbatched) {
    lp = lp.unsqueeze(1);
    if (targets.ndim === 1) targets = targets.unsqueeze(0);
  }
  if (lp.ndim !== 3) throw new RangeError(`ctc_loss: expected log_probs to be 2-D or 3-D, got ${lp.ndim}-D`);
  if (!isFloating(lp.dtype)) throw new TypeError(`"ctc_loss_cpu" not implemented for '${lp.dtype}'`);
  const [T, N, C] = lp.shape;
  const inLen = lens(o.inputLengths);
  const tgLen = lens(o.targetLengths);
  if (blank < 0 || blank >= C) throw new RangeError("blank must be in label range");
  if (inLen.length !== N) throw new RangeError("input_lengths must be of size batch_size");
  if (tgLen.length !== N) throw new RangeError("target_lengths must be of size batch_size");
  const tv = ints(targets);
  // Each sample's target labels.
  const labels: number[][] = [];
  if (targets.ndim === 1) {
    let pos = 0;
    for (let n = 0; n < N; n++) {
      labels.push(tv.slice(pos, pos + tgLen[n]));
      pos += tgLen[n];
    }
  } else {
    const S = targets.shape[1];
    for (let n = 0; n < N; n++) {
      if (tgLen[n] > S) {
        throw new RangeError(`Expected tensor to have size at least ${tgLen[n]} at dimension 1, but got size ${S} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
      }
      labels.push(tv.slice(n * S, n * S + tgLen[n]));
    }
  }
  for (let n = 0; n < N; n++) {
    if (inLen[n] > T) throw new RangeError(`Expected input_lengths to have value at most ${T}, but got value ${inLen[n]} (while checking arguments for ctc_loss_cpu)`);
  }
  const Smax = Math.max(0, ...tgLen);
  const L = 2 * Smax + 1;
  // Extended labels l' (blank, l1, blank, l2, ..., blank), the skip mask, and which samples a target can reach.
  const ext: number[] = [];
  const skip: number[] = [];
  const validState: number[] = [];
  const feasible: boolean[] = [];
  for (let n = 0; n < N; n++) {
    const lab = labels[n];
    let repeats = 0;
    for (let s = 1; s < lab.length; s++) if (lab[s] === lab[s - 1]) repeats++;
    feasible.push(inLen[n] >= lab.length + repeats);
    for (let s = 0; s < L; s++) {
      const l = s % 2 === 0 || (s - 1) / 2 >= lab.length ? blank : lab[(s - 1) / 2];
      ext.push(l);
      skip.push(s >= 2 && s % 2 === 1 && (s - 1) / 2 < lab.length && lab[(s - 1) / 2] !== lab[(s - 3) / 2] ? 1 : 0);
      validState.push(s < 2 * lab.length + 1 ? 1 : 0);
    }
  }
  const long = { dtype: "int64" as const };
  const dt = { dtype: lp.dtype };
  // Emissions E[t, n, s] = logProbs[t, n, l'_n(s)].
  const E = lp.gather(2, tensor(ext, long).reshape([1, N, L]).expand(T, N, L));
  const skipOk = tensor(skip, long).reshape([N, L]).ne(0);
  const negCol = (k: number) => full([N, k], NEG, dt);
  // alpha_0: the first blank and the first label.
  const init = tensor(Array.from({ length: N * L }, (_, i) => (i % L < 2 && validState[i] ? 0 : NEG)), dt).reshape([N, L]);
  let alpha = where(init.eq(0), E.select(0, 0), init);
  for (let t = 1; t < T; t++) {
    const a1 = cat([negCol(1), alpha.narrow(1, 0, L - 1)], 1);
    const a2 = L > 2 ? where(skipOk, cat([negCol(2), alpha.narrow(1, 0, L - 2)], 1), NEG) : negCol(L);
    const next = stack([alpha, a1, a2], 0).logsumexp(0).add(E.select(0, t));
    const active = tensor(inLen.map((len) => (t < len ? 1 : 0)), long).reshape([N, 1]).ne(0);
    alpha = where(active, next, alpha);
  }
  // −log p: log-sum-exp of the last blank and the last label at each sample's last step.
  const withNeg = cat([alpha, negCol(1)], 1);
  const last = tensor(labels.flatMap((lab) => [2 * lab.length, lab.length > 0 ? 2 * lab.length - 1 : L]), long).reshape([N, 2]);
  let loss = withNeg.gather(1, last).logsumexp(1).neg();
  // PyTorch's backward returns exp(log_probs) + ∂loss/∂log_probs for t < input_length (it assumes
  // log_probs came from log_softmax, whose backward then gives the logits the exact gradient): the
  // same here by adding exp(lp) − exp(lp).detach(), exactly 0 in value.
  if (lp.requiresGrad) {
    const e = lp.exp();
    const tm = tensor(Array.from({ length: T * N }, (_, i) => (Math.floor(i / N) < inLen[i % N] && feasible[i % N] ? 1 : 0)), long).reshape([T, N, 1]).ne(0);
    loss = loss.add(where(tm, e.sub(e.detach()), 0).sum([0, 2]));
  }
  const bad = tensor(feasible.map((f) => (f ? 0 : 1)), long).ne(0);
  loss = where(bad, zeroInf ? 0 : Infinity, loss);
  if (zeroInf) loss = where(loss.detach().isinf(), 0, loss);
  loss = rename(loss, "CtcLossBackward0");
  if (reduction === "none") return unbatched ? loss.squeeze(0) : loss;
  if (reduction === "sum") return loss.sum();
  return loss.div(tensor(tgLen.map((l) => Math.max(l, 1)), dt)).mean();
}
