// nn.functional for sequence models: embedding (a row lookup composed of indexSelect, so its gradient
// is index_add's scatter of the upstream rows). F.oneHot lives in functional.ts.
// ref: torch/nn/functional.py embedding (PyTorch 1.13), aten/src/ATen/native/Embedding.cpp.
import { scalarTypeName } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { checkBool, checkNumber, checkTensor, parseArgs } from "./args.js";

export interface EmbeddingOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
}

/** padding_idx as PyTorch's F.embedding normalises it: negative counts from the end, null -> -1 (none). */
export function normalizePaddingIdx(paddingIdx: number | null | undefined, num: number): number {
  if (paddingIdx === null || paddingIdx === undefined) return -1;
  if (!Number.isInteger(paddingIdx)) throw new TypeError(`padding_idx must be an int, got ${String(paddingIdx)}`);
  if (paddingIdx > 0 && paddingIdx >= num) throw new RangeError("Padding_idx must be within num_embeddings");
  if (paddingIdx < 0) {
    if (paddingIdx < -num) throw new RangeError("Padding_idx must be within num_embeddings");
    return paddingIdx + num;
  }
  return paddingIdx;
}

/** The index values of `input`, checked to be integer indices into `num` rows. */
function indexValues(input: Tensor, num: number): ArrayLike<number> {
  if (input.dtype !== "int64" && input.dtype !== "int32") {
    throw new TypeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${scalarTypeName(input.dtype)}Tensor instead (while checking arguments for embedding)`,
    );
  }
  const idx = input.contiguous().storage();
  for (let i = 0; i < idx.length; i++) {
    // NOTE: PyTorch raises IndexError here; JS has no IndexError, RangeError is the nearest.
    if (idx[i] < 0 || idx[i] >= num) throw new RangeError("index out of range in self");
  }
  return idx;
}

/** In place, without autograd: each row that `idx` names whose norm exceeds maxNorm is scaled to maxNorm. */
export function embeddingRenorm_(weight: Tensor, idx: ArrayLike<number>, maxNorm: number, normType: number): void {
  const rows = [...new Set(Array.from(idx))];
  noGrad(() => {
    for (const r of rows) {
      const row = weight.narrow(0, r, 1); // a view: mul_ writes through
      const norm = row.norm(normType).item() as number;
      // NOTE: PyTorch's embedding_renorm_ scales by max_norm / (norm + 1e-7).
      if (norm > maxNorm) row.mul_(maxNorm / (norm + 1e-7));
    }
  });
}

/**
 * Rows of `weight` [num, dim] picked by integer `input` [*] -> [*, dim]. `paddingIdx`: that row gets no
 * gradient. `maxNorm`: the picked rows are renormalised in place first (as PyTorch does).
 */
export function embedding(input: Tensor, weight: Tensor, options?: EmbeddingOptions): Tensor;
export function embedding(input: Tensor, weight: Tensor, paddingIdx?: number | null, maxNorm?: number | null, normType?: number, scaleGradByFreq?: boolean, sparse?: boolean): Tensor;
export function embedding(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; weight: Tensor; paddingIdx: number | null; maxNorm: number | null; normType: number; scaleGradByFreq: boolean; sparse: boolean }>(
    "embedding", args, ["input", "weight", "paddingIdx", "maxNorm", "normType", "scaleGradByFreq", "sparse"],
    { paddingIdx: null, maxNorm: null, normType: 2, scaleGradByFreq: false, sparse: false },
  );
  const input = checkTensor("embedding", "input", o.input, 1);
  const weight = checkTensor("embedding", "weight", o.weight, 2);
  if (weight.ndim !== 2) throw new RangeError("'weight' must be 2-D");
  if (checkBool("embedding", "scale_grad_by_freq", o.scaleGradByFreq)) throw new Error("embedding: scale_grad_by_freq=True is not supported in torchlet");
  if (checkBool("embedding", "sparse", o.sparse)) throw new Error("embedding: sparse=True is not supported in torchlet (no sparse tensors)");
  const num = weight.shape[0];
  const pad = normalizePaddingIdx(o.paddingIdx, num);
  const idx = indexValues(input, num);
  if (o.maxNorm !== null && o.maxNorm !== undefined) embeddingRenorm_(weight, idx, checkNumber("embedding", "max_norm", o.maxNorm), checkNumber("embedding", "norm_type", o.normType));
  const flat = input.reshape([-1]);
  let rows = weight.indexSelect(0, flat.dtype === "int64" ? flat : flat.long());
  if (pad >= 0 && Array.prototype.includes.call(idx, pad)) {
    // NOTE: the padding row's value is used, but its gradient is dropped (PyTorch skips that row
    // in embedding_backward): those output rows come from a detached copy.
    const mask = flat.eq(pad).unsqueeze(1);
    rows = rows.detach().where(mask, rows);
  }
  return rows.reshape([...input.shape, weight.shape[1]]);
}
