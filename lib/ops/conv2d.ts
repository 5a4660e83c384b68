// conv2d as ONE autograd node (PyTorch's ConvolutionBackward0) on the backend's im2col/col2im and
// matmul: the columns are laid out channel-major, [C*kh*kw, N*OH*OW], so each group's forward, weight
// gradient and column gradient is a single GEMM over the whole batch. Every scratch buffer (columns,
// GEMM output, transposed gradient) goes back to the scratch pool as soon as the node is done with it.
// A 1x1 window with stride 1 and no padding skips im2col in the forward (a GEMM on the input view).
// With createGraph, the backward is written with differentiable ops (matmul, Im2col/Col2im nodes),
// so second derivatives follow. conv_transpose2d is the same node run backwards (its forward is
// conv2d's input gradient). Float32 and float64; the caller checks shapes and dtypes.
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
function sizes(image: readonly number[], weight: readonly number[], spec: ConvSpec) {
  const [N, C, H, W] = image;
  const [O, Cg, kh, kw] = weight;
  const G = spec.groups;
  return { N, C, H, W, O, G, Og: O / G, CgK: Cg * kh * kw, L: spec.w.outH * spec.w.outW };
}

/** [N, C, H, W] as [N, C, H*W] (a copy only when H and W can't merge). */
function flatImage(x: Tensor): View {
  const [N, C, H, W] = x.shape;
  const xm = H === 1 || x.strides[2] === W * x.strides[3] ? x : x.contiguous();
  return viewOf(xm, [N, C, H * W], [xm.strides[0], xm.strides[1], xm.strides[3]]);
}

/** conv2d: x [N, C, H, W], weight [O, C/G, kh, kw], bias [O] | null -> [N, O, OH, OW]. */
export function convForward(x: Tensor, weight: Tensor, bias: Tensor | null, spec: ConvSpec): Tensor {
  const { N, O, G, Og, CgK, L } = sizes(x.shape, weight.shape, spec);
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

/** gy [N, O, OH, OW] (any strides) as a new [O, N*OH*OW]: the columns' second axis (recycle it after). */
function gradRows(gy: Tensor): Tensor {
  const [N, O, OH, OW] = gy.shape;
  const L = OH * OW;
  const gyT = emptyUninit([O, N * L], gy.dtype);
  const [g0, g1, g2, g3] = gy.strides;
  backend().copy(viewOf(gy, [O, N, OH, OW], [g1, g0, g2, g3]), viewOf(gyT, [O, N, OH, OW], [N * L, L, OW, 1]));
  return gyT;
}

/** conv2d's weight gradient: x [N, C, H, W] and gyT [O, N*L] (gradRows) -> [O, C/G, kh, kw]. */
function weightGrad(x: Tensor, gyT: Tensor, weightShape: readonly number[], spec: ConvSpec): Tensor {
  const { G, Og, CgK, N, L } = sizes(x.shape, weightShape, spec);
  const NL = N * L;
  // dW [G, Og, CgK] = gy [G, Og, N*L] x colsᵀ [G, N*L, CgK]
  const cols = im2colChannelMajor(x, x.dtype, spec.w);
  const dw = emptyUninit(weightShape, x.dtype);
  backend().matmul(viewOf(gyT, [G, Og, NL], [Og * NL, NL, 1]), viewOf(cols, [G, NL, CgK], [CgK * NL, 1, NL]), viewOf(dw, [G, Og, CgK], [Og * CgK, CgK, 1]));
  recycle(cols.data);
  return dw;
}

/** conv2d's input gradient: gyT [O, N*L] (gradRows) and weight -> a new image of `image` shape. */
function inputGrad(gyT: Tensor, weight: Tensor, spec: ConvSpec, image: readonly number[]): Tensor {
  const { N, C, G, Og, CgK, L, O } = sizes(image, weight.shape, spec);
  const { w } = spec;
  const NL = N * L;
  const wc = weight.contiguous();
  const dx = emptyUninit(image, gyT.dtype);
  if (G === 1 && isPointwise(w)) {
    // dx[n] = Wᵀ [C, O] gy[n] [O, L]
    backend().matmul(viewOf(wc, [N, C, O], [0, 1, C]), viewOf(gyT, [N, O, L], [L, NL, 1]), viewOf(dx, [N, C, L], [C * L, L, 1]));
    return dx;
  }
  // dcols [G, CgK, N*L] = Wᵀ [G, CgK, Og] x gy [G, Og, N*L], then summed back into the image.
  const dcols = emptyUninit([G * CgK, NL], gyT.dtype);
  backend().matmul(viewOf(wc, [G, CgK, Og], [Og * CgK, 1, CgK]), viewOf(gyT, [G, Og, NL], [Og * NL, NL, 1]), viewOf(dcols, [G, CgK, NL], [CgK * NL, NL, 1]));
  backend().col2im(channelMajorView(dcols, N, G * CgK, w), dx, w);
  recycle(dcols.data);
  return dx;
}

/** Sums of gyT's rows: the bias gradient [O]. */
function biasGrad(gyT: Tensor): Tensor {
  const [O, NL] = gyT.shape;
  const db = emptyUninit([O], gyT.dtype);
  backend().reduce("sum", viewOf(gyT, [O, NL], [NL, 1]), viewOf(db, [O, 1], [1, 1]));
  return db;
}

/** conv2d's weight gradient as differentiable ops (createGraph): image x, upstream gy. */
function weightGradRecorded(x: Tensor, gy: Tensor, weight: Tensor, spec: ConvSpec): Tensor {
  const { N, C, H, W, G, Og, CgK, L } = sizes(x.shape, weight.shape, spec);
  const cols = (Im2col.apply(x, { w: spec.w, C, H, W }) as Tensor).reshape(N, G, CgK, L);
  return gy.reshape(N, G, Og, L).matmul(cols.transpose(-1, -2)).sum(0).reshape(...weight.shape);
}

/** conv2d's input gradient as differentiable ops (createGraph). */
function inputGradRecorded(gy: Tensor, weight: Tensor, spec: ConvSpec, image: readonly number[]): Tensor {
  const { N, C, H, W, G, Og, CgK, L } = sizes(image, weight.shape, spec);
  const dcols = weight.reshape(G, Og, CgK).transpose(1, 2).matmul(gy.reshape(N, G, Og, L)); // [N, G, CgK, L]
  return Col2im.apply(dcols.reshape(N, G * CgK, L), { w: spec.w, C, H, W }) as Tensor;
}

/** apply(x [N, C, H, W], weight [O, C/groups, kh, kw], bias [O] | null, spec) -> [N, O, OH, OW]. */
export class Conv2dNode extends Function {
  static override gradFnName = "ConvolutionBackward0";

  static override forward(ctx: FunctionCtx, x: Tensor, weight: Tensor, bias: Tensor | null, spec: ConvSpec): Tensor {
    ctx.saveForBackward(x, weight);
    ctx.spec = spec;
    return convForward(x, weight, bias, spec);
  }

  static override backward(ctx: FunctionCtx, gy: Tensor): (Tensor | null)[] {
    const [x, weight] = ctx.savedTensors as [Tensor, Tensor];
    const spec = ctx.spec as ConvSpec;
    const [nx, nw, nb] = ctx.needsInputGrad;
    if (isGradEnabled()) {
      return [
        nx ? inputGradRecorded(gy, weight, spec, x.shape) : null,
        nw ? weightGradRecorded(x, gy, weight, spec) : null,
        nb ? gy.sum([0, 2, 3]) : null,
        null,
      ];
    }
    const gyT = gradRows(gy);
    const grads = [nx ? inputGrad(gyT, weight, spec, x.shape) : null, nw ? weightGrad(x, gyT, weight.shape, spec) : null, nb ? biasGrad(gyT) : null, null];
    recycle(gyT.data);
    return grads;
  }
}

/**
 * conv_transpose2d, conv2d's adjoint, as one node: its forward is conv2d's input gradient and its
 * input gradient is conv2d. apply(x [N, Cin, H, W], weight [Cin, O/groups, kh, kw], bias [O] | null,
 * spec, image [N, O, outH, outW]); spec.w is the conv2d window that maps the image back to [H, W].
 */
export class ConvTranspose2dNode extends Function {
  static override gradFnName = "ConvolutionBackward0";

  static override forward(ctx: FunctionCtx, x: Tensor, weight: Tensor, bias: Tensor | null, spec: ConvSpec, image: readonly number[]): Tensor {
    ctx.saveForBackward(x, weight);
    ctx.spec = spec;
    const xT = gradRows(x);
    const out = inputGrad(xT, weight, spec, image);
    recycle(xT.data);
    if (bias !== null) {
      const [N, O, H, W] = image;
      backend().binary("add", out, viewOf(bias, [N, O, H, W], [0, bias.strides[0], 0, 0]), out);
    }
    return out;
  }

  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [x, weight] = ctx.savedTensors as [Tensor, Tensor];
    const spec = ctx.spec as ConvSpec;
    const [nx, nw, nb] = ctx.needsInputGrad;
    if (isGradEnabled()) {
      return [
        nx ? (Conv2dNode.apply(g, weight, null, spec) as Tensor) : null,
        nw ? weightGradRecorded(g, x, weight, spec) : null,
        nb ? g.sum([0, 2, 3]) : null,
        null,
        null,
      ];
    }
    let dw: Tensor | null = null;
    if (nw) {
      const xT = gradRows(x);
      dw = weightGrad(g, xT, weight.shape, spec);
      recycle(xT.data);
    }
    return [nx ? convForward(g, weight, null, spec) : null, dw, nb ? g.sum([0, 2, 3]) : null, null, null];
  }
}
