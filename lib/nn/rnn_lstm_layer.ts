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
import { cat, stack } from "../ops/indexing.js";
import type { Tensor } from "../tensor.js";
import { linear } from "./functional.js";
import { oneMinus, replayBackward } from "./rnn_layer_grad.js";

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

/** The layer unrolled into recorded ops: [outputs [T, N, H], h_T, c_T]. */
export function lstmUnrolled(gi: Tensor, h0: Tensor, c0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean): [Tensor, Tensor, Tensor] {
  const steps = gi.unbind(0);
  const T = steps.length;
  const ys: Tensor[] = new Array(T);
  let h = h0;
  let c = c0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    ({ h, c } = lstmStep(steps[t], h, c, wHh, bHh));
    ys[t] = h;
  }
  return [T > 0 ? stack(ys, 0) : zeros([0, h0.shape[0], h0.shape[1]]), h, c];
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
}

/** apply(gi [T, N, 4H], h0 [N, H], c0 [N, H], wHh [4H, H], bHh [4H] | null, reverse) -> [y, hT, cT]. */
export class LSTMLayer extends Function {
  static override gradFnName = "LSTMBackward";

  static override forward(ctx: FunctionCtx, gi: Tensor, h0: Tensor, c0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean): Tensor[] {
    const steps = gi.unbind(0);
    const T = steps.length;
    const s: Saved = { hPrev: new Array(T), cPrev: new Array(T), i: new Array(T), f: new Array(T), g: new Array(T), o: new Array(T), tc: new Array(T), reverse };
    const ys: Tensor[] = new Array(T);
    let h = h0;
    let c = c0;
    for (let k = 0; k < T; k++) {
      const t = reverse ? T - 1 - k : k;
      s.hPrev[t] = h;
      s.cPrev[t] = c;
      const r = lstmStep(steps[t], h, c, wHh, bHh);
      s.i[t] = r.i;
      s.f[t] = r.f;
      s.g[t] = r.g;
      s.o[t] = r.o;
      s.tc[t] = r.tc;
      h = r.h;
      c = r.c;
      ys[t] = h;
    }
    ctx.saveForBackward(gi, h0, c0, wHh, bHh);
    ctx.lstm = s;
    // NOTE: h_T and c_T are saved nowhere (cPrev holds the states before each step), so they are
    // returned as they are; with T = 0 they are h0/c0, which apply() returns as new views.
    return [T > 0 ? stack(ys, 0) : zeros([0, h0.shape[0], h0.shape[1]]), h, c];
  }

  static override backward(ctx: FunctionCtx, gY: Tensor, gH: Tensor, gC: Tensor): (Tensor | null)[] {
    const [gi, h0, c0, wHh, bHh] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor, Tensor | null];
    const s = ctx.lstm as Saved;
    if (isGradEnabled()) return replayBackward(ctx, [gi, h0, c0, wHh, bHh], () => lstmUnrolled(gi, h0, c0, wHh, bHh, s.reverse), [gY, gH, gC]);
    const T = s.i.length;
    const [N, H] = h0.shape;
    const dGates: Tensor[] = new Array(T);
    const gYs = gY.unbind(0);
    let dh = gH;
    let dc = gC;
    for (let k = T - 1; k >= 0; k--) {
      const t = s.reverse ? T - 1 - k : k;
      const i = s.i[t], f = s.f[t], g = s.g[t], o = s.o[t], tc = s.tc[t];
      const dhT = dh.add(gYs[t]);
      // h = o * tanh(c2); c2 = f * c + i * g
      const dcT = dc.add(dhT.mul(o).mul(oneMinus(tc.mul(tc))));
      const dI = dcT.mul(g);
      const dF = dcT.mul(s.cPrev[t]);
      const dG = dcT.mul(i);
      const dO = dhT.mul(tc);
      const dgates = cat([
        dI.mul(oneMinus(i)).mul(i), dF.mul(oneMinus(f)).mul(f), dG.mul(oneMinus(g.mul(g))), dO.mul(oneMinus(o)).mul(o),
      ], 1);
      dGates[t] = dgates;
      dc = dcT.mul(f);
      dh = dgates.matmul(wHh);
    }
    const dGi = T > 0 ? stack(dGates, 0) : zeros([0, N, 4 * H]);
    const flat = dGi.reshape([T * N, 4 * H]);
    const needW = ctx.needsInputGrad[3];
    const dW = needW ? (T > 0 ? flat.t().matmul(stack(s.hPrev, 0).reshape([T * N, H])) : zeros([4 * H, H])) : null;
    const dB = bHh !== null && ctx.needsInputGrad[4] ? flat.sum(0) : null;
    return [ctx.needsInputGrad[0] ? dGi : null, ctx.needsInputGrad[1] ? dh : null, ctx.needsInputGrad[2] ? dc : null, dW, dB, null];
  }
}
