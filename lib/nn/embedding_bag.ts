// nn.EmbeddingBag: F.embeddingBag over a weight [num_embeddings, embedding_dim] initialised N(0, 1)
// from the global generator, the padding row then zeroed (PyTorch's reset_parameters), with its repr.
// ref: torch/nn/modules/sparse.py EmbeddingBag (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { checkShape } from "../shape.js";
import { noGrad } from "../autograd/grad_mode.js";
import { Module, Parameter } from "./module.js";
import { checkBool, checkInt, checkTensor, parseArgs, pyFloat } from "./args.js";
import { embeddingBag, type EmbeddingBagMode } from "./functional_embedding_bag.js";
import * as init from "./init.js";
import type { DeviceLike } from "../device.js";

export interface EmbeddingBagModuleOptions {
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  mode?: EmbeddingBagMode;
  sparse?: boolean;
  _weight?: Tensor | null;
  includeLastOffset?: boolean;
  paddingIdx?: number | null;
  device?: DeviceLike | null;
  dtype?: string | null;
}

export class EmbeddingBag extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  maxNorm: number | null;
  normType: number;
  scaleGradByFreq: boolean;
  mode: EmbeddingBagMode;
  sparse: boolean;
  includeLastOffset: boolean;
  readonly paddingIdx: number | null;
  weight: Parameter;
  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingBagModuleOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<Required<EmbeddingBagModuleOptions> & { numEmbeddings: number; embeddingDim: number }>(
      "EmbeddingBag", args,
      ["numEmbeddings", "embeddingDim", "maxNorm", "normType", "scaleGradByFreq", "mode", "sparse", "_weight", "includeLastOffset", "paddingIdx", "device", "dtype"],
      { maxNorm: null, normType: 2, scaleGradByFreq: false, mode: "mean", sparse: false, _weight: null, includeLastOffset: false, paddingIdx: null, device: null, dtype: null },
    );
    const num = checkInt("EmbeddingBag", "numEmbeddings", o.numEmbeddings);
    const dim = checkInt("EmbeddingBag", "embeddingDim", o.embeddingDim);
    checkShape([num, dim], "EmbeddingBag");
    this.numEmbeddings = num;
    this.embeddingDim = dim;
    this.maxNorm = o.maxNorm;
    this.normType = o.normType;
    this.scaleGradByFreq = checkBool("EmbeddingBag", "scaleGradByFreq", o.scaleGradByFreq);
    this.mode = o.mode;
    this.sparse = checkBool("EmbeddingBag", "sparse", o.sparse);
    this.includeLastOffset = checkBool("EmbeddingBag", "includeLastOffset", o.includeLastOffset);
    let pad = o.paddingIdx;
    if (pad !== null) {
      if (pad > 0 && pad >= num) throw new RangeError("padding_idx must be within num_embeddings");
      if (pad < 0) {
        if (pad < -num) throw new RangeError("padding_idx must be within num_embeddings");
        pad += num;
      }
    }
    this.paddingIdx = pad;
    if (o._weight !== null) {
      const w = checkTensor("EmbeddingBag", "_weight", o._weight);
      if (w.ndim !== 2 || w.shape[0] !== num || w.shape[1] !== dim) throw new RangeError("Shape of weight does not match num_embeddings and embedding_dim");
      this.weight = new Parameter(w);
    } else {
      this.weight = new Parameter(Tensor.empty([num, dim], "float32"));
      this.resetParameters();
    }
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
  }
  /** N(0, 1), then the padding row zeroed. */
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const p = this.paddingIdx;
      noGrad(() => this.weight.narrow(0, p, 1).fill_(0));
    }
  }
  forward(input: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    return embeddingBag(input, this.weight, offsets, this.maxNorm, this.normType, this.scaleGradByFreq, this.mode, this.sparse, perSampleWeights, this.includeLastOffset, this.paddingIdx);
  }
  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ", scale_grad_by_freq=True";
    s += `, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
