// conv2d as ONE autograd node (PyTorch's ConvolutionBackward0) on the backend's im2col/col2im and
// matmul. The columns are laid out channel-major, [C*kh*kw, n*OH*OW], so each group's forward, weight
// gradient and column gradient is a single GEMM over a chunk of n images; the batch runs in chunks
// of about COLUMN_CHUNK elements of columns, so the columns stay in cache between the kernel that
// writes them and the GEMM that reads them, and their buffers (taken from the scratch pool once per
// call, reused by every chunk, given back at the end) stay small. A 1x1 window with stride 1 and no
// padding skips im2col in the forward (a GEMM on the input view).
// With createGraph, the backward is written with differentiable ops (matmul, Im2col/Col2im nodes),
// so second derivatives follow. conv_transpose2d is the same node run backwards (its forward is
// conv2d's input gradient). Float32 and float64; the caller checks shapes and dtypes.
// ref: aten/src/ATen/native/ConvolutionMM2d.cpp (slow_conv2d: im2col + GEMM), PyTorch 1.13.
import { backend } from "../backend/index.js";
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import type { View } from "../backend/types.js";
import type { DType } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { Col2im, Im2col, channelMajorView, viewOf, type Window } from "./columns.js";
import { emptyUninit, recycle } from "./scratch.js";

export interface ConvSpec {
  /** The window, its top/left padding and the output size (the bottom/right padding follows). */
  w: Window;
  groups: number;
}

/** Elements of columns per chunk of images (1 MB of float32): enough when an image has many outputs.
 *  NOTE: these three are constants of the shapes, never of the thread count, so results don't depend on them. */
const COLUMN_CHUNK = 256 * 1024;
/** Output positions per chunk (the GEMMs' width) to reach when an image has few: a GEMM only a few
 *  hundred columns wide runs at half the speed of a wide one (packing and edge tiles dominate), which
 *  is what the deep layers of a ResNet (7x7 or 14x14 outputs) would get from COLUMN_CHUNK alone. */
const MIN_GEMM_COLUMNS = 1024;
/** Elements of columns a chunk never exceeds to reach MIN_GEMM_COLUMNS (32 MB of float32). */
const COLUMN_MAX = 8 * 1024 * 1024;

/** Images per chunk: as many as fit COLUMN_CHUNK elements of columns, or more (up to COLUMN_MAX) to
 *  make the GEMM MIN_GEMM_COLUMNS wide, at least one; then evened out over the chunks that takes. */
export function imagesPerChunk(N: number, columnsPerImage: number, outputsPerImage: number): number {
  const perImage = Math.max(1, columnsPerImage);
  const bySize = Math.floor(COLUMN_CHUNK / perImage);
  const byWidth = Math.min(Math.ceil(MIN_GEMM_COLUMNS / Math.max(1, outputsPerImage)), Math.floor(COLUMN_MAX / perImage));
  const nb = Math.max(1, Math.min(N, Math.max(bySize, byWidth)));
  return N === 0 ? 1 : Math.ceil(N / Math.ceil(N / nb));
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

/** Images [n0, n0 + m) of an [N, ...] view. */
function batchSlice(v: View, n0: number, m: number): View {
  return viewOf(v, [m, ...v.shape.slice(1)], v.strides, n0 * v.strides[0]);
}

/** [N, C, H, W] as [N, C, H*W] (a copy only when H and W can't merge). */
function flatImage(x: Tensor): View {
  const [N, C, H, W] = x.shape;
  const xm = H === 1 || x.strides[2] === W * x.strides[3] ? x : x.contiguous();
  return viewOf(xm, [N, C, H * W], [xm.strides[0], xm.strides[1], xm.strides[3]]);
}

/** Scratch buffers of one call, reused by every chunk and given back together. */
class Buffers {
  private readonly held: Tensor[] = [];
  constructor(private readonly dtype: DType) {}
  take(n: number): Tensor {
    const t = emptyUninit([n], this.dtype);
    this.held.push(t);
    return t;
  }
  release(): void {
    for (const t of this.held) recycle(t.data);
  }
}

/** A [rows, cols] contiguous matrix at the start of buffer b, as [G, rows/G, cols]. */
function groupsOf(b: View, G: number, rows: number, cols: number): View {
  return viewOf(b, [G, rows / G, cols], [(rows / G) * cols, cols, 1]);
}

/** gy [m, O, OH, OW] (any strides) copied into dst as [O, m*OH*OW]: the columns' second axis. */
function gradRowsInto(gy: View, dst: View): void {
  const [m, O, OH, OW] = gy.shape;
  const L = OH * OW;
  const [g0, g1, g2, g3] = gy.strides;
  backend().copy(viewOf(gy, [O, m, OH, OW], [g1, g0, g2, g3]), viewOf(dst, [O, m, OH, OW], [m * L, L, OW, 1]));
}

/** Row o of the [O, cols] matrix at the start of dst set to bias[o]: the GEMM then accumulates onto it.
 *  NOTE: bias + sum is what adding the bias after the GEMM gives (one rounding, commutative), and a
 *  broadcast fill plus a plain copy out is several times faster than a broadcasting add on the way out. */
function fillRows(dst: View, bias: Tensor, O: number, cols: number): void {
  backend().copy(viewOf(bias, [O, cols], [bias.strides[0], 0]), viewOf(dst, [O, cols], [cols, 1]));
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
    backend().matmul(viewOf(wc, [N, O, CgK], [0, CgK, 1]), flatImage(x), out3, biasAll !== null);
    return out;
  }
  if (usesPaddedRows(x.shape, w)) return convForwardPaddedRows(x, wc, bias, spec, out);
  const rows = C * w.kh * w.kw;
  const nb = imagesPerChunk(N, rows * L, L);
  const buf = new Buffers(dt);
  const cols = buf.take(rows * nb * L);
  const prod = buf.take(O * nb * L);
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    backend().im2col(batchSlice(x, n0, m), channelMajorView(cols, m, rows, w), w); // [C*K, m*L]
    // [G, Og, CgK] x [G, CgK, m*L] -> [O, m*L], accumulated onto the bias.
    if (bias !== null) fillRows(prod, bias, O, m * L);
    backend().matmul(groupsOf(wc, G, O, CgK), groupsOf(cols, G, rows, m * L), groupsOf(prod, G, O, m * L), bias !== null);
    // [O, m, L] -> [m, O, L]
    backend().copy(viewOf(prod, [m, O, L], [L, m * L, 1]), batchSlice(out3, n0, m));
  }
  buf.release();
  return out;
}

/**
 * conv2d's gradients from gy [N, O, OH, OW]: dx into a new tensor of x's shape (when wanted),
 * dW summed over the chunks into a new tensor of the weight's shape (when wanted).
 * `x` is only read when dW is wanted.
 */
function convGrads(x: View, gy: View, weight: Tensor, spec: ConvSpec, dt: DType, wantX: boolean, wantW: boolean): [Tensor | null, Tensor | null] {
  const { N, C, H, W, O, G, Og, CgK, L } = sizes(x.shape, weight.shape, spec);
  const { w } = spec;
  const rows = C * w.kh * w.kw;
  const pointwiseX = G === 1 && isPointwise(w);
  const nb = imagesPerChunk(N, rows * L, L);
  const wc = weight.contiguous();
  const dx = wantX ? emptyUninit([N, C, H, W], dt) : null;
  const dw = wantW ? emptyUninit(weight.shape, dt) : null;
  const buf = new Buffers(dt);
  const gyT = buf.take(O * nb * L);
  const cols = wantW ? buf.take(rows * nb * L) : null;
  const dcols = wantX && !pointwiseX ? buf.take(rows * nb * L) : null;
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    const mL = m * L;
    gradRowsInto(batchSlice(gy, n0, m), gyT); // [O, m*L]
    if (dw !== null && cols !== null) {
      // dW [G, Og, CgK] (+)= gy [G, Og, m*L] x colsᵀ [G, m*L, CgK]
      backend().im2col(batchSlice(x, n0, m), channelMajorView(cols, m, rows, w), w);
      const colsT = viewOf(cols, [G, mL, CgK], [CgK * mL, 1, mL]);
      backend().matmul(groupsOf(gyT, G, O, mL), colsT, groupsOf(dw, G, O, CgK), n0 > 0);
    }
    if (dx !== null) {
      const dxChunk = batchSlice(dx, n0, m);
      if (dcols === null) {
        // dx[n] = Wᵀ [C, O] gy[n] [O, L]
        backend().matmul(viewOf(wc, [m, C, O], [0, 1, C]), viewOf(gyT, [m, O, L], [L, mL, 1]), viewOf(dxChunk, [m, C, L], [C * L, L, 1]));
      } else {
        // dcols [G, CgK, m*L] = Wᵀ [G, CgK, Og] x gy [G, Og, m*L], then summed back into the images.
        backend().matmul(viewOf(wc, [G, CgK, Og], [Og * CgK, 1, CgK]), groupsOf(gyT, G, O, mL), groupsOf(dcols, G, rows, mL));
        backend().col2im(channelMajorView(dcols, m, rows, w), dxChunk, w);
      }
    }
  }
  buf.release();
  if (N === 0 && dw !== null) backend().fill(dw, 0);
  return [dx, dw];
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
    return [dx, dw, nb ? biasGrad(gy, gy.dtype) : null, null];
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
    // NOTE: the image is not read when only the input gradient is wanted: its shape is enough.
    const shape: View = { data: x.data, offset: 0, shape: image, strides: image.map(() => 0) };
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
    return [nx ? convForward(g, weight, null, spec) : null, dw, nb ? g.sum([0, 2, 3]) : null, null, null];
  }
}

/** Padded-row layout of a stride-1 window: the image zero-padded to [Hp, Wp] (Hp = OH + dh*(kh-1),
 *  Wp = OW + dw*(kw-1)), and the columns indexed by p = oy*Wp + ox over P = OH*Wp positions, of which
 *  the ox >= OW ones are never used. Then each column row (c, i, j) is ONE contiguous run of the
 *  padded plane, starting at i*dh*Wp + j*dw: the columns are a plain strided copy with long rows
 *  instead of im2col's OH short ones per row, for (Wp - OW) / OW extra GEMM columns. */
function paddedRows(image: readonly number[], w: Window) {
  const [, , H, W] = image;
  const Hp = w.outH + w.dilationH * (w.kh - 1);
  const Wp = w.outW + w.dilationW * (w.kw - 1);
  return { Hp, Wp, P: w.outH * Wp, fits: Hp >= H + w.padTop && Wp >= W + w.padLeft };
}

/** The padded-row forward pays: stride 1, and the unused columns cost less than im2col's short rows. */
export function usesPaddedRows(image: readonly number[], w: Window): boolean {
  if (w.strideH !== 1 || w.strideW !== 1 || w.kh * w.kw === 1) return false;
  const { Wp, fits } = paddedRows(image, w);
  return fits && (Wp - w.outW) * PADDED_ROWS_MAX_WASTE <= w.outW;
}
const PADDED_ROWS_MAX_WASTE = 7;

function convForwardPaddedRows(x: Tensor, wc: Tensor, bias: Tensor | null, spec: ConvSpec, out: Tensor): Tensor {
  const { N, C, H, W, O, G, CgK, L } = sizes(x.shape, wc.shape, spec);
  const { w } = spec;
  const { kh, kw } = w;
  const { Hp, Wp, P } = paddedRows(x.shape, w);
  const plane = Hp * Wp;
  const rows = C * kh * kw;
  const nb = imagesPerChunk(N, rows * P, P);
  const buf = new Buffers(x.dtype);
  // NOTE: the last plane's unused columns read (kw-1)*dw elements past it: the slack, zeroed with the borders.
  const xpad = buf.take(nb * C * plane + (kw - 1) * w.dilationW);
  backend().fill(xpad, 0);
  const cols = buf.take(rows * nb * P);
  const prod = buf.take(O * nb * P);
  const [OH, OW] = [w.outH, w.outW];
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    const mP = m * P;
    backend().copy(batchSlice(x, n0, m), viewOf(xpad, [m, C, H, W], [C * plane, plane, Wp, 1], w.padTop * Wp + w.padLeft));
    backend().copy(
      viewOf(xpad, [C, kh, kw, m, P], [plane, w.dilationH * Wp, w.dilationW, C * plane, 1]),
      viewOf(cols, [C, kh, kw, m, P], [kh * kw * mP, kw * mP, mP, P, 1]),
    );
    if (bias !== null) fillRows(prod, bias, O, mP);
    backend().matmul(groupsOf(wc, G, O, CgK), groupsOf(cols, G, rows, mP), groupsOf(prod, G, O, mP), bias !== null);
    backend().copy(viewOf(prod, [m, O, OH, OW], [P, mP, Wp, 1]), viewOf(out, [m, O, OH, OW], [O * L, L, OW, 1], n0 * O * L));
  }
  buf.release();
  return out;
}
