// The Transformer decoder (PyTorch 1.13): nn.TransformerDecoderLayer (masked self-attention, then
// attention over the encoder's output `memory`, then feed-forward; each with a residual and
// LayerNorm, post-norm by default or pre-norm with normFirst) and nn.TransformerDecoder (numLayers
// deep copies of one layer, then an optional final norm). Submodules in PyTorch's order (self_attn,
// multihead_attn, linear1, dropout, linear2, norm1..3, dropout1..3) so a seeded model draws
// PyTorch's initial values. ref: torch/nn/modules/transformer.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { ModuleList } from "./container.js";
import { checkOptionalTensor, checkTensor, parseArgs } from "./args.js";
import { MultiheadAttention } from "./attention.js";
import { Linear } from "./linear.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./normalization.js";
import { applyFactoryOptions, checkKeyPaddingMask, cloneLayers, layerConfig, type TransformerEncoderLayerOptions } from "./transformer.js";

export type TransformerDecoderLayerOptions = TransformerEncoderLayerOptions;

export interface TransformerDecoderForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

const FORWARD_NAMES = ["tgt", "memory", "tgtMask", "memoryMask", "tgtKeyPaddingMask", "memoryKeyPaddingMask"];
const FORWARD_DEFAULTS = { tgtMask: null, memoryMask: null, tgtKeyPaddingMask: null, memoryKeyPaddingMask: null };
type ForwardArgs = { tgt: Tensor; memory: Tensor } & { [K in keyof TransformerDecoderForwardOptions]-?: Tensor | null };

/** The decoder forward's arguments, checked: PyTorch's positional order or one options object. */
function parseForward(fn: string, args: unknown[]): ForwardArgs {
  const o = parseArgs<ForwardArgs>(fn, args, FORWARD_NAMES, FORWARD_DEFAULTS);
  return {
    tgt: checkTensor(fn, "tgt", o.tgt, 1),
    memory: checkTensor(fn, "memory", o.memory, 2),
    tgtMask: checkOptionalTensor(fn, "tgt_mask", o.tgtMask),
    memoryMask: checkOptionalTensor(fn, "memory_mask", o.memoryMask),
    tgtKeyPaddingMask: checkKeyPaddingMask(fn, o.tgtKeyPaddingMask),
    memoryKeyPaddingMask: checkKeyPaddingMask(fn, o.memoryKeyPaddingMask),
  };
}

export class TransformerDecoderLayer extends Module {
  readonly normFirst: boolean;
  self_attn: MultiheadAttention;
  multihead_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  activation: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, options?: TransformerDecoderLayerOptions);
  constructor(options: TransformerDecoderLayerOptions);
  constructor(...args: unknown[]) {
    super();
    const c = layerConfig("TransformerDecoderLayer", args);
    this.self_attn = new MultiheadAttention(c.dModel, c.nhead, { dropout: c.dropout, batchFirst: c.batchFirst });
    this.multihead_attn = new MultiheadAttention(c.dModel, c.nhead, { dropout: c.dropout, batchFirst: c.batchFirst });
    this.linear1 = new Linear(c.dModel, c.dimFeedforward);
    this.dropout = new Dropout(c.dropout);
    this.linear2 = new Linear(c.dimFeedforward, c.dModel);
    this.normFirst = c.normFirst;
    this.norm1 = new LayerNorm(c.dModel, { eps: c.eps });
    this.norm2 = new LayerNorm(c.dModel, { eps: c.eps });
    this.norm3 = new LayerNorm(c.dModel, { eps: c.eps });
    this.dropout1 = new Dropout(c.dropout);
    this.dropout2 = new Dropout(c.dropout);
    this.dropout3 = new Dropout(c.dropout);
    this.activation = c.activation;
    applyFactoryOptions(this, c);
  }

  /** tgt (T, N, E) and memory (S, N, E) ((N, ·, E) with batchFirst, or unbatched); masks as
   *  MultiheadAttention's: tgtMask (T, T), memoryMask (T, S), key padding masks (N, T) and (N, S). */
  forward(tgt: Tensor, memory: Tensor, options?: TransformerDecoderForwardOptions): Tensor;
  forward(tgt: Tensor, memory: Tensor, tgtMask?: Tensor | null, memoryMask?: Tensor | null, tgtKeyPaddingMask?: Tensor | null, memoryKeyPaddingMask?: Tensor | null): Tensor;
  forward(...args: unknown[]): Tensor {
    const a = parseForward("TransformerDecoderLayer.forward", args);
    let x = a.tgt;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1.forward(x), a.tgtMask, a.tgtKeyPaddingMask));
      x = x.add(this.mhaBlock(this.norm2.forward(x), a.memory, a.memoryMask, a.memoryKeyPaddingMask));
      x = x.add(this.ffBlock(this.norm3.forward(x)));
    } else {
      x = this.norm1.forward(x.add(this.saBlock(x, a.tgtMask, a.tgtKeyPaddingMask)));
      x = this.norm2.forward(x.add(this.mhaBlock(x, a.memory, a.memoryMask, a.memoryKeyPaddingMask)));
      x = this.norm3.forward(x.add(this.ffBlock(x)));
    }
    return x;
  }

  private saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [out] = this.self_attn.forward(x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout1.forward(out);
  }

  private mhaBlock(x: Tensor, mem: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [out] = this.multihead_attn.forward(x, mem, mem, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout2.forward(out);
  }

  private ffBlock(x: Tensor): Tensor {
    return this.dropout3.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }
}

export interface TransformerDecoderOptions {
  decoderLayer?: Module;
  numLayers?: number;
  norm?: Module | null;
}

export class TransformerDecoder extends Module {
  layers: ModuleList;
  readonly numLayers: number;
  norm: Module | null;

  constructor(decoderLayer: Module, numLayers: number, norm?: Module | null | TransformerDecoderOptions);
  constructor(options: TransformerDecoderOptions);
  constructor(...args: unknown[]) {
    super();
    const name = "TransformerDecoder";
    const o = parseArgs<Required<TransformerDecoderOptions>>(name, args, ["decoderLayer", "numLayers", "norm"], { norm: null });
    ({ layers: this.layers, numLayers: this.numLayers, norm: this.norm } = cloneLayers(name, "decoder_layer", o.decoderLayer, o.numLayers, o.norm));
  }

  /** Each layer in turn with the same memory and masks, then norm. */
  forward(tgt: Tensor, memory: Tensor, options?: TransformerDecoderForwardOptions): Tensor;
  forward(tgt: Tensor, memory: Tensor, tgtMask?: Tensor | null, memoryMask?: Tensor | null, tgtKeyPaddingMask?: Tensor | null, memoryKeyPaddingMask?: Tensor | null): Tensor;
  forward(...args: unknown[]): Tensor {
    const a = parseForward("TransformerDecoder.forward", args);
    const { tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask } = a;
    let x = a.tgt;
    for (const layer of this.layers.children()) x = (layer as any)(x, a.memory, { tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask });
    return this.norm === null ? x : (this.norm as any)(x);
  }
}
