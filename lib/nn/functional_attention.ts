// Attention as compositions of recorded ops (matmul/bmm, baddbmm, softmax, masked fill), so autograd
// gives the gradients: F.scaledDotProductAttention (PyTorch 2.0's math path: a bool mask marks the
// positions that take part, a float mask is added) and F.multiHeadAttentionForward (PyTorch 1.13's
// multi_head_attention_forward, the engine of nn.MultiheadAttention: a bool mask marks the positions
// that are masked OUT, the opposite convention). Shapes, checks and their messages follow PyTorch.
// ref: torch/nn/functional.py (PyTorch 1.13: multi_head_attention_forward, _mha_shape_check,
// _in_projection_packed, _scaled_dot_product_attention); PyTorch 2.0 docs of scaled_dot_product_attention.
import { Tensor } from "../tensor.js";
import { isFloating } from "../dtype.js";
import { cat } from "../ops/indexing.js";
import { full, zeros } from "../ops/creation.js";
import { checkBool, checkNumber, checkOptionalTensor, checkTensor, parseArgs, pyTuple } from "./args.js";
import { dropout, linear } from "./functional.js";
import { PackedHeads } from "./attention_heads.js";

const isFloat = (t: Tensor) => isFloating(t.dtype);

/** Python's repr of a torch.Size in these messages: torch.Size([2, 3]). */
const size = (shape: readonly number[]) => `torch.Size([${shape.join(", ")}])`;
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** A bool "take part" mask or a float additive mask as an additive float mask (True→0, False→-inf). */
function additiveMask(mask: Tensor, keepWhereTrue: boolean): Tensor {
  if (mask.dtype !== "bool") return mask;
  const masked = keepWhereTrue ? mask.logicalNot() : mask;
  return zeros(mask.shape).maskedFill(masked, -Infinity);
}

export interface ScaledDotProductAttentionOptions {
  attnMask?: Tensor | null;
  dropoutP?: number;
  isCausal?: boolean;
}

/**
 * softmax(Q Kᵀ / √E + mask) V over the last two dims, with any broadcastable leading batch dims:
 * query (..., L, E), key (..., S, E), value (..., S, Ev) → (..., L, Ev). attnMask: bool (true = may
 * attend) or float (added), broadcastable to (..., L, S). isCausal: a lower-triangular bool mask.
 * A row with nothing to attend to gives NaN, as PyTorch's math path does.
 */
export function scaledDotProductAttention(
  query: Tensor, key: Tensor, value: Tensor,
  attnMask?: Tensor | null | ScaledDotProductAttentionOptions, dropoutP?: number | ScaledDotProductAttentionOptions,
  isCausal?: boolean | ScaledDotProductAttentionOptions,
): Tensor;
export function scaledDotProductAttention(...args: unknown[]): Tensor {
  const fn = "scaled_dot_product_attention";
  const o = parseArgs<{ query: Tensor; key: Tensor; value: Tensor; attnMask: Tensor | null; dropoutP: number; isCausal: boolean }>(
    fn, args, ["query", "key", "value", "attnMask", "dropoutP", "isCausal"], { attnMask: null, dropoutP: 0, isCausal: false },
  );
  const q = checkTensor(fn, "query", o.query, 1);
  const k = checkTensor(fn, "key", o.key, 2);
  const v = checkTensor(fn, "value", o.value, 3);
  const mask = checkOptionalTensor(fn, "attn_mask", o.attnMask);
  const p = checkNumber(fn, "dropout_p", o.dropoutP);
  const causal = checkBool(fn, "is_causal", o.isCausal);
  if (q.ndim < 2 || k.ndim < 2 || v.ndim < 2) {
    throw new RangeError(`${fn}: expected query, key and value to have at least 2 dimensions, got ${q.ndim}, ${k.ndim} and ${v.ndim}`);
  }
  if (q.shape[q.ndim - 1] !== k.shape[k.ndim - 1]) {
    throw new RangeError(`${fn}: expected query and key to have the same embedding size, got ${q.shape[q.ndim - 1]} and ${k.shape[k.ndim - 1]}`);
  }
  if (k.shape[k.ndim - 2] !== v.shape[v.ndim - 2]) {
    throw new RangeError(`${fn}: expected key and value to have the same sequence length, got ${k.shape[k.ndim - 2]} and ${v.shape[v.ndim - 2]}`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (mask !== null && causal) throw new Error("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
  if (mask !== null && mask.dtype !== "bool" && !isFloat(mask)) {
    throw new TypeError(`Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: ${mask.dtype}`);
  }
  const L = q.shape[q.ndim - 2];
  const S = k.shape[k.ndim - 2];
  const scale = 1 / Math.sqrt(q.shape[q.ndim - 1]);
  let scores = q.mul(scale).matmul(k.transpose(-2, -1));
  const bias = causal ? additiveMask(full([L, S], true, { dtype: "bool" }).tril(), true) : mask === null ? null : additiveMask(mask, true);
  if (bias !== null) scores = scores.add(bias);
  let weights = scores.softmax(-1);
  // NOTE: PyTorch 2.0 applies dropout_p whenever it is > 0 (the function has no training flag).
  if (p > 0) weights = dropout(weights, p, true);
  return weights.matmul(v);
}

export interface MultiHeadAttentionForwardOptions {
  training?: boolean;
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  averageAttnWeights?: boolean;
}

function assert(ok: boolean, message: string): void {
  // NOTE: PyTorch raises AssertionError here; a plain Error with the same text is our equivalent.
  if (!ok) throw new Error(message);
}

/** PyTorch's _mha_shape_check: whether the input is batched (3-D query), with its messages. */
function mhaShapeCheck(q: Tensor, k: Tensor, v: Tensor, kpm: Tensor | null, mask: Tensor | null, numHeads: number): boolean {
  if (q.ndim === 3) {
    assert(k.ndim === 3 && v.ndim === 3, `For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${k.ndim}-D and ${v.ndim}-D tensors respectively`);
    if (kpm !== null) assert(kpm.ndim === 2, `For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${kpm.ndim}-D tensor instead`);
    if (mask !== null) assert(mask.ndim === 2 || mask.ndim === 3, `For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.ndim}-D tensor instead`);
    return true;
  }
  if (q.ndim === 2) {
    assert(k.ndim === 2 && v.ndim === 2, `For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${k.ndim}-D and ${v.ndim}-D tensors respectively`);
    if (kpm !== null) assert(kpm.ndim === 1, `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${kpm.ndim}-D tensor instead`);
    if (mask !== null) {
      assert(mask.ndim === 2 || mask.ndim === 3, `For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.ndim}-D tensor instead`);
      if (mask.ndim === 3) {
        const expected = [numHeads, q.shape[0], k.shape[0]];
        assert(sameShape(mask.shape, expected), `Expected \`attn_mask\` shape to be ${pyTuple(expected)} but got ${size(mask.shape)}`);
      }
    }
    return false;
  }
  throw new Error(`query should be unbatched 2D or batched 3D tensor but received ${q.ndim}-D query tensor`);
}

/** Appends one column (False / 0) to a mask's last dim, as F.pad(mask, (0, 1)) does. */
function padLast(mask: Tensor): Tensor {
  const extra = zeros([...mask.shape.slice(0, -1), 1], { dtype: mask.dtype });
  return cat([mask, extra], -1);
}

/**
 * PyTorch 1.13's F.multi_head_attention_forward on sequence-first input: query (L, N, E) or (L, E),
 * key/value (S, N, E) or (S, E). Returns [output (L, N, E), weights (N, L, S) averaged over heads,
 * (N, heads, L, S) when averageAttnWeights is false, or null when needWeights is false].
 * `query === key === value` (the same tensor) takes one packed projection, as PyTorch does.
 */
export function multiHeadAttentionForward(
  query: Tensor, key: Tensor, value: Tensor, embedDimToCheck: number, numHeads: number,
  inProjWeight: Tensor | null, inProjBias: Tensor | null, biasK: Tensor | null, biasV: Tensor | null,
  addZeroAttn: boolean, dropoutP: number, outProjWeight: Tensor, outProjBias: Tensor | null,
  options: MultiHeadAttentionForwardOptions = {},
): [Tensor, Tensor | null] {
  const training = options.training ?? true;
  const needWeights = options.needWeights ?? true;
  const average = options.averageAttnWeights ?? true;
  const separate = options.useSeparateProjWeight ?? false;
  let kpm = options.keyPaddingMask ?? null;
  let mask = options.attnMask ?? null;
  const batched = mhaShapeCheck(query, key, value, kpm, mask, numHeads);
  let [q0, k0, v0] = [query, key, value];
  if (!batched) {
    // NOTE: keep identity (self-attention) through the unsqueeze, for the packed projection.
    q0 = query.unsqueeze(1);
    k0 = key === query ? q0 : key.unsqueeze(1);
    v0 = value === key ? k0 : value === query ? q0 : value.unsqueeze(1);
    if (kpm !== null) kpm = kpm.unsqueeze(0);
  }
  const [tgtLen, bsz, embedDim] = q0.shape;
  if (kpm !== null && kpm.dtype !== "bool" && !isFloat(kpm)) throw new Error("only bool and floating types of key_padding_mask are supported");
  assert(embedDim === embedDimToCheck, `was expecting embedding dimension of ${embedDimToCheck}, but got ${embedDim}`);
  const headDim = Math.floor(embedDim / numHeads);
  assert(headDim * numHeads === embedDim, `embed_dim ${embedDim} not divisible by num_heads ${numHeads}`);
  if (separate) {
    assert(sameShape(k0.shape.slice(0, 2), v0.shape.slice(0, 2)), `key's sequence and batch dims ${size(k0.shape.slice(0, 2))} do not match value's ${size(v0.shape.slice(0, 2))}`);
  } else {
    assert(sameShape(k0.shape, v0.shape), `key shape ${size(k0.shape)} does not match value shape ${size(v0.shape)}`);
  }

  // ---- input projections ----
  let q: Tensor, k: Tensor, v: Tensor;
  // Self-attention (one tensor, one packed projection, no bias_k/v): the projection goes straight to
  // head-major q, k, v [N·H, L, hd] in one node (attention_heads.ts), skipping the reshapes below.
  const packedHeads = !separate && q0 === k0 && k0 === v0 && biasK === null && biasV === null && inProjWeight !== null;
  if (packedHeads) {
    [q, k, v] = PackedHeads.apply(linear(q0, inProjWeight as Tensor, inProjBias), numHeads) as Tensor[];
  } else if (!separate) {
    assert(inProjWeight !== null, "use_separate_proj_weight is False but in_proj_weight is None");
    [q, k, v] = inProjectionPacked(q0, k0, v0, inProjWeight as Tensor, inProjBias);
  } else {
    const { qProjWeight: wq = null, kProjWeight: wk = null, vProjWeight: wv = null } = options;
    assert(wq !== null, "use_separate_proj_weight is True but q_proj_weight is None");
    assert(wk !== null, "use_separate_proj_weight is True but k_proj_weight is None");
    assert(wv !== null, "use_separate_proj_weight is True but v_proj_weight is None");
    const [bq, bk, bv] = inProjBias === null ? [null, null, null] : inProjBias.chunk(3);
    [q, k, v] = [linear(q0, wq as Tensor, bq), linear(k0, wk as Tensor, bk), linear(v0, wv as Tensor, bv)];
  }

  // ---- masks ----
  const srcLen0 = k0.shape[0];
  if (mask !== null) {
    if (mask.dtype !== "bool" && !isFloat(mask)) {
      throw new Error(`Only float, byte, and bool types are supported for attn_mask, not torch.${mask.dtype}`);
    }
    if (mask.ndim === 2) {
      if (!sameShape(mask.shape, [tgtLen, srcLen0])) throw new Error(`The shape of the 2D attn_mask is ${size(mask.shape)}, but should be ${pyTuple([tgtLen, srcLen0])}.`);
      mask = mask.unsqueeze(0);
    } else if (mask.ndim === 3) {
      const want = [bsz * numHeads, tgtLen, srcLen0];
      if (!sameShape(mask.shape, want)) throw new Error(`The shape of the 3D attn_mask is ${size(mask.shape)}, but should be ${pyTuple(want)}.`);
    } else {
      throw new Error(`attn_mask's dimension ${mask.ndim} is not supported`);
    }
  }
  if (biasK !== null && biasV !== null) {
    k = cat([k, biasK.repeat(1, bsz, 1)]);
    v = cat([v, biasV.repeat(1, bsz, 1)]);
    if (mask !== null) mask = padLast(mask);
    if (kpm !== null) kpm = padLast(kpm);
  } else {
    assert(biasK === null && biasV === null, "bias_k and bias_v must both be given or both be None");
  }

  // ---- heads: (len, N, E) -> (N * heads, len, headDim) ----
  if (!packedHeads) {
    q = q.contiguous().view(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
    k = k.contiguous().view(k.shape[0], bsz * numHeads, headDim).transpose(0, 1);
    v = v.contiguous().view(v.shape[0], bsz * numHeads, headDim).transpose(0, 1);
  }
  if (addZeroAttn) {
    k = cat([k, zeros([bsz * numHeads, 1, headDim])], 1);
    v = cat([v, zeros([bsz * numHeads, 1, headDim])], 1);
    if (mask !== null) mask = padLast(mask);
    if (kpm !== null) kpm = padLast(kpm);
  }
  const srcLen = k.shape[1];
  if (kpm !== null) {
    assert(sameShape(kpm.shape, [bsz, srcLen]), `expecting key_padding_mask shape of ${pyTuple([bsz, srcLen])}, but got ${size(kpm.shape)}`);
    kpm = kpm.view(bsz, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(bsz * numHeads, 1, srcLen);
    if (mask === null) mask = kpm;
    else if (mask.dtype === "bool") mask = mask.logicalOr(kpm);
    else mask = mask.maskedFill(kpm, -Infinity);
  }
  if (mask !== null) mask = additiveMask(mask, false);
  const p = training ? dropoutP : 0;

  // ---- attention (PyTorch 1.13's _scaled_dot_product_attention: scale q first, then baddbmm) ----
  const qScaled = q.div(Math.sqrt(headDim));
  const kT = k.transpose(-2, -1);
  let weights = (mask === null ? qScaled.bmm(kT) : mask.baddbmm(qScaled, kT)).softmax(-1);
  if (p > 0) weights = dropout(weights, p, true);
  let out = weights.bmm(v);
  out = out.transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
  out = linear(out, outProjWeight, outProjBias).view(tgtLen, bsz, outProjWeight.shape[0]);

  if (!needWeights) return [batched ? out : out.squeeze(1), null];
  let w = weights.view(bsz, numHeads, tgtLen, srcLen);
  if (average) w = w.sum(1).div(numHeads);
  return batched ? [out, w] : [out.squeeze(1), w.squeeze(0)];
}

/** PyTorch's _in_projection_packed: one matmul when q, k, v are the same tensor, two when k is v. */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): [Tensor, Tensor, Tensor] {
  const E = q.shape[q.ndim - 1];
  if (k === v) {
    if (q === k) {
      const [a, c, d] = linear(q, w, b).chunk(3, -1);
      return [a, c, d];
    }
    const [wq, wkv] = w.split([E, 2 * E]);
    const [bq, bkv] = b === null ? [null, null] : b.split([E, 2 * E]);
    const [kk, vv] = linear(k, wkv, bkv).chunk(2, -1);
    return [linear(q, wq, bq), kk, vv];
  }
  const [wq, wk, wv] = w.chunk(3);
  const [bq, bk, bv] = b === null ? [null, null, null] : b.chunk(3);
  return [linear(q, wq, bq), linear(k, wk, bk), linear(v, wv, bv)];
}
