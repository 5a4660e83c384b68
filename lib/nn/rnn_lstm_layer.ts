// One LSTM layer and direction as a single autograd node. Unrolled, each time step records a dozen
// nodes and its backward does a weight-gradient matmul and accumulation per step; here the forward
// runs the same ops without recording, and the backward walks the steps once, computing each
// step's gate gradients from the saved activations, and the recurrent weight's gradient as ONE
// matmul over all steps (as cuDNN and oneDNN do). Values equal the unrolled form's up to the order
// in which that weight gradient is summed.
// Double backward (createGraph) replays the unrolled form with grad and differentiates that, so it
// stays exact, at the unrolled form's cost.
// ref: aten/src/ATen/native/RNN.cpp (LSTMCell: gates = linear_hh(h) + gi; cy = f*cx + i*g;
// hy = o*tanh(cy)), derivatives.yaml (sigmoid_backward: g*(1-y)*y, tanh_backward: g*(1-y*y)).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { zeros } from "../ops/creation.js";
import { cat } from "../ops/indexing.js";
import type { Tensor } from "../tensor.js";
import { linear } from "./functional.js";
import { activeRows, type BatchSizes, joinSteps, oneMinus, replayBackward, stepSlices, withActiveRows } from "./rnn_layer_grad.js";

/** One step of the cell, from this step's input projection gi = W_ih x + b_ih. */
export function lstmStep(gi: Tensor, h: Tensor, c: Tensor, wHh: Tensor, bHh: Tensor | null): { h: Tensor; c: Tensor; i: Tensor; f: Tensor; g: Tensor; o: Tensor; tc: Tensor } {
  const [ri, rf, rg, ro] = gi.add(linear(h, wHh, bHh)).chunk(4, 1);
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
  hPrev: Tensor[];
  cPrev: Tensor[];
  i: Tensor[];
  f: Tensor[];
  g: Tensor[];
  o: Tensor[];
  tc: Tensor[];
  reverse: boolean;
  batchSizes: BatchSizes;
}

/**
 * apply(gi [T, N, 4H], h0 [N, H], c0 [N, H], wHh [4H, H], bHh [4H] | null, reverse, batchSizes?) -> [y, hT, cT].
 * With batchSizes (a packed sequence, rnn_layer_grad.ts) gi is [sum, 4H] and y [sum, H].
 */
export class LSTMLayer extends Function {
  static override gradFnName = "LSTMBackward";

  static override forward(ctx: FunctionCtx, gi: Tensor, h0: Tensor, c0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean, batchSizes: BatchSizes = null): Tensor[] {
    const steps = stepSlices(gi, batchSizes);
    const T = steps.length;
    const s: Saved = { hPrev: new Array(T), cPrev: new Array(T), i: new Array(T), f: new Array(T), g: new Array(T), o: new Array(T), tc: new Array(T), reverse, batchSizes };
    const ys: Tensor[] = new Array(T);
    let h = h0;
    let c = c0;
    for (let k = 0; k < T; k++) {
      const t = reverse ? T - 1 - k : k;
      const n = steps[t].shape[0];
      s.hPrev[t] = activeRows(h, n);
      s.cPrev[t] = activeRows(c, n);
      const r = lstmStep(steps[t], s.hPrev[t], s.cPrev[t], wHh, bHh);
      s.i[t] = r.i;
      s.f[t] = r.f;
      s.g[t] = r.g;
      s.o[t] = r.o;
      s.tc[t] = r.tc;
      h = withActiveRows(r.h, h);
      c = withActiveRows(r.c, c);
      ys[t] = r.h;
    }
    ctx.saveForBackward(gi, h0, c0, wHh, bHh);
    ctx.lstm = s;
    // NOTE: h_T and c_T are saved nowhere (cPrev holds the states before each step), so they are
    // returned as they are; with T = 0 they are h0/c0, which apply() returns as new views.
    return [joinSteps(ys, batchSizes, h0.shape[0], h0.shape[1]), h, c];
  }

  static override backward(ctx: FunctionCtx, gY: Tensor, gH: Tensor, gC: Tensor): (Tensor | null)[] {
    const [gi, h0, c0, wHh, bHh] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor, Tensor | null];
    const s = ctx.lstm as Saved;
    if (isGradEnabled()) return replayBackward(ctx, [gi, h0, c0, wHh, bHh], () => lstmUnrolled(gi, h0, c0, wHh, bHh, s.reverse, s.batchSizes), [gY, gH, gC]);
    const T = s.i.length;
    const [N, H] = h0.shape;
    const dGates: Tensor[] = new Array(T);
    const gYs = stepSlices(gY, s.batchSizes);
    let dh = gH;
    let dc = gC;
    for (let k = T - 1; k >= 0; k--) {
      const t = s.reverse ? T - 1 - k : k;
      const i = s.i[t], f = s.f[t], g = s.g[t], o = s.o[t], tc = s.tc[t];
      const n = i.shape[0];
      const dhT = activeRows(dh, n).add(gYs[t]);
      // h = o * tanh(c2); c2 = f * c + i * g
      const dcT = activeRows(dc, n).add(dhT.mul(o).mul(oneMinus(tc.mul(tc))));
      const dI = dcT.mul(g);
      const dF = dcT.mul(s.cPrev[t]);
      const dG = dcT.mul(i);
      const dO = dhT.mul(tc);
      const dgates = cat([
        dI.mul(oneMinus(i)).mul(i), dF.mul(oneMinus(f)).mul(f), dG.mul(oneMinus(g.mul(g))), dO.mul(oneMinus(o)).mul(o),
      ], 1);
      dGates[t] = dgates;
      dc = withActiveRows(dcT.mul(f), dc);
      dh = withActiveRows(dgates.matmul(wHh), dh);
    }
    const dGi = joinSteps(dGates, s.batchSizes, N, 4 * H);
    const rows = T > 0 ? dGi.numel() / (4 * H) : 0; // T·N, or the packed total
    const flat = dGi.reshape([rows, 4 * H]);
    const needW = ctx.needsInputGrad[3];
    const dW = needW ? (T > 0 ? flat.t().matmul(joinSteps(s.hPrev, s.batchSizes, N, H).reshape([rows, H])) : zeros([4 * H, H])) : null;
    const dB = bHh !== null && ctx.needsInputGrad[4] ? flat.sum(0) : null;
    return [ctx.needsInputGrad[0] ? dGi : null, ctx.needsInputGrad[1] ? dh : null, ctx.needsInputGrad[2] ? dc : null, dW, dB, null, null];
  }
}
