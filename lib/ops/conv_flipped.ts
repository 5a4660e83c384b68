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

/** Whether conv2d's no-graph backward computes dx [N, C, H, W] by the flipped forward, measured with
 *  scripts/conv_flipped_ab.ts (1 thread, CPU time, dx alone and the whole backward):
 *  - that forward's GEMM is tall enough, Cg >= 64 rows per group: the FashionMNIST CNN's conv1 (Cg = 1,
 *    the GEMM's dot form) took twice the time, its conv2 (Cg = 32) 0.92-1.03x for dx but 1.03-1.09x for
 *    the whole backward at low load (the thin GEMM eats the saving);
 *  - Og <= 128 outputs per group: what the flipped form saves, the col2im pass, is a share of the work
 *    that shrinks as 1/Og (the GEMM's work grows with Og, col2im's doesn't), while the flipped GEMM's
 *    efficiency is no better. ResNet-18's layer3 (Og = 256) took 0.97-0.99x the time for dx, but
 *    1.03-1.04x for the whole backward (dW's loop no longer shares gy's chunk with dx's);
 *  - N*H*W >= 1024 pixels, to pay for flipping the weight, a strided copy of O*Cg*kh*kw elements
 *    against a GEMM of 2*N*H*W flops per element (layer4, 512x512 on 8 7x7 images: 5 ms of 19).
 *  Taken: R18 layer1 and layer2 (dx 0.78-0.91x, whole backward 0.85-0.94x).
 *  NOTE: a pure function of the shape, never of the thread count or of timings. */
export function usesFlippedInputGrad(image: readonly number[], weight: readonly number[], w: Window): boolean {
  if (flippedWindow(image[2], image[3], w) === null) return false;
  if (forced !== null) return forced === "flipped";
  const [N, C, H, W] = image;
  const [O, Cg] = weight;
  const Og = (O * Cg) / C; // O / groups
  return w.kh * w.kw > 1 && Cg >= FLIPPED_MIN_ROWS && Og <= FLIPPED_MAX_OUTPUTS && N * H * W >= FLIPPED_MIN_PIXELS;
}
const FLIPPED_MIN_ROWS = 64;
const FLIPPED_MAX_OUTPUTS = 128;
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
