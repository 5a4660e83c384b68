// nn.TransformerEncoderLayer's inference path (eval mode, nothing needing a gradient): the same
// kernels as the composed modules, called in the same order on the same operand layouts, so the
// result is bit for bit the composed path's (issue #15), minus what inference doesn't need: no
// autograd nodes, no argument parsing per op, intermediates taken from (and given back to) the
// scratch pool instead of fresh allocations, in-place residual add, relu and q scaling, and at
// batch 1 no q/k/v head copies: the bmms read them as strided views of the packed projection.
// Tried and left out: the attention output written straight into the merged-heads rows (the
// matmul primitive writes only a contiguous out), and contiguous Wᵀ copies kept across calls so
// the GEMM reads B in place instead of packing it (no faster on these shapes: 256x1024 slower).
// Anything the path doesn't cover (custom submodules or activation, masks of other dtypes or
// shapes, biases removed, ...) returns null and the layer runs its composed modules, which also
// raise PyTorch's errors for bad input.
// NOTE: why bit-identity holds: the GEMM picks its path (dot form, packing, K split) from shapes,
// the A/C orientation and unit strides, never from a non-unit stride's value or an offset, and
// the elementwise, softmax and LayerNorm kernels give each element one code path whatever its
// position; test/transformer_infer.test.ts checks it over the configurations.
import { Tensor } from "../tensor.js";
import { backend } from "../backend/index.js";
import type { View } from "../backend/types.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { emptyUninit, recycle } from "../ops/scratch.js";
import { scalarTensor } from "../ops/elementwise.js";
import { zeros } from "../ops/creation.js";
import { Module } from "./module.js";
import { MultiheadAttention } from "./attention.js";
import { Linear } from "./linear.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./normalization.js";
import { gelu } from "./functional.js";

/** The parts of a TransformerEncoderLayer this path reads (transformer.ts owns the class). */
export interface EncoderLayerParts {
  training: boolean;
  normFirst: boolean;
  self_attn: MultiheadAttention;
  linear1: Linear;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout: Dropout;
  dropout1: Dropout;
  dropout2: Dropout;
  activation: (x: Tensor) => Tensor;
}

/** A builtin activation by name with the function the layer was built with: the path runs only
 *  while layer.activation is still that function (a reassigned activation runs composed). */
export interface BuiltinActivation {
  name: "relu" | "gelu";
  fn: (x: Tensor) => Tensor;
}

/** Tests set this to force the composed path (the reference the inference path must equal). */
export const inferencePathSwitch = { enabled: true };

/** A backend view of a storage (the kernels' operands: any strides). */
const view = (data: Tensor["typedArray"], offset: number, shape: number[], strides: number[]): View => ({ typedArray: data, offset, shape, strides });
/** t (contiguous) as rows x cols, a 3-D [1, rows, cols] view for the matmul primitive. */
const rows3 = (t: Tensor, rows: number, cols: number): View => view(t.typedArray, t.offset, [1, rows, cols], [0, cols, 1]);

const isF32 = (t: Tensor | null): t is Tensor => t !== null && t.dtype === "float32";
const maskDtypeOk = (t: Tensor | null) => t === null || t.dtype === "bool" || t.dtype === "float32";
const isExactly = (m: unknown, cls: { prototype: { forward: unknown } }) =>
  m instanceof Module && (m as { forward: unknown }).forward === cls.prototype.forward;

/** Whether the layer's modules are the stock ones with everything the path needs (else: composed). */
function stockLayer(l: EncoderLayerParts, act: BuiltinActivation | null): boolean {
  if (act === null || l.activation !== act.fn) return false;
  if (!isExactly(l.self_attn, MultiheadAttention) || !isExactly(l.linear1, Linear) || !isExactly(l.linear2, Linear)) return false;
  if (!isExactly(l.norm1, LayerNorm) || !isExactly(l.norm2, LayerNorm)) return false;
  if (![l.dropout, l.dropout1, l.dropout2].every((d) => isExactly(d, Dropout) && !d.training)) return false;
  const a = l.self_attn;
  if (a.training || l.linear1.training || l.linear2.training || l.norm1.training || l.norm2.training) return false;
  const E = a.embedDim;
  if (!a.qkvSameEmbedDim || a.bias_k !== null || a.bias_v !== null || a.addZeroAttn) return false;
  const w = [a.in_proj_weight, a.in_proj_bias, a.out_proj.weight, a.out_proj.bias, l.linear1.weight, l.linear1.bias, l.linear2.weight, l.linear2.bias];
  if (!w.every(isF32) || a.out_proj.forward !== Linear.prototype.forward) return false;
  const [, , wo, bo, w1, b1, w2, b2] = w as Tensor[];
  const ff = w1.shape[0];
  const shapesOk = wo.shape[0] === E && wo.shape[1] === E && bo.shape[0] === E && w1.shape[1] === E && b1.shape[0] === ff &&
    w2.shape[0] === E && w2.shape[1] === ff && b2.shape[0] === E && b1.ndim === 1 && b2.ndim === 1 && bo.ndim === 1;
  if (!shapesOk) return false;
  for (const n of [l.norm1, l.norm2]) {
    if (n.normalizedShape.length !== 1 || n.normalizedShape[0] !== E) return false;
    if (!(n.weight === null || isF32(n.weight)) || !(n.bias === null || isF32(n.bias))) return false;
  }
  return true;
}

/** True when any tensor the layer would compute from requires grad while grad mode is on. */
function needsGraph(l: EncoderLayerParts, tensors: (Tensor | null)[]): boolean {
  if (!isGradEnabled()) return false;
  if (tensors.some((t) => t !== null && t.requiresGrad)) return true;
  for (const m of [l.self_attn, l.linear1, l.linear2, l.norm1, l.norm2]) {
    for (const p of m.parameters()) if (p.requiresGrad) return true;
  }
  return false;
}

/** The scratch tensors of one forward: taken from the pool, all given back at the end. A tensor
 *  the forward is done with serves its later gets of the same size (the pool keeps only a few
 *  storages per size, so a forward's dozen intermediates would otherwise miss it). */
class Scratch {
  private taken: Tensor[] = [];
  private spare = new Map<number, Tensor["typedArray"][]>();
  get(shape: number[]): Tensor {
    let n = 1;
    for (const d of shape) n *= d;
    const reuse = this.spare.get(n)?.pop();
    return reuse === undefined ? this.own(emptyUninit(shape, "float32")) : new Tensor(reuse, [...shape]);
  }
  /** ts (from get or own) are dead: nothing reads them any more in this forward. */
  done(...ts: Tensor[]): void {
    for (const t of ts) {
      const list = this.spare.get(t.typedArray.length);
      if (list === undefined) this.spare.set(t.typedArray.length, [t.typedArray]);
      else list.push(t.typedArray);
    }
  }
  /** Takes t (a fresh tensor only this forward holds) to be given back with the rest. */
  own(t: Tensor): Tensor {
    this.taken.push(t);
    return t;
  }
  /** Gives every storage back. NOTE: nothing outside this forward ever sees them. */
  release(): void {
    for (const t of this.taken) recycle(t.typedArray);
    this.taken = [];
  }
}

/**
 * y [rows, out] = x [rows, in] Wᵀ + b as nn.Linear's 2-D primitive computes it (lib/ops/linear.ts):
 * the bias rows first, the product accumulated onto them. x: any rows x in view.
 */
function linearInto(x: View, w: Tensor, b: Tensor, y: Tensor, rows: number): void {
  const o = w.shape[0];
  backend().copy(view(b.typedArray, b.offset, [rows, o], [0, b.strides[0]]), view(y.typedArray, y.offset, [rows, o], [o, 1]));
  backend().matmul(x, view(w.typedArray, w.offset, [1, w.shape[1], o], [0, w.strides[1], w.strides[0]]), rows3(y, rows, o), true);
}

/** LayerNorm of x's rows (contiguous [rows, D]) into y, as LayerNormNode's forward calls the kernel. */
function layerNormInto(norm: LayerNorm, x: Tensor, y: Tensor, rows: number, s: Scratch): void {
  const D = norm.normalizedShape[0];
  const mean = s.get([rows]), rstd = s.get([rows]);
  const vec = (t: Tensor | null) => {
    if (t === null) return null;
    const c = t.contiguous();
    return view(c.typedArray, c.offset, [D], [1]);
  };
  backend().layerNormForward(
    view(x.typedArray, x.offset, [rows, D], [D, 1]), vec(norm.weight), vec(norm.bias), norm.eps,
    view(y.typedArray, y.offset, [rows, D], [D, 1]), view(mean.typedArray, 0, [rows], [1]), view(rstd.typedArray, 0, [rows], [1]),
  );
  s.done(mean, rstd);
}

/** The additive attention mask the composed path builds (functional_attention.ts), or null. */
function combinedMask(mask: Tensor | null, kpm: Tensor | null, N: number, H: number, S: number): Tensor | null {
  let m = mask === null ? null : mask.ndim === 2 ? mask.unsqueeze(0) : mask;
  if (kpm !== null) {
    const k = kpm.view(N, 1, 1, S).expand(-1, H, -1, -1).reshape(N * H, 1, S);
    m = m === null ? k : m.dtype === "bool" ? m.logicalOr(k) : m.maskedFill(k, -Infinity);
  }
  if (m === null || m.dtype !== "bool") return m;
  return zeros(m.shape).maskedFill(m, -Infinity);
}

/** Whether the masks have shapes and dtypes the path handles (else the composed path checks them). */
function masksOk(mask: Tensor | null, kpm: Tensor | null, batched: boolean, N: number, H: number, L: number): boolean {
  if (!maskDtypeOk(mask) || !maskDtypeOk(kpm)) return false;
  if (mask !== null) {
    const ok2 = mask.ndim === 2 && mask.shape[0] === L && mask.shape[1] === L;
    const ok3 = mask.ndim === 3 && mask.shape[0] === N * H && mask.shape[1] === L && mask.shape[2] === L;
    if (!ok2 && !ok3) return false;
  }
  if (kpm !== null) {
    const want = batched ? [N, L] : [L];
    if (kpm.ndim !== want.length || kpm.shape.some((d, i) => d !== want[i])) return false;
  }
  return true;
}

/**
 * The layer's forward on the inference path, or null when the path doesn't apply (the caller then
 * runs the composed modules). src (S, N, E), (N, S, E) with batchFirst, or unbatched (S, E).
 */
export function encoderLayerInference(
  l: EncoderLayerParts, act: BuiltinActivation | null, src: Tensor, mask: Tensor | null, kpm: Tensor | null,
): Tensor | null {
  if (!inferencePathSwitch.enabled || l.training || src.dtype !== "float32" || !stockLayer(l, act)) return null;
  const a = l.self_attn;
  const [E, H] = [a.embedDim, a.numHeads];
  const batched = src.ndim === 3;
  if (!(batched || src.ndim === 2) || src.shape[src.ndim - 1] !== E || src.numel() === 0) return null;
  const bf = batched && a.batchFirst;
  const [L, N] = !batched ? [src.shape[0], 1] : bf ? [src.shape[1], src.shape[0]] : [src.shape[0], src.shape[1]];
  if (!masksOk(mask, kpm, batched, N, H, L) || needsGraph(l, [src, mask, kpm])) return null;
  const s = new Scratch();
  try {
    return forward(l, act as BuiltinActivation, src, combinedMask(mask, batched || kpm === null ? kpm : kpm.unsqueeze(0), N, H, L), bf, L, N, s);
  } finally {
    s.release();
  }
}

/** The layer on x (its stream: src's shape and layout), post-norm or pre-norm, as forward composes it. */
function forward(l: EncoderLayerParts, act: BuiltinActivation, x: Tensor, mask: Tensor | null, bf: boolean, L: number, N: number, s: Scratch): Tensor {
  const T = L * N;
  const shape = [...x.shape];
  const add = (p: Tensor, q: Tensor, out: Tensor) => backend().binary("add", p, q, out);
  /** x + self-attention(y) into a new scratch tensor of x's shape. */
  const attnResidual = (y: Tensor) => {
    const sa = selfAttention(l, y, mask, bf, L, N, s);
    const h = s.get(shape);
    add(x, x.ndim === 2 ? sa.squeeze(1) : bf ? sa.transpose(1, 0) : sa, h);
    s.done(sa);
    return h;
  };
  if (l.normFirst) {
    const n1 = s.get(shape);
    layerNormInto(l.norm1, x.contiguous(), n1, T, s);
    const h = attnResidual(n1);
    layerNormInto(l.norm2, h, n1, T, s); // n1 is dead: it takes norm2's output
    const ff = feedForward(l, act, n1, shape, T, s);
    const out = emptyUninit(shape, "float32");
    add(h, ff, out);
    return out;
  }
  const h = attnResidual(x);
  const x1 = s.get(shape);
  layerNormInto(l.norm1, h, x1, T, s);
  s.done(h);
  const ff = feedForward(l, act, x1, shape, T, s);
  add(x1, ff, ff); // in place: ff is scratch in x1's layout
  const out = emptyUninit(shape, "float32");
  layerNormInto(l.norm2, ff, out, T, s);
  return out;
}

/** linear2(act(linear1(x))) for contiguous x of `shape` (T rows), as a tensor of that shape. */
function feedForward(l: EncoderLayerParts, act: BuiltinActivation, x: Tensor, shape: number[], T: number, s: Scratch): Tensor {
  const [w1, b1, w2, b2] = [l.linear1.weight, l.linear1.bias as Tensor, l.linear2.weight, l.linear2.bias as Tensor];
  const ffDim = w1.shape[0];
  let f1 = s.get([...shape.slice(0, -1), ffDim]);
  linearInto(rows3(x, T, x.shape[x.ndim - 1]), w1, b1, f1, T);
  if (act.name === "relu") backend().unary("relu", f1, f1);
  // NOTE: gelu composes several ops (functional.ts), so it runs as they do, out of place.
  else f1 = s.own(gelu(f1));
  const f2 = s.get(shape);
  linearInto(rows3(f1, T, ffDim), w2, b2, f2, T);
  s.done(f1);
  return f2;
}

/**
 * MultiheadAttention(x, x, x) as multiHeadAttentionForward computes it in eval mode, as a scratch
 * tensor [L, N, E]. x: the layer's stream, (L, N, E), (N, L, E) with bf, or (L, E).
 */
function selfAttention(l: EncoderLayerParts, x: Tensor, mask: Tensor | null, bf: boolean, L: number, N: number, s: Scratch): Tensor {
  const a = l.self_attn;
  const [E, H] = [a.embedDim, a.numHeads];
  const hd = E / H;
  const T = L * N;
  const b = backend();
  // ---- packed in-projection P [L, N, 3E] (rows in (l, n) order, as the composed q0 [L, N, E]) ----
  const q0 = x.ndim === 2 ? x.unsqueeze(1) : bf ? x.transpose(1, 0) : x;
  const P = s.get([L, N, 3 * E]);
  const win = a.in_proj_weight as Tensor, bin = a.in_proj_bias as Tensor;
  if (q0.isContiguous()) {
    linearInto(rows3(q0, T, E), win, bin, P, T);
  } else {
    // NOTE: F.linear on a non-contiguous 3-D input: matmul on a contiguous copy, then + bias.
    const rows = s.get([L, N, E]);
    b.copy(q0, rows);
    b.matmul(rows3(rows, T, E), view(win.typedArray, win.offset, [1, E, 3 * E], [0, win.strides[1], win.strides[0]]), rows3(P, T, 3 * E));
    b.binary("add", P, view(bin.typedArray, bin.offset, [L, N, 3 * E], [0, 0, bin.strides[0]]), P);
    s.done(rows);
  }
  // ---- heads: q, k, v as [N·H, L, hd] ----
  let q: View, k: View, v: View;
  let qkv = P; // the tensor q, k and v are views of
  if (N === 1) {
    // Batch 1: head h of part i is P[:, 0, i·E + h·hd : +hd], one strided view per part.
    const part = (i: number) => view(P.typedArray, P.offset + i * E, [H, L, hd], [hd, 3 * E, 1]);
    [q, k, v] = [part(0), part(1), part(2)];
  } else {
    // PackedHeads' copies: [L, N, 3, H, hd] -> [3, N, H, L, hd].
    const heads = s.get([3, N * H, L, hd]);
    b.copy(view(P.typedArray, P.offset, [3, N, H, L, hd], [E, 3 * E, hd, N * 3 * E, 1]), view(heads.typedArray, heads.offset, [3, N, H, L, hd], [N * H * L * hd, H * L * hd, L * hd, hd, 1]));
    const part = (i: number) => view(heads.typedArray, heads.offset + i * N * H * L * hd, [N * H, L, hd], [L * hd, hd, 1]);
    [q, k, v] = [part(0), part(1), part(2)];
    s.done(P);
    qkv = heads;
  }
  const NH = N * H;
  // ---- scores = mask + (q / √hd) kᵀ, softmax ----
  const scale = scalarTensor(Math.sqrt(hd), "float32");
  b.binary("div", q, view(scale.typedArray, 0, q.shape as number[], [0, 0, 0]), q); // in place: q is scratch
  const scores = s.get([NH, L, L]);
  b.matmul(q, view(k.typedArray, k.offset, [NH, hd, L], [k.strides[0], k.strides[2], k.strides[1]]), scores);
  if (mask !== null) {
    const m = mask.expand(NH, L, L);
    b.binary("add", m, scores, scores);
  }
  const weights = s.get([NH, L, L]);
  b.softmax(scores, weights, false);
  s.done(scores);
  // ---- out = weights v [N·H, L, hd], then the heads merged into rows [L, N, E] ----
  // NOTE: the matmul primitive writes only a contiguous out, so the merge stays a copy.
  const attn = s.get([NH, L, hd]);
  b.matmul(weights, v, attn);
  s.done(weights, qkv);
  const merged = s.get([L, N, E]);
  b.copy(attn, view(merged.typedArray, merged.offset, [NH, L, hd], [hd, N * E, 1]));
  s.done(attn);
  const out = s.get([L, N, E]);
  linearInto(rows3(merged, T, E), a.out_proj.weight, a.out_proj.bias as Tensor, out, T);
  s.done(merged);
  return out;
}
