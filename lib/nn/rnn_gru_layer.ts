// One GRU layer and direction as a single autograd node, as rnn_lstm_layer.ts does for the LSTM:
// a step is one recurrent GEMM plus one fused cell kernel (Backend.gruCellForward: exactly the ops
// of gruGates below) over preallocated buffers (rnn_fused_steps.ts), the backward walks the steps
// once with the fused cell backward and takes the recurrent weight's gradient as one matmul over all
// steps; createGraph (and dtypes other than one of float32/float64) replays the unrolled form. Gate layout r, z, n; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
// ref: aten/src/ATen/native/RNN.cpp (GRUCell: r = sigmoid(hr + ir), z = sigmoid(hz + iz),
// n = tanh(in + hn * r), hy = (hx - n) * z + n).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { freshGradient } from "../autograd/grads.js";
import { backend } from "../backend/index.js";
import { zeros } from "../ops/creation.js";
import { emptyUninit, recycle } from "../ops/scratch.js";
import type { Tensor } from "../tensor.js";
import { linear } from "./functional.js";
import { fusable, matmulInto, rowsOf, StepLayout } from "./rnn_fused_steps.js";
import { activeRows, type BatchSizes, joinSteps, replayBackward, stepSlices, withActiveRows } from "./rnn_layer_grad.js";

/** One step of the cell, from this step's input projection gi = W_ih x + b_ih. */
export function gruStep(gi: Tensor, h: Tensor, wHh: Tensor, bHh: Tensor | null): { h: Tensor; r: Tensor; z: Tensor; n: Tensor; hn: Tensor } {
  return gruGates(gi, linear(h, wHh, bHh), h);
}

/** The cell's gates and new state from both projections (hh = W_hh h + b_hh), as recorded ops:
 *  the composition Backend.gruCellForward computes in one kernel. */
export function gruGates(gi: Tensor, hh: Tensor, h: Tensor): { h: Tensor; r: Tensor; z: Tensor; n: Tensor; hn: Tensor } {
  const [ir, iz, inn] = gi.chunk(3, 1);
  const [hr, hz, hn] = hh.chunk(3, 1);
  const r = ir.add(hr).sigmoid();
  const z = iz.add(hz).sigmoid();
  const n = inn.add(r.mul(hn)).tanh();
  // NOTE: ATen's form, (h - n) * z + n, for the same rounding.
  return { h: h.sub(n).mul(z).add(n), r, z, n, hn };
}

/** The layer unrolled into recorded ops: [outputs [T, N, H] (packed: [sum, H]), h_T]. */
export function gruUnrolled(gi: Tensor, h0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean, batchSizes: BatchSizes = null): [Tensor, Tensor] {
  const steps = stepSlices(gi, batchSizes);
  const T = steps.length;
  const ys: Tensor[] = new Array(T);
  let h = h0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    ys[t] = gruStep(steps[t], activeRows(h, steps[t].shape[0]), wHh, bHh).h;
    h = withActiveRows(ys[t], h);
  }
  return [joinSteps(ys, batchSizes, h0.shape[0], h0.shape[1]), h];
}

interface Saved {
  L: StepLayout;
  gates: Tensor; // [rows, 3H]: r, z, n
  hh: Tensor[]; // per step t: W_hh h + b_hh, [n_t, 3H]
  hs: Tensor; // [T+1, N, H] state slots (StepLayout)
}

/**
 * apply(gi [T, N, 3H], h0 [N, H], wHh [3H, H], bHh [3H] | null, reverse, batchSizes?) -> [y, hT].
 * With batchSizes (a packed sequence, rnn_layer_grad.ts) gi is [sum, 3H] and y [sum, H].
 */
export class GRULayer extends Function {
  static override gradFnName = "GRUBackward";
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

  static override forward(ctx: FunctionCtx, gi: Tensor, h0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean, batchSizes: BatchSizes = null): Tensor[] {
    ctx.saveForBackward(gi, h0, wHh, bHh);
    ctx.gruArgs = { reverse, batchSizes };
    if (!fusable(gi, h0, wHh, bHh)) return gruUnrolled(gi, h0, wHh, bHh, reverse, batchSizes);
    const [N, H] = h0.shape;
    const L = new StepLayout(batchSizes, gi, N, H, reverse);
    const giC = gi.contiguous();
    const gates = emptyUninit([L.rows, 3 * H], gi.dtype);
    const hh: Tensor[] = new Array(L.T);
    const hs = L.newStates(h0);
    const be = backend();
    for (let k = 0; k < L.T; k++) {
      const t = L.stepAt(k);
      const n = L.n[t], off = L.off[t];
      const hPrev = L.slot(hs, L.prev(t), n);
      hh[t] = linear(hPrev, wHh, bHh);
      be.gruCellForward(rowsOf(giC, off, n, 3 * H), hh[t], hPrev, rowsOf(gates, off, n, 3 * H), L.slot(hs, L.next(t), n));
      L.carryInactive(hs, t);
    }
    ctx.gru = { L, gates, hh, hs } satisfies Saved;
    ctx.keepPrivate(gates, ...hh); // hs is returned (y is a view of it)
    return [L.joined(hs, "next", false), L.slot(hs, L.last, N).clone()];
  }

  static override backward(ctx: FunctionCtx, gY: Tensor, gH: Tensor): (Tensor | null)[] {
    const [gi, h0, wHh, bHh] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor | null];
    const { reverse, batchSizes } = ctx.gruArgs as { reverse: boolean; batchSizes: BatchSizes };
    const s = ctx.gru as Saved | undefined;
    if (isGradEnabled() || s === undefined) return replayBackward(ctx, [gi, h0, wHh, bHh], () => gruUnrolled(gi, h0, wHh, bHh, reverse, batchSizes), [gY, gH]);
    const { L, gates, hh, hs } = s;
    const { N, H } = L;
    const be = backend();
    // h's gradient, updated in place step by step (a step's inactive rows keep theirs).
    const dh = emptyUninit([N, H], gi.dtype);
    be.copy(gH, dh);
    const gYc = gY.contiguous();
    const dGi = emptyUninit([L.rows, 3 * H], gi.dtype);
    const dGh = emptyUninit([L.rows, 3 * H], gi.dtype);
    const through = emptyUninit([N, H], gi.dtype); // dGh_t W_hh, the part through the recurrent GEMM
    for (let k = L.T - 1; k >= 0; k--) {
      const t = L.stepAt(k);
      const n = L.n[t], off = L.off[t];
      const dhN = rowsOf(dh, 0, n, H), dGhT = rowsOf(dGh, off, n, 3 * H), m = rowsOf(through, 0, n, H);
      be.gruCellBackward(dhN, rowsOf(gYc, off, n, H), rowsOf(gates, off, n, 3 * H), hh[t], L.slot(hs, L.prev(t), n), rowsOf(dGi, off, n, 3 * H), dGhT, dhN);
      matmulInto(dGhT, wHh, m);
      be.binary("add", dhN, m, dhN); // h_prev's gradient: (dh + gY) * z + dGh W_hh
    }
    const dW = ctx.needsInputGrad[2] ? (L.T > 0 ? dGh.t().matmul(L.joined(hs, "prev", true).reshape([L.rows, H])) : zeros([3 * H, H])) : null;
    const dB = bHh !== null && ctx.needsInputGrad[3] ? dGh.sum(0) : null;
    // NOTE: dead here (dW and dB are new tensors): the next op of their size takes them.
    recycle(dGh.typedArray);
    recycle(through.typedArray);
    const [nGi, nH] = ctx.needsInputGrad;
    // NOTE: all new storage that nothing here keeps (the reshape is dGi's only view).
    const fresh = [nGi ? dGi.reshape(gi.shape) : null, nH ? dh : null, dW, dB].map(freshGradient);
    return [...fresh, null, null];
  }
}
