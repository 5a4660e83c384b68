// One GRU layer and direction as a single autograd node, as rnn_lstm_layer.ts does for the LSTM:
// the forward runs the unrolled ops without recording, the backward walks the steps once from the
// saved gates and takes the recurrent weight's gradient as one matmul over all steps; createGraph
// replays the unrolled form. Gate layout r, z, n; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
// ref: aten/src/ATen/native/RNN.cpp (GRUCell: r = sigmoid(hr + ir), z = sigmoid(hz + iz),
// n = tanh(in + hn * r), hy = (hx - n) * z + n).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { zeros } from "../ops/creation.js";
import { cat, stack } from "../ops/indexing.js";
import type { Tensor } from "../tensor.js";
import { linear } from "./functional.js";
import { oneMinus, replayBackward } from "./rnn_layer_grad.js";

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

/** The layer unrolled into recorded ops: [outputs [T, N, H], h_T]. */
export function gruUnrolled(gi: Tensor, h0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean): [Tensor, Tensor] {
  const steps = gi.unbind(0);
  const T = steps.length;
  const ys: Tensor[] = new Array(T);
  let h = h0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    h = gruStep(steps[t], h, wHh, bHh).h;
    ys[t] = h;
  }
  return [T > 0 ? stack(ys, 0) : zeros([0, h0.shape[0], h0.shape[1]]), h];
}

interface Saved {
  hPrev: Tensor[];
  r: Tensor[];
  z: Tensor[];
  n: Tensor[];
  hn: Tensor[];
  reverse: boolean;
}

/** apply(gi [T, N, 3H], h0 [N, H], wHh [3H, H], bHh [3H] | null, reverse) -> [y, hT]. */
export class GRULayer extends Function {
  static override gradFnName = "GRUBackward";

  static override forward(ctx: FunctionCtx, gi: Tensor, h0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean): Tensor[] {
    const steps = gi.unbind(0);
    const T = steps.length;
    const s: Saved = { hPrev: new Array(T), r: new Array(T), z: new Array(T), n: new Array(T), hn: new Array(T), reverse };
    const ys: Tensor[] = new Array(T);
    let h = h0;
    for (let k = 0; k < T; k++) {
      const t = reverse ? T - 1 - k : k;
      s.hPrev[t] = h;
      const st = gruStep(steps[t], h, wHh, bHh);
      s.r[t] = st.r;
      s.z[t] = st.z;
      s.n[t] = st.n;
      s.hn[t] = st.hn;
      h = st.h;
      ys[t] = h;
    }
    ctx.saveForBackward(gi, h0, wHh, bHh);
    ctx.gru = s;
    return [T > 0 ? stack(ys, 0) : zeros([0, h0.shape[0], h0.shape[1]]), h];
  }

  static override backward(ctx: FunctionCtx, gY: Tensor, gH: Tensor): (Tensor | null)[] {
    const [gi, h0, wHh, bHh] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor | null];
    const s = ctx.gru as Saved;
    if (isGradEnabled()) return replayBackward(ctx, [gi, h0, wHh, bHh], () => gruUnrolled(gi, h0, wHh, bHh, s.reverse), [gY, gH]);
    const T = s.r.length;
    const [N, H] = h0.shape;
    const dGi: Tensor[] = new Array(T);
    const dGh: Tensor[] = new Array(T);
    const gYs = gY.unbind(0);
    let dh = gH;
    for (let k = T - 1; k >= 0; k--) {
      const t = s.reverse ? T - 1 - k : k;
      const r = s.r[t], z = s.z[t], n = s.n[t], hn = s.hn[t];
      const D = dh.add(gYs[t]);
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
      dh = dDiff.add(gh.matmul(wHh));
    }
    const dGiAll = T > 0 ? stack(dGi, 0) : zeros([0, N, 3 * H]);
    const flat = T > 0 ? stack(dGh, 0).reshape([T * N, 3 * H]) : zeros([0, 3 * H]);
    const dW = ctx.needsInputGrad[2] ? (T > 0 ? flat.t().matmul(stack(s.hPrev, 0).reshape([T * N, H])) : zeros([3 * H, H])) : null;
    const dB = bHh !== null && ctx.needsInputGrad[3] ? flat.sum(0) : null;
    return [ctx.needsInputGrad[0] ? dGiAll : null, ctx.needsInputGrad[1] ? dh : null, dW, dB, null];
  }
}
