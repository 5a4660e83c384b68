// nn.MultiheadAttention (PyTorch 1.13): parameters under PyTorch's names and in its registration
// order (in_proj_weight, or q/k/v_proj_weight when kdim/vdim differ from embed_dim; in_proj_bias;
// bias_k, bias_v; then out_proj.weight/bias), initialised as PyTorch does and drawing from the
// global generator in its order: out_proj's Linear init first (its constructor runs first), then
// xavier_uniform_ of the input projection(s), zero biases, then xavier_normal_ of bias_k/bias_v.
// forward is the slow (differentiable) path of PyTorch, F.multiHeadAttentionForward.
// ref: torch/nn/modules/activation.py MultiheadAttention (PyTorch 1.13).
import { getDefaultDtype } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, checkNumber, checkOptionalTensor, checkTensor, parseArgs } from "./args.js";
import { Linear } from "./linear.js";
import { multiHeadAttentionForward } from "./functional_attention.js";
import * as init from "./init.js";

export interface MultiheadAttentionOptions {
  embedDim?: number;
  numHeads?: number;
  dropout?: number;
  bias?: boolean;
  addBiasKv?: boolean;
  addZeroAttn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batchFirst?: boolean;
  /** Accepted for porting: only "cpu" and float32 exist. */
  device?: unknown;
  dtype?: unknown;
}

export interface MultiheadAttentionForwardOptions {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
}

/** PyTorch's out_proj class: a Linear (a marker for quantization), named so that printing matches. */
export class NonDynamicallyQuantizableLinear extends Linear {}

export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly headDim: number;
  readonly addZeroAttn: boolean;
  /** True when kdim and vdim equal embedDim: one packed in_proj_weight instead of three. */
  readonly qkvSameEmbedDim: boolean;
  // NOTE: declared in PyTorch's registration order, so namedParameters()/stateDict() list them so.
  in_proj_weight!: Parameter | null;
  q_proj_weight!: Parameter | null;
  k_proj_weight!: Parameter | null;
  v_proj_weight!: Parameter | null;
  in_proj_bias!: Parameter | null;
  bias_k!: Parameter | null;
  bias_v!: Parameter | null;
  out_proj!: NonDynamicallyQuantizableLinear;

  constructor(embedDim: number, numHeads: number, options?: MultiheadAttentionOptions);
  constructor(options: MultiheadAttentionOptions);
  constructor(...args: unknown[]) {
    super();
    const name = "MultiheadAttention";
    const o = parseArgs<Required<MultiheadAttentionOptions>>(
      name, args, ["embedDim", "numHeads", "dropout", "bias", "addBiasKv", "addZeroAttn", "kdim", "vdim", "batchFirst", "device", "dtype"],
      { dropout: 0, bias: true, addBiasKv: false, addZeroAttn: false, kdim: null, vdim: null, batchFirst: false, device: null, dtype: null },
    );
    this.embedDim = checkInt(name, "embedDim", o.embedDim);
    this.numHeads = checkInt(name, "numHeads", o.numHeads);
    this.kdim = o.kdim === null ? this.embedDim : checkInt(name, "kdim", o.kdim);
    this.vdim = o.vdim === null ? this.embedDim : checkInt(name, "vdim", o.vdim);
    this.qkvSameEmbedDim = this.kdim === this.embedDim && this.vdim === this.embedDim;
    this.dropout = checkNumber(name, "dropout", o.dropout);
    this.batchFirst = checkBool(name, "batchFirst", o.batchFirst);
    this.addZeroAttn = checkBool(name, "addZeroAttn", o.addZeroAttn);
    const bias = checkBool(name, "bias", o.bias);
    const addBiasKv = checkBool(name, "addBiasKv", o.addBiasKv);
    if (this.numHeads <= 0) throw new RangeError(`embed_dim and num_heads must be greater than 0, got embed_dim=${this.embedDim} and num_heads=${this.numHeads} instead`);
    this.headDim = Math.floor(this.embedDim / this.numHeads);
    if (this.headDim * this.numHeads !== this.embedDim) throw new Error("embed_dim must be divisible by num_heads");
    const E = this.embedDim;
    const empty = (shape: number[]) => new Parameter(Tensor.empty(shape, getDefaultDtype()));
    this.in_proj_weight = this.qkvSameEmbedDim ? empty([3 * E, E]) : null;
    this.q_proj_weight = this.qkvSameEmbedDim ? null : empty([E, E]);
    this.k_proj_weight = this.qkvSameEmbedDim ? null : empty([E, this.kdim]);
    this.v_proj_weight = this.qkvSameEmbedDim ? null : empty([E, this.vdim]);
    this.in_proj_bias = bias ? empty([3 * E]) : null;
    this.bias_k = addBiasKv ? empty([1, 1, E]) : null;
    this.bias_v = addBiasKv ? empty([1, 1, E]) : null;
    this.out_proj = new NonDynamicallyQuantizableLinear(E, E, { bias });
    this.resetParameters();
    if (o.device !== null) this.to(o.device as any);
    if (o.dtype !== null) this.to({ dtype: o.dtype as any });
  }

  /** PyTorch's _reset_parameters (out_proj.weight keeps Linear's init). */
  resetParameters(): void {
    noGrad(() => {
      if (this.in_proj_weight !== null) init.xavier_uniform_(this.in_proj_weight);
      else for (const w of [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) init.xavier_uniform_(w as Parameter);
      if (this.in_proj_bias !== null) {
        init.constant_(this.in_proj_bias, 0);
        if (this.out_proj.bias !== null) init.constant_(this.out_proj.bias, 0);
      }
      if (this.bias_k !== null) init.xavier_normal_(this.bias_k);
      if (this.bias_v !== null) init.xavier_normal_(this.bias_v);
    });
  }

  /**
   * query (L, N, E) / key (S, N, kdim) / value (S, N, vdim), or (N, L, E)... with batchFirst, or
   * unbatched (L, E). Returns [output, weights | null] as PyTorch: weights (N, L, S) averaged over
   * heads, (N, heads, L, S) with averageAttnWeights false, null with needWeights false.
   */
  forward(query: Tensor, key: Tensor, value: Tensor, options?: MultiheadAttentionForwardOptions): [Tensor, Tensor | null];
  forward(query: Tensor, key: Tensor, value: Tensor, keyPaddingMask?: Tensor | null, needWeights?: boolean, attnMask?: Tensor | null, averageAttnWeights?: boolean): [Tensor, Tensor | null];
  forward(...args: unknown[]): [Tensor, Tensor | null] {
    const fn = "MultiheadAttention.forward";
    const o = parseArgs<{ query: Tensor; key: Tensor; value: Tensor; keyPaddingMask: Tensor | null; needWeights: boolean; attnMask: Tensor | null; averageAttnWeights: boolean }>(
      fn, args, ["query", "key", "value", "keyPaddingMask", "needWeights", "attnMask", "averageAttnWeights"],
      { keyPaddingMask: null, needWeights: true, attnMask: null, averageAttnWeights: true },
    );
    let query = checkTensor(fn, "query", o.query, 1);
    let key = checkTensor(fn, "key", o.key, 2);
    let value = checkTensor(fn, "value", o.value, 3);
    const keyPaddingMask = checkOptionalTensor(fn, "key_padding_mask", o.keyPaddingMask);
    const attnMask = checkOptionalTensor(fn, "attn_mask", o.attnMask);
    const batched = query.ndim === 3;
    if (keyPaddingMask !== null && keyPaddingMask.dtype === "int64") {
      throw new Error("only bool and floating types of key_padding_mask are supported");
    }
    if (this.batchFirst && batched) {
      // NOTE: keep identity (self-attention: query === key === value) through the transpose, as
      // PyTorch does, so the packed projection runs one matmul.
      const sameKV = key === value;
      const sameQK = query === key;
      query = query.transpose(1, 0);
      key = sameQK ? query : key.transpose(1, 0);
      value = sameKV ? key : value.transpose(1, 0);
    }
    const [out, weights] = multiHeadAttentionForward(
      query, key, value, this.embedDim, this.numHeads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
      this.addZeroAttn, this.dropout, this.out_proj.weight, this.out_proj.bias,
      {
        training: this.training, keyPaddingMask, needWeights: checkBool(fn, "need_weights", o.needWeights), attnMask,
        averageAttnWeights: checkBool(fn, "average_attn_weights", o.averageAttnWeights),
        useSeparateProjWeight: !this.qkvSameEmbedDim,
        qProjWeight: this.q_proj_weight, kProjWeight: this.k_proj_weight, vProjWeight: this.v_proj_weight,
      },
    );
    return [this.batchFirst && batched ? out.transpose(1, 0) : out, weights];
  }
}
