// The buffers the fused LSTM/GRU layers (rnn_lstm_layer.ts, rnn_gru_layer.ts) walk their time steps
// over: each step's rows as views of preallocated tensors, so a step is one recurrent GEMM and one
// fused cell kernel (Backend.lstmCellForward ...) writing in place, with no per-step tensor ops.
// States live in `states` [T+1, N, H] full-batch slots, indexed so the input of step t is slot
// prev(t) and its output slot next(t): forward, slot 0 is h0 and slot t+1 the state after step t;
// reverse, slot T is h0 and slot t the state after t. Then the outputs of the steps, and the states
// before them, are each T consecutive slots (padded input: one view, no copy).
import { backend } from "../backend/index.js";
import { cat } from "../ops/indexing.js";
import { emptyUninit } from "../ops/scratch.js";
import { Tensor } from "../tensor.js";
import type { BatchSizes } from "./rnn_layer_grad.js";

/** Rows [row, row + n) of a contiguous 2-D-able tensor with rows of `width`: a [n, width] view. */
export function rowsOf(t: Tensor, row: number, n: number, width: number): Tensor {
  return new Tensor(t.typedArray, [n, width], [width, 1], t.offset + row * width);
}

/** The steps of a layer: per time step t its row count n[t] and first row off[t] in the [rows, G] input. */
export class StepLayout {
  readonly T: number;
  readonly n: number[];
  readonly off: number[];
  readonly rows: number;

  constructor(
    readonly batchSizes: BatchSizes,
    gi: Tensor,
    readonly N: number,
    readonly H: number,
    readonly reverse: boolean,
  ) {
    this.T = batchSizes === null ? gi.shape[0] : batchSizes.length;
    this.n = batchSizes === null ? new Array(this.T).fill(N) : [...batchSizes];
    this.off = new Array(this.T);
    let r = 0;
    for (let t = 0; t < this.T; t++) {
      this.off[t] = r;
      r += this.n[t];
    }
    this.rows = r;
  }

  /** The time step processed k-th (reverse: from the end). */
  stepAt(k: number): number {
    return this.reverse ? this.T - 1 - k : k;
  }
  /** The state slot step t reads, and the one it writes. */
  prev(t: number): number {
    return this.reverse ? t + 1 : t;
  }
  next(t: number): number {
    return this.reverse ? t : t + 1;
  }
  /** The slot of the initial state, and of the final one. */
  get first(): number {
    return this.reverse ? this.T : 0;
  }
  get last(): number {
    return this.reverse ? 0 : this.T;
  }

  /** States [T+1, N, H] with the initial state s0 in its slot. */
  newStates(s0: Tensor): Tensor {
    const s = emptyUninit([this.T + 1, this.N, this.H], s0.dtype);
    backend().copy(s0, this.slot(s, this.first, this.N));
    return s;
  }
  /** The first n rows of a state slot, [n, H]. */
  slot(states: Tensor, k: number, n: number): Tensor {
    return rowsOf(states, k * this.N, n, this.H);
  }
  /** After step t: the rows it left inactive keep their state (a packed sequence's finished or not yet started rows). */
  carryInactive(states: Tensor, t: number): void {
    const n = this.n[t];
    if (n === this.N) return;
    const rest = this.N - n;
    backend().copy(rowsOf(states, this.prev(t) * this.N + n, rest, this.H), rowsOf(states, this.next(t) * this.N + n, rest, this.H));
  }

  /** The slots `which` of every step (the states after, or before, each step) joined as the input
   *  is laid out, [T, N, H] or packed [rows, H]; a fresh tensor unless `view` and padded. */
  joined(states: Tensor, which: "next" | "prev", view: boolean): Tensor {
    const { T, N, H } = this;
    if (this.batchSizes === null) {
      const lo = which === "next" ? (this.reverse ? 0 : 1) : this.reverse ? 1 : 0;
      const v = new Tensor(states.typedArray, [T, N, H], [N * H, H, 1], states.offset + lo * N * H);
      return view ? v : v.clone();
    }
    if (T === 0) return emptyUninit([0, H], states.dtype);
    return cat(Array.from({ length: T }, (_, t) => this.slot(states, which === "next" ? this.next(t) : this.prev(t), this.n[t])), 0);
  }
}

/** out[0..n) = a @ w, one GEMM of the same shapes (so the same bits) as a.matmul(w) on tensors. */
export function matmulInto(a: Tensor, w: Tensor, out: Tensor): void {
  const v3 = (t: Tensor) => ({ typedArray: t.typedArray, offset: t.offset, shape: [1, t.shape[0], t.shape[1]], strides: [0, t.strides[0], t.strides[1]] });
  backend().matmul(v3(a), v3(w), v3(out));
}

/** True when the fused path applies: every tensor float32 or float64, of one dtype. */
export function fusable(...ts: (Tensor | null)[]): boolean {
  const dt = ts[0]!.dtype;
  return (dt === "float32" || dt === "float64") && ts.every((t) => t === null || t.dtype === dt);
}
