// torchvision's geometric transforms for training CNNs: Pad, CenterCrop, RandomCrop,
// RandomHorizontalFlip, RandomVerticalFlip. Each takes an Image (as torchvision takes a PIL image,
// before ToTensor) or a Tensor [..., C, H, W] (after it), and draws its randomness from torch's
// default generator exactly as torchvision 0.14 does (torch.randint / torch.rand of size 1), so a
// seeded pipeline crops and flips the same images as PyTorch's.
// ref: torchvision/transforms/transforms.py (Pad, CenterCrop, RandomCrop, RandomHorizontalFlip),
// functional.py (pad, crop, center_crop), functional_tensor.py (_pad_symmetric), v0.14.
import { pad as fpad } from "../nn/functional_conv.js";
import { rand, randint, tensor } from "../ops/creation.js";
import { Tensor } from "../tensor.js";
import { describe } from "./describe.js";
import { isImage, type Image } from "./image.js";

export type PaddingMode = "constant" | "edge" | "reflect" | "symmetric";
const PADDING_MODES: readonly PaddingMode[] = ["constant", "edge", "reflect", "symmetric"];

type Picture = Image | Tensor;

export function checkPicture(fn: string, img: unknown): asserts img is Picture {
  if (img instanceof Tensor) {
    if (img.ndim < 2) throw new TypeError(`${fn}: a Tensor image needs at least 2 dimensions [..., H, W], got ${img.ndim}`);
    return;
  }
  if (!isImage(img)) throw new TypeError(`${fn}: img should be an Image or a Tensor, got ${describe(img)}`);
}

/** [height, width] of an image or a Tensor [..., H, W]. */
export function sizeOf(img: Picture): [number, number] {
  return img instanceof Tensor ? [img.shape[img.ndim - 2], img.shape[img.ndim - 1]] : [img.height, img.width];
}

/** torchvision's size argument: an int (square) or [h, w] (a single-element array is square too). */
function sizeArg(fn: string, size: number | readonly number[]): [number, number] {
  const s = typeof size === "number" ? [size, size] : Array.isArray(size) && size.length === 1 ? [size[0], size[0]] : size;
  if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => Number.isSafeInteger(v) && v > 0)) {
    throw new RangeError(`${fn}: size should be a positive int or a sequence of 1 or 2 positive ints, got ${JSON.stringify(size)}`);
  }
  return [s[0], s[1]];
}

/** torchvision's padding argument as [left, top, right, bottom]. */
function paddingArg(fn: string, padding: number | readonly number[]): [number, number, number, number] {
  const p = typeof padding === "number" ? [padding] : padding;
  if (!Array.isArray(p) || !p.every((v) => Number.isSafeInteger(v))) throw new TypeError(`${fn}: got inappropriate padding arg ${JSON.stringify(padding)}`);
  if (![1, 2, 4].includes(p.length)) throw new RangeError(`${fn}: padding must be an int or a 1, 2, or 4 element tuple, not a ${p.length} element tuple`);
  if (p.length === 1) return [p[0], p[0], p[0], p[0]];
  if (p.length === 2) return [p[0], p[1], p[0], p[1]];
  return [p[0], p[1], p[2], p[3]];
}

function modeArg(fn: string, mode: string): PaddingMode {
  if (!PADDING_MODES.includes(mode as PaddingMode)) throw new RangeError(`${fn}: padding mode should be either constant, edge, reflect or symmetric, got ${mode}`);
  return mode as PaddingMode;
}

/** Source index of each output position along one axis of length n padded by (before, after); -1 = fill. */
function sourceIndices(n: number, before: number, after: number, mode: PaddingMode): Int32Array {
  const out = new Int32Array(n + before + after);
  for (let o = 0; o < out.length; o++) {
    let i = o - before;
    if (i < 0 || i >= n) {
      if (mode === "constant") i = -1;
      else if (mode === "edge") i = Math.min(Math.max(i, 0), n - 1);
      else {
        // reflect mirrors about the edge pixel (d c b | a b c d | c b a), symmetric repeats it.
        const period = mode === "reflect" ? 2 * (n - 1) : 2 * n;
        let k = ((i % period) + period) % period;
        if (mode === "reflect") i = k < n ? k : period - k;
        else i = k < n ? k : period - 1 - k;
      }
    }
    out[o] = i;
  }
  return out;
}

/** The picture with rows / cols taken from the given source indices (-1: `fill`). */
function remap(img: Picture, rows: Int32Array, cols: Int32Array, fill: number): Picture {
  if (img instanceof Tensor) {
    const r = Array.from(rows);
    const c = Array.from(cols);
    if (r.includes(-1) || c.includes(-1)) throw new Error("remap: constant fill on a Tensor goes through F.pad");
    return img.indexSelect(-2, tensor(r, { dtype: "int64" })).indexSelect(-1, tensor(c, { dtype: "int64" }));
  }
  const { width, channels: ch, data } = img;
  const out = new Uint8Array(rows.length * cols.length * ch);
  const fillByte = Math.min(255, Math.max(0, Math.round(fill)));
  let o = 0;
  for (let y = 0; y < rows.length; y++) {
    const row = rows[y] * width;
    for (let x = 0; x < cols.length; x++) {
      if (rows[y] < 0 || cols[x] < 0) {
        for (let c = 0; c < ch; c++) out[o++] = fillByte;
      } else {
        const src = (row + cols[x]) * ch;
        for (let c = 0; c < ch; c++) out[o++] = data[src + c];
      }
    }
  }
  return { width: cols.length, height: rows.length, channels: ch, data: out };
}

/** torchvision.transforms.functional.pad with [left, top, right, bottom]. */
function padPicture(img: Picture, [l, t, r, b]: [number, number, number, number], fill: number, mode: PaddingMode): Picture {
  if (l < 0 || t < 0 || r < 0 || b < 0) {
    // NOTE: torchvision crops for negative padding; nothing here pads by a negative amount.
    throw new RangeError("pad: negative padding is not supported");
  }
  if (img instanceof Tensor && mode === "constant") return fpad(img, [l, r, t, b], "constant", fill);
  const [h, w] = sizeOf(img);
  if (mode === "reflect" && ((l > 0 || r > 0) && (l >= w || r >= w) || (t > 0 || b > 0) && (t >= h || b >= h))) {
    throw new RangeError(`pad: padding size should be less than the corresponding input dimension for reflect, got padding [${l}, ${t}, ${r}, ${b}] for an image of ${h}x${w}`);
  }
  return remap(img, sourceIndices(h, t, b, mode), sourceIndices(w, l, r, mode), fill);
}

/** torchvision.transforms.functional.crop inside the image (callers keep it inside). */
export function cropPicture(img: Picture, top: number, left: number, height: number, width: number): Picture {
  if (img instanceof Tensor) return img.narrow(-2, top, height).narrow(-1, left, width);
  const rows = Int32Array.from({ length: height }, (_, i) => top + i);
  const cols = Int32Array.from({ length: width }, (_, i) => left + i);
  return remap(img, rows, cols, 0);
}

export function flipPicture(img: Picture, axis: "h" | "v"): Picture {
  if (img instanceof Tensor) return img.flip([axis === "h" ? -1 : -2]);
  const [h, w] = sizeOf(img);
  const rows = Int32Array.from({ length: h }, (_, i) => (axis === "v" ? h - 1 - i : i));
  const cols = Int32Array.from({ length: w }, (_, i) => (axis === "h" ? w - 1 - i : i));
  return remap(img, rows, cols, 0);
}

/** Python's round(): halves to even, as torchvision's center_crop rounds its offsets. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

function fmtSize([h, w]: [number, number]): string {
  return `(${h}, ${w})`;
}

/** Pads every side: padding int, [lr, tb] or [left, top, right, bottom]; fill for "constant". */
export class Pad {
  readonly padding: number | readonly number[];
  readonly #sides: [number, number, number, number];
  readonly paddingMode: PaddingMode;
  constructor(padding: number | readonly number[], readonly fill = 0, paddingMode: PaddingMode = "constant") {
    this.#sides = paddingArg("Pad", padding);
    this.padding = padding;
    this.paddingMode = modeArg("Pad", paddingMode);
  }
  forward<P extends Picture>(img: P): P {
    checkPicture("Pad", img);
    return padPicture(img, this.#sides, this.fill, this.paddingMode) as P;
  }
  toString(): string {
    return `Pad(padding=${JSON.stringify(this.padding)}, fill=${this.fill}, padding_mode=${this.paddingMode})`;
  }
}

/** Crops the center; pads with zeros first when the crop is larger than the image (torchvision). */
export class CenterCrop {
  readonly size: [number, number];
  constructor(size: number | readonly number[]) {
    this.size = sizeArg("CenterCrop", size);
  }
  forward<P extends Picture>(img: P): P {
    checkPicture("CenterCrop", img);
    let out: Picture = img;
    const [ch, cw] = this.size;
    let [h, w] = sizeOf(out);
    if (ch > h || cw > w) {
      const sides: [number, number, number, number] = [
        cw > w ? (cw - w) >> 1 : 0, ch > h ? (ch - h) >> 1 : 0, cw > w ? (cw - w + 1) >> 1 : 0, ch > h ? (ch - h + 1) >> 1 : 0,
      ];
      out = padPicture(out, sides, 0, "constant");
      [h, w] = sizeOf(out);
      if (ch === h && cw === w) return out as P;
    }
    return cropPicture(out, pyRound((h - ch) / 2), pyRound((w - cw) / 2), ch, cw) as P;
  }
  toString(): string {
    return `CenterCrop(size=${fmtSize(this.size)})`;
  }
}

export interface RandomCropOptions {
  /** Padding added first: int, [lr, tb] or [left, top, right, bottom]. */
  padding?: number | readonly number[] | null;
  /** Pad an image smaller than the crop up to its size. */
  padIfNeeded?: boolean;
  fill?: number;
  paddingMode?: PaddingMode;
}

/** Crops at a random place (after optional padding), drawing the row then the column offset. */
export class RandomCrop {
  readonly size: [number, number];
  readonly padding: number | readonly number[] | null;
  readonly padIfNeeded: boolean;
  readonly fill: number;
  readonly paddingMode: PaddingMode;
  readonly #sides: [number, number, number, number] | null;

  constructor(size: number | readonly number[], options: RandomCropOptions = {}) {
    this.size = sizeArg("RandomCrop", size);
    const { padding = null, padIfNeeded = false, fill = 0, paddingMode = "constant" } = options;
    this.#sides = padding === null ? null : paddingArg("RandomCrop", padding);
    this.padding = padding;
    this.padIfNeeded = padIfNeeded;
    this.fill = fill;
    this.paddingMode = modeArg("RandomCrop", paddingMode);
  }

  /** torchvision's RandomCrop.get_params: [top, left, height, width] of a random crop. */
  static getParams(img: Picture, outputSize: readonly [number, number]): [number, number, number, number] {
    checkPicture("RandomCrop.getParams", img);
    const [h, w] = sizeOf(img);
    const [th, tw] = outputSize;
    if (h < th || w < tw) throw new RangeError(`Required crop size ${fmtSize([th, tw])} is larger than input image size ${fmtSize([h, w])}`);
    if (w === tw && h === th) return [0, 0, h, w];
    const i = randint(0, h - th + 1, [1]).item();
    const j = randint(0, w - tw + 1, [1]).item();
    return [i, j, th, tw];
  }

  forward<P extends Picture>(img: P): P {
    checkPicture("RandomCrop", img);
    let out: Picture = img;
    if (this.#sides !== null) out = padPicture(out, this.#sides, this.fill, this.paddingMode);
    const [h, w] = sizeOf(out);
    const [th, tw] = this.size;
    // NOTE: torchvision pads both sides by the whole shortfall ([tw - w, 0] means left and right).
    if (this.padIfNeeded && w < tw) out = padPicture(out, [tw - w, 0, tw - w, 0], this.fill, this.paddingMode);
    if (this.padIfNeeded && h < th) out = padPicture(out, [0, th - h, 0, th - h], this.fill, this.paddingMode);
    const [i, j] = RandomCrop.getParams(out, this.size);
    return cropPicture(out, i, j, th, tw) as P;
  }

  toString(): string {
    return `RandomCrop(size=${fmtSize(this.size)}, padding=${this.padding === null ? "None" : JSON.stringify(this.padding)})`;
  }
}

function checkP(fn: string, p: number): number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new RangeError(`${fn}: p should be a probability in [0, 1], got ${String(p)}`);
  return p;
}

/** A flip along one axis with probability p: one torch.rand(1) draw per call, as torchvision's. */
abstract class RandomFlip {
  protected abstract readonly name: string;
  protected abstract readonly axis: "h" | "v";
  constructor(readonly p = 0.5) {
    checkP(new.target.name, p);
  }
  forward<P extends Picture>(img: P): P {
    checkPicture(this.name, img);
    return (rand([1]).item() < this.p ? flipPicture(img, this.axis) : img) as P;
  }
  toString(): string {
    return `${this.name}(p=${this.p})`;
  }
}

/** Flips left-right with probability p. */
export class RandomHorizontalFlip extends RandomFlip {
  protected readonly name = "RandomHorizontalFlip";
  protected readonly axis = "h";
}

/** Flips top-bottom with probability p. */
export class RandomVerticalFlip extends RandomFlip {
  protected readonly name = "RandomVerticalFlip";
  protected readonly axis = "v";
}
