// conv2d as ONE autograd node (PyTorch's ConvolutionBackward0) on the backend's im2col/col2im and
// matmul; the GEMMs whose A is the weight (forward, input gradient) go through convMatmul, which the
// native backend splits over output-channel and column blocks (native/conv_gemm.h). The columns
// are laid out channel-major, [C*kh*kw, n*OH*OW], so each group's forward, weight gradient and
// column gradient is a single GEMM over a chunk of n images; the batch runs in chunks
// of about 1 MB of columns (more when images have few outputs, for a wide GEMM: conv_chunks.ts), so
// the columns stay in cache between the kernel that writes them and the GEMM that reads them, and
// their buffers (taken from the scratch pool once per call, reused by every chunk, given back at the
// end) stay small. A 1x1 window with stride 1 and no padding skips im2col in the forward (a GEMM on
// the input view); other stride-1 windows build the forward's columns in the padded-row layout
// (conv_padded_rows.ts). The no-graph backward's dx at stride 1 is, where it pays, that same forward
// run on gy with the weight flipped (conv_flipped.ts): no column gradient, no col2im.
// With createGraph, the backward is written with differentiable ops (matmul, Im2col/Col2im nodes),
// so second derivatives follow. conv_transpose2d is the same node run backwards (its forward is
// conv2d's input gradient). Float32 and float64; the caller checks shapes and dtypes.
// ref: aten/src/ATen/native/ConvolutionMM2d.cpp (slow_conv2d: im2col + GEMM), PyTorch 1.13.
import { backend } from "../backend/index.js";
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { freshGradient } from "../autograd/grads.js";
import type { View } from "../backend/types.js";
import type { DType } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { Col2im, Im2col, channelMajorView, viewOf, type Window } from "./columns.js";
import { emptyUninit, recycle } from "./scratch.js";
import { Buffers, batchSlice, fillRows, groupsOf, imagesPerChunk, sizes } from "./conv_chunks.js";
import { convForwardPaddedRows, usesPaddedForward } from "./conv_padded_rows.js";
import { flippedWeight, flippedWindow, usesFlippedInputGrad } from "./conv_flipped.js";

export interface ConvSpec {
  /** The window, its top/left padding and the output size (the bottom/right padding follows). */
  w: Window;
  groups: number;
}

/** A 1x1 window at stride 1 without padding: the input itself is the column matrix of each image. */
function isPointwise(w: Window): boolean {
  return w.kh === 1 && w.kw === 1 && w.strideH === 1 && w.strideW === 1 && w.padTop === 0 && w.padLeft === 0;
}

/** [N, C, H, W] as [N, C, H*W] (a copy only when H and W can't merge). */
function flatImage(x: Tensor): View {
  const [N, C, H, W] = x.shape;
  const xm = H === 1 || x.strides[2] === W * x.strides[3] ? x : x.contiguous();
  return viewOf(xm, [N, C, H * W], [xm.strides[0], xm.strides[1], xm.strides[3]]);
}

/** gy [m, O, OH, OW] (any strides) copied into dst as [O, m*OH*OW]: the columns' second axis. */
function gradRowsInto(gy: View, dst: View): void {
  const [m, O, OH, OW] = gy.shape;
  const L = OH * OW;
  const [g0, g1, g2, g3] = gy.strides;
  backend().copy(viewOf(gy, [O, m, OH, OW], [g1, g0, g2, g3]), viewOf(dst, [O, m, OH, OW], [m * L, L, OW, 1]));
}

/** conv2d: x [N, C, H, W], weight [O, C/G, kh, kw], bias [O] | null -> [N, O, OH, OW]. */
export function convForward(x: Tensor, weight: Tensor, bias: Tensor | null, spec: ConvSpec): Tensor {
  const { N, C, O, G, Og, CgK, L } = sizes(x.shape, weight.shape, spec);
  const { w } = spec;
  const dt = x.dtype;
  const wc = weight.contiguous();
  const out = emptyUninit([N, O, w.outH, w.outW], dt);
  const out3 = viewOf(out, [N, O, L], [O * L, L, 1]);
  const biasAll = bias === null ? null : viewOf(bias, [N, O, L], [0, bias.strides[0], 0]);
  if (G === 1 && isPointwise(w)) {
    // out[n] = W [O, C] x[n] [C, L], the bias copied in first and the product accumulated onto it.
    if (biasAll !== null) backend().copy(biasAll, out3);
    backend().convMatmul(viewOf(wc, [N, O, CgK], [0, CgK, 1]), flatImage(x), out3, biasAll !== null);
    return out;
  }
  // --- padded-image forward: the padded-row columns, or the implicit GEMM (issue #14, conv_implicit.ts)
  if (usesPaddedForward(x.shape, w, Og)) return convForwardPaddedRows(x, wc, bias, spec, out);
  // ---
  const rows = C * w.kh * w.kw;
  const nb = imagesPerChunk(N, rows * L, L);
  const buf = new Buffers(dt);
  const cols = buf.take(rows * nb * L);
  // NOTE: with one image per chunk the product [O, L] is the image's own layout in out: the GEMM
  // writes it there (same sums), with no buffer and no copy (ResNet's stem: 3.2 MB per image).
  const prod = nb > 1 ? buf.take(O * nb * L) : null;
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    backend().im2col(batchSlice(x, n0, m), channelMajorView(cols, m, rows, w), w); // [C*K, m*L]
    // [G, Og, CgK] x [G, CgK, m*L] -> [O, m*L], accumulated onto the bias.
    const dst: View = prod ?? viewOf(out, [O * L], [1], n0 * O * L);
    if (bias !== null) fillRows(dst, bias, O, m * L);
    backend().convMatmul(groupsOf(wc, G, O, CgK), groupsOf(cols, G, rows, m * L), groupsOf(dst, G, O, m * L), bias !== null);
    // [O, m, L] -> [m, O, L]
    if (prod !== null) backend().copy(viewOf(prod, [m, O, L], [L, m * L, 1]), batchSlice(out3, n0, m));
  }
  buf.release();
  return out;
}

/**
 * conv2d's gradients from gy [N, O, OH, OW]: dx into a new tensor of x's shape (when wanted),
 * dW summed over the chunks into a new tensor of the weight's shape (when wanted).
 * `x` is only read when dW is wanted.
 */
function convGrads(x: View, gy: Tensor, weight: Tensor, spec: ConvSpec, dt: DType, wantX: boolean, wantW: boolean): [Tensor | null, Tensor | null] {
  const { N, C, H, W, O, G, Og, CgK, L } = sizes(x.shape, weight.shape, spec);
  const { w } = spec;
  const rows = C * w.kh * w.kw;
  const pointwiseX = G === 1 && isPointwise(w);
  const nb = imagesPerChunk(N, rows * L, L);
  const wc = weight.contiguous();
  // --- stride-1 dx as a forward convolution of gy (issue #14, conv_flipped.ts); dW then runs alone below
  const flipped = wantX && !pointwiseX && usesFlippedInputGrad(x.shape, weight.shape, w) ? inputGradFlipped(gy, wc, spec, H, W) : null;
  if (flipped !== null && !wantW) return [flipped, null];
  const columnsX = wantX && flipped === null;
  // ---
  const dx = columnsX ? emptyUninit([N, C, H, W], dt) : null;
  const dw = wantW ? emptyUninit(weight.shape, dt) : null;
  const buf = new Buffers(dt);
  // NOTE: one image per chunk whose gradient rows are dense already is [O, L] as the GEMMs read it.
  const [, g1, g2, g3] = gy.strides;
  const gyRowsDense = nb === 1 && g1 === L && g2 === w.outW && g3 === 1;
  const gyT = gyRowsDense ? null : buf.take(O * nb * L);
  const cols = wantW ? buf.take(rows * nb * L) : null;
  const dcols = columnsX && !pointwiseX ? buf.take(rows * nb * L) : null;
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    const mL = m * L;
    const gRows: View = gyT ?? viewOf(gy, [O * L], [1], n0 * gy.strides[0]);
    if (gyT !== null) gradRowsInto(batchSlice(gy, n0, m), gyT); // [O, m*L]
    if (dw !== null && cols !== null) {
      // dW [G, Og, CgK] (+)= gy [G, Og, m*L] x colsᵀ [G, m*L, CgK]
      backend().im2col(batchSlice(x, n0, m), channelMajorView(cols, m, rows, w), w);
      const colsT = viewOf(cols, [G, mL, CgK], [CgK * mL, 1, mL]);
      backend().matmul(groupsOf(gRows, G, O, mL), colsT, groupsOf(dw, G, O, CgK), n0 > 0);
    }
    if (dx !== null) {
      const dxChunk = batchSlice(dx, n0, m);
      if (dcols === null) {
        // dx[n] = Wᵀ [C, O] gy[n] [O, L]
        backend().convMatmul(viewOf(wc, [m, C, O], [0, 1, C]), viewOf(gRows, [m, O, L], [L, mL, 1]), viewOf(dxChunk, [m, C, L], [C * L, L, 1]));
      } else {
        // dcols [G, CgK, m*L] = Wᵀ [G, CgK, Og] x gy [G, Og, m*L], then summed back into the images.
        backend().convMatmul(viewOf(wc, [G, CgK, Og], [Og * CgK, 1, CgK]), groupsOf(gRows, G, O, mL), groupsOf(dcols, G, rows, mL));
        backend().col2im(channelMajorView(dcols, m, rows, w), dxChunk, w);
      }
    }
  }
  buf.release();
  if (N === 0 && dw !== null) backend().fill(dw, 0);
  return [flipped ?? dx, dw];
}

/** dx [N, C, H, W] = conv2d(gy, flipped weight) at stride 1, when usesFlippedInputGrad (wc: the contiguous weight). */
function inputGradFlipped(gy: Tensor, wc: Tensor, spec: ConvSpec, H: number, W: number): Tensor {
  const wf = flippedWeight(wc, spec.groups);
  const dx = convForward(gy, wf, null, { w: flippedWindow(H, W, spec.w) as Window, groups: spec.groups });
  recycle(wf.typedArray);
  return dx;
}

/** Sums over images and positions of gy [N, O, OH, OW]: the bias gradient [O]. */
function biasGrad(gy: View, dt: DType): Tensor {
  const [N, O, OH, OW] = gy.shape;
  const db = emptyUninit([O], dt);
  const [g0, g1, g2, g3] = gy.strides;
  backend().reduce("sum", viewOf(gy, [O, N, OH, OW], [g1, g0, g2, g3]), viewOf(db, [O, 1, 1, 1], [1, 1, 1, 1]));
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
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

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
    const [dx, dw] = nx || nw ? convGrads(x, gy, weight, spec, x.dtype, nx, nw) : [null, null];
    // NOTE: new storage each (convGrads' outputs, the bias sum), kept by no one here.
    return [freshGradient(dx), freshGradient(dw), nb ? freshGradient(biasGrad(gy, gy.dtype)) : null, null];
  }
}

/**
 * conv_transpose2d, conv2d's adjoint, as one node: its forward is conv2d's input gradient and its
 * input gradient is conv2d. apply(x [N, Cin, H, W], weight [Cin, O/groups, kh, kw], bias [O] | null,
 * spec, image [N, O, outH, outW]); spec.w is the conv2d window that maps the image back to [H, W].
 */
export class ConvTranspose2dNode extends Function {
  static override gradFnName = "ConvolutionBackward0";
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

  static override forward(ctx: FunctionCtx, x: Tensor, weight: Tensor, bias: Tensor | null, spec: ConvSpec, image: readonly number[]): Tensor {
    ctx.saveForBackward(x, weight);
    ctx.spec = spec;
    // NOTE: the image is not read when only the input gradient is wanted: its shape is enough.
    const shape: View = { typedArray: x.typedArray, offset: 0, shape: image, strides: image.map(() => 0) };
    const out = convGrads(shape, x, weight, spec, x.dtype, true, false)[0] as Tensor;
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
    const dw = nw ? convGrads(g, x, weight, spec, g.dtype, false, true)[1] : null;
    return [nx ? freshGradient(convForward(g, weight, null, spec)) : null, freshGradient(dw), nb ? freshGradient(g.sum([0, 2, 3])) : null, null, null];
  }
}
