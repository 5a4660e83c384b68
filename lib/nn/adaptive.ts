// nn.AdaptiveLogSoftmaxWithLoss (Grave et al., efficient softmax for large vocabularies): a head
// Linear over the shortlist [0, cutoffs[0]) plus one logit per tail cluster, and per cluster a
// two-Linear projection (in -> in / div^(i+1) -> cluster size). forward(input, target) gives each
// sample's target log-probability and the mean negative log-likelihood; logProb / predict the full
// distribution and its argmax. Parameters, their init (drawn in PyTorch's order: head, then each
// tail's two Linears) and state-dict keys (head.weight, tail.0.0.weight, ...) are PyTorch's.
// ref: torch/nn/modules/adaptive.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { Module } from "./module.js";
import { Linear } from "./linear.js";
import { ModuleList, Sequential } from "./container.js";
import { checkBool, checkInt, checkNumber, parseArgs } from "./args.js";
import { tensor, zeros } from "../ops/creation.js";
import { cat } from "../ops/indexing.js";
import type { DeviceLike } from "../device.js";

/** PyTorch's _ASMoutput(output, loss): an array [output, loss] with .output and .loss. */
export type ASMoutput = [Tensor, Tensor] & { output: Tensor; loss: Tensor };

export interface AdaptiveLogSoftmaxOptions { divValue?: number; headBias?: boolean; device?: DeviceLike | null; dtype?: string | null }

export class AdaptiveLogSoftmaxWithLoss extends Module {
  readonly inFeatures: number;
  readonly nClasses: number;
  /** The given cutoffs with nClasses appended, as PyTorch stores them. */
  readonly cutoffs: number[];
  readonly divValue: number;
  readonly headBias: boolean;
  readonly shortlistSize: number;
  readonly nClusters: number;
  readonly headSize: number;
  head: Linear;
  tail: ModuleList;

  constructor(inFeatures: number, nClasses: number, cutoffs: number[], options?: AdaptiveLogSoftmaxOptions);
  constructor(inFeatures: number, nClasses: number, cutoffs: number[], divValue?: number, headBias?: boolean);
  constructor(...args: unknown[]) {
    super();
    const name = "AdaptiveLogSoftmaxWithLoss";
    const o = parseArgs<{ inFeatures: number; nClasses: number; cutoffs: number[]; divValue: number; headBias: boolean; device: DeviceLike | null; dtype: string | null }>(
      name, args, ["inFeatures", "nClasses", "cutoffs", "divValue", "headBias", "device", "dtype"], { divValue: 4, headBias: false, device: null, dtype: null },
    );
    const inF = checkInt(name, "inFeatures", o.inFeatures);
    const n = checkInt(name, "nClasses", o.nClasses);
    const cut = Array.isArray(o.cutoffs) ? [...o.cutoffs] : [];
    const sorted = [...cut].sort((a, b) => a - b);
    if (
      cut.length === 0 || cut.some((c, i) => c !== sorted[i]) || Math.min(...cut) <= 0 || Math.max(...cut) > n - 1 ||
      new Set(cut).size !== cut.length || cut.some((c) => !Number.isInteger(c))
    ) {
      throw new RangeError("cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where each value is between 1 and n_classes-1");
    }
    this.inFeatures = inF;
    this.nClasses = n;
    this.cutoffs = [...cut, n];
    this.divValue = checkNumber(name, "divValue", o.divValue);
    this.headBias = checkBool(name, "headBias", o.headBias);
    this.shortlistSize = this.cutoffs[0];
    this.nClusters = this.cutoffs.length - 1;
    this.headSize = this.shortlistSize + this.nClusters;
    this.head = new Linear(inF, this.headSize, { bias: this.headBias });
    this.tail = new ModuleList();
    for (let i = 0; i < this.nClusters; i++) {
      const hsz = Math.floor(inF / this.divValue ** (i + 1));
      const osz = this.cutoffs[i + 1] - this.cutoffs[i];
      this.tail.append(new Sequential(new Linear(inF, hsz, { bias: false }), new Linear(hsz, osz, { bias: false })));
    }
    if (o.device !== null) this.to(o.device);
    if (o.dtype !== null) this.to({ dtype: o.dtype });
  }

  resetParameters(): void {
    this.head.resetParameters();
    for (let i = 0; i < this.nClusters; i++) {
      const seq = this.cluster(i);
      (seq as any)[0].resetParameters();
      (seq as any)[1].resetParameters();
    }
  }

  private cluster(i: number): Sequential {
    return (this.tail as any)[String(i)] as Sequential;
  }

  forward(input_: Tensor, target_: Tensor): ASMoutput {
    const targDim = target_.ndim;
    if (targDim === 1) {
      if (input_.shape[0] !== target_.shape[0]) throw new Error("Input and target should have the same size in the batch dimension.");
      if (input_.ndim !== 2) throw new Error(`1D target tensor expects 2D input tensors, but found inputs with size torch.Size([${input_.shape.join(", ")}])`);
    } else if (targDim === 0) {
      if (input_.ndim !== 1) throw new Error(`0D target tensor expects 1D input tensors, but found inputs with size torch.Size([${input_.shape.join(", ")}])`);
    } else {
      throw new Error("0D or 1D target tensor expected, multi-target not supported");
    }
    const batched = targDim > 0;
    const input = batched ? input_ : input_.unsqueeze(0);
    const target = batched ? target_ : target_.unsqueeze(0);
    const tv = Array.from(target.contiguous().storage() as ArrayLike<number | bigint>, Number);
    const B = tv.length;
    const long = { dtype: "int64" as const };
    let output = zeros([B], { dtype: input.dtype });
    const gatherInds = new Array<number>(B).fill(0);
    const bounds = [0, ...this.cutoffs];
    let used = 0;
    for (let i = 0; i < bounds.length - 1; i++) {
      const [lo, hi] = [bounds[i], bounds[i + 1]];
      const rows: number[] = [];
      tv.forEach((t, r) => {
        if (t >= lo && t < hi) rows.push(r);
      });
      if (rows.length === 0) continue;
      if (i === 0) for (const r of rows) gatherInds[r] = tv[r];
      else {
        const rowIdx = tensor(rows, long);
        const rel = tensor(rows.map((r) => tv[r] - lo), long);
        const clusterOut = (this.cluster(i - 1) as unknown as (x: Tensor) => Tensor)(input.indexSelect(0, rowIdx));
        for (const r of rows) gatherInds[r] = this.shortlistSize + i - 1;
        const local = clusterOut.logSoftmax(1).gather(1, rel.unsqueeze(1));
        output = output.indexCopy(0, rowIdx, local.squeeze(1));
      }
      used += rows.length;
    }
    if (used !== B) {
      throw new Error(`Target values should be in [0, ${this.nClasses - 1}], but values in range [${Math.min(...tv)}, ${Math.max(...tv)}] were found. `);
    }
    const headLogprob = (this.head as unknown as (x: Tensor) => Tensor)(input).logSoftmax(1);
    output = output.add(headLogprob.gather(1, tensor(gatherInds, long).unsqueeze(1)).squeeze(1));
    const loss = output.neg().mean();
    const out = batched ? output : output.squeeze(0);
    return Object.assign([out, loss] as [Tensor, Tensor], { output: out, loss });
  }

  /** Log-probabilities of all nClasses for each row of input [N, in] (or [in]). */
  logProb(input: Tensor): Tensor {
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    const headLogprob = (this.head as unknown as (t: Tensor) => Tensor)(x).logSoftmax(1);
    const parts: Tensor[] = [headLogprob.narrow(1, 0, this.shortlistSize)];
    for (let i = 0; i < this.nClusters; i++) {
      const clusterLogprob = (this.cluster(i) as unknown as (t: Tensor) => Tensor)(x).logSoftmax(1);
      parts.push(clusterLogprob.add(headLogprob.narrow(1, this.shortlistSize + i, 1)));
    }
    const out = cat(parts, 1);
    return batched ? out : out.squeeze(0);
  }

  /** The most likely class of each row (argmax of logProb). */
  predict(input: Tensor): Tensor {
    return this.logProb(input).argmax(input.ndim === 2 ? 1 : 0);
  }
}
