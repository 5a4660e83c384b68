// What the LSTM and GRU layer nodes (rnn_lstm_layer.ts, rnn_gru_layer.ts) share in their backward.
import type { FunctionCtx } from "../autograd/function.js";
import { grad as autogradGrad } from "../autograd/grad.js";
import { enableGrad } from "../autograd/grad_mode.js";
import type { Tensor } from "../tensor.js";

/** 1 - x, rounded as ATen's (1 - y) in sigmoid/tanh backward (negation is exact, addition commutes). */
export function oneMinus(x: Tensor): Tensor {
  return x.neg().add(1);
}

/**
 * createGraph: the gradients of the layer's inputs through its `unrolled` form (rebuilt with grad
 * from the same inputs), so they are themselves differentiable; null for inputs that need none,
 * plus a trailing null for the layer's `reverse` flag.
 */
export function replayBackward(ctx: FunctionCtx, inputs: (Tensor | null)[], unrolled: () => Tensor[], gradOutputs: Tensor[]): (Tensor | null)[] {
  const outs = enableGrad(unrolled);
  const wanted = inputs.map((t, k) => (t !== null && ctx.needsInputGrad[k] ? t : null));
  const grads = autogradGrad(outs, wanted.filter((t): t is Tensor => t !== null), { gradOutputs, createGraph: true, allowUnused: true });
  let n = 0;
  return [...wanted.map((t) => (t === null ? null : (grads[n++] ?? null))), null];
}
