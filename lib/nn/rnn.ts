// Recurrent layers: nn.RNN (tanh/relu), nn.LSTM, nn.GRU and their single-step cells nn.RNNCell,
// nn.LSTMCell, nn.GRUCell. Per layer and direction the input projection of every time step is one
// matmul, then each step does one matmul with the hidden state and the gate nonlinearities. RNN
// layers and the cells are recorded op by op; an LSTM or GRU layer is one autograd node
// (rnn_lstm_layer.ts, rnn_gru_layer.ts), whose backward takes the recurrent weight's gradient in
// one matmul over all steps. Parameters are named and
// registered in PyTorch's order (weight_ih_l{k}{_reverse}, weight_hh_…, bias_ih_…, bias_hh_…) and
// initialised U(-1/√hidden, 1/√hidden) in that order from the global generator, as PyTorch does.
// Gate layout: LSTM i,f,g,o; GRU r,z,n with n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
// A PackedSequence input (utils/rnn.ts) runs every step on its first batchSizes[t] rows
// (rnn_layer_grad.ts), so each sequence stops at its own length. Not here: proj_size. ref: torch/nn/modules/rnn.py, aten/src/ATen/native/RNN.cpp (PyTorch 1.13).
import { getDefaultDtype } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { cat, stack } from "../ops/indexing.js";
import { zeros } from "../ops/creation.js";
import { formatShape, sameShape } from "../shape.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, checkNumber, parseArgs, pyFloat } from "./args.js";
import { dropout, linear } from "./functional.js";
import { GRULayer, gruStep } from "./rnn_gru_layer.js";
import { activeRows, type BatchSizes, joinSteps, stepSlices, withActiveRows } from "./rnn_layer_grad.js";
import { LSTMLayer, lstmStep } from "./rnn_lstm_layer.js";
import { PackedSequence } from "./utils/rnn_packed_sequence.js";
import * as init from "./init.js";

export type RNNMode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

const GATES: Record<RNNMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** One step of the recurrence from the input projection `gi` = W_ih x + b_ih; returns [h', c'] (c' only for LSTM). */
function step(mode: RNNMode, gi: Tensor, h: Tensor, c: Tensor | null, wHh: Tensor, bHh: Tensor | null): [Tensor, Tensor | null] {
  if (mode === "LSTM") {
    const r = lstmStep(gi, h, c as Tensor, wHh, bHh);
    return [r.h, r.c];
  }
  if (mode === "GRU") return [gruStep(gi, h, wHh, bHh).h, null];
  const pre = gi.add(linear(h, wHh, bHh));
  return [mode === "RNN_TANH" ? pre.tanh() : pre.relu(), null];
}

function resetUniform(m: Module, hiddenSize: number): void {
  const stdv = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
  for (const p of m.parameters()) init.uniform_(p, -stdv, stdv);
}

const MODE_NAME: Record<RNNMode, string> = { RNN_TANH: "RNN", RNN_RELU: "RNN", LSTM: "LSTM", GRU: "GRU" };

export interface RNNOptions {
  inputSize?: number;
  hiddenSize?: number;
  numLayers?: number;
  nonlinearity?: "tanh" | "relu";
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  projSize?: number;
  device?: unknown;
  dtype?: unknown;
}

type Parsed = Required<Omit<RNNOptions, "device" | "dtype">> & { device: unknown; dtype: unknown };

/** The shared multi-layer, optionally bidirectional recurrence (PyTorch's RNNBase). */
export abstract class RNNBase extends Module {
  [name: string]: any;
  readonly mode: RNNMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;

  protected constructor(kind: "RNN" | "LSTM" | "GRU", args: unknown[]) {
    super();
    const names = ["inputSize", "hiddenSize", "numLayers"];
    if (kind === "RNN") names.push("nonlinearity");
    names.push("bias", "batchFirst", "dropout", "bidirectional", "projSize", "device", "dtype");
    const o = parseArgs<Parsed>(kind, args, names, {
      numLayers: 1, nonlinearity: "tanh", bias: true, batchFirst: false, dropout: 0, bidirectional: false, projSize: 0, device: null, dtype: null,
    });
    if (kind === "RNN" && o.nonlinearity !== "tanh" && o.nonlinearity !== "relu") throw new RangeError(`Unknown nonlinearity '${String(o.nonlinearity)}'`);
    this.mode = kind === "RNN" ? (o.nonlinearity === "relu" ? "RNN_RELU" : "RNN_TANH") : kind;
    this.inputSize = checkInt(kind, "inputSize", o.inputSize);
    this.hiddenSize = checkInt(kind, "hiddenSize", o.hiddenSize);
    this.numLayers = checkInt(kind, "numLayers", o.numLayers);
    this.bias = checkBool(kind, "bias", o.bias);
    this.batchFirst = checkBool(kind, "batchFirst", o.batchFirst);
    this.dropout = checkNumber(kind, "dropout", o.dropout);
    this.bidirectional = checkBool(kind, "bidirectional", o.bidirectional);
    if (!(this.dropout >= 0 && this.dropout <= 1)) {
      throw new RangeError("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
    }
    if (this.hiddenSize <= 0) throw new RangeError("hidden_size must be greater than zero");
    if (this.numLayers <= 0) throw new RangeError("num_layers must be greater than zero");
    if (o.projSize !== 0) throw new Error(`${kind}: proj_size is not supported in torchlet`);
    const gate = GATES[this.mode] * this.hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inSize = layer === 0 ? this.inputSize : this.hiddenSize * dirs;
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${layer}${d === 1 ? "_reverse" : ""}`;
        this[`weight_ih${sfx}`] = new Parameter(Tensor.empty([gate, inSize], getDefaultDtype()));
        this[`weight_hh${sfx}`] = new Parameter(Tensor.empty([gate, this.hiddenSize], getDefaultDtype()));
        if (this.bias) {
          this[`bias_ih${sfx}`] = new Parameter(Tensor.empty([gate], getDefaultDtype()));
          this[`bias_hh${sfx}`] = new Parameter(Tensor.empty([gate], getDefaultDtype()));
        }
      }
    }
    this.resetParameters();
    if (o.device !== null) this.to(o.device as any);
    if (o.dtype !== null) this.to({ dtype: o.dtype as any });
  }

  resetParameters(): void {
    resetUniform(this, this.hiddenSize);
  }

  private weights(layer: number, d: number): [Tensor, Tensor, Tensor | null, Tensor | null] {
    const sfx = `_l${layer}${d === 1 ? "_reverse" : ""}`;
    return [this[`weight_ih${sfx}`], this[`weight_hh${sfx}`], this.bias ? this[`bias_ih${sfx}`] : null, this.bias ? this[`bias_hh${sfx}`] : null];
  }

  /** input [L, N, in] (or [N, L, in] batchFirst, or unbatched [L, in]); hx [layers·dirs, N, H] (LSTM: [h0, c0]). */
  protected run(input: Tensor, hx: Tensor | null, cx: Tensor | null, hxGiven: boolean): [Tensor, Tensor, Tensor | null];
  protected run(input: PackedSequence, hx: Tensor | null, cx: Tensor | null, hxGiven: boolean): [PackedSequence, Tensor, Tensor | null];
  protected run(input: Tensor | PackedSequence, hx: Tensor | null, cx: Tensor | null, hxGiven: boolean): [Tensor | PackedSequence, Tensor, Tensor | null];
  protected run(input: Tensor | PackedSequence, hx: Tensor | null, cx: Tensor | null, hxGiven: boolean): [Tensor | PackedSequence, Tensor, Tensor | null] {
    if (input instanceof PackedSequence) return this.runPacked(input, hx, cx, hxGiven);
    const name = MODE_NAME[this.mode];
    if (!(input instanceof Tensor)) throw new TypeError(`${name}: input must be a Tensor`);
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`${name}: Expected input to be 2-D or 3-D but received ${input.ndim}-D tensor`);
    const batched = input.ndim === 3;
    const lstm = this.mode === "LSTM";
    if (hxGiven) {
      const want = batched ? 3 : 2;
      const bad = (hx as Tensor).ndim !== want || (lstm && (cx as Tensor).ndim !== want);
      if (bad) {
        const kind = batched ? "batched 3-D" : "unbatched 2-D";
        throw new RangeError(
          lstm
            ? `For ${kind} input, hx and cx should also be ${want}-D but got (${(hx as Tensor).ndim}-D, ${(cx as Tensor).ndim}-D) tensors`
            : `For ${kind} input, hx should also be ${want}-D but got ${(hx as Tensor).ndim}-D tensor`,
        );
      }
    }
    const x = batched ? (this.batchFirst ? input.transpose(0, 1) : input) : input.unsqueeze(1);
    if (!batched && hxGiven) {
      hx = (hx as Tensor).unsqueeze(1);
      if (lstm) cx = (cx as Tensor).unsqueeze(1);
    }
    const batch = x.shape[1];
    if (x.shape[2] !== this.inputSize) throw new RangeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${x.shape[2]}`);
    if (hxGiven) this.checkStates(hx as Tensor, cx, batch);
    const [y, hN, cN] = this.layers(x, batch, hxGiven ? hx : null, cx, null);
    if (!batched) return [y.squeeze(1), hN.squeeze(1), cN === null ? null : cN.squeeze(1)];
    return [this.batchFirst ? y.transpose(0, 1) : y, hN, cN];
  }

  /** hx (and the LSTM's cx) must be [layers·dirs, batch, H]. */
  private checkStates(hx: Tensor, cx: Tensor | null, batch: number): void {
    const stateShape = [this.numLayers * (this.bidirectional ? 2 : 1), batch, this.hiddenSize];
    const checkState = (t: Tensor, what: string) => {
      if (!sameShape(t.shape, stateShape)) throw new RangeError(`Expected ${what} size (${stateShape.join(", ")}), got ${formatShape(t.shape)}`);
    };
    checkState(hx, "hidden");
    if (this.mode === "LSTM") checkState(cx as Tensor, "hidden[1]");
  }

  /**
   * A PackedSequence through the layers, as PyTorch's RNNBase.forward: the states given are in the
   * batch's original order, so they are permuted into the packed (sorted) order on the way in and
   * h_n / c_n back on the way out. The output is a PackedSequence of the same layout.
   */
  private runPacked(input: PackedSequence, hx: Tensor | null, cx: Tensor | null, hxGiven: boolean): [PackedSequence, Tensor, Tensor | null] {
    const bs = input.stepSizes();
    const x = input.data;
    if (x.ndim !== 2) throw new RangeError(`input must have 2 dimensions, got ${x.ndim}`);
    if (x.shape[1] !== this.inputSize) throw new RangeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${x.shape[1]}`);
    const batch = bs.length > 0 ? bs[0] : 0;
    const sorted = input.sortedIndices;
    const unsorted = input.unsortedIndices;
    if (hxGiven) {
      for (const t of this.mode === "LSTM" ? [hx, cx] : [hx]) if (!(t instanceof Tensor)) throw new TypeError(`${MODE_NAME[this.mode]}: hx must be a Tensor`);
      this.checkStates(hx as Tensor, cx, batch);
      if (sorted !== null) {
        hx = (hx as Tensor).indexSelect(1, sorted);
        if (cx !== null) cx = cx.indexSelect(1, sorted);
      }
    }
    const [y, hN, cN] = this.layers(x, batch, hxGiven ? hx : null, cx, bs);
    const unsort = (t: Tensor) => (unsorted === null ? t : t.indexSelect(1, unsorted));
    return [new PackedSequence(y, input.batchSizes, sorted, unsorted), unsort(hN), cN === null ? null : unsort(cN)];
  }

  /**
   * The layers over x [T, N, in] (batchSizes: packed [sum, in]) from hx/cx [layers·dirs, N, H]
   * (zeros when null): [output of the last layer, h_n, c_n (LSTM) or null].
   */
  private layers(x: Tensor, batch: number, hx: Tensor | null, cx: Tensor | null, batchSizes: BatchSizes): [Tensor, Tensor, Tensor | null] {
    const lstm = this.mode === "LSTM";
    const dirs = this.bidirectional ? 2 : 1;
    const h0 = hx !== null ? hx.unbind(0) : null;
    const c0 = lstm && hx !== null ? (cx as Tensor).unbind(0) : null;
    const zeroState = () => zeros([batch, this.hiddenSize]);
    const hN: Tensor[] = [];
    const cN: Tensor[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const [wIh, wHh, bIh, bHh] = this.weights(layer, d);
        const k = layer * dirs + d;
        let h = h0 ? h0[k] : zeroState();
        let c: Tensor | null = lstm ? (c0 ? c0[k] : zeroState()) : null;
        // NOTE: the input projection of all time steps in one matmul.
        const giAll = linear(x, wIh, bIh);
        if (lstm) {
          // One autograd node per layer and direction (rnn_lstm_layer.ts, rnn_gru_layer.ts).
          const [y, hT, cT] = LSTMLayer.apply(giAll, h, c as Tensor, wHh, bHh, d === 1, batchSizes) as Tensor[];
          hN.push(hT);
          cN.push(cT);
          outs.push(y);
          continue;
        }
        if (this.mode === "GRU") {
          const [y, hT] = GRULayer.apply(giAll, h, wHh, bHh, d === 1, batchSizes) as Tensor[];
          hN.push(hT);
          outs.push(y);
          continue;
        }
        const gi = stepSlices(giAll, batchSizes);
        const seqLen = gi.length;
        const ys: Tensor[] = new Array(seqLen);
        for (let s = 0; s < seqLen; s++) {
          const t = d === 0 ? s : seqLen - 1 - s;
          const n = gi[t].shape[0];
          ys[t] = step(this.mode, gi[t], activeRows(h, n), null, wHh, bHh)[0];
          h = withActiveRows(ys[t], h);
        }
        hN.push(h);
        outs.push(joinSteps(ys, batchSizes, batch, this.hiddenSize));
      }
      x = dirs === 1 ? outs[0] : cat(outs, outs[0].ndim - 1);
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1) x = dropout(x, this.dropout, true);
    }
    return [x, stack(hN, 0), lstm ? stack(cN, 0) : null];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (this.mode === "RNN_RELU") s += ", nonlinearity=relu";
    if (!this.bias) s += ", bias=False";
    if (this.batchFirst) s += ", batch_first=True";
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += ", bidirectional=True";
    return s;
  }
}

/**
 * What forward returns for an input of type I: [output, state], the output a PackedSequence for a
 * packed input, else a Tensor. NOTE: one generic signature rather than two overloads, so a call on
 * a union (`LSTM | GRU`) still type-checks, which TypeScript refuses for a union of overload sets.
 */
export type RNNOutput<I, S> = I extends PackedSequence ? [PackedSequence, S] : [Tensor, S];

/** Called with a PackedSequence it returns one, as forward does. */
export interface RNN {
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
}

/** Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) (or relu). forward -> [output, h_n]. */
export class RNN extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options?: RNNOptions);
  constructor(options: RNNOptions);
  constructor(...args: unknown[]) {
    super("RNN", args);
  }
  forward<I extends Tensor | PackedSequence>(input: I, hx: Tensor | null = null): RNNOutput<I, Tensor> {
    const [out, h] = this.run(input, hx, null, hx !== null && hx !== undefined);
    return [out, h] as RNNOutput<I, Tensor>;
  }
}

/** Called with a PackedSequence it returns one, as forward does. */
export interface GRU {
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
}

/** GRU. forward -> [output, h_n]. */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<RNNOptions, "nonlinearity">);
  constructor(options: Omit<RNNOptions, "nonlinearity">);
  constructor(...args: unknown[]) {
    super("GRU", args);
  }
  forward<I extends Tensor | PackedSequence>(input: I, hx: Tensor | null = null): RNNOutput<I, Tensor> {
    const [out, h] = this.run(input, hx, null, hx !== null && hx !== undefined);
    return [out, h] as RNNOutput<I, Tensor>;
  }
}

/** Called with a PackedSequence it returns one, as forward does. */
export interface LSTM {
  (input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  (input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
}

/** LSTM. forward(input, [h0, c0]?) -> [output, [h_n, c_n]]. */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<RNNOptions, "nonlinearity">);
  constructor(options: Omit<RNNOptions, "nonlinearity">);
  constructor(...args: unknown[]) {
    super("LSTM", args);
  }
  forward<I extends Tensor | PackedSequence>(input: I, hx: readonly [Tensor, Tensor] | null = null): RNNOutput<I, [Tensor, Tensor]> {
    const given = hx !== null && hx !== undefined;
    if (given && (!Array.isArray(hx) || hx.length !== 2)) throw new TypeError("LSTM: hx must be a pair [h_0, c_0]");
    const [out, h, c] = this.run(input, given ? hx[0] : null, given ? hx[1] : null, given);
    return [out, [h, c as Tensor]] as RNNOutput<I, [Tensor, Tensor]>;
  }
}

export interface RNNCellOptions {
  inputSize?: number;
  hiddenSize?: number;
  bias?: boolean;
  nonlinearity?: "tanh" | "relu";
  device?: unknown;
  dtype?: unknown;
}

/** The shared single-step cell (PyTorch's RNNCellBase): weight_ih, weight_hh, bias_ih, bias_hh. */
abstract class RNNCellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;
  protected readonly mode: RNNMode;

  protected constructor(kind: "RNNCell" | "LSTMCell" | "GRUCell", args: unknown[]) {
    super();
    const names = ["inputSize", "hiddenSize", "bias"];
    if (kind === "RNNCell") names.push("nonlinearity");
    names.push("device", "dtype");
    const o = parseArgs<Required<RNNCellOptions>>(kind, args, names, { bias: true, nonlinearity: "tanh", device: null, dtype: null });
    if (kind === "RNNCell" && o.nonlinearity !== "tanh" && o.nonlinearity !== "relu") throw new RangeError(`Unknown nonlinearity: ${String(o.nonlinearity)}`);
    this.mode = kind === "RNNCell" ? (o.nonlinearity === "relu" ? "RNN_RELU" : "RNN_TANH") : kind === "LSTMCell" ? "LSTM" : "GRU";
    this.inputSize = checkInt(kind, "inputSize", o.inputSize);
    this.hiddenSize = checkInt(kind, "hiddenSize", o.hiddenSize);
    this.bias = checkBool(kind, "bias", o.bias);
    const gate = GATES[this.mode] * this.hiddenSize;
    this.weight_ih = new Parameter(Tensor.empty([gate, this.inputSize], getDefaultDtype()));
    this.weight_hh = new Parameter(Tensor.empty([gate, this.hiddenSize], getDefaultDtype()));
    this.bias_ih = this.bias ? new Parameter(Tensor.empty([gate], getDefaultDtype())) : null;
    this.bias_hh = this.bias ? new Parameter(Tensor.empty([gate], getDefaultDtype())) : null;
    this.resetParameters();
    if (o.device !== null) this.to(o.device as any);
    if (o.dtype !== null) this.to({ dtype: o.dtype as any });
  }

  resetParameters(): void {
    resetUniform(this, this.hiddenSize);
  }

  /** input [N, in] or unbatched [in]; hx/cx of the matching rank (zeros when absent). */
  protected cell(name: string, input: Tensor, hx: Tensor | null, cx: Tensor | null): [Tensor, Tensor | null] {
    if (!(input instanceof Tensor)) throw new TypeError(`${name}: input must be a Tensor`);
    if (input.ndim !== 1 && input.ndim !== 2) throw new RangeError(`${name}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`);
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    if (x.shape[1] !== this.inputSize) throw new RangeError(`input has inconsistent input_size: got ${x.shape[1]} expected ${this.inputSize}`);
    const zeroState = () => zeros([x.shape[0], this.hiddenSize]);
    const prep = (t: Tensor | null): Tensor => {
      if (t === null) return zeroState();
      if (t.ndim !== input.ndim) throw new RangeError(`${name}: Expected hidden to be ${input.ndim}-D but received ${t.ndim}-D tensor`);
      return batched ? t : t.unsqueeze(0);
    };
    const h = prep(hx);
    const c = this.mode === "LSTM" ? prep(cx) : null;
    const gi = linear(x, this.weight_ih, this.bias_ih);
    const [h2, c2] = step(this.mode, gi, h, c, this.weight_hh, this.bias_hh);
    return batched ? [h2, c2] : [h2.squeeze(0), c2 === null ? null : c2.squeeze(0)];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias) s += ", bias=False";
    if (this.mode === "RNN_RELU") s += ", nonlinearity=relu";
    return s;
  }
}

/** h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu). */
export class RNNCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options?: RNNCellOptions);
  constructor(options: RNNCellOptions);
  constructor(...args: unknown[]) {
    super("RNNCell", args);
  }
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.cell("RNNCell", input, hx ?? null, null)[0];
  }
}

/** One GRU step; returns h'. */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<RNNCellOptions, "nonlinearity">);
  constructor(options: Omit<RNNCellOptions, "nonlinearity">);
  constructor(...args: unknown[]) {
    super("GRUCell", args);
  }
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.cell("GRUCell", input, hx ?? null, null)[0];
  }
}

/** One LSTM step; forward(input, [h, c]?) returns [h', c']. */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options?: Omit<RNNCellOptions, "nonlinearity">);
  constructor(options: Omit<RNNCellOptions, "nonlinearity">);
  constructor(...args: unknown[]) {
    super("LSTMCell", args);
  }
  forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    if (hx !== null && hx !== undefined && (!Array.isArray(hx) || hx.length !== 2)) throw new TypeError("LSTMCell: hx must be a pair [h_0, c_0]");
    const [h, c] = this.cell("LSTMCell", input, hx ? hx[0] : null, hx ? hx[1] : null);
    return [h, c as Tensor];
  }
}
