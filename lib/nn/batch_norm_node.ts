// BatchNorm (train and eval) as one autograd node over the backend's batch-norm kernels: the
// training forward takes each channel's mean and biased variance in one pass and applies the fused
// scale-shift; the backward takes sum(g) and sum((x - mean)·g) in one pass, then dx, dweight and
// dbias with PyTorch's formula. Under createGraph the backward replays the composition (`replay`),
// so higher gradients keep working. Float32 only (the frontend routes other dtypes to the composition).
// ref: PyTorch 1.13 aten/src/ATen/native/batch_norm.cpp (batch_norm_cpu, batch_norm_backward_cpu).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { grad as autogradGrad } from "../autograd/grad.js";
import { enableGrad, isGradEnabled } from "../autograd/grad_mode.js";
import { freshGradient } from "../autograd/grads.js";
import { backend } from "../backend/index.js";
import type { View } from "../backend/types.js";
import { emptyUninit } from "../ops/scratch.js";
import { Tensor } from "../tensor.js";

/** The float32 values of an optional per-channel tensor, or `fill` when absent. */
function channelValues(t: Tensor | null, C: number, fill: number): Float32Array {
  if (t === null) return new Float32Array(C).fill(fill);
  // NOTE: detached before a copy, so a strided weight's contiguous() records no graph.
  return ((t.isContiguous() ? t : t.detach().contiguous()).storage() as Float32Array).slice(0, C);
}

/** [f(0), ..., f(C - 1)] in an array of `Out` (each value rounded to its type).
 *  NOTE: a plain loop: TypedArray.from with a mapping function takes V8's generic iterable path,
 *  which cost more than an eval-mode batch norm's whole kernel on a small input. */
function perChannel<A extends Float32Array | Float64Array>(Out: { new (n: number): A }, C: number, f: (c: number) => number): A {
  const out = new Out(C);
  for (let c = 0; c < C; c++) out[c] = f(c);
  return out;
}

const ncl = (t: Tensor, N: number, C: number, L: number): View => ({ typedArray: t.typedArray, offset: t.offset, shape: [N, C, L], strides: [C * L, L, 1] });

/** What the training forward hands back besides y: the batch statistics, in doubles. */
export interface BatchStats {
  mean: Float64Array;
  variance: Float64Array;
}

/** The composition a createGraph backward replays: y from x3 [N, C, L] with weight/bias per channel. */
export type Replay = (x3: Tensor, w: Tensor | null, b: Tensor | null) => Tensor;

interface Saved {
  xc: Tensor; // x3, contiguous
  mean: Float64Array;
  invstd: Float64Array;
  replay: Replay;
}

/** Gradients for (x3, w, b) from the saved state; gradMean/k are zero in eval (fixed statistics). */
function backwardFromSums(ctx: FunctionCtx, s: Saved, g: Tensor, w: Tensor | null, training: boolean): (Tensor | null)[] {
  const [N, C, L] = s.xc.shape;
  const gc = g.contiguous();
  const sumG = new Float64Array(C), dot = new Float64Array(C);
  backend().batchNormBackwardReduce(ncl(s.xc, N, C, L), ncl(gc, N, C, L), s.mean, sumG, dot);
  let dx: Tensor | null = null;
  if (ctx.needsInputGrad[0]) {
    const wv = channelValues(w, C, 1);
    const a = perChannel(Float32Array, C, (c) => s.invstd[c] * wv[c]);
    if (training) {
      // NOTE: PyTorch's formula: dx = (g - mean(g) - (x - mean)·k)·invstd·w with k = dot·invstd²/n.
      const n = N * L;
      const gm = perChannel(Float32Array, C, (c) => sumG[c] / n);
      const k = perChannel(Float32Array, C, (c) => (dot[c] * s.invstd[c] * s.invstd[c]) / n);
      dx = freshGradient(emptyUninit([N, C, L], "float32")); // batchNormBackwardInput writes every element
      backend().batchNormBackwardInput(ncl(s.xc, N, C, L), ncl(gc, N, C, L), Float32Array.from(s.mean), gm, k, a, ncl(dx, N, C, L));
    } else {
      // eval: the statistics are constants, dx = g·invstd·w.
      dx = freshGradient(gc.mul(Tensor.fromStorage(a, [1, C, 1])));
    }
  }
  // NOTE: all three are new storage this function keeps no reference to.
  const dw = ctx.needsInputGrad[1] && w !== null ? freshGradient(Tensor.fromStorage(perChannel(Float32Array, C, (c) => dot[c] * s.invstd[c]), [C]).reshape(w.shape)) : null;
  const db = ctx.needsInputGrad[2] ? freshGradient(Tensor.fromStorage(Float32Array.from(sumG), [C])) : null;
  return [dx, dw, db];
}

/** createGraph's backward: the gradients of s.replay(x, w, b) for g, differentiable (also used by layer_norm_node.ts). */
export function replayBackward(ctx: FunctionCtx, s: { replay: Replay }, g: Tensor, x3: Tensor, w: Tensor | null, b: Tensor | null): (Tensor | null)[] {
  const y = enableGrad(() => s.replay(x3, w, b));
  const inputs = [x3, w, b];
  const wanted = inputs.map((t, i) => (t !== null && ctx.needsInputGrad[i] ? t : null));
  const grads = autogradGrad([y], wanted.filter((t): t is Tensor => t !== null), { gradOutputs: [g], createGraph: true, allowUnused: true });
  let k = 0;
  return wanted.map((t) => (t === null ? null : (grads[k++] ?? null)));
}

/** apply(x3 [N, C, L] float32, weight [C] | null, bias [C] | null, eps, stats sink, replay) -> y [N, C, L]. */
export class BatchNormTrain extends Function {
  static override gradFnName = "NativeBatchNormBackward0";
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

  static override forward(ctx: FunctionCtx, x3: Tensor, w: Tensor | null, b: Tensor | null, eps: number, sink: BatchStats, replay: Replay): Tensor {
    const [N, C, L] = x3.shape;
    const xc = x3.contiguous();
    const mean = new Float64Array(C), variance = new Float64Array(C);
    backend().batchNormStats(ncl(xc, N, C, L), mean, variance);
    const invstd = perChannel(Float64Array, C, (c) => 1 / Math.sqrt(variance[c] + eps));
    const y = normalized(xc, mean, invstd, w, b);
    sink.mean = mean;
    sink.variance = variance;
    ctx.saveForBackward(x3, w, b);
    ctx.bn = { xc, mean, invstd, replay } satisfies Saved;
    return y;
  }

  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [x3, w, b] = ctx.savedTensors as [Tensor, Tensor | null, Tensor | null];
    const s = ctx.bn as Saved;
    const grads = isGradEnabled() ? replayBackward(ctx, s, g, x3, w, b) : backwardFromSums(ctx, s, g, w, true);
    return [...grads, null, null, null];
  }
}

/** (x - mean) * invstd * weight + bias per channel of xc [N, C, L] (contiguous), as one fused pass,
 *  into a new tensor or into `into` (xc itself may be it: each element is read before it is written). */
function normalized(xc: Tensor, mean: Float64Array, invstd: Float64Array, w: Tensor | null, b: Tensor | null, into?: Tensor): Tensor {
  const [N, C, L] = xc.shape;
  const wv = channelValues(w, C, 1);
  const y = into ?? emptyUninit([N, C, L], "float32"); // batchNormApply writes every element
  const scale = perChannel(Float32Array, C, (c) => invstd[c] * wv[c]);
  backend().batchNormApply(ncl(xc, N, C, L), Float32Array.from(mean), scale, channelValues(b, C, 0), ncl(y, N, C, L));
  return y;
}

/** apply(x3 [N, C, L] float32, weight | null, bias | null, runningMean, runningVar, eps, replay) -> y. */
export class BatchNormEval extends Function {
  static override gradFnName = "NativeBatchNormBackward0";
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

  static override forward(ctx: FunctionCtx, x3: Tensor, w: Tensor | null, b: Tensor | null, rm: Tensor, rv: Tensor, eps: number, replay: Replay): Tensor {
    const xc = x3.contiguous();
    const { mean, invstd } = evalStatistics(x3.shape[1], rm, rv, eps);
    const y = normalized(xc, mean, invstd, w, b);
    ctx.saveForBackward(x3, w, b, rm, rv);
    ctx.bn = { xc, mean, invstd, replay } satisfies Saved;
    return y;
  }

  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [x3, w, b] = ctx.savedTensors as [Tensor, Tensor | null, Tensor | null];
    const s = ctx.bn as Saved;
    const grads = isGradEnabled() ? replayBackward(ctx, s, g, x3, w, b) : backwardFromSums(ctx, s, g, w, false);
    return [...grads, null, null, null, null];
  }
}

/** The running statistics as the eval-mode kernel takes them: mean and 1 / sqrt(var + eps), in doubles. */
function evalStatistics(C: number, rm: Tensor, rv: Tensor, eps: number): { mean: Float64Array; invstd: Float64Array } {
  const mean = Float64Array.from(channelValues(rm, C, 0));
  const rvv = channelValues(rv, C, 1);
  return { mean, invstd: perChannel(Float64Array, C, (c) => 1 / Math.sqrt(rvv[c] + eps)) };
}

/**
 * Eval-mode batch norm written over x3 [N, C, L] itself (contiguous float32, as every per-channel
 * tensor), with BatchNormEval's arithmetic, so the bits of batch_norm(x3, ...) in eval mode. No
 * graph: for callers that know x3 is a fresh result nothing else can reach (nn/conv_bn.ts).
 */
export function batchNormEvalInPlace(x3: Tensor, w: Tensor | null, b: Tensor | null, rm: Tensor, rv: Tensor, eps: number): void {
  const { mean, invstd } = evalStatistics(x3.shape[1], rm, rv, eps);
  normalized(x3, mean, invstd, w, b, x3);
}
