// nn.Embedding: a lookup table weight [num_embeddings, embedding_dim] initialised N(0, 1) from the
// global generator (as PyTorch's reset_parameters: normal_ then zeroing the padding row), so
// torch.manualSeed(s) reproduces PyTorch's values. ref: torch/nn/modules/sparse.py (PyTorch 1.13).
import { getDefaultDtype } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { checkShape } from "../shape.js";
import { noGrad } from "../autograd/grad_mode.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, checkTensor, parseArgs, pyFloat, pyRepr } from "./args.js";
import { embedding, normalizePaddingIdx } from "./functional_sequence.js";
import * as init from "./init.js";
import type { DeviceLike } from "../device.js";

export interface EmbeddingModuleOptions {
  numEmbeddings?: number;
  embeddingDim?: number;
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
  _weight?: Tensor | null;
  device?: DeviceLike | null;
  dtype?: string | null;
}

type Parsed = Required<Omit<EmbeddingModuleOptions, "numEmbeddings" | "embeddingDim">> & { numEmbeddings: number; embeddingDim: number };

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** Normalised to 0..num-1, or null. */
  readonly paddingIdx: number | null;
  maxNorm: number | null;
  normType: number;
  scaleGradByFreq: boolean;
  sparse: boolean;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingModuleOptions);
  constructor(options: EmbeddingModuleOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<Parsed>(
      "Embedding", args,
      ["numEmbeddings", "embeddingDim", "paddingIdx", "maxNorm", "normType", "scaleGradByFreq", "sparse", "_weight", "device", "dtype"],
      { paddingIdx: null, maxNorm: null, normType: 2, scaleGradByFreq: false, sparse: false, _weight: null, device: null, dtype: null },
    );
    const num = checkInt("Embedding", "numEmbeddings", o.numEmbeddings);
    const dim = checkInt("Embedding", "embeddingDim", o.embeddingDim);
    checkShape([num, dim], "Embedding");
    this.numEmbeddings = num;
    this.embeddingDim = dim;
    if (o.paddingIdx !== null && o.paddingIdx !== undefined) {
      if (o.paddingIdx >= num || o.paddingIdx < -num) throw new RangeError("Padding_idx must be within num_embeddings");
    }
    this.paddingIdx = o.paddingIdx === null || o.paddingIdx === undefined ? null : normalizePaddingIdx(o.paddingIdx, num);
    this.maxNorm = o.maxNorm;
    this.normType = o.normType;
    this.scaleGradByFreq = checkBool("Embedding", "scaleGradByFreq", o.scaleGradByFreq);
    this.sparse = checkBool("Embedding", "sparse", o.sparse);
    if (o._weight !== null && o._weight !== undefined) {
      const w = checkTensor("Embedding", "_weight", o._weight);
      if (w.shape.length !== 2 || w.shape[0] !== num || w.shape[1] !== dim) throw new RangeError("Shape of weight does not match num_embeddings and embedding_dim");
      this.weight = new Parameter(w);
    } else {
      this.weight = new Parameter(Tensor.empty([num, dim], getDefaultDtype()));
      this.resetParameters();
    }
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
  }

  /** N(0, 1), then the padding row zeroed. */
  resetParameters(): void {
    init.normal_(this.weight);
    this.fillPaddingIdxWithZero();
  }

  private fillPaddingIdxWithZero(): void {
    if (this.paddingIdx !== null) {
      const p = this.paddingIdx;
      noGrad(() => this.weight.narrow(0, p, 1).fill_(0));
    }
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx, this.maxNorm, this.normType, this.scaleGradByFreq, this.sparse);
  }

  /** An Embedding holding `embeddings` [num, dim] (not copied); freeze (default true) turns off its gradient. */
  static fromPretrained(
    embeddings: Tensor,
    options: { freeze?: boolean; paddingIdx?: number | null; maxNorm?: number | null; normType?: number; scaleGradByFreq?: boolean; sparse?: boolean } = {},
  ): Embedding {
    const w = checkTensor("from_pretrained", "embeddings", embeddings);
    if (w.ndim !== 2) throw new RangeError("Embeddings parameter is expected to be 2-dimensional");
    const { freeze = true, ...rest } = options;
    const m = new Embedding(w.shape[0], w.shape[1], { ...rest, _weight: w });
    m.weight.requiresGrad = !freeze;
    return m;
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += `, scale_grad_by_freq=${pyRepr(true)}`;
    if (this.sparse) s += ", sparse=True";
    return s;
  }
}
