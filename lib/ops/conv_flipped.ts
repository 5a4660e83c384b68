// conv2d's input gradient at stride 1 as a forward convolution (issue #14): for stride 1 (any
// dilation, groups) dx = conv2d(gy, W flipped in both spatial axes with each group's in/out channels
// swapped, padding dilation*(k-1) - padding per side). Run through conv2d's forward (conv2d.ts), it
// takes the padded-row / implicit-GEMM paths (conv_padded_rows.ts): no column gradient written out
// and no col2im scatter-add after it. The sums are the same products in another order, so results
// differ from the col2im path by rounding only; each path is bit-identical across thread counts.
// Here: the window and weight of that forward, and when conv2d takes it (a pure function of the shape).
import { backend } from "../backend/index.js";
import type { Tensor } from "../tensor.js";
import { type Window, makeWindow, viewOf } from "./columns.js";
import { emptyUninit } from "./scratch.js";

/** The two ways conv2d's no-graph backward computes dx. "columns": Wᵀ·gy into columns, then col2im. */
export type InputGradPath = "flipped" | "columns";

let forced: InputGradPath | null = null;
/** Tests: take `path` wherever it is possible (null: back to the dispatch). Never changes which
 *  shapes can take the flipped path (flippedWindow), only the choice among possible ones. */
export function forceInputGradPath(path: InputGradPath | null): void {
  forced = path;
}

/** The flipped forward's window over gy [N, O, OH, OW] giving [H, W]: stride 1, the same kernel and
 *  dilation, top/left padding d*(k-1) - padding. null where the flipped form needs a negative padding
 *  on some side (padding above d*(k-1), or, bottom/right, outputs that never read the last rows:
 *  conv_transpose2d's output_padding makes those positive) or the stride isn't 1. */
export function flippedWindow(H: number, W: number, w: Window): Window | null {
  if (w.strideH !== 1 || w.strideW !== 1) return null;
  const spanH = w.dilationH * (w.kh - 1), spanW = w.dilationW * (w.kw - 1);
  const top = spanH - w.padTop, left = spanW - w.padLeft;
  // The original bottom/right padding is what the outputs reach past the image: (out-1) + span + 1 - size - pad.
  const bottom = spanH - (w.outH + spanH - H - w.padTop), right = spanW - (w.outW + spanW - W - w.padLeft);
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  return makeWindow([w.kh, w.kw], [w.dilationH, w.dilationW], [top, left], [1, 1], [H, W]);
}

/** Whether conv2d's no-graph backward computes dx [N, C, H, W] by the flipped forward: where that
 *  forward's GEMM has the implicit GEMM's height (Cg rows per group, conv_implicit.ts: a shorter one
 *  takes the GEMM's dot form, and the FashionMNIST CNN's conv1, Cg = 1, ran at half the speed), and
 *  where the images have enough pixels to pay for flipping the weight, a strided copy of O*Cg*kh*kw
 *  elements against a GEMM of 2*N*H*W flops per element (ResNet-18's layer4, 512x512x3x3 on 8 7x7
 *  images: the flip took 5 ms of 19 and the path lost 15%). Measured with scripts/conv_flipped_ab.ts
 *  at 1 thread: elsewhere it mostly ran 0.72-0.99x the time of the columns path (R18 layer1/layer2
 *  0.82-0.85x); the exception left in: 2 to 4 images of 256 channels 40 to 56 wide, 1.0-1.15x.
 *  NOTE: a pure function of the shape, never of the thread count or of timings. */
export function usesFlippedInputGrad(image: readonly number[], weight: readonly number[], w: Window): boolean {
  if (flippedWindow(image[2], image[3], w) === null) return false;
  if (forced !== null) return forced === "flipped";
  const [N, , H, W] = image;
  return w.kh * w.kw > 1 && weight[1] >= FLIPPED_MIN_ROWS && N * H * W >= FLIPPED_MIN_PIXELS;
}
const FLIPPED_MIN_ROWS = 32;
const FLIPPED_MIN_PIXELS = 1024;

/** weight [O, Cg, kh, kw] (contiguous, G groups) -> [G*Cg, O/G, kh, kw], w'[g*Cg + c, o, i, j] =
 *  w[g*Og + o, c, kh-1-i, kw-1-j]: the flipped forward's weight, a new tensor.
 *  NOTE: views can't have negative strides (backend/types.ts), so the flip is one strided copy per
 *  kernel tap t -> K-1-t, each moving the [G, Og, Cg] matrix of that tap with its channels swapped. */
export function flippedWeight(wc: Tensor, G: number): Tensor {
  const [O, Cg, kh, kw] = wc.shape;
  const Og = O / G, K = kh * kw;
  const out = emptyUninit([G * Cg, Og, kh, kw], wc.dtype);
  for (let t = 0; t < K; t++) {
    const src = viewOf(wc, [G, Cg, Og], [Og * Cg * K, K, Cg * K], t);
    backend().copy(src, viewOf(out, [G, Cg, Og], [Cg * Og * K, Og * K, K], K - 1 - t));
  }
  return out;
}
