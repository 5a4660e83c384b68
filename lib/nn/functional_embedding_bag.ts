// F.embedding_bag: the sums, means or maxima of bags of embedding rows without materialising the
// [*, dim] lookup. Bags are the rows of a 2-D input, or the spans of a 1-D input between offsets
// (include_last_offset: the last offset closes the last bag). Entries equal to padding_idx are
// skipped (not counted by mean); an empty bag gives zeros. per_sample_weights scale each row (mode
// 'sum' only). Composed as index_select + index_add (sum, mean) or a gather at each bag's argmax per
// column (max: the gradient goes to that row, as PyTorch's), so gradients follow.
// ref: torch/nn/functional.py embedding_bag, aten/src/ATen/native/EmbeddingBag.cpp (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { rename } from "../autograd/node.js";
import { tensor, zeros } from "../ops/creation.js";
import { where } from "../ops/elementwise.js";
import { checkBool, checkOptionalTensor, checkTensor, parseArgs, scalarTypeName, torchSize } from "./args.js";
import { embeddingRenorm_ } from "./functional_sequence.js";

export type EmbeddingBagMode = "sum" | "mean" | "max";
export interface EmbeddingBagOptions {
  offsets?: Tensor | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  mode?: EmbeddingBagMode;
  sparse?: boolean;
  perSampleWeights?: Tensor | null;
  includeLastOffset?: boolean;
  paddingIdx?: number | null;
}

const ints = (t: Tensor): number[] => Array.from(t.contiguous().storage() as ArrayLike<number | bigint>, Number);

/** F.embedding_bag(input, weight, offsets = null, maxNorm = null, normType = 2, scaleGradByFreq = false, mode = 'mean',
 *  sparse = false, perSampleWeights = null, includeLastOffset = false, paddingIdx = null) -> [bags, dim]. */
export function embeddingBag(input: Tensor, weight: Tensor, offsets?: Tensor | null | EmbeddingBagOptions, ...rest: unknown[]): Tensor;
export function embeddingBag(...args: unknown[]): Tensor {
  const fn = "embedding_bag";
  const o = parseArgs<{
    input: Tensor; weight: Tensor; offsets: Tensor | null; maxNorm: number | null; normType: number; scaleGradByFreq: boolean; mode: string;
    sparse: boolean; perSampleWeights: Tensor | null; includeLastOffset: boolean; paddingIdx: number | null;
  }>(fn, args, ["input", "weight", "offsets", "maxNorm", "normType", "scaleGradByFreq", "mode", "sparse", "perSampleWeights", "includeLastOffset", "paddingIdx"], {
    offsets: null, maxNorm: null, normType: 2, scaleGradByFreq: false, mode: "mean", sparse: false, perSampleWeights: null, includeLastOffset: false, paddingIdx: null,
  });
  const input = checkTensor(fn, "input", o.input, 1);
  const weight = checkTensor(fn, "weight", o.weight, 2);
  let offsets = checkOptionalTensor(fn, "offsets", o.offsets);
  const psw = checkOptionalTensor(fn, "per_sample_weights", o.perSampleWeights);
  if (checkBool(fn, "scale_grad_by_freq", o.scaleGradByFreq)) throw new Error("embedding_bag: scale_grad_by_freq=True is not supported in torchlet");
  if (checkBool(fn, "sparse", o.sparse)) throw new Error("embedding_bag: sparse=True is not supported in torchlet (no sparse tensors)");
  const includeLast = checkBool(fn, "include_last_offset", o.includeLastOffset);
  if (weight.ndim !== 2) throw new RangeError(`weight has to be a 2D Tensor, but got Tensor of dimension ${weight.ndim}`);
  const [num, dim] = weight.shape;
  let pad = o.paddingIdx;
  if (pad !== null) {
    if (pad > 0 && pad >= num) throw new RangeError("padding_idx must be within number of embeddings");
    if (pad < 0) {
      if (pad < -num) throw new RangeError("padding_idx must be within number of embeddings");
      pad += num;
    }
  }
  if (psw !== null && !(psw.ndim === input.ndim && psw.shape.every((s, i) => s === input.shape[i]))) {
    throw new RangeError(`embedding_bag: If per_sample_weights (${torchSize(psw.shape)}) is not None, then it must have the same shape as the input (${torchSize(input.shape)})`);
  }
  if (input.ndim === 2) {
    if (offsets !== null) {
      throw new RangeError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>");
    }
  } else if (input.ndim === 1) {
    if (offsets === null) throw new RangeError("offsets has to be a 1D Tensor but got None");
    if (offsets.ndim !== 1) throw new RangeError("offsets has to be a 1D Tensor");
  } else {
    throw new RangeError(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
  }
  const mode = o.mode;
  if (mode !== "sum" && mode !== "mean" && mode !== "max") throw new RangeError("mode has to be one of sum, mean or max");
  if (psw !== null && mode !== "sum") {
    throw new Error(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`);
  }
  if (input.dtype !== "int64" && input.dtype !== "int32") {
    throw new TypeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${scalarTypeName(input.dtype)}Tensor instead (while checking arguments for embedding_bag)`,
    );
  }
  const idx = ints(input);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= num) throw new RangeError(`Index ${i} is out of bounds: ${idx[i]}, range 0 to ${num}`);
  }
  // Bag boundaries: starts[b] .. ends[b].
  let starts: number[];
  if (input.ndim === 2) {
    const [B, L] = input.shape;
    starts = Array.from({ length: B }, (_, b) => b * L);
    offsets = null;
  } else {
    starts = ints(offsets as Tensor);
    if (starts.length > 0 && starts[0] !== 0) {
      throw new RangeError(`offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${starts[0]}`);
    }
    if (starts.length > 0 && starts[starts.length - 1] > idx.length) {
      throw new RangeError(`offsets[-1] can not be greater than input's length ${idx.length} but got offsets[-1] of ${starts[starts.length - 1]}`);
    }
    for (let i = 1; i < starts.length; i++) if (starts[i] < starts[i - 1]) throw new RangeError("offsets must be non-decreasing");
  }
  const B = includeLast && input.ndim === 1 ? Math.max(starts.length - 1, 0) : starts.length;
  const end = (b: number) => (b + 1 < starts.length ? starts[b + 1] : idx.length);
  // max_norm renormalises the named weight rows in place first (F.embedding_bag's torch.embedding_renorm_).
  if (o.maxNorm !== null) embeddingRenorm_(weight, idx, o.maxNorm, o.normType);
  // Kept positions (padding skipped) and their bags.
  const keptPos: number[] = [];
  const keptBag: number[] = [];
  const count = new Array<number>(B).fill(0);
  for (let b = 0; b < B; b++) {
    for (let i = starts[b]; i < Math.min(end(b), idx.length); i++) {
      if (pad !== null && idx[i] === pad) continue;
      keptPos.push(i);
      keptBag.push(b);
      count[b]++;
    }
  }
  const long = { dtype: "int64" as const };
  let out: Tensor;
  if (mode === "max") {
    // Per bag and column the row of the maximum (first on ties), then one gather from weight.
    const w = noGrad(() => weight.detach().to("float64").contiguous());
    const wd = w.storage() as Float64Array;
    const rowOf = new Array<number>(B * dim).fill(0);
    const has = new Array<boolean>(B * dim).fill(false);
    for (let k = 0; k < keptPos.length; k++) {
      const b = keptBag[k];
      const r = idx[keptPos[k]];
      for (let d = 0; d < dim; d++) {
        const cur = b * dim + d;
        const v = wd[w.offset + r * dim + d];
        if (!has[cur] || v > wd[w.offset + rowOf[cur] * dim + d] || (Number.isNaN(v) && !Number.isNaN(wd[w.offset + rowOf[cur] * dim + d]))) {
          rowOf[cur] = r;
          has[cur] = true;
        }
      }
    }
    const gathered = weight.gather(0, tensor(rowOf, long).reshape([B, dim]));
    out = where(tensor(has.map((h) => (h ? 1 : 0)), long).reshape([B, dim]).ne(0), gathered, 0);
  } else {
    let rows = weight.indexSelect(0, tensor(keptPos.map((p) => idx[p]), long));
    if (psw !== null) rows = rows.mul(psw.reshape([-1]).indexSelect(0, tensor(keptPos, long)).unsqueeze(1));
    out = zeros([B, dim], { dtype: rows.dtype }).indexAdd(0, tensor(keptBag, long), rows);
    if (mode === "mean") out = out.div(tensor(count.map((c) => Math.max(c, 1)), { dtype: out.dtype }).unsqueeze(1));
  }
  return rename(out, "EmbeddingBagBackward0");
}
