// The pieces conv2d's forward and backward share (conv2d.ts, conv_padded_rows.ts): how many images
// one chunk of columns holds, the sizes of a call, its scratch buffers, and views into them.
import { backend } from "../backend/index.js";
import type { View } from "../backend/types.js";
import type { DType } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { viewOf } from "./columns.js";
import type { ConvSpec } from "./conv2d.js";
import { emptyUninit, recycle } from "./scratch.js";

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

/** Sizes every step uses: groups G, Og outputs and CgK column rows per group, L outputs per image. */
export function sizes(image: readonly number[], weight: readonly number[], spec: ConvSpec) {
  const [N, C, H, W] = image;
  const [O, Cg, kh, kw] = weight;
  const G = spec.groups;
  return { N, C, H, W, O, G, Og: O / G, CgK: Cg * kh * kw, L: spec.w.outH * spec.w.outW };
}

/** Images [n0, n0 + m) of an [N, ...] view. */
export function batchSlice(v: View, n0: number, m: number): View {
  return viewOf(v, [m, ...v.shape.slice(1)], v.strides, n0 * v.strides[0]);
}

/** Scratch buffers of one call, reused by every chunk and given back together. */
export class Buffers {
  private readonly held: Tensor[] = [];
  constructor(private readonly dtype: DType) {}
  take(n: number): Tensor {
    const t = emptyUninit([n], this.dtype);
    this.held.push(t);
    return t;
  }
  release(): void {
    for (const t of this.held) recycle(t.typedArray);
  }
}

/** A [rows, cols] contiguous matrix at the start of buffer b, as [G, rows/G, cols]. */
export function groupsOf(b: View, G: number, rows: number, cols: number): View {
  return viewOf(b, [G, rows / G, cols], [(rows / G) * cols, cols, 1]);
}

/** Row o of the [O, cols] matrix at the start of dst set to bias[o]: the GEMM then accumulates onto it.
 *  NOTE: bias + sum is what adding the bias after the GEMM gives (one rounding, commutative), and a
 *  broadcast fill plus a plain copy out is several times faster than a broadcasting add on the way out. */
export function fillRows(dst: View, bias: Tensor, O: number, cols: number): void {
  backend().copy(viewOf(bias, [O, cols], [bias.strides[0], 0]), viewOf(dst, [O, cols], [cols, 1]));
}
