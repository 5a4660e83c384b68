// conv2d's forward for stride-1 windows in the padded-row layout (see paddedRows): the columns come
// from two strided copies with long contiguous rows instead of im2col's many short ones, which on
// small images (the FashionMNIST CNN's 14x14) cost as much as a third of the GEMM. Where
// usesImplicitGemm (conv_implicit.ts) says so, not even those: the GEMM packs its B panels straight
// from the padded image (Backend.matmulUnfolded), same results, one pass over the columns fewer.
import { backend } from "../backend/index.js";
import type { Tensor } from "../tensor.js";
import { type Window, viewOf } from "./columns.js";
import type { ConvSpec } from "./conv2d.js";
import { Buffers, batchSlice, fillRows, groupsOf, imagesPerChunk, sizes } from "./conv_chunks.js";
import { implicitExactColumns, usesImplicitGemm } from "./conv_implicit.js";

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

/** The forward runs convForwardPaddedRows: where the padded-row columns pay, or where its GEMM packs
 *  the columns from the padded image (conv_implicit.ts), which any stride-1 window can use.
 *  Og: output channels per group. */
export function usesPaddedForward(image: readonly number[], w: Window, Og: number): boolean {
  if (usesPaddedRows(image, w)) return true;
  if (w.strideH !== 1 || w.strideW !== 1 || w.kh * w.kw === 1) return false;
  return paddedRows(image, w).fits && usesImplicitGemm(Og, image[0] * w.outH * w.outW);
}

/** The forward into out [N, O, OH, OW] (wc: the contiguous weight), when usesPaddedForward. */
export function convForwardPaddedRows(x: Tensor, wc: Tensor, bias: Tensor | null, spec: ConvSpec, out: Tensor): Tensor {
  const { N, C, H, W, O, G, CgK, L } = sizes(x.shape, wc.shape, spec);
  const { w } = spec;
  const { kh, kw } = w;
  const { Hp, Wp } = paddedRows(x.shape, w);
  const [OH, OW] = [w.outH, w.outW];
  // --- implicit GEMM (issue #14): the GEMM packs the columns from xpad, none are written out; then
  // the columns may be the outputs themselves (P = L) instead of the padded rows (P = OH*Wp).
  const implicit = usesImplicitGemm(O / G, N * L);
  const exact = implicit && implicitExactColumns(O / G, OW, Wp);
  const P = exact ? L : OH * Wp;
  // ---
  const plane = Hp * Wp;
  const rows = C * kh * kw;
  // NOTE: what a chunk holds per image: its columns, or with the implicit GEMM (no columns) its
  // product rows and padded planes; more than the columns where O is large against C*kh*kw (the
  // CNN's first layer, 32 product rows per 9 column rows: chunks of 8 images instead of 32, 1.2x
  // (1T) to 1.8x (2T) faster, each thread's chunk then fitting its L2).
  const nb = imagesPerChunk(N, implicit ? O * P + C * plane : rows * P, P);
  // NOTE: the same chunks and steps as the loop below, run by the backend in one call where it can
  // (native/conv_padded_forward.h: on many threads, each thread runs whole chunks).
  if (implicit && backend().convPaddedForward) {
    const geometry = { kh, kw, dilH: w.dilationH, dilW: w.dilationW, padTop: w.padTop, padLeft: w.padLeft, Hp, Wp, groups: G, imagesPerChunk: nb, exact };
    if (backend().convPaddedForward!(x, groupsOf(wc, G, O, CgK), bias, out, geometry)) return out;
  }
  const buf = new Buffers(x.dtype);
  // NOTE: the last plane's unused columns read (kw-1)*dw elements past it: the slack, zeroed with the borders.
  const xpad = buf.take(nb * C * plane + (kw - 1) * w.dilationW);
  backend().fill(xpad, 0);
  const cols = implicit ? null : buf.take(rows * nb * P);
  const prod = buf.take(O * nb * P);
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    const mP = m * P;
    backend().copy(batchSlice(x, n0, m), viewOf(xpad, [m, C, H, W], [C * plane, plane, Wp, 1], w.padTop * Wp + w.padLeft));
    if (bias !== null) fillRows(prod, bias, O, mP);
    if (cols === null) {
      // The columns [C, kh, kw | m, OH, OW] (or [.. | m, 1, P]) as a view of xpad: row (c, i, j)
      // is a run of plane c per output row (per image).
      const [rh, rw, rs] = exact ? [OH, OW, Wp] : [1, P, 0];
      const unfolded = viewOf(xpad, [G, C / G, kh, kw, m, rh, rw], [(C / G) * plane, plane, w.dilationH * Wp, w.dilationW, C * plane, rs, 1]);
      backend().matmulUnfolded(groupsOf(wc, G, O, CgK), unfolded, groupsOf(prod, G, O, mP), bias !== null);
    } else {
      backend().copy(
        viewOf(xpad, [C, kh, kw, m, P], [plane, w.dilationH * Wp, w.dilationW, C * plane, 1]),
        viewOf(cols, [C, kh, kw, m, P], [kh * kw * mP, kw * mP, mP, P, 1]),
      );
      backend().convMatmul(groupsOf(wc, G, O, CgK), groupsOf(cols, G, rows, mP), groupsOf(prod, G, O, mP), bias !== null);
    }
    backend().copy(viewOf(prod, [m, O, OH, OW], [P, mP, exact ? OW : Wp, 1]), viewOf(out, [m, O, OH, OW], [O * L, L, OW, 1], n0 * O * L));
  }
  buf.release();
  return out;
}
