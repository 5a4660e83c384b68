// torchvision.transforms: ToTensor, Normalize, Compose, Lambda. A transform is a plain function or
// an object with forward(x). ToTensor and Normalize (and Compose of only those) also map a whole stack
// of images at once (forwardBatch) with the same float32 arithmetic, which the DataLoader's fast
// path uses. Crops, flips and padding are in transforms_geometry.ts, Resize in transforms_resize.ts,
// colour transforms in transforms_color.ts, the random containers in transforms_random.ts, erasing and
// resized / five / ten crops in transforms_crops.ts, rotation and affine in transforms_affine.ts (all
// re-exported here).
// ref: torchvision/transforms/transforms.py and functional.py (to_tensor, normalize), v0.14.
import { Tensor } from "../tensor.js";
import { describe } from "./describe.js";
import { ImageArray, isImage, type Image } from "./image.js";

/** Anything a dataset accepts as transform / targetTransform. */
export type Transform<I = any, O = any> = ((x: I) => O) | { forward(x: I): O };

/** A transform that can also map a stack of samples; results match forward applied to each, bit for bit. */
export interface BatchTransform {
  forward(x: any): any;
  forwardBatch(x: ImageArray | Tensor): Tensor;
}

/** Calls a transform of either kind. */
export function applyTransform<I, O>(t: Transform<I, O>, x: I): O {
  if (typeof t === "function") return t(x);
  if (t !== null && typeof t === "object" && typeof (t as { forward?: unknown }).forward === "function") return t.forward(x);
  throw new TypeError(`transform must be a function or an object with forward(x), got ${describe(t)}`);
}

/** True when `t` can map a whole stack at once (every part of it is a ToTensor or Normalize). */
export function isBatchTransform(t: unknown): t is BatchTransform {
  if (t instanceof ToTensor || t instanceof Normalize) return true;
  return t instanceof Compose && t.transforms.length > 0 && t.transforms.every(isBatchTransform);
}

/** uint8 image H x W x C in 0..255 -> float32 Tensor [C, H, W] in [0, 1] (x / 255). */
export class ToTensor {
  forward(pic: Image): Tensor {
    if (!isImage(pic)) {
      throw new TypeError(`ToTensor: pic should be an Image { width, height, channels, data: Uint8Array }, got ${describe(pic)}`);
    }
    const { width: w, height: h, channels: c, data } = pic;
    const out = new Float32Array(c * h * w);
    // NOTE: HWC -> CHW; x / 255 rounded once to float32, as torch's img.float().div(255).
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < h * w; p++) out[ch * h * w + p] = data[p * c + ch] / 255;
    }
    return Tensor.fromStorage(out, [c, h, w]);
  }

  /** [N, H, W] uint8 -> [N, 1, H, W] float32. */
  forwardBatch(x: ImageArray | Tensor): Tensor {
    if (!(x instanceof ImageArray)) throw new TypeError(`ToTensor.forwardBatch: expected an ImageArray, got ${describe(x)}`);
    const [n, h, w] = x.shape;
    const out = new Float32Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = x.data[i] / 255;
    return Tensor.fromStorage(out, [n, 1, h, w]);
  }

  toString(): string {
    return "ToTensor()";
  }
}

/** (x - mean[c]) / std[c] per channel of a float32 or float64 Tensor [..., C, H, W]. */
export class Normalize {
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** mean and std as given, for float64 images (float32 ones use the rounded values above). */
  readonly #given: readonly [readonly number[], readonly number[]];

  constructor(mean: number | readonly number[], std: number | readonly number[]) {
    const m = typeof mean === "number" ? [mean] : [...mean];
    const s = typeof std === "number" ? [std] : [...std];
    for (const [name, v] of [["mean", m], ["std", s]] as const) {
      if (v.length === 0 || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
        throw new TypeError(`Normalize: ${name} must be a number or a non-empty array of finite numbers, got ${describe(name === "mean" ? mean : std)}`);
      }
    }
    // NOTE: torch converts mean and std to the tensor's dtype first: mean and std are the float32
    // values; a float64 image uses the given ones.
    this.mean = Object.freeze(m.map(Math.fround));
    this.std = Object.freeze(s.map(Math.fround));
    this.#given = [m, s];
    if (this.std.some((x) => x === 0)) {
      throw new RangeError(`Normalize: std evaluated to zero after conversion to float32, leading to division by zero.`);
    }
  }

  forward(t: Tensor): Tensor {
    if (!(t instanceof Tensor)) throw new TypeError(`Normalize: input should be a Tensor, got ${describe(t)}`);
    if (t.dtype !== "float32" && t.dtype !== "float64") throw new TypeError(`Normalize: Input tensor should be a float tensor. Got ${t.dtype}.`);
    if (t.ndim < 3) {
      throw new RangeError(`Normalize: Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = [${t.shape.join(", ")}]`);
    }
    const c = t.shape[t.ndim - 3];
    for (const [name, v] of [["mean", this.mean], ["std", this.std]] as const) {
      if (v.length !== 1 && v.length !== c) {
        throw new RangeError(`Normalize: ${name} has ${v.length} values but the tensor has ${c} channels`);
      }
    }
    const x = t.contiguous().storage() as Float32Array | Float64Array;
    const result = Tensor.empty(t.shape, t.dtype);
    const out = result.typedArray as Float32Array | Float64Array;
    const [mean, std] = t.dtype === "float32" ? [this.mean, this.std] : this.#given;
    const round = t.dtype === "float32" ? Math.fround : (v: number) => v;
    const plane = t.shape[t.ndim - 2] * t.shape[t.ndim - 1];
    for (let p = 0, i = 0; i < x.length; p++) {
      const m = mean[mean.length === 1 ? 0 : p % c];
      const s = std[std.length === 1 ? 0 : p % c];
      // NOTE: sub then div in the dtype, as torch's tensor.sub_(mean).div_(std). A double op on
      // float32 inputs rounded once to float32 is the exact float32 result.
      for (const end = i + plane; i < end; i++) out[i] = round(x[i] - m) / s;
    }
    return result;
  }

  forwardBatch(x: ImageArray | Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`Normalize.forwardBatch: expected a Tensor, got ${describe(x)}`);
    return this.forward(x);
  }

  toString(): string {
    return `Normalize(mean=[${this.mean.join(", ")}], std=[${this.std.join(", ")}])`;
  }
}

/** Applies transforms in order. */
export class Compose {
  readonly transforms: readonly Transform[];

  constructor(transforms: readonly Transform[]) {
    if (!Array.isArray(transforms)) throw new TypeError(`Compose: expected an array of transforms, got ${describe(transforms)}`);
    transforms.forEach((t, i) => {
      if (typeof t !== "function" && !(t !== null && typeof t === "object" && typeof (t as { forward?: unknown }).forward === "function")) {
        throw new TypeError(`Compose: transforms[${i}] must be a function or an object with forward(x), got ${describe(t)}`);
      }
    });
    this.transforms = Object.freeze([...transforms]);
  }

  forward(x: any): any {
    return this.transforms.reduce((acc, t) => applyTransform(t, acc), x);
  }

  forwardBatch(x: ImageArray | Tensor): Tensor {
    if (!isBatchTransform(this)) throw new TypeError("Compose.forwardBatch: only ToTensor and Normalize can be applied to a batch");
    return this.transforms.reduce<ImageArray | Tensor>((acc, t) => (t as BatchTransform).forwardBatch(acc), x) as Tensor;
  }

  toString(): string {
    return `Compose(\n${this.transforms.map((t) => `    ${String(t)}`).join("\n")}\n)`;
  }
}

/** A user function as a transform, e.g. a one-hot target: new Lambda((y) => oneHot(y, 10)). */
export class Lambda<I = any, O = any> {
  constructor(readonly lambd: (x: I) => O) {
    if (typeof lambd !== "function") throw new TypeError(`Lambda: argument should be callable, got ${describe(lambd)}`);
  }

  forward(x: I): O {
    return this.lambd(x);
  }

  toString(): string {
    return "Lambda()";
  }
}

export { CenterCrop, Pad, RandomCrop, RandomHorizontalFlip, RandomVerticalFlip } from "./transforms_geometry.js";
export type { PaddingMode, RandomCropOptions } from "./transforms_geometry.js";
export { Resize } from "./transforms_resize.js";
export type { ResizeInterpolation, ResizeOptions } from "./transforms_resize.js";
export {
  ColorJitter, ConvertImageDtype, GaussianBlur, Grayscale, RandomGrayscale, RandomInvert,
  adjustBrightness, adjustContrast, adjustHue, adjustSaturation, convertImageDtype, gaussianBlur, invert, rgbToGrayscale,
} from "./transforms_color.js";
export type { ColorJitterOptions } from "./transforms_color.js";
export { RandomApply, RandomChoice, RandomOrder } from "./transforms_random.js";
export { FiveCrop, RandomErasing, RandomResizedCrop, TenCrop, erase, fiveCrop, tenCrop } from "./transforms_crops.js";
export type { RandomErasingOptions, RandomResizedCropOptions } from "./transforms_crops.js";
export { RandomAffine, RandomRotation, affine, getInverseAffineMatrix, rotate } from "./transforms_affine.js";
export type { AffineInterpolation, AffineOptions, RandomAffineOptions, RotateOptions } from "./transforms_affine.js";
