// conv2d as ONE autograd node (PyTorch's ConvolutionBackward0) on the backend's im2col/col2im and
// matmul: the columns are laid out channel-major, [C*kh*kw, N*OH*OW], so each group's forward, weight
// gradient and column gradient is a single GEMM over the whole batch. Every scratch buffer (columns,
// GEMM output, transposed gradient) goes back to the scratch pool as soon as the node is done with it.
// A 1x1 window with stride 1 and no padding skips im2col in the forward (a GEMM on the input view).
// With createGraph, the backward is written with differentiable ops (matmul, Im2col/Col2im nodes),
// so second derivatives follow. Float32 and float64; the caller checks shapes and dtypes.
// ref: aten/src/ATen/native/ConvolutionMM2d.cpp (slow_conv2d: im2col + GEMM), PyTorch 1.13.
import { backend } from "../backend/index.js";
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import type { View } from "../backend/types.js";
import { Tensor } from "../tensor.js";
import { Col2im, Im2col, channelMajorView, im2colChannelMajor, viewOf, type Window } from "./columns.js";
import { emptyUninit, recycle } from "./scratch.js";

export interface ConvSpec {
  /** The window, its top/left padding and the output size (the bottom/right padding follows). */
  w: Window;
  groups: number;
}

/** A 1x1 window at stride 1 without padding: the input itself is the column matrix of each image. */
function isPointwise(w: Window): boolean {
  return w.kh === 1 && w.kw === 1 && w.strideH === 1 && w.strideW === 1 && w.padTop === 0 && w.padLeft === 0;
}

/** Sizes every step uses: groups G, Og outputs and CgK column rows per group, L outputs per image. */
function sizes(x: Tensor, weight: Tensor, spec: ConvSpec) {
  const [N, C, H, W] = x.shape;
  const [O, Cg, kh, kw] = weight.shape;
  const G = spec.groups;
  return { N, C, H, W, O, G, Og: O / G, CgK: Cg * kh * kw, L: spec.w.outH * spec.w.outW };
}

/** [N, C, H, W] as [N, C, H*W] (a copy only when H and W can't merge). */
function flatImage(x: Tensor): View {
  const [N, C, H, W] = x.shape;
  const xm = H === 1 || x.strides[2] === W * x.strides[3] ? x : x.contiguous();
  return viewOf(xm, [N, C, H * W], [xm.strides[0], xm.strides[1], xm.strides[3]]);
}

function forward(x: Tensor, weight: Tensor, bias: Tensor | null, spec: ConvSpec): Tensor {
  const { N, O, G, Og, CgK, L } = sizes(x, weight, spec);
  const { w } = spec;
  const dt = x.dtype;
  const wc = weight.contiguous();
  const out = emptyUninit([N, O, w.outH, w.outW], dt);
  const out3 = viewOf(out, [N, O, L], [O * L, L, 1]);
  const biasAll = bias === null ? null : viewOf(bias, [N, O, L], [0, bias.strides[0], 0]);
  if (G === 1 && isPointwise(w)) {
    // out[n] = W [O, C] x[n] [C, L], the bias copied in first and the product accumulated onto it.
    if (biasAll !== null) backend().copy(biasAll, out3);
    backend().matmul(viewOf(wc, [N, O, CgK], [0, CgK, 1]), flatImage(x), out3, biasAll !== null);
    return out;
  }
  const cols = im2colChannelMajor(x, dt, w); // [C*K, N*L]
  const prod = emptyUninit([O, N * L], dt); // [G, Og, CgK] x [G, CgK, N*L]
  backend().matmul(viewOf(wc, [G, Og, CgK], [Og * CgK, CgK, 1]), viewOf(cols, [G, CgK, N * L], [CgK * N * L, N * L, 1]), viewOf(prod, [G, Og, N * L], [Og * N * L, N * L, 1]));
  recycle(cols.data);
  // [O, N, L] -> [N, O, L], the bias added on the way.
  const prodNOL = viewOf(prod, [N, O, L], [L, N * L, 1]);
  if (biasAll !== null) backend().binary("add", prodNOL, biasAll, out3);
  else backend().copy(prodNOL, out3);
  recycle(prod.data);
  return out;
}

/** dX, dW, db of forward() without recording (the usual backward). */
function backwardDirect(x: Tensor, weight: Tensor, gy: Tensor, spec: ConvSpec, need: readonly boolean[]): (Tensor | null)[] {
  const { N, C, H, W, O, G, Og, CgK, L } = sizes(x, weight, spec);
  const { w } = spec;
  const dt = x.dtype;
  const NL = N * L;
  // gy [N, O, OH, OW] -> [O, N*L], the layout of the columns' second axis.
  const gyT = emptyUninit([O, NL], dt);
  const [g0, g1, g2, g3] = gy.strides;
  backend().copy(viewOf(gy, [O, N, w.outH, w.outW], [g1, g0, g2, g3]), viewOf(gyT, [O, N, w.outH, w.outW], [NL, L, w.outW, 1]));
  const gyGroups = viewOf(gyT, [G, Og, NL], [Og * NL, NL, 1]);
  let dx: Tensor | null = null;
  let dw: Tensor | null = null;
  let db: Tensor | null = null;
  if (need[2]) {
    db = emptyUninit([O], dt);
    backend().reduce("sum", viewOf(gyT, [O, NL], [NL, 1]), viewOf(db, [O, 1], [1, 1]));
  }
  const wc = need[0] ? weight.contiguous() : weight;
  if (need[1]) {
    // dW [G, Og, CgK] = gy [G, Og, N*L] x colsᵀ [G, N*L, CgK]
    const cols = im2colChannelMajor(x, dt, w);
    dw = emptyUninit(weight.shape, dt);
    backend().matmul(gyGroups, viewOf(cols, [G, NL, CgK], [CgK * NL, 1, NL]), viewOf(dw, [G, Og, CgK], [Og * CgK, CgK, 1]));
    recycle(cols.data);
  }
  if (need[0]) {
    dx = emptyUninit([N, C, H, W], dt);
    if (G === 1 && isPointwise(w)) {
      // dx[n] = Wᵀ [C, O] gy[n] [O, L]
      backend().matmul(viewOf(wc, [N, C, O], [0, 1, C]), viewOf(gyT, [N, O, L], [L, NL, 1]), viewOf(dx, [N, C, L], [C * L, L, 1]));
    } else {
      // dcols [G, CgK, N*L] = Wᵀ [G, CgK, Og] x gy [G, Og, N*L], then summed back into the image.
      const dcols = emptyUninit([G * CgK, NL], dt);
      backend().matmul(viewOf(wc, [G, CgK, Og], [Og * CgK, 1, CgK]), gyGroups, viewOf(dcols, [G, CgK, NL], [CgK * NL, NL, 1]));
      backend().col2im(channelMajorView(dcols, N, G * CgK, w), dx, w);
      recycle(dcols.data);
    }
  }
  recycle(gyT.data);
  return [dx, dw, db];
}

/** The same gradients as differentiable ops, for createGraph (double backward). */
function backwardRecorded(x: Tensor, weight: Tensor, gy: Tensor, spec: ConvSpec, need: readonly boolean[]): (Tensor | null)[] {
  const { N, C, H, W, G, Og, CgK, L } = sizes(x, weight, spec);
  const image = { w: spec.w, C, H, W };
  const gyr = gy.reshape(N, G, Og, L);
  const w3 = weight.reshape(G, Og, CgK);
  const dx = need[0] ? (Col2im.apply(w3.transpose(1, 2).matmul(gyr).reshape(N, G * CgK, L), image) as Tensor) : null;
  const cols = need[1] ? (Im2col.apply(x, image) as Tensor).reshape(N, G, CgK, L) : null;
  const dw = cols !== null ? gyr.matmul(cols.transpose(-1, -2)).sum(0).reshape(...weight.shape) : null;
  const db = need[2] ? gy.sum([0, 2, 3]) : null;
  return [dx, dw, db];
}

/** apply(x [N, C, H, W], weight [O, C/groups, kh, kw], bias [O] | null, spec) -> [N, O, OH, OW]. */
export class Conv2dNode extends Function {
  static override gradFnName = "ConvolutionBackward0";

  static override forward(ctx: FunctionCtx, x: Tensor, weight: Tensor, bias: Tensor | null, spec: ConvSpec): Tensor {
    ctx.saveForBackward(x, weight);
    ctx.spec = spec;
    return forward(x, weight, bias, spec);
  }

  static override backward(ctx: FunctionCtx, gy: Tensor): (Tensor | null)[] {
    const [x, weight] = ctx.savedTensors as [Tensor, Tensor];
    const need = [ctx.needsInputGrad[0], ctx.needsInputGrad[1], ctx.needsInputGrad[2]];
    const grads = isGradEnabled() ? backwardRecorded(x, weight, gy, ctx.spec, need) : backwardDirect(x, weight, gy, ctx.spec, need);
    return [...grads, null];
  }
}
