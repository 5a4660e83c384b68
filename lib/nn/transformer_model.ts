// nn.Transformer (PyTorch 1.13): an encoder (numEncoderLayers TransformerEncoderLayers + LayerNorm)
// and a decoder (numDecoderLayers TransformerDecoderLayers + LayerNorm), or custom ones; after
// construction every parameter with more than one dimension is re-drawn by xavier_uniform_, in
// parameter order, as PyTorch's _reset_parameters. forward(src, tgt, ...) runs the encoder on src and
// the decoder on tgt with the encoder's output. Also the static generateSquareSubsequentMask.
// ref: torch/nn/modules/transformer.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { full } from "../ops/creation.js";
import { noGrad } from "../autograd/grad_mode.js";
import { Module } from "./module.js";
import { checkBool, checkInt, checkNumber, checkOptionalTensor, checkTensor, parseArgs } from "./args.js";
import { LayerNorm } from "./normalization.js";
import * as init from "./init.js";
import { TransformerEncoder, TransformerEncoderLayer, checkKeyPaddingMask, type TransformerActivation } from "./transformer.js";
import { TransformerDecoder, TransformerDecoderLayer } from "./transformer_decoder.js";

export interface TransformerOptions {
  dModel?: number;
  nhead?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  dimFeedforward?: number;
  dropout?: number;
  activation?: TransformerActivation;
  customEncoder?: Module | null;
  customDecoder?: Module | null;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  device?: unknown;
  dtype?: unknown;
}

export interface TransformerForwardOptions {
  srcMask?: Tensor | null;
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

export class Transformer extends Module {
  encoder: Module;
  decoder: Module;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  constructor(dModel?: number, nhead?: number, options?: TransformerOptions);
  constructor(options?: TransformerOptions);
  constructor(...args: unknown[]) {
    super();
    const name = "Transformer";
    const o = parseArgs<Required<TransformerOptions>>(
      name, args,
      ["dModel", "nhead", "numEncoderLayers", "numDecoderLayers", "dimFeedforward", "dropout", "activation", "customEncoder", "customDecoder", "layerNormEps", "batchFirst", "normFirst", "device", "dtype"],
      {
        dModel: 512, nhead: 8, numEncoderLayers: 6, numDecoderLayers: 6, dimFeedforward: 2048, dropout: 0.1, activation: "relu",
        customEncoder: null, customDecoder: null, layerNormEps: 1e-5, batchFirst: false, normFirst: false, device: null, dtype: null,
      },
    );
    this.dModel = checkInt(name, "dModel", o.dModel);
    this.nhead = checkInt(name, "nhead", o.nhead);
    this.batchFirst = checkBool(name, "batchFirst", o.batchFirst);
    const eps = checkNumber(name, "layerNormEps", o.layerNormEps);
    const layerOpts = { dimFeedforward: o.dimFeedforward, dropout: o.dropout, activation: o.activation, layerNormEps: eps, batchFirst: this.batchFirst, normFirst: o.normFirst };
    // NOTE: built in PyTorch's order (encoder layer, its norm, the clones; then the decoder's), so
    // the random draws match; the template layers are dropped after cloning, as in PyTorch.
    this.encoder = o.customEncoder ?? new TransformerEncoder(new TransformerEncoderLayer(this.dModel, this.nhead, layerOpts), checkInt(name, "numEncoderLayers", o.numEncoderLayers), new LayerNorm(this.dModel, { eps }));
    this.decoder = o.customDecoder ?? new TransformerDecoder(new TransformerDecoderLayer(this.dModel, this.nhead, layerOpts), checkInt(name, "numDecoderLayers", o.numDecoderLayers), new LayerNorm(this.dModel, { eps }));
    this.resetParameters();
    if (o.device !== null) this.to(o.device as any);
    if (o.dtype !== null) this.to({ dtype: o.dtype as any });
  }

  /** PyTorch's _reset_parameters: xavier_uniform_ on every parameter of more than one dimension. */
  resetParameters(): void {
    noGrad(() => {
      for (const p of this.parameters()) if (p.ndim > 1) init.xavier_uniform_(p);
    });
  }

  /** src (S, N, E) and tgt (T, N, E) ((N, ·, E) with batchFirst, or unbatched) → (T, N, E). */
  forward(src: Tensor, tgt: Tensor, options?: TransformerForwardOptions): Tensor;
  forward(...args: unknown[]): Tensor {
    const fn = "Transformer.forward";
    const o = parseArgs<{ src: Tensor; tgt: Tensor } & { [K in keyof TransformerForwardOptions]-?: Tensor | null }>(
      fn, args, ["src", "tgt", "srcMask", "tgtMask", "memoryMask", "srcKeyPaddingMask", "tgtKeyPaddingMask", "memoryKeyPaddingMask"],
      { srcMask: null, tgtMask: null, memoryMask: null, srcKeyPaddingMask: null, tgtKeyPaddingMask: null, memoryKeyPaddingMask: null },
    );
    const src = checkTensor(fn, "src", o.src, 1);
    const tgt = checkTensor(fn, "tgt", o.tgt, 2);
    const batched = src.ndim === 3;
    const bdim = this.batchFirst ? 0 : 1;
    if (batched && src.shape[bdim] !== tgt.shape[bdim]) throw new Error("the batch number of src and tgt must be equal");
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new Error("the feature number of src and tgt must be equal to d_model");
    }
    const memory = (this.encoder as any)(src, { mask: checkOptionalTensor(fn, "src_mask", o.srcMask), srcKeyPaddingMask: checkKeyPaddingMask(fn, o.srcKeyPaddingMask) });
    return (this.decoder as any)(tgt, memory, {
      tgtMask: checkOptionalTensor(fn, "tgt_mask", o.tgtMask),
      memoryMask: checkOptionalTensor(fn, "memory_mask", o.memoryMask),
      tgtKeyPaddingMask: checkKeyPaddingMask(fn, o.tgtKeyPaddingMask),
      memoryKeyPaddingMask: checkKeyPaddingMask(fn, o.memoryKeyPaddingMask),
    });
  }

  /** A float (sz, sz) mask, -inf above the diagonal and 0 on and below it: position i attends to j ≤ i. */
  static generateSquareSubsequentMask(sz: number, options: { device?: unknown } = {}): Tensor {
    const n = checkInt("generate_square_subsequent_mask", "sz", sz);
    if (n < 0) throw new RangeError(`Trying to create tensor with negative dimension ${n}: [${n}, ${n}]`);
    void options; // accepted for porting: only "cpu" exists
    return full([n, n], -Infinity).triu(1);
  }
}
