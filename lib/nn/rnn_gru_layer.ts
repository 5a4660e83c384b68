// One GRU layer and direction as a single autograd node, as rnn_lstm_layer.ts does for the LSTM:
// the forward runs the unrolled ops without recording, the backward walks the steps once from the
// saved gates and takes the recurrent weight's gradient as one matmul over all steps; createGraph
// replays the unrolled form. Gate layout r, z, n; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
// ref: aten/src/ATen/native/RNN.cpp (GRUCell: r = sigmoid(hr + ir), z = sigmoid(hz + iz),
// n = tanh(in + hn * r), hy = (hx - n) * z + n).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { zeros } from "../ops/creation.js";
import { cat } from "../ops/indexing.js";
import type { Tensor } from "../tensor.js";
import { linear } from "./functional.js";
import { activeRows, type BatchSizes, joinSteps, oneMinus, replayBackward, stepSlices, withActiveRows } from "./rnn_layer_grad.js";

/** One step of the cell, from this step's input projection gi = W_ih x + b_ih. */
export function gruStep(gi: Tensor, h: Tensor, wHh: Tensor, bHh: Tensor | null): { h: Tensor; r: Tensor; z: Tensor; n: Tensor; hn: Tensor } {
  const [ir, iz, inn] = gi.chunk(3, 1);
  const [hr, hz, hn] = linear(h, wHh, bHh).chunk(3, 1);
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
  hPrev: Tensor[];
  r: Tensor[];
  z: Tensor[];
  n: Tensor[];
  hn: Tensor[];
  reverse: boolean;
  batchSizes: BatchSizes;
}

/**
 * apply(gi [T, N, 3H], h0 [N, H], wHh [3H, H], bHh [3H] | null, reverse, batchSizes?) -> [y, hT].
 * With batchSizes (a packed sequence, rnn_layer_grad.ts) gi is [sum, 3H] and y [sum, H].
 */
export class GRULayer extends Function {
  static override gradFnName = "GRUBackward";

  static override forward(ctx: FunctionCtx, gi: Tensor, h0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean, batchSizes: BatchSizes = null): Tensor[] {
    const steps = stepSlices(gi, batchSizes);
    const T = steps.length;
    const s: Saved = { hPrev: new Array(T), r: new Array(T), z: new Array(T), n: new Array(T), hn: new Array(T), reverse, batchSizes };
    const ys: Tensor[] = new Array(T);
    let h = h0;
    for (let k = 0; k < T; k++) {
      const t = reverse ? T - 1 - k : k;
      s.hPrev[t] = activeRows(h, steps[t].shape[0]);
      const st = gruStep(steps[t], s.hPrev[t], wHh, bHh);
      s.r[t] = st.r;
      s.z[t] = st.z;
      s.n[t] = st.n;
      s.hn[t] = st.hn;
      h = withActiveRows(st.h, h);
      ys[t] = st.h;
    }
    ctx.saveForBackward(gi, h0, wHh, bHh);
    ctx.gru = s;
    return [joinSteps(ys, batchSizes, h0.shape[0], h0.shape[1]), h];
  }

  static override backward(ctx: FunctionCtx, gY: Tensor, gH: Tensor): (Tensor | null)[] {
    const [gi, h0, wHh, bHh] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor | null];
    const s = ctx.gru as Saved;
    if (isGradEnabled()) return replayBackward(ctx, [gi, h0, wHh, bHh], () => gruUnrolled(gi, h0, wHh, bHh, s.reverse, s.batchSizes), [gY, gH]);
    const T = s.r.length;
    const [N, H] = h0.shape;
    const dGi: Tensor[] = new Array(T);
    const dGh: Tensor[] = new Array(T);
    const gYs = stepSlices(gY, s.batchSizes);
    let dh = gH;
    for (let k = T - 1; k >= 0; k--) {
      const t = s.reverse ? T - 1 - k : k;
      const r = s.r[t], z = s.z[t], n = s.n[t], hn = s.hn[t];
      const D = activeRows(dh, r.shape[0]).add(gYs[t]);
      // h' = (h - n) * z + n
      const dDiff = D.mul(z);
      const dz = D.mul(s.hPrev[t].sub(n));
      const da = D.sub(dDiff).mul(oneMinus(n.mul(n))); // through n = tanh(a)
      const dr = da.mul(hn);
      const dRpre = dr.mul(oneMinus(r)).mul(r);
      const dZpre = dz.mul(oneMinus(z)).mul(z);
      dGi[t] = cat([dRpre, dZpre, da], 1);
      const gh = cat([dRpre, dZpre, da.mul(r)], 1);
      dGh[t] = gh;
      dh = withActiveRows(dDiff.add(gh.matmul(wHh)), dh);
    }
    const dGiAll = joinSteps(dGi, s.batchSizes, N, 3 * H);
    const rows = T > 0 ? dGiAll.numel() / (3 * H) : 0; // T·N, or the packed total
    const flat = T > 0 ? joinSteps(dGh, s.batchSizes, N, 3 * H).reshape([rows, 3 * H]) : zeros([0, 3 * H]);
    const dW = ctx.needsInputGrad[2] ? (T > 0 ? flat.t().matmul(joinSteps(s.hPrev, s.batchSizes, N, H).reshape([rows, H])) : zeros([3 * H, H])) : null;
    const dB = bHh !== null && ctx.needsInputGrad[3] ? flat.sum(0) : null;
    return [ctx.needsInputGrad[0] ? dGiAll : null, ctx.needsInputGrad[1] ? dh : null, dW, dB, null, null];
  }
}
