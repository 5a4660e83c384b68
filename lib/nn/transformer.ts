// The Transformer encoder (PyTorch 1.13): nn.TransformerEncoderLayer (self-attention block then
// feed-forward block, each with a residual and LayerNorm, post-norm by default or pre-norm with
// normFirst) and nn.TransformerEncoder (numLayers deep copies of one layer, as PyTorch's _get_clones,
// then an optional final norm); the decoder is in transformer_decoder.ts, nn.Transformer in
// transformer_model.ts. Submodules are
// created in PyTorch's order (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2)
// so a seeded model draws PyTorch's initial values. The layer in eval mode with nothing needing a
// gradient runs transformer_infer.ts: the same kernels in the same order (bit-identical values)
// without autograd's overhead. PyTorch's own fast path (fused kernel, nested tensors for padding)
// gives the same values except that it zeroes padded positions of TransformerEncoder's output;
// torchlet keeps them as computed.
// ref: torch/nn/modules/transformer.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { ModuleList } from "./container.js";
import { checkBool, checkInt, checkNumber, checkOptionalTensor, checkTensor, parseArgs } from "./args.js";
import { MultiheadAttention } from "./attention.js";
import { Linear } from "./linear.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./normalization.js";
import { gelu, relu } from "./functional.js";
import { deepcopyModule } from "./clone.js";
import { type BuiltinActivation, encoderLayerInference } from "./transformer_infer.js";

export type TransformerActivation = "relu" | "gelu" | ((x: Tensor) => Tensor);

export interface TransformerEncoderLayerOptions {
  dModel?: number;
  nhead?: number;
  dimFeedforward?: number;
  dropout?: number;
  activation?: TransformerActivation;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  /** Accepted for porting: only "cpu" and float32 exist. */
  device?: unknown;
  dtype?: unknown;
}

export interface TransformerEncoderForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

/** PyTorch's _get_activation_fn: "relu"/"gelu" by name, or any callable (a Module included). */
export function activationFn(a: unknown): (x: Tensor) => Tensor {
  if (a === "relu") return (x) => relu(x);
  if (a === "gelu") return (x) => gelu(x);
  if (typeof a === "function") return a as (x: Tensor) => Tensor;
  throw new Error(`activation should be relu/gelu, not ${String(a)}`);
}

export function checkKeyPaddingMask(fn: string, v: unknown): Tensor | null {
  const m = checkOptionalTensor(fn, "src_key_padding_mask", v);
  if (m !== null && m.dtype === "int64") throw new Error("only bool and floating types of key_padding_mask are supported");
  return m;
}

/** A layer's options, checked, with PyTorch's defaults (shared by the encoder and decoder layers). */
export interface LayerConfig {
  dModel: number;
  nhead: number;
  dimFeedforward: number;
  dropout: number;
  eps: number;
  batchFirst: boolean;
  normFirst: boolean;
  activation: (x: Tensor) => Tensor;
  /** The activation when given by name ("relu"/"gelu"), with the function made for it; else null. */
  builtinActivation: BuiltinActivation | null;
  device: unknown;
  dtype: unknown;
}

export function layerConfig(name: string, args: unknown[]): LayerConfig {
  const o = parseArgs<Required<TransformerEncoderLayerOptions>>(
    name, args, ["dModel", "nhead", "dimFeedforward", "dropout", "activation", "layerNormEps", "batchFirst", "normFirst", "device", "dtype"],
    { dimFeedforward: 2048, dropout: 0.1, activation: "relu", layerNormEps: 1e-5, batchFirst: false, normFirst: false, device: null, dtype: null },
  );
  const activation = activationFn(o.activation);
  return {
    dModel: checkInt(name, "dModel", o.dModel),
    nhead: checkInt(name, "nhead", o.nhead),
    dimFeedforward: checkInt(name, "dimFeedforward", o.dimFeedforward),
    dropout: checkNumber(name, "dropout", o.dropout),
    eps: checkNumber(name, "layerNormEps", o.layerNormEps),
    batchFirst: checkBool(name, "batchFirst", o.batchFirst),
    normFirst: checkBool(name, "normFirst", o.normFirst),
    activation,
    builtinActivation: o.activation === "relu" || o.activation === "gelu" ? { name: o.activation, fn: activation } : null,
    device: o.device,
    dtype: o.dtype,
  };
}

/** A built layer moved to the device / dtype its options named (last, as PyTorch's factory_kwargs). */
export function applyFactoryOptions(m: Module, c: LayerConfig): void {
  if (c.device !== null) m.to(c.device as any);
  if (c.dtype !== null) m.to({ dtype: c.dtype as any });
}

/** PyTorch's _get_clones with the stacks' argument checks: numLayers deep copies of `layer`. */
export function cloneLayers(name: string, argName: string, layer: unknown, numLayers: unknown, norm: unknown): { layers: ModuleList; numLayers: number; norm: Module | null } {
  if (!(layer instanceof Module)) throw new TypeError(`${name}(): argument '${argName}' must be a Module`);
  if (norm !== null && !(norm instanceof Module)) throw new TypeError(`${name}(): argument 'norm' must be a Module or None`);
  const n = checkInt(name, "numLayers", numLayers);
  if (n < 0) throw new RangeError(`${name}: numLayers must be non-negative, got ${n}`);
  // NOTE: the given layer itself is not used, as in PyTorch.
  return { layers: new ModuleList(Array.from({ length: n }, () => deepcopyModule(layer))), numLayers: n, norm: norm as Module | null };
}

export class TransformerEncoderLayer extends Module {
  readonly normFirst: boolean;
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  /** The activation between linear1 and linear2; a Module given here is a submodule, as in PyTorch. */
  activation: (x: Tensor) => Tensor;
  /** The activation given by name, for the inference path (transformer_infer.ts): it runs only
   *  while `activation` is still this one's function. A public field, so deep copies keep it. */
  readonly builtinActivation: BuiltinActivation | null;

  constructor(dModel: number, nhead: number, options?: TransformerEncoderLayerOptions);
  constructor(options: TransformerEncoderLayerOptions);
  constructor(...args: unknown[]) {
    super();
    const c = layerConfig("TransformerEncoderLayer", args);
    this.self_attn = new MultiheadAttention(c.dModel, c.nhead, { dropout: c.dropout, batchFirst: c.batchFirst });
    this.linear1 = new Linear(c.dModel, c.dimFeedforward);
    this.dropout = new Dropout(c.dropout);
    this.linear2 = new Linear(c.dimFeedforward, c.dModel);
    this.normFirst = c.normFirst;
    this.norm1 = new LayerNorm(c.dModel, { eps: c.eps });
    this.norm2 = new LayerNorm(c.dModel, { eps: c.eps });
    this.dropout1 = new Dropout(c.dropout);
    this.dropout2 = new Dropout(c.dropout);
    this.activation = c.activation;
    this.builtinActivation = c.builtinActivation;
    applyFactoryOptions(this, c);
  }

  /** src (S, N, E), (N, S, E) with batchFirst, or unbatched (S, E); srcMask (S, S) or (N·nhead, S, S),
   *  bool (true = may NOT attend) or float (added); srcKeyPaddingMask (N, S) (true = padding). */
  forward(src: Tensor, options?: TransformerEncoderForwardOptions): Tensor;
  forward(src: Tensor, srcMask?: Tensor | null, srcKeyPaddingMask?: Tensor | null): Tensor;
  forward(...args: unknown[]): Tensor {
    const fn = "TransformerEncoderLayer.forward";
    const o = parseArgs<{ src: Tensor; srcMask: Tensor | null; srcKeyPaddingMask: Tensor | null }>(
      fn, args, ["src", "srcMask", "srcKeyPaddingMask"], { srcMask: null, srcKeyPaddingMask: null },
    );
    const src = checkTensor(fn, "src", o.src, 1);
    const mask = checkOptionalTensor(fn, "src_mask", o.srcMask);
    const kpm = checkKeyPaddingMask(fn, o.srcKeyPaddingMask);
    // Eval with nothing needing a gradient: the same result without autograd's overhead.
    const fast = encoderLayerInference(this, this.builtinActivation, src, mask, kpm);
    if (fast !== null) return fast;
    let x = src;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1.forward(x), mask, kpm));
      x = x.add(this.ffBlock(this.norm2.forward(x)));
    } else {
      x = this.norm1.forward(x.add(this.saBlock(x, mask, kpm)));
      x = this.norm2.forward(x.add(this.ffBlock(x)));
    }
    return x;
  }

  private saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [out] = this.self_attn.forward(x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout1.forward(out);
  }

  private ffBlock(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }
}

export interface TransformerEncoderOptions {
  encoderLayer?: Module;
  numLayers?: number;
  norm?: Module | null;
  enableNestedTensor?: boolean;
  maskCheck?: boolean;
}

export class TransformerEncoder extends Module {
  layers: ModuleList;
  readonly numLayers: number;
  norm: Module | null;
  /** Accepted for porting; torchlet has no nested tensors, so it changes nothing. */
  readonly enableNestedTensor: boolean;
  readonly maskCheck: boolean;

  constructor(encoderLayer: Module, numLayers: number, norm?: Module | null | TransformerEncoderOptions, options?: TransformerEncoderOptions);
  constructor(options: TransformerEncoderOptions);
  constructor(...args: unknown[]) {
    super();
    const name = "TransformerEncoder";
    const o = parseArgs<Required<TransformerEncoderOptions>>(name, args, ["encoderLayer", "numLayers", "norm", "enableNestedTensor", "maskCheck"], {
      norm: null, enableNestedTensor: true, maskCheck: true,
    });
    ({ layers: this.layers, numLayers: this.numLayers, norm: this.norm } = cloneLayers(name, "encoder_layer", o.encoderLayer, o.numLayers, o.norm));
    this.enableNestedTensor = checkBool(name, "enableNestedTensor", o.enableNestedTensor);
    this.maskCheck = checkBool(name, "maskCheck", o.maskCheck);
  }

  /** Each layer in turn with the same masks (PyTorch's names: mask, srcKeyPaddingMask), then norm. */
  forward(src: Tensor, options?: { mask?: Tensor | null; srcKeyPaddingMask?: Tensor | null }): Tensor;
  forward(src: Tensor, mask?: Tensor | null, srcKeyPaddingMask?: Tensor | null): Tensor;
  forward(...args: unknown[]): Tensor {
    const fn = "TransformerEncoder.forward";
    const o = parseArgs<{ src: Tensor; mask: Tensor | null; srcKeyPaddingMask: Tensor | null }>(
      fn, args, ["src", "mask", "srcKeyPaddingMask"], { mask: null, srcKeyPaddingMask: null },
    );
    let x = checkTensor(fn, "src", o.src, 1);
    const mask = checkOptionalTensor(fn, "mask", o.mask);
    const kpm = checkKeyPaddingMask(fn, o.srcKeyPaddingMask);
    // NOTE: called as modules (not .forward), so their hooks run, as PyTorch's mod(...) does.
    for (const layer of this.layers.children()) x = (layer as any)(x, { srcMask: mask, srcKeyPaddingMask: kpm });
    return this.norm === null ? x : (this.norm as any)(x);
  }
}
