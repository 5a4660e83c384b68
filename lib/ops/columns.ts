// Column matrices of 2-D sliding windows on the backend's im2col/col2im kernels: the window
// geometry, the two layouts the convolution and F.unfold use, and the Im2col / Col2im autograd
// nodes (each one's gradient is the other one, so gradients of any order follow). Float32 and
// float64 only: the callers compose the other float dtypes from pad and strided slices.
// ref: torch.nn.functional.unfold / fold, grad_fns Im2ColBackward0 / Col2ImBackward0 (PyTorch 1.13).
import { backend } from "../backend/index.js";
import type { ConvGeometry, View } from "../backend/types.js";
import { Function, type FunctionCtx } from "../autograd/function.js";
import type { DType } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { emptyUninit } from "./scratch.js";

export type Pair = [number, number];

/** A window: kernel, dilation, top/left padding, stride (per axis), and the output size it gives. */
export interface Window extends ConvGeometry {
  outH: number;
  outW: number;
}

export function makeWindow(k: Pair, d: Pair, padTopLeft: Pair, s: Pair, out: Pair): Window {
  return {
    kh: k[0], kw: k[1], padTop: padTopLeft[0], padLeft: padTopLeft[1],
    strideH: s[0], strideW: s[1], dilationH: d[0], dilationW: d[1], outH: out[0], outW: out[1],
  };
}

/** Dtypes the im2col/col2im kernels take. */
export function hasColumnKernels(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** A view over a tensor's storage (not recorded, no bounds check: callers derive it from the tensor). */
export function viewOf(t: Tensor | View, shape: readonly number[], strides: readonly number[], extraOffset = 0): View {
  return { typedArray: t.typedArray, offset: t.offset + extraOffset, shape, strides };
}

/** Columns in the batch-major layout of F.unfold: [N, C*kh*kw, OH*OW], contiguous. */
export function im2colBatchMajor(x: View, dtype: DType, w: Window): Tensor {
  const [N, C] = x.shape;
  const rows = C * w.kh * w.kw;
  const cols = emptyUninit([N, rows, w.outH * w.outW], dtype);
  backend().im2col(x, viewOf(cols, [N, rows, w.outH, w.outW], [rows * w.outH * w.outW, w.outH * w.outW, w.outW, 1]), w);
  return cols;
}

/** A [C*K, N*OH*OW] channel-major column buffer (row (c*kh+i)*kw+j, column n*OH*OW + oy*OW + ox:
 *  one GEMM covers N images) as the kernels' [N, C*K, OH, OW] view. */
export function channelMajorView(cols: Tensor | View, N: number, rows: number, w: Window): View {
  const L = w.outH * w.outW;
  return viewOf(cols, [N, rows, w.outH, w.outW], [L, N * L, w.outW, 1]);
}

/** [N, C*K, OH*OW] (any strides) summed back into a new [N, C, H, W]. */
export function col2imBatchMajor(cols: View, dtype: DType, C: number, H: number, W: number, w: Window): Tensor {
  const [N, rows] = cols.shape;
  const out = emptyUninit([N, C, H, W], dtype);
  const [s0, s1, s2] = cols.strides;
  backend().col2im(viewOf(cols, [N, rows, w.outH, w.outW], [s0, s1, s2 * w.outW, s2]), out, w);
  return out;
}

interface Spec {
  w: Window;
  /** The image's channels and size. */
  C: number;
  H: number;
  W: number;
}

/** x [N, C, H, W] -> [N, C*kh*kw, OH*OW] as one node (F.unfold); the gradient is Col2im. */
export class Im2col extends Function {
  static override gradFnName = "Im2ColBackward0";

  static override forward(ctx: FunctionCtx, x: Tensor, spec: Spec): Tensor {
    ctx.spec = spec;
    return im2colBatchMajor(x, x.dtype, spec.w);
  }

  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    return [Col2im.apply(g, ctx.spec) as Tensor, null];
  }
}

/** cols [N, C*kh*kw, OH*OW] -> [N, C, H, W], overlaps summed, as one node (F.fold); the gradient is Im2col. */
export class Col2im extends Function {
  static override gradFnName = "Col2ImBackward0";

  static override forward(ctx: FunctionCtx, cols: Tensor, spec: Spec): Tensor {
    ctx.spec = spec;
    return col2imBatchMajor(cols, cols.dtype, spec.C, spec.H, spec.W, spec.w);
  }

  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    return [Im2col.apply(g, ctx.spec) as Tensor, null];
  }
}
