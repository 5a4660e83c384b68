// What the LSTM and GRU layer nodes (rnn_lstm_layer.ts, rnn_gru_layer.ts) share in their backward,
// and the per-step batch sizes of a packed sequence that they and nn.RNN share: padded input is
// [T, N, G] with all N rows active at every step; packed input is [sum of lengths, G], the steps'
// rows one after the other, step t holding the first batchSizes[t] rows of the (sorted) batch.
// The state stays [N, H]: a step updates its first rows and leaves the others as they are, which
// freezes a finished sequence at its last step (forward) and keeps h0 for one not yet started (reverse).
import type { FunctionCtx } from "../autograd/function.js";
import { grad as autogradGrad } from "../autograd/grad.js";
import { enableGrad } from "../autograd/grad_mode.js";
import { zeros } from "../ops/creation.js";
import { cat, stack } from "../ops/indexing.js";
import type { Tensor } from "../tensor.js";

/** Per-step batch sizes of a packed sequence, or null for a padded one (every row at every step). */
export type BatchSizes = readonly number[] | null;

/** The steps of x: [T, N, G] unbound, or packed [sum, G] split by batchSizes. */
export function stepSlices(x: Tensor, batchSizes: BatchSizes): Tensor[] {
  return batchSizes === null ? x.unbind(0) : x.split(batchSizes as number[], 0);
}

/** The steps' outputs [rows, H] joined as the input was laid out: stacked [T, N, H] or packed [sum, H]. */
export function joinSteps(ys: Tensor[], batchSizes: BatchSizes, N: number, H: number): Tensor {
  if (ys.length === 0) return batchSizes === null ? zeros([0, N, H]) : zeros([0, H]);
  return batchSizes === null ? stack(ys, 0) : cat(ys, 0);
}

/** The first n rows of a full-batch state (the state itself when all rows are active). */
export function activeRows(state: Tensor, n: number): Tensor {
  return n === state.shape[0] ? state : state.narrow(0, 0, n);
}

/** The full-batch state with its first rows replaced by `active` (the rows past them unchanged). */
export function withActiveRows(active: Tensor, state: Tensor): Tensor {
  const n = active.shape[0];
  const N = state.shape[0];
  return n === N ? active : cat([active, state.narrow(0, n, N - n)], 0);
}

/**
 * createGraph: the gradients of the layer's inputs through its `unrolled` form (rebuilt with grad
 * from the same inputs), so they are themselves differentiable; null for inputs that need none,
 * plus trailing nulls for the layer's non-tensor arguments (`reverse`, `batchSizes`).
 */
export function replayBackward(ctx: FunctionCtx, inputs: (Tensor | null)[], unrolled: () => Tensor[], gradOutputs: Tensor[]): (Tensor | null)[] {
  const outs = enableGrad(unrolled);
  const wanted = inputs.map((t, k) => (t !== null && ctx.needsInputGrad[k] ? t : null));
  const grads = autogradGrad(outs, wanted.filter((t): t is Tensor => t !== null), { gradOutputs, createGraph: true, allowUnused: true });
  let n = 0;
  const out = wanted.map((t) => (t === null ? null : (grads[n++] ?? null)));
  while (out.length < ctx.needsInputGrad.length) out.push(null);
  return out;
}
