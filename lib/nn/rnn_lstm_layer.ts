// One LSTM layer and direction as a single autograd node. Unrolled, each time step records a dozen
// nodes and its backward does a weight-gradient matmul and accumulation per step; here a step is
// one recurrent GEMM plus one fused cell kernel (Backend.lstmCellForward, which computes exactly
// the ops of lstmGates below), writing into buffers preallocated for all steps (rnn_fused_steps.ts),
// and the backward walks the steps once with the fused cell backward and the recurrent weight's
// gradient as ONE matmul over all steps (as cuDNN and oneDNN do). Values equal the unrolled form's
// up to the order in which that weight gradient is summed. Dtypes other than one of float32 or
// float64 for every input run the unrolled form.
// Double backward (createGraph) replays the unrolled form with grad and differentiates that, so it
// stays exact, at the unrolled form's cost.
// ref: aten/src/ATen/native/RNN.cpp (LSTMCell: gates = linear_hh(h) + gi; cy = f*cx + i*g;
// hy = o*tanh(cy)), derivatives.yaml (sigmoid_backward: g*(1-y)*y, tanh_backward: g*(1-y*y)).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { freshGradient } from "../autograd/grads.js";
import { backend } from "../backend/index.js";
import { zeros } from "../ops/creation.js";
import { emptyUninit } from "../ops/scratch.js";
import type { Tensor } from "../tensor.js";
import { linear } from "./functional.js";
import { fusable, matmulInto, rowsOf, StepLayout } from "./rnn_fused_steps.js";
import { activeRows, type BatchSizes, joinSteps, replayBackward, stepSlices, withActiveRows } from "./rnn_layer_grad.js";

/** One step of the cell, from this step's input projection gi = W_ih x + b_ih. */
export function lstmStep(gi: Tensor, h: Tensor, c: Tensor, wHh: Tensor, bHh: Tensor | null): { h: Tensor; c: Tensor; i: Tensor; f: Tensor; g: Tensor; o: Tensor; tc: Tensor } {
  return lstmGates(gi, linear(h, wHh, bHh), c);
}

/** The cell's gates and state update from both projections (hh = W_hh h + b_hh), as recorded ops:
 *  the composition Backend.lstmCellForward computes in one kernel. */
export function lstmGates(gi: Tensor, hh: Tensor, c: Tensor): { h: Tensor; c: Tensor; i: Tensor; f: Tensor; g: Tensor; o: Tensor; tc: Tensor } {
  const [ri, rf, rg, ro] = gi.add(hh).chunk(4, 1);
  const i = ri.sigmoid();
  const f = rf.sigmoid();
  const g = rg.tanh();
  const o = ro.sigmoid();
  const c2 = f.mul(c).add(i.mul(g));
  const tc = c2.tanh();
  return { h: o.mul(tc), c: c2, i, f, g, o, tc };
}

/** The layer unrolled into recorded ops: [outputs [T, N, H] (packed: [sum, H]), h_T, c_T]. */
export function lstmUnrolled(gi: Tensor, h0: Tensor, c0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean, batchSizes: BatchSizes = null): [Tensor, Tensor, Tensor] {
  const steps = stepSlices(gi, batchSizes);
  const T = steps.length;
  const ys: Tensor[] = new Array(T);
  let h = h0;
  let c = c0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const n = steps[t].shape[0];
    const r = lstmStep(steps[t], activeRows(h, n), activeRows(c, n), wHh, bHh);
    h = withActiveRows(r.h, h);
    c = withActiveRows(r.c, c);
    ys[t] = r.h;
  }
  return [joinSteps(ys, batchSizes, h0.shape[0], h0.shape[1]), h, c];
}

interface Saved {
  L: StepLayout;
  gates: Tensor; // [rows, 4H]: i, f, g, o after their activations
  tanhC: Tensor; // [rows, H]
  hs: Tensor; // [T+1, N, H] state slots (StepLayout)
  cs: Tensor;
}

/**
 * apply(gi [T, N, 4H], h0 [N, H], c0 [N, H], wHh [4H, H], bHh [4H] | null, reverse, batchSizes?) -> [y, hT, cT].
 * With batchSizes (a packed sequence, rnn_layer_grad.ts) gi is [sum, 4H] and y [sum, H].
 */
export class LSTMLayer extends Function {
  static override gradFnName = "LSTMBackward";
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

  static override forward(ctx: FunctionCtx, gi: Tensor, h0: Tensor, c0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean, batchSizes: BatchSizes = null): Tensor[] {
    ctx.saveForBackward(gi, h0, c0, wHh, bHh);
    ctx.lstmArgs = { reverse, batchSizes };
    // NOTE: h_T and c_T come back as they are; with T = 0 they are h0/c0, which apply() returns as new views.
    if (!fusable(gi, h0, c0, wHh, bHh)) return lstmUnrolled(gi, h0, c0, wHh, bHh, reverse, batchSizes);
    const [N, H] = h0.shape;
    const L = new StepLayout(batchSizes, gi, N, H, reverse);
    const giC = gi.contiguous();
    const gates = emptyUninit([L.rows, 4 * H], gi.dtype);
    const tanhC = emptyUninit([L.rows, H], gi.dtype);
    const hs = L.newStates(h0);
    const cs = L.newStates(c0);
    const be = backend();
    for (let k = 0; k < L.T; k++) {
      const t = L.stepAt(k);
      const n = L.n[t], off = L.off[t];
      const hPrev = L.slot(hs, L.prev(t), n);
      be.lstmCellForward(
        rowsOf(giC, off, n, 4 * H), linear(hPrev, wHh, bHh), L.slot(cs, L.prev(t), n),
        rowsOf(gates, off, n, 4 * H), L.slot(cs, L.next(t), n), rowsOf(tanhC, off, n, H), L.slot(hs, L.next(t), n),
      );
      L.carryInactive(hs, t);
      L.carryInactive(cs, t);
    }
    ctx.lstm = { L, gates, tanhC, hs, cs } satisfies Saved;
    // NOTE: hs is returned (y is a view of it); the cell states go out as a copy of the last.
    ctx.keepPrivate(gates, tanhC, cs);
    return [L.joined(hs, "next", false), L.slot(hs, L.last, N).clone(), L.slot(cs, L.last, N).clone()];
  }

  static override backward(ctx: FunctionCtx, gY: Tensor, gH: Tensor, gC: Tensor): (Tensor | null)[] {
    const [gi, h0, c0, wHh, bHh] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor, Tensor | null];
    const { reverse, batchSizes } = ctx.lstmArgs as { reverse: boolean; batchSizes: BatchSizes };
    const s = ctx.lstm as Saved | undefined;
    if (isGradEnabled() || s === undefined) return replayBackward(ctx, [gi, h0, c0, wHh, bHh], () => lstmUnrolled(gi, h0, c0, wHh, bHh, reverse, batchSizes), [gY, gH, gC]);
    const { L, gates, tanhC, hs, cs } = s;
    const { N, H } = L;
    const be = backend();
    // The state gradients, updated in place step by step (a step's inactive rows keep theirs).
    const dh = emptyUninit([N, H], gi.dtype);
    const dc = emptyUninit([N, H], gi.dtype);
    be.copy(gH, dh);
    be.copy(gC, dc);
    const gYc = gY.contiguous();
    const dPre = emptyUninit([L.rows, 4 * H], gi.dtype);
    for (let k = L.T - 1; k >= 0; k--) {
      const t = L.stepAt(k);
      const n = L.n[t], off = L.off[t];
      const dhN = rowsOf(dh, 0, n, H), dcN = rowsOf(dc, 0, n, H), dPreT = rowsOf(dPre, off, n, 4 * H);
      be.lstmCellBackward(dhN, rowsOf(gYc, off, n, H), dcN, rowsOf(gates, off, n, 4 * H), rowsOf(tanhC, off, n, H), L.slot(cs, L.prev(t), n), dPreT, dcN);
      matmulInto(dPreT, wHh, dhN);
    }
    const needW = ctx.needsInputGrad[3];
    const dW = needW ? (L.T > 0 ? dPre.t().matmul(L.joined(hs, "prev", true).reshape([L.rows, H])) : zeros([4 * H, H])) : null;
    const dB = bHh !== null && ctx.needsInputGrad[4] ? dPre.sum(0) : null;
    const [nGi, nH, nC] = ctx.needsInputGrad;
    // NOTE: all new storage that nothing here keeps (the reshape is dPre's only view once this returns).
    const fresh = [nGi ? dPre.reshape(gi.shape) : null, nH ? dh : null, nC ? dc : null, dW, dB].map(freshGradient);
    return [...fresh, null, null];
  }
}
