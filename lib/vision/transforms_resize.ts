// torchvision's Resize for Tensor images [..., C, H, W] (after ToTensor), as torchvision 0.14's
// functional_tensor.resize: the output size from `size` (an int sizes the smaller edge, keeping the
// aspect ratio, capped by maxSize), then F.interpolate with align_corners=False for bilinear; a
// 3-D image is batched and unbatched around it; an integer dtype (int64; uint8 in torchvision) is interpolated in float32,
// rounded and cast back. NOTE: antialias: torchvision 0.14 treats the tensor default (null) as
// false, i.e. plain bilinear sampling (a downscale by more than 2x skips pixels and can alias);
// antialias=true (PIL's triangle filter widened by the scale) is not built in torchlet and throws.
// Images (torchvision's PIL path, always antialiased) are not built either: apply ToTensor first.
// ref: torchvision/transforms/transforms.py (Resize), functional.py (resize,
// _compute_resized_output_size), functional_tensor.py (resize, _cast_squeeze_in/out), v0.14.
import { interpolate } from "../nn/functional_interpolate.js";
import { Tensor } from "../tensor.js";
import { isImage } from "./image.js";

/** torchvision's InterpolationMode values that torchlet's interpolate has. */
export type ResizeInterpolation = "nearest" | "nearest-exact" | "bilinear";
const MODES: readonly string[] = ["nearest", "nearest-exact", "bilinear"];
const FLOAT_DTYPES = new Set(["float32", "float64"]);

export interface ResizeOptions {
  /** default "bilinear" */
  interpolation?: ResizeInterpolation;
  /** Largest allowed longer edge when `size` is an int (or [int]); null: no cap. */
  maxSize?: number | null;
  /** null or false: none (torchvision 0.14's tensor default); true is not built. */
  antialias?: boolean | null;
}

/** [newH, newW] as torchvision's _compute_resized_output_size. */
export function resizedOutputSize(h: number, w: number, size: readonly number[], maxSize: number | null): [number, number] {
  if (size.length !== 1) return [size[0], size[1]];
  const [short, long] = w <= h ? [w, h] : [h, w];
  const requested = size[0];
  // NOTE: Python's int(a * b / c): float division, truncated.
  let newShort = requested;
  let newLong = Math.trunc((requested * long) / short);
  if (maxSize !== null) {
    if (maxSize <= requested) {
      throw new RangeError(`max_size = ${maxSize} must be strictly greater than the requested size for the smaller edge size = [${requested}]`);
    }
    if (newLong > maxSize) {
      newShort = Math.trunc((maxSize * newShort) / newLong);
      newLong = maxSize;
    }
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

export class Resize {
  readonly size: number | readonly number[];
  readonly interpolation: ResizeInterpolation;
  readonly maxSize: number | null;
  readonly antialias: boolean | null;

  constructor(size: number | readonly number[], options: ResizeOptions = {}) {
    if (typeof size !== "number" && !Array.isArray(size)) throw new TypeError(`Size should be int or sequence. Got ${typeof size}`);
    if (Array.isArray(size) && size.length !== 1 && size.length !== 2) throw new RangeError("If size is a sequence, it should have 1 or 2 values");
    const sizes = typeof size === "number" ? [size] : size;
    if (!sizes.every((v) => Number.isSafeInteger(v) && v > 0)) throw new RangeError(`Resize: size must hold positive ints, got ${JSON.stringify(size)}`);
    const interpolation = options.interpolation ?? "bilinear";
    if (!MODES.includes(interpolation)) {
      throw new RangeError(`Resize: interpolation must be one of ${MODES.join(", ")} (bicubic is not built in torchlet), got ${JSON.stringify(interpolation)}`);
    }
    const maxSize = options.maxSize ?? null;
    if (maxSize !== null && sizes.length !== 1) {
      throw new RangeError("max_size should only be passed if size specifies the length of the smaller edge, i.e. size should be an int or a sequence of length 1 in torchscript mode.");
    }
    const antialias = options.antialias ?? null;
    if (antialias === true) {
      if (interpolation !== "bilinear") throw new RangeError("Antialias option is supported for bilinear and bicubic interpolation modes only");
      throw new RangeError("Resize: antialias=true is not built in torchlet (torchvision 0.14's tensor default, antialias=None, means false)");
    }
    this.size = size;
    this.interpolation = interpolation;
    this.maxSize = maxSize;
    this.antialias = antialias;
  }

  forward(img: Tensor): Tensor {
    if (!(img instanceof Tensor)) {
      if (isImage(img)) throw new TypeError("Resize: Image input (torchvision's antialiased PIL path) is not built in torchlet; apply ToTensor first");
      throw new TypeError("Resize: img should be a Tensor");
    }
    if (img.ndim < 2) throw new TypeError("Tensor is not a torch image.");
    const h = img.shape[img.ndim - 2];
    const w = img.shape[img.ndim - 1];
    const out = resizedOutputSize(h, w, typeof this.size === "number" ? [this.size] : this.size, this.maxSize);
    if (out[0] === h && out[1] === w) return img;
    // _cast_squeeze_in: NCHW, float32 unless float32/float64 already.
    let x = img.ndim < 4 ? img.unsqueeze(0) : img;
    const outDtype = img.dtype;
    const cast = !FLOAT_DTYPES.has(String(outDtype));
    if (cast) x = x.type("float32");
    const alignCorners = this.interpolation === "bilinear" ? false : null;
    let y = interpolate(x, { size: out, mode: this.interpolation, alignCorners });
    // _cast_squeeze_out
    if (img.ndim < 4) y = y.squeeze(0);
    if (cast) y = (String(outDtype) === "bool" ? y : y.round()).type(outDtype);
    return y;
  }

  toString(): string {
    const size = typeof this.size === "number" ? String(this.size) : `[${this.size.join(", ")}]`;
    return `Resize(size=${size}, interpolation=${this.interpolation}, max_size=${this.maxSize === null ? "None" : this.maxSize}, antialias=${this.antialias === null ? "None" : this.antialias ? "True" : "False"})`;
  }
}
